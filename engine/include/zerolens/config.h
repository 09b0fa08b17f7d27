// The architecture of a Llama-family checkpoint, as read from its config.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace zl {

/// Rotary-embedding frequency scaling (config.json "rope_scaling").
struct RopeScaling {
    enum class Kind { None, Linear, Llama3 };
    Kind kind = Kind::None;
    double factor = 1.0;
    // llama3 only
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    std::int64_t originalMaxPositionEmbeddings = 8192;
};

/// How a ZeroLens-quantized checkpoint stores its linear weights
/// (config.json "quantization_config" with "quant_method": "zerolens").
struct QuantizationConfig {
    std::string format;         ///< "int4" or "nf4"; empty for an unquantized model
    std::int64_t groupSize = 0; ///< entries per scale along each row
    bool sparse = false;        ///< sensitive entries kept in full precision (dense-and-sparse)
    /// "int8" when embed_tokens (and an untied lm_head) are stored in 8 bits
    /// ("embedding_format"); empty when they are float as in the source model.
    std::string embeddingFormat;
};

/// Hyper-parameters of a decoder-only Llama-family model. Validated on parse.
struct ModelConfig {
    std::string architecture; ///< e.g. "LlamaForCausalLM"
    std::string modelType;    ///< config "model_type", e.g. "llama", "qwen2"
    std::int64_t vocabSize = 0;
    std::int64_t hiddenSize = 0;
    std::int64_t intermediateSize = 0;
    std::int64_t numLayers = 0;
    std::int64_t numHeads = 0;
    std::int64_t numKeyValueHeads = 0;
    std::int64_t headDim = 0;
    std::int64_t maxPositionEmbeddings = 2048;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    RopeScaling ropeScaling;
    bool tieWordEmbeddings = false;
    bool attentionBias = false; ///< q/k/v projections carry biases (Qwen2)
    std::string torchDtype;     ///< the dtype the checkpoint declares, informational
    std::int64_t bosTokenId = -1;
    std::vector<std::int64_t> eosTokenIds;
    QuantizationConfig quantization;

    /// Parses and validates a config.json. Throws FormatError naming the file and
    /// key: also for a file that is not a regular file, over 16 MiB, nested deeper
    /// than 128 levels, with rope_scaling lacking its rope_type (or type), or with
    /// token ids outside int32.
    static ModelConfig fromFile(const std::filesystem::path& configJson);
    /// Parses config.json text; `origin` names the source in error messages.
    static ModelConfig fromJson(const std::string& text, const std::string& origin);
    /// The architectures this build can run.
    static std::vector<std::string> supportedArchitectures();
};

} // namespace zl
