// Per-ISA bodies of the 4-bit kernels (see cpu_kernels.h). The x86 variants are
// compiled for their instruction set (cpu_target.h), so the rest of the project
// stays generic x86-64 and only a CPU that has the instructions ever runs them.
//
// Float kernels: a code is turned into its level by a 16-entry table lookup in
// registers (AVX-512: one vpermps over a 16-float table; AVX2: two 8-entry
// vpermps and a blend), then multiplied into x with FMA. Per group the
// products are summed in a vector and scaled once; the INT4 zero point is
// folded out as scale · zero · Σx_group, so the float weights are never formed.
// The lookups keep the shuffle port busy, which bounds the float decode below
// the memory bandwidth; the integer kernels (cpu_int8_rows.inc) need none.
#include "quant/cpu_kernels.h"

#include "quant/cpu_target.h"
#include "zerolens/runtime.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string_view>

#ifdef ZL_X86
#include <cpuid.h>
#endif

namespace zl::quant::cpu {

namespace {

// Columns [c, c1) of one row, one at a time: the portable kernel and the tails of the others.
float dotScalar(const PackedMatrix& w, const std::uint8_t* row, const float* x, std::int64_t c, std::int64_t c1)
{
    float s0 = 0.0f, s1 = 0.0f;
    for (; c + 2 <= c1; c += 2) {
        const std::uint8_t b = row[c / 2];
        s0 += w.levels[b & 15] * x[c];
        s1 += w.levels[b >> 4] * x[c + 1];
    }
    if (c < c1) // an odd column count ends on a low nibble
        s0 += w.levels[row[c / 2] & 15] * x[c];
    return s0 + s1;
}

void dequantizeScalar(const PackedMatrix& w, const std::uint8_t* row, float scale, float zero, float* out,
                      std::int64_t c, std::int64_t c1)
{
    for (; c < c1; ++c) {
        const std::uint8_t b = row[c / 2];
        out[c] = (w.levels[(c & 1) ? (b >> 4) : (b & 15)] - zero) * scale;
    }
}

// scores[t] = exp(scores[t] - top), returning their sum: the softmax's
// numerators (one scalar exp each, which glibc computes with FMA).
float exponentiate(float* scores, std::int64_t total, float top)
{
    float sum = 0.0f;
    for (std::int64_t t = 0; t < total; ++t)
        sum += (scores[t] = std::exp(scores[t] - top));
    return sum;
}

} // namespace

namespace portable {

struct Table {
    explicit Table(const float*) {}
};

float groupDot(const Table&, const PackedMatrix& w, const std::uint8_t* row, const float* x, std::int64_t c0,
               std::int64_t c1)
{
    return dotScalar(w, row, x, c0, c1);
}

void dequantizeGroup(const Table&, const PackedMatrix& w, const std::uint8_t* row, float scale, float zero, float* out,
                     std::int64_t c0, std::int64_t c1)
{
    dequantizeScalar(w, row, scale, zero, out, c0, c1);
}

#include "quant/cpu_kernel_rows.inc"

void matvecF32Rows(const float* w, std::int64_t cols, const float* x, float* y, std::int64_t begin, std::int64_t end)
{
    for (std::int64_t r = begin; r < end; ++r) {
        const float* row = w + r * cols;
        float s0 = 0.0f, s1 = 0.0f;
        std::int64_t c = 0;
        for (; c + 2 <= cols; c += 2) {
            s0 += row[c] * x[c];
            s1 += row[c + 1] * x[c + 1];
        }
        if (c < cols)
            s0 += row[c] * x[c];
        y[r] = s0 + s1;
    }
}

void attendHead(float* scores, std::int64_t total, float scale, const float* values, std::int64_t D, float* out)
{
    float top = -std::numeric_limits<float>::infinity();
    for (std::int64_t t = 0; t < total; ++t)
        top = std::max(top, scores[t] *= scale);
    const float inverse = 1.0f / exponentiate(scores, total, top);
    std::fill_n(out, D, 0.0f);
    for (std::int64_t t = 0; t < total; ++t)
        for (std::int64_t d = 0; d < D; ++d)
            out[d] += scores[t] * values[t * D + d];
    for (std::int64_t d = 0; d < D; ++d)
        out[d] *= inverse;
}

} // namespace portable

#ifdef ZL_X86

// ---- AVX2: 16 columns (8 bytes) per step, as two halves of 8 ----
ZL_TARGET_BEGIN("avx2,fma")
namespace avx2 {

struct Table {
    explicit Table(const float* levels) : lo(_mm256_loadu_ps(levels)), hi(_mm256_loadu_ps(levels + 8)) {}
    __m256 lo, hi;
};

// 16 codes in column order from 8 bytes: the low nibble is the even column.
inline __m128i codes16(const std::uint8_t* p)
{
    std::uint64_t bytes;
    std::memcpy(&bytes, p, 8);
    const __m128i b = _mm_cvtsi64_si128(static_cast<long long>(bytes));
    const __m128i mask = _mm_set1_epi8(15);
    return _mm_unpacklo_epi8(_mm_and_si128(b, mask), _mm_and_si128(_mm_srli_epi16(b, 4), mask));
}

// The levels of the first 8 codes: two 8-entry lookups, blended on the code's top bit.
inline __m256 lookup8(const Table& t, __m128i codes)
{
    const __m256i idx = _mm256_cvtepu8_epi32(codes);
    const __m256 high = _mm256_castsi256_ps(_mm256_cmpgt_epi32(idx, _mm256_set1_epi32(7)));
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(t.lo, idx), _mm256_permutevar8x32_ps(t.hi, idx), high);
}

// The tiles' integer sums of one (weight row, x row) pair: one accumulator.
// Its adds have a latency of one cycle, and AVX2's 16 registers hold no more.
constexpr int kChains = 1;

// acc[0] + byte products u0·s0 + u1·s1 summed per 32-bit lane. maddubs adds two
// products into 16 bits (at most 2 · 127 · 127, no saturation), madd widens.
inline void dotAdd256(__m256i* acc, __m256i u0, __m256i s0, __m256i u1, __m256i s1)
{
    const __m256i ones = _mm256_set1_epi16(1);
    acc[0] = _mm256_add_epi32(acc[0], _mm256_add_epi32(_mm256_madd_epi16(_mm256_maddubs_epi16(u0, s0), ones),
                                                       _mm256_madd_epi16(_mm256_maddubs_epi16(u1, s1), ones)));
}

inline __m128i dotAdd128(__m128i acc, __m128i u0, __m128i s0, __m128i u1, __m128i s1)
{
    const __m128i ones = _mm_set1_epi16(1);
    return _mm_add_epi32(acc, _mm_add_epi32(_mm_madd_epi16(_mm_maddubs_epi16(u0, s0), ones),
                                            _mm_madd_epi16(_mm_maddubs_epi16(u1, s1), ones)));
}

constexpr int kTileRows = 2; // weight rows per integer tile (2 × 4 accumulators and the unpacked codes)
constexpr int kTileCols = 4; // rows of x per integer tile

#include "quant/cpu_int8_rows.inc"

inline float groupDot(const Table& t, const PackedMatrix& w, const std::uint8_t* row, const float* x, std::int64_t c0,
                      std::int64_t c1)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    std::int64_t c = c0;
    for (; c + 16 <= c1; c += 16) {
        const __m128i codes = codes16(row + c / 2);
        a0 = _mm256_fmadd_ps(lookup8(t, codes), _mm256_loadu_ps(x + c), a0);
        a1 = _mm256_fmadd_ps(lookup8(t, _mm_srli_si128(codes, 8)), _mm256_loadu_ps(x + c + 8), a1);
    }
    return horizontalSum(_mm256_add_ps(a0, a1)) + dotScalar(w, row, x, c, c1);
}

