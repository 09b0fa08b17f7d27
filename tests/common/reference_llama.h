// An independent, deliberately naive Llama forward pass in double precision,
// written from Hugging Face's modeling_llama equations. It shares no code with
// the engine's libtorch implementation and serves as its reference.
#pragma once

#include "zerolens/config.h"
#include "zerolens/sample_model.h"

#include <cstdint>
#include <vector>

namespace zl::test {

/// Log-probabilities [T][vocab] for one sequence.
std::vector<std::vector<double>> referenceLogProbs(const ModelConfig& config, const SampleWeights& weights,
                                                   const std::vector<std::int32_t>& ids);

} // namespace zl::test
