#include "quant/quant_matrix.h"

#include "quant/cpu_kernels.h"
#include "quant/panel_product.h"
#if ZL_HAVE_CUDA
#include "quant/cuda_product.h"
#endif
#include "zerolens/error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace zl::quant {

namespace {

constexpr std::uint8_t kNf4Zero = 7;

at::Tensor nf4Table(const at::Device& device)
{
    return at::tensor(at::ArrayRef<float>(kNf4Levels.data(), kNf4Levels.size())).to(device);
}

// Codes [rows, cols] from packed bytes [rows, cols / 2].
at::Tensor unpack(const at::Tensor& packed)
{
    const auto lo = at::bitwise_and(packed, 0x0F);
    const auto hi = at::bitwise_right_shift(packed, 4);
    return at::stack({lo, hi}, -1).reshape({packed.size(0), packed.size(1) * 2});
}

} // namespace

at::Tensor perColumn(const at::Tensor& g, std::int64_t groupSize, std::int64_t cols)
{
    return g.repeat_interleave(groupSize, 1).narrow(1, 0, cols);
}

Format formatFromName(const std::string& name)
{
    if (name == "int4")
        return Format::Int4;
    if (name == "nf4")
        return Format::Nf4;
    throw InvalidArgument("quantization format \"" + name + "\" is not supported (expected int4 or nf4)");
}

std::string formatName(Format f)
{
    return f == Format::Int4 ? "int4" : "nf4";
}

std::uint64_t QuantMatrix::denseBytes() const
{
    return packed.nbytes() + scales.nbytes() + (zeros.defined() ? zeros.nbytes() : 0);
}

std::uint64_t QuantMatrix::sparseBytes() const
{
    return sparseIndices.defined() ? sparseIndices.nbytes() + sparseValues.nbytes() : 0;
}

namespace {

constexpr std::int64_t kRowBlock = 64;

// Codes [rows, cols] (uint8) and per-group parameters for a block of rows;
// `sensitiveMask` (bool, same shape, or undefined) marks entries kept in S,
// which are already zeroed in `w`.
void quantizeBlock(const at::Tensor& w, const at::Tensor& sensitiveMask, Format format, std::int64_t groupSize,
                   at::Tensor& codes, at::Tensor& scales, at::Tensor& zeros)
{
    const auto rows = w.size(0), cols = w.size(1);
    const auto ng = (cols + groupSize - 1) / groupSize;
    // Groups [rows, ng, G], the ragged tail padded with zeros (0 is always in range).
    const auto padded = at::constant_pad_nd(w, {0, ng * groupSize - cols}, 0.0).reshape({rows, ng, groupSize});
    at::Tensor c;
    if (format == Format::Int4) {
        const auto mn = at::clamp_max(std::get<0>(padded.min(-1)), 0.0);
        const auto mx = at::clamp_min(std::get<0>(padded.max(-1)), 0.0);
        auto scale = (mx - mn) / 15.0;
        scale = at::where(scale > 0, scale, at::ones_like(scale));
        const auto zero = at::clamp(at::round(-mn / scale), 0, 15);
        c = at::clamp(at::round(w / perColumn(scale, groupSize, cols)) + perColumn(zero, groupSize, cols), 0, 15);
        if (sensitiveMask.defined())
            c = at::where(sensitiveMask, perColumn(zero, groupSize, cols), c);
        scales = scale;
        zeros = zero.to(at::kByte);
    } else {
        auto absmax = std::get<0>(padded.abs().max(-1));
        absmax = at::where(absmax > 0, absmax, at::ones_like(absmax));
        const auto normalized = w / perColumn(absmax, groupSize, cols);
        // Nearest level: bucketize against the midpoints between levels.
        const auto table = nf4Table(w.device());
        const auto mid = (table.narrow(0, 0, 15) + table.narrow(0, 1, 15)) / 2.0;
        c = at::bucketize(normalized, mid).to(at::kFloat);
        if (sensitiveMask.defined())
            c = at::where(sensitiveMask, at::full_like(c, kNf4Zero), c);
        scales = absmax;
    }
    codes = c.to(at::kByte);
}

} // namespace

