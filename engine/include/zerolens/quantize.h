// Quantizing a checkpoint to 4 bits, optionally dense-and-sparse (SensZOQ):
// the entries of a sensitivity mask stay in full precision, the rest become
// INT4 or NF4. The result is a model folder that Model::load opens like any other.
#pragma once

#include "zerolens/events.h"

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>

namespace zl {

struct QuantizeOptions {
    std::string format = "int4";  ///< "int4" (asymmetric RTN, scale + zero point) or "nf4" (absmax)
    std::int64_t groupSize = 128; ///< entries per scale along each row (32, 64, 128, ...)
    std::filesystem::path mask;   ///< optional sensitivity mask of this model: its entries are kept in S
    /// "float" (embed_tokens and lm_head as stored) or "int8" (8-bit rows with a
    /// scale per group: a quarter of fp32's bytes, read at every decode step).
    std::string embeddingFormat = "float";
    bool overwrite = false; ///< replace an existing non-empty output folder
};

/// Largest group size quantizeModel accepts (a group wider than a row is padded, so huge groups only cost time).
inline constexpr std::int64_t kMaxGroupSize = 4096;

struct QuantizeReport {
    std::int64_t matrices = 0;
    std::int64_t sparseEntries = 0;
    std::uint64_t inputBytes = 0;     ///< tensor data of the source checkpoint
    std::uint64_t quantizedBytes = 0; ///< 4-bit codes, scales, zero points
    std::uint64_t sparseBytes = 0;    ///< indices and values of S
    std::uint64_t int8Bytes = 0;      ///< 8-bit embeddings and lm_head with their scales
    std::uint64_t otherBytes = 0;     ///< norms, biases, float embeddings and lm_head as stored
    double maxAbsError = 0.0;         ///< over all 4-bit matrices, |W - (dequant(Q) + S)|
    double rmsError = 0.0;
    double embeddingMaxAbsError = 0.0; ///< the same over the 8-bit embeddings and lm_head
    double embeddingRmsError = 0.0;
    std::uint64_t peakRssBytes = 0; ///< of this process, when the output was written
};

/// Reads `modelDir` one matrix at a time from its memory map and writes the
/// quantized model (config.json with quantization_config, model.safetensors,
/// tokenizer files) to `outDir` as a whole (StagedDirectory): an existing
/// non-empty outDir is refused unless options.overwrite, and so is the model
/// folder itself or a folder containing it. Progress counts matrices.
/// Throws InvalidArgument for bad options or targets (e.g. an odd group size),
/// FormatError for a bad checkpoint or a mask of another model, Cancelled.
QuantizeReport quantizeModel(const std::filesystem::path& modelDir, const std::filesystem::path& outDir,
                             const QuantizeOptions& options, EventSink* sink = nullptr, std::stop_token stop = {});

} // namespace zl
