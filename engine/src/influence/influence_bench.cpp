// Benchmarks and measurements of influence (influence.h): cache building on
// random text, the retrieval scan against a plain memory read of the same bytes,
// and how well RapidGrad keeps inner products.
#include "influence/influence_model.h"
#include "influence/vector_scan.h"
#include "zerolens/error.h"

#include <chrono>
#include <random>

namespace zl {

namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

CacheBenchResult benchCache(const InfluenceModel& model, const GradientSettings& gradient, std::int64_t examples,
                            std::int64_t tokensPerExample, const fs::path& workDir)
{
    if (examples < 1 || tokensPerExample < 4)
        throw InvalidArgument("the cache benchmark needs at least 1 example of at least 4 tokens");
    influence::InfluenceEngine engine(model, gradient, nullptr, {});
    fs::create_directories(workDir);
    const auto file = workDir / "bench-cache.db";
    for (const auto& p : {file, fs::path(file.string() + "-wal"), fs::path(file.string() + "-shm"),
                          influence::GradientCache::vectorsPath(file)})
        fs::remove(p);
    // Random token ids; the second half of each example is its response.
    std::mt19937_64 rng(1);
    const auto vocab = static_cast<std::uint64_t>(engine.model().config().vocabSize);
    std::vector<influence::IndexedExample> indexed;
    for (std::int64_t i = 0; i < examples; ++i) {
        influence::IndexedExample e;
        e.example.id = i + 1;
        e.example.split = "train";
        for (std::int64_t t = 0; t < tokensPerExample; ++t)
            e.tokens.push_back(static_cast<std::int32_t>(rng() % vocab));
        e.responseStart = tokensPerExample / 2;
        indexed.push_back(std::move(e));
    }
    influence::GradientCache cache(file, influence::GradientCache::Access::Build);
    cache.initialise(engine.identity(), indexed);
    CacheBuildResult run;
    const auto start = std::chrono::steady_clock::now();
    influence::appendBatches(
        engine, cache, cache.pendingExamples(), 8, [](std::int64_t) {}, run);
    CacheBenchResult r;
    r.seconds = secondsSince(start);
    r.examples = run.computed;
    r.tokens = run.tokens;
    r.examplesPerSecond = static_cast<double>(r.examples) / r.seconds;
    r.tokensPerSecond = static_cast<double>(r.tokens) / r.seconds;
    r.dimension = engine.identity().dimension;
    r.vectorLength = engine.identity().vectorLength;
    r.timing = run.timing;
    return r;
}

RetrieveBenchResult benchRetrieve(std::int64_t vectors, std::int64_t k, std::int64_t iterations)
{
    if (vectors < 1 || k < 16 || iterations < 1)
        throw InvalidArgument("the retrieval benchmark needs vectors >= 1, K >= 16 and iterations >= 1");
    RetrieveBenchResult r;
    r.vectors = vectors;
    r.k = k;
    // Synthetic fp16 vectors (uniform in [-1, 1]) and a random query.
    const auto data = influence::toHalves(at::rand({vectors, k}) * 2 - 1);
    const auto q = at::randn({k});
    std::vector<float> scores(static_cast<std::size_t>(vectors));
    r.bytes = static_cast<double>(data.size() * sizeof(std::uint16_t));
    // Interleaved, best of the iterations for each, after one warm-up of each.
    influence::scoreRows(q.data_ptr<float>(), data.data(), vectors, k, scores.data());
    volatile std::uint64_t sink = influence::readAll(data.data(), data.size() * sizeof(std::uint16_t));
    double bestScan = 1e30, bestRead = 1e30;
    for (std::int64_t i = 0; i < iterations; ++i) {
        auto start = std::chrono::steady_clock::now();
        influence::scoreRows(q.data_ptr<float>(), data.data(), vectors, k, scores.data());
        bestScan = std::min(bestScan, secondsSince(start));
        start = std::chrono::steady_clock::now();
        sink = sink + influence::readAll(data.data(), data.size() * sizeof(std::uint16_t));
        bestRead = std::min(bestRead, secondsSince(start));
    }
    r.querySeconds = bestScan;
    r.scoreGBps = r.bytes / bestScan / 1e9;
    r.memoryReadGBps = r.bytes / bestRead / 1e9;
    r.ratio = r.scoreGBps / r.memoryReadGBps;
    return r;
}

RapidGradQuality measureRapidGrad(std::int64_t dimension, std::int64_t k, int shuffles, std::int64_t pairs,
                                  std::uint64_t seed)
{
    if (pairs < 3)
        throw InvalidArgument("at least 3 pairs are needed for a correlation");
    const influence::RapidGrad rapid(dimension, k, shuffles, seed, /*exact=*/false);
    at::manual_seed(static_cast<std::uint64_t>(seed) + 1);
    std::vector<double> exact, compressed;
    constexpr std::int64_t kChunk = 16;
    for (std::int64_t p0 = 0; p0 < pairs; p0 += kChunk) {
        const auto n = std::min(kChunk, pairs - p0);
        // Pairs share a component of random weight, so their inner products spread over [0, 1).
        const auto common = at::randn({n, dimension});
        const auto w = at::rand({n, 1}) * 2;
        auto x = common * w + at::randn({n, dimension});
        auto y = common * w + at::randn({n, dimension});
        x = x / x.norm(2, {1}, true);
        y = y / y.norm(2, {1}, true);
        const auto e = (x * y).sum(1);
        const auto c = (rapid(x) * rapid(y)).sum(1);
        for (std::int64_t i = 0; i < n; ++i) {
            exact.push_back(e[i].item<double>());
            compressed.push_back(c[i].item<double>());
        }
    }
    const auto a = at::tensor(exact, at::kDouble), b = at::tensor(compressed, at::kDouble);
    const auto da = a - a.mean(), db = b - b.mean();
    RapidGradQuality q;
    q.dimension = dimension;
    q.k = k;
    q.shuffles = shuffles;
    q.pairs = pairs;
    q.correlation = ((da * db).sum() / (da.norm() * db.norm())).item<double>();
    return q;
}

} // namespace zl
