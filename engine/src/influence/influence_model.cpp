#include "influence/influence_model.h"

#include "io/text_file.h"
#include "tune/task_loss.h"
#include "zerolens/error.h"

#include <chrono>
#include <cstring>

namespace zl::influence {

namespace {

tune::TunedModel prepare(const InfluenceModel& m, const GradientSettings& s, EventSink* sink, std::stop_token stop)
{
    FinetuneOptions o;
    o.model = m.dir;
    o.mask = m.mask;
    o.loaded = m.loaded;
    o.quantFormat = m.quantFormat;
    o.groupSize = m.groupSize;
    o.device = m.device;
    // S is needed for the sparse set; whole blocks take any model.
    o.method = s.tracked == "sparse" ? FinetuneMethod::FirstOrder : FinetuneMethod::ZeroShot;
    if (m.dir.empty())
        throw InvalidArgument("no model given");
    return tune::prepareTunedModel(o, /*trainable=*/true, sink, stop);
}

// Gradients depend on the weights' values, not only on their shapes (which is
// all modelIdentity() describes: a fine-tuned model shares it with its base).
// Every value of S and an evenly strided sample of up to 4096 entries of every
// other tensor are hashed: a fine-tuning run, sparse or dense, changes them.
std::string weightsFingerprint(model::Llama& llama)
{
    std::string bytes;
    auto add = [&bytes](const at::Tensor& t, bool whole) {
        if (!t.defined() || t.numel() == 0)
            return;
        const auto flat = t.detach().reshape({-1}).cpu();
        const auto step = whole ? 1 : std::max<std::int64_t>(1, flat.numel() / 4096);
        const auto picked = flat.slice(0, 0, flat.numel(), step).contiguous();
        bytes.append(static_cast<const char*>(picked.data_ptr()), picked.nbytes());
    };
    for (const auto& [name, t] : llama.namedParameters()) {
        add(*t, false);
        if (const auto* m = llama.int8Weight(name)) {
            add(m->values, false);
            add(m->scales, false);
        }
    }
    for (const auto& L : llama.layers)
        for (const auto& q : L.quantized)
            if (q) {
                add(q->packed, false);
                add(q->scales, false);
                add(q->sparseValues, true);
            }
    return io::fingerprint(bytes);
}

} // namespace

InfluenceEngine::InfluenceEngine(const InfluenceModel& model, const GradientSettings& settings, EventSink* sink,
                                 std::stop_token stop)
    : m_tuned(prepare(model, settings, sink, stop)), m_settings(settings)
{
    if (settings.maxLength < 2 || settings.maxLength > 1'000'000)
        throw InvalidArgument("the maximum length must be between 2 and 1000000 tokens");
    m_weightsId = m_tuned.modelId + "-" + weightsFingerprint(m_tuned.llama());
    m_tracker = std::make_unique<GradientTracker>(m_tuned.llama(), settings);
    m_rapid = std::make_unique<RapidGrad>(m_tracker->dimension(), settings.k, settings.shuffles, settings.seed,
                                          settings.exact);
    if (!m_rapid->compresses() && m_rapid->outputLength() > (std::int64_t{1} << 24))
        throw InvalidArgument("exact gradients of " + std::to_string(m_rapid->outputLength()) +
                              " entries are too large to cache; track fewer blocks or compress");
}

CacheSettings InfluenceEngine::identity() const
{
    CacheSettings s;
    s.modelId = m_weightsId;
    s.modelDir = m_tuned.model->info().dir.string();
    s.maskHash = m_settings.tracked == "sparse" ? m_tuned.maskHash : std::string();
    s.gradient = m_settings;
    if (s.gradient.tracked == "sparse")
        s.gradient.blocks.clear();
    s.dimension = m_rapid->dimension();
    s.vectorLength = m_rapid->outputLength();
    s.compressed = m_rapid->compresses();
    return s;
}

IndexedExample InfluenceEngine::index(const CachedExample& example) const
{
    Example plain;
    plain.prompt = example.prompt;
    plain.response = example.response;
    const auto encoded = tune::encodeExamples({plain}, tokenizer());
    IndexedExample out;
    out.example = example;
    if (encoded[0].response.empty())
        throw InvalidArgument("example " + std::to_string(example.id) + " has no response tokens");
    out.responseStart = tune::joinSequence(encoded[0].prompt, encoded[0].response, m_settings.maxLength, out.tokens);
    // The first token has nothing before it to be predicted from.
    out.responseStart = std::max<std::int64_t>(out.responseStart, 1);
    if (out.responseStart >= static_cast<std::int64_t>(out.tokens.size()))
        throw InvalidArgument("example " + std::to_string(example.id) + " has no response token within " +
                              std::to_string(m_settings.maxLength) + " tokens");
    return out;
}

std::vector<float> InfluenceEngine::meanOver(std::size_t length, std::int64_t begin, std::int64_t end)
{
    std::vector<float> w(length, 0.0f);
    const auto n = static_cast<float>(end - begin);
    for (auto t = begin; t < end; ++t)
        w[static_cast<std::size_t>(t)] = 1.0f / n;
    return w;
}

at::Tensor InfluenceEngine::vectors(const WeightedSequences& batch, GradientTiming* timing, double* compressSeconds)
{
    const auto grads = m_tracker->perSequence(batch, timing);
    const auto start = std::chrono::steady_clock::now();
    auto v = (*m_rapid)(normalizeAndConcat(grads)).cpu();
    if (compressSeconds)
        *compressSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return v;
}

std::vector<std::string> InfluenceEngine::pieces(const std::vector<std::int32_t>& ids) const
{
    std::vector<std::string> out;
    std::string before;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto now = tokenizer().decode(std::span(ids.data(), i + 1));
        if (now.size() >= before.size() && now.compare(0, before.size(), before) == 0)
            out.push_back(now.substr(before.size()));
        else
            out.push_back(tokenizer().decode(std::span(ids.data() + i, 1)));
        before = now;
    }
    return out;
}

