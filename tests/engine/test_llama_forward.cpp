// The libtorch forward pass against an independent double-precision reference,
// across architectures and storage formats, and its batching invariants.
#include "model/model_impl.h"
#include "reference_llama.h"
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/model.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>

using namespace zl;

namespace {

// fp32 matrix products over dimensions <= 64 accumulate rounding of ~1e-6
// relative; 2e-4 absolute on log-probabilities leaves a wide margin while any
// real bug (wrong rope layout, mask, norm) moves them by far more than 1e-2.
constexpr double kTolerance = 2e-4;

double maxDiff(const std::vector<float>& got, const std::vector<std::vector<double>>& want)
{
    double m = 0.0;
    const std::size_t V = want[0].size();
    for (std::size_t t = 0; t < want.size(); ++t)
        for (std::size_t v = 0; v < V; ++v)
            m = std::max(m, std::abs(static_cast<double>(got[t * V + v]) - want[t][v]));
    return m;
}

class CountingSink : public EventSink {
public:
    int events = 0;
    void progress(const Progress&) override { ++events; }
};

} // namespace

class TestLlamaForward : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<int>("shards");
        QTest::addColumn<bool>("tied");
        QTest::addColumn<QString>("ropeScaling"); // JSON for config.json, or empty
        const QString none;
        const auto llama = QStringLiteral("LlamaForCausalLM");
        const auto f32 = QStringLiteral("F32");
        const auto bf16 = QStringLiteral("BF16");
        QTest::newRow("llama f32") << llama << f32 << 1 << false << none;
        QTest::newRow("llama bf16 sharded") << llama << bf16 << 2 << false << none;
        QTest::newRow("llama f16 tied") << llama << QStringLiteral("F16") << 1 << true << none;
        QTest::newRow("qwen2 biases bf16") << QStringLiteral("Qwen2ForCausalLM") << bf16 << 1 << true << none;
        QTest::newRow("mistral f32") << QStringLiteral("MistralForCausalLM") << f32 << 3 << false << none;
        QTest::newRow("linear rope scaling")
            << llama << f32 << 1 << false << QStringLiteral(R"({"type": "linear", "factor": 4.0})");
        // Wavelengths 6, 30, 140 and 660 positions against 64/4 and 64/1: all three llama3 regimes.
        QTest::newRow("llama3 rope scaling")
            << llama << f32 << 1 << false
            << QStringLiteral(R"({"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, )"
                              R"("high_freq_factor": 4.0, "original_max_position_embeddings": 64})");
    }
    void matchesReference()
    {
        QFETCH(QString, arch);
        QFETCH(QString, dtype);
        QFETCH(int, shards);
        QFETCH(bool, tied);
        QFETCH(QString, ropeScaling);
        SampleModelSpec spec;
        spec.architecture = arch.toStdString();
        spec.dtype = dtype.toStdString();
        spec.shards = shards;
        spec.tieWordEmbeddings = tied;
        spec.ropeTheta = 500.0; // short wavelengths, so a wrong rotary layout shows up within 12 tokens
        test::SampleCheckpoint ckpt(spec);
        if (!ropeScaling.isEmpty()) {
            auto cfg = nlohmann::json::parse(test::readFile(ckpt.dir() / "config.json"));
            cfg["rope_scaling"] = nlohmann::json::parse(ropeScaling.toStdString());
            test::writeFile(ckpt.dir() / "config.json", cfg.dump());
        }
        const auto model = Model::load(ckpt.dir());
        QCOMPARE(model->computeDtype(), std::string("float32"));
        QCOMPARE(model->config().ropeScaling.kind == RopeScaling::Kind::None, ropeScaling.isEmpty());
        const std::vector<std::int32_t> ids{376, 5, 99, 300, 17, 42, 7, 250, 1, 0, 377, 64};
        const auto got = model->logProbs({ids});
        const auto want = test::referenceLogProbs(model->config(), ckpt.weights, ids);
        const double diff = maxDiff(got[0], want);
        QVERIFY2(diff < kTolerance, ("max |Δ log p| = " + std::to_string(diff)).c_str());

        // Decoding with the KV cache, one token at a time after a 3-token prompt (the one-token step).
        c10::InferenceMode inference;
        const auto& llama = model->impl().llama;
        model::KvCache cache;
        std::vector<float> decoded;
        for (std::size_t t = 0; t < ids.size();) {
            const std::size_t n = t == 0 ? 3 : 1;
            const auto input = at::tensor(std::vector<std::int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(t),
                                                                    ids.begin() + static_cast<std::ptrdiff_t>(t + n)))
                                   .view({1, -1});
            const auto lp = at::log_softmax(llama.forward(input, at::Tensor(), &cache), -1).contiguous();
            decoded.insert(decoded.end(), lp.data_ptr<float>(), lp.data_ptr<float>() + lp.numel());
            t += n;
        }
        const double decodeDiff = maxDiff(decoded, want);
        QVERIFY2(decodeDiff < kTolerance, ("decoding: max |Δ log p| = " + std::to_string(decodeDiff)).c_str());
    }

    // 400 positions: attention in blocks of queries, each against the keys up
    // to its last position, whole (past 0) and after 100 cached positions.
    void longInputMatchesReference()
    {
        SampleModelSpec spec;
        spec.maxPositionEmbeddings = 512;
        test::SampleCheckpoint ckpt(spec);
        const auto model = Model::load(ckpt.dir());
        std::vector<std::int32_t> ids(400);
        for (std::size_t i = 0; i < ids.size(); ++i)
            ids[i] = static_cast<std::int32_t>((i * 37 + 11) % 378);
        const auto want = test::referenceLogProbs(model->config(), ckpt.weights, ids);
        const double diff = maxDiff(model->logProbs({ids})[0], want);
        QVERIFY2(diff < kTolerance, ("max |Δ log p| = " + std::to_string(diff)).c_str());

        c10::InferenceMode inference;
        const auto& llama = model->impl().llama;
        model::KvCache cache;
        const std::vector<std::int64_t> all(ids.begin(), ids.end());
        std::vector<float> got;
        for (const auto& [begin, end] : {std::pair{0, 100}, std::pair{100, 400}}) {
            const auto input =
                at::tensor(std::vector<std::int64_t>(all.begin() + begin, all.begin() + end)).view({1, -1});
            const auto lp = at::log_softmax(llama.forward(input, at::Tensor(), &cache), -1).contiguous();
            got.insert(got.end(), lp.data_ptr<float>(), lp.data_ptr<float>() + lp.numel());
        }
        const double cachedDiff = maxDiff(got, want);
        QVERIFY2(cachedDiff < kTolerance, ("after 100 cached: max |Δ log p| = " + std::to_string(cachedDiff)).c_str());

        // A padded batch: the shorter row's padding stays hidden in every block.
        const std::vector<std::int32_t> shorter(ids.begin(), ids.begin() + 260);
        const auto batch = model->logProbs({ids, shorter});
        const auto alone = model->logProbs({shorter});
        double m = 0.0;
        for (std::size_t i = 0; i < alone[0].size(); ++i)
            m = std::max(m, static_cast<double>(std::abs(batch[1][i] - alone[0][i])));
        QVERIFY2(m < 1e-5, std::to_string(m).c_str());
    }

    void paddedBatchEqualsSingleRuns()
    {
        test::SampleCheckpoint ckpt;
        const auto model = Model::load(ckpt.dir());
        const std::vector<std::int32_t> a{10, 20, 30, 40, 50, 60, 70};
        const std::vector<std::int32_t> b{5, 6, 7};
        const auto batch = model->logProbs({a, b});
        const auto aloneA = model->logProbs({a});
        const auto aloneB = model->logProbs({b});
        QCOMPARE(batch[1].size(), aloneB[0].size());
        double m = 0.0;
        for (std::size_t i = 0; i < aloneB[0].size(); ++i)
            m = std::max(m, static_cast<double>(std::abs(batch[1][i] - aloneB[0][i])));
        for (std::size_t i = 0; i < aloneA[0].size(); ++i)
            m = std::max(m, static_cast<double>(std::abs(batch[0][i] - aloneA[0][i])));
        QVERIFY2(m < 1e-5, std::to_string(m).c_str());
    }

    void scoreSequencesSumsLogProbs()
    {
        test::SampleCheckpoint ckpt;
        const auto model = Model::load(ckpt.dir());
        const std::vector<std::int32_t> ids{3, 1, 4, 1, 5, 9, 2, 6};
        const auto lp = model->logProbs({ids})[0];
        const auto V = static_cast<std::size_t>(model->config().vocabSize);
        double sum = 0.0;
        for (std::size_t t = 0; t + 1 < ids.size(); ++t)
            sum += lp[t * V + static_cast<std::size_t>(ids[t + 1])];
        const auto s = model->scoreSequences({ids, {1, 2}})[0];
        QCOMPARE(s.scored, std::int64_t(ids.size() - 1));
        QVERIFY(std::abs(s.logProbSum - sum) < 1e-4);
    }

    void outOfVocabularyIdRejected()
    {
        test::SampleCheckpoint ckpt;
        const auto model = Model::load(ckpt.dir());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, model->logProbs({{1, 2, 100000}}));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, model->logProbs({{}}));
    }

    void loadReportsProgressAndCancels()
    {
        test::SampleCheckpoint ckpt;
        CountingSink sink;
        Model::load(ckpt.dir(), {}, &sink);
        QVERIFY(sink.events >= 2); // first and last tensor at least
        std::stop_source stop;
        stop.request_stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, Model::load(ckpt.dir(), {}, nullptr, stop.get_token()));
    }

    void unavailableDeviceIsAClearError()
    {
        test::SampleCheckpoint ckpt;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Model::load(ckpt.dir(), {.device = "tpu"}));
        if (!cudaAvailable())
            QVERIFY_THROWS_EXCEPTION(InvalidArgument, Model::load(ckpt.dir(), {.device = "cuda:0"}));
    }
};

QTEST_GUILESS_MAIN(TestLlamaForward)
#include "test_llama_forward.moc"
