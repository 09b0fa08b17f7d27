// Hugging Face decoders: ByteLevel, Metaspace, Replace, ByteFallback, Fuse,
// Strip and Sequence. They turn vocabulary strings back into text.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace zl::tok {

class Decoder {
public:
    virtual ~Decoder() = default;
    /// Transforms the token strings (the tokenizers crate's decode_chain).
    virtual std::vector<std::string> apply(std::vector<std::string> tokens) const = 0;

    /// Null json gives nullptr (tokens are concatenated). Throws FormatError
    /// for unsupported types.
    static std::unique_ptr<Decoder> fromJson(const nlohmann::json& j, const std::string& origin);
};

} // namespace zl::tok
