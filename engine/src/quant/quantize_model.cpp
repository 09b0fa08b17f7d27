// Streams a checkpoint through 4-bit quantization: one matrix is in float at a
// time, so peak memory stays near the output size plus one matrix.
#include "zerolens/quantize.h"

#include "arch/llama_layout.h"
#include "io/checkpoint_reader.h"
#include "io/json_file.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"
#include "quant/int8_matrix.h"
#include "runtime/progress_reporter.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

namespace zl {

namespace {

namespace fs = std::filesystem;

at::ScalarType storedType(const std::string& dtype)
{
    return dtype == "BF16" ? at::kBFloat16 : dtype == "F16" ? at::kHalf : at::kFloat;
}

// A stored tensor in float32, copied out of the memory map (whose pages are then released).
at::Tensor storedMatrix(const io::CheckpointReader& reader, const std::string& name)
{
    const auto& t = reader.info().tensors.at(name);
    auto raw = at::empty(t.shape, at::TensorOptions().dtype(storedType(t.dtype)));
    std::memcpy(raw.data_ptr(), reader.fileOf(name).data(name), t.bytes);
    reader.fileOf(name).release(name);
    return raw.to(at::kFloat);
}

std::string bytesOf(const at::Tensor& t)
{
    const auto c = t.contiguous().cpu();
    return std::string(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

} // namespace

QuantizeReport quantizeModel(const fs::path& modelDir, const fs::path& outDir, const QuantizeOptions& o,
                             EventSink* sink, std::stop_token stop)
{
    const auto format = quant::formatFromName(o.format);
    if (o.embeddingFormat != "float" && o.embeddingFormat != "int8")
        throw InvalidArgument("embedding format \"" + o.embeddingFormat +
                              "\" is not supported (expected float or int8)");
    const bool int8Embeddings = o.embeddingFormat == "int8";
    if (o.groupSize < 2 || o.groupSize % 2 != 0 || o.groupSize > kMaxGroupSize)
        throw InvalidArgument("group size must be even and between 2 and " + std::to_string(kMaxGroupSize) +
                              " (typical: 32, 64, 128)");
    // Checked before the long work; the model and the mask are inputs that must survive.
    OutputPolicy policy{o.overwrite, {modelDir}};
    if (!o.mask.empty())
        policy.inputs.push_back(o.mask);
    checkOutputTarget(outDir, policy, OutputKind::Folder, "output folder");
    io::CheckpointReader reader(modelDir);
    const auto& info = reader.info();
    if (!info.config.quantization.format.empty())
        throw InvalidArgument(modelDir.string() + " is already quantized (" + info.config.quantization.format + ")");
    SensitivityMask mask;
    const bool sparse = !o.mask.empty();
    if (sparse)
        mask = loadMask(o.mask, &info);

    const auto expected = expectedTensors(info.config);
    runtime::ProgressReporter progress(sink, "Quantizing", static_cast<std::int64_t>(expected.size()), stop);
    c10::InferenceMode inference;
    io::SafetensorsWriter out;
    out.setMetadata("format", "pt");
    QuantizeReport r;
    r.inputBytes = info.storedBytes;
    double sqErr = 0.0, embeddingSqErr = 0.0;
    std::int64_t count = 0, embeddingCount = 0;
    std::int64_t done = 0;
    for (const auto& [name, shape] : expected) {
        progress.checkStop();
        const auto base = name.substr(0, name.size() - std::string("weight").size());
        if (int8Embeddings && (name == arch::kEmbedTokens || name == arch::kLmHead)) {
            quant::QuantError err;
            const auto q = quant::quantizeInt8(storedMatrix(reader, name), o.groupSize, &err);
            r.embeddingMaxAbsError = std::max(r.embeddingMaxAbsError, err.maxAbs);
            embeddingSqErr += err.sumSquares;
            embeddingCount += q.rows * q.cols;
            out.add(base + "qweight", "I8", q.values.sizes().vec(), bytesOf(q.values));
            out.add(base + "scales", "F32", q.scales.sizes().vec(), bytesOf(q.scales));
            r.int8Bytes += q.bytes();
            progress.update(++done);
            continue;
        }
        if (!isQuantizableLinear(name)) {
            const auto& t = info.tensors.at(name);
            const std::uint8_t* src = reader.fileOf(name).data(name);
            out.add(name, t.dtype, t.shape, std::string(reinterpret_cast<const char*>(src), t.bytes));
            reader.fileOf(name).release(name);
            r.otherBytes += t.bytes;
            progress.update(++done);
            continue;
        }
        const auto w = storedMatrix(reader, name);
        at::Tensor sensitive;
        if (sparse) {
            const auto it = mask.indices.find(name);
            if (it != mask.indices.end() && !it->second.empty())
                sensitive = at::tensor(it->second, at::kLong);
        }
        quant::QuantError err;
        const auto q = quant::quantize(w, format, o.groupSize, sensitive, &err);
        r.maxAbsError = std::max(r.maxAbsError, err.maxAbs);
        sqErr += err.sumSquares;
        count += w.numel();
        out.add(base + "qweight", "U8", q.packed.sizes().vec(), bytesOf(q.packed));
        out.add(base + "scales", "F32", q.scales.sizes().vec(), bytesOf(q.scales));
        if (format == quant::Format::Int4)
            out.add(base + "zeros", "U8", q.zeros.sizes().vec(), bytesOf(q.zeros));
        if (sparse) {
            out.add(base + "sparse_indices", "I64", {q.sparseIndices.numel()}, bytesOf(q.sparseIndices));
            out.add(base + "sparse_values", "F32", {q.sparseValues.numel()}, bytesOf(q.sparseValues));
        }
        r.quantizedBytes += q.denseBytes();
        r.sparseBytes += q.sparseBytes();
        r.sparseEntries += q.sparseIndices.numel();
        ++r.matrices;
        progress.update(++done);
    }
    r.rmsError = count > 0 ? std::sqrt(sqErr / static_cast<double>(count)) : 0.0;
    r.embeddingRmsError = embeddingCount > 0 ? std::sqrt(embeddingSqErr / static_cast<double>(embeddingCount)) : 0.0;

    StagedDirectory staged(outDir, policy);
    const fs::path& dir = staged.path();
    out.write(dir / "model.safetensors");
    auto config = io::readJsonFile(modelDir / "config.json", io::kMaxSmallJsonBytes);
    config["quantization_config"] = {{"quant_method", "zerolens"},
                                     {"format", o.format},
                                     {"group_size", o.groupSize},
                                     {"sparse", sparse},
                                     {"embedding_format", o.embeddingFormat},
                                     {"mask_rule", sparse ? mask.rule : ""},
                                     {"mask_fraction", sparse ? mask.fraction : 0.0}};
    writeFileAtomically(dir / "config.json", config.dump(2));
    for (const char* f : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json", "generation_config.json",
                          "special_tokens_map.json"})
        if (fs::exists(modelDir / f))
            writeFileAtomically(dir / f, io::readTextFile(modelDir / f));
    progress.checkStop();
    staged.commit();
    r.peakRssBytes = peakResidentMemoryBytes();
    return r;
}

} // namespace zl
