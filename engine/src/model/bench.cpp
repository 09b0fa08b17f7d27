// The forward benchmark, with a baseline measured in the same run: a plain
// matrix product of the model's largest per-layer shape on the same device and
// dtype, so the report says how close the whole forward pass gets to raw GEMM speed.
#include "model/model_impl.h"
#include "quant/quant_matrix.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/runtime.h"

#include <chrono>
#include <random>

namespace zl {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void synchronize(const at::Tensor& t)
{
    // A device-to-host copy of one element waits for queued GPU work; on CPU it is free.
    if (t.is_cuda())
        (void)t.flatten()[0].item<float>();
}

// GFLOP/s of [m, k] × [k, n] on the model's device and dtype.
double matmulGflops(const Model::Impl& impl, std::int64_t m, std::int64_t k, std::int64_t n, std::int64_t iterations)
{
    c10::InferenceMode inference;
    const auto opts = at::TensorOptions().device(impl.llama.device).dtype(impl.llama.dtype);
    const auto a = at::randn({m, k}, opts);
    const auto b = at::randn({k, n}, opts);
    synchronize(at::matmul(a, b)); // warm-up
    const auto start = std::chrono::steady_clock::now();
    at::Tensor c;
    for (std::int64_t i = 0; i < iterations; ++i)
        c = at::matmul(a, b);
    synchronize(c);
    return 2.0 * static_cast<double>(m * k * n * iterations) / secondsSince(start) / 1e9;
}

// GB/s of reading a buffer far larger than the caches (on a GPU, four times an
// H200's 60 MB L2) with the engine's threads or the model's GPU: the speed limit
// of a decode step, which reads every weight once.
double memoryReadGBps(const at::Device& device, std::int64_t iterations)
{
    c10::InferenceMode inference;
    const auto buffer = at::ones({std::int64_t{64} << 20}, at::TensorOptions().dtype(at::kFloat).device(device));
    (void)buffer.sum().item<float>(); // warm-up: pages touched
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < iterations; ++i)
        (void)buffer.sum().item<float>();
    return static_cast<double>(buffer.nbytes()) * static_cast<double>(iterations) / secondsSince(start) / 1e9;
}

std::uint64_t bytesOf(const at::Tensor& t)
{
    return t.defined() ? t.nbytes() : 0;
}

std::uint64_t outputProjectionBytes(const model::Llama& m)
{
    return m.lmHeadInt8 ? m.lmHeadInt8->bytes() : bytesOf(m.lmHead);
}

// Calls fn(q, dense) for each projection of a layer: q is its 4-bit matrix, or
// null where `dense` holds the float weights.
template <typename Fn> void forEachProjection(const model::LayerWeights& L, Fn fn)
{
    const at::Tensor* dense[model::kProjectionCount] = {&L.q, &L.k, &L.v, &L.o, &L.gate, &L.up, &L.down};
    for (int p = 0; p < model::kProjectionCount; ++p)
        fn(L.quantized[static_cast<std::size_t>(p)].get(), *dense[p]);
}

std::uint64_t projectionBytes(const quant::QuantMatrix* q, const at::Tensor& dense)
{
    return q ? q->denseBytes() + q->sparseBytes() : bytesOf(dense);
}

// Bytes one decode step reads: every block weight as held (4-bit codes, scales,
// zero points and S, or the dense matrix), the norms and the output projection;
// the embedding lookup reads one row and is left out.
std::uint64_t decodeWeightBytes(const model::Llama& m)
{
    std::uint64_t bytes = bytesOf(m.finalNorm) + outputProjectionBytes(m);
    for (const auto& L : m.layers) {
        bytes += bytesOf(L.inputNorm) + bytesOf(L.postNorm) + bytesOf(L.qb) + bytesOf(L.kb) + bytesOf(L.vb);
        forEachProjection(
            L, [&](const quant::QuantMatrix* q, const at::Tensor& dense) { bytes += projectionBytes(q, dense); });
    }
    return bytes;
}

// GB/s of the decode step's block products alone: one row of x through every
// projection of every layer, `repeats` times, with nothing else between them.
double decodeProductsGBps(const model::Llama& m, std::int64_t repeats)
{
    c10::InferenceMode inference;
    const auto opts = at::TensorOptions().device(m.device).dtype(m.dtype);
    const auto hidden = at::randn({1, m.config.hiddenSize}, opts);
    const auto inner = at::randn({1, m.config.intermediateSize}, opts);
    std::uint64_t bytesPerStep = 0;
    const auto step = [&] {
        at::Tensor y;
        for (const auto& L : m.layers)
            forEachProjection(L, [&](const quant::QuantMatrix* q, const at::Tensor& dense) {
                const auto& x = (q ? q->cols : dense.size(1)) == m.config.hiddenSize ? hidden : inner;
                y = q ? quant::linear(x, *q) : quant::linear(x, dense);
            });
        return y;
    };
    for (const auto& L : m.layers)
        forEachProjection(L, [&](const quant::QuantMatrix* q, const at::Tensor& dense) {
            bytesPerStep += projectionBytes(q, dense);
        });
    synchronize(step()); // warm-up
    const auto start = std::chrono::steady_clock::now();
    at::Tensor y;
    for (std::int64_t i = 0; i < repeats; ++i)
        y = step();
    synchronize(y);
    return static_cast<double>(bytesPerStep * static_cast<std::uint64_t>(repeats)) / secondsSince(start) / 1e9;
}

