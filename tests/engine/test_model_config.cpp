// config.json parsing: supported architectures, defaults, rope scaling, and a
// clear error for each bad value.
#include "test_support.h"

#include "zerolens/config.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace zl;
using nlohmann::json;

namespace {

std::string errorOf(const json& j)
{
    try {
        ModelConfig::fromJson(j.dump(), "config.json");
    } catch (const FormatError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaults()
    {
        const auto c = ModelConfig::fromJson(test::tinyLlamaConfig().dump(), "config.json");
        QCOMPARE(c.headDim, std::int64_t{8});
        QCOMPARE(c.ropeTheta, 10000.0);
        QCOMPARE(c.rmsNormEps, 1e-6);
        QVERIFY(!c.tieWordEmbeddings);
        QVERIFY(!c.attentionBias);
    }

    void qwen2HasBiasesAndExplicitHeadDim()
    {
        auto j = test::tinyLlamaConfig();
        j["architectures"] = {"Qwen2ForCausalLM"};
        j["head_dim"] = 16;
        j["tie_word_embeddings"] = true;
        j["eos_token_id"] = {5, 7};
        const auto c = ModelConfig::fromJson(j.dump(), "config.json");
        QVERIFY(c.attentionBias);
        QCOMPARE(c.headDim, std::int64_t{16});
        QVERIFY(c.tieWordEmbeddings);
        QCOMPARE(c.eosTokenIds.size(), std::size_t{2});
    }

    void ropeScaling()
    {
        auto j = test::tinyLlamaConfig();
        j["rope_scaling"] = {{"rope_type", "llama3"},
                             {"factor", 8.0},
                             {"low_freq_factor", 1.0},
                             {"high_freq_factor", 4.0},
                             {"original_max_position_embeddings", 8192}};
        QCOMPARE(int(ModelConfig::fromJson(j.dump(), "c").ropeScaling.kind), int(RopeScaling::Kind::Llama3));
        j["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}};
        const auto c = ModelConfig::fromJson(j.dump(), "c");
        QCOMPARE(int(c.ropeScaling.kind), int(RopeScaling::Kind::Linear));
        QCOMPARE(c.ropeScaling.factor, 2.0);
        j["rope_scaling"] = {{"type", "yarn"}, {"factor", 2.0}};
        QVERIFY(errorOf(j).find("yarn") != std::string::npos);
    }

    void badValues_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("negative hidden") << "hidden_size"
                                         << "-4"
                                         << "hidden_size";
        QTest::newRow("string layers") << "num_hidden_layers"
                                       << "\"two\""
                                       << "num_hidden_layers";
        QTest::newRow("heads not multiple of kv") << "num_key_value_heads"
                                                  << "3"
                                                  << "multiple";
        QTest::newRow("zero vocab") << "vocab_size"
                                    << "0"
                                    << "vocab_size";
        QTest::newRow("eps not number") << "rms_norm_eps"
                                        << "\"small\""
                                        << "rms_norm_eps";
        QTest::newRow("unsupported arch") << "architectures"
                                          << "[\"GPT2LMHeadModel\"]"
                                          << "LlamaForCausalLM";
    }
    void badValues()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, fragment);
        auto j = test::tinyLlamaConfig();
        j[key.toStdString()] = json::parse(value.toStdString());
        const auto msg = errorOf(j);
        QVERIFY2(msg.find(fragment.toStdString()) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("config.json") != std::string::npos, msg.c_str());
    }

    void missingKeyAndBrokenJson()
    {
        auto j = test::tinyLlamaConfig();
        j.erase("hidden_size");
        QVERIFY(errorOf(j).find("hidden_size") != std::string::npos);
        try {
            ModelConfig::fromJson("{\"architectures\": [", "config.json");
            QFAIL("expected FormatError");
        } catch (const FormatError& e) {
            QVERIFY(std::string(e.what()).find("not valid JSON") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "test_model_config.moc"
