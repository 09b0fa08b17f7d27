// Per-ISA bodies of the 8-bit weight kernels (see cpu_kernels.h,
// Int8Weights): the vocabulary matrices of a 4-bit folder multiplied by a few
// rows of x, each rounded to int8 per group, with exact integer sums per group.
//
// - AVX-512 VNNI: 64 weight bytes per dpbusd. dpbusd multiplies unsigned by
//   signed bytes, so the weights are flipped to unsigned (w + 128, an XOR of
//   the top bit) and 128 · Σx of the group, precomputed, is taken out.
// - AVX2: 32 bytes per step as |x| × (w with x's sign) with maddubs + madd;
//   a pair of products stays within int16 because values lie in [-127, 127].
// - Portable: the same sums in scalar code, for any shape.
// Many rows of x take VNNI tiles (matmulTiles) instead of one row at a time.
// Per group the integer sums are converted and scaled in vector lanes, and a
// row is summed across lanes once. Weight rows are the outer loop, so a row is
// read from memory once and stays in L1 while every row of x passes.
#include "quant/cpu_kernels.h"

#include "quant/cpu_target.h"

#include <algorithm>
#include <cmath>

namespace zl::quant::cpu {

namespace portable {

void matmulRows(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd)
{
    const auto groups = w.groups();
    for (std::int64_t r = rowBegin; r < rowEnd; ++r) {
        const std::int8_t* row = w.values + r * w.cols;
        for (std::int64_t m = 0; m < x.rows; ++m) {
            const std::int8_t* xv = x.values.data() + m * x.cols;
            float acc = 0.0f;
            for (std::int64_t g = 0; g < groups; ++g) {
                const std::int64_t c0 = g * w.groupSize, c1 = std::min(c0 + w.groupSize, w.cols);
                std::int32_t sum = 0;
                for (std::int64_t c = c0; c < c1; ++c)
                    sum += static_cast<std::int32_t>(row[c]) * xv[c];
                acc += static_cast<float>(sum) * (w.scales[r * groups + g] * x.scales[m * groups + g]);
            }
            y[m * w.rows + r] = acc;
        }
    }
}

} // namespace portable

#ifdef ZL_X86

ZL_TARGET_BEGIN("avx2,fma")
namespace avx2 {

inline float horizontalSum(__m256 v)
{
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

void matmulRows(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd)
{
    const auto groups = w.groups();
    const __m256i ones = _mm256_set1_epi16(1);
    for (std::int64_t r = rowBegin; r < rowEnd; ++r) {
        const std::int8_t* row = w.values + r * w.cols;
        for (std::int64_t m = 0; m < x.rows; ++m) {
            const std::int8_t* xv = x.values.data() + m * x.cols;
            __m256 acc = _mm256_setzero_ps();
            for (std::int64_t g = 0; g < groups; ++g) {
                __m256i sum = _mm256_setzero_si256();
                for (std::int64_t c = g * w.groupSize; c < std::min((g + 1) * w.groupSize, w.cols); c += 32) {
                    const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + c));
                    const __m256i xb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xv + c));
                    const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(xb), _mm256_sign_epi8(wv, xb));
                    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, ones));
                }
                const float scale = w.scales[r * groups + g] * x.scales[m * groups + g];
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(scale), acc);
            }
            y[m * w.rows + r] = horizontalSum(acc);
        }
    }
}

} // namespace avx2
ZL_TARGET_END