// Tokens/s of decode forwards alone: one token at a time with the KV cache, argmax.
double decodeForwardTokensPerSecond(const model::Llama& m, std::int64_t steps)
{
    c10::InferenceMode inference;
    model::KvCache cache;
    auto input = at::zeros({1, 8}, at::kLong).to(m.device);
    const auto next = [&] {
        const auto logits = m.forward(input, at::Tensor(), &cache, /*lastPositionOnly=*/true);
        input = logits.argmax(-1).reshape({1, 1});
    };
    next(); // the prompt, not timed
    synchronize(input);
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < steps; ++i)
        next();
    synchronize(input);
    return static_cast<double>(steps) / secondsSince(start);
}

double prefillTokensPerSecond(const model::Llama& m, const at::Tensor& ids, std::int64_t iterations)
{
    c10::InferenceMode inference;
    synchronize(m.forward(ids, at::Tensor(), nullptr, true)); // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < iterations; ++i)
        synchronize(m.forward(ids, at::Tensor(), nullptr, true));
    return static_cast<double>(ids.numel() * iterations) / secondsSince(start);
}

} // namespace

ForwardBenchResult benchForward(const Model& model, std::int64_t batch, std::int64_t seq, std::int64_t iterations)
{
    if (batch < 1 || seq < 1 || iterations < 1)
        throw InvalidArgument("batch, seq and iterations must be positive");
    if (seq > model.config().maxPositionEmbeddings)
        throw InvalidArgument("seq " + std::to_string(seq) + " exceeds the model's max_position_embeddings (" +
                              std::to_string(model.config().maxPositionEmbeddings) + ")");
    std::mt19937 rng(1234);
    std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(model.config().vocabSize - 1));
    std::vector<std::vector<std::int32_t>> ids(static_cast<std::size_t>(batch),
                                               std::vector<std::int32_t>(static_cast<std::size_t>(seq)));
    for (auto& row : ids)
        for (auto& id : row)
            id = pick(rng);
    model.scoreSequences(ids); // warm-up: allocator and thread pool
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < iterations; ++i)
        model.scoreSequences(ids); // returns host values, so GPU work is complete
    ForwardBenchResult r;
    r.batch = batch;
    r.seq = seq;
    r.iterations = iterations;
    r.seconds = secondsSince(start);
    r.tokensPerSecond = static_cast<double>(batch * seq * iterations) / r.seconds;
    r.modelGflops = r.tokensPerSecond * 2.0 * static_cast<double>(model.info().parameterCount) / 1e9;
    const auto& c = model.config();
    SamplingOptions greedy;
    greedy.temperature = 0.0;
    greedy.stopAtEos = false;
    greedy.maxNewTokens = std::min<std::int64_t>(64, c.maxPositionEmbeddings - 8);
    r.decodeTokensPerSecond = generate(model, "The", greedy).tokensPerSecond;
    std::vector<std::int64_t> flat;
    for (const auto& row : ids)
        flat.insert(flat.end(), row.begin(), row.end());
    const auto idTensor = at::tensor(flat, at::kLong).view({batch, seq}).to(model.impl().llama.device);
    r.prefillTokensPerSecond = prefillTokensPerSecond(model.impl().llama, idTensor, iterations);
    r.decodeForwardTokensPerSecond =
        decodeForwardTokensPerSecond(model.impl().llama, std::min<std::int64_t>(64, c.maxPositionEmbeddings - 16));
    r.decodeWeightBytes = decodeWeightBytes(model.impl().llama);
    r.decodeOutputProjectionBytes = outputProjectionBytes(model.impl().llama);
    r.decodeGBps = static_cast<double>(r.decodeWeightBytes) * r.decodeForwardTokensPerSecond / 1e9;
    r.decodeProductsGBps = decodeProductsGBps(model.impl().llama, model.impl().llama.device.is_cuda() ? 50 : 5);
    r.peakRssBytes = peakResidentMemoryBytes();
    r.matmulGflops = matmulGflops(model.impl(), batch * seq, c.hiddenSize, c.intermediateSize, iterations);
    const auto& device = model.impl().llama.device;
    r.memoryReadGBps = memoryReadGBps(device, device.is_cuda() ? 50 : 3);
    return r;
}

} // namespace zl
