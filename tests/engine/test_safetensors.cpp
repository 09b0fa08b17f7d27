// Checkpoint validation: every kind of damaged or lying safetensors file gives a
// FormatError that names the file and the problem, never a crash (also under ASan).
#include "test_support.h"

#include "zerolens/checkpoint.h"
#include "zerolens/error.h"
#include "zerolens/model.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace zl;
using nlohmann::json;

namespace {

struct Parts {
    json header;
    std::string data;
};

Parts split(const std::string& file)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(file[static_cast<std::size_t>(i)]);
    return {json::parse(file.substr(8, n)), file.substr(8 + n)};
}

std::string join(const Parts& p)
{
    const std::string h = p.header.dump();
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xFF);
    return out + h + p.data;
}

// Runs inspectCheckpoint and Model::load; both must throw FormatError whose
// message contains every expected fragment.
void expectFormatError(const std::filesystem::path& dir, const std::vector<std::string>& fragments)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (attempt == 0)
                inspectCheckpoint(dir);
            else
                Model::load(dir);
            QFAIL("expected a FormatError");
        } catch (const FormatError& e) {
            const std::string msg = e.what();
            for (const auto& f : fragments)
                QVERIFY2(msg.find(f) != std::string::npos, ("message lacks '" + f + "': " + msg).c_str());
        }
    }
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validCheckpointInspects()
    {
        test::SampleCheckpoint ckpt;
        const auto info = inspectCheckpoint(ckpt.dir());
        QCOMPARE(info.config.architecture, std::string("LlamaForCausalLM"));
        QCOMPARE(info.tensors.size(), expectedTensors(info.config).size());
        std::int64_t params = 0;
        for (const auto& [name, w] : ckpt.weights)
            params += static_cast<std::int64_t>(w.size());
        QCOMPARE(info.parameterCount, params);
        QCOMPARE(info.storedDtype, std::string("F32"));
    }

    void shardedCheckpointInspects()
    {
        test::SampleCheckpoint ckpt({.dtype = "BF16", .shards = 3});
        const auto info = inspectCheckpoint(ckpt.dir());
        QCOMPARE(info.files.size(), std::size_t{3});
        QCOMPARE(info.storedDtype, std::string("BF16"));
    }

    void truncatedFile()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        const auto bytes = test::readFile(f);
        test::writeFile(f, bytes.substr(0, bytes.size() / 2));
        expectFormatError(ckpt.dir(), {"model.safetensors", "outside the data section"});
    }

    void tooShortForHeader()
    {
        test::SampleCheckpoint ckpt;
        test::writeFile(ckpt.dir() / "model.safetensors", "abc");
        expectFormatError(ckpt.dir(), {"model.safetensors", "too short"});
    }

    void hugeHeaderLength()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto bytes = test::readFile(f);
        for (int i = 0; i < 8; ++i)
            bytes[static_cast<std::size_t>(i)] = static_cast<char>(0x7F);
        test::writeFile(f, bytes);
        expectFormatError(ckpt.dir(), {"model.safetensors", "header length"});
    }

    void brokenHeaderJson()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto bytes = test::readFile(f);
        bytes[8] = '[';
        bytes[9] = '[';
        test::writeFile(f, bytes);
        expectFormatError(ckpt.dir(), {"model.safetensors", "JSON"});
    }

    void offsetsPastTheEnd()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto p = split(test::readFile(f));
        p.header["model.norm.weight"]["data_offsets"] = {p.data.size() - 4, p.data.size() + 124};
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"model.norm.weight", "outside the data section"});
    }

    void lyingShape()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto p = split(test::readFile(f));
        p.header["model.norm.weight"]["shape"] = {64};
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"model.norm.weight", "shape"});
    }

    void overlappingTensors()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto p = split(test::readFile(f));
        p.header["model.norm.weight"]["data_offsets"] =
            p.header["model.layers.0.input_layernorm.weight"]["data_offsets"];
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"overlap"});
    }

    void unsupportedDtype()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto p = split(test::readFile(f));
        p.header["model.norm.weight"]["dtype"] = "F64";
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"model.norm.weight", "unsupported dtype F64"});
        // An integer tensor of the right byte size is a valid file but not a valid weight.
        p.header["model.norm.weight"]["dtype"] = "I32";
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"model.norm.weight", "dtype I32; expected F32, F16 or BF16"});
    }

    void missingTensor()
    {
        test::SampleCheckpoint ckpt;
        const auto f = ckpt.dir() / "model.safetensors";
        auto p = split(test::readFile(f));
        p.header.erase("model.layers.1.mlp.up_proj.weight");
        test::writeFile(f, join(p));
        expectFormatError(ckpt.dir(), {"model.layers.1.mlp.up_proj.weight", "missing"});
    }

    void shapeDisagreesWithConfig()
    {
        test::SampleCheckpoint ckpt;
        auto cfg = json::parse(test::readFile(ckpt.dir() / "config.json"));
        cfg["intermediate_size"] = 48;
        test::writeFile(ckpt.dir() / "config.json", cfg.dump());
        expectFormatError(ckpt.dir(), {"mlp.down_proj.weight", "config.json implies"});
    }

    void shardIndexCannotEscapeFolder()
    {
        test::SampleCheckpoint ckpt({.shards = 2});
        auto idx = json::parse(test::readFile(ckpt.dir() / "model.safetensors.index.json"));
        idx["weight_map"]["model.norm.weight"] = "../../etc/passwd";
        test::writeFile(ckpt.dir() / "model.safetensors.index.json", idx.dump());
        expectFormatError(ckpt.dir(), {"plain file name"});
    }

    void pickleCheckpointRefused()
    {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        test::SampleCheckpoint ckpt;
        std::filesystem::copy_file(ckpt.dir() / "config.json", dir / "config.json");
        test::writeFile(dir / "pytorch_model.bin", "PK\x03\x04 not really a pickle");
        expectFormatError(dir, {"pytorch_model.bin", "pickle", "safetensors"});
    }

    void missingOrNotAFolder()
    {
        try {
            inspectCheckpoint("/nonexistent/model");
            QFAIL("expected a FormatError");
        } catch (const FormatError& e) {
            QVERIFY(std::string(e.what()).find("does not exist") != std::string::npos);
        }
        try {
            inspectCheckpoint("/etc/hostname");
            QFAIL("expected a FormatError");
        } catch (const FormatError& e) {
            QVERIFY(std::string(e.what()).find("not a folder") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
