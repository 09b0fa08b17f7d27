// Fine-tuning: the seeded perturbation z, the SPSA estimate, gradients through
// 4-bit matrices, datasets with bad rows, and whole runs on a tiny model —
// bit-exact perturb/unperturb, resume equal to an uninterrupted run, NaN stops,
// exports that evaluate to the reported accuracy.
#include "test_support.h"

#include "model/model_impl.h"
#include "quant/quant_matrix.h"
#include "runtime/counter_rng.h"
#include "zerolens/checkpoint.h"
#include "zerolens/dataset.h"
#include "zerolens/error.h"
#include "zerolens/finetune.h"
#include "zerolens/quantize.h"
#include "zerolens/runs.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path latestCheckpoint(const fs::path& run)
{
    return run / "checkpoints" / test::readFile(run / "checkpoints/latest");
}

// Requests a stop once the metric "loss" of `step` arrives.
class StopAt : public EventSink {
public:
    StopAt(std::stop_source& src, std::int64_t step) : m_src(src), m_step(step) {}
    void metric(const Metric& m) override
    {
        if (m.name == "loss" && m.step == m_step)
            m_src.request_stop();
    }

private:
    std::stop_source& m_src;
    std::int64_t m_step;
};

// Collects warnings.
class Warnings : public EventSink {
public:
    void log(LogLevel level, const std::string& message) override
    {
        if (level == LogLevel::Warning)
            lines.push_back(message);
    }
    std::vector<std::string> lines;
};

} // namespace

class TestFinetune : public QObject {
    Q_OBJECT

private:
    test::SampleCheckpoint m_model;
    QTemporaryDir m_tmp;
    fs::path m_data, m_mask, m_db;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

    FinetuneOptions options(const std::string& out) const
    {
        FinetuneOptions o;
        o.model = m_model.dir();
        o.mask = m_mask;
        o.data.path = m_data;
        o.steps = 8;
        o.batchSize = 4;
        o.learningRate = 1e-3;
        o.evalEvery = 4;
        o.evalBatchSize = 8;
        o.outDir = tmp(out);
        o.runsDatabase = m_db;
        o.exportDense = false;
        return o;
    }

    // The model at `dir` scores the test split as run `r` reported: the same
    // accuracy, and a loss within `tolerance`.
    void verifyScoresLikeRun(const fs::path& dir, const FinetuneResult& r, double tolerance) const
    {
        DatasetOptions d;
        d.path = m_data;
        const auto s = evaluateModel(dir, d, "test", 8);
        QCOMPARE(s.accuracy, r.test.accuracy);
        QVERIFY2(std::abs(s.loss - r.test.loss) < tolerance,
                 (std::to_string(s.loss) + " vs " + std::to_string(r.test.loss)).c_str());
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_data = tmp("data");
        test::writeClassifyDataset(m_data, 16);
        m_mask = tmp("random.mask");
        SensitivityOptions so;
        so.rule = MaskRule::Random;
        so.fraction = 0.02;
        saveMask(computeSensitivityMask(m_model.dir(), so), m_mask);
        m_db = tmp("runs.sqlite");
    }

    // z for (key, i) is a pure function: the same with 1 or 2 threads, in any
    // order, and N(0, 1) in distribution (mean and variance within 4 standard errors).
    void normalIsSeededAndThreadIndependent()
    {
        constexpr std::int64_t n = 200000;
        const auto key = runtime::counterKey(42, 7, 0);
        std::vector<float> a(n, 0.0f), b(n, 0.0f);
        setThreadCount(1);
        runtime::addScaledNormal(key, 0, 1.0f, a.data(), n);
        setThreadCount(2);
        // Second half first, in chunks: order and partition must not matter.
        runtime::addScaledNormal(key, n / 2, 1.0f, b.data() + n / 2, n / 2);
        runtime::addScaledNormal(key, 0, 1.0f, b.data(), n / 2);
        setThreadCount(0);
        QVERIFY(a == b);
        double mean = 0.0, sq = 0.0;
        for (const float v : a) {
            mean += v;
            sq += static_cast<double>(v) * v;
        }
        mean /= n;
        const double var = sq / n - mean * mean;
        QVERIFY2(std::abs(mean) < 4.0 / std::sqrt(static_cast<double>(n)), qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(var - 1.0) < 4.0 * std::sqrt(2.0 / n), qPrintable(QString::number(var)));
        QVERIFY(runtime::standardNormal(runtime::counterKey(42, 8, 0), 0) != a[0]);
    }

