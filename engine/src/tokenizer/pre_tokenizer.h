// Hugging Face pre-tokenizers: Sequence, Split (regex or string), ByteLevel,
// Metaspace, Digits, Whitespace, WhitespaceSplit. They cut normalized text into
// the words that the BPE model encodes one by one.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace zl::tok {

/// A piece of text on its way to the model. atStart is true when the piece
/// begins at offset 0 of the original input (Metaspace's "first" scheme uses it).
struct Piece {
    std::string text;
    bool atStart = false;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual std::vector<Piece> apply(std::vector<Piece> pieces) const = 0;

    /// Null json gives nullptr. Throws FormatError for unsupported types.
    static std::unique_ptr<PreTokenizer> fromJson(const nlohmann::json& j, const std::string& origin);
};

/// The GPT-2 split pattern used by ByteLevel with use_regex.
extern const char* const kGpt2Pattern;

} // namespace zl::tok
