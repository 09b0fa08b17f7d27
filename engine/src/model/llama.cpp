#include "model/llama.h"

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
    return quant::linear(hiddenStates, lmHead).to(at::kFloat);
}

at::Tensor Llama::hidden(const at::Tensor& ids, const at::Tensor& lengths, KvCache* cache) const
{
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
    // Grouped-query attention without copying keys and values per query head: the
    // `groups` query heads that share a key head are stacked along the positions.
    if (groups > 1)
        allowed = allowed.expand({allowed.size(0), 1, T, total}).repeat({1, 1, groups, 1});
    const auto mask = at::zeros(allowed.sizes(), opts.dtype(at::kFloat))
                          .masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());

    auto h = at::embedding(embed, ids.to(device));
    const double scale = 1.0 / std::sqrt(static_cast<double>(D));
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto& L = layers[li];
        const auto x = rmsNorm(h, L.inputNorm);
        // Projections, reported to the observer when one is installed.
        auto proj = [&](const at::Tensor& in, Projection p, const at::Tensor& w, const at::Tensor& b = at::Tensor()) {
            auto out = project(in, L, p, w, b);
            if (projectionObserver)
                projectionObserver(li, p, in, out);
            return out;
        };
        auto q = proj(x, kQ, L.q, L.qb).view({B, T, H, D}).transpose(1, 2);
        auto k = proj(x, kK, L.k, L.kb).view({B, T, KV, D}).transpose(1, 2);
        auto v = proj(x, kV, L.v, L.vb).view({B, T, KV, D}).transpose(1, 2);
        q = q * cos + rotateHalf(q) * sin;
        k = k * cos + rotateHalf(k) * sin;
        if (cache)
            std::tie(k, v) = cache->append(li, k, v);
        // Query heads [B, KV, groups · T, D]: head h = kv · groups + g, as repeat_interleave pairs them.
        const auto qg = groups > 1 ? q.reshape({B, KV, groups * T, D}) : q;
        // Softmax in float32, as modeling_llama does.
        const auto scores = at::matmul(qg, k.transpose(2, 3)).to(at::kFloat) * scale + mask;
        const auto probs = at::softmax(scores, -1).to(dtype);
        const auto attn = at::matmul(probs, v).view({B, H, T, D}).transpose(1, 2).reshape({B, T, H * D});
        h = h + proj(attn, kO, L.o);
        const auto y = rmsNorm(h, L.postNorm);
        const auto mlp = at::silu(proj(y, kGate, L.gate)) * proj(y, kUp, L.up);
        h = h + proj(mlp, kDown, L.down);
    }
    if (cache)
        cache->length = total;
    return rmsNorm(h, finalNorm);
}

} // namespace zl::model