inline void dequantizeGroup(const Table& t, const PackedMatrix& w, const std::uint8_t* row, float scale, float zero,
                            float* out, std::int64_t c0, std::int64_t c1)
{
    const __m256 s = _mm256_set1_ps(scale), z = _mm256_set1_ps(zero);
    std::int64_t c = c0;
    for (; c + 16 <= c1; c += 16) {
        const __m128i codes = codes16(row + c / 2);
        _mm256_storeu_ps(out + c, _mm256_mul_ps(_mm256_sub_ps(lookup8(t, codes), z), s));
        _mm256_storeu_ps(out + c + 8, _mm256_mul_ps(_mm256_sub_ps(lookup8(t, _mm_srli_si128(codes, 8)), z), s));
    }
    dequantizeScalar(w, row, scale, zero, out, c, c1);
}

#include "quant/cpu_kernel_rows.inc"

// Dense rows four at a time, so each load of x serves four rows; a memory-bound
// loop, so AVX2 is as fast as AVX-512 here.
void matvecF32Rows(const float* w, std::int64_t cols, const float* x, float* y, std::int64_t begin, std::int64_t end)
{
    std::int64_t r = begin;
    for (; r + 4 <= end; r += 4) {
        const float* w0 = w + r * cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        std::int64_t c = 0;
        for (; c + 8 <= cols; c += 8) {
            const __m256 xv = _mm256_loadu_ps(x + c);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + c), xv, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + cols + c), xv, a1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + 2 * cols + c), xv, a2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + 3 * cols + c), xv, a3);
        }
        const float sums[4] = {horizontalSum(a0), horizontalSum(a1), horizontalSum(a2), horizontalSum(a3)};
        for (int i = 0; i < 4; ++i) {
            float s = sums[i];
            for (std::int64_t t = c; t < cols; ++t)
                s += w0[i * cols + t] * x[t];
            y[r + i] = s;
        }
    }
    portable::matvecF32Rows(w, cols, x, y, r, end);
}

