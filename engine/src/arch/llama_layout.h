// The Llama-family tensor layout in one table: the Hugging Face names of every
// weight, the seven linear projections of a decoder block with their kinds and
// shapes, and the names of a projection's 4-bit tensors. Every loader, writer,
// mask and trainer spells names through here.
#pragma once

#include "zerolens/config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zl::arch {

/// The linear projections of a decoder block, in this order.
enum Projection { kQ, kK, kV, kO, kGate, kUp, kDown, kProjectionCount };

/// "self_attn.q_proj", ..., "mlp.down_proj".
const char* projectionModule(Projection p);
/// "q_proj", ..., "down_proj": the kind names masks and options use.
const char* projectionKind(Projection p);
std::optional<Projection> projectionFromKind(std::string_view kind);
/// [out, in] of a projection's weight.
std::vector<std::int64_t> projectionShape(const ModelConfig& config, Projection p);

inline constexpr const char* kEmbedTokens = "model.embed_tokens.weight";
inline constexpr const char* kFinalNorm = "model.norm.weight";
inline constexpr const char* kLmHead = "lm_head.weight";

std::string inputNormName(std::int64_t layer);
std::string postNormName(std::int64_t layer);
/// "model.layers.<layer>.<module>.<suffix>", suffix "weight", "bias", or a 4-bit
/// tensor: "qweight", "scales", "zeros", "sparse_indices", "sparse_values".
std::string projectionTensorName(std::int64_t layer, Projection p, std::string_view suffix = "weight");

struct ProjectionRef {
    std::int64_t layer = 0;
    Projection projection = kQ;
};
/// The layer and projection of "model.layers.<n>.<module>.weight"; nullopt for
/// any other name (embeddings, norms, lm_head, biases, malformed numbers).
std::optional<ProjectionRef> parseProjectionWeight(std::string_view name);

} // namespace zl::arch
