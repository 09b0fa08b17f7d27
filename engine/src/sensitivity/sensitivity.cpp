// Sensitive-weight selection (SensZOQ §3): squared gradients of the causal-LM
// loss summed over sequences (diagonal empirical Fisher), then a top-k over
// the candidate matrices. Random and magnitude rules select the same count.
#include "zerolens/sensitivity.h"

#include "arch/llama_layout.h"
#include "io/text_file.h"
#include "model/model_impl.h"
#include "runtime/progress_reporter.h"
#include "zerolens/error.h"
#include "zerolens/model.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

namespace zl {

namespace {

struct Candidate {
    std::string name;
    at::Tensor* weight;
    at::Tensor score; // same shape as the weight, fp32
};

// Decoder-block projections of the included kinds only: no embeddings, lm_head or norms.
bool isCandidate(const std::string& name, const std::vector<std::string>& include)
{
    const auto ref = arch::parseProjectionWeight(name);
    return ref && std::find(include.begin(), include.end(), arch::projectionKind(ref->projection)) != include.end();
}

// Selects the k largest scores, globally or per matrix, as sorted flat indices.
// Each matrix contributes at most its own top-k, so memory is O(k · matrices),
// never a concatenation of all scores.
std::map<std::string, std::vector<std::int64_t>> selectTop(const std::vector<Candidate>& cands, double fraction,
                                                           bool perMatrix)
{
    std::map<std::string, std::vector<std::int64_t>> out;
    std::int64_t total = 0;
    for (const auto& c : cands)
        total += c.score.numel();
    const auto globalK = static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(total)));
    std::vector<std::tuple<float, std::size_t, std::int64_t>> pool; // score, matrix, index
    for (std::size_t m = 0; m < cands.size(); ++m) {
        const auto flat = cands[m].score.reshape({-1});
        const auto k = perMatrix ? static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(flat.numel())))
                                 : std::min<std::int64_t>(globalK, flat.numel());
        if (k <= 0)
            continue;
        const auto [values, indices] = at::topk(flat, k);
        const auto v = values.contiguous();
        const auto ix = indices.contiguous();
        for (std::int64_t i = 0; i < k; ++i) {
            if (perMatrix)
                out[cands[m].name].push_back(ix.data_ptr<std::int64_t>()[i]);
            else
                pool.emplace_back(v.data_ptr<float>()[i], m, ix.data_ptr<std::int64_t>()[i]);
        }
    }
    if (!perMatrix && globalK > 0) {
        // Largest first; ties broken by matrix and index so the result is deterministic.
        const auto k = std::min<std::size_t>(static_cast<std::size_t>(globalK), pool.size());
        std::partial_sort(
            pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(k), pool.end(), [](const auto& a, const auto& b) {
                if (std::get<0>(a) != std::get<0>(b))
                    return std::get<0>(a) > std::get<0>(b);
                return std::tie(std::get<1>(a), std::get<2>(a)) < std::tie(std::get<1>(b), std::get<2>(b));
            });
        for (std::size_t i = 0; i < k; ++i)
            out[cands[std::get<1>(pool[i])].name].push_back(std::get<2>(pool[i]));
    }
    for (auto& [name, v] : out)
        std::sort(v.begin(), v.end());
    return out;
}

// The mask that the scores summed so far select (scores copied to the host).
SensitivityMask partialMask(const SensitivityMask& header, const std::vector<Candidate>& cands,
                            const SensitivityOptions& o, std::int64_t sequencesDone)
{
    c10::NoGradGuard noGrad;
    std::vector<Candidate> host;
    for (const auto& c : cands)
        host.push_back({c.name, c.weight, c.score.to(at::kCPU, at::kFloat)});
    SensitivityMask partial = header;
    partial.sequences = sequencesDone;
    partial.indices = selectTop(host, o.fraction, o.perMatrix);
    for (const auto& c : cands)
        partial.indices.try_emplace(c.name);
    return partial;
}

} // namespace

