// CPU kernels of the 4-bit formats, on plain pointers (no torch):
// - matrix-vector products straight from the packed codes (decode): in float
//   (codes looked up and multiplied with FMA), or in integers (the vector
//   quantized to int8 in blocks of 32, as llama.cpp's Q4_0 x Q8_0 does, and
//   multiplied with AVX2 byte products or AVX-512 VNNI dot products);
// - a dequantization of a block of rows into a float panel (the batched
//   forward multiplies cache-sized panels instead of dequantizing whole matrices);
// - the fp32 matrix-vector product of dense weights (decode of float models);
// - products with 8-bit weights (a 4-bit folder's vocabulary matrices) in
//   integers (cpu_int8_weights.cpp).
// Each kernel exists per instruction set and is chosen at run time, so one
// binary runs on any x86-64 and uses AVX2 or AVX-512 where the CPU has them.
#pragma once

#include <cstdint>
#include <vector>

namespace zl::quant::cpu {

enum class Isa { Portable, Avx2, Avx512, Avx512Vnni };

/// The instruction sets this CPU runs, Portable first; the last is the best.
std::vector<Isa> supportedIsas();
/// The best supported set, unless ZL_ISA (portable, avx2, avx512, avx512vnni) names a lower one.
Isa bestIsa();
const char* isaName(Isa isa);

/// A 4-bit matrix [rows, cols] as stored: weight = (level[code] - zero) · scale
/// per group of `groupSize` columns along each row. INT4 uses levels 0…15 and
/// zero points; NF4 uses its 16 normal-float levels and no zero points.
struct PackedMatrix {
    const std::uint8_t* packed = nullptr; ///< [rows, cols / 2], low nibble = even column
    const float* scales = nullptr;        ///< [rows, groups]
    const std::uint8_t* zeros = nullptr;  ///< [rows, groups], or nullptr (NF4)
    const float* levels = nullptr;        ///< 16 values a code stands for
    /// The integer kernels' levels: weight = (intLevels[code] - zero) · scale · intLevelScale.
    /// nullptr means the code itself (INT4); NF4 gives round(127 · level).
    const std::int8_t* intLevels = nullptr;
    float intLevelScale = 1.0f;
    std::int64_t rows = 0, cols = 0, groupSize = 0;
    std::int64_t groups() const { return (cols + groupSize - 1) / groupSize; }
};

/// Σ x over each group of columns, as matvecRows needs for zero points.
std::vector<float> groupSums(const PackedMatrix& w, const float* x);

/// y[r] = Σ_c weight[r, c] · x[c] for r in [rowBegin, rowEnd). `sums` is
/// groupSums(w, x) when w has zero points (otherwise unused).
void matvecRows(const PackedMatrix& w, const float* x, const float* sums, float* y, std::int64_t rowBegin,
                std::int64_t rowEnd, Isa isa);

/// Rows of x quantized for the integer kernels: per block of `block` columns
/// (gcd of the group size, the columns and 256), scale = max|x| / 127 and
/// values = round(x / scale). The values are stored in the order the kernels
/// read them: within each group, a pair of 32-column pieces A, B is
/// [A even columns, B even, A odd, B odd] (one 32-byte load meets the low and
/// the high nibbles of 32 code bytes), a lone last piece [even, odd].
struct Int8Rows {
    Int8Rows(const PackedMatrix& w,
             std::int64_t rows); ///< sized for x [rows, w.cols]; fill with quantizeActivationRows
    std::int64_t rows, cols, block;
    std::vector<std::int8_t> values; ///< [rows, cols]
    std::vector<float> laneScales;   ///< [rows, cols / 8]: each 32 columns' scale 4 times (one per 32-bit lane)
    std::vector<float> groupSums;    ///< [rows, groups]: Σ scale · Σ values, the zero points' share
};

/// Whether the integer kernels run this matrix with this set: AVX2 or better,
/// and columns and groups multiples of 32 (otherwise use the float kernels).
bool int8Applies(const PackedMatrix& w, Isa isa);
/// Quantizes rows [rowBegin, rowEnd) of x [out.rows, w.cols] into `out`.
void quantizeActivationRows(const PackedMatrix& w, const float* x, Int8Rows& out, std::int64_t rowBegin,
                            std::int64_t rowEnd, Isa isa);

/// y[m · w.rows + r] ≈ Σ_c weight[r, c] · x[m, c] for every row m of x and r in
/// [rowBegin, rowEnd) (needs int8Applies). Integer sums are exact; the error is
/// x's rounding (and NF4's levels rounded to 1/127).
void matmulRowsInt8(const PackedMatrix& w, const Int8Rows& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd,
                    Isa isa);

/// y[r] = Σ_c w[r · cols + c] · x[c] for r in [rowBegin, rowEnd): dense fp32 rows.
void matvecF32Rows(const float* w, std::int64_t cols, const float* x, float* y, std::int64_t rowBegin,
                   std::int64_t rowEnd, Isa isa);

/// One attention head over the cache: p = softmax(scale · scores[0, total)) and
/// out[d] = Σ_t p_t · values[t · D + d] for d < D. `scores` is overwritten.
void attendHead(float* scores, std::int64_t total, float scale, const float* values, std::int64_t D, float* out,
                Isa isa);

/// out[(r - rowBegin) · cols + c] = weight[r, c] for r in [rowBegin, rowEnd).
void dequantizeRows(const PackedMatrix& w, float* out, std::int64_t rowBegin, std::int64_t rowEnd, Isa isa);

/// An 8-bit matrix [rows, cols] as stored: weight = value · scale per group of
/// `groupSize` columns along each row, values in [-127, 127].
struct Int8Weights {
    const std::int8_t* values = nullptr; ///< [rows, cols]
    const float* scales = nullptr;       ///< [rows, groups]
    std::int64_t rows = 0, cols = 0, groupSize = 0;
    std::int64_t groups() const { return (cols + groupSize - 1) / groupSize; }
};

/// Rows of x rounded to int8 per group of the weights' columns (scale =
/// max|x| / 127), in column order, for matmulInt8WeightRows.
struct Int8Activations {
    Int8Activations(const Int8Weights& w, const float* x, std::int64_t rows); ///< x [rows, w.cols]
    std::int64_t rows, cols;
    std::vector<std::int8_t> values;       ///< [rows, cols]
    std::vector<float> scales;             ///< [rows, groups]
    std::vector<std::int32_t> flipOffsets; ///< [rows, groups]: 128 · Σ values (VNNI's unsigned weights)
};

/// Whether matmulInt8WeightRows takes integer tiles for `xRows` rows of x (AVX-512
/// VNNI, groups of 64, 128 or 256 that divide the columns): a matrix product at
/// the integer rate, where the float panels would otherwise do better.
bool int8WeightTilesApply(const Int8Weights& w, std::int64_t xRows, Isa isa);

/// y[m · w.rows + r] ≈ Σ_c weight[r, c] · x[m, c] for every row m of x and r in
/// [rowBegin, rowEnd). Integer sums per group are exact; the error is x's
/// rounding. Any shape; vectorized when groups and columns are multiples of 32.
void matmulInt8WeightRows(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin,
                          std::int64_t rowEnd, Isa isa);

} // namespace zl::quant::cpu
