// Inspection of a Hugging Face model folder without loading its weights:
// config.json, the safetensors files and the tensors a Llama-family model needs.
#pragma once

#include "zerolens/config.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zl {

/// One tensor as described by a safetensors header.
struct TensorInfo {
    std::string name;
    std::string dtype; ///< "F32", "F16" or "BF16"
    std::vector<std::int64_t> shape;
    std::uint64_t bytes = 0;
    std::filesystem::path file;
};

/// What `zerolens-cli info` reports. Produced by inspectCheckpoint, which
/// validates the whole checkpoint (config values, every expected tensor present
/// with the right shape and dtype, offsets inside the files) and throws
/// FormatError naming the file and tensor on the first problem.
struct CheckpointInfo {
    std::filesystem::path dir;
    ModelConfig config;
    std::vector<std::filesystem::path> files;
    std::map<std::string, TensorInfo> tensors;
    std::int64_t parameterCount = 0;
    std::uint64_t storedBytes = 0;      ///< bytes of tensor data on disk
    std::string storedDtype;            ///< dominant dtype of the weights
    std::uint64_t fp32ComputeBytes = 0; ///< weight memory once loaded for fp32 compute
    /// Bytes on disk by part: 4-bit codes with scales and zero points, the sparse
    /// full-precision entries, 8-bit embeddings and lm_head with their scales, and
    /// everything else (float embeddings and lm_head, norms, biases).
    std::uint64_t quantizedBytes = 0, sparseBytes = 0, int8Bytes = 0, otherBytes = 0;
    std::int64_t sparseEntries = 0;
};

CheckpointInfo inspectCheckpoint(const std::filesystem::path& modelDir);

/// The tensor names and shapes of an unquantized model of this config.
std::map<std::string, std::vector<std::int64_t>> expectedTensors(const ModelConfig& config);

/// Number of elements of a tensor shape (1 for a scalar).
std::int64_t elementCount(const std::vector<std::int64_t>& shape);

/// True for the decoder-block linear weights that quantization replaces.
bool isQuantizableLinear(const std::string& tensorName);

} // namespace zl
