// The scan of retrieval: one query (fp32) against every cached vector (fp16),
// streamed once, in parallel over rows with the engine's threads; plus a plain
// read of the same bytes, the memory-bandwidth baseline it is measured against.
// x86 machines with AVX2 + F16C convert eight halves per instruction; others
// use a portable loop (chosen at run time).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zl::influence {

/// scores[r] = Σ_j query[j] · half(vectors[r · length + j]) for r in [0, rows).
/// `simd` false forces the portable loop (for tests).
void scoreRows(const float* query, const std::uint16_t* vectors, std::int64_t rows, std::int64_t length, float* scores,
               bool simd = true);

/// Reads `bytes` bytes once with the same threads and returns
/// a checksum that depends on every word, so nothing is optimized away.
std::uint64_t readAll(const void* data, std::size_t bytes);

float halfToFloat(std::uint16_t h);

} // namespace zl::influence
