#include "reference_llama.h"

#include <cmath>
#include <string>

namespace zl::test {

namespace {

using Vec = std::vector<double>;

// y = W x (+ b), W row-major [out, in].
Vec matvec(const std::vector<float>& w, const Vec& x, std::int64_t out, const std::vector<float>* bias = nullptr)
{
    const auto in = static_cast<std::int64_t>(x.size());
    Vec y(static_cast<std::size_t>(out), 0.0);
    for (std::int64_t r = 0; r < out; ++r) {
        double s = bias ? (*bias)[static_cast<std::size_t>(r)] : 0.0;
        for (std::int64_t c = 0; c < in; ++c)
            s += static_cast<double>(w[static_cast<std::size_t>(r * in + c)]) * x[static_cast<std::size_t>(c)];
        y[static_cast<std::size_t>(r)] = s;
    }
    return y;
}

Vec rmsNorm(const Vec& x, const std::vector<float>& w, double eps)
{
    double ms = 0.0;
    for (double v : x)
        ms += v * v;
    ms /= static_cast<double>(x.size());
    const double inv = 1.0 / std::sqrt(ms + eps);
    Vec y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        y[i] = w[i] * x[i] * inv;
    return y;
}

// Frequency of rotary pair i, with transformers' "linear" and "llama3" scaling.
double ropeFrequency(const ModelConfig& c, std::int64_t i)
{
    const double base = 1.0 / std::pow(c.ropeTheta, static_cast<double>(2 * i) / static_cast<double>(c.headDim));
    const auto& rs = c.ropeScaling;
    if (rs.kind == RopeScaling::Kind::Linear)
        return base / rs.factor;
    if (rs.kind != RopeScaling::Kind::Llama3)
        return base;
    const double wavelength = 2.0 * 3.14159265358979323846 / base;
    const double original = static_cast<double>(rs.originalMaxPositionEmbeddings);
    if (wavelength < original / rs.highFreqFactor)
        return base; // high frequencies are kept
    if (wavelength > original / rs.lowFreqFactor)
        return base / rs.factor; // low frequencies are interpolated
    const double smooth = (original / wavelength - rs.lowFreqFactor) / (rs.highFreqFactor - rs.lowFreqFactor);
    return (1.0 - smooth) * base / rs.factor + smooth * base;
}

// Rotary embedding of one head vector at position pos (rotate-half layout).
void rope(double* v, const ModelConfig& c, std::int64_t pos)
{
    const auto d = c.headDim;
    const auto half = d / 2;
    for (std::int64_t i = 0; i < half; ++i) {
        const double freq = ropeFrequency(c, i);
        const double cs = std::cos(static_cast<double>(pos) * freq);
        const double sn = std::sin(static_cast<double>(pos) * freq);
        const double a = v[i], b = v[i + half];
        v[i] = a * cs - b * sn;
        v[i + half] = b * cs + a * sn;
    }
}

} // namespace

std::vector<std::vector<double>> referenceLogProbs(const ModelConfig& c, const SampleWeights& w,
                                                   const std::vector<std::int32_t>& ids)
{
    const auto T = static_cast<std::int64_t>(ids.size());
    const auto H = c.hiddenSize, D = c.headDim, NH = c.numHeads, KV = c.numKeyValueHeads;
    std::vector<Vec> x(static_cast<std::size_t>(T), Vec(static_cast<std::size_t>(H)));
    const auto& emb = w.at("model.embed_tokens.weight");
    for (std::int64_t t = 0; t < T; ++t)
        for (std::int64_t i = 0; i < H; ++i)
            x[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] =
                emb[static_cast<std::size_t>(ids[static_cast<std::size_t>(t)] * H + i)];

    for (std::int64_t l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        auto bias = [&](const char* n) -> const std::vector<float>* {
            const auto it = w.find(p + n);
            return it == w.end() ? nullptr : &it->second;
        };
        std::vector<Vec> q(static_cast<std::size_t>(T)), k(static_cast<std::size_t>(T)), v(static_cast<std::size_t>(T));
        for (std::int64_t t = 0; t < T; ++t) {
            const auto xn = rmsNorm(x[static_cast<std::size_t>(t)], w.at(p + "input_layernorm.weight"), c.rmsNormEps);
            q[static_cast<std::size_t>(t)] =
                matvec(w.at(p + "self_attn.q_proj.weight"), xn, NH * D, bias("self_attn.q_proj.bias"));
            k[static_cast<std::size_t>(t)] =
                matvec(w.at(p + "self_attn.k_proj.weight"), xn, KV * D, bias("self_attn.k_proj.bias"));
            v[static_cast<std::size_t>(t)] =
                matvec(w.at(p + "self_attn.v_proj.weight"), xn, KV * D, bias("self_attn.v_proj.bias"));
            for (std::int64_t h = 0; h < NH; ++h)
                rope(q[static_cast<std::size_t>(t)].data() + h * D, c, t);
            for (std::int64_t h = 0; h < KV; ++h)
                rope(k[static_cast<std::size_t>(t)].data() + h * D, c, t);
        }
        for (std::int64_t t = 0; t < T; ++t) {
            Vec attn(static_cast<std::size_t>(NH * D), 0.0);
            for (std::int64_t h = 0; h < NH; ++h) {
                const auto kvh = h / (NH / KV);
                Vec scores(static_cast<std::size_t>(t + 1));
                double mx = -1e300;
                for (std::int64_t j = 0; j <= t; ++j) {
                    double s = 0.0;
                    for (std::int64_t d = 0; d < D; ++d)
                        s += q[static_cast<std::size_t>(t)][static_cast<std::size_t>(h * D + d)] *
                             k[static_cast<std::size_t>(j)][static_cast<std::size_t>(kvh * D + d)];
                    scores[static_cast<std::size_t>(j)] = s / std::sqrt(static_cast<double>(D));
                    mx = std::max(mx, scores[static_cast<std::size_t>(j)]);
                }
                double z = 0.0;
                for (auto& s : scores) {
                    s = std::exp(s - mx);
                    z += s;
                }
                for (std::int64_t j = 0; j <= t; ++j)
                    for (std::int64_t d = 0; d < D; ++d)
                        attn[static_cast<std::size_t>(h * D + d)] +=
                            scores[static_cast<std::size_t>(j)] / z *
                            v[static_cast<std::size_t>(j)][static_cast<std::size_t>(kvh * D + d)];
            }
            const auto o = matvec(w.at(p + "self_attn.o_proj.weight"), attn, H);
            auto& xt = x[static_cast<std::size_t>(t)];
            for (std::int64_t i = 0; i < H; ++i)
                xt[static_cast<std::size_t>(i)] += o[static_cast<std::size_t>(i)];
            const auto xn = rmsNorm(xt, w.at(p + "post_attention_layernorm.weight"), c.rmsNormEps);
            const auto g = matvec(w.at(p + "mlp.gate_proj.weight"), xn, c.intermediateSize);
            const auto u = matvec(w.at(p + "mlp.up_proj.weight"), xn, c.intermediateSize);
            Vec act(g.size());
            for (std::size_t i = 0; i < g.size(); ++i)
                act[i] = g[i] / (1.0 + std::exp(-g[i])) * u[i]; // SiLU(gate) * up
            const auto down = matvec(w.at(p + "mlp.down_proj.weight"), act, H);
            for (std::int64_t i = 0; i < H; ++i)
                xt[static_cast<std::size_t>(i)] += down[static_cast<std::size_t>(i)];
        }
    }
    const auto& head = c.tieWordEmbeddings ? emb : w.at("lm_head.weight");
    std::vector<std::vector<double>> out;
    for (std::int64_t t = 0; t < T; ++t) {
        const auto xn = rmsNorm(x[static_cast<std::size_t>(t)], w.at("model.norm.weight"), c.rmsNormEps);
        auto logits = matvec(head, xn, c.vocabSize);
        double mx = -1e300;
        for (double l : logits)
            mx = std::max(mx, l);
        double z = 0.0;
        for (double l : logits)
            z += std::exp(l - mx);
        for (auto& l : logits)
            l = l - mx - std::log(z);
        out.push_back(std::move(logits));
    }
    return out;
}

} // namespace zl::test
