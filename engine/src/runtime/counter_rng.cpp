#include "runtime/counter_rng.h"

#include <cmath>
#include <numbers>

namespace zl::runtime {

namespace {

// SplitMix64's finaliser (Steele et al. 2014): a bijective mix whose outputs
// pass BigCrush when fed a counter.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

// Uniform in (0, 1]: the top 24 bits plus one, so log() never sees 0.
float unitInterval(std::uint64_t bits)
{
    return (static_cast<float>(bits >> 40) + 1.0f) * (1.0f / 16777216.0f);
}

} // namespace

std::uint64_t counterKey(std::uint64_t seed, std::uint64_t a, std::uint64_t b)
{
    return mix(mix(mix(seed) ^ a) ^ (b * 0xd1b54a32d192ed03ull));
}

float standardNormal(std::uint64_t key, std::uint64_t index)
{
    const std::uint64_t h = mix(key ^ mix(index >> 1));
    const float u1 = unitInterval(h);
    const float u2 = unitInterval(h << 24);
    const float r = std::sqrt(-2.0f * std::log(u1));
    const float angle = 2.0f * std::numbers::pi_v<float> * u2;
    return (index & 1) ? r * std::sin(angle) : r * std::cos(angle);
}

void addScaledNormal(std::uint64_t key, std::uint64_t first, float scale, float* out, std::int64_t count)
{
    for (std::int64_t i = 0; i < count; ++i)
        out[i] += scale * standardNormal(key, first + static_cast<std::uint64_t>(i));
}

} // namespace zl::runtime
