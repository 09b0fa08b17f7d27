// The fine-tuning loop (see zerolens/finetune.h): zeroth-order SGD with MeZO's
// SPSA estimate on S or on every weight, first-order AdamW on S, evaluation,
// checkpoints that resume exactly, and the run database.
#include "zerolens/finetune.h"

#include "io/text_file.h"
#include "runtime/counter_rng.h"
#include "runtime/progress_reporter.h"
#include "tune/adamw.h"
#include "tune/lr_schedule.h"
#include "tune/run_folder.h"
#include "tune/task_loss.h"
#include "tune/tuned_model.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/runs.h"
#include "zerolens/runtime.h"

#include <chrono>
#include <cmath>
#include <random>

namespace zl {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string methodName(FinetuneMethod m)
{
    switch (m) {
    case FinetuneMethod::SparseZo:
        return "sparse-zo";
    case FinetuneMethod::DenseZo:
        return "dense-zo";
    case FinetuneMethod::FirstOrder:
        return "fo";
    case FinetuneMethod::ZeroShot:
        return "zero-shot";
    }
    return "sparse-zo";
}

FinetuneMethod methodFromName(const std::string& name)
{
    for (auto m :
         {FinetuneMethod::SparseZo, FinetuneMethod::DenseZo, FinetuneMethod::FirstOrder, FinetuneMethod::ZeroShot})
        if (methodName(m) == name)
            return m;
    throw InvalidArgument("unknown method '" + name + "' (expected sparse-zo, dense-zo, fo or zero-shot)");
}

double defaultLearningRate(FinetuneMethod m)
{
    switch (m) {
    case FinetuneMethod::SparseZo:
    case FinetuneMethod::FirstOrder:
        return 1e-3;
    case FinetuneMethod::DenseZo:
        return 1e-5; // |z| grows with √d: a step over every weight must be ~100× smaller
    case FinetuneMethod::ZeroShot:
        break;
    }
    return 0.0;
}

namespace tune {

namespace {

constexpr double kEmaBeta = 0.95; // loss_avg: about the last 20 steps

// The dev score a run keeps the best of: accuracy (loss breaks ties), or −loss.
double scoreOf(const SplitScore& s)
{
    return s.accuracy >= 0 ? s.accuracy - 1e-6 * s.loss : -s.loss;
}

// Forwards every metric to the caller's sink and into the run database.
class RecordingSink : public EventSink {
public:
    RecordingSink(EventSink* inner, MetricWriter& writer, const double& elapsed)
        : m_inner(inner), m_writer(writer), m_elapsed(elapsed)
    {
    }
    void progress(const Progress& p) override
    {
        if (m_inner)
            m_inner->progress(p);
    }
    void metric(const Metric& m) override
    {
        m_writer.add({m.name, m.step, m.value, m_elapsed});
        if (m_inner)
            m_inner->metric(m);
    }
    void log(LogLevel level, const std::string& message) override
    {
        if (m_inner)
            m_inner->log(level, message);
    }

private:
    EventSink* m_inner;
    MetricWriter& m_writer;
    const double& m_elapsed;
};

class Finetuner {
public:
    /// `finalDir` is where the run folder ends up (o.outDir may be its staging folder).
    Finetuner(const FinetuneOptions& o, fs::path finalDir, EventSink* sink, std::stop_token stop,
              const DatasetPreview& preview);
    FinetuneResult run();

private:
    std::vector<const EncodedExample*> batchAt(std::int64_t step);
    double zoStep(std::int64_t step, double lr, double& projected, bool& finite);
    double foStep(std::int64_t step, double lr, double& gradNorm, bool& finite);
    double trainLoss(const std::vector<const EncodedExample*>& batch);
    void evaluate(std::int64_t step);
    void recordEval(std::int64_t step, const SplitScore& score);
    void checkpoint();
    void watchLoss(std::int64_t step, double loss);
    json identity() const;
    json publicOptions() const;
    json summary(const std::string& status) const;

