// The 8-bit vocabulary matrices of a 4-bit folder (token embeddings and the
// output projection, quantization_config "embedding_format": "int8"):
// weight = value · scale, symmetric round-to-nearest per group of columns
// along each row, values in [-127, 127]. A token's embedding is its row
// dequantized; logits multiply the rows in integers (decode) or through float
// panels (many rows, autograd), so the float matrix never exists whole.
#pragma once

#include "quant/quant_matrix.h"

namespace zl::quant {

struct Int8Matrix {
    std::int64_t rows = 0, cols = 0, groupSize = 0;
    at::Tensor values; ///< I8 [rows, cols]
    at::Tensor scales; ///< F32 [rows, groups]: max |weight| / 127 of each group

    std::int64_t groups() const { return (cols + groupSize - 1) / groupSize; }
    std::uint64_t bytes() const;
};

/// Quantizes a float matrix [rows, cols] (any dtype) in blocks of rows; with
/// `error`, also measures |W - dequant(Q)|.
Int8Matrix quantizeInt8(const at::Tensor& weight, std::int64_t groupSize, QuantError* error = nullptr);

/// The float32 matrix on the tensors' device.
at::Tensor dequantize(const Int8Matrix& m);

/// Rows `ids` (int64, any shape) dequantized: [..., cols] float32.
at::Tensor embeddingRows(const Int8Matrix& m, const at::Tensor& ids);

/// y = x Wᵀ for x [..., cols] float32: a few rows on CPU without autograd →
/// integer kernel (x rounded to int8 per group); otherwise float panels,
/// differentiable in x.
at::Tensor linear(const at::Tensor& x, const Int8Matrix& m);

} // namespace zl::quant
