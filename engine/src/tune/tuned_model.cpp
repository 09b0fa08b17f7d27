#include "tune/tuned_model.h"

#include "io/json_file.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "quant/quant_matrix.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

namespace zl::tune {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string bytesOf(const at::Tensor& t, at::ScalarType dtype)
{
    const auto c = t.detach().to(at::kCPU, dtype).contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

std::string maskFingerprint(const model::Llama& llama)
{
    std::string positions;
    for (const auto& L : llama.layers)
        for (const auto& q : L.quantized)
            if (q && q->sparseIndices.numel() > 0) {
                const auto idx = q->sparseIndices.contiguous().cpu();
                positions.append(static_cast<const char*>(idx.data_ptr()), idx.nbytes());
                positions += '|';
            }
    return positions.empty() ? std::string() : io::fingerprint(positions);
}

// Quantizes every projection of a float model, keeping the mask's entries in S.
void quantizeInMemory(model::Llama& llama, const SensitivityMask& mask, const std::string& format,
                      std::int64_t groupSize, std::uint64_t& weightBytes)
{
    const auto fmt = quant::formatFromName(format);
    if (groupSize < 2 || groupSize % 2 != 0 || groupSize > 4096)
        throw InvalidArgument("group size must be even and between 2 and 4096");
    for (std::size_t i = 0; i < llama.layers.size(); ++i) {
        auto& L = llama.layers[i];
        for (int p = 0; p < model::kProjectionCount; ++p) {
            const auto proj = static_cast<model::Projection>(p);
            auto& w = L.weight(proj);
            const auto name = arch::projectionTensorName(static_cast<std::int64_t>(i), proj);
            at::Tensor sensitive;
            if (const auto it = mask.indices.find(name); it != mask.indices.end() && !it->second.empty())
                sensitive = at::tensor(at::ArrayRef<std::int64_t>(it->second), at::kLong);
            auto q = std::make_shared<quant::QuantMatrix>(
                quant::quantize(w.detach().to(at::kCPU, at::kFloat), fmt, groupSize, sensitive));
            if (!q->sparseIndices.defined() || q->sparseIndices.numel() == 0) {
                q->sparseIndices = at::empty({0}, at::kLong);
                q->sparseValues = at::empty({0}, at::kFloat);
            }
            if (!llama.device.is_cpu())
                for (auto* t : {&q->packed, &q->scales, &q->zeros, &q->sparseIndices, &q->sparseValues})
                    if (t->defined())
                        *t = t->to(llama.device);
            weightBytes -= w.nbytes();
            weightBytes += q->denseBytes() + q->sparseBytes();
            L.quantized[static_cast<std::size_t>(p)] = std::move(q);
            w = at::Tensor();
        }
    }
}

// The 4-bit matrix behind a projection's weight name (whose dense tensor is undefined).
const quant::QuantMatrix& quantizedOf(const model::Llama& llama, const std::string& name)
{
    const auto ref = arch::parseProjectionWeight(name);
    const auto& q =
        ref ? llama.layers.at(static_cast<std::size_t>(ref->layer)).quantized[static_cast<std::size_t>(ref->projection)]
            : nullptr;
    if (!q)
        throw InvalidArgument("tensor '" + name + "' has no weights in memory");
    return *q;
}

void copyTokenizerFiles(const fs::path& from, const fs::path& to)
{
    for (const char* f : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json", "generation_config.json",
                          "special_tokens_map.json"})
        if (fs::exists(from / f))
            writeFileAtomically(to / f, io::readTextFile(from / f));
}

} // namespace

TunedModel prepareTunedModel(const FinetuneOptions& o, bool trainable, EventSink* sink, std::stop_token stop)
{
    TunedModel t;
    std::error_code ec;
    if (o.loaded && fs::equivalent(o.loaded->info().dir, o.model, ec) &&
        (!trainable || o.loaded->computeDtype() == "float32")) {
        t.model = o.loaded->copy();
    } else {
        LoadOptions load;
        load.device = o.device;
        load.trainable = trainable;
        t.model = Model::load(o.model, load, sink, stop);
    }
    const auto& info = t.model->info();
    t.modelId = modelIdentity(info);
    const bool quantized = !info.config.quantization.format.empty();
    auto& llama = t.llama();
    const bool sparseMethod = o.method == FinetuneMethod::SparseZo || o.method == FinetuneMethod::FirstOrder;
    if (!o.mask.empty()) {
        if (quantized)
            throw InvalidArgument(o.model.string() +
                                  " is already quantized and carries its own S; give the float model with --mask, "
                                  "or leave the mask out");
        if (o.method == FinetuneMethod::DenseZo)
            throw InvalidArgument("dense zeroth-order training uses every weight; it takes no mask");
        const auto mask = loadMask(o.mask, &info);
        std::optional<c10::InferenceMode> inference;
        if (!trainable)
            inference.emplace();
        quantizeInMemory(llama, mask, o.quantFormat, o.groupSize, t.model->impl().weightBytes);
    }
    if (o.method == FinetuneMethod::DenseZo && quantized)
        throw InvalidArgument(o.model.string() + " is quantized; dense zeroth-order training (MeZO) needs the float "
                                                 "model it was made from");
    if (trainable)
        // Quantization runs in inference mode; S must be an ordinary tensor to take a gradient.
        for (auto& L : llama.layers)
            for (auto& q : L.quantized)
                if (q && q->sparseValues.defined())
                    q->sparseValues = q->sparseValues.clone();
    t.maskHash = maskFingerprint(llama);
    if (sparseMethod) {
        if (t.maskHash.empty())
            throw InvalidArgument(o.model.string() +
                                  " has no sparse set S: give a mask (--mask), or a 4-bit folder quantized with one");
        t.values = ParameterSet::sparse(llama);
    } else if (o.method == FinetuneMethod::DenseZo) {
        t.values = ParameterSet::dense(llama);
    }
    return t;
}

