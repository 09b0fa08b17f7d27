#include "arch/llama_layout.h"

#include <array>
#include <charconv>

namespace zl::arch {

namespace {

constexpr std::string_view kLayers = "model.layers.";

struct ProjectionNames {
    const char* module;
    const char* kind;
};
constexpr std::array<ProjectionNames, kProjectionCount> kNames = {{{"self_attn.q_proj", "q_proj"},
                                                                   {"self_attn.k_proj", "k_proj"},
                                                                   {"self_attn.v_proj", "v_proj"},
                                                                   {"self_attn.o_proj", "o_proj"},
                                                                   {"mlp.gate_proj", "gate_proj"},
                                                                   {"mlp.up_proj", "up_proj"},
                                                                   {"mlp.down_proj", "down_proj"}}};

std::string layerPrefix(std::int64_t layer)
{
    return std::string(kLayers) + std::to_string(layer) + ".";
}

} // namespace

const char* projectionModule(Projection p)
{
    return kNames[static_cast<std::size_t>(p)].module;
}

const char* projectionKind(Projection p)
{
    return kNames[static_cast<std::size_t>(p)].kind;
}

std::optional<Projection> projectionFromKind(std::string_view kind)
{
    for (int p = 0; p < kProjectionCount; ++p)
        if (kind == kNames[static_cast<std::size_t>(p)].kind)
            return static_cast<Projection>(p);
    return std::nullopt;
}

std::vector<std::int64_t> projectionShape(const ModelConfig& c, Projection p)
{
    const std::int64_t q = c.numHeads * c.headDim;
    const std::int64_t kv = c.numKeyValueHeads * c.headDim;
    switch (p) {
    case kQ:
        return {q, c.hiddenSize};
    case kK:
    case kV:
        return {kv, c.hiddenSize};
    case kO:
        return {c.hiddenSize, q};
    case kGate:
    case kUp:
        return {c.intermediateSize, c.hiddenSize};
    case kDown:
    case kProjectionCount:
        break;
    }
    return {c.hiddenSize, c.intermediateSize};
}

std::string inputNormName(std::int64_t layer)
{
    return layerPrefix(layer) + "input_layernorm.weight";
}

std::string postNormName(std::int64_t layer)
{
    return layerPrefix(layer) + "post_attention_layernorm.weight";
}

std::string projectionTensorName(std::int64_t layer, Projection p, std::string_view suffix)
{
    return layerPrefix(layer) + projectionModule(p) + "." + std::string(suffix);
}

std::optional<ProjectionRef> parseProjectionWeight(std::string_view name)
{
    if (name.substr(0, kLayers.size()) != kLayers)
        return std::nullopt;
    name.remove_prefix(kLayers.size());
    ProjectionRef ref;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), ref.layer);
    if (ec != std::errc() || end == name.data() || ref.layer < 0 || end == name.data() + name.size() || *end != '.' ||
        (name[0] == '0' && end - name.data() > 1))
        return std::nullopt;
    const std::string_view rest(end + 1, static_cast<std::size_t>(name.data() + name.size() - end - 1));
    for (int p = 0; p < kProjectionCount; ++p) {
        const std::string expected = std::string(kNames[static_cast<std::size_t>(p)].module) + ".weight";
        if (rest == expected) {
            ref.projection = static_cast<Projection>(p);
            return ref;
        }
    }
    return std::nullopt;
}

} // namespace zl::arch
