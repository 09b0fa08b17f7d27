// Retrieval (influence.h): a generation's compressed gradient scored against
// every cached vector, the ranked lists, and the token-wise detail on both sides.
#include "influence/influence_model.h"
#include "influence/vector_scan.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"

#include <algorithm>
#include <chrono>
#include <numeric>

namespace zl {

namespace fs = std::filesystem;

class Attributor::Impl {
public:
    Impl(const InfluenceModel& model, const fs::path& file, EventSink* sink, std::stop_token stop)
        : cache(file, influence::GradientCache::Access::Query), engine(model, settingsOf(cache, file), sink, stop),
          info(cache.info())
    {
        std::string why;
        for (const auto& d : cache.differences(withDataset(engine.identity(), *cache.settings())))
            why += "\n  " + d;
        if (!why.empty())
            throw InvalidArgument(file.string() + " was built for another model or settings:" + why);
        if (!info.complete())
            throw InvalidArgument(file.string() + " is incomplete (" + std::to_string(info.cached) + " of " +
                                  std::to_string(info.examples) + " examples cached); finish building it first");
    }

    static GradientSettings settingsOf(const influence::GradientCache& cache, const fs::path& file)
    {
        const auto s = cache.settings();
        if (!s)
            throw InvalidArgument(file.string() + " is an empty gradient cache; build it first");
        return s->gradient;
    }

    // The model's identity with the cache's own dataset fields, so only model and settings are compared.
    static influence::CacheSettings withDataset(influence::CacheSettings s, const influence::CacheSettings& cached)
    {
        s.datasetFingerprint = cached.datasetFingerprint;
        s.datasetPath = cached.datasetPath;
        s.promptTemplate = cached.promptTemplate;
        return s;
    }

    // Every example's score (by id − 1) for a query vector, timing the scan.
    std::vector<float> scan(const std::vector<float>& q, Attribution& a) const
    {
        const auto rows = cache.rowCount();
        std::vector<float> byRow(static_cast<std::size_t>(rows));
        const auto start = std::chrono::steady_clock::now();
        influence::scoreRows(q.data(), cache.vectors(), rows, info.vectorLength, byRow.data());
        a.scoringSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        a.scanGBps = static_cast<double>(rows * info.vectorLength * 2) / std::max(a.scoringSeconds, 1e-9) / 1e9;
        std::vector<float> byId(static_cast<std::size_t>(info.examples), 0.0f);
        for (std::int64_t r = 0; r < rows; ++r)
            byId[static_cast<std::size_t>(cache.rowExamples()[static_cast<std::size_t>(r)] - 1)] =
                byRow[static_cast<std::size_t>(r)];
        return byId;
    }

    void rank(Attribution& a, std::int64_t top) const
    {
        if (top < 1)
            throw InvalidArgument("--top must be at least 1, got " + std::to_string(top));
        std::vector<std::int64_t> order(a.scores.size());
        std::iota(order.begin(), order.end(), std::int64_t{0});
        const auto n = std::min<std::int64_t>(top, static_cast<std::int64_t>(order.size()));
        auto list = [&](auto better, std::vector<RankedExample>& out) {
            std::partial_sort(order.begin(), order.begin() + n, order.end(), [&](std::int64_t x, std::int64_t y) {
                return better(a.scores[static_cast<std::size_t>(x)], a.scores[static_cast<std::size_t>(y)]);
            });
            for (std::int64_t i = 0; i < n; ++i) {
                const auto idx = order[static_cast<std::size_t>(i)];
                out.push_back({cache.example(idx + 1).example, a.scores[static_cast<std::size_t>(idx)], i + 1});
            }
        };
        list(std::greater<float>(), a.helpful);
        list(std::less<float>(), a.opposing);
    }

    // The cached vectors of some examples as fp32 rows [n, length].
    at::Tensor cachedRows(const std::vector<std::int64_t>& ids) const
    {
        std::vector<at::Tensor> rows;
        for (const auto id : ids)
            rows.push_back(
                influence::fromHalves(cache.vectors() + cache.rowOf(id) * info.vectorLength, info.vectorLength));
        return at::stack(rows);
    }

