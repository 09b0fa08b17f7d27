#include "zerolens/sample_model.h"

#include "io/safetensors_writer.h"
#include "zerolens/atomic_file.h"
#include "zerolens/checkpoint.h"
#include "zerolens/config.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/tokenizer_training.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <random>

namespace zl {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::uint16_t toBf16(float f, float& rounded)
{
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    u += 0x7FFF + ((u >> 16) & 1); // round to nearest even
    const auto h = static_cast<std::uint16_t>(u >> 16);
    const std::uint32_t back = static_cast<std::uint32_t>(h) << 16;
    std::memcpy(&rounded, &back, 4);
    return h;
}

std::uint16_t toF16(float f, float& rounded)
{
    // Values here are small (|x| < 4), so normal/subnormal handling suffices.
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    const std::uint32_t sign = (u >> 16) & 0x8000;
    const float a = std::fabs(f);
    std::uint16_t h;
    if (a < 6.103515625e-05f) {
        const auto m = static_cast<std::uint16_t>(std::lround(a / 5.960464477539063e-08f));
        h = static_cast<std::uint16_t>(sign | m);
        rounded = std::copysign(static_cast<float>(m) * 5.960464477539063e-08f, f);
    } else {
        int e;
        const float m = std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
        auto mant = static_cast<std::uint32_t>(std::lround((m * 2.0f - 1.0f) * 1024.0f));
        int exp = e - 1 + 15;
        if (mant == 1024) {
            mant = 0;
            ++exp;
        }
        h = static_cast<std::uint16_t>(sign | (static_cast<std::uint32_t>(exp) << 10) | mant);
        rounded = std::copysign(std::ldexp(1.0f + static_cast<float>(mant) / 1024.0f, exp - 15), f);
    }
    return h;
}

} // namespace

const std::string& sampleCorpus()
{
    static const std::string text =
        "The quick brown fox jumps over the lazy dog. The dog sleeps in the sun, and the fox runs into the "
        "forest. A small model can learn the shape of these sentences. The sun is warm and the forest is "
        "green. Every morning the fox looks for food, and every evening the dog waits at the door.\n"
        "Numbers like 12, 345 and 2024 appear in text too, as do questions: where is the fox? Here it is!\n";
    return text;
}

SampleWeights writeSampleModel(const fs::path& target, const SampleModelSpec& spec, bool overwrite)
{
    if (spec.dtype != "F32" && spec.dtype != "BF16" && spec.dtype != "F16")
        throw InvalidArgument("sample model dtype must be F32, F16 or BF16");
    if (spec.shards < 1)
        throw InvalidArgument("sample model needs at least one shard");
    StagedDirectory staged(target, OutputPolicy{overwrite, {}});
    const fs::path& dir = staged.path();
    BpeTrainingOptions bpe;
    bpe.vocabSize = 256 + spec.merges + 2;
    bpe.minFrequency = 1;
    const std::string tokenizer = trainByteLevelBpe(sampleCorpus(), bpe);
    const auto parsedTokenizer = json::parse(tokenizer);
    const std::int64_t vocab = 256 + static_cast<std::int64_t>(parsedTokenizer["model"]["merges"].size()) + 2;

    const bool qwen = spec.architecture == "Qwen2ForCausalLM";
    json config{{"architectures", {spec.architecture}},
                {"model_type", qwen                                        ? "qwen2"
                               : spec.architecture == "MistralForCausalLM" ? "mistral"
                                                                           : "llama"},
                {"vocab_size", vocab},
                {"hidden_size", spec.hiddenSize},
                {"intermediate_size", spec.intermediateSize},
                {"num_hidden_layers", spec.numLayers},
                {"num_attention_heads", spec.numHeads},
                {"num_key_value_heads", spec.numKeyValueHeads},
                {"max_position_embeddings", spec.maxPositionEmbeddings},
                {"rms_norm_eps", 1e-5},
                {"rope_theta", spec.ropeTheta},
                {"tie_word_embeddings", spec.tieWordEmbeddings},
                {"hidden_act", "silu"},
                {"bos_token_id", vocab - 2},
                {"eos_token_id", vocab - 1},
                {"torch_dtype", spec.dtype == "BF16"  ? "bfloat16"
                                : spec.dtype == "F16" ? "float16"
                                                      : "float32"}};
    const std::string configText = config.dump(2);
    const auto parsed = ModelConfig::fromJson(configText, "sample config");

    std::mt19937_64 rng(spec.seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    SampleWeights weights;
    const auto expected = expectedTensors(parsed);
    for (const auto& [name, shape] : expected) {
        std::vector<float> v(static_cast<std::size_t>(elementCount(shape)));
        const bool norm = name.find("norm") != std::string::npos;
        const bool bias = name.find("bias") != std::string::npos;
        for (auto& x : v)
            x = norm ? 1.0f + 0.1f * normal(rng)
                     : (bias ? 0.1f : (name.find("embed") != std::string::npos ? 0.5f : 0.15f)) * normal(rng);
        weights[name] = std::move(v);
    }

    // Assign tensors to shards round-robin in name order and serialise.
    const std::string dtype = spec.dtype;
    std::vector<io::SafetensorsWriter> shards(static_cast<std::size_t>(spec.shards));
    json weightMap = json::object();
    std::size_t k = 0;
    auto shardName = [&](std::size_t s) {
        char fname[64];
        std::snprintf(fname, sizeof fname, "model-%05zu-of-%05d.safetensors", s + 1, spec.shards);
        return spec.shards == 1 ? std::string("model.safetensors") : std::string(fname);
    };
    for (auto& [name, v] : weights) {
        const std::size_t s = k++ % shards.size();
        std::string bytes;
        for (auto& x : v) {
            if (dtype == "F32") {
                char b[4];
                std::memcpy(b, &x, 4);
                bytes.append(b, 4);
            } else {
                float rounded = 0.0f;
                const std::uint16_t h = dtype == "BF16" ? toBf16(x, rounded) : toF16(x, rounded);
                x = rounded;
                bytes += static_cast<char>(h & 0xFF);
                bytes += static_cast<char>(h >> 8);
            }
        }
        shards[s].add(name, dtype, expected.at(name), std::move(bytes));
        weightMap[name] = shardName(s);
    }
    for (std::size_t s = 0; s < shards.size(); ++s) {
        shards[s].setMetadata("format", "pt");
        shards[s].write(dir / shardName(s));
    }
    if (spec.shards > 1)
        writeFileAtomically(dir / "model.safetensors.index.json",
                            json{{"metadata", {{"total_size", 0}}}, {"weight_map", weightMap}}.dump(2));
    writeFileAtomically(dir / "config.json", configText);
    writeFileAtomically(dir / "tokenizer.json", tokenizer);
    writeFileAtomically(dir / "tokenizer_config.json",
                        json{{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"add_bos_token", true}}.dump(2));
    staged.commit();
    return weights;
}

} // namespace zl
