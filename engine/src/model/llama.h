// The Llama-family decoder (Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM) in
// libtorch, matching Hugging Face's modeling_llama: RMSNorm, rotary embeddings
// in the rotate-half layout, grouped-query attention, SwiGLU MLP.
#pragma once

#include "arch/llama_layout.h"
#include "model/torch_pch.h"
#include "quant/int8_matrix.h"
#include "zerolens/config.h"

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace zl::model {

using arch::Projection;
using enum arch::Projection;

struct LayerWeights {
    at::Tensor inputNorm, postNorm;
    at::Tensor q, k, v, o; // [out, in]
    at::Tensor qb, kb, vb; // biases, undefined when absent
    at::Tensor gate, up, down;
    /// Set for a quantized model, in which case the dense tensor above is undefined.
    std::array<std::shared_ptr<quant::QuantMatrix>, kProjectionCount> quantized;

    /// The dense weight of projection p (q, k, ... down).
    at::Tensor& weight(Projection p);
    const at::Tensor& weight(Projection p) const;
};

/// Keys and values of the positions seen so far, per layer. The buffers
/// [B, KV heads, capacity, D] grow by doubling, so a decode step appends in
/// place instead of copying the whole cache.
struct KvCache {
    std::vector<at::Tensor> keys, values;
    std::int64_t length = 0;
    /// Appends this step's k, v [B, KV, T, D] of layer `layer` at `length`; returns all positions so far.
    std::pair<at::Tensor, at::Tensor> append(std::size_t layer, const at::Tensor& k, const at::Tensor& v);
};

class Llama {
public:
    Llama(ModelConfig config, at::Device device, at::ScalarType dtype);

    /// Logits (float32) for ids [B, T] (int64). `lengths` (int64 [B], optional)
    /// gives the valid length of each right-padded row. With a cache, the ids
    /// continue the cached positions and the cache is extended. With
    /// `lastPositionOnly`, logits [B, 1, V] of the last position only: the
    /// vocabulary projection of a prompt is then one row, not T.
    at::Tensor forward(const at::Tensor& ids, const at::Tensor& lengths, KvCache* cache,
                       bool lastPositionOnly = false) const;
    /// The final-normed hidden states [B, T, hidden] that forward() projects to
    /// logits, so a caller that needs a few positions projects only those.
    at::Tensor hidden(const at::Tensor& ids, const at::Tensor& lengths, KvCache* cache = nullptr) const;
    /// Logits (float32) of hidden states [..., hidden].
    at::Tensor logits(const at::Tensor& hiddenStates) const;
    /// The embeddings [..., hidden] of token ids (int64, on this model's device).
    at::Tensor embedTokens(const at::Tensor& ids) const;

    /// Every weight with its Hugging Face name (lm_head omitted when tied); an
    /// 8-bit embedding or lm_head is there as an undefined tensor.
    std::vector<std::pair<std::string, at::Tensor*>> namedParameters();
    /// The 8-bit matrix behind a weight name (embed_tokens, lm_head), or nullptr.
    const quant::Int8Matrix* int8Weight(const std::string& name) const;

    /// Called with the input and output of every linear projection during
    /// forward (layer, projection, x, x Wᵀ), e.g. to hook the output's gradient.
    using ProjectionObserver =
        std::function<void(std::size_t layer, Projection p, const at::Tensor& in, const at::Tensor& out)>;
    ProjectionObserver projectionObserver;

    ModelConfig config;
    at::Device device;
    at::ScalarType dtype;
    at::Tensor embed, finalNorm, lmHead;
    /// Set when a 4-bit folder stores the embeddings (and an untied lm_head) in
    /// 8 bits; embed and lmHead are then undefined. Tied: the same matrix.
    std::shared_ptr<const quant::Int8Matrix> embedInt8, lmHeadInt8;
    std::vector<LayerWeights> layers;

private:
    at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& w) const;
    /// Whether hidden() may take decodeStep: one new token of one sequence with
    /// a cache, on the CPU in float32, no autograd and no projection observer.
    bool decodeStepApplies(const at::Tensor& ids, const at::Tensor& lengths, const KvCache* cache) const;
    at::Tensor decodeStep(const at::Tensor& ids, KvCache& cache) const;
    void ropeTables(std::int64_t start, std::int64_t count, at::Tensor& cos, at::Tensor& sin) const;
    at::Tensor m_invFreq; // [headDim / 2], float32
};

} // namespace zl::model