// The scores scaled in place; returns their maximum.
float scaleAndMax(float* scores, std::int64_t total, float scale)
{
    const __m256 sv = _mm256_set1_ps(scale);
    __m256 top = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
    std::int64_t t = 0;
    for (; t + 8 <= total; t += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(scores + t), sv);
        _mm256_storeu_ps(scores + t, v);
        top = _mm256_max_ps(top, v);
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, top);
    float m = *std::max_element(lanes, lanes + 8);
    for (; t < total; ++t)
        m = std::max(m, scores[t] *= scale);
    return m;
}

// out[d, d + 8 · N) = inverse · Σ_t p_t · values[t, d + …): N vectors of 8 summed in registers.
template <int N>
void weightedRows(const float* p, std::int64_t total, const float* values, std::int64_t D, std::int64_t d,
                  float inverse, float* out)
{
    __m256 acc[N];
    for (int i = 0; i < N; ++i)
        acc[i] = _mm256_setzero_ps();
    for (std::int64_t t = 0; t < total; ++t) {
        const __m256 pt = _mm256_set1_ps(p[t]);
        for (int i = 0; i < N; ++i)
            acc[i] = _mm256_fmadd_ps(pt, _mm256_loadu_ps(values + t * D + d + 8 * i), acc[i]);
    }
    for (int i = 0; i < N; ++i)
        _mm256_storeu_ps(out + d + 8 * i, _mm256_mul_ps(acc[i], _mm256_set1_ps(inverse)));
}

void attendHead(float* scores, std::int64_t total, float scale, const float* values, std::int64_t D, float* out)
{
    const float inverse = 1.0f / exponentiate(scores, total, scaleAndMax(scores, total, scale));
    std::int64_t d = 0;
    for (; d + 32 <= D; d += 32)
        weightedRows<4>(scores, total, values, D, d, inverse, out);
    for (; d + 8 <= D; d += 8)
        weightedRows<1>(scores, total, values, D, d, inverse, out);
    for (; d < D; ++d) {
        float sum = 0.0f;
        for (std::int64_t t = 0; t < total; ++t)
            sum += scores[t] * values[t * D + d];
        out[d] = sum * inverse;
    }
}

} // namespace avx2
ZL_TARGET_END

// ---- AVX-512: 32 columns (16 bytes) per step, as two vectors of 16 ----
ZL_TARGET_BEGIN("avx512f,avx512bw,avx512vl,fma")
namespace avx512 {

struct Table {
    explicit Table(const float* levels) : all(_mm512_loadu_ps(levels)) {}
    __m512 all;
};

// 32 codes in column order from 16 bytes, as two vectors of 16.
inline void codes32(const std::uint8_t* p, __m128i& first, __m128i& second)
{
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i mask = _mm_set1_epi8(15);
    const __m128i lo = _mm_and_si128(b, mask), hi = _mm_and_si128(_mm_srli_epi16(b, 4), mask);
    first = _mm_unpacklo_epi8(lo, hi);
    second = _mm_unpackhi_epi8(lo, hi);
}

inline __m512 lookup16(const Table& t, __m128i codes)
{
    return _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(codes), t.all);
}

