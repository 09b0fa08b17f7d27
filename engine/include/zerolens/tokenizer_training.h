// Training a byte-level BPE tokenizer (GPT-2 / Llama 3 style) from text and
// writing it as a Hugging Face tokenizer.json that zl::Tokenizer loads.
#pragma once

#include "zerolens/events.h"

#include <filesystem>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace zl {

struct BpeTrainingOptions {
    int vocabSize = 4096;                                  ///< 256 byte tokens + merges + special tokens
    std::int64_t minFrequency = 2;                         ///< pairs seen fewer times are never merged
    std::vector<std::string> specialTokens{"<s>", "</s>"}; ///< first is BOS (added by the template), second EOS
};

/// Learns merges from `corpus` (UTF-8) and returns tokenizer.json text.
/// Progress counts merges; throws Cancelled on a stop request and
/// InvalidArgument for a vocabulary too small to hold the bytes and specials.
std::string trainByteLevelBpe(std::string_view corpus, const BpeTrainingOptions& options, EventSink* sink = nullptr,
                              std::stop_token stop = {});

} // namespace zl
