#include "model/llama.h"

#include "quant/cpu_kernels.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace zl::model {

at::Tensor& LayerWeights::weight(Projection p)
{
    at::Tensor* dense[kProjectionCount] = {&q, &k, &v, &o, &gate, &up, &down};
    return *dense[p];
}

const at::Tensor& LayerWeights::weight(Projection p) const
{
    return const_cast<LayerWeights*>(this)->weight(p);
}

namespace {

// Rotary inverse frequencies, with Hugging Face's "linear" and "llama3" scaling
// (transformers modeling_rope_utils: _compute_linear_scaling_rope_parameters,
// _compute_llama3_parameters).
std::vector<double> inverseFrequencies(const ModelConfig& c)
{
    const auto half = c.headDim / 2;
    std::vector<double> inv(static_cast<std::size_t>(half));
    for (std::int64_t i = 0; i < half; ++i)
        inv[static_cast<std::size_t>(i)] =
            1.0 / std::pow(c.ropeTheta, static_cast<double>(2 * i) / static_cast<double>(c.headDim));
    const auto& rs = c.ropeScaling;
    if (rs.kind == RopeScaling::Kind::Linear) {
        for (auto& f : inv)
            f /= rs.factor;
    } else if (rs.kind == RopeScaling::Kind::Llama3) {
        const double old = static_cast<double>(rs.originalMaxPositionEmbeddings);
        const double lowWavelen = old / rs.lowFreqFactor;
        const double highWavelen = old / rs.highFreqFactor;
        for (auto& f : inv) {
            const double wavelen = 2.0 * M_PI / f;
            if (wavelen > lowWavelen) {
                f /= rs.factor;
            } else if (wavelen >= highWavelen) {
                const double smooth = (old / wavelen - rs.lowFreqFactor) / (rs.highFreqFactor - rs.lowFreqFactor);
                f = (1.0 - smooth) * f / rs.factor + smooth * f;
            }
        }
    }
    return inv;
}

at::Tensor grown(const at::Tensor& buffer, const at::Tensor& step, std::int64_t length)
{
    const auto needed = length + step.size(2);
    if (buffer.defined() && buffer.size(2) >= needed)
        return buffer;
    auto sizes = step.sizes().vec();
    sizes[2] = std::max<std::int64_t>({needed, 64, buffer.defined() ? 2 * buffer.size(2) : 0});
    auto bigger = at::empty(sizes, step.options());
    if (length > 0)
        bigger.narrow(2, 0, length).copy_(buffer.narrow(2, 0, length));
    return bigger;
}

at::Tensor rotateHalf(const at::Tensor& x)
{
    const auto half = x.size(-1) / 2;
    return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// x Wᵀ (+ b) for one projection of a layer, dense or quantized.
at::Tensor project(const at::Tensor& x, const LayerWeights& L, Projection p, const at::Tensor& w,
                   const at::Tensor& b = at::Tensor())
{
    at::Tensor y = L.quantized[p] ? quant::linear(x, *L.quantized[p]) : quant::linear(x, w);
    return b.defined() ? y + b : y;
}

// The bias of projection p (Qwen2's q, k and v have one), or an undefined tensor.
at::Tensor biasOf(const LayerWeights& L, Projection p)
{
    return p == kQ ? L.qb : p == kK ? L.kb : p == kV ? L.vb : at::Tensor();
}

// The projections `ps` of one input (q, k, v; gate, up) as project() gives
// them; 4-bit ones share the rounding of x and one parallel region.
std::vector<at::Tensor> projectShared(const at::Tensor& x, const LayerWeights& L, std::initializer_list<Projection> ps)
{
    std::vector<const quant::QuantMatrix*> matrices;
    for (auto p : ps)
        if (L.quantized[p])
            matrices.push_back(L.quantized[p].get());
    std::vector<at::Tensor> ys;
    if (matrices.size() != ps.size()) {
        for (auto p : ps)
            ys.push_back(project(x, L, p, L.weight(p), biasOf(L, p)));
        return ys;
    }
    ys = quant::linearShared(x, matrices);
    for (std::size_t i = 0; i < ys.size(); ++i) {
        if (const auto b = biasOf(L, ps.begin()[i]); b.defined())
            ys[i] = ys[i] + b;
    }
    return ys;
}

// softmax(q kᵀ · scale + mask) v for queries [B, H, T, D] at positions past …
// past + T - 1, keys and values [B, H, past + T, D], the additive mask
// [B or 1, 1, T, past + T]. The softmax is in float32, as modeling_llama's.
// Long inputs go in blocks of queries, each against the keys up to its last
// position: the rest of the row is masked anyway, so a causal product of 512
// positions does 5/8 of the full one's work.
at::Tensor causalAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask,
                           double scale, std::int64_t past)
{
    constexpr std::int64_t kQueryBlock = 128;
    const auto T = q.size(2);
    const auto attend = [&](std::int64_t begin, std::int64_t end) {
        const auto keys = past + end;
        const auto scores =
            at::matmul(q.narrow(2, begin, end - begin), k.narrow(2, 0, keys).transpose(2, 3)).to(at::kFloat) * scale +
            mask.narrow(2, begin, end - begin).narrow(3, 0, keys);
        return at::matmul(at::softmax(scores, -1).to(v.scalar_type()), v.narrow(2, 0, keys));
    };
    if (T < 2 * kQueryBlock)
        return attend(0, T);
    std::vector<at::Tensor> blocks;
    for (std::int64_t begin = 0; begin < T; begin += kQueryBlock)
        blocks.push_back(attend(begin, std::min(T, begin + kQueryBlock)));
    return at::cat(blocks, 2);
}

} // namespace