QuantMatrix quantize(const at::Tensor& weight, Format format, std::int64_t groupSize, const at::Tensor& sensitive,
                     QuantError* error)
{
    c10::InferenceMode inference;
    QuantMatrix q;
    q.format = format;
    q.rows = weight.size(0);
    q.cols = weight.size(1);
    q.groupSize = groupSize;
    if (q.cols % 2 != 0)
        throw InvalidArgument("4-bit packing needs an even number of columns, found " + std::to_string(q.cols));
    if (groupSize < 2 || groupSize % 2 != 0)
        throw InvalidArgument("group size must be even and at least 2");
    const auto ng = q.groups();
    const auto device = weight.device();
    const bool hasSparse = sensitive.defined() && sensitive.numel() > 0;
    const auto idx = hasSparse ? sensitive.to(device, at::kLong).contiguous()
                               : at::empty({0}, at::TensorOptions().dtype(at::kLong).device(device));
    q.sparseIndices = idx;
    q.sparseValues = weight.reshape({-1}).index_select(0, idx).to(at::kFloat);
    q.packed = at::empty({q.rows, q.cols / 2}, at::TensorOptions().dtype(at::kByte).device(device));
    q.scales = at::empty({q.rows, ng}, at::TensorOptions().dtype(at::kFloat).device(device));
    if (format == Format::Int4)
        q.zeros = at::empty({q.rows, ng}, at::TensorOptions().dtype(at::kByte).device(device));
    const auto idxCpu = idx.cpu();
    const auto* ip = idxCpu.data_ptr<std::int64_t>();
    std::int64_t next = 0; // first sparse index not yet in a block (indices are ascending)
    for (std::int64_t r0 = 0; r0 < q.rows; r0 += kRowBlock) {
        const auto n = std::min(kRowBlock, q.rows - r0);
        auto w = weight.narrow(0, r0, n).to(at::kFloat).contiguous().clone();
        at::Tensor mask;
        // The block's sensitive entries, as offsets inside the block.
        std::int64_t end = next;
        while (end < idx.numel() && ip[end] < (r0 + n) * q.cols)
            ++end;
        if (end > next) {
            const auto local = idx.narrow(0, next, end - next) - r0 * q.cols;
            // Taken out before quantizing so they do not stretch the group ranges.
            w.reshape({-1}).index_fill_(0, local, 0.0);
            mask = at::zeros({n * q.cols}, at::TensorOptions().dtype(at::kBool).device(device));
            mask.index_fill_(0, local, true);
            mask = mask.reshape({n, q.cols});
        }
        at::Tensor codes, scales, zeros;
        quantizeBlock(w, mask, format, groupSize, codes, scales, zeros);
        const auto c = codes.reshape({n, q.cols / 2, 2});
        q.packed.narrow(0, r0, n).copy_(at::bitwise_or(c.select(2, 0), at::bitwise_left_shift(c.select(2, 1), 4)));
        q.scales.narrow(0, r0, n).copy_(scales);
        if (format == Format::Int4)
            q.zeros.narrow(0, r0, n).copy_(zeros);
        if (error) {
            // Sensitive entries come back exactly, so the zeroed block is the right reference elsewhere.
            QuantMatrix block;
            block.format = format;
            block.rows = n;
            block.cols = q.cols;
            block.groupSize = groupSize;
            block.packed = q.packed.narrow(0, r0, n);
            block.scales = q.scales.narrow(0, r0, n);
            block.zeros = format == Format::Int4 ? q.zeros.narrow(0, r0, n) : at::Tensor();
            block.sparseIndices = at::empty({0}, at::TensorOptions().dtype(at::kLong).device(device));
            const auto diff = (dequantize(block) - w).abs();
            error->maxAbs = std::max(error->maxAbs, diff.max().item<double>());
            error->sumSquares += diff.pow(2).sum().item<double>();
        }
        next = end;
    }
    if (next != idx.numel())
        throw InvalidArgument("sensitive indices must be ascending and inside the matrix");
    return q;
}

