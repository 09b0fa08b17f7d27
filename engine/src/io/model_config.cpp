// config.json of Llama-family checkpoints (LlamaForCausalLM, MistralForCausalLM,
// Qwen2ForCausalLM), with the defaults of Hugging Face transformers' configs.
#include "zerolens/config.h"

#include "io/json_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace zl {

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxDim = 1 << 20; // larger than any real model's dimensions

struct Reader {
    const json& j;
    const std::string& origin;

    std::int64_t integer(const char* key, std::int64_t fallback, bool required, std::int64_t lo, std::int64_t hi) const
    {
        if (!j.contains(key) || j[key].is_null()) {
            if (required)
                throw FormatError(origin + ": missing required key \"" + key + "\"");
            return fallback;
        }
        return io::integerValue(j[key], lo, hi, origin + ": \"" + key + "\"");
    }

    double number(const char* key, double fallback, double lo, double hi) const
    {
        if (!j.contains(key) || j[key].is_null())
            return fallback;
        const auto& v = j[key];
        if (!v.is_number())
            throw FormatError(origin + ": \"" + key + "\" must be a number, found " + io::describeJson(v));
        const double x = v.get<double>();
        if (!(x > lo && x <= hi))
            throw FormatError(origin + ": \"" + key + "\" = " + v.dump() + " is outside (" + json(lo).dump() + ", " +
                              json(hi).dump() + "]");
        return x;
    }

    bool boolean(const char* key, bool fallback) const
    {
        if (!j.contains(key) || j[key].is_null())
            return fallback;
        if (!j[key].is_boolean())
            throw FormatError(origin + ": \"" + key + "\" must be true or false, found " + io::describeJson(j[key]));
        return j[key].get<bool>();
    }
};

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
    return s;
}

ModelConfig fromParsed(const json& j, const std::string& origin);

} // namespace

std::vector<std::string> ModelConfig::supportedArchitectures()
{
    return {"LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM"};
}

ModelConfig ModelConfig::fromFile(const std::filesystem::path& configJson)
{
    std::error_code ec;
    if (!std::filesystem::exists(configJson, ec))
        throw FormatError(configJson.string() + ": cannot open (a Hugging Face model folder needs config.json)");
    return fromParsed(io::readJsonFile(configJson, io::kMaxSmallJsonBytes), configJson.string());
}

ModelConfig ModelConfig::fromJson(const std::string& text, const std::string& origin)
{
    if (text.size() > io::kMaxSmallJsonBytes)
        throw FormatError(origin + ": larger than " + std::to_string(io::kMaxSmallJsonBytes >> 20) +
                          " MiB; a config.json has kilobytes");
    return fromParsed(io::parseJson(text, origin), origin);
}

