// Perplexity over consecutive, non-overlapping windows, and the forward benchmark.
// Both go through Model::scoreSequences, so they run on any device.
#include "zerolens/error.h"
#include "zerolens/model.h"

#include "runtime/progress_reporter.h"

#include <chrono>
#include <cmath>
#include <random>

namespace zl {

namespace {
constexpr std::size_t kWindowsPerBatch = 8;
}

PerplexityResult perplexity(const Model& model, const std::vector<std::int32_t>& ids, std::int64_t context,
                            EventSink* sink, std::stop_token stop)
{
    if (context < 2)
        throw InvalidArgument("context must be at least 2 tokens (one to condition on, one to score)");
    if (context > model.config().maxPositionEmbeddings)
        throw InvalidArgument("context " + std::to_string(context) + " exceeds the model's max_position_embeddings (" +
                              std::to_string(model.config().maxPositionEmbeddings) + ")");
    std::vector<std::vector<std::int32_t>> windows;
    for (std::size_t begin = 0; begin < ids.size(); begin += static_cast<std::size_t>(context)) {
        const std::size_t end = std::min(ids.size(), begin + static_cast<std::size_t>(context));
        if (end - begin >= 2) // a window of one id has nothing to score
            windows.emplace_back(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                 ids.begin() + static_cast<std::ptrdiff_t>(end));
    }
    if (windows.empty())
        throw InvalidArgument("the text has fewer than 2 tokens; nothing to score");
    runtime::ProgressReporter progress(sink, "Scoring windows", static_cast<std::int64_t>(windows.size()), stop);
    double nll = 0.0;
    PerplexityResult r;
    for (std::size_t i = 0; i < windows.size(); i += kWindowsPerBatch) {
        progress.checkStop();
        const auto end = std::min(windows.size(), i + kWindowsPerBatch);
        const std::vector<std::vector<std::int32_t>> batch(windows.begin() + static_cast<std::ptrdiff_t>(i),
                                                           windows.begin() + static_cast<std::ptrdiff_t>(end));
        for (const auto& s : model.scoreSequences(batch)) {
            nll -= s.logProbSum;
            r.scoredTokens += s.scored;
        }
        progress.update(static_cast<std::int64_t>(end));
    }
    r.windows = static_cast<std::int64_t>(windows.size());
    r.meanNll = nll / static_cast<double>(r.scoredTokens);
    r.perplexity = std::exp(r.meanNll);
    return r;
}

ForwardBenchResult benchForward(const Model& model, std::int64_t batch, std::int64_t seq, std::int64_t iterations)
{
    if (batch < 1 || seq < 1 || iterations < 1)
        throw InvalidArgument("batch, seq and iterations must be positive");
    std::mt19937 rng(1234);
    std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(model.config().vocabSize - 1));
    std::vector<std::vector<std::int32_t>> ids(static_cast<std::size_t>(batch),
                                               std::vector<std::int32_t>(static_cast<std::size_t>(seq)));
    for (auto& row : ids)
        for (auto& id : row)
            id = pick(rng);
    model.scoreSequences(ids); // warm-up: allocator and thread pool
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < iterations; ++i)
        model.scoreSequences(ids);
    ForwardBenchResult r;
    r.batch = batch;
    r.seq = seq;
    r.iterations = iterations;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.tokensPerSecond = static_cast<double>(batch * seq * iterations) / r.seconds;
    return r;
}

} // namespace zl