    FinetuneOptions m_o;
    fs::path m_finalDir;
    EventSink* m_outer;
    std::stop_token m_stop;
    Dataset m_data;
    TunedModel m_tuned;
    EncodedTask m_task;
    std::vector<EncodedExample> m_train, m_dev, m_test;
    RunFolder m_folder;
    std::unique_ptr<AdamW> m_adam;
    std::vector<at::Tensor> m_m, m_v; // AdamW moments (first-order only)
    LoopState m_state;
    std::int64_t m_startStep = 0;
    std::int64_t m_permEpoch = -1;
    std::vector<std::size_t> m_perm;
    std::unique_ptr<RunDatabase> m_db;
    std::int64_t m_runId = 0;
    std::unique_ptr<MetricWriter> m_writer;
    std::unique_ptr<RecordingSink> m_sink;
    double m_windowSum = 0.0; // loss over the current window of watchLoss
    std::int64_t m_windowSteps = 0;
    double m_previousWindowMean = -1.0;
};

Finetuner::Finetuner(const FinetuneOptions& o, fs::path finalDir, EventSink* sink, std::stop_token stop,
                     const DatasetPreview& preview)
    : m_o(o), m_finalDir(fs::absolute(finalDir)), m_outer(sink), m_stop(std::move(stop)), m_folder(o.outDir)
{
    if (o.steps < 0 || o.batchSize < 1 || o.evalEvery < 1 || o.evalBatchSize < 1 || o.perturbations < 1 ||
        o.earlyStopEvals < 0)
        throw InvalidArgument("steps must be >= 0; batch size, eval interval, eval batch and perturbations >= 1");
    if (!(o.learningRate >= 0) || !std::isfinite(o.learningRate) || !(o.epsilon > 0) || !std::isfinite(o.epsilon) ||
        !(o.weightDecay >= 0) || !(o.gradClip >= 0) || !(o.beta1 >= 0 && o.beta1 < 1) ||
        !(o.beta2 >= 0 && o.beta2 < 1) || !(o.adamEpsilon > 0))
        throw InvalidArgument(
            "learning rate, weight decay and clip must be finite and >= 0, epsilon > 0, betas in [0, 1)");
    if (o.exportDtype != "BF16" && o.exportDtype != "F32")
        throw InvalidArgument("export dtype must be BF16 or F32");
    m_data = loadDataset(o.data);
    if (preview)
        preview(m_data);
    if (m_outer)
        for (const auto& w : m_data.warnings)
            m_outer->log(LogLevel::Warning, w);
    m_tuned = prepareTunedModel(o, o.method == FinetuneMethod::FirstOrder, m_outer, m_stop);
    const auto& tok = m_tuned.model->tokenizer();
    const auto ctx = m_tuned.model->config().maxPositionEmbeddings;
    m_task = encodeTask(m_data.task, tok, std::min(o.maxLength, ctx));
    m_train = encodeExamples(m_data.train, tok);
    m_dev = encodeExamples(m_data.dev, tok);
    m_test = encodeExamples(m_data.test, tok);
    if (o.method == FinetuneMethod::FirstOrder) {
        std::vector<at::Tensor> params;
        for (const auto& b : m_tuned.values.blocks()) {
            auto v = b.values;
            v.set_requires_grad(true);
            params.push_back(v);
        }
        m_adam = std::make_unique<AdamW>(params, std::vector<bool>(params.size(), true),
                                         AdamWSettings{o.beta1, o.beta2, o.adamEpsilon, o.weightDecay});
    }
}

json Finetuner::publicOptions() const
{
    auto o = m_o;
    o.outDir = m_finalDir;
    return optionsToJson(o);
}

json Finetuner::identity() const
{
    // What must match for a checkpoint to continue this run; steps, eval cadence,
    // names, paths and the device may change on resume.
    static const char* const kFixed[] = {"method",  "batch_size",    "learning_rate", "schedule",
                                         "epsilon", "perturbations", "weight_decay",  "grad_clip",
                                         "beta1",   "beta2",         "adam_epsilon",  "seed"};
    const auto all = optionsToJson(m_o);
    json id{{"model_id", m_tuned.modelId},
            {"mask", m_tuned.maskHash},
            {"data", m_data.fingerprint},
            {"max_length", m_task.maxLength}};
    for (const char* key : kFixed)
        id[key] = all.at(key);
    return id;
}

// The batch of a step is a pure function of (seed, step): a resumed run sees
// exactly the batches the interrupted one would have.
std::vector<const EncodedExample*> Finetuner::batchAt(std::int64_t step)
{
    const auto n = static_cast<std::int64_t>(m_train.size());
    std::vector<const EncodedExample*> batch;
    for (std::int64_t b = 0; b < m_o.batchSize; ++b) {
        const std::int64_t g = step * m_o.batchSize + b;
        const std::int64_t epoch = g / n;
        if (epoch != m_permEpoch) {
            m_perm.resize(static_cast<std::size_t>(n));
            for (std::size_t i = 0; i < m_perm.size(); ++i)
                m_perm[i] = i;
            std::mt19937_64 rng(runtime::counterKey(m_o.seed, static_cast<std::uint64_t>(epoch), 0xda7a));
            for (std::size_t i = m_perm.size(); i > 1; --i)
                std::swap(m_perm[i - 1], m_perm[static_cast<std::size_t>(rng() % i)]);
            m_permEpoch = epoch;
        }
        batch.push_back(&m_train[m_perm[static_cast<std::size_t>(g % n)]]);
    }
    return batch;
}

double Finetuner::trainLoss(const std::vector<const EncodedExample*>& batch)
{
    return batchLoss(m_tuned.llama(), m_task, batch).loss.item<double>();
}

// SPSA (MeZO Alg. 1): g = (L(θ+εz) − L(θ−εz)) / 2ε, θ ← θ − lr·(g·z + wd·θ),
// with z regenerated from (seed, step, k) instead of stored.
double Finetuner::zoStep(std::int64_t step, double lr, double& projected, bool& finite)
{
    c10::InferenceMode inference;
    auto& values = m_tuned.values;
    const auto batch = batchAt(step);
    const float eps = static_cast<float>(m_o.epsilon);
    const bool sparse = m_o.method == FinetuneMethod::SparseZo;
    // S is small: restoring a copy makes the perturb/unperturb cycle bit-exact.
    // Dense MeZO undoes in place instead (a copy of every weight would double memory).
    std::vector<at::Tensor> saved;
    if (sparse)
        saved = values.snapshot();
    std::vector<double> g(static_cast<std::size_t>(m_o.perturbations));
    double lossSum = 0.0;
    finite = true;
    for (int k = 0; k < m_o.perturbations; ++k) {
        const auto key = runtime::counterKey(m_o.seed, static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(k));
        values.addNormal(key, eps);
        const double plus = trainLoss(batch);
        values.addNormal(key, -2.0f * eps);
        const double minus = trainLoss(batch);
        if (sparse)
            values.restore(saved);
        else
            values.addNormal(key, eps);
        if (!std::isfinite(plus) || !std::isfinite(minus)) {
            finite = false;
            return plus + minus;
        }
        double gk = (plus - minus) / (2.0 * m_o.epsilon);
        if (m_o.gradClip > 0)
            gk = std::clamp(gk, -m_o.gradClip, m_o.gradClip);
        g[static_cast<std::size_t>(k)] = gk;
        lossSum += 0.5 * (plus + minus);
    }
    if (m_o.weightDecay > 0)
        values.scale(static_cast<float>(1.0 - lr * m_o.weightDecay));
    double mean = 0.0;
    for (int k = 0; k < m_o.perturbations; ++k) {
        const auto key = runtime::counterKey(m_o.seed, static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(k));
        values.addNormal(key, static_cast<float>(-lr * g[static_cast<std::size_t>(k)] / m_o.perturbations));
        mean += g[static_cast<std::size_t>(k)] / m_o.perturbations;
    }
    projected = mean;
    return lossSum / m_o.perturbations;
}

double Finetuner::foStep(std::int64_t step, double lr, double& gradNorm, bool& finite)
{
    const auto batch = batchAt(step);
    auto r = batchLoss(m_tuned.llama(), m_task, batch);
    const double loss = r.loss.item<double>();
    finite = std::isfinite(loss);
    if (!finite)
        return loss;
    r.loss.backward();
    gradNorm = m_adam->gradientNorm();
    if (!std::isfinite(gradNorm)) {
        finite = false;
        return loss;
    }
    const double scale = m_o.gradClip > 0 && gradNorm > m_o.gradClip ? m_o.gradClip / (gradNorm + 1e-12) : 1.0;
    m_adam->step(step, lr, scale);
    return loss;
}

void Finetuner::evaluate(std::int64_t step)
{
    if (!m_dev.empty())
        recordEval(step, evaluateSplit(m_tuned.llama(), m_task, m_dev, m_o.evalBatchSize, m_stop));
}

// Streams a dev evaluation and keeps the values of the best one.
void Finetuner::recordEval(std::int64_t step, const SplitScore& s)
{
    if (s.examples == 0)
        return;
    if (s.accuracy >= 0)
        m_sink->metric({"dev_accuracy", s.accuracy, step});
    m_sink->metric({"dev_loss", s.loss, step}); // last: printers show the evaluation when it arrives
    if (scoreOf(s) > m_state.bestScore) {
        m_state.bestScore = scoreOf(s);
        m_state.bestStep = step;
        m_state.bestDev = s;
        m_state.evalsSinceBest = 0;
        if (m_tuned.values.size() > 0) {
            c10::InferenceMode inference;
            m_folder.saveValues("best", m_tuned.values, {{"step", step}, {"dev", scoreToJson(s)}});
        }
    } else {
        ++m_state.evalsSinceBest;
    }
}

void Finetuner::checkpoint()
{
    if (m_tuned.values.size() == 0)
        return;
    // Metrics first: once a checkpoint exists, a resume never recomputes the
    // steps before it, so their metrics must already be in the database.
    m_writer->flush();
    c10::InferenceMode inference;
    m_folder.saveCheckpoint(m_tuned.values, m_adam ? m_adam->firstMoments() : std::vector<at::Tensor>{},
                            m_adam ? m_adam->secondMoments() : std::vector<at::Tensor>{}, m_state);
    m_db->setProgress(m_runId, m_state.step, summary("running").dump());
}

// Plain-words warnings: a loss that does not move, or one that climbs. Means
// over whole windows of steps, so batch-to-batch noise does not trigger them.
void Finetuner::watchLoss(std::int64_t step, double loss)
{
    const double ema = m_state.emaLoss / m_state.emaWeight;
    if (step == 20)
        m_state.firstEma = ema;
    const std::int64_t window = std::max<std::int64_t>(100, m_o.steps / 5);
    m_windowSum += loss;
    if (++m_windowSteps == window) {
        const double mean = m_windowSum / static_cast<double>(window);
        if (m_previousWindowMean > 0 && !m_state.warnedFlat &&
            std::abs(mean - m_previousWindowMean) < 0.01 * m_previousWindowMean) {
            m_state.warnedFlat = true;
            m_sink->log(
                LogLevel::Warning,
                "The training loss has hardly moved in the last " + std::to_string(2 * window) + " steps (mean " +
                    formatExact(std::round(m_previousWindowMean * 1e4) / 1e4) + " → " +
                    formatExact(std::round(mean * 1e4) / 1e4) + "). Try a 10× larger learning rate" +
                    (m_o.method == FinetuneMethod::FirstOrder ? std::string() : std::string(", or a larger ε")) + ".");
        }
        m_previousWindowMean = mean;
        m_windowSum = 0.0;
        m_windowSteps = 0;
    }
    if (m_state.firstEma > 0 && !m_state.warnedRising && step > 40 && ema > 1.5 * m_state.firstEma) {
        m_state.warnedRising = true;
        m_sink->log(LogLevel::Warning, "The training loss is rising (" +
                                           formatExact(std::round(m_state.firstEma * 1e4) / 1e4) + " → " +
                                           formatExact(std::round(ema * 1e4) / 1e4) +
                                           "). Lower the learning rate (÷10) before the run diverges.");
    }
}

json Finetuner::summary(const std::string& status) const
{
    return {{"status", status},
            {"step", m_state.step},
            {"best_step", m_state.bestStep},
            {"zero_shot_dev", scoreToJson(m_state.zeroShot)},
            {"best_dev", scoreToJson(m_state.bestDev)},
            {"trainable_parameters", m_tuned.values.size()}};
}

FinetuneResult Finetuner::run()
{
    // Resume or start: run.json of the same run continues it.
    const auto id = identity();
    json run;
    bool resuming = false;
    if (m_folder.hasRun()) {
        run = m_folder.readRun();
        if (run.value("identity", json()) != id)
            throw InvalidArgument(m_o.outDir.string() +
                                  " holds a run with other settings (model, mask, data or hyper-parameters); "
                                  "use a new run folder, or --overwrite to start over");
        resuming = true;
    }
    m_db = std::make_unique<RunDatabase>(m_o.runsDatabase.empty() ? RunDatabase::defaultPath() : m_o.runsDatabase);
    std::optional<RunRecord> record;
    if (resuming)
        record = m_db->findByDir(m_finalDir);
    if (!record) {
        RunRecord r;
        r.name = !m_o.runName.empty() ? m_o.runName
                                      : methodName(m_o.method) + " " + taskKindName(m_data.task.kind) + " seed " +
                                            std::to_string(m_o.seed);
        r.dir = m_finalDir;
        r.status = "running";
        r.method = methodName(m_o.method);
        r.task = taskKindName(m_data.task.kind);
        r.configJson = publicOptions().dump();
        r.modelId = m_tuned.modelId;
        r.maskHash = m_tuned.maskHash;
        r.dataHash = m_data.fingerprint;
        r.stepsTotal = m_o.steps;
        r.summaryJson = "{}";
        m_runId = m_db->createRun(r);
    } else {
        m_runId = record->id;
        m_db->markRunning(m_runId, m_o.steps);
    }
    run["identity"] = id;
    run["options"] = publicOptions();
    run["run_id"] = m_runId;
    run["database"] = fs::absolute(m_db->path()).string();
    m_folder.writeRun(run);

    m_writer = std::make_unique<MetricWriter>(*m_db, m_runId);
    m_sink = std::make_unique<RecordingSink>(m_outer, *m_writer, m_state.elapsedSeconds);

    if (m_tuned.values.size() > 0) {
        c10::InferenceMode inference;
        if (!m_folder.hasValues("initial"))
            m_folder.saveValues("initial", m_tuned.values);
    }
    std::optional<LoopState> loaded;
    {
        std::optional<c10::InferenceMode> inference;
        if (!m_adam)
            inference.emplace();
        loaded = m_folder.loadLatest(m_tuned.values, m_adam ? &m_adam->firstMoments() : nullptr,
                                     m_adam ? &m_adam->secondMoments() : nullptr);
    }
    if (loaded) {
        m_state = *loaded;
        m_startStep = m_state.step;
        // Metrics after the checkpoint are recomputed; drop what a killed run flushed of them.
        m_db->truncateMetricsAfter(m_runId, m_startStep);
        m_sink->log(LogLevel::Info, "resuming from step " + std::to_string(m_startStep));
    } else {
        m_db->truncateMetricsAfter(m_runId, -1);
        m_state.zeroShot = evaluateSplit(m_tuned.llama(), m_task, m_dev, m_o.evalBatchSize, m_stop, m_sink.get(),
                                         "Zero-shot evaluation");
        recordEval(0, m_state.zeroShot);
        checkpoint();
    }

    FinetuneResult result;
    result.runId = m_runId;
    result.runDir = m_finalDir;
    result.resumedFrom = m_startStep;
    result.trainableParameters = m_tuned.values.size();
    result.inferenceBytes = m_tuned.model->weightBytes();
    std::string status = "finished";
    runtime::ProgressReporter progress(m_sink.get(), "Fine-tuning", m_o.steps, m_stop, std::chrono::milliseconds(250));
    progress.setResumedFrom(m_startStep);
    const bool trains = m_o.method != FinetuneMethod::ZeroShot;
    // The memory of inference on this model (loaded, after a batched forward): the
    // reference the training's RSS is compared with.
    m_sink->metric({"inference_rss_bytes", static_cast<double>(residentMemoryBytes()), m_startStep});
    auto lastMemory = Clock::now() - std::chrono::seconds(10);
    double stepSecondsSum = 0.0;
    std::int64_t stepsRun = 0;
    try {
        for (std::int64_t step = m_startStep; trains && step < m_o.steps; ++step) {
            if (m_stop.stop_requested()) {
                status = "cancelled";
                break;
            }
            const auto t0 = Clock::now();
            const double lr = learningRate(m_o.schedule, m_o.learningRate, step, m_o.steps);
            double signal = 0.0;
            bool finite = true;
            const double loss = m_o.method == FinetuneMethod::FirstOrder ? foStep(step, lr, signal, finite)
                                                                         : zoStep(step, lr, signal, finite);
            if (!finite) {
                // The values were not updated: the last checkpoint holds the last good state.
                m_sink->log(LogLevel::Warning,
                            "The loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") + " at step " +
                                std::to_string(step + 1) +
                                "; the run stopped and keeps its last good checkpoint. Lower the learning rate"
                                " or ε, or set a gradient clip.");
                status = "diverged";
                break;
            }
            const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
            stepSecondsSum += dt;
            ++stepsRun;
            m_state.step = step + 1;
            m_state.elapsedSeconds += dt;
            m_state.emaLoss = kEmaBeta * m_state.emaLoss + (1 - kEmaBeta) * loss;
            m_state.emaWeight = kEmaBeta * m_state.emaWeight + (1 - kEmaBeta);
            const auto s = step + 1;
            m_sink->metric({"loss", loss, s});
            m_sink->metric({"loss_avg", m_state.emaLoss / m_state.emaWeight, s});
            m_sink->metric({m_o.method == FinetuneMethod::FirstOrder ? "grad_norm" : "projected_grad", signal, s});
            m_sink->metric({"lr", lr, s});
            m_sink->metric({"step_seconds", dt, s});
            if (Clock::now() - lastMemory > std::chrono::seconds(1)) {
                lastMemory = Clock::now();
                m_sink->metric({"rss_bytes", static_cast<double>(residentMemoryBytes()), s});
                m_sink->metric({"peak_rss_bytes", static_cast<double>(peakResidentMemoryBytes()), s});
            }
            watchLoss(s, loss);
            if (s % m_o.evalEvery == 0 || s == m_o.steps) {
                evaluate(s);
                checkpoint();
                if (m_o.earlyStopEvals > 0 && m_state.evalsSinceBest >= m_o.earlyStopEvals && s < m_o.steps) {
                    m_sink->log(LogLevel::Info, "no better dev score in " + std::to_string(m_o.earlyStopEvals) +
                                                    " evaluations: stopping early");
                    status = "early-stopped";
                    break;
                }
            }
            progress.report(s);
        }
        if (status == "cancelled" && m_state.step > m_startStep && m_state.step % m_o.evalEvery != 0)
            checkpoint();

        if (status != "cancelled") {
            // Final results come from the best dev checkpoint.
            if (m_folder.hasValues("best") && m_tuned.values.size() > 0) {
                std::optional<c10::InferenceMode> inference;
                if (!m_adam)
                    inference.emplace();
                c10::NoGradGuard noGrad;
                m_folder.loadValues("best", m_tuned.values);
            }
            result.test = evaluateSplit(m_tuned.llama(), m_task, m_test, m_o.evalBatchSize, m_stop, m_sink.get(),
                                        "Test evaluation");
            if (result.test.accuracy >= 0)
                m_sink->metric({"test_accuracy", result.test.accuracy, m_state.step});
            m_sink->metric({"test_loss", result.test.loss, m_state.step});
            if (m_o.exportDense && trains) {
                runtime::ProgressReporter exporting(m_sink.get(), "Exporting the tuned model", 1, m_stop);
                StagedDirectory staged(m_o.outDir / "model", OutputPolicy{true, {m_o.model}}, "exported model");
                writeDenseModel(m_tuned, staged.path(), m_o.exportDtype);
                staged.commit();
                exporting.update(1);
            }
        }
    } catch (const std::exception& e) {
        m_writer->flush();
        const bool cancelled = dynamic_cast<const Cancelled*>(&e) != nullptr;
        if (!cancelled)
            m_db->finish(m_runId, "failed", summary("failed").dump(), e.what());
        else
            m_db->finish(m_runId, "cancelled", summary("cancelled").dump());
        throw;
    }
    m_writer->flush();
    m_db->setProgress(m_runId, m_state.step, "");
    json final = summary(status);
    final["test"] = scoreToJson(result.test);
    m_db->finish(m_runId, status, final.dump());