    // SPSA on L(θ) = ½ Σ a_i θ_i²: E[(L(θ+εz) − L(θ−εz)) / 2ε · z] = ∇L = a ⊙ θ
    // (MeZO Lemma 2: the estimate is unbiased for a quadratic). 40k draws; the
    // tolerance is 4 standard errors of the mean of g·z_i.
    void spsaMatchesTheGradientInExpectation()
    {
        const std::vector<double> a{1.0, 3.0, 0.5, 2.0}, theta{0.7, -0.2, 1.5, 0.4};
        auto loss = [&](const std::vector<double>& t) {
            double l = 0.0;
            for (std::size_t i = 0; i < t.size(); ++i)
                l += 0.5 * a[i] * t[i] * t[i];
            return l;
        };
        constexpr int draws = 40000;
        const double eps = 1e-3;
        std::vector<double> mean(4, 0.0), sq(4, 0.0);
        for (int s = 0; s < draws; ++s) {
            const auto key = runtime::counterKey(3, static_cast<std::uint64_t>(s));
            std::vector<double> z(4), plus(theta), minus(theta);
            for (std::size_t i = 0; i < 4; ++i) {
                z[i] = runtime::standardNormal(key, i);
                plus[i] += eps * z[i];
                minus[i] -= eps * z[i];
            }
            const double g = (loss(plus) - loss(minus)) / (2 * eps);
            for (std::size_t i = 0; i < 4; ++i) {
                mean[i] += g * z[i] / draws;
                sq[i] += g * z[i] * g * z[i] / draws;
            }
        }
        for (std::size_t i = 0; i < 4; ++i) {
            const double se = std::sqrt((sq[i] - mean[i] * mean[i]) / draws);
            QVERIFY2(
                std::abs(mean[i] - a[i] * theta[i]) < 4 * se,
                qPrintable(
                    QStringLiteral("entry %1: %2 vs %3 (se %4)").arg(i).arg(mean[i]).arg(a[i] * theta[i]).arg(se)));
        }
    }

    // The gradient through a 4-bit matrix (panel products, no float copy of W)
    // equals autograd through the explicit dense-and-sparse matrix.
    void gradientThroughQuantMatrixMatchesDense()
    {
        at::manual_seed(5);
        const auto w = at::randn({48, 40});
        const auto idx = at::tensor(std::vector<std::int64_t>{3, 77, 500, 1201, 1919}, at::kLong);
        auto q = quant::quantize(w, quant::Format::Int4, 8, idx);
        q.sparseValues = q.sparseValues.clone().set_requires_grad(true);
        const auto x = at::randn({6, 40}).set_requires_grad(true);
        const auto r = at::randn({6, 48});
        (quant::linear(x, q) * r).sum().backward();

        quant::QuantMatrix frozen = q;
        frozen.sparseIndices = at::empty({0}, at::kLong);
        const auto base = quant::dequantize(frozen);
        const auto values = q.sparseValues.detach().clone().set_requires_grad(true);
        const auto x2 = x.detach().clone().set_requires_grad(true);
        const auto dense = base.reshape({-1}).index_add(0, idx, values).reshape({48, 40});
        (at::matmul(x2, dense.t()) * r).sum().backward();
        QVERIFY(at::allclose(q.sparseValues.grad(), values.grad(), 1e-4, 1e-5));
        QVERIFY(at::allclose(x.grad(), x2.grad(), 1e-4, 1e-5));
    }

    void datasetReportsBadRowsWithFileAndLine()
    {
        const auto dir = tmp("bad-data");
        test::writeClassifyDataset(dir, 6);
        test::writeFile(dir / "train.jsonl", "{\"text\": \"one\", \"label\": \"small\"}\n"
                                             "not json\n"
                                             "{\"text\": \"two\", \"label\": \"huge\"}\n"
                                             "{\"label\": \"small\"}\n"
                                             "{\"text\": \"three\", \"label\": 1}\n");
        DatasetOptions o;
        o.path = dir;
        const auto d = loadDataset(o);
        QCOMPARE(d.train.size(), std::size_t{2});
        QCOMPARE(d.train[1].label, 1); // an index is accepted for a label
        QCOMPARE(d.train[0].prompt, std::string("one It is"));
        QCOMPARE(d.warnings.size(), std::size_t{3});
        QVERIFY(d.warnings[0].find("train.jsonl:2") != std::string::npos);
        QVERIFY(d.warnings[1].find("train.jsonl:3") != std::string::npos);
        QVERIFY(d.warnings[1].find("huge") != std::string::npos);
        QVERIFY(d.warnings[2].find("train.jsonl:4") != std::string::npos);
        o.strict = true;
        QVERIFY_THROWS_EXCEPTION(FormatError, loadDataset(o));
    }

