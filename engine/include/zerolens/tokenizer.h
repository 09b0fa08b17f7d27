// Tokenizers of Hugging Face checkpoints: tokenizer.json (BPE, byte-level or
// SentencePiece-style) and, when that is absent, a SentencePiece BPE tokenizer.model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zl {

class Tokenizer {
public:
    /// Loads tokenizer.json or tokenizer.model. Throws FormatError naming the file
    /// (and the key or piece) on a bad or unsupported file, including one that is
    /// not a regular file, over 256 MiB, or nested deeper than 128 levels.
    static Tokenizer fromFile(const std::filesystem::path& file);
    /// Loads the tokenizer of a model folder (tokenizer.json preferred).
    static Tokenizer fromModelDir(const std::filesystem::path& dir);

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

    /// Encodes UTF-8 text exactly as Hugging Face `tokenizer.encode` does. With
    /// addSpecialTokens the post-processor template (BOS/EOS) is applied. Throws
    /// InvalidArgument for text that is not UTF-8, and FormatError when a pattern
    /// of the tokenizer file backtracks catastrophically on this text (never a
    /// silent "no match").
    std::vector<std::int32_t> encode(std::string_view text, bool addSpecialTokens = true) const;
    /// Decodes ids as Hugging Face `tokenizer.decode` does. Invalid UTF-8 becomes U+FFFD.
    std::string decode(std::span<const std::int32_t> ids, bool skipSpecialTokens = false) const;

    std::int64_t vocabSize() const;
    std::optional<std::int32_t> bosId() const;
    std::optional<std::int32_t> eosId() const;
    bool isSpecial(std::int32_t id) const;
    /// The vocabulary string of an id ("" when out of range).
    std::string token(std::int32_t id) const;
    /// "tokenizer.json (BPE, byte-level)" and the like, for display.
    std::string description() const;

    class Impl;

private:
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zl
