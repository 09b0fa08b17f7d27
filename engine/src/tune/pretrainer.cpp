// First-order (autograd) training of the Llama decoder; see zerolens/training.h.
#include "zerolens/training.h"

#include "io/json_file.h"
#include "io/safetensors.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "model/device.h"
#include "model/llama.h"
#include "runtime/progress_reporter.h"
#include "tune/adamw.h"
#include "tune/lr_schedule.h"
#include "zerolens/atomic_file.h"
#include "zerolens/checkpoint.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/tokenizer.h"

#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace zl {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The architecture file is a config.json without the vocabulary, which comes from the tokenizer.
json architectureJson(const fs::path& file, const Tokenizer& tok)
{
    json j = io::readJsonFile(file, io::kMaxSmallJsonBytes); // bounded depth: j is copied and dumped later
    if (!j.is_object())
        throw FormatError(file.string() + ": expected a JSON object of model sizes");
    if (!j.contains("architectures"))
        j["architectures"] = {"LlamaForCausalLM"};
    if (!j.contains("model_type"))
        j["model_type"] = "llama";
    j["vocab_size"] = tok.vocabSize();
    if (tok.bosId())
        j["bos_token_id"] = *tok.bosId();
    if (tok.eosId())
        j["eos_token_id"] = *tok.eosId();
    return j;
}

// Hugging Face's init: N(0, 0.02) for matrices, ones for norms, zeros for biases;
// drawn on the host from a seeded generator so every libtorch gives the same model.
void initialise(model::Llama& m, std::uint64_t seed)
{
    const auto shapes = expectedTensors(m.config);
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    for (auto& [name, t] : m.namedParameters()) {
        const auto& shape = shapes.at(name);
        std::vector<float> v(static_cast<std::size_t>(elementCount(shape)));
        const bool norm = name.find("norm") != std::string::npos;
        const bool bias = name.find("bias") != std::string::npos;
        for (auto& x : v)
            x = norm ? 1.0f : bias ? 0.0f : normal(rng);
        *t = at::from_blob(v.data(), shape, at::kFloat).clone().to(m.device);
    }
    if (m.config.tieWordEmbeddings)
        m.lmHead = m.embed;
}