namespace {

constexpr std::array<float, 16> kInt4Levels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// NF4's levels for the integer kernels: round(127 · level), weight = level8 · absmax / 127.
const std::array<std::int8_t, 16> kNf4Int8 = [] {
    std::array<std::int8_t, 16> t{};
    for (std::size_t i = 0; i < t.size(); ++i)
        t[i] = static_cast<std::int8_t>(std::lround(127.0f * kNf4Levels[i]));
    return t;
}();

bool onCpuKernels(const QuantMatrix& q)
{
    return q.packed.device().is_cpu() && q.packed.is_contiguous() && q.scales.is_contiguous() &&
           (q.format == Format::Nf4 || q.zeros.is_contiguous());
}

cpu::PackedMatrix view(const QuantMatrix& q)
{
    cpu::PackedMatrix w;
    w.packed = q.packed.data_ptr<std::uint8_t>();
    w.scales = q.scales.data_ptr<float>();
    w.zeros = q.format == Format::Int4 ? q.zeros.data_ptr<std::uint8_t>() : nullptr;
    w.levels = q.format == Format::Nf4 ? kNf4Levels.data() : kInt4Levels.data();
    w.intLevels = q.format == Format::Nf4 ? kNf4Int8.data() : nullptr;
    w.intLevelScale = q.format == Format::Nf4 ? 1.0f / 127.0f : 1.0f;
    w.rows = q.rows;
    w.cols = q.cols;
    w.groupSize = q.groupSize;
    return w;
}

// Adds the entries of S in rows [r0, r0 + n) to a dequantized panel of those rows.
void addSparseToPanel(const QuantMatrix& q, float* panel, std::int64_t r0, std::int64_t n)
{
    const auto k = q.sparseIndices.numel();
    if (k == 0)
        return;
    const std::int64_t* idx = q.sparseIndices.data_ptr<std::int64_t>();
    const float* val = q.sparseValues.data_ptr<float>();
    const std::int64_t begin = r0 * q.cols, end = (r0 + n) * q.cols;
    for (auto i = std::lower_bound(idx, idx + k, begin) - idx; i < k && idx[i] < end; ++i)
        panel[idx[i] - begin] += val[i];
}

} // namespace

// Enough rows that a panel fills about 1 MiB, which stays in the L2 cache while
// the matrix product reads it.
std::int64_t panelRows(std::int64_t rows, std::int64_t cols)
{
    return std::clamp<std::int64_t>(((std::int64_t{1} << 20) / (4 * cols)) / 16 * 16, 16, rows);
}

at::Tensor dequantize(const QuantMatrix& q)
{
#if ZL_HAVE_CUDA
    if (cudaKernelsApply(q, at::kFloat))
        return cudaDequantize(q, at::kFloat);
#endif
    if (onCpuKernels(q)) {
        auto w = at::empty({q.rows, q.cols}, at::kFloat);
        const auto packed = view(q);
        float* out = w.data_ptr<float>();
        at::parallel_for(0, q.rows, 16, [&](std::int64_t b, std::int64_t e) {
            cpu::dequantizeRows(packed, out + b * q.cols, b, e, cpu::bestIsa());
            addSparseToPanel(q, out + b * q.cols, b, e - b);
        });
        return w;
    }
    const auto codes = unpack(q.packed).to(at::kFloat);
    at::Tensor w;
    if (q.format == Format::Int4)
        w = (codes - perColumn(q.zeros.to(at::kFloat), q.groupSize, q.cols)) * perColumn(q.scales, q.groupSize, q.cols);
    else
        w = nf4Table(q.packed.device()).index_select(0, codes.to(at::kLong).reshape({-1})).reshape({q.rows, q.cols}) *
            perColumn(q.scales, q.groupSize, q.cols);
    if (q.sparseIndices.numel() > 0)
        w.reshape({-1}).index_put_({q.sparseIndices}, q.sparseValues, /*accumulate=*/true);
    return w;
}

void forEachPanel(const QuantMatrix& q, const PanelFn& fn)
{
    const auto rowsPerPanel = panelRows(q.rows, q.cols);
    auto panel = at::empty({rowsPerPanel, q.cols}, at::kFloat);
    const auto w = view(q);
    const auto isa = cpu::bestIsa();
    for (std::int64_t r0 = 0; r0 < q.rows; r0 += rowsPerPanel) {
        const auto n = std::min(rowsPerPanel, q.rows - r0);
        float* out = panel.data_ptr<float>();
        at::parallel_for(0, n, 8, [&](std::int64_t b, std::int64_t e) {
            cpu::dequantizeRows(w, out + b * q.cols, r0 + b, r0 + e, isa);
        });
        fn(r0, panel.narrow(0, 0, n));
    }
}

