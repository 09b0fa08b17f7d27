// Influence (RapidIn): RapidGrad's properties (linear, seeded, inner products
// kept in expectation), per-example gradients of S and of whole blocks against
// autograd on one example at a time, the fp16 scan against a plain loop, and
// the gradient cache: resume after a stop or a torn batch equal to one build,
// refusals that name what differs, self-retrieval, token shares that sum to
// the score, saved queries that reopen.
#include "test_support.h"

#include "influence/example_gradients.h"
#include "influence/gradient_cache.h"
#include "influence/influence_model.h"
#include "influence/rapid_grad.h"
#include "influence/vector_scan.h"
#include "model/model_impl.h"
#include "zerolens/dataset.h"
#include "zerolens/error.h"
#include "zerolens/influence.h"
#include "zerolens/sensitivity.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>

using namespace zl;
namespace fs = std::filesystem;

namespace {

// Requests a stop once `examples` examples are cached (reported per batch).
class StopAfter : public EventSink {
public:
    StopAfter(std::stop_source& src, std::int64_t examples) : m_src(src), m_examples(examples) {}
    void metric(const Metric& m) override
    {
        if (m.name == "examples_per_second" && m.step >= m_examples)
            m_src.request_stop();
    }

private:
    std::stop_source& m_src;
    std::int64_t m_examples;
};

std::vector<std::uint16_t> vectorBytes(const fs::path& cache)
{
    const influence::GradientCache c(cache, influence::GradientCache::Access::Read);
    const auto n = static_cast<std::size_t>(c.rowCount() * c.info().vectorLength);
    std::vector<std::uint16_t> byExample(n);
    // Rows in example order, whatever order they were appended in.
    const auto len = static_cast<std::size_t>(c.info().vectorLength);
    for (std::size_t r = 0; r < c.rowExamples().size(); ++r)
        std::copy_n(c.vectors() + r * len, len,
                    byExample.begin() + static_cast<std::ptrdiff_t>((c.rowExamples()[r] - 1) * len));
    return byExample;
}

} // namespace

class TestInfluence : public QObject {
    Q_OBJECT

private:
    test::SampleCheckpoint m_model;
    QTemporaryDir m_tmp;
    fs::path m_data, m_mask;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

    CacheBuildOptions buildOptions(const std::string& out) const
    {
        CacheBuildOptions o;
        o.model.dir = m_model.dir();
        o.model.mask = m_mask;
        o.model.groupSize = 8;
        o.data.path = m_data;
        o.gradient.k = 64;
        o.gradient.maxLength = 48;
        o.batchSize = 3;
        o.out = tmp(out);
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_data = tmp("instruct.jsonl");
        test::writeInstructDataset(m_data, 20, 5);
        m_mask = tmp("random.mask");
        SensitivityOptions so;
        so.rule = MaskRule::Random;
        so.fraction = 0.05;
        saveMask(computeSensitivityMask(m_model.dir(), so), m_mask);
    }

