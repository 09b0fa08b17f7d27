// Writes the seed corpora of the fuzz targets from the engine's own writers
// (sample checkpoints, masks, safetensors), kept small: a few KiB per input.
// Usage: fuzz_make_corpus <tests/fuzz/corpus>. scripts/fuzz-corpus.sh runs it
// and adds the tokenizer.model seeds (spm_train) and trimmed real tokenizers.
#include "fuzz_support.h"
#include "io/safetensors_writer.h"
#include "zerolens/checkpoint.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string readFile(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put(const fs::path& root, const std::string& target, const std::string& name, const std::string& bytes)
{
    fs::create_directories(root / target);
    zl::fuzz::writeFile(root / target / name, bytes);
}

// A safetensors file as bytes: written by the engine's writer, read back.
std::string safetensorsBytes(const zl::io::SafetensorsWriter& w)
{
    const auto file = zl::fuzz::scratchDir() / "seed.safetensors";
    fs::remove(file);
    w.write(file);
    return readFile(file);
}

std::string zeros(std::size_t n)
{
    return std::string(n, '\0');
}

// The smallest config the parser accepts, so checkpoint seeds stay tiny.
json tinyConfig()
{
    return json{{"architectures", {"LlamaForCausalLM"}},
                {"model_type", "llama"},
                {"vocab_size", 8},
                {"hidden_size", 4},
                {"intermediate_size", 4},
                {"num_hidden_layers", 1},
                {"num_attention_heads", 2},
                {"num_key_value_heads", 1},
                {"max_position_embeddings", 16},
                {"tie_word_embeddings", true},
                {"torch_dtype", "float32"}};
}