inline float groupDot(const Table& t, const PackedMatrix& w, const std::uint8_t* row, const float* x, std::int64_t c0,
                      std::int64_t c1)
{
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    std::int64_t c = c0;
    for (; c + 32 <= c1; c += 32) {
        __m128i first, second;
        codes32(row + c / 2, first, second);
        a0 = _mm512_fmadd_ps(lookup16(t, first), _mm512_loadu_ps(x + c), a0);
        a1 = _mm512_fmadd_ps(lookup16(t, second), _mm512_loadu_ps(x + c + 16), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)) + dotScalar(w, row, x, c, c1);
}

inline void dequantizeGroup(const Table& t, const PackedMatrix& w, const std::uint8_t* row, float scale, float zero,
                            float* out, std::int64_t c0, std::int64_t c1)
{
    const __m512 s = _mm512_set1_ps(scale), z = _mm512_set1_ps(zero);
    std::int64_t c = c0;
    for (; c + 32 <= c1; c += 32) {
        __m128i first, second;
        codes32(row + c / 2, first, second);
        _mm512_storeu_ps(out + c, _mm512_mul_ps(_mm512_sub_ps(lookup16(t, first), z), s));
        _mm512_storeu_ps(out + c + 16, _mm512_mul_ps(_mm512_sub_ps(lookup16(t, second), z), s));
    }
    dequantizeScalar(w, row, scale, zero, out, c, c1);
}

#include "quant/cpu_kernel_rows.inc"

} // namespace avx512
ZL_TARGET_END

// ---- AVX-512 VNNI: the integer kernel with dpbusd (256-bit tiles, 512-bit decode) ----
ZL_TARGET_BEGIN("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")
namespace avx512vnni {

// The tiles' integer sums of one (weight row, x row) pair: two accumulators,
// for the even and the odd columns. dpbusd's latency is several cycles, and
// one chain per pair (8 per tile) measured half of the machine's dpbusd rate;
// 16 independent chains reach it.
constexpr int kChains = 2;

inline void dotAdd256(__m256i* acc, __m256i u0, __m256i s0, __m256i u1, __m256i s1)
{
    acc[0] = _mm256_dpbusd_epi32(acc[0], u0, s0);
    acc[1] = _mm256_dpbusd_epi32(acc[1], u1, s1);
}

inline __m128i dotAdd128(__m128i acc, __m128i u0, __m128i s0, __m128i u1, __m128i s1)
{
    return _mm_dpbusd_epi32(_mm_dpbusd_epi32(acc, u0, s0), u1, s1);
}

// An integer tile: 4 weight rows × 2 rows of x, 16 dpbusd chains (measured
// faster than 2 × 4, where each x load serves only two weight rows).
constexpr int kTileRows = 4;
constexpr int kTileCols = 2;

#include "quant/cpu_int8_rows.inc"

// Decode (one row of x) on 512-bit vectors: 64 code bytes (128 columns) per
// step, half the instructions of the 256-bit tile, which bounded decode below
// the memory bandwidth. x's 128 columns are first reordered so that the low
// nibbles of the step's two 64-column halves meet one 64-byte load and the
// high nibbles the next. Each 512-bit integer sum is folded to the 256-bit
// tile's lanes before the float steps, so the result is bit for bit the tile's.
// The codes are read once, in address order, and each step asks for the bytes
// kPrefetchBytes ahead: the hardware prefetcher alone kept a thread at about
// half of its memory read rate (stalls on the code loads).
constexpr std::int64_t kPrefetchBytes = 2048;

void decodeRows512(const PackedMatrix& w, const Int8Levels& t, const Int8Rows& x, float* y, std::int64_t begin,
                   std::int64_t end)
{
    const auto ng = w.groups();
    std::vector<std::int8_t> reordered(static_cast<std::size_t>(x.cols));
    for (std::int64_t k = 0; k < x.cols; k += 128)
        for (int part = 0; part < 4;
             ++part) // x's [AB even, AB odd, CD even, CD odd] → [AB even, CD even, AB odd, CD odd]
            std::memcpy(reordered.data() + k + (part % 2) * 64 + (part / 2) * 32, x.values.data() + k + part * 32, 32);
    const __m512i mask = _mm512_set1_epi8(15);
    const __m512i table = _mm512_broadcast_i32x4(_mm256_castsi256_si128(t.table));
    const __m512i zero = _mm512_setzero_si512();
    for (std::int64_t r = begin; r < end; ++r) {
        const std::uint8_t* codes = w.packed + r * (w.cols / 2);
        __m256 acc = _mm256_setzero_ps();
        float zeroShare = 0.0f;
        for (std::int64_t g = 0; g < ng; ++g) {
            const float scale = w.scales[r * ng + g] * w.intLevelScale;
            const __m256 sv = _mm256_set1_ps(scale);
            const std::int64_t c1 = (g + 1) * w.groupSize < w.cols ? (g + 1) * w.groupSize : w.cols;
            for (std::int64_t c = g * w.groupSize; c < c1; c += 128) { // the tiles' unit: 128 columns
                _mm_prefetch(reinterpret_cast<const char*>(codes + c / 2) + kPrefetchBytes, _MM_HINT_T0);
                const __m512i bytes = _mm512_loadu_si512(codes + c / 2);
                const __m512i lo = _mm512_and_si512(bytes, mask);
                const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(bytes, 4), mask);
                __m512i even = _mm512_loadu_si512(reordered.data() + c);
                __m512i odd = _mm512_loadu_si512(reordered.data() + c + 64);
                __m512i dot;
                if (!t.isSigned) {
                    dot = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(zero, lo, even), hi, odd);
                } else { // NF4: |level| × x with the level's sign (x where the level is 0 meets |level| = 0)
                    const __m512i l0 = _mm512_shuffle_epi8(table, lo), l1 = _mm512_shuffle_epi8(table, hi);
                    even = _mm512_mask_sub_epi8(even, _mm512_movepi8_mask(l0), zero, even);
                    odd = _mm512_mask_sub_epi8(odd, _mm512_movepi8_mask(l1), zero, odd);
                    dot = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(zero, _mm512_abs_epi8(l0), even), _mm512_abs_epi8(l1),
                                              odd);
                }
                // Lanes 8-15 hold the pieces C, D that the tile adds into lanes 0-7 (A, B).
                const __m256i folded = _mm256_add_epi32(_mm512_castsi512_si256(dot), _mm512_extracti64x4_epi64(dot, 1));
                const __m256 l = _mm256_loadu_ps(x.laneScales.data() + c / 8);
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(folded), _mm256_mul_ps(l, sv), acc);
            }
            if (w.zeros)
                zeroShare = std::fma(scale * static_cast<float>(w.zeros[r * ng + g]), x.groupSums[g], zeroShare);
        }
        y[r] = horizontalSum(acc) - zeroShare;
    }
}