    influence::GradientCache cache;
    influence::InfluenceEngine engine;
    CacheInfo info;
};

Attributor::Attributor(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Attributor::~Attributor() = default;

std::unique_ptr<Attributor> Attributor::open(const InfluenceModel& model, const fs::path& cache, EventSink* sink,
                                             std::stop_token stop)
{
    return std::unique_ptr<Attributor>(new Attributor(std::make_unique<Impl>(model, cache, sink, stop)));
}

const CacheInfo& Attributor::info() const
{
    return m_impl->info;
}

CachedExample Attributor::example(std::int64_t exampleId) const
{
    return m_impl->cache.example(exampleId).example;
}

std::vector<Attributor::SavedQuery> Attributor::savedQueries() const
{
    return m_impl->cache.queries();
}

Attribution Attributor::attribute(const InfluenceQuery& query, EventSink* sink, std::stop_token stop)
{
    auto& m = *m_impl;
    Attribution a;
    a.prompt = query.rawPrompt || m.info.promptTemplate.empty()
                   ? query.prompt
                   : applyPromptTemplate(m.info.promptTemplate, query.prompt);
    a.response = query.response;
    if (query.generate) {
        SamplingOptions greedy;
        greedy.temperature = 0.0;
        greedy.maxNewTokens = query.maxNewTokens;
        a.response = generate(m.engine.model(), a.prompt, greedy, {}, stop).text;
        if (stop.stop_requested())
            throw Cancelled();
    }
    if (a.response.empty())
        throw InvalidArgument(query.generate ? "the model generated nothing for this prompt"
                                             : "no response to explain: give one, or generate it");
    const auto indexed = m.engine.index({0, "", "", 0, a.prompt, a.response, "{}"});
    const auto rs = indexed.responseStart;
    const auto tokens = indexed.tokens;
    const auto n = static_cast<std::int64_t>(tokens.size()) - rs;
    const auto all = m.engine.pieces(tokens);
    a.responseTokens.assign(all.begin() + rs, all.end());
    a.spanBegin = query.spanBegin < 0 ? 0 : query.spanBegin;
    a.spanEnd = query.spanEnd < 0 ? n : query.spanEnd;
    if (a.spanBegin >= a.spanEnd || a.spanEnd > n)
        throw InvalidArgument("token span " + std::to_string(a.spanBegin) + ":" + std::to_string(a.spanEnd) +
                              " is not inside the response's " + std::to_string(n) + " tokens (0:" + std::to_string(n) +
                              ")");
    const auto qt = m.engine.vectors(
        {{tokens}, {influence::InfluenceEngine::meanOver(tokens.size(), rs + a.spanBegin, rs + a.spanEnd)}});
    std::vector<float> q(qt.data_ptr<float>(), qt.data_ptr<float>() + qt.numel());
    if (stop.stop_requested())
        throw Cancelled();
    a.scores = m.scan(q, a);
    m.rank(a, query.top);
    if (query.tokenwise) {
        for (const auto* list : {&a.helpful, &a.opposing})
            for (const auto& e : *list)
                a.columnIds.push_back(e.example.id);
        const auto columns = m.cachedRows(a.columnIds);
        // Each response token's own loss: one weighted sequence per token, batched.
        constexpr std::int64_t kBatch = 8;
        for (std::int64_t t0 = 0; t0 < n; t0 += kBatch) {
            if (stop.stop_requested())
                throw Cancelled();
            influence::WeightedSequences batch;
            for (auto t = t0; t < std::min(n, t0 + kBatch); ++t) {
                batch.ids.push_back(tokens);
                batch.weights.push_back(influence::InfluenceEngine::meanOver(tokens.size(), rs + t, rs + t + 1));
            }
            const auto s = at::matmul(m.engine.vectors(batch), columns.t()).contiguous();
            for (std::int64_t r = 0; r < s.size(0); ++r)
                a.tokenScores.emplace_back(s[r].data_ptr<float>(), s[r].data_ptr<float>() + s.size(1));
            if (sink)
                sink->progress({"Scoring response tokens", std::min(n, t0 + kBatch), n});
        }
    }
    if (query.save)
        a.queryId = m.cache.saveQuery(a, q);
    return a;
}

Attribution Attributor::reopen(std::int64_t queryId, std::int64_t top, std::stop_token stop)
{
    auto& m = *m_impl;
    const auto stored = m.cache.query(queryId);
    Attribution a;
    a.queryId = queryId;
    a.prompt = stored.query.prompt;
    a.response = stored.query.response;
    a.spanBegin = stored.query.spanBegin;
    a.spanEnd = stored.query.spanEnd;
    a.responseTokens = stored.responseTokens;
    a.tokenScores = stored.tokenScores;
    a.columnIds = stored.columnIds;
    if (stop.stop_requested())
        throw Cancelled();
    a.scores = m.scan(stored.vector, a);
    m.rank(a, top);
    return a;
}

ExampleTokens Attributor::exampleTokens(std::int64_t queryId, std::int64_t exampleId, std::stop_token stop)
{
    auto& m = *m_impl;
    const auto stored = m.cache.query(queryId);
    const auto e = m.cache.example(exampleId);
    if (stop.stop_requested())
        throw Cancelled();
    ExampleTokens out;
    out.example = e.example;
    out.tokens = m.engine.pieces(e.tokens);
    out.responseStart = e.responseStart;
    const auto T = static_cast<std::int64_t>(e.tokens.size());
    // Each position's share: linear pieces of the example's normalized gradient,
    // compressed by the same map, so they sum to the cached vector's score.
    const auto q = at::tensor(at::ArrayRef<float>(stored.vector));
    out.tokenScores.resize(static_cast<std::size_t>(T));
    constexpr std::int64_t kChunk = 16;
    m.engine.tracker().perPositionNormalized(
        e.tokens, influence::InfluenceEngine::meanOver(e.tokens.size(), e.responseStart, T), kChunk,
        [&](std::int64_t first, const influence::TensorGradients& parts) {
            if (stop.stop_requested())
                throw Cancelled();
            const auto s = at::matmul(m.engine.rapidGrad()(at::cat(parts, 1)).cpu(), q).contiguous();
            std::copy_n(s.data_ptr<float>(), s.numel(), out.tokenScores.begin() + first);
        });
    for (const float v : out.tokenScores)
        out.tokenSum += v;
    const auto cached = m.cachedRows({exampleId});
    out.score = at::matmul(cached[0], q).item<double>();
    return out;
}

} // namespace zl