std::pair<at::Tensor, at::Tensor> KvCache::append(std::size_t layer, const at::Tensor& k, const at::Tensor& v)
{
    if (keys.size() <= layer) {
        keys.resize(layer + 1);
        values.resize(layer + 1);
    }
    keys[layer] = grown(keys[layer], k, length);
    values[layer] = grown(values[layer], v, length);
    const auto T = k.size(2);
    keys[layer].narrow(2, length, T).copy_(k);
    values[layer].narrow(2, length, T).copy_(v);
    return {keys[layer].narrow(2, 0, length + T), values[layer].narrow(2, 0, length + T)};
}

Llama::Llama(ModelConfig cfg, at::Device dev, at::ScalarType dt) : config(std::move(cfg)), device(dev), dtype(dt)
{
    const auto inv = inverseFrequencies(config);
    m_invFreq = at::tensor(at::ArrayRef<double>(inv), at::TensorOptions().dtype(at::kDouble)).to(at::kFloat).to(device);
}

std::vector<std::pair<std::string, at::Tensor*>> Llama::namedParameters()
{
    std::vector<std::pair<std::string, at::Tensor*>> out{{arch::kEmbedTokens, &embed}, {arch::kFinalNorm, &finalNorm}};
    if (!config.tieWordEmbeddings)
        out.emplace_back(arch::kLmHead, &lmHead);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        auto& L = layers[i];
        const auto layer = static_cast<std::int64_t>(i);
        out.emplace_back(arch::inputNormName(layer), &L.inputNorm);
        out.emplace_back(arch::postNormName(layer), &L.postNorm);
        for (int p = 0; p < kProjectionCount; ++p)
            out.emplace_back(arch::projectionTensorName(layer, static_cast<Projection>(p)),
                             &L.weight(static_cast<Projection>(p)));
        if (config.attentionBias)
            out.insert(out.end(), {{arch::projectionTensorName(layer, kQ, "bias"), &L.qb},
                                   {arch::projectionTensorName(layer, kK, "bias"), &L.kb},
                                   {arch::projectionTensorName(layer, kV, "bias"), &L.vb}});
    }
    return out;
}

const quant::Int8Matrix* Llama::int8Weight(const std::string& name) const
{
    if (name == arch::kEmbedTokens)
        return embedInt8.get();
    return name == arch::kLmHead ? lmHeadInt8.get() : nullptr;
}

at::Tensor Llama::rmsNorm(const at::Tensor& x, const at::Tensor& w) const
{
    // LlamaRMSNorm: normalise in float32, cast back, then scale.
    const auto xf = x.to(at::kFloat);
    const auto var = xf.pow(2).mean({-1}, true);
    return w * (xf * at::rsqrt(var + config.rmsNormEps)).to(dtype);
}

void Llama::ropeTables(std::int64_t start, std::int64_t count, at::Tensor& cos, at::Tensor& sin) const
{
    const auto pos = at::arange(start, start + count, at::TensorOptions().dtype(at::kFloat).device(device));
    const auto freqs = at::outer(pos, m_invFreq); // [T, D/2]
    const auto emb = at::cat({freqs, freqs}, -1); // [T, D]
    cos = emb.cos().to(dtype);
    sin = emb.sin().to(dtype);
}