ZL_TARGET_BEGIN("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")
namespace avx512vnni {

void matmulRows(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd)
{
    const auto groups = w.groups();
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    // A group's last 32 bytes when it is not a multiple of 64 long.
    const __mmask64 half = 0xFFFFFFFFull;
    for (std::int64_t r = rowBegin; r < rowEnd; ++r) {
        const std::int8_t* row = w.values + r * w.cols;
        for (std::int64_t m = 0; m < x.rows; ++m) {
            const std::int8_t* xv = x.values.data() + m * x.cols;
            const std::int32_t* offsets = x.flipOffsets.data() + m * groups;
            __m512 acc = _mm512_setzero_ps();
            for (std::int64_t g = 0; g < groups; ++g) {
                // Σ (w + 128) · x − 128 · Σx = Σ w · x, the correction in lane 0.
                __m512i sum = _mm512_maskz_set1_epi32(1, -offsets[g]);
                const std::int64_t c1 = std::min((g + 1) * w.groupSize, w.cols);
                std::int64_t c = g * w.groupSize;
                for (; c + 64 <= c1; c += 64)
                    sum = _mm512_dpbusd_epi32(sum, _mm512_xor_si512(_mm512_loadu_si512(row + c), flip),
                                              _mm512_loadu_si512(xv + c));
                if (c < c1)
                    sum = _mm512_dpbusd_epi32(sum, _mm512_xor_si512(_mm512_maskz_loadu_epi8(half, row + c), flip),
                                              _mm512_maskz_loadu_epi8(half, xv + c));
                const float scale = w.scales[r * groups + g] * x.scales[m * groups + g];
                acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_set1_ps(scale), acc);
            }
            y[m * w.rows + r] = _mm512_reduce_add_ps(acc);
        }
    }
}

// Many rows of x (prefill, scoring): tiles of NR weight rows × MR rows of x on
// 256-bit vectors, as the 4-bit tiles (cpu_int8_rows.inc): each weight load
// serves MR rows of x, each x load NR weight rows, two dpbusd chains per pair
// (their latency bounds fewer), Steps 64-byte steps per group unrolled at
// compile time. The flip offset starts the first chain's lane 0.
template <int NR, int MR, int Steps>
void tile(const Int8Weights& w, std::int64_t r0, const Int8Activations& x, std::int64_t m0, float* y)
{
    const auto groups = w.groups();
    const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80));
    __m256 acc[NR][MR];
    for (int n = 0; n < NR; ++n)
        for (int m = 0; m < MR; ++m)
            acc[n][m] = _mm256_setzero_ps();
    for (std::int64_t g = 0; g < groups; ++g) {
        __m256i dot[NR][MR][2];
        for (int m = 0; m < MR; ++m)
            for (int n = 0; n < NR; ++n) {
                dot[n][m][0] = _mm256_maskz_set1_epi32(1, -x.flipOffsets[(m0 + m) * groups + g]);
                dot[n][m][1] = _mm256_setzero_si256();
            }
        for (int step = 0; step < Steps; ++step) {
            const std::int64_t c = g * w.groupSize + 64 * step;
            __m256i lo[NR], hi[NR];
            for (int n = 0; n < NR; ++n) {
                const std::int8_t* row = w.values + (r0 + n) * w.cols + c;
                lo[n] = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)), flip);
                hi[n] = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 32)), flip);
            }
            for (int m = 0; m < MR; ++m) {
                const std::int8_t* xv = x.values.data() + (m0 + m) * x.cols + c;
                const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xv));
                const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xv + 32));
                for (int n = 0; n < NR; ++n) {
                    dot[n][m][0] = _mm256_dpbusd_epi32(dot[n][m][0], lo[n], x0);
                    dot[n][m][1] = _mm256_dpbusd_epi32(dot[n][m][1], hi[n], x1);
                }
            }
        }
        for (int m = 0; m < MR; ++m) {
            const float xs = x.scales[(m0 + m) * groups + g];
            for (int n = 0; n < NR; ++n)
                acc[n][m] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(dot[n][m][0], dot[n][m][1])),
                                            _mm256_set1_ps(w.scales[(r0 + n) * groups + g] * xs), acc[n][m]);
        }
    }
    for (int n = 0; n < NR; ++n)
        for (int m = 0; m < MR; ++m)
            y[(m0 + m) * w.rows + r0 + n] = avx2::horizontalSum(acc[n][m]);
}

constexpr int kTileRows = 4, kTileCols = 2;

using Tile = void (*)(const Int8Weights&, std::int64_t, const Int8Activations&, std::int64_t, float*);