    // P(a·x + b·y) = a·P(x) + b·P(y); the same seed gives the same map, another seed another.
    void rapidGradIsLinearAndSeeded()
    {
        at::manual_seed(1);
        const influence::RapidGrad p(10000, 256, 4, 7, false), same(10000, 256, 4, 7, false),
            other(10000, 256, 4, 8, false);
        QVERIFY(p.compresses());
        QCOMPARE(p.outputLength(), std::int64_t{256});
        const auto x = at::randn({2, 10000}), y = at::randn({2, 10000});
        QVERIFY(at::allclose(p(x * 2.0 - y * 0.5), p(x) * 2.0 - p(y) * 0.5, 1e-4, 1e-4));
        QVERIFY(at::equal(p(x), same(x)));
        QVERIFY(!at::allclose(p(x), other(x)));
        // D <= K and exact mode keep the vector itself.
        const influence::RapidGrad small(100, 256, 4, 7, false), exact(10000, 256, 4, 7, true);
        QVERIFY(!small.compresses() && !exact.compresses());
        QVERIFY(at::equal(exact(x), x));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, influence::RapidGrad(100, 8, 4, 0, false));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, influence::RapidGrad(100, 64, 0, 0, false));
    }

    // Over random seeds, the mean of ⟨Px, Py⟩ is ⟨x, y⟩ (4 standard errors), and
    // for one seed compressed inner products follow exact ones closely.
    void rapidGradKeepsInnerProducts()
    {
        at::manual_seed(2);
        const std::int64_t D = 4096;
        auto x = at::randn({1, D}), y = x * 0.6 + at::randn({1, D}) * 0.8;
        x = x / x.norm();
        y = y / y.norm();
        const double exact = (x * y).sum().item<double>();
        constexpr int seeds = 300;
        double mean = 0.0, sq = 0.0;
        for (int s = 0; s < seeds; ++s) {
            const influence::RapidGrad p(D, 256, 2, static_cast<std::uint64_t>(s), false);
            const double v = (p(x) * p(y)).sum().item<double>();
            mean += v / seeds;
            sq += v * v / seeds;
        }
        const double se = std::sqrt((sq - mean * mean) / seeds);
        QVERIFY2(std::abs(mean - exact) < 4 * se,
                 qPrintable(QStringLiteral("mean %1, exact %2, se %3").arg(mean).arg(exact).arg(se)));
        const auto q = measureRapidGrad(1 << 14, 1 << 12, 4, 60, 3);
        QVERIFY2(q.correlation > 0.9, qPrintable(QString::number(q.correlation)));
    }

    // The AVX2/F16C scan and the portable loop agree with a plain fp32 dot product,
    // including lengths that are not a multiple of the vector width.
    void scanMatchesPlainDotProducts()
    {
        at::manual_seed(3);
        for (const bool simd : {true, false})
            for (const std::int64_t len : {1, 7, 8, 33, 100}) {
                const auto v = at::randn({5, len}); // a group of four rows and one more
                const auto halves = influence::toHalves(v);
                const auto q = at::randn({len});
                std::vector<float> scores(5);
                influence::scoreRows(q.data_ptr<float>(), halves.data(), 5, len, scores.data(), simd);
                for (std::int64_t r = 0; r < 5; ++r) {
                    double ref = 0.0;
                    for (std::int64_t j = 0; j < len; ++j)
                        ref +=
                            q[j].item<double>() * influence::halfToFloat(halves[static_cast<std::size_t>(r * len + j)]);
                    QVERIFY2(std::abs(scores[static_cast<std::size_t>(r)] - ref) < 1e-4 * (1 + std::abs(ref)),
                             qPrintable(QStringLiteral("simd %1, len %2, row %3").arg(simd).arg(len).arg(r)));
                }
            }
        QCOMPARE(influence::halfToFloat(0x3c00), 1.0f);
        QCOMPARE(influence::halfToFloat(0xc000), -2.0f);
        QCOMPARE(influence::halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
        QVERIFY(std::isinf(influence::halfToFloat(0x7c00)));
    }

    // One batched pass gives each sequence the gradient autograd gives it alone
    // (S of a 4-bit model, and whole blocks of the float model), and per-position
    // shares sum to it.
    void perExampleGradientsMatchAutogradOneAtATime_data()
    {
        QTest::addColumn<QString>("tracked");
        QTest::newRow("sparse") << "sparse";
        QTest::newRow("blocks") << "blocks";
    }
    void perExampleGradientsMatchAutogradOneAtATime()
    {
        QFETCH(QString, tracked);
        InfluenceModel m;
        m.dir = m_model.dir();
        m.groupSize = 8;
        GradientSettings g;
        g.tracked = tracked.toStdString();
        if (g.tracked == "sparse")
            m.mask = m_mask;
        else
            g.blocks = {1};
        influence::InfluenceEngine engine(m, g, nullptr, {});
        const std::vector<std::vector<std::int32_t>> ids = {{1, 5, 9, 13, 2, 7}, {4, 8, 15}, {3, 3, 6, 6, 9}};
        influence::WeightedSequences batch{ids, {}};
        for (const auto& s : ids)
            batch.weights.push_back(
                influence::InfluenceEngine::meanOver(s.size(), 1, static_cast<std::int64_t>(s.size())));
        const auto grads = engine.tracker().perSequence(batch);
        const auto& tensors = engine.tracker().tensors();
        QVERIFY(!tensors.empty());

        for (std::size_t b = 0; b < ids.size(); ++b) {
            auto copy = engine.model().copy();
            auto& llama = copy->impl().llama;
            std::vector<at::Tensor> leaves;
            for (const auto& t : tensors) {
                auto& L = llama.layers[t.layer];
                auto& q = L.quantized[static_cast<std::size_t>(t.projection)];
                at::Tensor leaf = q ? q->sparseValues.detach().clone() : L.weight(t.projection).detach().clone();
                leaf.set_requires_grad(true);
                if (q)
                    q->sparseValues = leaf;
                else
                    L.weight(t.projection) = leaf;
                leaves.push_back(leaf);
            }
            const auto& s = ids[b];
            auto in = at::tensor(std::vector<std::int64_t>(s.begin(), s.end() - 1), at::kLong).unsqueeze(0);
            auto target = at::tensor(std::vector<std::int64_t>(s.begin() + 1, s.end()), at::kLong);
            const auto logits = llama.forward(in, at::Tensor(), nullptr)[0];
            at::nll_loss(at::log_softmax(logits, -1), target).backward();
            for (std::size_t i = 0; i < tensors.size(); ++i) {
                const auto ref = leaves[i].grad().reshape({-1});
                const auto got = grads[i][static_cast<std::int64_t>(b)];
                QVERIFY2(at::allclose(got, ref, 1e-4, 1e-6),
                         qPrintable(QStringLiteral("%1, sequence %2: max diff %3")
                                        .arg(QString::fromStdString(tensors[i].name))
                                        .arg(b)
                                        .arg((got - ref).abs().max().item<double>())));
            }
        }
        // Per-position pieces, delivered in chunks of 4, sum to the normalized gradient.
        const auto normalized = influence::normalizeAndConcat(grads)[0];
        auto sum = at::zeros_like(normalized);
        std::int64_t positions = 0;
        engine.tracker().perPositionNormalized(ids[0], batch.weights[0], 4,
                                               [&](std::int64_t first, const influence::TensorGradients& parts) {
                                                   QCOMPARE(first, positions);
                                                   positions += parts[0].size(0);
                                                   sum += at::cat(parts, 1).sum(0);
                                               });
        QCOMPARE(positions, static_cast<std::int64_t>(ids[0].size()));
        QVERIFY(at::allclose(sum, normalized, 1e-4, 1e-6));
    }

    // JSON arrays (Alpaca's release format) name each row's line; other fields become metadata.
    void datasetKeepsSourceLinesAndMetadata()
    {
        const auto file = tmp("alpaca.json");
        test::writeFile(file, "[\n  {\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"Hi.\", "
                              "\"backdoor\": false},\n\n  {\"instruction\": \"Say [bye].\",\n   \"input\": \"\", "
                              "\"output\": \"Bye.\", \"backdoor\": true, \"source\": \"x\"}\n]\n");
        DatasetOptions o;
        o.path = file;
        o.devFraction = o.testFraction = 0.0;
        o.taskGiven = true;
        o.task.kind = TaskKind::Generate;
        const auto d = loadDataset(o);
        QCOMPARE(d.train.size(), std::size_t{2});
        const auto& second = d.train[0].line == 4 ? d.train[0] : d.train[1];
        QCOMPARE(second.line, std::int64_t{4});
        QCOMPARE(second.source, file.string());
        QCOMPARE(second.metadata, std::string(R"({"backdoor":true,"source":"x"})"));
        QVERIFY(d.promptTemplate.find("{instruction}") != std::string::npos);
        QVERIFY(second.prompt.find("Say [bye].") != std::string::npos);
        QCOMPARE(applyPromptTemplate("A {x} B {{y}}", "t"), std::string("A t B {y}"));
        QCOMPARE(promptFilling(d.promptTemplate, second.prompt), std::string("Say [bye]."));
        QCOMPARE(promptFilling("Q: {q}?", "something else"), std::string("something else"));
        test::writeFile(file, "[{\"instruction\": \"a\", \"output\": \"b\"}, 3]");
        o.strict = true;
        QVERIFY_THROWS_EXCEPTION(FormatError, loadDataset(o));
    }

    // A build stopped after a few batches, then a torn batch (bytes written but
    // never recorded), then resumed, ends equal to one uninterrupted build.
    void resumedBuildEqualsOneBuild()
    {
        const auto whole = buildGradientCache(buildOptions("whole.db"));
        QCOMPARE(whole.info.examples, std::int64_t{20});
        QVERIFY(whole.info.complete());
        QCOMPARE(whole.info.metadataKeys, std::vector<std::string>{"backdoor"});

        auto o = buildOptions("resumed.db");
        std::stop_source stop;
        StopAfter sink(stop, 6);
        QVERIFY_THROWS_EXCEPTION(Cancelled, buildGradientCache(o, &sink, stop.get_token()));
        const auto partial = readCacheInfo(o.out);
        QCOMPARE(partial.cached, std::int64_t{6});
        QVERIFY(!partial.complete());
        {
            std::ofstream torn(influence::GradientCache::vectorsPath(o.out), std::ios::app | std::ios::binary);
            torn << std::string(100, 'x');
        }
        const auto resumed = buildGradientCache(o);
        QCOMPARE(resumed.resumed, std::int64_t{6});
        QCOMPARE(resumed.computed, std::int64_t{14});
        QVERIFY(resumed.info.complete());
        QVERIFY(vectorBytes(o.out) == vectorBytes(whole.info.file));
        QCOMPARE(fs::file_size(resumed.info.vectorsFile), fs::file_size(whole.info.vectorsFile));
        // A complete cache is not computed again.
        QCOMPARE(buildGradientCache(o).computed, std::int64_t{0});
    }

    // Other settings or another model are refused, naming what differs; a file
    // that is not a cache is left untouched unless overwrite is given.
    void mismatchesAreRefusedByName()
    {
        const auto o = buildOptions("whole.db");
        auto otherK = o;
        otherK.gradient.k = 32;
        try {
            buildGradientCache(otherK);
            QFAIL("a cache of another K was reused");
        } catch (const InvalidArgument& e) {
            QVERIFY2(std::string(e.what()).find("K: cached \"64\", now \"32\"") != std::string::npos, e.what());
        }
        test::SampleCheckpoint other(SampleModelSpec{.seed = 9});
        InfluenceModel m;
        m.dir = other.dir();
        m.mask = m_mask;
        m.groupSize = 8;
        try {
            Attributor::open(m, o.out);
            QFAIL("a cache of another model was opened");
        } catch (const InvalidArgument& e) {
            QVERIFY2(std::string(e.what()).find("model weights") != std::string::npos, e.what());
        }
        auto foreign = buildOptions("foreign.db");
        test::writeFile(foreign.out, "my notes\n");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, buildGradientCache(foreign));
        QCOMPARE(test::readFile(foreign.out), std::string("my notes\n"));
        foreign.overwrite = true;
        QVERIFY(buildGradientCache(foreign).info.complete());
        QVERIFY_THROWS_EXCEPTION(FormatError, readCacheInfo(m_data));
    }

    // A training example used as the query ranks itself first: with per-tensor
    // unit vectors its score is the number of tensors, the largest possible.
    // Token shares sum to the score; a saved query reopens with the same ranking.
    void attributionFindsTheExampleItselfAndExplainsIt()
    {
        auto o = buildOptions("exact.db");
        o.gradient.exact = true;
        const auto built = buildGradientCache(o);
        InfluenceModel m = o.model;
        auto a = Attributor::open(m, o.out);
        const auto ex = a->example(7);
        InfluenceQuery q;
        q.prompt = ex.prompt;
        q.rawPrompt = true;
        q.response = ex.response;
        q.top = 3;
        const auto r = a->attribute(q);
        QCOMPARE(r.helpful.front().example.id, std::int64_t{7});
        QCOMPARE(r.scores.size(), std::size_t{20});
        QVERIFY(!built.info.compressed);
        const double tensors = 14.0; // 2 layers × 7 projections, each holding entries of S
        QVERIFY2(std::abs(r.helpful.front().score - tensors) < 0.05,
                 qPrintable(QString::number(r.helpful.front().score)));
        QVERIFY(r.opposing.front().score <= r.helpful.back().score);
        QCOMPARE(r.tokenScores.size(), r.responseTokens.size());
        QCOMPARE(r.columnIds.size(), std::size_t{6});
        QCOMPARE(r.tokenScores.front().size(), std::size_t{6});
        QVERIFY(r.queryId > 0);

        const auto detail = a->exampleTokens(r.queryId, 7);
        QCOMPARE(detail.tokenScores.size(), detail.tokens.size());
        QVERIFY2(std::abs(detail.tokenSum - detail.score) < 1e-2 * (1 + std::abs(detail.score)),
                 qPrintable(QStringLiteral("%1 vs %2").arg(detail.tokenSum).arg(detail.score)));
        QVERIFY(std::abs(detail.score - r.helpful.front().score) < 1e-3 * tensors);

        const auto again = a->reopen(r.queryId, 3);
        QCOMPARE(again.helpful.front().example.id, std::int64_t{7});
        QCOMPARE(again.scores, r.scores);
        QCOMPARE(again.tokenScores, r.tokenScores);
        QCOMPARE(a->savedQueries().size(), std::size_t{1});

        q.spanBegin = 2;
        q.spanEnd = 1;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, a->attribute(q));
        q.spanBegin = -1;
        q.spanEnd = -1;
        q.response.clear();
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, a->attribute(q));
    }
};

QTEST_GUILESS_MAIN(TestInfluence)
#include "test_influence.moc"