namespace {

// y[m, r] += Σ_c S[r, c] · x[m, c] for the rows r in [rowBegin, rowEnd) of S,
// run by the thread that computed those rows of y, right after them. S's
// entries are ascending, so the rows' entries are one run, walked row by row
// without divisions; one row of x at a time keeps x and y in the cache. Each
// row's sum runs in entry order, however the rows are split.
void addSparseRows(const float* x, const QuantMatrix& q, float* y, std::int64_t xRows, std::int64_t rowBegin,
                   std::int64_t rowEnd)
{
    const auto k = q.sparseIndices.numel();
    if (k == 0)
        return;
    const std::int64_t* idx = q.sparseIndices.data_ptr<std::int64_t>();
    const float* val = q.sparseValues.data_ptr<float>();
    const auto first = std::lower_bound(idx, idx + k, rowBegin * q.cols) - idx;
    const auto last = std::lower_bound(idx + first, idx + k, rowEnd * q.cols) - idx;
    for (std::int64_t m = 0; m < xRows; ++m) {
        const float* xm = x + m * q.cols;
        float* ym = y + m * q.rows;
        std::int64_t r = rowBegin, rowStart = rowBegin * q.cols;
        for (auto i = first; i < last; ++i) {
            while (idx[i] >= rowStart + q.cols) {
                ++r;
                rowStart += q.cols;
            }
            ym[r] += val[i] * xm[idx[i] - rowStart];
        }
    }
}

// y_i = x (dequant(Q_i) + S_i)ᵀ for matrices that int8Applies to and that
// share columns and group size: x is rounded once, and the products run in one
// parallel region over all their rows, S's entries with their rows. A row's
// result does not depend on how the rows are split, so each y_i equals the
// product taken alone.
std::vector<at::Tensor> integerProducts(const at::Tensor& xs, const std::vector<const QuantMatrix*>& qs, cpu::Isa isa)
{
    const auto xRows = xs.size(0);
    const float* xp = xs.data_ptr<float>();
    std::vector<cpu::PackedMatrix> views;
    std::vector<at::Tensor> ys;
    std::vector<std::int64_t> offsets{0};
    for (const auto* q : qs) {
        views.push_back(view(*q));
        ys.push_back(at::empty({xRows, q->rows}, at::kFloat));
        offsets.push_back(offsets.back() + q->rows);
    }
    cpu::Int8Rows xq(views[0], xRows);
    at::parallel_for(0, xRows, 1, [&](std::int64_t begin, std::int64_t end) {
        cpu::quantizeActivationRows(views[0], xp, xq, begin, end, isa);
    });
    at::parallel_for(0, offsets.back(), 32, [&](std::int64_t begin, std::int64_t end) {
        for (std::size_t i = 0; i < qs.size(); ++i) {
            const auto b = std::max(begin, offsets[i]), e = std::min(end, offsets[i + 1]);
            if (b >= e)
                continue;
            float* y = ys[i].data_ptr<float>();
            cpu::matmulRowsInt8(views[i], xq, y, b - offsets[i], e - offsets[i], isa);
            addSparseRows(xp, *qs[i], y, xRows, b - offsets[i], e - offsets[i]);
        }
    });
    return ys;
}

// y = x Wᵀ straight from the packed codes, reading 4 bits per weight. With AVX2
// and groups of 32s, x is quantized to int8 and the products are integer
// (cpu::Int8Rows): one pass over the codes serves up to four rows of x, and
// the float kernel's level lookups would bound decode below the memory
// bandwidth. Otherwise one row (decode) uses the float kernel, several rows
// the dequantized panels.
at::Tensor packedProduct(const at::Tensor& x, const QuantMatrix& q)
{
    const auto xs = x.contiguous();
    const auto xRows = xs.size(0);
    const float* xp = xs.data_ptr<float>();
    const auto w = view(q);
    const auto isa = cpu::bestIsa();
    at::Tensor y;
    if (cpu::int8Applies(w, isa)) {
        y = integerProducts(xs, {&q}, isa)[0];
    } else if (xRows == 1) {
        y = at::empty({xRows, q.rows}, at::kFloat);
        float* yp = y.data_ptr<float>();
        const auto sums = cpu::groupSums(w, xp);
        at::parallel_for(0, q.rows, 16, [&](std::int64_t begin, std::int64_t end) {
            cpu::matvecRows(w, xp, sums.data(), yp, begin, end, isa);
            addSparseRows(xp, q, yp, xRows, begin, end);
        });
    } else {
        y = panelProduct(xs, q);
        float* yp = y.data_ptr<float>();
        at::parallel_for(0, q.rows, 64,
                         [&](std::int64_t begin, std::int64_t end) { addSparseRows(xp, q, yp, xRows, begin, end); });
    }
    return y;
}

// dequant(Q) + S as t; the GPU's kernel writes t directly.
at::Tensor dequantizeAs(const QuantMatrix& q, at::ScalarType t)
{
#if ZL_HAVE_CUDA
    if (cudaKernelsApply(q, t))
        return cudaDequantize(q, t);
#endif
    return dequantize(q).to(t);
}

#if ZL_HAVE_CUDA
// Whether the GPU's kernels multiply x by q.
bool onCudaKernels(const at::Tensor& x, const QuantMatrix& q)
{
    return x.device() == q.packed.device() && cudaKernelsApply(q, x.scalar_type());
}
#endif

// y = x (dequant(Q) + S)ᵀ recorded for autograd: gradients reach x and S's
// values. Q's part goes through the frozen panels (training S never holds
// float weights); S's part is ordinary autograd ops.
at::Tensor differentiableLinear(const at::Tensor& flat, const QuantMatrix& q, bool kernels)
{
    at::Tensor y;
    if (kernels) {
        y = frozenProduct(flat, q);
    } else {
        QuantMatrix frozen = q;
        frozen.sparseIndices = at::Tensor();
        y = at::matmul(flat, dequantizeAs(frozen, flat.scalar_type()).t());
    }
    if (q.sparseIndices.numel() == 0)
        return y;
    // S's entry (r, c) adds v · x[:, c] to y[:, r].
    const auto rows = at::floor_divide(q.sparseIndices, q.cols);
    const auto cols = at::remainder(q.sparseIndices, q.cols);
    return y.index_add(1, rows, flat.index_select(1, cols) * q.sparseValues.to(flat.scalar_type()));
}

} // namespace