// The tile of nr ≤ NR weight rows × mr ≤ MR rows of x with `steps` (1, 2 or 4) 64-byte steps per group.
template <int NR, int MR> Tile tileFor(int nr, int mr, std::int64_t steps)
{
    if (nr == NR && mr == MR)
        return steps == 4 ? &tile<NR, MR, 4> : steps == 2 ? &tile<NR, MR, 2> : &tile<NR, MR, 1>;
    if constexpr (MR > 1)
        return tileFor<NR, MR - 1>(nr, mr, steps);
    else if constexpr (NR > 1)
        return tileFor<NR - 1, kTileCols>(nr, mr, steps);
    else
        return &tile<1, 1, 1>; // not reached: every (nr, mr) in range matched above
}

void matmulTiles(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd)
{
    constexpr std::int64_t kRowBlock = 32; // 32 weight rows (32 KiB at 1024 columns) stay cached while x passes
    const std::int64_t steps = w.groupSize / 64;
    for (std::int64_t b = rowBegin; b < rowEnd; b += kRowBlock) {
        const std::int64_t e = std::min(b + kRowBlock, rowEnd);
        for (std::int64_t m = 0; m < x.rows; m += kTileCols)
            for (std::int64_t r = b; r < e; r += kTileRows)
                tileFor<kTileRows, kTileCols>(static_cast<int>(std::min<std::int64_t>(kTileRows, e - r)),
                                              static_cast<int>(std::min<std::int64_t>(kTileCols, x.rows - m)),
                                              steps)(w, r, x, m, y);
    }
}

} // namespace avx512vnni
ZL_TARGET_END

#endif // ZL_X86

Int8Activations::Int8Activations(const Int8Weights& w, const float* x, std::int64_t count)
    : rows(count), cols(w.cols), values(static_cast<std::size_t>(count * w.cols)),
      scales(static_cast<std::size_t>(count * w.groups())), flipOffsets(static_cast<std::size_t>(count * w.groups()))
{
    const auto groups = w.groups();
    for (std::int64_t m = 0; m < rows; ++m)
        for (std::int64_t g = 0; g < groups; ++g) {
            const std::int64_t c0 = g * w.groupSize, c1 = std::min(c0 + w.groupSize, cols);
            const float* xg = x + m * cols;
            float absMax = 0.0f;
            for (std::int64_t c = c0; c < c1; ++c)
                absMax = std::max(absMax, std::fabs(xg[c]));
            const float scale = absMax / 127.0f;
            const float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
            std::int32_t sum = 0;
            for (std::int64_t c = c0; c < c1; ++c) {
                const auto v = static_cast<std::int8_t>(std::nearbyint(xg[c] * inverse));
                values[static_cast<std::size_t>(m * cols + c)] = v;
                sum += v;
            }
            scales[static_cast<std::size_t>(m * groups + g)] = scale;
            flipOffsets[static_cast<std::size_t>(m * groups + g)] = 128 * sum;
        }
}

bool int8WeightTilesApply(const Int8Weights& w, std::int64_t xRows, Isa isa)
{
    const auto steps = w.groupSize / 64;
    return isa == Isa::Avx512Vnni && xRows > 1 && w.groupSize % 64 == 0 && (steps == 1 || steps == 2 || steps == 4) &&
           w.cols % w.groupSize == 0;
}

void matmulInt8WeightRows(const Int8Weights& w, const Int8Activations& x, float* y, std::int64_t rowBegin,
                          std::int64_t rowEnd, Isa isa)
{
#ifdef ZL_X86
    if (int8WeightTilesApply(w, x.rows, isa))
        return avx512vnni::matmulTiles(w, x, y, rowBegin, rowEnd);
    // The vector loops step through groups 32 bytes at a time.
    if (w.groupSize % 32 == 0 && w.cols % 32 == 0) {
        if (isa == Isa::Avx512Vnni)
            return avx512vnni::matmulRows(w, x, y, rowBegin, rowEnd);
        if (isa >= Isa::Avx2)
            return avx2::matmulRows(w, x, y, rowBegin, rowEnd);
    }
#endif
    (void)isa;
    portable::matmulRows(w, x, y, rowBegin, rowEnd);
}

} // namespace zl::quant::cpu
