// Products with a frozen weight held in 4 or 8 bits, through cache-sized float
// panels of its rows, so the float matrix never exists whole: y = x Wᵀ for
// many rows of x, and the same as an autograd node differentiable in x (its
// backward, dx = dy W, multiplies by the same panels).
#pragma once

#include "quant/int8_matrix.h"

#include <torch/csrc/autograd/custom_function.h>

#include <functional>

namespace zl::quant {

/// fn(firstRow, panel) over consecutive blocks of the float weight's rows, each
/// about 1 MiB (a 4-bit matrix: dequant(Q) without S).
using PanelFn = std::function<void(std::int64_t firstRow, const at::Tensor& panel)>;
void forEachPanel(const QuantMatrix& q, const PanelFn& fn);
void forEachPanel(const Int8Matrix& m, const PanelFn& fn);

/// Rows per panel so that `cols` float columns fill about 1 MiB (at least 16, at most `rows`).
std::int64_t panelRows(std::int64_t rows, std::int64_t cols);

template <typename Weight> at::Tensor panelProduct(const at::Tensor& x, const Weight& w)
{
    const auto xs = x.contiguous();
    auto y = at::empty({xs.size(0), w.rows}, at::kFloat);
    forEachPanel(w, [&](std::int64_t r0, const at::Tensor& panel) {
        y.narrow(1, r0, panel.size(0)).copy_(at::mm(xs, panel.t()));
    });
    return y;
}

template <typename Weight> at::Tensor panelTransposedProduct(const at::Tensor& dy, const Weight& w)
{
    const auto g = dy.contiguous();
    auto dx = at::zeros({g.size(0), w.cols}, at::kFloat);
    forEachPanel(w,
                 [&](std::int64_t r0, const at::Tensor& panel) { dx.addmm_(g.narrow(1, r0, panel.size(0)), panel); });
    return dx;
}

/// x Wᵀ for x [n, cols] recorded for autograd (frozenProduct); the weight must outlive the graph.
template <typename Weight> struct FrozenPanelProduct : public torch::autograd::Function<FrozenPanelProduct<Weight>> {
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, std::int64_t weight)
    {
        ctx->saved_data["weight"] = weight;
        return panelProduct(x, *reinterpret_cast<const Weight*>(weight));
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto* w = reinterpret_cast<const Weight*>(ctx->saved_data["weight"].toInt());
        return {panelTransposedProduct(grads[0], *w), at::Tensor()};
    }
};

template <typename Weight> at::Tensor frozenProduct(const at::Tensor& x, const Weight& w)
{
    return FrozenPanelProduct<Weight>::apply(x, static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(&w)));
}

} // namespace zl::quant
