#include "quant/quant_matrix.h"

#include "zerolens/error.h"

#include <ATen/Parallel.h>

#include <array>
#include <cmath>

namespace zl::quant {

namespace {

// The 16 NF4 levels: quantiles of N(0, 1) scaled to [-1, 1] with an exact zero
// (Dettmers et al. 2023, QLoRA, Appendix E).
constexpr std::array<float, 16> kNf4 = {-1.0f,
                                        -0.6961928009986877f,
                                        -0.5250730514526367f,
                                        -0.39491748809814453f,
                                        -0.28444138169288635f,
                                        -0.18477343022823334f,
                                        -0.09105003625154495f,
                                        0.0f,
                                        0.07958029955625534f,
                                        0.16093020141124725f,
                                        0.24611230194568634f,
                                        0.33791524171829224f,
                                        0.44070982933044434f,
                                        0.5626170039176941f,
                                        0.7229568362236023f,
                                        1.0f};
constexpr std::uint8_t kNf4Zero = 7;

at::Tensor nf4Table(const at::Device& device)
{
    return at::tensor(at::ArrayRef<float>(kNf4.data(), kNf4.size())).to(device);
}

// Codes [rows, cols] from packed bytes [rows, cols / 2].
at::Tensor unpack(const at::Tensor& packed)
{
    const auto lo = at::bitwise_and(packed, 0x0F);
    const auto hi = at::bitwise_right_shift(packed, 4);
    return at::stack({lo, hi}, -1).reshape({packed.size(0), packed.size(1) * 2});
}

// Expands per-group values [rows, groups] to [rows, cols].
at::Tensor perColumn(const at::Tensor& g, std::int64_t groupSize, std::int64_t cols)
{
    return g.repeat_interleave(groupSize, 1).narrow(1, 0, cols);
}

} // namespace

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

QuantMatrix quantize(const at::Tensor& weight, Format format, std::int64_t groupSize, const at::Tensor& sensitive)
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
    auto w = weight.to(at::kFloat).contiguous().clone();
    const bool hasSparse = sensitive.defined() && sensitive.numel() > 0;
    at::Tensor isSensitive;
    if (hasSparse) {
        const auto idx = sensitive.to(w.device(), at::kLong);
        q.sparseIndices = idx;
        q.sparseValues = w.reshape({-1}).index_select(0, idx);
        // Taken out before quantizing so they do not stretch the group ranges.
        w.reshape({-1}).index_fill_(0, idx, 0.0);
        isSensitive = at::zeros({q.rows * q.cols}, at::TensorOptions().dtype(at::kBool).device(w.device()));
        isSensitive.index_fill_(0, idx, true);
        isSensitive = isSensitive.reshape({q.rows, q.cols});
    } else {
        q.sparseIndices = at::empty({0}, at::TensorOptions().dtype(at::kLong).device(w.device()));
        q.sparseValues = at::empty({0}, at::TensorOptions().dtype(at::kFloat).device(w.device()));
    }
    // Groups [rows, ng, G], the ragged tail padded with zeros (0 is always in range).
    const auto padded = at::constant_pad_nd(w, {0, ng * groupSize - q.cols}, 0.0).reshape({q.rows, ng, groupSize});
    at::Tensor codes;
    if (format == Format::Int4) {
        const auto mn = at::clamp_max(std::get<0>(padded.min(-1)), 0.0);
        const auto mx = at::clamp_min(std::get<0>(padded.max(-1)), 0.0);
        auto scale = (mx - mn) / 15.0;
        scale = at::where(scale > 0, scale, at::ones_like(scale));
        const auto zero = at::clamp(at::round(-mn / scale), 0, 15);
        codes =
            at::clamp(at::round(w / perColumn(scale, groupSize, q.cols)) + perColumn(zero, groupSize, q.cols), 0, 15);
        if (hasSparse)
            codes = at::where(isSensitive, perColumn(zero, groupSize, q.cols), codes);
        q.scales = scale.contiguous();
        q.zeros = zero.to(at::kByte).contiguous();
    } else {
        auto absmax = std::get<0>(padded.abs().max(-1));
        absmax = at::where(absmax > 0, absmax, at::ones_like(absmax));
        const auto normalized = w / perColumn(absmax, groupSize, q.cols);
        // Nearest level: bucketize against the midpoints between levels.
        const auto table = nf4Table(w.device());
        const auto mid = (table.narrow(0, 0, 15) + table.narrow(0, 1, 15)) / 2.0;
        codes = at::bucketize(normalized, mid).to(at::kFloat);
        if (hasSparse)
            codes = at::where(isSensitive, at::full_like(codes, kNf4Zero), codes);
        q.scales = absmax.contiguous();
    }
    const auto c = codes.to(at::kByte).reshape({q.rows, q.cols / 2, 2});
    q.packed = at::bitwise_or(c.select(2, 0), at::bitwise_left_shift(c.select(2, 1), 4)).contiguous();
    return q;
}

