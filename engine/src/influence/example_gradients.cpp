#include "influence/example_gradients.h"

#include "zerolens/error.h"

#include <torch/csrc/autograd/autograd.h>

#include <chrono>
#include <map>

namespace zl::influence {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Captured {
    std::size_t tensor = 0;
    at::Tensor in, out;
};

} // namespace

GradientTracker::GradientTracker(model::Llama& llama, const GradientSettings& s) : m_llama(llama)
{
    const auto layers = static_cast<int>(llama.layers.size());
    if (s.tracked == "sparse") {
        for (std::size_t l = 0; l < llama.layers.size(); ++l)
            for (int p = 0; p < model::kProjectionCount; ++p) {
                const auto& q = llama.layers[l].quantized[static_cast<std::size_t>(p)];
                if (!q || !q->sparseIndices.defined() || q->sparseIndices.numel() == 0)
                    continue;
                TrackedTensor t;
                t.layer = l;
                t.projection = static_cast<model::Projection>(p);
                t.name = arch::projectionTensorName(static_cast<std::int64_t>(l), t.projection);
                t.out = q->rows;
                t.in = q->cols;
                const auto idx = q->sparseIndices.to(llama.device);
                t.rows = at::floor_divide(idx, q->cols);
                t.cols = at::remainder(idx, q->cols);
                m_tensors.push_back(std::move(t));
            }
        if (m_tensors.empty())
            throw InvalidArgument("the model has no sparse set S to track: give a mask, a 4-bit folder quantized "
                                  "with one, or track whole blocks");
    } else if (s.tracked == "blocks") {
        if (s.blocks.empty())
            throw InvalidArgument("tracking blocks needs at least one block index");
        for (const int b : s.blocks) {
            if (b < 0 || b >= layers)
                throw InvalidArgument("block " + std::to_string(b) + " is outside the model's 0.." +
                                      std::to_string(layers - 1));
            for (int p = 0; p < model::kProjectionCount; ++p) {
                TrackedTensor t;
                t.layer = static_cast<std::size_t>(b);
                t.projection = static_cast<model::Projection>(p);
                t.name = arch::projectionTensorName(b, t.projection);
                const auto shape = arch::projectionShape(llama.config, t.projection);
                t.out = shape[0];
                t.in = shape[1];
                m_tensors.push_back(std::move(t));
            }
        }
    } else {
        throw InvalidArgument("tracked set must be \"sparse\" or \"blocks\", got \"" + s.tracked + "\"");
    }
    for (const auto& t : m_tensors)
        m_dimension += t.size();
    // The graph starts at the first norm's weight, the one small tensor that
    // needs a gradient; every projection output downstream then carries one.
    llama.layers.front().inputNorm.set_requires_grad(true);
}

GradientTracker::~GradientTracker()
{
    m_llama.projectionObserver = nullptr;
    m_llama.layers.front().inputNorm.set_requires_grad(false);
}

TensorGradients GradientTracker::perSequence(const WeightedSequences& batch, GradientTiming* timing)
{
    const auto a = backward(batch, timing);
    const auto start = std::chrono::steady_clock::now();
    TensorGradients grads;
    for (std::size_t i = 0; i < m_tensors.size(); ++i) {
        const auto& t = m_tensors[i];
        const auto& [x, dy] = a.tensors[i];
        grads.push_back(t.rows.defined() ? (dy.index_select(2, t.rows) * x.index_select(2, t.cols)).sum(1)
                                         : at::bmm(dy.transpose(1, 2), x).reshape({a.rows, t.size()}));
    }
    if (timing)
        timing->backward += secondsSince(start);
    return grads;
}

void GradientTracker::perPositionNormalized(const std::vector<std::int32_t>& ids, const std::vector<float>& weights,
                                            std::int64_t chunk, const PositionConsumer& consume)
{
    const auto a = backward({{ids}, {weights}}, nullptr);
    const auto T = static_cast<std::int64_t>(ids.size());
    // The norms of the whole sequence's gradient, per tensor.
    std::vector<double> norms;
    for (std::size_t i = 0; i < m_tensors.size(); ++i) {
        const auto& t = m_tensors[i];
        const auto x = a.tensors[i].first[0], dy = a.tensors[i].second[0];
        const auto whole =
            t.rows.defined() ? (dy.index_select(1, t.rows) * x.index_select(1, t.cols)).sum(0) : at::matmul(dy.t(), x);
        const auto n = whole.norm().item<double>();
        norms.push_back(n > 0 ? n : 1.0);
    }
    for (std::int64_t p0 = 0; p0 < T; p0 += chunk) {
        const auto c = std::min(chunk, T - p0);
        TensorGradients parts;
        for (std::size_t i = 0; i < m_tensors.size(); ++i) {
            const auto& t = m_tensors[i];
            const auto x = a.tensors[i].first[0].narrow(0, p0, c), dy = a.tensors[i].second[0].narrow(0, p0, c);
            const auto g = t.rows.defined() ? dy.index_select(1, t.rows) * x.index_select(1, t.cols)
                                            : (dy.unsqueeze(2) * x.unsqueeze(1)).reshape({c, t.size()});
            parts.push_back(g / norms[i]);
        }
        consume(p0, parts);
    }
}