    void datasetReadsCsvTsvAndAlpaca()
    {
        const auto csv = tmp("rows.csv");
        test::writeFile(csv, "sentence,label\n\"A cat, small\",no\n\"He said \"\"hi\"\"\",yes\nonly one field\n");
        DatasetOptions o;
        o.path = csv;
        o.taskGiven = true;
        o.task.promptTemplate = "{sentence} Answer:";
        o.task.labels = {"no", "yes"};
        o.devFraction = 0;
        o.testFraction = 0;
        const auto d = loadDataset(o);
        QCOMPARE(d.train.size(), std::size_t{2});
        QCOMPARE(d.warnings.size(), std::size_t{1});
        QVERIFY(d.warnings[0].find("rows.csv:4") != std::string::npos);
        QCOMPARE(d.task.labelWords[1], std::string(" yes")); // default label words
        std::set<std::string> prompts{d.train[0].prompt, d.train[1].prompt};
        QVERIFY(prompts.count("A cat, small Answer:"));
        QVERIFY(prompts.count("He said \"hi\" Answer:"));

        const auto alpaca = tmp("alpaca.jsonl");
        std::string rows;
        for (int i = 0; i < 20; ++i)
            rows += json{{"instruction", "Say " + std::to_string(i)}, {"input", i % 2 ? "x" : ""}, {"output", "ok"}}
                        .dump() +
                    "\n";
        test::writeFile(alpaca, rows);
        DatasetOptions g;
        g.path = alpaca;
        g.taskGiven = true;
        g.task.kind = TaskKind::Generate;
        g.splitSeed = 9;
        const auto a = loadDataset(g);
        QCOMPARE(a.train.size() + a.dev.size() + a.test.size(), std::size_t{20});
        QCOMPARE(a.dev.size(), std::size_t{2});
        QVERIFY(a.train[0].prompt.find("### Instruction:\nSay ") != std::string::npos);
        QCOMPARE(a.train[0].response, std::string("ok"));
        QCOMPARE(loadDataset(g).fingerprint, a.fingerprint); // the split is seeded
        g.splitSeed = 10;
        QVERIFY(loadDataset(g).fingerprint != a.fingerprint);
    }

    // With lr = 0 every step perturbs by +εz, −2εz and restores: S must come back bit for bit.
    void perturbCycleRestoresSExactly()
    {
        auto o = options("lr0");
        o.learningRate = 0.0;
        const auto r = finetune(o);
        QCOMPARE(r.status, std::string("finished"));
        QCOMPARE(r.steps, std::int64_t{8});
        const auto initial = test::tensorData(o.outDir / "checkpoints/initial.safetensors");
        const auto latest = test::tensorData(latestCheckpoint(o.outDir));
        QVERIFY(!initial.empty());
        for (const auto& [name, bytes] : initial)
            QVERIFY2(latest.at(name) == bytes, name.c_str());
    }

