// Loading a checkpoint into a Model, and the batched scoring entry points.
#include "model/model_impl.h"

#include "io/checkpoint_reader.h"
#include "model/device.h"
#include "runtime/progress_reporter.h"
#include "zerolens/error.h"

#include <cstring>
#include <optional>
#include <set>

namespace zl {

namespace {

at::ScalarType storedType(const std::string& dtype)
{
    if (dtype == "BF16")
        return at::kBFloat16;
    if (dtype == "F16")
        return at::kHalf;
    return at::kFloat;
}

// Copies one tensor out of the memory map straight into its device/dtype, so
// only the converted copy is ever held in memory.
at::Tensor readTensor(const io::CheckpointReader& reader, const std::string& name, const at::Device& device,
                      at::ScalarType dtype)
{
    const auto& info = reader.info().tensors.at(name);
    const std::uint8_t* src = reader.fileOf(name).data(name);
    const auto type = storedType(info.dtype);
    const auto elem = io::dtypeSize(info.dtype);
    at::Tensor t;
    if (reinterpret_cast<std::uintptr_t>(src) % elem == 0) {
        t = at::from_blob(const_cast<std::uint8_t*>(src), info.shape, at::TensorOptions().dtype(type));
    } else {
        // A misaligned offset is legal in safetensors; copy to aligned memory first.
        t = at::empty(info.shape, at::TensorOptions().dtype(type));
        std::memcpy(t.data_ptr(), src, info.bytes);
    }
    auto out = t.to(device, dtype, /*non_blocking=*/false, /*copy=*/true).contiguous();
    reader.fileOf(name).release(name); // the mapped pages are not needed again
    return out;
}

// A tensor copied out of the memory map as stored (shape and dtype already checked).
at::Tensor rawTensor(const io::CheckpointReader& reader, const std::string& name, at::ScalarType type)
{
    const auto& t = reader.info().tensors.at(name);
    const std::uint8_t* src = reader.fileOf(name).data(name);
    auto out = at::empty(t.shape, at::TensorOptions().dtype(type));
    if (t.bytes > 0)
        std::memcpy(out.data_ptr(), src, t.bytes);
    reader.fileOf(name).release(name);
    return out;
}

// The 8-bit embeddings or lm_head of a 4-bit folder (name ends in "weight").
std::shared_ptr<const quant::Int8Matrix> readInt8Matrix(const io::CheckpointReader& reader, const std::string& name,
                                                        const at::Device& device)
{
    const auto base = name.substr(0, name.size() - std::string("weight").size());
    auto m = std::make_shared<quant::Int8Matrix>();
    m->values = rawTensor(reader, base + "qweight", at::kChar);
    m->scales = rawTensor(reader, base + "scales", at::kFloat);
    m->rows = m->values.size(0);
    m->cols = m->values.size(1);
    m->groupSize = reader.info().config.quantization.groupSize;
    // -128 has no positive counterpart, which the kernels' sign tricks need.
    if (m->values.numel() > 0 && m->values.min().item<int>() < -127)
        throw FormatError(reader.fileOf(base + "qweight").path().string() + ": '" + base +
                          "qweight' holds -128 (8-bit values must lie in [-127, 127])");
    m->values = m->values.to(device);
    m->scales = m->scales.to(device);
    return m;
}

// The tensors of one quantized linear weight (shapes already checked by the
// CheckpointReader); values that would index out of bounds are refused here.
std::shared_ptr<quant::QuantMatrix> readQuantMatrix(const io::CheckpointReader& reader, const std::string& base,
                                                    const at::Device& device)
{
    const auto& q = reader.info().config.quantization;
    auto m = std::make_shared<quant::QuantMatrix>();
    m->format = quant::formatFromName(q.format);
    m->groupSize = q.groupSize;
    m->packed = rawTensor(reader, base + "qweight", at::kByte);
    m->rows = m->packed.size(0);
    m->cols = m->packed.size(1) * 2;
    m->scales = rawTensor(reader, base + "scales", at::kFloat);
    const std::string file = reader.fileOf(base + "qweight").path().string();
    if (m->format == quant::Format::Int4) {
        m->zeros = rawTensor(reader, base + "zeros", at::kByte);
        if (m->zeros.numel() > 0 && m->zeros.max().item<int>() > 15)
            throw FormatError(file + ": '" + base + "zeros' holds values above 15");
    }
    if (q.sparse) {
        m->sparseIndices = rawTensor(reader, base + "sparse_indices", at::kLong);
        m->sparseValues = rawTensor(reader, base + "sparse_values", at::kFloat);
        const auto* idx = m->sparseIndices.data_ptr<std::int64_t>();
        for (std::int64_t i = 0; i < m->sparseIndices.numel(); ++i)
            if (idx[i] < 0 || idx[i] >= m->rows * m->cols || (i > 0 && idx[i] <= idx[i - 1]))
                throw FormatError(file + ": '" + base + "sparse_indices' entry " + std::to_string(i) +
                                  " is out of range or not ascending");
    } else {
        m->sparseIndices = at::empty({0}, at::kLong);
        m->sparseValues = at::empty({0}, at::kFloat);
    }
    for (auto* t : {&m->packed, &m->scales, &m->zeros, &m->sparseIndices, &m->sparseValues})
        if (t->defined())
            *t = t->to(device);
    return m;
}

void checkVocab(const CheckpointInfo& info, const Tokenizer& tok)
{
    if (tok.vocabSize() > info.config.vocabSize)
        throw FormatError(info.dir.string() + ": the tokenizer has " + std::to_string(tok.vocabSize()) +
                          " tokens but config.json vocab_size is " + std::to_string(info.config.vocabSize));
}

} // namespace

namespace {

// The dtype of the float tensors: a quantized folder keeps its norms (and float
// embeddings) as the source stored them, which its config.json names; on a GPU
// the activations of its 4-bit products take that dtype (W4A16).
std::string floatDtypeOf(const CheckpointInfo& info)
{
    if (info.storedDtype != "INT4" && info.storedDtype != "NF4" && info.storedDtype != "INT8")
        return info.storedDtype;
    if (info.config.torchDtype == "bfloat16")
        return "BF16";
    if (info.config.torchDtype == "float16")
        return "F16";
    return "F32";
}

} // namespace

Model::Model(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Model::~Model() = default;

std::shared_ptr<Model> Model::load(const std::filesystem::path& dir, const LoadOptions& options, EventSink* sink,
                                   std::stop_token stop)
{
    const auto device = model::parseDevice(options.device);
    io::CheckpointReader reader(dir);
    const auto& info = reader.info();
    Tokenizer tokenizer = Tokenizer::fromModelDir(dir);
    checkVocab(info, tokenizer);
    const auto dtype = options.trainable ? at::kFloat : model::computeDtypeFor(device, floatDtypeOf(info));
    model::Llama llama(info.config, device, dtype);

    const auto expected = expectedTensors(info.config);
    runtime::ProgressReporter progress(sink, "Loading weights", static_cast<std::int64_t>(expected.size()), stop);
    // Inference tensors are cheaper but can never enter autograd.
    std::optional<c10::InferenceMode> inference;
    if (!options.trainable)
        inference.emplace();
    std::int64_t done = 0;
    std::uint64_t bytes = 0;
    auto read = [&](const std::string& name) {
        progress.checkStop();
        at::Tensor t;
        try {
            t = readTensor(reader, name, device, dtype);
        } catch (const c10::Error& e) {
            throw OutOfMemory("cannot place tensor '" + name + "' on " + options.device + ": " +
                              e.what_without_backtrace());
        }
        bytes += t.nbytes();
        progress.update(++done);
        return t;
    };
    const bool int8Vocab = !info.config.quantization.embeddingFormat.empty();
    auto readInt8 = [&](const std::string& name) {
        progress.checkStop();
        auto m = readInt8Matrix(reader, name, device);
        bytes += m->bytes();
        progress.update(++done);
        return m;
    };
    if (int8Vocab)
        llama.embedInt8 = readInt8(arch::kEmbedTokens);
    else
        llama.embed = read(arch::kEmbedTokens);
    llama.layers.resize(static_cast<std::size_t>(info.config.numLayers));
    for (std::int64_t i = 0; i < info.config.numLayers; ++i) {
        auto& L = llama.layers[static_cast<std::size_t>(i)];
        L.inputNorm = read(arch::inputNormName(i));
        L.postNorm = read(arch::postNormName(i));
        for (int j = 0; j < model::kProjectionCount; ++j) {
            const auto proj = static_cast<model::Projection>(j);
            const std::string base = arch::projectionTensorName(i, proj, "");
            if (info.config.quantization.format.empty()) {
                L.weight(proj) = read(base + "weight");
            } else {
                progress.checkStop();
                L.quantized[static_cast<std::size_t>(j)] = readQuantMatrix(reader, base, device);
                bytes += L.quantized[static_cast<std::size_t>(j)]->denseBytes() +
                         L.quantized[static_cast<std::size_t>(j)]->sparseBytes();
                progress.update(++done);
            }
        }
        if (info.config.attentionBias) {
            L.qb = read(arch::projectionTensorName(i, model::kQ, "bias"));
            L.kb = read(arch::projectionTensorName(i, model::kK, "bias"));
            L.vb = read(arch::projectionTensorName(i, model::kV, "bias"));
        }
    }
    llama.finalNorm = read(arch::kFinalNorm);
    if (info.config.tieWordEmbeddings) {
        llama.lmHead = llama.embed;
        llama.lmHeadInt8 = llama.embedInt8;
    } else if (int8Vocab) {
        llama.lmHeadInt8 = readInt8(arch::kLmHead);
    } else {
        llama.lmHead = read(arch::kLmHead);
    }

    auto impl = std::make_unique<Impl>(info, std::make_shared<const Tokenizer>(std::move(tokenizer)), std::move(llama));
    impl->weightBytes = bytes;
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

std::shared_ptr<Model> Model::copy() const
{
    const auto& src = m_impl->llama;
    model::Llama llama(src.config, src.device, src.dtype);
    // Cloned outside inference mode, so the copies can take gradients.
    auto own = [](const at::Tensor& t) { return t.defined() ? t.detach().clone() : t; };
    llama.embed = own(src.embed);
    llama.finalNorm = own(src.finalNorm);
    llama.lmHead = src.config.tieWordEmbeddings ? llama.embed : own(src.lmHead);
    // 8-bit vocabulary matrices are frozen and shared, like Q.
    llama.embedInt8 = src.embedInt8;
    llama.lmHeadInt8 = src.lmHeadInt8;
    for (const auto& from : src.layers) {
        model::LayerWeights L;
        L.inputNorm = own(from.inputNorm);
        L.postNorm = own(from.postNorm);
        L.qb = own(from.qb);
        L.kb = own(from.kb);
        L.vb = own(from.vb);
        for (int p = 0; p < model::kProjectionCount; ++p) {
            const auto proj = static_cast<model::Projection>(p);
            L.weight(proj) = own(from.weight(proj));
            if (const auto& q = from.quantized[static_cast<std::size_t>(p)]) {
                // Q is frozen and shared; S is the copy's own.
                auto m = std::make_shared<quant::QuantMatrix>(*q);
                m->sparseValues = own(q->sparseValues);
                L.quantized[static_cast<std::size_t>(p)] = std::move(m);
            }
        }
        llama.layers.push_back(std::move(L));
    }
    auto impl = std::make_unique<Impl>(m_impl->info, m_impl->tokenizer, std::move(llama));
    impl->weightBytes = m_impl->weightBytes;
    return std::shared_ptr<Model>(new Model(std::move(impl)));
}

const CheckpointInfo& Model::info() const
{
    return m_impl->info;
}
const ModelConfig& Model::config() const
{
    return m_impl->info.config;
}
const Tokenizer& Model::tokenizer() const
{
    return *m_impl->tokenizer;
}
std::string Model::device() const
{
    return m_impl->llama.device.str();
}
std::string Model::computeDtype() const
{
    return model::dtypeName(m_impl->llama.dtype);
}
std::uint64_t Model::weightBytes() const
{
    return m_impl->weightBytes;
}

void Model::Impl::pack(const std::vector<std::vector<std::int32_t>>& batch, at::Tensor& ids, at::Tensor& lengths) const
{
    if (batch.empty())
        throw InvalidArgument("empty batch");
    std::size_t maxLen = 0;
    for (const auto& s : batch) {
        if (s.empty())
            throw InvalidArgument("every sequence in a batch needs at least one token");
        maxLen = std::max(maxLen, s.size());
    }
    const auto vocab = info.config.vocabSize;
    ids = at::zeros({static_cast<std::int64_t>(batch.size()), static_cast<std::int64_t>(maxLen)}, at::kLong);
    lengths = at::empty({static_cast<std::int64_t>(batch.size())}, at::kLong);
    auto ia = ids.accessor<std::int64_t, 2>();
    auto la = lengths.accessor<std::int64_t, 1>();
    for (std::size_t b = 0; b < batch.size(); ++b) {
        la[static_cast<std::int64_t>(b)] = static_cast<std::int64_t>(batch[b].size());
        for (std::size_t t = 0; t < batch[b].size(); ++t) {
            const auto id = batch[b][t];
            if (id < 0 || id >= vocab)
                throw InvalidArgument("token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                                      std::to_string(vocab) + ")");
            ia[static_cast<std::int64_t>(b)][static_cast<std::int64_t>(t)] = id;
        }
    }
}

std::vector<std::vector<float>> Model::logProbs(const std::vector<std::vector<std::int32_t>>& batch) const
{
    c10::InferenceMode inference;
    at::Tensor ids, lengths;
    m_impl->pack(batch, ids, lengths);
    const auto lp = at::log_softmax(m_impl->llama.forward(ids, lengths, nullptr), -1).cpu().contiguous();
    std::vector<std::vector<float>> out;
    const auto V = lp.size(2);
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const auto rows = static_cast<std::int64_t>(batch[b].size());
        const float* p = lp[static_cast<std::int64_t>(b)].data_ptr<float>();
        out.emplace_back(p, p + rows * V);
    }
    return out;
}

std::vector<Model::SequenceScore> Model::scoreSequences(const std::vector<std::vector<std::int32_t>>& batch) const
{
    c10::InferenceMode inference;
    at::Tensor ids, lengths;
    m_impl->pack(batch, ids, lengths);
    const auto logits = m_impl->llama.forward(ids, lengths, nullptr);
    const auto T = ids.size(1);
    std::vector<SequenceScore> out(batch.size());
    if (T < 2)
        return out;
    // log p(ids[t+1] | ids[..t]) for every position, masked to each row's length.
    const auto lp = at::log_softmax(logits.narrow(1, 0, T - 1), -1);
    const auto target = ids.narrow(1, 1, T - 1).to(lp.device()).unsqueeze(-1);
    const auto picked = lp.gather(-1, target).squeeze(-1).to(at::kDouble).cpu();
    const auto pa = picked.accessor<double, 2>();
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const auto n = static_cast<std::int64_t>(batch[b].size()) - 1;
        double sum = 0.0;
        for (std::int64_t t = 0; t < n; ++t)
            sum += pa[static_cast<std::int64_t>(b)][t];
        out[b] = {sum, n};
    }
    return out;
}

} // namespace zl
