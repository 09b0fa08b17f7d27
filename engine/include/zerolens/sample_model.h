// Writes small random Llama-family checkpoints in the real Hugging Face layout
// (config.json, model.safetensors or shards + index, tokenizer.json). Tests
// load them through the same code as a user's checkpoint; the CLI's
// `make-sample` uses it to try the app without any download.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zl {

struct SampleModelSpec {
    std::string architecture = "LlamaForCausalLM"; ///< or "Qwen2ForCausalLM", "MistralForCausalLM"
    std::string dtype = "F32";                     ///< "F32", "F16" or "BF16"
    int shards = 1;                                ///< >1 writes model-0000i-of-0000n.safetensors + index
    bool tieWordEmbeddings = false;
    std::int64_t hiddenSize = 32;
    std::int64_t intermediateSize = 64;
    std::int64_t numLayers = 2;
    std::int64_t numHeads = 4;
    std::int64_t numKeyValueHeads = 2;
    std::int64_t maxPositionEmbeddings = 256;
    double ropeTheta = 10000.0;
    int merges = 120; ///< BPE merges learned for the byte-level tokenizer
    std::uint64_t seed = 1;
};

/// The weights as written (after rounding to the stored dtype), by tensor name,
/// row-major, so tests can compute reference outputs independently.
using SampleWeights = std::map<std::string, std::vector<float>>;

/// Writes the checkpoint into `dir` as a whole (StagedDirectory in
/// output_target.h): a crash leaves no half-written folder, and an existing
/// non-empty `dir` is refused unless `overwrite`.
SampleWeights writeSampleModel(const std::filesystem::path& dir, const SampleModelSpec& spec = {},
                               bool overwrite = false);

/// The text the sample tokenizer's merges are learned from.
const std::string& sampleCorpus();

} // namespace zl