namespace {

ModelConfig fromParsed(const json& j, const std::string& origin)
{
    if (!j.is_object())
        throw FormatError(origin + ": expected a JSON object");
    ModelConfig c;
    const auto supported = ModelConfig::supportedArchitectures();
    if (!j.contains("architectures") || !j["architectures"].is_array() || j["architectures"].empty() ||
        !j["architectures"][0].is_string())
        throw FormatError(origin + ": missing \"architectures\" (expected one of " + joined(supported) + ")");
    c.architecture = j["architectures"][0].get<std::string>();
    if (std::find(supported.begin(), supported.end(), c.architecture) == supported.end())
        throw FormatError(origin + ": architecture " + c.architecture +
                          " is not supported; supported: " + joined(supported));
    c.modelType = io::stringMember(j, "model_type", std::string(), origin);
    const Reader r{j, origin};
    c.vocabSize = r.integer("vocab_size", 0, true, 1, 1 << 24);
    c.hiddenSize = r.integer("hidden_size", 0, true, 1, kMaxDim);
    c.intermediateSize = r.integer("intermediate_size", 0, true, 1, kMaxDim);
    c.numLayers = r.integer("num_hidden_layers", 0, true, 1, 4096);
    c.numHeads = r.integer("num_attention_heads", 0, true, 1, 4096);
    c.numKeyValueHeads = r.integer("num_key_value_heads", c.numHeads, false, 1, 4096);
    if (c.numHeads % c.numKeyValueHeads != 0)
        throw FormatError(origin + ": num_attention_heads (" + std::to_string(c.numHeads) +
                          ") must be a multiple of num_key_value_heads (" + std::to_string(c.numKeyValueHeads) + ")");
    if (j.contains("head_dim") && !j["head_dim"].is_null()) {
        c.headDim = r.integer("head_dim", 0, true, 2, 4096);
    } else {
        if (c.hiddenSize % c.numHeads != 0)
            throw FormatError(origin + ": hidden_size (" + std::to_string(c.hiddenSize) +
                              ") is not divisible by num_attention_heads (" + std::to_string(c.numHeads) + ")");
        c.headDim = c.hiddenSize / c.numHeads;
    }
    if (c.headDim % 2 != 0)
        throw FormatError(origin + ": head dimension " + std::to_string(c.headDim) +
                          " must be even for rotary embeddings");
    c.maxPositionEmbeddings = r.integer("max_position_embeddings", 2048, false, 1, 1 << 24);
    c.rmsNormEps = r.number("rms_norm_eps", 1e-6, 0.0, 1.0);
    c.ropeTheta = r.number("rope_theta", 10000.0, 0.0, 1e12);
    c.tieWordEmbeddings = r.boolean("tie_word_embeddings", false);
    c.attentionBias = c.architecture == "Qwen2ForCausalLM" || r.boolean("attention_bias", false);
    if (j.contains("torch_dtype") && j["torch_dtype"].is_string())
        c.torchDtype = j["torch_dtype"].get<std::string>();
    // Token ids are range-checked: get<std::int32_t>() later would wrap 2^32 + 5 to 5.
    // -1 is how some configs say "none".
    constexpr std::int64_t kMaxTokenId = std::numeric_limits<std::int32_t>::max();
    if (const auto* b = io::findMember(j, "bos_token_id"))
        c.bosTokenId = io::integerValue(*b, -1, kMaxTokenId, origin + ": \"bos_token_id\"");
    if (const auto* e = io::findMember(j, "eos_token_id")) {
        const std::string what = origin + ": \"eos_token_id\"";
        if (e->is_array()) {
            for (const auto& x : *e)
                if (const auto id = io::integerValue(x, -1, kMaxTokenId, what + " entries"); id >= 0)
                    c.eosTokenIds.push_back(id);
        } else if (const auto id = io::integerValue(*e, -1, kMaxTokenId, what); id >= 0) {
            c.eosTokenIds.push_back(id);
        }
    }

    if (j.contains("quantization_config") && !j["quantization_config"].is_null()) {
        const auto& q = j["quantization_config"];
        if (!q.is_object() ||
            io::stringMember(q, "quant_method", std::string(), origin + ": quantization_config") != "zerolens")
            throw FormatError(origin +
                              ": quantization_config is not a ZeroLens quantization (quant_method \"zerolens\"); "
                              "other quantized formats (GPTQ, AWQ, bitsandbytes) cannot be loaded");
        const Reader qr{q, origin};
        c.quantization.format = io::stringMember(q, "format", std::string(), origin + ": quantization_config");
        if (c.quantization.format != "int4" && c.quantization.format != "nf4")
            throw FormatError(origin + ": quantization_config format \"" + c.quantization.format +
                              "\" is not supported (expected int4 or nf4)");
        c.quantization.groupSize = qr.integer("group_size", 0, true, 2, 1 << 20);
        if (c.quantization.groupSize % 2 != 0)
            throw FormatError(origin + ": quantization_config group_size must be even");
        c.quantization.sparse = qr.boolean("sparse", false);
        const auto embeddings = io::stringMember(q, "embedding_format", "float", origin + ": quantization_config");
        if (embeddings != "float" && embeddings != "int8")
            throw FormatError(origin + ": quantization_config embedding_format \"" + embeddings +
                              "\" is not supported (expected float or int8)");
        c.quantization.embeddingFormat = embeddings == "int8" ? embeddings : std::string();
    }
    if (j.contains("rope_scaling") && !j["rope_scaling"].is_null()) {
        const auto& rs = j["rope_scaling"];
        if (!rs.is_object())
            throw FormatError(origin + ": \"rope_scaling\" must be an object or null");
        const std::string where = origin + ": rope_scaling";
        const std::string type = io::findMember(rs, "rope_type") ? io::stringMember(rs, "rope_type", "", where)
                                                                 : io::stringMember(rs, "type", "", where);
        // transformers refuses rope_scaling without a type rather than guess one.
        if (type.empty())
            throw FormatError(where + " has no \"rope_type\" (or \"type\"); expected \"default\", \"linear\" "
                                      "or \"llama3\", or rope_scaling null for none");
        const Reader rr{rs, origin};
        if (type == "linear") {
            c.ropeScaling.kind = RopeScaling::Kind::Linear;
            c.ropeScaling.factor = rr.number("factor", 1.0, 0.0, 1e6);
        } else if (type == "llama3") {
            c.ropeScaling.kind = RopeScaling::Kind::Llama3;
            c.ropeScaling.factor = rr.number("factor", 8.0, 0.0, 1e6);
            c.ropeScaling.lowFreqFactor = rr.number("low_freq_factor", 1.0, 0.0, 1e6);
            c.ropeScaling.highFreqFactor = rr.number("high_freq_factor", 4.0, 0.0, 1e6);
            c.ropeScaling.originalMaxPositionEmbeddings =
                rr.integer("original_max_position_embeddings", 8192, false, 1, 1 << 24);
            if (c.ropeScaling.highFreqFactor <= c.ropeScaling.lowFreqFactor)
                throw FormatError(origin + ": rope_scaling high_freq_factor must exceed low_freq_factor");
        } else if (type != "default") {
            throw FormatError(origin + ": rope_scaling type \"" + type +
                              "\" is not supported (expected linear or llama3)");
        }
    }
    return c;
}

} // namespace

} // namespace zl
