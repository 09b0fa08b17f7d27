// The model a fine-tuning run trains, made the same way for training, resuming
// and exporting: loaded from its folder and, for a float model with a mask,
// quantized in memory with the mask's entries kept in S (deterministic, so a
// resumed run or an export rebuilds exactly the same Q and S positions).
#pragma once

#include "model/model_impl.h"
#include "tune/parameter_set.h"
#include "zerolens/finetune.h"

#include <memory>
#include <stop_token>
#include <string>

namespace zl::tune {

struct TunedModel {
    std::shared_ptr<Model> model;
    std::string modelId;  ///< modelIdentity() of the folder
    std::string maskHash; ///< fingerprint of S's positions; empty for dense-zo and zero-shot on a float model
    ParameterSet values;  ///< S (sparse methods) or every weight (dense-zo); empty for zero-shot
    model::Llama& llama() const { return model->impl().llama; }
};

/// `trainable` loads autograd-capable tensors (first-order training).
TunedModel prepareTunedModel(const FinetuneOptions& options, bool trainable, EventSink* sink, std::stop_token stop);

/// Writes the model in memory as a Hugging Face folder (config.json without
/// quantization, tokenizer files, model.safetensors in BF16 or F32) into `dir`.
void writeDenseModel(const TunedModel& tuned, const std::filesystem::path& dir, const std::string& dtype);
/// Writes a ZeroLens 4-bit folder (the Q of the model and its current S).
void writeQuantizedModel(const TunedModel& tuned, const std::filesystem::path& dir);

} // namespace zl::tune