    result.status = status;
    result.steps = m_state.step;
    result.bestStep = m_state.bestStep;
    result.zeroShotDev = m_state.zeroShot;
    result.dev = m_state.bestDev;
    result.secondsPerStep = stepsRun > 0 ? stepSecondsSum / static_cast<double>(stepsRun) : 0.0;
    result.peakRssBytes = peakResidentMemoryBytes();
    if (status == "cancelled")
        throw Cancelled();
    return result;
}

} // namespace
} // namespace tune

FinetuneResult finetune(const FinetuneOptions& options, EventSink* sink, std::stop_token stop,
                        const DatasetPreview& preview)
{
    if (options.outDir.empty())
        throw InvalidArgument("no run folder given (--out)");
    // The run folder is new, empty, or a run to resume (its identity is checked).
    // Anything else is refused unless overwrite; then the run is made in a staging
    // folder that replaces the old content when the run ends.
    OutputPolicy policy{options.overwrite, {options.model, options.data.path}};
    if (!options.mask.empty())
        policy.inputs.push_back(options.mask);
    const bool resume = !options.overwrite && fs::is_regular_file(options.outDir / "run.json");
    const auto contents = describeTarget(options.outDir);
    if (resume || !contents.exists || (contents.isDirectory && contents.entries == 0)) {
        checkOutputTarget(options.outDir, OutputPolicy{true, policy.inputs}, OutputKind::Folder, "run folder");
        fs::create_directories(options.outDir);
        tune::Finetuner tuner(options, options.outDir, sink, std::move(stop), preview);
        return tuner.run();
    }
    StagedDirectory staged(options.outDir, policy, "run folder");
    FinetuneOptions inStaging = options;
    inStaging.outDir = staged.path();
    tune::Finetuner tuner(inStaging, options.outDir, sink, std::move(stop), preview);
    auto r = tuner.run();
    staged.commit();
    r.runDir = options.outDir;
    return r;
}

} // namespace zl
