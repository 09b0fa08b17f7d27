// A loaded Llama-family causal language model (weights on a device, tokenizer,
// config). Opaque handle: all tensor work stays inside the engine.
#pragma once

#include "zerolens/checkpoint.h"
#include "zerolens/events.h"
#include "zerolens/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace zl {

struct LoadOptions {
    /// "cpu" or "cuda:N". On CUDA the compute dtype is bf16 (or fp16) where the
    /// stored dtype allows; on CPU it is always fp32.
    std::string device = "cpu";
    /// Load the weights as ordinary (autograd-capable) tensors in fp32, for
    /// gradient-based tools such as sensitivity masks. Inference results are the same.
    bool trainable = false;
};

class Model {
public:
    /// Loads a model folder. Reports progress per tensor ("Loading weights"),
    /// checks `stop` between tensors and throws Cancelled when asked to stop.
    /// Throws FormatError for a malformed or unsupported checkpoint and
    /// InvalidArgument for an unavailable device.
    static std::shared_ptr<Model> load(const std::filesystem::path& dir, const LoadOptions& options = {},
                                       EventSink* sink = nullptr, std::stop_token stop = {});
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    /// An independent copy for work that changes weights (fine-tuning): float
    /// weights and the sparse set S are copied, the 4-bit codes and scales, which
    /// nothing changes, are shared; the tokenizer is shared. The copy's tensors
    /// can take gradients.
    std::shared_ptr<Model> copy() const;

    const CheckpointInfo& info() const;
    const ModelConfig& config() const;
    const Tokenizer& tokenizer() const;
    std::string device() const;
    /// "float32", "bfloat16" or "float16".
    std::string computeDtype() const;
    /// Bytes held by the weights on the device.
    std::uint64_t weightBytes() const;

    /// Log-probabilities of every next token for a batch of sequences of any
    /// lengths (right-padded internally). Result[b] holds len(b) × vocab floats,
    /// row t being log p(· | ids[0..t]).
    std::vector<std::vector<float>> logProbs(const std::vector<std::vector<std::int32_t>>& batch) const;

    /// Sum of log p(ids[t] | ids[<t]) for t >= 1 of each sequence, with the count
    /// of scored ids. One batched forward.
    struct SequenceScore {
        double logProbSum = 0.0;
        std::int64_t scored = 0;
    };
    std::vector<SequenceScore> scoreSequences(const std::vector<std::vector<std::int32_t>>& batch) const;

    class Impl;
    Impl& impl() const { return *m_impl; }

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Perplexity of a token stream (perplexity.h semantics: consecutive,
/// non-overlapping windows of `context` ids; every id after a window's first is
/// scored; ppl = exp(mean NLL)). Progress counts windows.
struct PerplexityResult {
    double perplexity = 0.0;
    double meanNll = 0.0;
    std::int64_t scoredTokens = 0;
    std::int64_t windows = 0;
};
PerplexityResult perplexity(const Model& model, const std::vector<std::int32_t>& ids, std::int64_t context,
                            EventSink* sink = nullptr, std::stop_token stop = {});

/// Perplexity of the same scored ids (every id after a window's first) under an
/// add-one-smoothed unigram model counted on `trainIds`: the baseline a
/// language model must beat.
double unigramPerplexity(const std::vector<std::int32_t>& trainIds, const std::vector<std::int32_t>& ids,
                         std::int64_t context, std::int64_t vocabSize);

/// Throughput of the batched forward on random ids, with a baseline from the
/// same run: a plain [batch·seq, hidden] × [hidden, intermediate] matrix product.
struct ForwardBenchResult {
    std::int64_t batch = 0;
    std::int64_t seq = 0;
    std::int64_t iterations = 0;
    double seconds = 0.0;
    double tokensPerSecond = 0.0;
    double modelGflops = 0.0;           ///< 2 × parameters × tokens/s (attention scores not counted)
    double matmulGflops = 0.0;          ///< the GEMM baseline
    double decodeTokensPerSecond = 0.0; ///< batch-1 generation with the KV cache (64 greedy tokens, detokenized)
    /// The same batch as a prompt: logits of the last position only (as llama.cpp's pp benchmark).
    double prefillTokensPerSecond = 0.0;
    /// Decode forward passes alone (KV cache, argmax; no sampling or detokenization).
    double decodeForwardTokensPerSecond = 0.0;
    std::uint64_t decodeWeightBytes = 0; ///< weight bytes one decode step reads (blocks, norms, output projection)
    std::uint64_t decodeOutputProjectionBytes = 0; ///< the output projection's share of decodeWeightBytes
    double decodeGBps = 0.0;                       ///< decodeWeightBytes × decodeForwardTokensPerSecond
    double memoryReadGBps = 0.0;                   ///< baseline: summing a 256 MiB buffer with the same threads
    /// The decode step's block products alone (one row of x through every projection of every layer,
    /// nothing between them): the weight kernels' own GB/s, to set against memoryReadGBps.
    double decodeProductsGBps = 0.0;
    std::uint64_t peakRssBytes = 0; ///< after the model's own runs, before the baselines allocate theirs
};
ForwardBenchResult benchForward(const Model& model, std::int64_t batch, std::int64_t seq, std::int64_t iterations);

} // namespace zl
