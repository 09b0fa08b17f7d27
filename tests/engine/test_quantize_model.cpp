// Quantized checkpoints end to end: they load like any model, stay close to the
// float model, decode with the fused kernel exactly as the batched path does,
// and damaged quantized files give clear errors; likewise 8-bit embeddings.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/quantize.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>
#include <cstring>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Mean over positions of KL(p_float || p_quantized) of the next-token distributions.
double meanKl(const Model& a, const Model& b, const std::vector<std::int32_t>& ids)
{
    const auto x = a.logProbs({ids})[0];
    const auto y = b.logProbs({ids})[0];
    double kl = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
        kl += std::exp(static_cast<double>(x[i])) * static_cast<double>(x[i] - y[i]);
    return kl / static_cast<double>(ids.size());
}

} // namespace

class TestQuantizeModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_dir = m_tmp.path().toStdString();
        m_float = Model::load(m_ckpt.dir());
    }

    void formatsLoadAndStayClose_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("withMask");
        QTest::newRow("int4") << QStringLiteral("int4") << false;
        QTest::newRow("nf4") << QStringLiteral("nf4") << false;
        QTest::newRow("int4 + sparse") << QStringLiteral("int4") << true;
        QTest::newRow("nf4 + sparse") << QStringLiteral("nf4") << true;
    }
    void formatsLoadAndStayClose()
    {
        QFETCH(QString, format);
        QFETCH(bool, withMask);
        QuantizeOptions o;
        o.format = format.toStdString();
        o.groupSize = 32;
        const auto out = m_dir / (o.format + (withMask ? "-sparse" : ""));
        if (withMask) {
            SensitivityOptions so;
            so.rule = MaskRule::Magnitude;
            so.fraction = 0.01;
            saveMask(computeSensitivityMask(m_ckpt.dir(), so), m_dir / "mask.safetensors", {true, {}});
            o.mask = m_dir / "mask.safetensors";
        }
        const auto r = quantizeModel(m_ckpt.dir(), out, o);
        QCOMPARE(r.matrices, std::int64_t{14});
        QCOMPARE(r.sparseEntries > 0, withMask);
        QVERIFY(r.quantizedBytes * 6 < r.inputBytes - r.otherBytes); // 4 bits + scales vs 32 bits
        const auto info = inspectCheckpoint(out);
        QCOMPARE(info.config.quantization.format, o.format);
        QCOMPARE(info.parameterCount, inspectCheckpoint(m_ckpt.dir()).parameterCount);
        const auto q = Model::load(out);
        // 4-bit weights shift the next-token distributions a little, not wholesale
        // (measured: 0.01-0.02 nats on this sample model with group size 32).
        const double kl = meanKl(*m_float, *q, {376, 5, 99, 300, 17, 42, 7, 250});
        qInfo("mean KL(float || %s) = %.4f nats", qPrintable(format), kl);
        QVERIFY2(kl < 0.05 && kl > 0.0, std::to_string(kl).c_str());
        if (withMask) {
            QuantizeOptions plain = o;
            plain.mask.clear();
            const auto rp = quantizeModel(m_ckpt.dir(), m_dir / ("plain-" + o.format), plain);
            QVERIFY2(r.rmsError < rp.rmsError,
                     (std::to_string(r.rmsError) + " vs " + std::to_string(rp.rmsError)).c_str());
        }
        // Decoding (fused one-row kernel with the KV cache) equals full recomputation (dequantized matmul).
        SamplingOptions s;
        s.temperature = 0;
        s.maxNewTokens = 10;
        s.stopAtEos = false;
        const auto g = generate(*q, "The fox", s);
        auto seq = g.promptIds;
        const auto V = static_cast<std::size_t>(q->config().vocabSize);
        for (auto id : g.ids) {
            const auto lp = q->logProbs({seq})[0];
            const auto row = lp.begin() + static_cast<std::ptrdiff_t>((seq.size() - 1) * V);
            QCOMPARE(static_cast<std::int32_t>(std::max_element(row, row + static_cast<std::ptrdiff_t>(V)) - row), id);
            seq.push_back(id);
        }
    }

    // embed_tokens and lm_head in 8 bits: a quarter of their fp32 bytes, next-token
    // distributions as close to the float-embedding 4-bit model as 8 bits allow,
    // and decoding (integer kernel, one row) equal to recomputation (float panels).
    void int8EmbeddingsLoadAndStayClose_data()
    {
        QTest::addColumn<bool>("tied");
        QTest::newRow("untied") << false;
        QTest::newRow("tied") << true;
    }
    void int8EmbeddingsLoadAndStayClose()
    {
        QFETCH(bool, tied);
        SampleModelSpec spec;
        spec.tieWordEmbeddings = tied;
        const test::SampleCheckpoint source(spec);
        QuantizeOptions o;
        o.groupSize = 32;
        const auto floatDir = m_dir / (tied ? "tied-float-embeddings" : "float-embeddings");
        const auto int8Dir = m_dir / (tied ? "tied-int8-embeddings" : "int8-embeddings");
        const auto rf = quantizeModel(source.dir(), floatDir, o);
        o.embeddingFormat = "int8";
        const auto r = quantizeModel(source.dir(), int8Dir, o);
        const auto info = inspectCheckpoint(int8Dir);
        const std::int64_t vocab = info.config.vocabSize, hidden = info.config.hiddenSize;
        const std::uint64_t perMatrix = static_cast<std::uint64_t>(vocab * hidden + vocab * (hidden / 32) * 4);
        QCOMPARE(r.int8Bytes, perMatrix * (tied ? 1 : 2));
        QCOMPARE(info.int8Bytes, r.int8Bytes);
        QCOMPARE(info.config.quantization.embeddingFormat, std::string("int8"));
        QCOMPARE(r.quantizedBytes, rf.quantizedBytes);
        QCOMPARE(rf.otherBytes - r.otherBytes, static_cast<std::uint64_t>(vocab * hidden * 4) * (tied ? 1 : 2));
        // Symmetric 8-bit rounding: at most half a step, max|w| / 254, per group.
        QVERIFY(r.embeddingMaxAbsError > 0.0 && r.embeddingMaxAbsError < 0.02);
        QVERIFY(r.embeddingRmsError < r.rmsError);
        QCOMPARE(info.parameterCount, inspectCheckpoint(source.dir()).parameterCount);

        const auto reference = Model::load(floatDir);
        const auto q = Model::load(int8Dir);
        QCOMPARE(q->weightBytes() + static_cast<std::uint64_t>(vocab * hidden * 4) * (tied ? 1 : 2),
                 reference->weightBytes() + r.int8Bytes);
        const double kl = meanKl(*reference, *q, {376, 5, 99, 300, 17, 42, 7, 250});
        qInfo("mean KL(float embeddings || int8 embeddings) = %.6f nats", kl);
        QVERIFY2(kl < 0.005 && kl > 0.0, std::to_string(kl).c_str());
        SamplingOptions s;
        s.temperature = 0;
        s.maxNewTokens = 10;
        s.stopAtEos = false;
        for (const auto& model : {q, q->copy()}) {
            const auto g = generate(*model, "The fox", s);
            auto seq = g.promptIds;
            const auto V = static_cast<std::size_t>(vocab);
            for (auto id : g.ids) {
                const auto lp = model->logProbs({seq})[0];
                const auto row = lp.begin() + static_cast<std::ptrdiff_t>((seq.size() - 1) * V);
                QCOMPARE(static_cast<std::int32_t>(std::max_element(row, row + static_cast<std::ptrdiff_t>(V)) - row),
                         id);
                seq.push_back(id);
            }
        }

        // -128 has no positive counterpart; the file is refused rather than misread.
        const auto damaged = m_dir / (tied ? "tied-int8-damaged" : "int8-damaged");
        fs::create_directories(damaged);
        for (const auto& e : fs::directory_iterator(int8Dir))
            fs::copy_file(e.path(), damaged / e.path().filename());
        auto bytes = test::readFile(damaged / "model.safetensors");
        std::uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
        const auto header = json::parse(bytes.substr(8, n));
        QCOMPARE(header["model.embed_tokens.qweight"]["dtype"].get<std::string>(), std::string("I8"));
        QVERIFY(!header.contains("model.embed_tokens.weight"));
        QCOMPARE(header.contains("lm_head.qweight"), !tied);
        bytes[8 + n + header["model.embed_tokens.qweight"]["data_offsets"][0].get<std::uint64_t>()] =
            static_cast<char>(-128);
        test::writeFile(damaged / "model.safetensors", bytes);
        QVERIFY_THROWS_EXCEPTION(FormatError, Model::load(damaged));
        auto cfg = json::parse(test::readFile(int8Dir / "config.json"));
        QCOMPARE(cfg["quantization_config"]["embedding_format"].get<std::string>(), std::string("int8"));
        cfg["quantization_config"]["embedding_format"] = "int6";
        test::writeFile(damaged / "config.json", cfg.dump());
        QVERIFY_THROWS_EXCEPTION(FormatError, inspectCheckpoint(damaged));
        // Without the key, the folder reads as float embeddings, which are missing.
        cfg["quantization_config"].erase("embedding_format");
        test::writeFile(damaged / "config.json", cfg.dump());
        try {
            inspectCheckpoint(damaged);
            QFAIL("expected FormatError");
        } catch (const FormatError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(tied ? "'model.embed_tokens.weight' is missing" : "'lm_head.weight' is missing") !=
                         std::string::npos,
                     e.what());
        }
    }

    void damagedQuantizedFilesAreClearErrors()
    {
        QuantizeOptions o;
        o.groupSize = 32;
        const auto out = m_dir / "damaged";
        quantizeModel(m_ckpt.dir(), out, o);
        const auto good = test::readFile(out / "model.safetensors");
        std::uint64_t n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | static_cast<unsigned char>(good[static_cast<std::size_t>(i)]);
        const auto header = json::parse(good.substr(8, n));
        // A zero point above 15 would index past the 4-bit range.
        auto bytes = good;
        const auto zeros = header["model.layers.0.mlp.up_proj.zeros"]["data_offsets"][0].get<std::uint64_t>();
        bytes[8 + n + zeros] = static_cast<char>(200);
        test::writeFile(out / "model.safetensors", bytes);
        QVERIFY_THROWS_EXCEPTION(FormatError, Model::load(out));
        // A missing scales tensor is named.
        auto cfg = json::parse(test::readFile(out / "config.json"));
        test::writeFile(out / "model.safetensors", good);
        cfg["quantization_config"]["group_size"] = 64; // scales no longer have the implied shape
        test::writeFile(out / "config.json", cfg.dump());
        try {
            inspectCheckpoint(out);
            QFAIL("expected FormatError");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("scales") != std::string::npos, e.what());
        }
        cfg["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 4}};
        test::writeFile(out / "config.json", cfg.dump());
        QVERIFY_THROWS_EXCEPTION(FormatError, inspectCheckpoint(out));
    }

    void badOptionsRejected()
    {
        QuantizeOptions o;
        o.format = "int3";
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, quantizeModel(m_ckpt.dir(), m_dir / "x", o));
        o.format = "int4";
        o.groupSize = 33;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, quantizeModel(m_ckpt.dir(), m_dir / "x", o));
        o.groupSize = 32;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, quantizeModel(m_ckpt.dir(), m_ckpt.dir(), o));
        o.embeddingFormat = "int6";
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, quantizeModel(m_ckpt.dir(), m_dir / "x", o));
    }

private:
    test::SampleCheckpoint m_ckpt;
    QTemporaryDir m_tmp;
    fs::path m_dir;
    std::shared_ptr<Model> m_float;
};

QTEST_GUILESS_MAIN(TestQuantizeModel)
#include "test_quantize_model.moc"