at::Tensor Llama::forward(const at::Tensor& ids, const at::Tensor& lengths, KvCache* cache, bool lastPositionOnly) const
{
    auto h = hidden(ids, lengths, cache);
    if (lastPositionOnly)
        h = h.narrow(1, h.size(1) - 1, 1);
    return logits(h);
}

at::Tensor Llama::logits(const at::Tensor& hiddenStates) const
{
    return (lmHeadInt8 ? quant::linear(hiddenStates, *lmHeadInt8) : quant::linear(hiddenStates, lmHead)).to(at::kFloat);
}

at::Tensor Llama::embedTokens(const at::Tensor& ids) const
{
    return embedInt8 ? quant::embeddingRows(*embedInt8, ids).to(dtype) : at::embedding(embed, ids);
}

bool Llama::decodeStepApplies(const at::Tensor& ids, const at::Tensor& lengths, const KvCache* cache) const
{
    return cache && ids.size(0) == 1 && ids.size(1) == 1 && !lengths.defined() && device.is_cpu() &&
           dtype == at::kFloat && !at::GradMode::is_enabled() && !projectionObserver;
}

namespace {

// RMSNorm of one row in float32 (rmsNorm's arithmetic, accumulated in double).
at::Tensor normedRow(const at::Tensor& x, const at::Tensor& w, double eps)
{
    const auto n = x.numel();
    const float* xp = x.data_ptr<float>();
    const float* wp = w.data_ptr<float>();
    double squares = 0.0;
    for (std::int64_t i = 0; i < n; ++i)
        squares += static_cast<double>(xp[i]) * xp[i];
    const auto inverse = static_cast<float>(1.0 / std::sqrt(squares / static_cast<double>(n) + eps));
    auto out = at::empty_like(x);
    float* op = out.data_ptr<float>();
    for (std::int64_t i = 0; i < n; ++i)
        op[i] = wp[i] * (xp[i] * inverse);
    return out;
}

// Rotary embedding in place on `heads` heads of size D (rotate-half layout).
void rotate(float* x, std::int64_t heads, std::int64_t D, const float* cos, const float* sin)
{
    const auto half = D / 2;
    for (std::int64_t h = 0; h < heads; ++h, x += D)
        for (std::int64_t i = 0; i < half; ++i) {
            const float a = x[i], b = x[i + half];
            x[i] = a * cos[i] - b * sin[i];
            x[i + half] = b * cos[i + half] + a * sin[i + half];
        }
}

} // namespace

// One new token: the per-token work of generation. Through hidden()'s general
// path a token costs about 75 small tensor operations per layer, which take as
// long as the layer's matrix products; here the norms, the rotary embedding,
// attention over the cache and the MLP's gating are plain loops, and only the
// projections (the fused 4-bit or fp32 matrix-vector kernels) are tensor calls.
at::Tensor Llama::decodeStep(const at::Tensor& ids, KvCache& cache) const
{
    const auto H = config.numHeads, KV = config.numKeyValueHeads, D = config.headDim;
    const auto groups = H / KV;
    const auto past = cache.length;
    const auto total = past + 1;
    at::Tensor cos, sin;
    ropeTables(past, 1, cos, sin);
    const float* cp = cos.data_ptr<float>();
    const float* sp = sin.data_ptr<float>();
    const auto scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
    auto h = embedTokens(ids).contiguous(); // [1, 1, hidden]
    auto attn = at::empty({1, 1, H * D}, at::kFloat);
    std::vector<float> scores(static_cast<std::size_t>(H * total));
    const auto isa = quant::cpu::bestIsa();
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto& L = layers[li];
        const auto x = normedRow(h, L.inputNorm, config.rmsNormEps);
        const auto qkv = projectShared(x, L, {kQ, kK, kV});
        auto q = qkv[0].contiguous();
        auto k = qkv[1].contiguous();
        const auto v = qkv[2].contiguous();
        rotate(q.data_ptr<float>(), H, D, cp, sp);
        rotate(k.data_ptr<float>(), KV, D, cp, sp);
        const auto [keys, values] = cache.append(li, k.view({1, KV, 1, D}), v.view({1, KV, 1, D}));
        // keys, values: [1, KV, total, D] views of the cache buffers.
        const float* kp = keys.data_ptr<float>();
        const float* vp = values.data_ptr<float>();
        const auto headStride = keys.stride(1);
        const float* qp = q.data_ptr<float>();
        float* ap = attn.data_ptr<float>();
        at::parallel_for(0, H, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t head = begin; head < end; ++head) {
                const float* qh = qp + head * D;
                const float* kh = kp + (head / groups) * headStride;
                const float* vh = vp + (head / groups) * headStride;
                float* s = scores.data() + head * total;
                quant::cpu::matvecF32Rows(kh, D, qh, s, 0, total, isa); // the key rows are D apart
                quant::cpu::attendHead(s, total, scale, vh, D, ap + head * D, isa);
            }
        });
        h += project(attn, L, kO, L.o);
        const auto y = normedRow(h, L.postNorm, config.rmsNormEps);
        const auto gateUp = projectShared(y, L, {kGate, kUp});
        auto gate = gateUp[0].contiguous();
        const auto up = gateUp[1].contiguous();
        float* gp = gate.data_ptr<float>();
        const float* upValues = up.data_ptr<float>();
        for (std::int64_t i = 0; i < gate.numel(); ++i)
            gp[i] = gp[i] / (1.0f + std::exp(-gp[i])) * upValues[i];
        h += project(gate, L, kDown, L.down);
    }
    cache.length = total;
    return normedRow(h, finalNorm, config.rmsNormEps);
}