    // Stopped at step 6, resumed: the values and the metric history equal those of an uninterrupted run.
    void resumeEqualsUninterrupted()
    {
        const auto whole = options("whole");
        const auto full = finetune(whole);
        QVERIFY(full.trainableParameters > 0);

        auto split = options("split");
        std::stop_source src;
        StopAt stopper(src, 6);
        QVERIFY_THROWS_EXCEPTION(Cancelled, finetune(split, &stopper, src.get_token()));
        RunDatabase db(m_db);
        const auto cancelled = db.findByDir(split.outDir);
        QVERIFY(cancelled);
        QCOMPARE(cancelled->status, std::string("cancelled"));
        const auto resumed = finetune(split);
        QCOMPARE(resumed.resumedFrom, std::int64_t{6});
        QCOMPARE(resumed.steps, std::int64_t{8});

        QVERIFY(test::tensorData(latestCheckpoint(whole.outDir)) == test::tensorData(latestCheckpoint(split.outDir)));
        QCOMPARE(resumed.test.accuracy, full.test.accuracy);
        const auto a = db.metrics(full.runId, "loss");
        const auto b = db.metrics(resumed.runId, "loss");
        QCOMPARE(a.size(), std::size_t{8});
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].step, a[i].step);
            QCOMPARE(b[i].value, a[i].value);
        }
        QCOMPARE(db.find(resumed.runId)->status, std::string("finished"));
    }

    // A model already in memory (the GUI's) is trained as a copy: the run equals
    // one that reads the folder, and the loaded model's S is left as it was.
    void aLoadedModelIsCopiedAndLeftUnchanged()
    {
        QuantizeOptions qo;
        qo.mask = m_mask;
        qo.groupSize = 16;
        quantizeModel(m_model.dir(), tmp("q4"), qo);
        const std::shared_ptr<const Model> loaded = Model::load(tmp("q4"));
        auto sparseValues = [&] {
            std::vector<at::Tensor> v;
            for (const auto& L : loaded->impl().llama.layers)
                for (const auto& q : L.quantized)
                    v.push_back(q->sparseValues.clone());
            return v;
        };
        const auto before = sparseValues();
        auto fromLoaded = options("from-loaded");
        fromLoaded.model = tmp("q4");
        fromLoaded.mask.clear();
        fromLoaded.loaded = loaded;
        auto fromDisk = fromLoaded;
        fromDisk.loaded.reset();
        fromDisk.outDir = tmp("from-disk");
        const auto a = finetune(fromLoaded);
        const auto b = finetune(fromDisk);
        QVERIFY(test::tensorData(latestCheckpoint(fromLoaded.outDir)) ==
                test::tensorData(latestCheckpoint(fromDisk.outDir)));
        QCOMPARE(a.test.loss, b.test.loss);
        const auto after = sparseValues();
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY(at::equal(before[i], after[i]));
        // First-order training takes gradients on the copy.
        fromLoaded.method = FinetuneMethod::FirstOrder;
        fromLoaded.outDir = tmp("fo-from-loaded");
        QCOMPARE(finetune(fromLoaded).status, std::string("finished"));
        for (std::size_t i = 0; i < before.size(); ++i)
            QVERIFY(at::equal(before[i], sparseValues()[i]));
    }

    void otherSettingsInTheSameFolderAreRefused()
    {
        auto o = options("whole");
        o.learningRate = 5e-3;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, finetune(o));
    }

    // lr = 0: the dev score never improves, so early stopping ends the run at the
    // first evaluation after step 0; a loss that never moves is reported in plain words.
    void earlyStopAndFlatLossWarning()
    {
        auto o = options("early");
        o.learningRate = 0.0;
        o.earlyStopEvals = 1;
        const auto r = finetune(o);
        QCOMPARE(r.status, std::string("early-stopped"));
        QCOMPARE(r.steps, std::int64_t{4});
        QCOMPARE(r.bestStep, std::int64_t{0});

        auto flat = options("flat");
        flat.learningRate = 0.0;
        flat.steps = 210;
        flat.evalEvery = 1000;
        Warnings warnings;
        finetune(flat, &warnings);
        QCOMPARE(warnings.lines.size(), std::size_t{1});
        QVERIFY2(warnings.lines[0].find("hardly moved") != std::string::npos &&
                     warnings.lines[0].find("larger learning rate") != std::string::npos,
                 warnings.lines[0].c_str());
    }

    void divergingLossStopsWithTheLastGoodCheckpoint()
    {
        auto o = options("diverge");
        o.learningRate = 1e30;
        o.epsilon = 1.0;
        const auto r = finetune(o);
        QCOMPARE(r.status, std::string("diverged"));
        QVERIFY(r.steps < 8);
        RunDatabase db(m_db);
        QCOMPARE(db.find(r.runId)->status, std::string("diverged"));
        // The checkpoint holds finite values.
        for (const auto& [name, bytes] : test::tensorData(latestCheckpoint(o.outDir))) {
            const auto* f = reinterpret_cast<const float*>(bytes.data());
            for (std::size_t i = 0; i < bytes.size() / 4; ++i)
                QVERIFY(std::isfinite(f[i]));
        }
    }

    // Dense MeZO and first-order AdamW run through the same loop; FO lowers the training loss.
    void baselinesRun()
    {
        auto dense = options("dense");
        dense.mask.clear();
        dense.method = FinetuneMethod::DenseZo;
        dense.learningRate = 1e-5;
        const auto d = finetune(dense);
        QCOMPARE(d.status, std::string("finished"));
        QVERIFY(d.trainableParameters > 10000);

        auto fo = options("fo");
        fo.method = FinetuneMethod::FirstOrder;
        fo.learningRate = 1e-2;
        fo.steps = 12;
        const auto f = finetune(fo);
        QCOMPARE(f.status, std::string("finished"));
        RunDatabase db(m_db);
        const auto loss = db.metrics(f.runId, "loss_avg");
        QVERIFY(!loss.empty());
        const auto grad = db.metrics(f.runId, "grad_norm");
        QVERIFY(!grad.empty() && grad.front().value > 0);

        auto zero = options("zero");
        zero.method = FinetuneMethod::ZeroShot;
        const auto z = finetune(zero);
        QCOMPARE(z.steps, std::int64_t{0});
        QVERIFY(z.test.accuracy >= 0);
    }

    // The dense export is a Hugging Face folder that evaluates to the accuracy the run reported.
    void exportsEvaluateToTheReportedAccuracy()
    {
        auto o = options("exported");
        o.exportDense = true;
        o.exportDtype = "F32";
        const auto r = finetune(o);
        QVERIFY(fs::exists(o.outDir / "model/model.safetensors"));
        QVERIFY(!fs::exists(o.outDir / "model/config.json") ||
                test::readFile(o.outDir / "model/config.json").find("quantization_config") == std::string::npos);
        // The run evaluated its 4-bit model with int8 activations (cpu::Int8Rows), the dense
        // export in float: measured 0.0015 nats apart on this model.
        verifyScoresLikeRun(o.outDir / "model", r, 1e-2);

        ExportOptions q;
        q.kind = ExportKind::Quantized;
        exportRun(o.outDir, tmp("exported-4bit"), q);
        verifyScoresLikeRun(tmp("exported-4bit"), r, 1e-4);

        ExportOptions delta;
        delta.kind = ExportKind::SparseDelta;
        exportRun(o.outDir, tmp("delta.safetensors"), delta);
        const auto t = test::tensorData(tmp("delta.safetensors"));
        QVERIFY(!t.empty());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, exportRun(o.outDir, tmp("delta.safetensors"), delta));
    }

    // A 4-bit folder with 8-bit embeddings and lm_head: SensZOQ trains its S,
    // first-order training backpropagates through the 8-bit lm_head's panels,
    // and both exports keep what the run evaluated.
    void int8EmbeddingFolderTrainsAndExports()
    {
        QuantizeOptions qo;
        qo.groupSize = 32;
        qo.mask = m_mask;
        qo.embeddingFormat = "int8";
        quantizeModel(m_model.dir(), tmp("q8"), qo);

        auto o = options("q8-run");
        o.model = tmp("q8");
        o.mask.clear();
        o.exportDense = true;
        o.exportDtype = "F32";
        const auto r = finetune(o);
        QCOMPARE(r.status, std::string("finished"));
        verifyScoresLikeRun(o.outDir / "model", r, 1e-2);
        QVERIFY(test::tensorData(o.outDir / "model/model.safetensors").count("model.embed_tokens.weight"));

        ExportOptions q;
        q.kind = ExportKind::Quantized;
        exportRun(o.outDir, tmp("q8-exported"), q);
        const auto info = inspectCheckpoint(tmp("q8-exported"));
        QCOMPARE(info.config.quantization.embeddingFormat, std::string("int8"));
        QCOMPARE(info.int8Bytes, inspectCheckpoint(tmp("q8")).int8Bytes);
        verifyScoresLikeRun(tmp("q8-exported"), r, 1e-4);

        auto fo = options("q8-fo");
        fo.model = tmp("q8");
        fo.mask.clear();
        fo.method = FinetuneMethod::FirstOrder;
        fo.learningRate = 1e-2;
        const auto f = finetune(fo);
        QCOMPARE(f.status, std::string("finished"));
        const auto grad = RunDatabase(m_db).metrics(f.runId, "grad_norm");
        QVERIFY(!grad.empty() && std::isfinite(grad.front().value) && grad.front().value > 0);
    }
};

QTEST_GUILESS_MAIN(TestFinetune)
#include "test_finetune.moc"
