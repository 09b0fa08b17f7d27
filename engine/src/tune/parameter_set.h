// The trainable values of a fine-tuning run as one flat vector over several
// tensors: the sparse set S of every 4-bit projection (SensZOQ), or every float
// weight of the model (dense MeZO). Zeroth-order steps perturb and update it in
// place with z regenerated from a counter-based seed, never stored.
#pragma once

#include "model/llama.h"

#include <cstdint>
#include <string>
#include <vector>

namespace zl::tune {

struct ParameterBlock {
    std::string name;         ///< e.g. "model.layers.0.mlp.up_proj.weight"
    at::Tensor values;        ///< float32, contiguous; updated in place
    std::uint64_t offset = 0; ///< index of its first entry in the flat vector
};

class ParameterSet {
public:
    /// S of every quantized projection (entries in layer, projection, index order).
    /// Throws InvalidArgument when the model has no S.
    static ParameterSet sparse(model::Llama& llama);
    /// Every float weight of the model (embeddings, norms, projections, lm_head if untied).
    static ParameterSet dense(model::Llama& llama);

    std::int64_t size() const { return m_size; }
    const std::vector<ParameterBlock>& blocks() const { return m_blocks; }

    /// values += scale · z(key).
    void addNormal(std::uint64_t key, float scale);
    /// values *= factor (decoupled weight decay).
    void scale(float factor);

    /// A copy of all values, and putting one back bit for bit.
    std::vector<at::Tensor> snapshot() const;
    void restore(const std::vector<at::Tensor>& snapshot);

    /// Σ values², for reporting.
    double squaredNorm() const;

private:
    void add(std::string name, at::Tensor values);
    std::vector<ParameterBlock> m_blocks;
    std::int64_t m_size = 0;
};

} // namespace zl::tune
