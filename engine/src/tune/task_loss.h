// The one loss module of fine-tuning: a batch of tokenized examples in, a
// scalar loss (differentiable when autograd records) and scores out.
// Classification follows MeZO: each candidate label is scored by the mean
// log-probability of its label-word tokens after the prompt; the loss is the
// cross-entropy over the candidates and the prediction their argmax.
// Generation: mean negative log-likelihood of the response tokens only.
#pragma once

#include "model/llama.h"
#include "zerolens/dataset.h"
#include "zerolens/finetune.h"
#include "zerolens/tokenizer.h"

#include <cstdint>
#include <stop_token>
#include <vector>

namespace zl::tune {

struct EncodedExample {
    std::vector<std::int32_t> prompt;
    std::vector<std::int32_t> response; ///< generation target
    int label = -1;                     ///< classification target
};

/// A task ready for the model: label-word token ids and the length limit.
struct EncodedTask {
    TaskKind kind = TaskKind::Classify;
    std::vector<std::vector<std::int32_t>> labelIds; ///< per label, tokens of its label word
    std::int64_t maxLength = 256;
};

/// prompt + target into `out`, cut to maxLength by dropping prompt tokens from
/// the left (and the target's tail if it alone is too long); returns the
/// target's start in `out`.
std::int64_t joinSequence(const std::vector<std::int32_t>& prompt, const std::vector<std::int32_t>& target,
                          std::int64_t maxLength, std::vector<std::int32_t>& out);

EncodedTask encodeTask(const TaskSpec& task, const Tokenizer& tokenizer, std::int64_t maxLength);
/// Prompt with special tokens (BOS), response without, plus EOS after a response.
std::vector<EncodedExample> encodeExamples(const std::vector<Example>& examples, const Tokenizer& tokenizer);

struct BatchLoss {
    at::Tensor loss;            ///< scalar: mean CE over examples, or mean NLL per response token
    double lossSum = 0.0;       ///< CE summed over examples, or NLL summed over tokens
    std::int64_t lossCount = 0; ///< examples, or response tokens
    std::int64_t correct = 0;   ///< classification: argmax == label
    std::int64_t examples = 0;
};

/// One batched forward over the examples (each label of each example is a
/// sequence for classification). Sequences longer than maxLength lose prompt
/// tokens from the left.
BatchLoss batchLoss(const model::Llama& llama, const EncodedTask& task,
                    const std::vector<const EncodedExample*>& batch);

/// Mean loss and accuracy of a split, in batches of `batchSize` examples. With a
/// sink, progress of `stage` counts batches.
SplitScore evaluateSplit(const model::Llama& llama, const EncodedTask& task, const std::vector<EncodedExample>& split,
                         std::int64_t batchSize, std::stop_token stop = {}, EventSink* sink = nullptr,
                         const std::string& stage = "Evaluating");

} // namespace zl::tune
