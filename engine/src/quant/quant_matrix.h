// 4-bit weight formats and the dense-and-sparse matrix of SensZOQ:
// W = dequant(Q) + S, where Q is INT4 (asymmetric, per-group scale and zero
// point, round-to-nearest) or NF4 (QLoRA's normal-float levels, per-group
// absmax), groups running along each row, and S holds the sensitive entries at
// full precision. Sensitive positions are quantized to the code of exactly 0,
// so adding S restores them bit for bit.
#pragma once

#include "model/torch_pch.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace zl::quant {

enum class Format { Int4, Nf4 };

// The 16 NF4 levels: quantiles of N(0, 1) scaled to [-1, 1] with an exact zero
// (Dettmers et al. 2023, QLoRA, Appendix E).
inline constexpr std::array<float, 16> kNf4Levels = {-1.0f,
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
Format formatFromName(const std::string& name); ///< "int4" or "nf4"; throws InvalidArgument
std::string formatName(Format f);

struct QuantMatrix {
    Format format = Format::Int4;
    std::int64_t rows = 0, cols = 0, groupSize = 0;
    at::Tensor packed;        ///< U8 [rows, cols / 2], low nibble = even column
    at::Tensor scales;        ///< F32 [rows, groups]: INT4 step, or NF4 absmax
    at::Tensor zeros;         ///< U8 [rows, groups], INT4 only
    at::Tensor sparseIndices; ///< I64 [k] flat row-major indices, ascending (may be empty)
    at::Tensor sparseValues;  ///< F32 [k]

    std::int64_t groups() const { return (cols + groupSize - 1) / groupSize; }
    /// Bytes of Q (packed codes, scales, zeros) and of S.
    std::uint64_t denseBytes() const;
    std::uint64_t sparseBytes() const;
};

/// |W - (dequant(Q) + S)| over a matrix: the largest entry and the sum of squares.
struct QuantError {
    double maxAbs = 0.0;
    double sumSquares = 0.0;
};

/// Quantizes a float matrix [rows, cols] (cols even). `sensitive` holds flat
/// indices kept in S (I64, ascending; possibly undefined or empty). The last
/// group of a row may be shorter when groupSize does not divide cols. Works in
/// blocks of rows, so temporary memory stays a small fraction of the matrix;
/// with `error`, also measures the reconstruction error.
QuantMatrix quantize(const at::Tensor& weight, Format format, std::int64_t groupSize, const at::Tensor& sensitive,
                     QuantError* error = nullptr);

/// Per-group values [rows, groups] expanded to [rows, cols] (a short last group cut).
at::Tensor perColumn(const at::Tensor& g, std::int64_t groupSize, std::int64_t cols);

/// The float32 matrix dequant(Q) + S on the tensors' device.
at::Tensor dequantize(const QuantMatrix& q);

/// y = x Wᵀ for a dense W: one fp32 row on CPU (decode) → the bandwidth-bound
/// matrix-vector kernel; anything else (or recorded for autograd) → at::matmul.
at::Tensor linear(const at::Tensor& x, const at::Tensor& weight);

/// y = x Wᵀ for x [..., cols]: rows of x are few (decode) → fused 4-bit
/// matrix-vector kernel on CPU; otherwise dequantize the matrix and multiply.
at::Tensor linear(const at::Tensor& x, const QuantMatrix& q);

/// x Wᵢᵀ for matrices that read the same x (a decode step's q, k, v, or gate
/// and up), each equal to linear(x, *qs[i]). Where the integer kernels take
/// them all, x is rounded once and the products share one parallel region.
std::vector<at::Tensor> linearShared(const at::Tensor& x, const std::vector<const QuantMatrix*>& qs);

} // namespace zl::quant
