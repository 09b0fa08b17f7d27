#include "quant/int8_matrix.h"

#include "quant/cpu_kernels.h"
#include "quant/panel_product.h"
#include "zerolens/error.h"

#include <ATen/Parallel.h>

namespace zl::quant {

namespace {

constexpr std::int64_t kRowBlock = 256;
// Rows of x up to which logits take the integer kernel (decode, a prompt's last
// position); more rows are a matrix product, which the float panels do better
// unless the integer tiles apply (cpu::int8WeightTilesApply).
constexpr std::int64_t kMaxKernelRows = 8;

// Rows [r0, r0 + n) in float32.
at::Tensor dequantizeRows(const Int8Matrix& m, std::int64_t r0, std::int64_t n)
{
    return m.values.narrow(0, r0, n).to(at::kFloat) * perColumn(m.scales.narrow(0, r0, n), m.groupSize, m.cols);
}

} // namespace

std::uint64_t Int8Matrix::bytes() const
{
    return values.nbytes() + scales.nbytes();
}

Int8Matrix quantizeInt8(const at::Tensor& weight, std::int64_t groupSize, QuantError* error)
{
    if (weight.dim() != 2)
        throw InvalidArgument("8-bit quantization needs a matrix");
    if (groupSize < 1)
        throw InvalidArgument("group size must be positive");
    c10::InferenceMode inference;
    Int8Matrix m;
    m.rows = weight.size(0);
    m.cols = weight.size(1);
    m.groupSize = groupSize;
    const auto ng = m.groups();
    const auto device = weight.device();
    m.values = at::empty({m.rows, m.cols}, at::TensorOptions().dtype(at::kChar).device(device));
    m.scales = at::empty({m.rows, ng}, at::TensorOptions().dtype(at::kFloat).device(device));
    for (std::int64_t r0 = 0; r0 < m.rows; r0 += kRowBlock) {
        const auto n = std::min(kRowBlock, m.rows - r0);
        const auto w = weight.narrow(0, r0, n).to(at::kFloat);
        const auto padded = at::constant_pad_nd(w, {0, ng * groupSize - m.cols}, 0.0).reshape({n, ng, groupSize});
        const auto scale = std::get<0>(padded.abs().max(-1)) / 127.0;
        const auto divisor = perColumn(at::where(scale > 0, scale, at::ones_like(scale)), groupSize, m.cols);
        m.values.narrow(0, r0, n).copy_(at::clamp(at::round(w / divisor), -127, 127));
        m.scales.narrow(0, r0, n).copy_(scale);
        if (error) {
            const auto diff = (dequantizeRows(m, r0, n) - w).abs();
            error->maxAbs = std::max(error->maxAbs, diff.max().item<double>());
            error->sumSquares += diff.pow(2).sum().item<double>();
        }
    }
    return m;
}

at::Tensor dequantize(const Int8Matrix& m)
{
    return dequantizeRows(m, 0, m.rows);
}

at::Tensor embeddingRows(const Int8Matrix& m, const at::Tensor& ids)
{
    const auto flat = ids.reshape({-1}).to(m.values.device());
    const auto rows =
        m.values.index_select(0, flat).to(at::kFloat) * perColumn(m.scales.index_select(0, flat), m.groupSize, m.cols);
    auto shape = ids.sizes().vec();
    shape.push_back(m.cols);
    return rows.reshape(shape);
}

void forEachPanel(const Int8Matrix& m, const PanelFn& fn)
{
    const auto rowsPerPanel = panelRows(m.rows, m.cols);
    for (std::int64_t r0 = 0; r0 < m.rows; r0 += rowsPerPanel) {
        const auto n = std::min(rowsPerPanel, m.rows - r0);
        fn(r0, dequantizeRows(m, r0, n));
    }
}

at::Tensor linear(const at::Tensor& x, const Int8Matrix& m)
{
    const auto flat = x.reshape({-1, m.cols});
    const bool cpu = x.device().is_cpu() && m.values.device().is_cpu() && x.scalar_type() == at::kFloat;
    at::Tensor y;
    if (!cpu) {
        y = at::matmul(flat, dequantize(m).to(x.scalar_type()).t());
    } else if (at::GradMode::is_enabled() && x.requires_grad()) {
        y = frozenProduct(flat, m);
    } else if (flat.size(0) > kMaxKernelRows &&
               !cpu::int8WeightTilesApply({nullptr, nullptr, m.rows, m.cols, m.groupSize}, flat.size(0),
                                          cpu::bestIsa())) {
        y = panelProduct(flat, m);
    } else {
        const auto xs = flat.contiguous();
        const auto values = m.values.contiguous();
        const auto scales = m.scales.contiguous();
        const cpu::Int8Weights w{values.data_ptr<std::int8_t>(), scales.data_ptr<float>(), m.rows, m.cols, m.groupSize};
        const cpu::Int8Activations xq(w, xs.data_ptr<float>(), xs.size(0));
        y = at::empty({xs.size(0), m.rows}, at::kFloat);
        float* yp = y.data_ptr<float>();
        const auto isa = cpu::bestIsa();
        at::parallel_for(0, m.rows, 64, [&](std::int64_t begin, std::int64_t end) {
            cpu::matmulInt8WeightRows(w, xq, yp, begin, end, isa);
        });
    }
    auto shape = x.sizes().vec();
    shape.back() = m.rows;
    return y.reshape(shape);
}

} // namespace zl::quant
