// Hugging Face tokenizer normalizers: Sequence, Prepend, Replace, NFC/NFD/NFKC/
// NFKD, Lowercase, Strip. Built from the "normalizer" object of tokenizer.json.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>

namespace zl::tok {

class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual std::string apply(std::string s) const = 0;

    /// Null json gives nullptr (no normalization). Throws FormatError for an
    /// unsupported type, naming `origin`.
    static std::unique_ptr<Normalizer> fromJson(const nlohmann::json& j, const std::string& origin);
};

} // namespace zl::tok