at::Tensor Llama::hidden(const at::Tensor& ids, const at::Tensor& lengths, KvCache* cache) const
{
    if (decodeStepApplies(ids, lengths, cache))
        return decodeStep(ids.to(device), *cache);
    const auto B = ids.size(0);
    const auto T = ids.size(1);
    const auto past = cache ? cache->length : 0;
    const auto total = past + T;
    const auto H = config.numHeads;
    const auto KV = config.numKeyValueHeads;
    const auto D = config.headDim;
    const auto groups = H / KV;

    at::Tensor cos, sin;
    ropeTables(past, T, cos, sin);

    // Additive mask [B, 1, T, total]: causal, and keys beyond a row's length hidden.
    const auto opts = at::TensorOptions().device(device);
    const auto qPos = at::arange(past, total, opts.dtype(at::kLong)).view({T, 1});
    const auto kPos = at::arange(0, total, opts.dtype(at::kLong)).view({1, total});
    at::Tensor allowed = (kPos <= qPos).view({1, 1, T, total});
    if (lengths.defined())
        allowed = allowed & (kPos.view({1, 1, 1, total}) < lengths.to(device).view({B, 1, 1, 1}));
    const auto mask = at::zeros(allowed.sizes(), opts.dtype(at::kFloat))
                          .masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());

    auto h = embedTokens(ids.to(device));
    const double scale = 1.0 / std::sqrt(static_cast<double>(D));
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto& L = layers[li];
        const auto x = rmsNorm(h, L.inputNorm);
        // Projections of one input (q, k and v share x, gate and up share y: see
        // projectShared), reported to the observer when one is installed.
        auto proj = [&](const at::Tensor& in, std::initializer_list<Projection> ps) {
            auto outs = projectShared(in, L, ps);
            if (projectionObserver)
                for (std::size_t i = 0; i < outs.size(); ++i)
                    projectionObserver(li, ps.begin()[i], in, outs[i]);
            return outs;
        };
        const auto qkv = proj(x, {kQ, kK, kV});
        auto q = qkv[0].view({B, T, H, D}).transpose(1, 2);
        auto k = qkv[1].view({B, T, KV, D}).transpose(1, 2);
        auto v = qkv[2].view({B, T, KV, D}).transpose(1, 2);
        q = q * cos + rotateHalf(q) * sin;
        k = k * cos + rotateHalf(k) * sin;
        if (cache)
            std::tie(k, v) = cache->append(li, k, v);
        // Copies per query head: measured faster for batched positions than stacking a key
        // head's query heads (one token at a time takes decodeStep, which copies nothing).
        if (groups > 1) {
            k = k.repeat_interleave(groups, 1);
            v = v.repeat_interleave(groups, 1);
        }
        const auto attn = causalAttention(q, k, v, mask, scale, past).transpose(1, 2).reshape({B, T, H * D});
        h = h + proj(attn, {kO})[0];
        const auto y = rmsNorm(h, L.postNorm);
        const auto gateUp = proj(y, {kGate, kUp});
        const auto mlp = at::silu(gateUp[0]) * gateUp[1];
        h = h + proj(mlp, {kDown})[0];
    }
    if (cache)
        cache->length = total;
    return rmsNorm(h, finalNorm);
}

} // namespace zl::model