at::Tensor dequantize(const QuantMatrix& q)
{
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

namespace {

// y[r] = Σ_c W[r, c] x[c] straight from the packed codes, for CPU decoding:
// per group, Σ code·x is accumulated once and scaled, so the float weights
// are never formed.
at::Tensor matvec(const at::Tensor& x, const QuantMatrix& q)
{
    const auto xs = x.contiguous();
    auto y = at::zeros({q.rows}, at::kFloat);
    const float* xp = xs.data_ptr<float>();
    const std::uint8_t* pk = q.packed.data_ptr<std::uint8_t>();
    const float* sc = q.scales.data_ptr<float>();
    const std::uint8_t* zp = q.format == Format::Int4 ? q.zeros.data_ptr<std::uint8_t>() : nullptr;
    float* yp = y.data_ptr<float>();
    const auto ng = q.groups();
    const auto G = q.groupSize;
    const auto cols = q.cols;
    std::vector<float> groupSum(static_cast<std::size_t>(ng), 0.0f);
    if (zp)
        for (std::int64_t g = 0; g < ng; ++g)
            for (std::int64_t c = g * G; c < std::min(cols, (g + 1) * G); ++c)
                groupSum[static_cast<std::size_t>(g)] += xp[c];
    at::parallel_for(0, q.rows, 16, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const std::uint8_t* row = pk + r * (cols / 2);
            float acc = 0.0f;
            for (std::int64_t g = 0; g < ng; ++g) {
                const std::int64_t c0 = g * G, c1 = std::min(cols, c0 + G);
                float s = 0.0f;
                if (zp) {
                    for (std::int64_t c = c0; c < c1; c += 2) {
                        const std::uint8_t b = row[c / 2];
                        s += static_cast<float>(b & 0x0F) * xp[c] + static_cast<float>(b >> 4) * xp[c + 1];
                    }
                    acc += sc[r * ng + g] *
                           (s - static_cast<float>(zp[r * ng + g]) * groupSum[static_cast<std::size_t>(g)]);
                } else {
                    for (std::int64_t c = c0; c < c1; c += 2) {
                        const std::uint8_t b = row[c / 2];
                        s += kNf4[b & 0x0F] * xp[c] + kNf4[b >> 4] * xp[c + 1];
                    }
                    acc += sc[r * ng + g] * s;
                }
            }
            yp[r] = acc;
        }
    });
    return y;
}

} // namespace

at::Tensor linear(const at::Tensor& x, const QuantMatrix& q)
{
    const auto flat = x.reshape({-1, q.cols});
    at::Tensor y;
    if (flat.size(0) == 1 && x.device().is_cpu() && x.scalar_type() == at::kFloat && !x.requires_grad()) {
        y = matvec(flat[0], q).unsqueeze(0);
        if (q.sparseIndices.numel() > 0) {
            // S x: each sensitive entry (r, c) adds v · x[c] to y[r].
            const auto rowsIdx = at::floor_divide(q.sparseIndices, q.cols);
            const auto colsIdx = at::remainder(q.sparseIndices, q.cols);
            y[0].index_add_(0, rowsIdx, flat[0].index_select(0, colsIdx) * q.sparseValues);
        }
    } else {
        y = at::matmul(flat, dequantize(q).to(x.scalar_type()).t());
    }
    auto shape = x.sizes().vec();
    shape.back() = q.rows;
    return y.reshape(shape);
}

} // namespace zl::quant
