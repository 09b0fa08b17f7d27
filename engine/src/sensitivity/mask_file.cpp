// The mask file: a safetensors container whose tensors are the selected flat
// indices (I64) of each matrix, and whose metadata says how the mask was made.
#include "zerolens/sensitivity.h"

#include "io/json_file.h"
#include "io/safetensors.h"
#include "io/safetensors_writer.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>
#include <sstream>

namespace zl {

std::int64_t SensitivityMask::selected() const
{
    std::int64_t n = 0;
    for (const auto& [name, v] : indices)
        n += static_cast<std::int64_t>(v.size());
    return n;
}

std::string modelIdentity(const CheckpointInfo& info)
{
    // FNV-1a over a canonical description; stable across file layouts (sharding).
    std::ostringstream s;
    const auto& c = info.config;
    s << c.architecture << ' ' << c.vocabSize << ' ' << c.hiddenSize << ' ' << c.intermediateSize << ' ' << c.numLayers
      << ' ' << c.numHeads << ' ' << c.numKeyValueHeads << ' ' << c.headDim << ' ' << c.tieWordEmbeddings << '\n';
    for (const auto& [name, t] : info.tensors) {
        s << name << ' ' << t.dtype;
        for (auto d : t.shape)
            s << ' ' << d;
        s << '\n';
    }
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char ch : s.str())
        h = (h ^ ch) * 1099511628211ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

void saveMask(const SensitivityMask& mask, const std::filesystem::path& file, const OutputPolicy& policy)
{
    checkOutputTarget(file, policy, OutputKind::File, "mask file");
    io::SafetensorsWriter w;
    nlohmann::json shapes = nlohmann::json::object();
    for (const auto& [name, idx] : mask.indices) {
        std::string bytes(idx.size() * 8, '\0');
        if (!idx.empty())
            std::memcpy(bytes.data(), idx.data(), bytes.size());
        w.add(name, "I64", {static_cast<std::int64_t>(idx.size())}, std::move(bytes));
    }
    for (const auto& [name, shape] : mask.shapes)
        shapes[name] = shape;
    w.setMetadata("format", "zerolens-mask-1");
    w.setMetadata("rule", mask.rule);
    w.setMetadata("selection", mask.selection);
    w.setMetadata("fraction", formatExact(mask.fraction));
    w.setMetadata("sequences", std::to_string(mask.sequences));
    w.setMetadata("seq_len", std::to_string(mask.seqLen));
    w.setMetadata("model_id", mask.modelId);
    w.setMetadata("corpus_hash", mask.corpusHash);
    w.setMetadata("candidates", std::to_string(mask.candidates));
    w.setMetadata("shapes", shapes.dump());
    w.write(file);
}

SensitivityMask loadMask(const std::filesystem::path& file, const CheckpointInfo* model)
{
    // A file that is not even safetensors is most likely the wrong file, not a damaged mask.
    const auto f = [&] {
        try {
            return io::SafetensorsFile(file);
        } catch (const FormatError& e) {
            throw FormatError(file.string() +
                              " is not a mask file (expected the .safetensors file that "
                              "`zerolens-cli sensitivity` or the Prepare page writes): " +
                              e.what());
        }
    }();
    const std::string where = file.string();
    const auto& meta = f.metadata();
    auto get = [&](const char* key) {
        const auto it = meta.find(key);
        if (it == meta.end())
            throw FormatError(where + ": not a ZeroLens mask (metadata \"" + key + "\" is missing)");
        return it->second;
    };
    if (get("format") != "zerolens-mask-1")
        throw FormatError(where + ": unknown mask format \"" + get("format") + "\"");
    // from_chars, not stod: independent of the locale a GUI sets, and strict about trailing text.
    auto number = [&](const char* key, auto& out) {
        const std::string text = get(key);
        const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size())
            throw FormatError(where + ": mask metadata \"" + key + "\" is not a number: \"" + text.substr(0, 40) +
                              "\"");
    };
    SensitivityMask m;
    number("fraction", m.fraction);
    number("sequences", m.sequences);
    number("seq_len", m.seqLen);
    number("candidates", m.candidates);
    try {
        m.rule = get("rule");
        m.selection = get("selection");
        m.modelId = get("model_id");
        m.corpusHash = get("corpus_hash");
        const auto shapes = io::parseJson(get("shapes"), where + " (metadata \"shapes\")");
        for (const auto& [name, shape] : shapes.items())
            m.shapes[name] = shape.get<std::vector<std::int64_t>>();
    } catch (const std::exception& e) {
        throw FormatError(where + ": malformed mask metadata: " + e.what());
    }
    for (const auto& [name, t] : f.tensors()) {
        // Masks hold decoder-block projections only: "model.layers.<n>.<block>.<kind>.weight".
        if (!isQuantizableLinear(name))
            throw FormatError(where + ": tensor '" + name.substr(0, 80) +
                              "' is not a decoder-block projection (model.layers.N.….weight)");
        const auto shape = m.shapes.find(name);
        if (t.dtype != "I64" || t.shape.size() != 1 || shape == m.shapes.end() || shape->second.size() != 2)
            throw FormatError(where + ": tensor '" + name +
                              "' must be 1-D I64 indices of a matrix listed in the metadata");
        const auto rows = shape->second[0], cols = shape->second[1];
        if (rows <= 0 || cols <= 0 || rows > (std::int64_t{1} << 40) / cols)
            throw FormatError(where + ": matrix '" + name + "' has an impossible shape in the metadata");
        const std::int64_t limit = rows * cols;
        std::vector<std::int64_t> idx(static_cast<std::size_t>(t.shape[0]));
        if (!idx.empty())
            std::memcpy(idx.data(), f.data(name), idx.size() * 8);
        for (std::size_t i = 0; i < idx.size(); ++i)
            if (idx[i] < 0 || idx[i] >= limit || (i > 0 && idx[i] <= idx[i - 1]))
                throw FormatError(where + ": tensor '" + name + "': index " + std::to_string(idx[i]) + " at position " +
                                  std::to_string(i) + " is out of range [0, " + std::to_string(limit) +
                                  ") or not ascending");
        m.indices[name] = std::move(idx);
    }
    if (model) {
        if (m.modelId != modelIdentity(*model))
            throw FormatError(where + ": this mask was computed for another model (id " + m.modelId + ", " +
                              model->dir.string() + " is " + modelIdentity(*model) + ")");
        for (const auto& [name, shape] : m.shapes) {
            const auto it = model->tensors.find(name);
            if (it == model->tensors.end() || it->second.shape != shape)
                throw FormatError(where + ": matrix '" + name + "' does not match the model");
        }
    }
    return m;
}

} // namespace zl
