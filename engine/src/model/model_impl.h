// What a zl::Model holds: the checkpoint's description, its tokenizer and the
// libtorch decoder with its weights on the chosen device.
#pragma once

#include "model/llama.h"
#include "zerolens/model.h"

namespace zl {

class Model::Impl {
public:
    Impl(CheckpointInfo checkpoint, std::shared_ptr<const Tokenizer> tok, model::Llama decoder)
        : info(std::move(checkpoint)), tokenizer(std::move(tok)), llama(std::move(decoder))
    {
    }

    /// Right-pads a batch into ids [B, T] and lengths [B] on the model's device.
    void pack(const std::vector<std::vector<std::int32_t>>& batch, at::Tensor& ids, at::Tensor& lengths) const;

    CheckpointInfo info;
    std::shared_ptr<const Tokenizer> tokenizer; ///< shared by copies of the model
    model::Llama llama;
    std::uint64_t weightBytes = 0;
};

} // namespace zl