// The 4-bit integer product: decode rows on 512-bit vectors where the groups
// and columns are multiples of 128, otherwise the tiles.
void matmulRowsInt8Vnni(const PackedMatrix& w, const Int8Rows& x, float* y, std::int64_t begin, std::int64_t end)
{
    if (x.rows == 1 && w.groupSize % 128 == 0 && w.cols % 128 == 0)
        return decodeRows512(w, Int8Levels(w.intLevels), x, y, begin, end);
    matmulRowsInt8(w, x, y, begin, end);
}

} // namespace avx512vnni
ZL_TARGET_END

// AVX-512 VNNI from CPUID leaf 7 (ECX bit 11): older compilers' __builtin_cpu_supports does not know it.
bool hasAvx512Vnni()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 11)) != 0;
}

#endif // ZL_X86

std::vector<Isa> supportedIsas()
{
    std::vector<Isa> isas{Isa::Portable};
#ifdef ZL_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        isas.push_back(Isa::Avx2);
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        isas.push_back(Isa::Avx512);
    if (isas.back() == Isa::Avx512 && hasAvx512Vnni())
        isas.push_back(Isa::Avx512Vnni);
#endif
    return isas;
}

Isa bestIsa()
{
    static const Isa best = [] {
        const auto isas = supportedIsas();
        if (const char* env = std::getenv("ZL_ISA"))
            for (auto isa : isas)
                if (std::string_view(env) == isaName(isa))
                    return isa;
        return isas.back();
    }();
    return best;
}