GradientTracker::Activations GradientTracker::backward(const WeightedSequences& batch, GradientTiming* timing)
{
    const auto B = static_cast<std::int64_t>(batch.ids.size());
    if (B == 0 || batch.weights.size() != batch.ids.size())
        throw InvalidArgument("empty batch");
    std::int64_t T = 0;
    for (const auto& s : batch.ids)
        T = std::max<std::int64_t>(T, static_cast<std::int64_t>(s.size()));
    auto ids = at::zeros({B, T}, at::kLong);
    auto lengths = at::empty({B}, at::kLong);
    std::vector<std::int64_t> rows, targets;
    std::vector<float> weights;
    auto* idp = ids.data_ptr<std::int64_t>();
    for (std::int64_t b = 0; b < B; ++b) {
        const auto& s = batch.ids[static_cast<std::size_t>(b)];
        const auto& w = batch.weights[static_cast<std::size_t>(b)];
        if (w.size() != s.size())
            throw InvalidArgument("a sequence's weights do not match its tokens");
        lengths.data_ptr<std::int64_t>()[b] = static_cast<std::int64_t>(s.size());
        for (std::size_t t = 0; t < s.size(); ++t) {
            if (s[t] < 0 || s[t] >= m_llama.config.vocabSize)
                throw InvalidArgument("token id outside the model's vocabulary");
            idp[b * T + static_cast<std::int64_t>(t)] = s[t];
            if (t > 0 && w[t] != 0.0f) { // token t is predicted by position t − 1
                rows.push_back(b * T + static_cast<std::int64_t>(t) - 1);
                targets.push_back(s[t]);
                weights.push_back(w[t]);
            }
        }
    }
    if (rows.empty())
        throw InvalidArgument("no token of the batch carries a loss");

    std::vector<Captured> captured;
    std::map<std::pair<std::size_t, int>, std::size_t> index;
    for (std::size_t i = 0; i < m_tensors.size(); ++i)
        index[{m_tensors[i].layer, static_cast<int>(m_tensors[i].projection)}] = i;
    m_llama.projectionObserver = [&](std::size_t layer, model::Projection p, const at::Tensor& in,
                                     const at::Tensor& out) {
        const auto it = index.find({layer, static_cast<int>(p)});
        if (it != index.end())
            captured.push_back({it->second, in.detach(), out});
    };
    auto start = std::chrono::steady_clock::now();
    const auto device = m_llama.device;
    auto onDevice = [&](const auto& v) { return at::tensor(at::ArrayRef(v)).to(device); };
    at::Tensor loss;
    {
        const auto h = m_llama.hidden(ids, lengths);
        const auto picked = m_llama.logits(h.reshape({B * T, h.size(-1)}).index_select(0, onDevice(rows)));
        const auto nll = -at::log_softmax(picked, -1).gather(1, onDevice(targets).unsqueeze(1)).squeeze(1);
        loss = (nll * onDevice(weights)).sum();
    }
    m_llama.projectionObserver = nullptr;
    if (timing)
        timing->forward += secondsSince(start);
    start = std::chrono::steady_clock::now();
    std::vector<at::Tensor> outs;
    for (const auto& c : captured)
        outs.push_back(c.out);
    const auto dys = torch::autograd::grad({loss}, outs, {}, /*retain_graph=*/false, /*create_graph=*/false,
                                           /*allow_unused=*/true);
    Activations a;
    a.rows = B;
    a.tensors.resize(m_tensors.size());
    for (std::size_t c = 0; c < captured.size(); ++c) {
        const auto& t = m_tensors[captured[c].tensor];
        const auto x = captured[c].in.to(at::kFloat).reshape({B, T, t.in});
        const auto dy =
            dys[c].defined() ? dys[c].to(at::kFloat).reshape({B, T, t.out}) : at::zeros({B, T, t.out}, x.options());
        a.tensors[captured[c].tensor] = {x, dy.detach()};
    }
    for (std::size_t i = 0; i < a.tensors.size(); ++i)
        if (!a.tensors[i].first.defined())
            throw InvalidArgument("tracked tensor " + m_tensors[i].name + " was not reached by the forward pass");
    if (timing)
        timing->backward += secondsSince(start);
    return a;
}

at::Tensor normalizeAndConcat(const TensorGradients& grads)
{
    std::vector<at::Tensor> parts;
    for (const auto& g : grads) {
        const auto n = g.norm(2, {1}, /*keepdim=*/true);
        parts.push_back(g / at::where(n > 0, n, at::ones_like(n)));
    }
    return at::cat(parts, 1);
}

} // namespace zl::influence
