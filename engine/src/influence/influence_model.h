// The pieces every influence job shares: the model prepared as fine-tuning
// prepares it (a copy, quantized in memory when a mask is given), the gradient
// tracker and RapidGrad map fixed by the settings, and the way an example or a
// generation becomes a weighted token sequence and then a compressed vector.
#pragma once

#include "influence/example_gradients.h"
#include "influence/gradient_cache.h"
#include "influence/rapid_grad.h"
#include "tune/tuned_model.h"

#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace zl::influence {

class InfluenceEngine {
public:
    InfluenceEngine(const InfluenceModel& model, const GradientSettings& settings, EventSink* sink,
                    std::stop_token stop);

    const Model& model() const { return *m_tuned.model; }
    const Tokenizer& tokenizer() const { return m_tuned.model->tokenizer(); }
    /// The settings part of a cache made with this engine (no dataset fields).
    CacheSettings identity() const;
    GradientTracker& tracker() { return *m_tracker; }
    const RapidGrad& rapidGrad() const { return *m_rapid; }
    const GradientSettings& settings() const { return m_settings; }

    /// prompt (with BOS) + response (with EOS), truncated to maxLength from the left.
    IndexedExample index(const CachedExample& example) const;
    /// Weights that make the loss the mean NLL of tokens [begin, end) of a sequence.
    static std::vector<float> meanOver(std::size_t length, std::int64_t begin, std::int64_t end);

    /// Normalized, compressed gradients [rows, vectorLength] of per-row losses.
    at::Tensor vectors(const WeightedSequences& batch, GradientTiming* timing = nullptr,
                       double* compressSeconds = nullptr);

    /// Display pieces of ids, which concatenate to their decoded text where the
    /// tokenizer allows (a piece that splits a UTF-8 character shows alone).
    std::vector<std::string> pieces(const std::vector<std::int32_t>& ids) const;

private:
    tune::TunedModel m_tuned;
    std::string m_weightsId; ///< architecture identity and a fingerprint of the weights' values
    GradientSettings m_settings;
    std::unique_ptr<GradientTracker> m_tracker;
    std::unique_ptr<RapidGrad> m_rapid;
};

/// Computes and appends the vectors of `pending` examples of an initialised
/// cache in batches, each committed before the next; calls `afterBatch` with
/// the number done so far (it may throw Cancelled to stop between batches).
/// Adds tokens and time to `result`.
void appendBatches(InfluenceEngine& engine, GradientCache& cache, const std::vector<std::int64_t>& pending,
                   std::int64_t batchSize, const std::function<void(std::int64_t)>& afterBatch,
                   CacheBuildResult& result);

/// fp32 values to fp16 bits, and back.
std::vector<std::uint16_t> toHalves(const at::Tensor& values);
at::Tensor fromHalves(const std::uint16_t* halves, std::int64_t count);

} // namespace zl::influence
