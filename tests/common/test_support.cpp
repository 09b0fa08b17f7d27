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