const char* isaName(Isa isa)
{
    switch (isa) {
    case Isa::Avx2:
        return "avx2";
    case Isa::Avx512:
        return "avx512";
    case Isa::Avx512Vnni:
        return "avx512vnni";
    case Isa::Portable:
        break;
    }
    return "portable";
}

std::vector<float> groupSums(const PackedMatrix& w, const float* x)
{
    std::vector<float> sums(static_cast<std::size_t>(w.groups()), 0.0f);
    for (std::int64_t c = 0; c < w.cols; ++c)
        sums[static_cast<std::size_t>(c / w.groupSize)] += x[c];
    return sums;
}

void matvecRows(const PackedMatrix& w, const float* x, const float* sums, float* y, std::int64_t rowBegin,
                std::int64_t rowEnd, Isa isa)
{
#ifdef ZL_X86
    if (isa >= Isa::Avx512)
        return avx512::matvecRows(w, x, sums, y, rowBegin, rowEnd);
    if (isa == Isa::Avx2)
        return avx2::matvecRows(w, x, sums, y, rowBegin, rowEnd);
#endif
    portable::matvecRows(w, x, sums, y, rowBegin, rowEnd);
}

void dequantizeRows(const PackedMatrix& w, float* out, std::int64_t rowBegin, std::int64_t rowEnd, Isa isa)
{
#ifdef ZL_X86
    if (isa >= Isa::Avx512)
        return avx512::dequantizeRows(w, out, rowBegin, rowEnd);
    if (isa == Isa::Avx2)
        return avx2::dequantizeRows(w, out, rowBegin, rowEnd);
#endif
    portable::dequantizeRows(w, out, rowBegin, rowEnd);
}

bool int8Applies(const PackedMatrix& w, Isa isa)
{
    return isa >= Isa::Avx2 && w.cols % 32 == 0 && w.groupSize % 32 == 0;
}

Int8Rows::Int8Rows(const PackedMatrix& w, std::int64_t count)
    : rows(count), cols(w.cols), block(std::gcd(std::gcd(w.groupSize, w.cols), std::int64_t{256})),
      values(static_cast<std::size_t>(rows * cols)), laneScales(static_cast<std::size_t>(rows * cols / 8)),
      groupSums(static_cast<std::size_t>(rows * w.groups()))
{
}

void quantizeActivationRows(const PackedMatrix& w, const float* x, Int8Rows& out, std::int64_t rowBegin,
                            std::int64_t rowEnd, Isa isa)
{
    if (!int8Applies(w, isa))
        throw std::logic_error("quantizeActivationRows: the integer kernels do not take this matrix");
#ifdef ZL_X86
    if (isa == Isa::Avx512Vnni)
        return avx512vnni::quantizeActivationRows(w, x, out, rowBegin, rowEnd);
    avx2::quantizeActivationRows(w, x, out, rowBegin, rowEnd);
#endif
}

void matmulRowsInt8(const PackedMatrix& w, const Int8Rows& x, float* y, std::int64_t rowBegin, std::int64_t rowEnd,
                    Isa isa)
{
    if (!int8Applies(w, isa))
        throw std::logic_error("matmulRowsInt8: the integer kernels do not take this matrix");
#ifdef ZL_X86
    if (isa == Isa::Avx512Vnni)
        return avx512vnni::matmulRowsInt8Vnni(w, x, y, rowBegin, rowEnd);
    avx2::matmulRowsInt8(w, x, y, rowBegin, rowEnd);
#endif
}

void matvecF32Rows(const float* w, std::int64_t cols, const float* x, float* y, std::int64_t rowBegin,
                   std::int64_t rowEnd, Isa isa)
{
#ifdef ZL_X86
    if (isa >= Isa::Avx2)
        return avx2::matvecF32Rows(w, cols, x, y, rowBegin, rowEnd);
#endif
    portable::matvecF32Rows(w, cols, x, y, rowBegin, rowEnd);
}

void attendHead(float* scores, std::int64_t total, float scale, const float* values, std::int64_t D, float* out,
                Isa isa)
{
#ifdef ZL_X86
    if (isa >= Isa::Avx2)
        return avx2::attendHead(scores, total, scale, values, D, out);
#endif
    portable::attendHead(scores, total, scale, values, D, out);
}

} // namespace zl::quant::cpu

namespace zl {

std::string kernelInstructionSet()
{
    return quant::cpu::isaName(quant::cpu::bestIsa());
}

} // namespace zl