void appendBatches(InfluenceEngine& engine, GradientCache& cache, const std::vector<std::int64_t>& pending,
                   std::int64_t batchSize, const std::function<void(std::int64_t)>& afterBatch,
                   CacheBuildResult& result)
{
    GradientTiming timing;
    const auto step = static_cast<std::size_t>(batchSize);
    for (std::size_t b = 0; b < pending.size(); b += step) {
        const std::vector<std::int64_t> ids(pending.begin() + static_cast<std::ptrdiff_t>(b),
                                            pending.begin() +
                                                static_cast<std::ptrdiff_t>(std::min(pending.size(), b + step)));
        WeightedSequences batch;
        for (const auto id : ids) {
            auto e = cache.example(id);
            batch.weights.push_back(InfluenceEngine::meanOver(e.tokens.size(), e.responseStart,
                                                              static_cast<std::int64_t>(e.tokens.size())));
            result.tokens += static_cast<std::int64_t>(e.tokens.size());
            batch.ids.push_back(std::move(e.tokens));
        }
        const auto vectors = engine.vectors(batch, &timing, &result.timing.compress);
        const auto writeStart = std::chrono::steady_clock::now();
        cache.appendVectors(ids, toHalves(vectors));
        result.timing.write += std::chrono::duration<double>(std::chrono::steady_clock::now() - writeStart).count();
        result.computed += static_cast<std::int64_t>(ids.size());
        result.timing.forward = timing.forward;
        result.timing.backward = timing.backward;
        afterBatch(result.computed);
    }
}

std::vector<std::uint16_t> toHalves(const at::Tensor& values)
{
    const auto h = values.to(at::kCPU, at::kHalf).contiguous();
    std::vector<std::uint16_t> out(static_cast<std::size_t>(h.numel()));
    std::memcpy(out.data(), h.data_ptr(), out.size() * sizeof(std::uint16_t));
    return out;
}

at::Tensor fromHalves(const std::uint16_t* halves, std::int64_t count)
{
    auto h = at::empty({count}, at::kHalf);
    std::memcpy(h.data_ptr(), halves, static_cast<std::size_t>(count) * sizeof(std::uint16_t));
    return h.to(at::kFloat);
}

} // namespace zl::influence