// config.json NUL model.safetensors of a tiny checkpoint, quantized when `format` is set.
std::string checkpointSeed(const std::string& format, bool sparse, const std::string& floatDtype)
{
    json config = tinyConfig();
    const std::int64_t groupSize = 2;
    if (!format.empty())
        config["quantization_config"] = {
            {"quant_method", "zerolens"}, {"format", format}, {"group_size", groupSize}, {"sparse", sparse}};
    const auto parsed = zl::ModelConfig::fromJson(config.dump(), "seed");
    const std::size_t fsize = floatDtype == "F32" ? 4 : 2;
    zl::io::SafetensorsWriter w;
    for (const auto& [name, shape] : zl::expectedTensors(parsed)) {
        const auto n = static_cast<std::size_t>(zl::elementCount(shape));
        if (format.empty() || !zl::isQuantizableLinear(name)) {
            w.add(name, floatDtype, shape, zeros(n * fsize));
            continue;
        }
        const auto base = name.substr(0, name.size() - 6);
        const std::int64_t groups = (shape[1] + groupSize - 1) / groupSize;
        w.add(base + "qweight", "U8", {shape[0], shape[1] / 2}, zeros(n / 2));
        w.add(base + "scales", "F32", {shape[0], groups}, zeros(static_cast<std::size_t>(shape[0] * groups) * 4));
        if (format == "int4")
            w.add(base + "zeros", "U8", {shape[0], groups}, zeros(static_cast<std::size_t>(shape[0] * groups)));
        if (sparse) {
            w.add(base + "sparse_indices", "I64", {1}, zeros(8));
            w.add(base + "sparse_values", "F32", {1}, zeros(4));
        }
    }
    return config.dump(1) + std::string(1, '\0') + safetensorsBytes(w);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
        return 2;
    }
    const fs::path root(argv[1]);

    // Sample checkpoints: config.json, shard index, tokenizer.json.
    const auto& single = zl::fuzz::tinyModelDir("single", 1);
    const auto& sharded = zl::fuzz::tinyModelDir("sharded", 2);
    put(root, "safetensors_index", "sample_two_shards.json", readFile(sharded / "model.safetensors.index.json"));
    {
        auto index = json::parse(readFile(sharded / "model.safetensors.index.json"));
        index.erase("metadata");
        put(root, "safetensors_index", "no_metadata.json", index.dump());
    }
    put(root, "model_config", "sample_llama.json", readFile(single / "config.json"));
    for (const std::string arch : {"Qwen2ForCausalLM", "MistralForCausalLM"}) {
        auto spec = zl::fuzz::tinyModelSpec();
        spec.architecture = arch;
        spec.dtype = "BF16";
        spec.tieWordEmbeddings = true;
        const auto dir = zl::fuzz::scratchDir() / arch;
        zl::writeSampleModel(dir, spec);
        put(root, "model_config", "sample_" + arch + ".json", readFile(dir / "config.json"));
    }
    {
        json c = tinyConfig();
        c["head_dim"] = 8;
        c["rope_scaling"] = {{"rope_type", "llama3"},
                             {"factor", 8.0},
                             {"low_freq_factor", 1.0},
                             {"high_freq_factor", 4.0},
                             {"original_max_position_embeddings", 8192}};
        c["eos_token_id"] = {1, 2};
        c["bos_token_id"] = 0;
        c["rms_norm_eps"] = 1e-5;
        c["rope_theta"] = 500000.0;
        c["attention_bias"] = false;
        put(root, "model_config", "llama3_rope.json", c.dump(2));
        c["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}};
        c["quantization_config"] = {{"quant_method", "zerolens"}, {"format", "nf4"}, {"group_size", 64}};
        put(root, "model_config", "linear_rope_quantized.json", c.dump(2));
    }
    put(root, "tokenizer_json", "sample_bytelevel.json",
        readFile(single / "tokenizer.json") + std::string(1, '\0') + "The fox, 12 dogs and caf\xc3\xa9?");
    put(root, "tokenizer_json", "sample_with_tokenizer_config.json",
        readFile(single / "tokenizer.json") + std::string(1, '\0') + "<s>The fox</s>" + std::string(1, '\0') +
            readFile(single / "tokenizer_config.json"));
    put(root, "corpus", "sample_corpus.txt", zl::sampleCorpus());
    put(root, "corpus", "mixed_scripts.txt",
        "caf\xc3\xa9 na\xc3\xafve\n\n\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80\r\n"
        "<s> tab\there  spaces   12345\n\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\n");

    // Quantized and plain checkpoint metadata.
    put(root, "checkpoint", "plain_f32", checkpointSeed("", false, "F32"));
    put(root, "checkpoint", "plain_bf16", checkpointSeed("", false, "BF16"));
    put(root, "checkpoint", "int4", checkpointSeed("int4", false, "F32"));
    put(root, "checkpoint", "int4_sparse", checkpointSeed("int4", true, "F16"));
    put(root, "checkpoint", "nf4_sparse", checkpointSeed("nf4", true, "F32"));

    // A mask of the tiny model the mask target loads it against.
    const auto info = zl::inspectCheckpoint(single);
    zl::SensitivityMask mask;
    mask.rule = "random";
    mask.selection = "global";
    mask.fraction = 0.01;
    mask.sequences = 0;
    mask.seqLen = 0;
    mask.modelId = zl::modelIdentity(info);
    for (const auto& [name, t] : info.tensors)
        if (zl::isQuantizableLinear(name) &&
            (name.find("q_proj") != std::string::npos || name.find("up_proj") != std::string::npos)) {
            mask.shapes[name] = t.shape;
            mask.indices[name] = {0, 3, t.shape[0] * t.shape[1] - 1};
            mask.candidates += t.shape[0] * t.shape[1];
        }
    const auto maskFile = zl::fuzz::scratchDir() / "mask.safetensors";
    zl::saveMask(mask, maskFile);
    put(root, "mask", "random_global.safetensors", readFile(maskFile));
    put(root, "safetensors", "mask.safetensors", readFile(maskFile));
    mask.rule = "gradient_squared";
    mask.selection = "per_matrix";
    mask.corpusHash = "1234567890";
    mask.sequences = 4;
    mask.seqLen = 16;
    mask.indices.begin()->second.clear();
    fs::remove(maskFile);
    zl::saveMask(mask, maskFile);
    put(root, "mask", "gradient_per_matrix.safetensors", readFile(maskFile));

    // Plain safetensors files with every supported dtype and some metadata.
    {
        zl::io::SafetensorsWriter w;
        w.add("a.f32", "F32", {2, 2}, zeros(16));
        w.add("b.bf16", "BF16", {3}, zeros(6));
        w.add("c.f16", "F16", {1, 1, 2}, zeros(4));
        w.add("d.i64", "I64", {2}, zeros(16));
        w.add("e.i32", "I32", {1}, zeros(4));
        w.add("f.i16", "I16", {1}, zeros(2));
        w.add("g.i8", "I8", {3}, zeros(3));
        w.add("h.u8", "U8", {0}, "");
        w.add("scalar", "F32", {}, zeros(4));
        w.setMetadata("format", "pt");
        put(root, "safetensors", "all_dtypes.safetensors", safetensorsBytes(w));
    }
    put(root, "safetensors", "quantized.safetensors",
        checkpointSeed("int4", true, "F32").substr(checkpointSeed("int4", true, "F32").find('\0') + 1));
    std::printf("seed corpora written to %s\n", root.c_str());
    return 0;
}