SensitivityMask computeSensitivityMask(const std::filesystem::path& modelDir, const SensitivityOptions& o,
                                       EventSink* sink, std::stop_token stop)
{
    if (!(o.fraction > 0.0 && o.fraction <= 1.0))
        throw InvalidArgument("fraction must be in (0, 1]");
    if (o.include.empty())
        throw InvalidArgument("no matrix kinds to choose from (include is empty)");
    for (const auto& kind : o.include)
        if (!arch::projectionFromKind(kind))
            throw InvalidArgument("unknown matrix kind \"" + kind +
                                  "\" (expected q_proj, k_proj, v_proj, o_proj, "
                                  "gate_proj, up_proj or down_proj)");
    if (o.rule == MaskRule::GradientSquared && (o.sequences < 1 || o.seqLen < 2))
        throw InvalidArgument("sequences must be positive and seq-len at least 2");

    if (!inspectCheckpoint(modelDir).config.quantization.format.empty())
        throw InvalidArgument(modelDir.string() + " is quantized; compute masks on the unquantized model it came from");
    LoadOptions load;
    load.device = o.device;
    load.trainable = o.rule == MaskRule::GradientSquared;
    const auto model = Model::load(modelDir, load, sink, stop);
    auto& llama = model->impl().llama;

    SensitivityMask mask;
    mask.modelId = modelIdentity(model->info());
    mask.fraction = o.fraction;
    mask.selection = o.perMatrix ? "per_matrix" : "global";
    std::vector<Candidate> cands;
    for (auto& [name, t] : llama.namedParameters())
        if (isCandidate(name, o.include)) {
            cands.push_back({name, t, at::Tensor()});
            mask.shapes[name] = t->sizes().vec();
            mask.candidates += t->numel();
        }

    switch (o.rule) {
    case MaskRule::GradientSquared: {
        mask.rule = "gradient_squared";
        mask.sequences = o.sequences;
        mask.seqLen = o.seqLen;
        if (o.seqLen > model->config().maxPositionEmbeddings)
            throw InvalidArgument("seq-len exceeds the model's max_position_embeddings");
        const std::string text = io::readTextFile(o.corpus);
        mask.corpusHash = io::fingerprint(text);
        const auto stream = io::encodeDocuments(text, model->tokenizer());
        const auto available = (static_cast<std::int64_t>(stream.size()) - 1) / o.seqLen;
        if (text.find_first_not_of(" \t\r\n") == std::string::npos)
            throw InvalidArgument(o.corpus.string() + " holds no text: the mask is computed from a text corpus");
        if (available < o.sequences)
            throw InvalidArgument(o.corpus.string() + ": " + std::to_string(stream.size()) + " tokens give only " +
                                  std::to_string(available) + " sequences of " + std::to_string(o.seqLen + 1) +
                                  " tokens, " + std::to_string(o.sequences) + " requested");
        std::map<std::pair<std::size_t, int>, at::Tensor*> scoreOf;
        for (auto& c : cands) {
            c.score = at::zeros_like(*c.weight);
            const auto ref = arch::parseProjectionWeight(c.name);
            scoreOf[{static_cast<std::size_t>(ref->layer), static_cast<int>(ref->projection)}] = &c.score;
        }
        // Weight gradients are never stored: each projection's output gradient dY is
        // caught by a hook and folded at once as dW = dYᵀ X into the running sum of
        // squares, so the only full-size buffer per matrix is its score. The graph
        // starts at the first norm's weight, the one (tiny) tensor that needs a gradient.
        llama.layers.front().inputNorm.set_requires_grad(true);
        llama.projectionObserver = [&scoreOf](std::size_t layer, model::Projection p, const at::Tensor& in,
                                              const at::Tensor& out) {
            const auto it = scoreOf.find({layer, static_cast<int>(p)});
            if (it == scoreOf.end() || !out.requires_grad())
                return;
            at::Tensor* score = it->second;
            const auto x = in.detach().reshape({-1, in.size(-1)});
            out.register_hook([score, x](const at::Tensor& dy) {
                const auto dw = at::matmul(dy.reshape({-1, dy.size(-1)}).t(), x);
                score->addcmul_(dw, dw);
            });
        };
        runtime::ProgressReporter progress(sink, "Accumulating squared gradients", o.sequences, stop);
        auto lastPartial = std::chrono::steady_clock::now();
        for (std::int64_t s = 0; s < o.sequences; ++s) {
            progress.checkStop();
            // Consecutive windows from the start of the corpus: the same N sequences every time.
            auto ids = at::empty({1, o.seqLen + 1}, at::kLong);
            std::copy_n(stream.begin() + s * o.seqLen, o.seqLen + 1, ids.data_ptr<std::int64_t>());
            const auto logits = llama.forward(ids.narrow(1, 0, o.seqLen), at::Tensor(), nullptr);
            const auto target = ids.narrow(1, 1, o.seqLen).to(logits.device()).reshape({-1});
            at::nll_loss(at::log_softmax(logits, -1).reshape({o.seqLen, -1}), target).backward();
            llama.layers.front().inputNorm.mutable_grad() = at::Tensor();
            progress.update(s + 1);
            if (o.onPartialMask && s + 1 < o.sequences &&
                std::chrono::duration<double>(std::chrono::steady_clock::now() - lastPartial).count() >=
                    o.partialEverySeconds) {
                o.onPartialMask(partialMask(mask, cands, o, s + 1), s + 1);
                lastPartial = std::chrono::steady_clock::now();
            }
        }
        llama.projectionObserver = nullptr;
        break;
    }
    case MaskRule::Magnitude:
        mask.rule = "magnitude";
        for (auto& c : cands)
            c.score = c.weight->detach().abs().to(at::kFloat);
        break;
    case MaskRule::Random: {
        mask.rule = "random";
        // Uniform scores from a seeded host generator: a uniformly random subset of the requested size.
        std::mt19937_64 rng(o.seed);
        std::uniform_real_distribution<float> u(0.0f, 1.0f);
        for (auto& c : cands) {
            std::vector<float> v(static_cast<std::size_t>(c.weight->numel()));
            for (auto& x : v)
                x = u(rng);
            c.score = at::from_blob(v.data(), c.weight->sizes(), at::kFloat).clone();
        }
        break;
    }
    }
    c10::InferenceMode inference;
    for (auto& c : cands)
        c.score = c.score.to(at::kCPU, at::kFloat);
    mask.indices = selectTop(cands, o.fraction, o.perMatrix);
    for (const auto& c : cands)
        mask.indices.try_emplace(c.name); // matrices with no selected entry are listed, empty
    return mask;
}

} // namespace zl
