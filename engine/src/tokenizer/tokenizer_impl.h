// The interface behind zl::Tokenizer, implemented by the tokenizer.json
// pipeline (hf_tokenizer.cpp); tokenizer.model files are converted into that
// pipeline (sentencepiece_model.cpp).
#pragma once

#include "zerolens/tokenizer.h"

#include <nlohmann/json_fwd.hpp>

namespace zl {

class Tokenizer::Impl {
public:
    virtual ~Impl() = default;
    virtual std::vector<std::int32_t> encode(std::string_view text, bool addSpecialTokens) const = 0;
    virtual std::string decode(std::span<const std::int32_t> ids, bool skipSpecialTokens) const = 0;
    virtual std::int64_t vocabSize() const = 0;
    virtual std::optional<std::int32_t> bosId() const = 0;
    virtual std::optional<std::int32_t> eosId() const = 0;
    virtual bool isSpecial(std::int32_t id) const = 0;
    virtual std::string token(std::int32_t id) const = 0;
    virtual std::string description() const = 0;
};

namespace tok {
std::unique_ptr<Tokenizer::Impl> loadHfTokenizer(const std::filesystem::path& tokenizerJson);
/// Builds the pipeline from parsed tokenizer.json content; `dir` is searched for
/// tokenizer_config.json; `source` names the file kind in description().
std::unique_ptr<Tokenizer::Impl> loadHfTokenizer(const nlohmann::json& tokenizerJson, const std::string& origin,
                                                 const std::filesystem::path& dir, const std::string& source);
/// Converts a SentencePiece BPE tokenizer.model, as transformers' LlamaConverter does.
std::unique_ptr<Tokenizer::Impl> loadSentencePieceModel(const std::filesystem::path& tokenizerModel);
} // namespace tok

} // namespace zl
