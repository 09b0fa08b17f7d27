#include "zerolens/sample_model.h"

#include "tokenizer/unicode_text.h"
#include "zerolens/checkpoint.h"
#include "zerolens/config.h"
#include "zerolens/error.h"

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

void writeFileAtomically(const fs::path& path, const std::string& bytes)
{
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw InvalidArgument(tmp.string() + ": cannot write");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw InvalidArgument(tmp.string() + ": write failed");
    }
    fs::rename(tmp, path);
}

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

// Learns byte-level BPE merges from the corpus: repeatedly merge the most
// frequent adjacent pair within GPT-2 style words.
json sampleTokenizer(int mergeCount)
{
    const auto& table = tok::byteToUnicode();
    std::map<std::string, std::int64_t> wordCounts;
    std::string word;
    for (char ch : sampleCorpus()) {
        if ((ch == ' ' || ch == '\n') && !word.empty()) {
            ++wordCounts[word];
            word.clear();
        }
        if (ch != '\n')
            word += table[static_cast<unsigned char>(ch)];
    }
    if (!word.empty())
        ++wordCounts[word];
    std::vector<std::pair<std::vector<std::string>, std::int64_t>> words;
    for (const auto& [w, n] : wordCounts)
        words.emplace_back(tok::utf8Chars(w), n);

    json vocab = json::object();
    std::int32_t next = 0;
    for (int b = 0; b < 256; ++b)
        vocab[table[static_cast<std::size_t>(b)]] = next++;
    json merges = json::array();
    for (int m = 0; m < mergeCount; ++m) {
        std::map<std::pair<std::string, std::string>, std::int64_t> pairs;
        for (const auto& [syms, n] : words)
            for (std::size_t i = 0; i + 1 < syms.size(); ++i)
                pairs[{syms[i], syms[i + 1]}] += n;
        if (pairs.empty())
            break;
        auto best = pairs.begin();
        for (auto it = pairs.begin(); it != pairs.end(); ++it)
            if (it->second > best->second)
                best = it;
        const auto [a, b] = best->first;
        merges.push_back(a + " " + b);
        vocab[a + b] = next++;
        for (auto& [syms, n] : words) {
            std::vector<std::string> merged;
            for (std::size_t i = 0; i < syms.size(); ++i) {
                if (i + 1 < syms.size() && syms[i] == a && syms[i + 1] == b) {
                    merged.push_back(a + b);
                    ++i;
                } else {
                    merged.push_back(syms[i]);
                }
            }
            syms = std::move(merged);
        }
    }
    const std::int32_t bos = next++;
    const std::int32_t eos = next++;
    auto added = [](std::int32_t id, const char* content) {
        return json{{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", false},
                    {"rstrip", false}, {"normalized", false}, {"special", true}};
    };
    return json{
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", {added(bos, "<s>"), added(eos, "</s>")}},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor",
         {{"type", "TemplateProcessing"},
          {"single",
           {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
          {"pair", json::array()},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {bos}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"vocab", vocab},
          {"merges", merges}}}};
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

SampleWeights writeSampleModel(const fs::path& dir, const SampleModelSpec& spec)
{
    if (spec.dtype != "F32" && spec.dtype != "BF16" && spec.dtype != "F16")
        throw InvalidArgument("sample model dtype must be F32, F16 or BF16");
    if (spec.shards < 1)
        throw InvalidArgument("sample model needs at least one shard");
    fs::create_directories(dir);
    const json tokenizer = sampleTokenizer(spec.merges);
    const std::int64_t vocab = 256 + static_cast<std::int64_t>(tokenizer["model"]["merges"].size()) + 2;

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
        std::int64_t n = 1;
        for (auto d : shape)
            n *= d;
        std::vector<float> v(static_cast<std::size_t>(n));
        const bool norm = name.find("norm") != std::string::npos;
        const bool bias = name.find("bias") != std::string::npos;
        for (auto& x : v)
            x = norm ? 1.0f + 0.1f * normal(rng)
                     : (bias ? 0.1f : (name.find("embed") != std::string::npos ? 0.5f : 0.15f)) * normal(rng);
        weights[name] = std::move(v);
    }

    // Assign tensors to shards round-robin in name order and serialise.
    const std::string dtype = spec.dtype;
    const std::size_t elem = dtype == "F32" ? 4 : 2;
    std::vector<std::vector<std::string>> shardNames(static_cast<std::size_t>(spec.shards));
    std::size_t k = 0;
    for (const auto& [name, v] : weights)
        shardNames[k++ % shardNames.size()].push_back(name);
    json weightMap = json::object();
    for (std::size_t s = 0; s < shardNames.size(); ++s) {
        char fname[64];
        std::snprintf(fname, sizeof fname, "model-%05zu-of-%05d.safetensors", s + 1, spec.shards);
        const std::string file = spec.shards == 1 ? "model.safetensors" : fname;
        json header = json::object();
        header["__metadata__"] = {{"format", "pt"}};
        std::string data;
        for (const auto& name : shardNames[s]) {
            auto& v = weights[name];
            const std::size_t begin = data.size();
            for (auto& x : v) {
                if (elem == 4) {
                    char b[4];
                    std::memcpy(b, &x, 4);
                    data.append(b, 4);
                } else {
                    float rounded = 0.0f;
                    const std::uint16_t h = dtype == "BF16" ? toBf16(x, rounded) : toF16(x, rounded);
                    x = rounded;
                    data += static_cast<char>(h & 0xFF);
                    data += static_cast<char>(h >> 8);
                }
            }
            header[name] = {{"dtype", dtype}, {"shape", expected.at(name)}, {"data_offsets", {begin, data.size()}}};
            weightMap[name] = file;
        }
        std::string h = header.dump();
        while ((8 + h.size()) % 8 != 0)
            h += ' ';
        std::string bytes(8, '\0');
        for (int i = 0; i < 8; ++i)
            bytes[static_cast<std::size_t>(i)] = static_cast<char>((h.size() >> (8 * i)) & 0xFF);
        writeFileAtomically(dir / file, bytes + h + data);
    }
    if (spec.shards > 1)
        writeFileAtomically(dir / "model.safetensors.index.json",
                            json{{"metadata", {{"total_size", 0}}}, {"weight_map", weightMap}}.dump(2));
    writeFileAtomically(dir / "config.json", configText);
    writeFileAtomically(dir / "tokenizer.json", tokenizer.dump(2));
    writeFileAtomically(dir / "tokenizer_config.json",
                        json{{"bos_token", "<s>"}, {"eos_token", "</s>"}, {"add_bos_token", true}}.dump(2));
    return weights;
}

} // namespace zl
