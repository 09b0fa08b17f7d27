// Per-example gradients of a loss on chosen tokens, with respect to the tracked
// parameters of influence: the sparse set S of every 4-bit projection, or every
// linear weight of chosen blocks. No weight gradient is formed for S: a hook
// catches each projection's output gradient dY, and entry (i, j) of one
// example's gradient is Σ_t dY[t, i] · X[t, j], so gathering the rows of dY and
// the columns of X that S needs costs O(tokens · |S|), batched over examples.
#pragma once

#include "model/llama.h"
#include "zerolens/influence.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace zl::influence {

/// One tensor of the tracked set.
struct TrackedTensor {
    std::string name; ///< the weight's Hugging Face name
    std::size_t layer = 0;
    model::Projection projection = model::kQ;
    at::Tensor rows, cols; ///< I64 positions of S's entries; undefined for a whole matrix
    std::int64_t out = 0, in = 0;
    std::int64_t size() const { return rows.defined() ? rows.numel() : out * in; }
};

/// Sequences with a weight per position: the loss is
/// Σ_b Σ_t weights[b][t] · (−log p(ids[b][t] | ids[b][<t])), so each row's
/// gradient is its own (rows never interact).
struct WeightedSequences {
    std::vector<std::vector<std::int32_t>> ids;
    std::vector<std::vector<float>> weights; ///< same shape as ids; weights[b][0] is ignored
};

/// Gradients per tracked tensor: [rows, size] each (rows = sequences or positions).
using TensorGradients = std::vector<at::Tensor>;

/// Seconds spent in the forward and in backward plus gathering, accumulated.
struct GradientTiming {
    double forward = 0, backward = 0;
};

class GradientTracker {
public:
    /// Hooks into `llama` (which must be a copy owned by the caller: the first
    /// norm is made to require a gradient). Throws InvalidArgument when the
    /// settings select nothing (no S, or blocks outside the model).
    GradientTracker(model::Llama& llama, const GradientSettings& settings);
    ~GradientTracker();
    GradientTracker(const GradientTracker&) = delete;
    GradientTracker& operator=(const GradientTracker&) = delete;

    const std::vector<TrackedTensor>& tensors() const { return m_tensors; }
    std::int64_t dimension() const { return m_dimension; }

    /// One gradient per sequence: [B, size] per tensor.
    TensorGradients perSequence(const WeightedSequences& batch, GradientTiming* timing = nullptr);

    /// One sequence's gradient split by the position whose activations carry it
    /// (dY[t]ᵀX[t]), each tensor's part divided by the norm of that tensor's whole
    /// gradient: the pieces sum to the per-tensor normalized gradient. Delivered
    /// `chunk` positions at a time (a block's pieces are out × in each), as
    /// consume(first position, [positions, size] per tensor).
    using PositionConsumer = std::function<void(std::int64_t, const TensorGradients&)>;
    void perPositionNormalized(const std::vector<std::int32_t>& ids, const std::vector<float>& weights,
                               std::int64_t chunk, const PositionConsumer& consume);

private:
    /// Inputs X [B, T, in] and output gradients dY [B, T, out] of every tracked tensor.
    struct Activations {
        std::int64_t rows = 0;
        std::vector<std::pair<at::Tensor, at::Tensor>> tensors;
    };
    Activations backward(const WeightedSequences& batch, GradientTiming* timing);
    model::Llama& m_llama;
    std::vector<TrackedTensor> m_tensors;
    std::int64_t m_dimension = 0;
};

/// Per-tensor L2 normalization (each row of each tensor scaled to unit norm, a
/// zero row left zero) and concatenation: [rows, D].
at::Tensor normalizeAndConcat(const TensorGradients& grads);

} // namespace zl::influence
