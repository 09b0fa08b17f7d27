// CPU kernels of the 4-bit formats, on plain pointers (no torch): a
// matrix-vector product straight from the packed codes (decode) and a
// dequantization of a block of rows into a float panel (the batched forward
// multiplies cache-sized panels instead of dequantizing whole matrices).
// Each kernel exists per instruction set and is chosen at run time, so one
// binary runs on any x86-64 and uses AVX2 or AVX-512 where the CPU has them.
#pragma once

#include <cstdint>
#include <vector>

namespace zl::quant::cpu {

enum class Isa { Portable, Avx2, Avx512 };

/// The instruction sets this CPU runs, Portable first; the last is the best.
std::vector<Isa> supportedIsas();
/// The best supported set, unless ZL_ISA (portable, avx2, avx512) names a lower one.
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
    std::int64_t rows = 0, cols = 0, groupSize = 0;
    std::int64_t groups() const { return (cols + groupSize - 1) / groupSize; }
};

/// Σ x over each group of columns, as matvecRows needs for zero points.
std::vector<float> groupSums(const PackedMatrix& w, const float* x);

/// y[r] = Σ_c weight[r, c] · x[c] for r in [rowBegin, rowEnd). `sums` is
/// groupSums(w, x) when w has zero points (otherwise unused).
void matvecRows(const PackedMatrix& w, const float* x, const float* sums, float* y, std::int64_t rowBegin,
                std::int64_t rowEnd, Isa isa);

/// out[(r - rowBegin) · cols + c] = weight[r, c] for r in [rowBegin, rowEnd).
void dequantizeRows(const PackedMatrix& w, float* out, std::int64_t rowBegin, std::int64_t rowEnd, Isa isa);

} // namespace zl::quant::cpu
