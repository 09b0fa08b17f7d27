// First-order training of a Llama-family model with libtorch autograd: AdamW
// with decoupled weight decay, linear warm-up then cosine decay, gradient
// clipping and accumulation, periodic held-out evaluation, and checkpoints that
// resume exactly. Used to pre-train the demo model; later the first-order
// baseline that zeroth-order fine-tuning is compared against.
#pragma once

#include "zerolens/events.h"

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>

namespace zl {

struct PretrainOptions {
    std::filesystem::path corpus;  ///< UTF-8 text, one document per line
    std::filesystem::path heldOut; ///< optional held-out text for evaluation
    std::filesystem::path
        architecture; ///< config.json-style file: sizes of the model (vocab_size comes from the tokenizer)
    std::filesystem::path tokenizer; ///< tokenizer.json
    std::filesystem::path outDir;    ///< Hugging Face model folder written here; training state in outDir/training
    std::int64_t steps = 1000;
    std::int64_t batchSize = 16;
    std::int64_t seqLen = 128;
    std::int64_t gradAccumulation = 1;
    double learningRate = 3e-3;
    double minLearningRateRatio = 0.1; ///< cosine decays to lr × this
    std::int64_t warmupSteps = 100;
    double weightDecay = 0.1; ///< on matrices only, not on norms
    double beta1 = 0.9, beta2 = 0.95, epsilon = 1e-8;
    double clipNorm = 1.0; ///< 0 disables clipping
    std::int64_t evalEvery = 100;
    std::int64_t evalBatches = 4;
    std::int64_t checkpointEvery = 100;
    std::string exportDtype = "F32"; ///< dtype of the exported model.safetensors: F32 or BF16
    std::uint64_t seed = 1;
    std::string device = "cpu";
    bool overwrite = false; ///< start over in an existing non-empty outDir, replacing its content when done
};

struct PretrainResult {
    std::int64_t steps = 0;       ///< optimizer steps completed in total
    std::int64_t resumedFrom = 0; ///< 0 when started fresh
    double trainLoss = 0.0;       ///< mean loss of the last step
    double evalLoss = -1.0;       ///< last held-out loss (-1 without held-out text)
    double tokensPerSecond = 0.0; ///< training throughput of this run
};

/// Trains, resuming from outDir/training when a checkpoint of the same run is
/// there. Any other non-empty outDir is refused (InvalidArgument) unless
/// options.overwrite; then the run is made in a staging folder that replaces
/// outDir only once the model is exported, so a kill leaves the old content. Streams metrics "loss", "lr", "grad_norm",
/// "eval_loss" and "tokens_per_second", and progress in steps. A stop request ends the run after saving a checkpoint,
/// and throws Cancelled. Throws InvalidArgument for bad options or a checkpoint of a different run.
PretrainResult pretrain(const PretrainOptions& options, EventSink* sink = nullptr, std::stop_token stop = {});

/// Training throughput (tokens/s of forward + backward + AdamW) of a randomly
/// initialised model of `architecture` with `vocabSize` tokens on random ids.
struct TrainBenchResult {
    std::int64_t parameters = 0;
    double tokensPerSecond = 0.0;
    double forwardOnlyTokensPerSecond = 0.0; ///< baseline from the same run
};
TrainBenchResult benchTrain(const std::filesystem::path& architecture, std::int64_t vocabSize, std::int64_t batch,
                            std::int64_t seq, std::int64_t steps, const std::string& device = "cpu");

} // namespace zl
