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

// Both nibbles of a byte decoded at once: pair[b] = {level[b & 15], level[b >> 4]}.
struct NibblePairs {
    std::array<std::array<float, 2>, 256> pair;
    explicit NibblePairs(const std::array<float, 16>& level)
    {
        for (int b = 0; b < 256; ++b)
            pair[static_cast<std::size_t>(b)] = {level[static_cast<std::size_t>(b & 15)], level[static_cast<std::size_t>(b >> 4)]};
    }
};

const NibblePairs& pairsFor(Format f)
{
    static const NibblePairs nf4(kNf4);
    static const NibblePairs int4([] {
        std::array<float, 16> l{};
        for (int i = 0; i < 16; ++i)
            l[static_cast<std::size_t>(i)] = static_cast<float>(i);
        return l;
    }());
    return f == Format::Nf4 ? nf4 : int4;
}

// y[r] = Σ_c W[r, c] x[c] straight from the packed codes, for CPU decoding:
// per group, Σ level(code)·x is accumulated once and scaled (minus zero·Σx for
// INT4), so the float weights are never formed. Four partial sums keep the
// floating-point units busy; reading 4 bits per weight instead of 32 is what
// makes this faster than the fp32 product once the weights exceed the caches.
at::Tensor matvec(const at::Tensor& x, const QuantMatrix& q)
{
    const auto xs = x.contiguous();
    auto y = at::empty({q.rows}, at::kFloat);
    const float* xp = xs.data_ptr<float>();
    const std::uint8_t* pk = q.packed.data_ptr<std::uint8_t>();
    const float* sc = q.scales.data_ptr<float>();
    const std::uint8_t* zp = q.format == Format::Int4 ? q.zeros.data_ptr<std::uint8_t>() : nullptr;
    const auto& pairs = pairsFor(q.format).pair;
    float* yp = y.data_ptr<float>();
    const auto ng = q.groups();
    const auto G = q.groupSize;
    const auto cols = q.cols;
    std::vector<float> groupSum(static_cast<std::size_t>(ng), 0.0f);
    if (zp)
        for (std::int64_t g = 0; g < ng; ++g)
            for (std::int64_t c = g * G; c < std::min(cols, (g + 1) * G); ++c)
                groupSum[static_cast<std::size_t>(g)] += xp[c];
    at::parallel_for(0, q.rows, 32, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r) {
            const std::uint8_t* row = pk + r * (cols / 2);
            float acc = 0.0f;
            for (std::int64_t g = 0; g < ng; ++g) {
                const std::int64_t c0 = g * G, c1 = std::min(cols, c0 + G);
                float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
                std::int64_t c = c0;
                for (; c + 4 <= c1; c += 4) {
                    const auto& a = pairs[row[c / 2]];
                    const auto& b = pairs[row[c / 2 + 1]];
                    s0 += a[0] * xp[c];
                    s1 += a[1] * xp[c + 1];
                    s2 += b[0] * xp[c + 2];
                    s3 += b[1] * xp[c + 3];
                }
                for (; c < c1; c += 2) {
                    const auto& a = pairs[row[c / 2]];
                    s0 += a[0] * xp[c] + a[1] * xp[c + 1];
                }
                const float s = (s0 + s1) + (s2 + s3);
                acc += zp ? sc[r * ng + g] * (s - static_cast<float>(zp[r * ng + g]) * groupSum[static_cast<std::size_t>(g)])
                          : sc[r * ng + g] * s;
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