std::string tensorBytes(const at::Tensor& t, at::ScalarType dtype)
{
    const auto c = t.detach().to(at::kCPU, dtype).contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

class Trainer {
public:
    Trainer(const PretrainOptions& o, EventSink* sink, std::stop_token stop);
    PretrainResult run();

private:
    at::Tensor batchAt(std::int64_t step, std::int64_t micro);
    at::Tensor windows(const std::vector<std::int64_t>& stream, const std::vector<std::int64_t>& starts) const;
    double lrAt(std::int64_t step) const;
    double evaluate();
    void saveCheckpoint(std::int64_t step, double trainLoss, double evalLoss);
    std::int64_t loadCheckpoint();
    void exportModel() const;
    json runIdentity() const;

    PretrainOptions m_o;
    EventSink* m_sink;
    std::stop_token m_stop;
    Tokenizer m_tok;
    json m_arch;
    ModelConfig m_config;
    at::Device m_device;
    std::unique_ptr<model::Llama> m_model;
    std::vector<std::pair<std::string, at::Tensor*>> m_params;
    std::unique_ptr<tune::AdamW> m_adam;
    std::vector<std::int64_t> m_train, m_held;
    std::int64_t m_windowCount = 0;
    std::int64_t m_permEpoch = -1;
    std::vector<std::int64_t> m_perm;
    std::string m_corpusPrint, m_tokenizerPrint;
};

Trainer::Trainer(const PretrainOptions& o, EventSink* sink, std::stop_token stop)
    : m_o(o), m_sink(sink), m_stop(std::move(stop)), m_tok(Tokenizer::fromFile(o.tokenizer)),
      m_device(model::parseDevice(o.device))
{
    if (o.steps < 1 || o.batchSize < 1 || o.seqLen < 2 || o.gradAccumulation < 1 || o.warmupSteps < 0 ||
        o.evalEvery < 1 || o.checkpointEvery < 1 || o.evalBatches < 1)
        throw InvalidArgument(
            "steps, batch, accumulation, eval and checkpoint intervals must be positive; seq-len at least 2");
    if (!(o.learningRate > 0) || !(o.minLearningRateRatio >= 0 && o.minLearningRateRatio <= 1) || o.weightDecay < 0 ||
        o.clipNorm < 0)
        throw InvalidArgument(
            "learning rate must be positive, min-lr ratio in [0, 1], weight decay and clip norm >= 0");
    if (o.exportDtype != "F32" && o.exportDtype != "BF16")
        throw InvalidArgument("export dtype must be F32 or BF16");
    m_arch = architectureJson(o.architecture, m_tok);
    m_config = ModelConfig::fromJson(m_arch.dump(), o.architecture.string());
    if (o.seqLen > m_config.maxPositionEmbeddings)
        throw InvalidArgument("seq-len " + std::to_string(o.seqLen) + " exceeds max_position_embeddings " +
                              std::to_string(m_config.maxPositionEmbeddings));
    const std::string corpus = io::readTextFile(o.corpus);
    m_corpusPrint = io::fingerprint(corpus);
    m_tokenizerPrint = io::fingerprint(io::readTextFile(o.tokenizer));
    runtime::ProgressReporter tokenizing(sink, "Tokenizing corpus", 1, m_stop);
    m_train = io::encodeDocuments(corpus, m_tok);
    if (!o.heldOut.empty())
        m_held = io::encodeDocuments(io::readTextFile(o.heldOut), m_tok);
    tokenizing.update(1);
    m_windowCount = (static_cast<std::int64_t>(m_train.size()) - 1) / o.seqLen;
    if (m_windowCount < o.batchSize)
        throw InvalidArgument(o.corpus.string() + ": only " + std::to_string(m_train.size()) +
                              " tokens, too few for one batch of " + std::to_string(o.batchSize) + " × " +
                              std::to_string(o.seqLen + 1));
    m_model = std::make_unique<model::Llama>(m_config, m_device, at::kFloat);
    m_model->layers.resize(static_cast<std::size_t>(m_config.numLayers));
    initialise(*m_model, o.seed);
    m_params = m_model->namedParameters();
    std::vector<at::Tensor> tensors;
    std::vector<bool> decay;
    for (auto& [name, t] : m_params) {
        t->set_requires_grad(true);
        tensors.push_back(*t);
        decay.push_back(t->dim() >= 2); // matrices only, not norms
    }
    m_adam =
        std::make_unique<tune::AdamW>(tensors, decay, tune::AdamWSettings{o.beta1, o.beta2, o.epsilon, o.weightDecay});
}

json Trainer::runIdentity() const
{
    return {
        {"architecture", m_arch}, {"corpus", m_corpusPrint}, {"tokenizer", m_tokenizerPrint},       {"seed", m_o.seed},
        {"batch", m_o.batchSize}, {"seq_len", m_o.seqLen},   {"accumulation", m_o.gradAccumulation}};
}

at::Tensor Trainer::windows(const std::vector<std::int64_t>& stream, const std::vector<std::int64_t>& starts) const
{
    const auto len = m_o.seqLen + 1;
    auto ids = at::empty({static_cast<std::int64_t>(starts.size()), len}, at::kLong);
    auto* p = ids.data_ptr<std::int64_t>();
    for (std::size_t b = 0; b < starts.size(); ++b)
        std::copy_n(stream.begin() + starts[b], len, p + static_cast<std::int64_t>(b) * len);
    return ids;
}

// The micro-batch of a step is a pure function of (seed, step, micro), so a
// resumed run sees exactly the batches the interrupted one would have.
at::Tensor Trainer::batchAt(std::int64_t step, std::int64_t micro)
{
    std::vector<std::int64_t> starts;
    for (std::int64_t b = 0; b < m_o.batchSize; ++b) {
        const std::int64_t g = (step * m_o.gradAccumulation + micro) * m_o.batchSize + b;
        const std::int64_t epoch = g / m_windowCount;
        if (epoch != m_permEpoch) {
            m_perm.resize(static_cast<std::size_t>(m_windowCount));
            for (std::int64_t i = 0; i < m_windowCount; ++i)
                m_perm[static_cast<std::size_t>(i)] = i;
            std::mt19937_64 rng(m_o.seed * 1000003ull + static_cast<std::uint64_t>(epoch));
            for (std::size_t i = m_perm.size(); i > 1; --i)
                std::swap(m_perm[i - 1], m_perm[static_cast<std::size_t>(rng() % i)]);
            m_permEpoch = epoch;
        }
        starts.push_back(m_perm[static_cast<std::size_t>(g % m_windowCount)] * m_o.seqLen);
    }
    return windows(m_train, starts);
}

double Trainer::lrAt(std::int64_t step) const
{
    // Linear warm-up, then cosine decay to lr × minLearningRateRatio.
    return tune::learningRate(LrSchedule::Cosine, m_o.learningRate, step, m_o.steps, m_o.warmupSteps,
                              m_o.minLearningRateRatio);
}

at::Tensor lossOf(const model::Llama& m, const at::Tensor& ids)
{
    const auto T = ids.size(1) - 1;
    const auto logits = m.forward(ids.narrow(1, 0, T), at::Tensor(), nullptr);
    const auto target = ids.narrow(1, 1, T).to(logits.device());
    return at::nll_loss(at::log_softmax(logits, -1).reshape({-1, logits.size(-1)}), target.reshape({-1}));
}

double Trainer::evaluate()
{
    const auto available = (static_cast<std::int64_t>(m_held.size()) - 1) / m_o.seqLen;
    if (available < 1)
        return -1.0;
    c10::InferenceMode inference;
    double total = 0.0;
    std::int64_t batches = 0;
    for (std::int64_t b = 0; b < m_o.evalBatches; ++b) {
        std::vector<std::int64_t> starts;
        for (std::int64_t i = 0; i < m_o.batchSize && b * m_o.batchSize + i < available; ++i)
            starts.push_back((b * m_o.batchSize + i) * m_o.seqLen);
        if (starts.empty())
            break;
        total += lossOf(*m_model, windows(m_held, starts)).item<double>();
        ++batches;
    }
    return total / static_cast<double>(batches);
}

void Trainer::exportModel() const
{
    fs::create_directories(m_o.outDir);
    io::SafetensorsWriter w;
    w.setMetadata("format", "pt");
    const auto dtype = m_o.exportDtype == "BF16" ? at::kBFloat16 : at::kFloat;
    for (const auto& [name, t] : m_params)
        w.add(name, m_o.exportDtype, t->sizes().vec(), tensorBytes(*t, dtype));
    w.write(m_o.outDir / "model.safetensors");
    json cfg = m_arch;
    cfg["torch_dtype"] = m_o.exportDtype == "BF16" ? "bfloat16" : "float32";
    writeFileAtomically(m_o.outDir / "config.json", cfg.dump(2));
    writeFileAtomically(m_o.outDir / "tokenizer.json", io::readTextFile(m_o.tokenizer));
    json tc{{"tokenizer_class", "PreTrainedTokenizerFast"}, {"model_max_length", m_config.maxPositionEmbeddings}};
    if (m_tok.bosId())
        tc["bos_token"] = m_tok.token(*m_tok.bosId());
    if (m_tok.eosId())
        tc["eos_token"] = m_tok.token(*m_tok.eosId());
    writeFileAtomically(m_o.outDir / "tokenizer_config.json", tc.dump(2));
}

// A checkpoint is a folder written completely before "latest" names it, so a
// crash at any moment leaves the previous checkpoint intact.
void Trainer::saveCheckpoint(std::int64_t step, double trainLoss, double evalLoss)
{
    const fs::path root = m_o.outDir / "training";
    const std::string name = "checkpoint-" + std::to_string(step);
    const fs::path dir = root / name;
    fs::create_directories(dir);
    io::SafetensorsWriter weights, optimizer;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto& [pname, t] = m_params[i];
        weights.add(pname, "F32", t->sizes().vec(), tensorBytes(*t, at::kFloat));
        optimizer.add("exp_avg." + pname, "F32", t->sizes().vec(), tensorBytes(m_adam->firstMoments()[i], at::kFloat));
        optimizer.add("exp_avg_sq." + pname, "F32", t->sizes().vec(),
                      tensorBytes(m_adam->secondMoments()[i], at::kFloat));
    }
    weights.write(dir / "model.safetensors");
    optimizer.write(dir / "optimizer.safetensors");
    writeFileAtomically(
        dir / "state.json",
        json{{"step", step}, {"train_loss", trainLoss}, {"eval_loss", evalLoss}, {"run", runIdentity()}}.dump(2));
    writeFileAtomically(root / "latest", name);
    for (const auto& e : fs::directory_iterator(root))
        if (e.is_directory() && e.path().filename() != name)
            fs::remove_all(e.path());
}

