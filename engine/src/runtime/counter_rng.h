// Counter-based random numbers: the value for (key, index) is a pure function
// of both, so the perturbation z of a zeroth-order step is regenerated from its
// seed instead of stored, identically with any number of threads and in any
// order (MeZO's "seed trick").
#pragma once

#include <cstdint>

namespace zl::runtime {

/// A 64-bit key mixed from a run seed and counters (step, perturbation, ...).
std::uint64_t counterKey(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0);

/// z ~ N(0, 1) for entry `index` under `key` (Box–Muller on two hashed uniforms;
/// entries 2i and 2i+1 share one pair).
float standardNormal(std::uint64_t key, std::uint64_t index);

/// out[i] += scale · z(key, first + i) for i < count.
void addScaledNormal(std::uint64_t key, std::uint64_t first, float scale, float* out, std::int64_t count);

} // namespace zl::runtime