void writeDenseModel(const TunedModel& tuned, const fs::path& dir, const std::string& dtype)
{
    if (dtype != "BF16" && dtype != "F32")
        throw InvalidArgument("export dtype must be BF16 or F32");
    const auto type = dtype == "BF16" ? at::kBFloat16 : at::kFloat;
    auto& llama = tuned.llama();
    io::SafetensorsWriter w;
    w.setMetadata("format", "pt");
    c10::InferenceMode inference;
    for (auto& [name, t] : llama.namedParameters()) {
        if (t->defined()) {
            w.add(name, dtype, t->sizes().vec(), bytesOf(*t, type));
            continue;
        }
        if (const auto* m = llama.int8Weight(name)) {
            w.add(name, dtype, {m->rows, m->cols}, bytesOf(quant::dequantize(*m), type));
            continue;
        }
        // A quantized projection: dequant(Q) + S.
        const auto& q = quantizedOf(llama, name);
        w.add(name, dtype, {q.rows, q.cols}, bytesOf(quant::dequantize(q), type));
    }
    fs::create_directories(dir);
    w.write(dir / "model.safetensors");
    const auto& src = tuned.model->info().dir;
    auto config = io::readJsonFile(src / "config.json", io::kMaxSmallJsonBytes);
    config.erase("quantization_config");
    config["torch_dtype"] = dtype == "BF16" ? "bfloat16" : "float32";
    writeFileAtomically(dir / "config.json", config.dump(2));
    copyTokenizerFiles(src, dir);
}

void writeQuantizedModel(const TunedModel& tuned, const fs::path& dir)
{
    auto& llama = tuned.llama();
    const auto& info = tuned.model->info();
    io::SafetensorsWriter w;
    w.setMetadata("format", "pt");
    std::string format;
    std::int64_t groupSize = 0;
    c10::InferenceMode inference;
    const auto stored = info.storedDtype == "BF16" ? at::kBFloat16 : info.storedDtype == "F16" ? at::kHalf : at::kFloat;
    const std::string storedName = info.storedDtype == "BF16" || info.storedDtype == "F16" ? info.storedDtype : "F32";
    for (auto& [name, t] : llama.namedParameters()) {
        if (t->defined()) {
            w.add(name, storedName, t->sizes().vec(), bytesOf(*t, stored));
            continue;
        }
        if (const auto* m = llama.int8Weight(name)) {
            const auto base = name.substr(0, name.size() - std::string("weight").size());
            w.add(base + "qweight", "I8", {m->rows, m->cols}, bytesOf(m->values, at::kChar));
            w.add(base + "scales", "F32", m->scales.sizes().vec(), bytesOf(m->scales, at::kFloat));
            continue;
        }
        const auto& q = quantizedOf(llama, name);
        const auto base = name.substr(0, name.size() - std::string("weight").size());
        format = quant::formatName(q.format);
        groupSize = q.groupSize;
        w.add(base + "qweight", "U8", q.packed.sizes().vec(), bytesOf(q.packed, at::kByte));
        w.add(base + "scales", "F32", q.scales.sizes().vec(), bytesOf(q.scales, at::kFloat));
        if (q.format == quant::Format::Int4)
            w.add(base + "zeros", "U8", q.zeros.sizes().vec(), bytesOf(q.zeros, at::kByte));
        w.add(base + "sparse_indices", "I64", {q.sparseIndices.numel()}, bytesOf(q.sparseIndices, at::kLong));
        w.add(base + "sparse_values", "F32", {q.sparseValues.numel()}, bytesOf(q.sparseValues, at::kFloat));
    }
    if (format.empty())
        throw InvalidArgument("the model is not quantized; a 4-bit export needs a sparse run");
    fs::create_directories(dir);
    w.write(dir / "model.safetensors");
    auto config = io::readJsonFile(info.dir / "config.json", io::kMaxSmallJsonBytes);
    auto qc = config.contains("quantization_config") ? config["quantization_config"] : json::object();
    qc["quant_method"] = "zerolens";
    qc["format"] = format;
    qc["group_size"] = groupSize;
    qc["sparse"] = true;
    config["quantization_config"] = qc;
    writeFileAtomically(dir / "config.json", config.dump(2));
    copyTokenizerFiles(info.dir, dir);
}

} // namespace zl::tune