std::int64_t Trainer::loadCheckpoint()
{
    const fs::path root = m_o.outDir / "training";
    if (!fs::exists(root / "latest"))
        return 0;
    const fs::path dir = root / io::readTextFile(root / "latest");
    const json state = io::readJsonFile(dir / "state.json", io::kMaxSmallJsonBytes);
    if (state.value("run", json()) != runIdentity())
        throw InvalidArgument(
            m_o.outDir.string() +
            " holds a checkpoint of a different run (other corpus, tokenizer, "
            "architecture, seed or batch shape); use a new --out folder, or --overwrite to start over");
    const io::SafetensorsFile weights(dir / "model.safetensors");
    const io::SafetensorsFile optimizer(dir / "optimizer.safetensors");
    auto read = [](const io::SafetensorsFile& f, const std::string& name, const at::Tensor& like) {
        const auto it = f.tensors().find(name);
        if (it == f.tensors().end() || it->second.shape != like.sizes().vec() || it->second.dtype != "F32")
            throw FormatError(f.path().string() + ": tensor '" + name + "' is missing or has the wrong shape");
        std::vector<float> buf(static_cast<std::size_t>(like.numel()));
        std::memcpy(buf.data(), f.data(name), buf.size() * 4);
        return at::from_blob(buf.data(), like.sizes(), at::kFloat).clone().to(like.device());
    };
    c10::NoGradGuard noGrad;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const auto& [name, t] = m_params[i];
        t->copy_(read(weights, name, *t));
        m_adam->firstMoments()[i].copy_(read(optimizer, "exp_avg." + name, *t));
        m_adam->secondMoments()[i].copy_(read(optimizer, "exp_avg_sq." + name, *t));
    }
    return state.at("step").get<std::int64_t>();
}

