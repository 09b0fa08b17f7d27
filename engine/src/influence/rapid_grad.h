// RapidGrad (RapidIn, Lin et al. 2024): a seeded random map from a gradient of
// D entries to K. λ shuffle rounds each view the (zero-padded) vector as a
// matrix of a random factor of its length and permute its rows or its columns,
// which approximates one random permutation without a length-D index; then
// every entry is multiplied by a random ±1 and consecutive blocks of D'/K
// entries are summed. The map is linear, and since the signs are independent,
// E⟨Px, Py⟩ = ⟨x, y⟩. When D ≤ K (or in exact mode) the vector is kept as is.
#pragma once

#include "model/torch_pch.h"

#include <cstdint>
#include <vector>

namespace zl::influence {

class RapidGrad {
public:
    /// Throws InvalidArgument for k outside [16, 2^24] or shuffles outside [1, 64].
    RapidGrad(std::int64_t dimension, std::int64_t k, int shuffles, std::uint64_t seed, bool exact);

    std::int64_t dimension() const { return m_dimension; }
    /// K when compressing, else D.
    std::int64_t outputLength() const { return compresses() ? m_k : m_dimension; }
    bool compresses() const { return !m_rounds.empty(); }

    /// x [B, D] float32 → [B, outputLength()] on x's device.
    at::Tensor operator()(const at::Tensor& x) const;

private:
    struct Round {
        std::int64_t rows = 0, cols = 0;
        bool permuteRows = true;
        at::Tensor permutation; ///< I64, length rows or cols
    };
    std::int64_t m_dimension = 0, m_k = 0, m_padded = 0;
    std::vector<Round> m_rounds;
    at::Tensor m_signs; ///< F32 [padded], ±1
};

} // namespace zl::influence
