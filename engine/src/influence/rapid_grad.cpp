#include "influence/rapid_grad.h"

#include "zerolens/error.h"

#include <random>

namespace zl::influence {

namespace {

// Divisors of n in [2, n/2]: the shapes a round may view the vector as.
std::vector<std::int64_t> properDivisors(std::int64_t n)
{
    std::vector<std::int64_t> out;
    for (std::int64_t d = 2; d * d <= n; ++d)
        if (n % d == 0) {
            out.push_back(d);
            if (d != n / d)
                out.push_back(n / d);
        }
    return out;
}

// Fisher–Yates with the raw 64-bit engine (std::uniform_int_distribution is
// implementation-defined; this is the same on every platform).
at::Tensor permutation(std::int64_t n, std::mt19937_64& rng)
{
    auto p = at::arange(n, at::kLong);
    auto* v = p.data_ptr<std::int64_t>();
    for (std::int64_t i = n - 1; i > 0; --i)
        std::swap(v[i], v[static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(i + 1))]);
    return p;
}

} // namespace

RapidGrad::RapidGrad(std::int64_t dimension, std::int64_t k, int shuffles, std::uint64_t seed, bool exact)
    : m_dimension(dimension), m_k(k)
{
    if (dimension < 1)
        throw InvalidArgument("the tracked gradient has no entries");
    if (k < 16 || k > (std::int64_t{1} << 24))
        throw InvalidArgument("K must be between 16 and 16777216, got " + std::to_string(k));
    if (shuffles < 1 || shuffles > 64)
        throw InvalidArgument("shuffle rounds must be between 1 and 64, got " + std::to_string(shuffles));
    if (exact || dimension <= k)
        return;
    m_padded = (dimension + k - 1) / k * k;
    std::mt19937_64 rng(seed);
    const auto divisors = properDivisors(m_padded); // never empty: m_padded = K·m with K >= 16
    for (int r = 0; r < shuffles; ++r) {
        Round round;
        round.rows = divisors[static_cast<std::size_t>(rng() % divisors.size())];
        round.cols = m_padded / round.rows;
        round.permuteRows = (rng() & 1) != 0;
        round.permutation = permutation(round.permuteRows ? round.rows : round.cols, rng);
        m_rounds.push_back(std::move(round));
    }
    m_signs = at::empty({m_padded}, at::kFloat);
    auto* s = m_signs.data_ptr<float>();
    for (std::int64_t i = 0; i < m_padded; i += 64) {
        const auto bits = rng();
        for (std::int64_t j = 0; j < std::min<std::int64_t>(64, m_padded - i); ++j)
            s[i + j] = (bits >> j) & 1 ? 1.0f : -1.0f;
    }
}

at::Tensor RapidGrad::operator()(const at::Tensor& x) const
{
    if (x.dim() != 2 || x.size(1) != m_dimension)
        throw InvalidArgument("RapidGrad: expected [B, " + std::to_string(m_dimension) + "] input");
    if (!compresses())
        return x.to(at::kFloat);
    const auto B = x.size(0);
    auto v = at::constant_pad_nd(x.to(at::kFloat), {0, m_padded - m_dimension});
    for (const auto& r : m_rounds) {
        const auto perm = r.permutation.to(v.device());
        v = v.view({B, r.rows, r.cols}).index_select(r.permuteRows ? 1 : 2, perm).reshape({B, m_padded});
    }
    return (v * m_signs.to(v.device())).view({B, m_k, m_padded / m_k}).sum(-1);
}

} // namespace zl::influence
