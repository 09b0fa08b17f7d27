#include "model/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace zl::model {

Sampler::Sampler(const SamplingOptions& options) : m_options(options), m_rng(options.seed) {}

std::int32_t Sampler::next(std::vector<float>& logits, const std::vector<std::int32_t>& history)
{
    const auto V = static_cast<std::int32_t>(logits.size());
    // RepetitionPenaltyLogitsProcessor: divide positive, multiply negative logits.
    if (m_options.repetitionPenalty != 1.0) {
        const auto p = static_cast<float>(m_options.repetitionPenalty);
        std::unordered_set<std::int32_t> seen(history.begin(), history.end());
        for (auto id : seen)
            if (id >= 0 && id < V)
                logits[static_cast<std::size_t>(id)] = logits[static_cast<std::size_t>(id)] < 0
                                                           ? logits[static_cast<std::size_t>(id)] * p
                                                           : logits[static_cast<std::size_t>(id)] / p;
    }
    if (m_options.temperature <= 0.0)
        return static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());

    const auto temp = static_cast<float>(m_options.temperature);
    for (auto& l : logits)
        l /= temp;
    std::vector<std::int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
        return logits[static_cast<std::size_t>(a)] > logits[static_cast<std::size_t>(b)];
    });
    std::size_t keep = order.size();
    if (m_options.topK > 0)
        keep = std::min(keep, static_cast<std::size_t>(m_options.topK));
    // Softmax over the survivors.
    const float top = logits[static_cast<std::size_t>(order[0])];
    std::vector<double> probs(keep);
    double total = 0.0;
    for (std::size_t i = 0; i < keep; ++i) {
        probs[i] = std::exp(static_cast<double>(logits[static_cast<std::size_t>(order[i])] - top));
        total += probs[i];
    }
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

} // namespace zl::model
