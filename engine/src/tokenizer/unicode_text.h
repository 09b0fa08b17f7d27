// UTF-8 helpers shared by the tokenizer stages: code point iteration,
// validation, the GPT-2 byte-to-unicode table and Unicode normalization.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zl::tok {

/// Splits valid UTF-8 into its characters (each a 1-4 byte string).
std::vector<std::string> utf8Chars(std::string_view s);
/// Byte offset of the first invalid UTF-8 sequence, or npos when valid.
std::size_t firstInvalidUtf8(std::string_view s);
/// Replaces invalid UTF-8 sequences byte by byte with U+FFFD (Rust's from_utf8_lossy).
std::string utf8Lossy(std::string_view bytes);
/// Encodes one code point.
std::string utf8Encode(char32_t cp);
/// Length of the complete-UTF-8 prefix of s (an unfinished trailing sequence excluded).
std::size_t completeUtf8Prefix(std::string_view s);

/// GPT-2's reversible map from bytes to printable characters (as UTF-8 strings).
const std::array<std::string, 256>& byteToUnicode();
/// Inverse of byteToUnicode: code point → byte, -1 when not in the table.
int unicodeToByte(char32_t cp);
/// Decodes the code points of valid UTF-8.
std::vector<char32_t> codePoints(std::string_view s);

enum class NormalForm { NFC, NFD, NFKC, NFKD };
std::string normalize(std::string_view s, NormalForm form);
std::string lowercase(std::string_view s);

} // namespace zl::tok
