// Perplexity over consecutive, non-overlapping windows. It goes through
// Model::scoreSequences, so it runs on any device.
#include "zerolens/error.h"
#include "zerolens/model.h"

#include "runtime/progress_reporter.h"

#include <cmath>

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

double unigramPerplexity(const std::vector<std::int32_t>& trainIds, const std::vector<std::int32_t>& ids,
                         std::int64_t context, std::int64_t vocabSize)
{
    if (context < 2 || vocabSize < 1)
        throw InvalidArgument("context must be at least 2 and the vocabulary non-empty");
    std::vector<double> counts(static_cast<std::size_t>(vocabSize), 1.0); // add-one (Laplace) smoothing
    for (const auto id : trainIds)
        if (id >= 0 && id < vocabSize)
            counts[static_cast<std::size_t>(id)] += 1.0;
    const double total = static_cast<double>(trainIds.size()) + static_cast<double>(vocabSize);
    double nll = 0.0;
    std::int64_t scored = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::size_t inWindow = i % static_cast<std::size_t>(context);
        const bool windowHasTwo = i - inWindow + 1 < ids.size();
        if (inWindow == 0 || !windowHasTwo || ids[i] < 0 || ids[i] >= vocabSize)
            continue;
        nll -= std::log(counts[static_cast<std::size_t>(ids[i])] / total);
        ++scored;
    }
    if (scored == 0)
        throw InvalidArgument("the text has fewer than 2 tokens; nothing to score");
    return std::exp(nll / static_cast<double>(scored));
}

} // namespace zl