PretrainResult Trainer::run()
{
    PretrainResult r;
    const std::int64_t start = loadCheckpoint();
    r.resumedFrom = start;
    if (m_sink && start > 0)
        m_sink->log(LogLevel::Info, "resuming from step " + std::to_string(start));
    runtime::ProgressReporter progress(m_sink, "Training", m_o.steps, m_stop, std::chrono::milliseconds(500));
    progress.setResumedFrom(start);
    const auto began = Clock::now();
    std::int64_t tokens = 0;
    double loss = 0.0;
    double evalLoss = -1.0;
    std::int64_t step = start;
    for (; step < m_o.steps; ++step) {
        if (m_stop.stop_requested())
            break;
        loss = 0.0;
        for (std::int64_t micro = 0; micro < m_o.gradAccumulation; ++micro) {
            const auto ids = batchAt(step, micro);
            auto l = lossOf(*m_model, ids) / static_cast<double>(m_o.gradAccumulation);
            l.backward();
            loss += l.item<double>();
            tokens += ids.size(0) * (ids.size(1) - 1);
        }
        const double lr = lrAt(step);
        const double gradNorm = m_adam->gradientNorm();
        m_adam->step(step, lr, m_o.clipNorm > 0 && gradNorm > m_o.clipNorm ? m_o.clipNorm / (gradNorm + 1e-6) : 1.0);
        const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
        if (m_sink) {
            m_sink->metric({"loss", loss, step + 1});
            m_sink->metric({"lr", lr, step + 1});
            m_sink->metric({"grad_norm", gradNorm, step + 1});
            m_sink->metric({"tokens_per_second", static_cast<double>(tokens) / elapsed, step + 1});
        }
        if ((step + 1) % m_o.evalEvery == 0 || step + 1 == m_o.steps) {
            evalLoss = evaluate();
            if (m_sink && evalLoss >= 0)
                m_sink->metric({"eval_loss", evalLoss, step + 1});
        }
        if ((step + 1) % m_o.checkpointEvery == 0 && step + 1 < m_o.steps)
            saveCheckpoint(step + 1, loss, evalLoss);
        progress.report(step + 1);
    }
    saveCheckpoint(step, loss, evalLoss);
    exportModel();
    r.steps = step;
    r.trainLoss = loss;
    r.evalLoss = evalLoss;
    const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
    r.tokensPerSecond = elapsed > 0 ? static_cast<double>(tokens) / elapsed : 0.0;
    if (step < m_o.steps)
        throw Cancelled();
    return r;
}

} // namespace

