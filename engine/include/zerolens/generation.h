// Autoregressive text generation with a KV cache, sampling and streaming.
#pragma once

#include "zerolens/model.h"

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace zl {

/// Temperatures below this decode greedily, like 0. Dividing logits by a
/// smaller one only sharpens the distribution to its argmax anyway, and in
/// floating point it overflows (1e-300 made every probability NaN).
inline constexpr double kGreedyBelowTemperature = 1e-5;

/// Sampling settings, with Hugging Face `generate` semantics.
struct SamplingOptions {
    std::int64_t maxNewTokens = 64; ///< in [0, 1000000]
    double temperature = 1.0;       ///< in [0, 100]; 0 (or below kGreedyBelowTemperature) means greedy decoding
    std::int64_t topK = 0;          ///< 0 disables; otherwise >= 1
    double topP = 1.0;              ///< in (0, 1]; 1 disables
    double repetitionPenalty = 1.0; ///< finite and > 0; 1 disables; CTRL-style penalty over prompt and output
    std::uint64_t seed = 0;
    std::vector<std::string> stopStrings;
    bool stopAtEos = true;
};

/// Called with each newly completed piece of text (complete UTF-8 only) and the
/// id that produced it. Return true to stop generating.
using TokenCallback = std::function<bool(std::int32_t id, std::string_view textPiece)>;

struct GenerationResult {
    std::vector<std::int32_t> promptIds;
    std::vector<std::int32_t> ids; ///< new ids only
    std::string text;              ///< decoded new ids, special tokens skipped
    std::string stopReason;        ///< "eos", "length", "stop_string", "callback", "cancelled"
    double seconds = 0.0;
    double tokensPerSecond = 0.0; ///< new tokens per second, prompt processing included
};

/// Generates from a prompt (encoded with special tokens, i.e. with BOS when the
/// tokenizer adds one). Checks `stop` between tokens; a stop request ends the
/// generation early with stopReason "cancelled" (no exception) so partial text is kept.
GenerationResult generate(const Model& model, std::string_view prompt, const SamplingOptions& options,
                          const TokenCallback& onToken = {}, std::stop_token stop = {});

/// Validates sampling options, throwing InvalidArgument naming the bad one
/// (NaN and infinities are refused everywhere). generate() calls it first.
void validate(const SamplingOptions& options);

} // namespace zl
