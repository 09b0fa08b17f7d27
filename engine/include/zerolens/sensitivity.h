// Sensitive-parameter masks (SensZOQ, Guo et al. 2024): the ~0.1% of linear
// weight entries with the largest squared gradients of the causal-LM loss, and
// random and magnitude masks of the same size for comparison. A mask is a set
// of flat row-major indices per weight matrix, saved as a file that records
// which model and corpus it came from.
#pragma once

#include "zerolens/checkpoint.h"
#include "zerolens/events.h"
#include "zerolens/output_target.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

namespace zl {

enum class MaskRule { GradientSquared, Random, Magnitude };

struct SensitivityMask;

struct SensitivityOptions {
    MaskRule rule = MaskRule::GradientSquared;
    std::filesystem::path corpus; ///< text for GradientSquared (one document per line)
    std::int64_t sequences = 64;  ///< N sequences whose squared gradients are summed
    std::int64_t seqLen = 128;
    double fraction = 0.001; ///< share of the candidate entries selected
    bool perMatrix = false;  ///< rank within each matrix instead of globally
    /// Matrix kinds that are candidates: any of q_proj k_proj v_proj o_proj gate_proj up_proj down_proj.
    std::vector<std::string> include{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    std::uint64_t seed = 0; ///< Random rule only
    std::string device = "cpu";
    /// GradientSquared only: called on the working thread every `partialEverySeconds`
    /// (not after the last sequence) with the mask the squared gradients summed so far
    /// select, so a chart can fill in during the run. Each call costs a top-k over
    /// all candidates, about as long as a few sequences on a small model.
    std::function<void(const SensitivityMask& partial, std::int64_t sequencesDone)> onPartialMask;
    double partialEverySeconds = 2.0;
};

struct SensitivityMask {
    std::string rule;      ///< "gradient_squared", "random" or "magnitude"
    std::string selection; ///< "global" or "per_matrix"
    double fraction = 0.0;
    std::int64_t sequences = 0;
    std::int64_t seqLen = 0;
    std::string modelId;         ///< modelIdentity() of the checkpoint
    std::string corpusHash;      ///< empty for rules that use no corpus
    std::int64_t candidates = 0; ///< entries eligible for selection
    /// Selected flat indices (ascending) per matrix name, e.g. "model.layers.0.mlp.up_proj.weight".
    std::map<std::string, std::vector<std::int64_t>> indices;
    /// Matrix shapes [rows, cols], for every matrix that was a candidate.
    std::map<std::string, std::vector<std::int64_t>> shapes;

    std::int64_t selected() const;
};

/// Computes a mask for the model folder. GradientSquared backpropagates each of
/// `sequences` windows of the corpus separately and sums the squared gradients
/// (the diagonal empirical Fisher); progress counts sequences. Throws Cancelled,
/// InvalidArgument for bad options, FormatError for a bad checkpoint or corpus.
SensitivityMask computeSensitivityMask(const std::filesystem::path& modelDir, const SensitivityOptions& options,
                                       EventSink* sink = nullptr, std::stop_token stop = {});

/// A short hash of the checkpoint's architecture and tensor headers (names,
/// dtypes, shapes): masks are refused on any other model.
std::string modelIdentity(const CheckpointInfo& info);

/// Saves a mask as a safetensors file (I64 indices per matrix, metadata in the
/// header; numbers at full precision), atomically. Throws InvalidArgument when
/// `policy` forbids the target (see checkOutputTarget), e.g. an existing file
/// without policy.overwrite.
void saveMask(const SensitivityMask& mask, const std::filesystem::path& file, const OutputPolicy& policy = {});
/// Loads and validates a mask. With `model`, also checks that it belongs to that
/// checkpoint. Throws FormatError naming the file and problem.
SensitivityMask loadMask(const std::filesystem::path& file, const CheckpointInfo* model = nullptr);

} // namespace zl