at::Tensor linear(const at::Tensor& x, const at::Tensor& weight)
{
    const bool oneRow = x.numel() == weight.size(1);
    if (!oneRow || !x.device().is_cpu() || x.scalar_type() != at::kFloat || weight.scalar_type() != at::kFloat ||
        !weight.is_contiguous() || (at::GradMode::is_enabled() && (x.requires_grad() || weight.requires_grad())))
        return at::matmul(x, weight.t());
    const auto xs = x.contiguous();
    auto y = at::empty({weight.size(0)}, at::kFloat);
    const float* wp = weight.data_ptr<float>();
    const float* xp = xs.data_ptr<float>();
    float* yp = y.data_ptr<float>();
    const auto cols = weight.size(1);
    const auto isa = cpu::bestIsa();
    at::parallel_for(0, weight.size(0), 16, [&](std::int64_t begin, std::int64_t end) {
        cpu::matvecF32Rows(wp, cols, xp, yp, begin, end, isa);
    });
    auto shape = x.sizes().vec();
    shape.back() = weight.size(0);
    return y.reshape(shape);
}

std::vector<at::Tensor> linearShared(const at::Tensor& x, const std::vector<const QuantMatrix*>& qs)
{
    const auto isa = cpu::bestIsa();
    bool shared = !qs.empty() && x.device().is_cpu() && x.scalar_type() == at::kFloat &&
                  !(at::GradMode::is_enabled() && x.requires_grad());
    for (const auto* q : qs)
        shared = shared && onCpuKernels(*q) && cpu::int8Applies(view(*q), isa) && q->cols == qs[0]->cols &&
                 q->groupSize == qs[0]->groupSize &&
                 !(at::GradMode::is_enabled() && q->sparseValues.defined() && q->sparseValues.requires_grad());
    std::vector<at::Tensor> ys;
    if (!shared) {
        for (const auto* q : qs)
            ys.push_back(linear(x, *q));
        return ys;
    }
    const auto flat = x.reshape({-1, qs[0]->cols}).contiguous();
    ys = integerProducts(flat, qs, isa);
    for (std::size_t i = 0; i < qs.size(); ++i) {
        auto shape = x.sizes().vec();
        shape.back() = qs[i]->rows;
        ys[i] = ys[i].reshape(shape);
    }
    return ys;
}

at::Tensor linear(const at::Tensor& x, const QuantMatrix& q)
{
    const auto flat = x.reshape({-1, q.cols});
    at::Tensor y;
    const bool kernels = onCpuKernels(q) && x.device().is_cpu() && x.scalar_type() == at::kFloat;
    const bool recorded = at::GradMode::is_enabled() &&
                          (x.requires_grad() || (q.sparseValues.defined() && q.sparseValues.requires_grad()));
    if (recorded)
        y = differentiableLinear(flat, q, kernels);
    else if (kernels)
        y = packedProduct(flat, q);
#if ZL_HAVE_CUDA
    else if (onCudaKernels(flat, q))
        y = cudaProduct(flat, q);
#endif
    else
        y = at::matmul(flat, dequantizeAs(q, x.scalar_type()).t());
    auto shape = x.sizes().vec();
    shape.back() = q.rows;
    return y.reshape(shape);
}

} // namespace zl::quant
