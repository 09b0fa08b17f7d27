#include "io/checkpoint_reader.h"

#include "arch/llama_layout.h"
#include "io/json_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <set>

namespace zl {

namespace fs = std::filesystem;

std::map<std::string, std::vector<std::int64_t>> expectedTensors(const ModelConfig& c)
{
    std::map<std::string, std::vector<std::int64_t>> t;
    t[arch::kEmbedTokens] = {c.vocabSize, c.hiddenSize};
    t[arch::kFinalNorm] = {c.hiddenSize};
    if (!c.tieWordEmbeddings)
        t[arch::kLmHead] = {c.vocabSize, c.hiddenSize};
    for (std::int64_t i = 0; i < c.numLayers; ++i) {
        t[arch::inputNormName(i)] = {c.hiddenSize};
        t[arch::postNormName(i)] = {c.hiddenSize};
        for (int p = 0; p < arch::kProjectionCount; ++p) {
            const auto proj = static_cast<arch::Projection>(p);
            t[arch::projectionTensorName(i, proj)] = arch::projectionShape(c, proj);
            if (c.attentionBias && (proj == arch::kQ || proj == arch::kK || proj == arch::kV))
                t[arch::projectionTensorName(i, proj, "bias")] = {arch::projectionShape(c, proj)[0]};
        }
    }
    return t;
}

std::int64_t elementCount(const std::vector<std::int64_t>& shape)
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

bool isQuantizableLinear(const std::string& name)
{
    return arch::parseProjectionWeight(name).has_value();
}

namespace {

std::string shapeText(const std::vector<std::int64_t>& s)
{
    std::string r = "[";
    for (std::size_t i = 0; i < s.size(); ++i)
        r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

void refusePickle(const fs::path& dir)
{
    for (const char* name :
         {"pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt", "model.pth", "consolidated.00.pth"})
        if (std::error_code ec; fs::exists(dir / name, ec))
            throw FormatError(
                (dir / name).string() +
                ": pickle checkpoints are never loaded, because unpickling can run arbitrary code. Convert the "
                "model to safetensors first, e.g. in Python: AutoModelForCausalLM.from_pretrained(dir)"
                ".save_pretrained(out, safe_serialization=True)");
}

std::vector<fs::path> shardFiles(const fs::path& dir)
{
    const fs::path single = dir / "model.safetensors";
    const fs::path index = dir / "model.safetensors.index.json";
    std::error_code ec;
    if (fs::exists(index, ec)) {
        const nlohmann::json j = io::readJsonFile(index, io::kMaxSmallJsonBytes, {.rejectDuplicateKeys = true});
        if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
            throw FormatError(index.string() + ": expected an object with a \"weight_map\" object");
        std::set<std::string> names;
        for (const auto& [tensor, file] : j["weight_map"].items()) {
            if (!file.is_string())
                throw FormatError(index.string() + ": weight_map entry for '" + tensor + "' must be a file name");
            const auto f = file.get<std::string>();
            if (f.empty() || f.find('/') != std::string::npos || f.find('\\') != std::string::npos || f == "." ||
                f == "..")
                throw FormatError(index.string() + ": shard name '" + f +
                                  "' must be a plain file name in the model folder");
            names.insert(f);
        }
        std::vector<fs::path> files;
        for (const auto& n : names)
            files.push_back(dir / n);
        if (files.empty())
            throw FormatError(index.string() + ": weight_map is empty");
        return files;
    }
    if (fs::exists(single, ec))
        return {single};
    std::vector<fs::path> files;
    if (fs::is_directory(dir, ec)) {
        fs::directory_iterator it(dir, ec);
        if (ec)
            throw FormatError(dir.string() + ": cannot list the folder: " + ec.message());
        for (; it != fs::directory_iterator(); it.increment(ec)) {
            if (ec)
                throw FormatError(dir.string() + ": cannot list the folder: " + ec.message());
            if (it->path().extension() == ".safetensors")
                files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        refusePickle(dir);
        throw FormatError(dir.string() + ": no model.safetensors or model.safetensors.index.json in this folder");
    }
    return files;
}

} // namespace

namespace io {

CheckpointReader::CheckpointReader(const fs::path& modelDir)
{
    if (std::error_code ec; !fs::exists(modelDir, ec))
        throw FormatError(modelDir.string() + " does not exist (expected a Hugging Face model folder)");
    if (std::error_code ec; !fs::is_directory(modelDir, ec))
        throw FormatError(modelDir.string() + ": not a folder (expected a Hugging Face model folder)");
    m_info.dir = modelDir;
    m_info.config = ModelConfig::fromFile(modelDir / "config.json");
    m_info.files = shardFiles(modelDir);
    for (const auto& f : m_info.files) {
        m_files.push_back(std::make_unique<SafetensorsFile>(f));
        for (const auto& [name, t] : m_files.back()->tensors()) {
            if (m_owner.count(name))
                throw FormatError(f.string() + ": tensor '" + name + "' also appears in " +
                                  m_owner[name]->path().string());
            m_owner[name] = m_files.back().get();
            m_info.tensors[name] = t;
        }
    }
    std::map<std::string, std::uint64_t> bytesByDtype;
    const auto& quant = m_info.config.quantization;
    auto require = [&](const std::string& name, const std::vector<std::int64_t>& shape, const std::string& dtype,
                       const std::string& expectedDtypeText) -> const TensorInfo& {
        const auto it = m_info.tensors.find(name);
        if (it == m_info.tensors.end())
            throw FormatError(modelDir.string() + ": tensor '" + name + "' is missing (expected shape " +
                              shapeText(shape) + ")");
        const bool dtypeOk =
            dtype == "float" ? (it->second.dtype == "F32" || it->second.dtype == "F16" || it->second.dtype == "BF16")
                             : it->second.dtype == dtype;
        if (!dtypeOk)
            throw FormatError(it->second.file.string() + ": tensor '" + name + "' has dtype " + it->second.dtype +
                              "; expected " + expectedDtypeText);
        // A shape entry of -1 accepts any length (the sparse part's entry count).
        bool shapeOk = it->second.shape.size() == shape.size();
        for (std::size_t d = 0; shapeOk && d < shape.size(); ++d)
            shapeOk = shape[d] < 0 || shape[d] == it->second.shape[d];
        if (!shapeOk)
            throw FormatError(it->second.file.string() + ": tensor '" + name + "' has shape " +
                              shapeText(it->second.shape) + " but config.json implies " + shapeText(shape));
        m_info.storedBytes += it->second.bytes;
        return it->second;
    };
    for (const auto& [name, shape] : expectedTensors(m_info.config)) {
        const std::int64_t n = elementCount(shape);
        m_info.parameterCount += n;
        m_info.fp32ComputeBytes += static_cast<std::uint64_t>(n) * 4;
        if (!quant.format.empty() && isQuantizableLinear(name)) {
            // name.weight is stored as name.qweight (+ scales, zeros, sparse part).
            const auto base = name.substr(0, name.size() - std::string("weight").size());
            const std::int64_t groups = (shape[1] + quant.groupSize - 1) / quant.groupSize;
            m_info.quantizedBytes += require(base + "qweight", {shape[0], shape[1] / 2}, "U8", "U8").bytes;
            m_info.quantizedBytes += require(base + "scales", {shape[0], groups}, "F32", "F32").bytes;
            if (quant.format == "int4")
                m_info.quantizedBytes += require(base + "zeros", {shape[0], groups}, "U8", "U8").bytes;
            if (quant.sparse) {
                const auto& idx = require(base + "sparse_indices", {-1}, "I64", "I64");
                const auto& val = require(base + "sparse_values", {-1}, "F32", "F32");
                if (idx.shape[0] != val.shape[0])
                    throw FormatError(idx.file.string() + ": '" + base + "sparse_indices' has " +
                                      std::to_string(idx.shape[0]) + " entries but sparse_values has " +
                                      std::to_string(val.shape[0]));
                m_info.sparseBytes += idx.bytes + val.bytes;
                m_info.sparseEntries += idx.shape[0];
            }
            bytesByDtype[quant.format == "int4" ? "INT4" : "NF4"] += static_cast<std::uint64_t>(n) / 2;
            continue;
        }
        if (!quant.embeddingFormat.empty() && (name == arch::kEmbedTokens || name == arch::kLmHead)) {
            // 8-bit rows: name.weight is stored as name.qweight (I8) + name.scales.
            const auto base = name.substr(0, name.size() - std::string("weight").size());
            const std::int64_t groups = (shape[1] + quant.groupSize - 1) / quant.groupSize;
            m_info.int8Bytes += require(base + "qweight", shape, "I8", "I8").bytes;
            m_info.int8Bytes += require(base + "scales", {shape[0], groups}, "F32", "F32").bytes;
            bytesByDtype["INT8"] += static_cast<std::uint64_t>(n);
            continue;
        }
        const auto& t = require(name, shape, "float", "F32, F16 or BF16 (model weights)");
        m_info.otherBytes += t.bytes;
        bytesByDtype[t.dtype] += t.bytes;
    }
    std::uint64_t best = 0;
    for (const auto& [dtype, bytes] : bytesByDtype)
        if (bytes > best) {
            best = bytes;
            m_info.storedDtype = dtype;
        }
}

const SafetensorsFile& CheckpointReader::fileOf(const std::string& tensor) const
{
    const auto it = m_owner.find(tensor);
    if (it == m_owner.end())
        throw FormatError(m_info.dir.string() + ": tensor '" + tensor + "' is missing");
    return *it->second;
}

} // namespace io

CheckpointInfo inspectCheckpoint(const fs::path& modelDir)
{
    return io::CheckpointReader(modelDir).info();
}

} // namespace zl
