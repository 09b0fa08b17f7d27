#include "influence/vector_scan.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#include <immintrin.h>
#define ZL_SCAN_X86 1
#endif

namespace zl::influence {

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13); // inf, NaN
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else { // subnormal: normalize
        int e = -1;
        do {
            ++e;
            mantissa <<= 1;
        } while ((mantissa & 0x400u) == 0);
        bits = sign | (static_cast<std::uint32_t>(112 - e) << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

namespace {

void dotPortable(const float* q, const std::uint16_t* v, std::int64_t n, float* out)
{
    float acc[8] = {};
    std::int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; ++l)
            acc[l] += q[j + l] * halfToFloat(v[j + l]);
    float s = 0;
    for (const float a : acc)
        s += a;
    for (; j < n; ++j)
        s += q[j] * halfToFloat(v[j]);
    *out = s;
}

#ifdef ZL_SCAN_X86
__attribute__((target("avx2,fma,f16c"))) inline __m256 halves8(const std::uint16_t* v)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(v)));
}

__attribute__((target("avx2,fma,f16c"))) float horizontalSum(__m256 x)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

// Four rows at once: each 8 query values loaded are used four times, so a long
// query (K = 65536 is 256 KiB, beyond L1) is read from cache a quarter as often.
__attribute__((target("avx2,fma,f16c"))) void dot4Avx2(const float* q, const std::uint16_t* v, std::int64_t n,
                                                       float* out)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    std::int64_t j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m256 x = _mm256_loadu_ps(q + j);
        a0 = _mm256_fmadd_ps(x, halves8(v + j), a0);
        a1 = _mm256_fmadd_ps(x, halves8(v + n + j), a1);
        a2 = _mm256_fmadd_ps(x, halves8(v + 2 * n + j), a2);
        a3 = _mm256_fmadd_ps(x, halves8(v + 3 * n + j), a3);
    }
    const __m256 acc[4] = {a0, a1, a2, a3};
    for (int r = 0; r < 4; ++r) {
        out[r] = horizontalSum(acc[r]);
        for (auto t = j; t < n; ++t)
            out[r] += q[t] * halfToFloat(v[r * n + t]);
    }
}

__attribute__((target("avx2,fma,f16c"))) void dotAvx2(const float* q, const std::uint16_t* v, std::int64_t n,
                                                      float* out)
{
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    std::int64_t j = 0;
    for (; j + 16 <= n; j += 16) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j), halves8(v + j), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j + 8), halves8(v + j + 8), a1);
    }
    for (; j + 8 <= n; j += 8)
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + j), halves8(v + j), a0);
    *out = horizontalSum(_mm256_add_ps(a0, a1));
    for (; j < n; ++j)
        *out += q[j] * halfToFloat(v[j]);
}

__attribute__((target("avx2"))) std::uint64_t readAvx2(const std::uint8_t* p, std::size_t bytes)
{
    __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
    std::size_t i = 0;
    for (; i + 64 <= bytes; i += 64) {
        a0 = _mm256_add_epi64(a0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i)));
        a1 = _mm256_add_epi64(a1, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 32)));
    }
    alignas(32) std::uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), _mm256_add_epi64(a0, a1));
    std::uint64_t s = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < bytes; ++i)
        s += p[i];
    return s;
}

bool hasAvx2F16c()
{
    static const bool yes = [] {
        __builtin_cpu_init();
        // F16C from CPUID leaf 1 (ECX bit 29): older compilers' __builtin_cpu_supports does not know it.
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 29)) != 0;
        return f16c && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return yes;
}
#endif

std::uint64_t readPortable(const std::uint8_t* p, std::size_t bytes)
{
    std::uint64_t s = 0, w = 0;
    std::size_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
        std::memcpy(&w, p + i, 8);
        s += w;
    }
    for (; i < bytes; ++i)
        s += p[i];
    return s;
}

} // namespace

void scoreRows(const float* query, const std::uint16_t* vectors, std::int64_t rows, std::int64_t length, float* scores,
               bool simd)
{
#ifdef ZL_SCAN_X86
    if (simd && hasAvx2F16c()) {
        const auto groups = rows / 4;
#pragma omp parallel for schedule(static)
        for (std::int64_t g = 0; g < groups; ++g)
            dot4Avx2(query, vectors + g * 4 * length, length, scores + g * 4);
        for (auto r = groups * 4; r < rows; ++r)
            dotAvx2(query, vectors + r * length, length, scores + r);
        return;
    }
#endif
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r)
        dotPortable(query, vectors + r * length, length, scores + r);
}

std::uint64_t readAll(const void* data, std::size_t bytes)
{
    auto read = readPortable;
#ifdef ZL_SCAN_X86
    if (hasAvx2F16c())
        read = readAvx2;
#endif
    const auto* p = static_cast<const std::uint8_t*>(data);
    const auto chunks = static_cast<std::int64_t>((bytes + (1u << 20) - 1) >> 20); // 1 MiB each
    std::uint64_t sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
    for (std::int64_t c = 0; c < chunks; ++c) {
        const auto begin = static_cast<std::size_t>(c) << 20;
        sum += read(p + begin, std::min<std::size_t>(std::size_t{1} << 20, bytes - begin));
    }
    return sum;
}

} // namespace zl::influence
