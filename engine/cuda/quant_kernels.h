// 4-bit weight products on an NVIDIA GPU (W4A16: 4-bit weights, 16- or 32-bit
// activations), behind plain pointers: this header names neither torch nor
// CUDA, so the kernels (quant_kernels.cu, nvcc) and their torch side
// (src/quant/cuda_product.cpp) compile apart. The matrix is quant::QuantMatrix's
// layout: W = dequant(Q) + S, INT4 or NF4 codes in groups along each row.
#pragma once

#include <cstdint>

namespace zl::cuda {

/// The element type of x, y and a dequantized matrix.
enum class Element { F32, F16, BF16 };

/// A 4-bit matrix whose arrays live on the current GPU.
struct PackedWeights {
    const std::uint8_t* packed = nullptr;        ///< [rows, cols / 2], low nibble = even column
    const float* scales = nullptr;               ///< [rows, groups]: INT4 step, or NF4 absmax
    const std::uint8_t* zeros = nullptr;         ///< [rows, groups] for INT4; null for NF4
    float nf4Levels[16] = {};                    ///< NF4's levels (read only when zeros is null)
    const std::int64_t* sparseIndices = nullptr; ///< S: flat row-major indices, ascending
    const float* sparseValues = nullptr;
    std::int64_t sparseCount = 0;
    std::int64_t rows = 0, cols = 0, groupSize = 0;
};

/// The most rows of x that packedProduct takes. Past this a product reads the
/// matrix as often as a dequantized copy would, and a GEMM on that copy wins.
inline constexpr std::int64_t kMaxProductRows = 8;

/// y[m, r] = Σ_c x[m, c] · (dequant(Q) + S)[r, c] for 1 ≤ xRows ≤ kMaxProductRows,
/// reading each code once for all rows of x and summing in float. x [xRows, cols]
/// and y [xRows, rows] are contiguous arrays of `element`; the work is queued on
/// `stream` (a cudaStream_t). Throws zl::Error when the launch fails.
void packedProduct(const PackedWeights& w, Element element, const void* x, void* y, std::int64_t xRows, void* stream);

/// out [rows, cols] = dequant(Q) + S as `element`, each entry rounded once from float.
void dequantize(const PackedWeights& w, Element element, void* out, void* stream);

} // namespace zl::cuda
