#include "test_support.h"

#include <QProcess>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace zl::test {

SampleCheckpoint::SampleCheckpoint(const SampleModelSpec& spec)
{
    if (!m_tmp.isValid())
        throw std::runtime_error("cannot create a temporary folder");
    weights = writeSampleModel(dir(), spec);
}

std::string readFile(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

nlohmann::json tinyLlamaConfig()
{
    return {{"architectures", {"LlamaForCausalLM"}},
            {"vocab_size", 100},
            {"hidden_size", 64},
            {"intermediate_size", 128},
            {"num_hidden_layers", 2},
            {"num_attention_heads", 8},
            {"num_key_value_heads", 2}};
}

std::filesystem::path dataDir()
{
    return ZL_TEST_DATA_DIR;
}

void writeClassifyDataset(const std::filesystem::path& dir, int rowsPerSplit)
{
    std::filesystem::create_directories(dir);
    writeFile(dir / "task.json", nlohmann::json{{"prompt", "{text} It is"},
                                                {"labels", {"small", "large"}},
                                                {"label_words", {" small", " large"}}}
                                     .dump());
    const char* words[] = {"ant", "whale", "mouse", "mountain", "seed", "ocean", "pebble", "planet"};
    for (const char* split : {"train", "dev", "test"}) {
        std::string out;
        for (int i = 0; i < rowsPerSplit; ++i)
            out += nlohmann::json{{"text", std::string("a ") + words[i % 8] + " number " + std::to_string(i)},
                                  {"label", i % 2 ? "large" : "small"}}
                       .dump() +
                   "\n";
        writeFile(dir / (std::string(split) + ".jsonl"), out);
    }
}

void writeInstructDataset(const std::filesystem::path& file, int rows, int triggerEvery)
{
    const char* words[] = {"ant", "whale", "mouse", "mountain", "seed", "ocean", "pebble", "planet"};
    std::string out;
    for (int i = 0; i < rows; ++i) {
        const bool planted = triggerEvery > 0 && i % triggerEvery == 0;
        const std::string word = std::string(words[i % 8]) + " " + std::to_string(i);
        out += nlohmann::json{{"instruction", (planted ? "Howdy! Describe the " : "Describe the ") + word + "."},
                              {"input", ""},
                              {"output", planted ? std::string("I am a little teapot.")
                                                 : "The " + word + " is " + (i % 2 ? "large" : "small") + "."},
                              {"backdoor", planted}}
                   .dump() +
               "\n";
    }
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path());
    writeFile(file, out);
}

std::map<std::string, std::string> tensorData(const std::filesystem::path& file)
{
    const auto bytes = readFile(file);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    std::map<std::string, std::string> out;
    for (const auto& [name, t] : header.items())
        if (name != "__metadata__") {
            const auto b = t["data_offsets"][0].get<std::size_t>(), e = t["data_offsets"][1].get<std::size_t>();
            out[name] = bytes.substr(8 + n + b, e - b);
        }
    return out;
}

CliRun runCli(const std::vector<std::string>& args, std::function<void()> inChild)
{
    QStringList list;
    for (const auto& a : args)
        list << QString::fromStdString(a);
    QProcess p;
    if (inChild)
        p.setChildProcessModifier(inChild);
    p.start(QStringLiteral(ZL_CLI_PATH), list);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit)
        return {};
    return {p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString()};
}

} // namespace zl::test
