// Picks the next token from logits with Hugging Face generate's processors, in
// its order: repetition penalty, then temperature, top-k and top-p, then a draw.
#pragma once

#include "zerolens/generation.h"

#include <random>
#include <vector>

namespace zl::model {

class Sampler {
public:
    explicit Sampler(const SamplingOptions& options);
    /// `logits` (one row, modified in place) and the ids so far (prompt + output).
    std::int32_t next(std::vector<float>& logits, const std::vector<std::int32_t>& history);

private:
    SamplingOptions m_options;
    std::mt19937_64 m_rng;
};

} // namespace zl::model