PretrainResult pretrain(const PretrainOptions& options, EventSink* sink, std::stop_token stop)
{
    // outDir is the run's folder: new, empty, or holding a checkpoint to resume (the
    // Trainer refuses one of another run). Other content is refused unless overwrite;
    // then the run starts over in a staging folder that replaces outDir only when done.
    OutputPolicy policy{options.overwrite, {options.corpus, options.tokenizer, options.architecture}};
    if (!options.heldOut.empty())
        policy.inputs.push_back(options.heldOut);
    const bool resume = !options.overwrite && fs::exists(options.outDir / "training" / "latest");
    const auto contents = describeTarget(options.outDir);
    if (resume || !contents.exists || (contents.isDirectory && contents.entries == 0)) {
        checkOutputTarget(options.outDir, OutputPolicy{true, policy.inputs}, OutputKind::Folder, "output folder");
        Trainer trainer(options, sink, std::move(stop));
        return trainer.run();
    }
    StagedDirectory staged(options.outDir, policy);
    PretrainOptions inStaging = options;
    inStaging.outDir = staged.path();
    Trainer trainer(inStaging, sink, std::move(stop));
    const auto r = trainer.run();
    staged.commit();
    return r;
}

TrainBenchResult benchTrain(const fs::path& architecture, std::int64_t vocabSize, std::int64_t batch, std::int64_t seq,
                            std::int64_t steps, const std::string& device)
{
    if (batch < 1 || seq < 2 || steps < 1 || vocabSize < 2)
        throw InvalidArgument("batch, steps and vocab must be positive, seq at least 2");
    json arch = io::readJsonFile(architecture, io::kMaxSmallJsonBytes);
    if (!arch.is_object())
        throw FormatError(architecture.string() + ": expected a JSON object of model sizes");
    if (!arch.contains("architectures"))
        arch["architectures"] = {"LlamaForCausalLM"};
    arch["vocab_size"] = vocabSize;
    const auto config = ModelConfig::fromJson(arch.dump(), architecture.string());
    model::Llama m(config, model::parseDevice(device), at::kFloat);
    m.layers.resize(static_cast<std::size_t>(config.numLayers));
    initialise(m, 1);
    auto params = m.namedParameters();
    TrainBenchResult r;
    for (auto& [name, t] : params) {
        t->set_requires_grad(true);
        r.parameters += t->numel();
    }
    std::mt19937_64 rng(7);
    auto ids = at::empty({batch, seq + 1}, at::kLong);
    for (std::int64_t i = 0; i < ids.numel(); ++i)
        ids.data_ptr<std::int64_t>()[i] = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(vocabSize));
    auto step = [&] {
        lossOf(m, ids).backward();
        c10::NoGradGuard noGrad;
        for (auto& [name, t] : params) {
            t->add_(t->grad(), -1e-4); // the optimizer's own cost is O(parameters), small next to backward
            t->mutable_grad().zero_();
        }
    };
    step(); // warm-up
    auto t0 = Clock::now();
    for (std::int64_t s = 0; s < steps; ++s)
        step();
    r.tokensPerSecond =
        static_cast<double>(batch * seq * steps) / std::chrono::duration<double>(Clock::now() - t0).count();
    c10::InferenceMode inference;
    (void)lossOf(m, ids);
    t0 = Clock::now();
    for (std::int64_t s = 0; s < steps; ++s)
        (void)lossOf(m, ids).item<double>();
    r.forwardOnlyTokensPerSecond =
        static_cast<double>(batch * seq * steps) / std::chrono::duration<double>(Clock::now() - t0).count();
    return r;
}

} // namespace zl
