#include "model/sampler.h"

#include "zerolens/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <unordered_set>

namespace zl {

namespace {

std::string numberText(double x)
{
    std::ostringstream s;
    s << x; // 1e-300 and nan as such, where std::to_string gives 0.000000
    return s.str();
}

} // namespace

// Here rather than in generation.cpp so that the torch-free part of the engine
// (and the parsers-only fuzz build) can check options without libtorch.
void validate(const SamplingOptions& o)
{
    if (o.maxNewTokens < 0 || o.maxNewTokens > 1'000'000)
        throw InvalidArgument("max new tokens must be between 0 and 1000000");
    // Written so that NaN fails every test: !(x >= lo && x <= hi).
    if (!(o.temperature >= 0.0 && o.temperature <= 100.0))
        throw InvalidArgument("temperature must be a number between 0 (greedy) and 100, got " +
                              numberText(o.temperature));
    if (o.topK < 0)
        throw InvalidArgument("top-k must be 0 (off) or positive, got " + std::to_string(o.topK));
    if (!(o.topP > 0.0 && o.topP <= 1.0))
        throw InvalidArgument("top-p must be in (0, 1], got " + numberText(o.topP));
    if (!(o.repetitionPenalty > 0.0 && std::isfinite(o.repetitionPenalty)))
        throw InvalidArgument("repetition penalty must be a finite number above 0 (1 = off), got " +
                              numberText(o.repetitionPenalty));
    for (const auto& s : o.stopStrings)
        if (s.empty())
            throw InvalidArgument("stop strings must not be empty");
}

namespace model {

Sampler::Sampler(const SamplingOptions& options) : m_options(options), m_rng(options.seed)
{
    validate(options);
}

std::int32_t Sampler::next(std::vector<float>& logits, const std::vector<std::int32_t>& history)
{
    const auto V = static_cast<std::int32_t>(logits.size());
    if (V == 0)
        throw InvalidArgument("cannot sample from an empty vocabulary");
    // All arithmetic in double: in float, temperature 1e-300 is 0 and a penalty
    // of 1e-300 divides by 0, which made every probability NaN.
    std::vector<double> scores(logits.begin(), logits.end());
    // RepetitionPenaltyLogitsProcessor: divide positive, multiply negative logits.
    if (m_options.repetitionPenalty != 1.0) {
        const double p = m_options.repetitionPenalty;
        std::unordered_set<std::int32_t> seen(history.begin(), history.end());
        for (auto id : seen)
            if (id >= 0 && id < V) {
                auto& l = scores[static_cast<std::size_t>(id)];
                l = l < 0 ? l * p : l / p;
                logits[static_cast<std::size_t>(id)] = static_cast<float>(l);
            }
    }
    const auto greedy = [&] {
        return static_cast<std::int32_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    };
    if (m_options.temperature < kGreedyBelowTemperature)
        return greedy();

    for (auto& l : scores)
        l /= m_options.temperature;
    std::vector<std::int32_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
        return scores[static_cast<std::size_t>(a)] > scores[static_cast<std::size_t>(b)];
    });
    std::size_t keep = order.size();
    if (m_options.topK > 0)
        keep = std::min(keep, static_cast<std::size_t>(m_options.topK));
    // Softmax over the survivors.
    const double top = scores[static_cast<std::size_t>(order[0])];
    if (!std::isfinite(top))
        return order[0]; // an infinite logit (or all -inf after the penalty): nothing to draw between
    std::vector<double> probs(keep);
    double total = 0.0;
    for (std::size_t i = 0; i < keep; ++i) {
        probs[i] = std::exp(scores[static_cast<std::size_t>(order[i])] - top);
        total += probs[i];
    }
    if (!(total > 0.0) || !std::isfinite(total))
        return order[0];
    if (m_options.topP < 1.0) {
        // TopPLogitsWarper: keep the smallest head whose mass reaches top_p (at least one token).
        double mass = 0.0;
        std::size_t n = 0;
        while (n < keep) {
            mass += probs[n] / total;
            ++n;
            if (mass >= m_options.topP)
                break;
        }
        keep = std::max<std::size_t>(n, 1);
        probs.resize(keep);
        total = std::accumulate(probs.begin(), probs.end(), 0.0);
    }
    std::uniform_real_distribution<double> u(0.0, total);
    double r = u(m_rng);
    for (std::size_t i = 0; i < keep; ++i) {
        r -= probs[i];
        if (r <= 0.0)
            return order[i];
    }
    return order[keep - 1];
}

} // namespace model

} // namespace zl
