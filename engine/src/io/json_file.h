// The one way the engine reads JSON that a user supplied (config.json,
// tokenizer.json, tokenizer_config.json, safetensors headers and indexes,
// architecture files): bounded in size and nesting, with every failure a
// FormatError that names the file.
//
// nlohmann::json parses iteratively but copies, compares and dumps values
// recursively, so a value nested 100k levels deep overflows the stack long
// after parsing succeeded. Nesting is therefore bounded by a linear scan of the
// text before nlohmann sees it; values that passed it are safe to copy and dump.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace zl::io {

/// Deepest nesting of arrays and objects accepted. Hugging Face files use fewer
/// than 10 levels; a tokenizer with nested Sequence steps a few more.
inline constexpr std::size_t kMaxJsonDepth = 128;
/// Size limit of small JSON files: config.json, tokenizer_config.json, indexes,
/// architecture files (real ones are kilobytes).
inline constexpr std::uint64_t kMaxSmallJsonBytes = 16ull << 20;
/// Size limit of tokenizer.json (the largest real ones, 256k-token vocabularies, are about 35 MiB).
inline constexpr std::uint64_t kMaxTokenizerJsonBytes = 256ull << 20;

struct JsonParseOptions {
    std::size_t maxDepth = kMaxJsonDepth;
    /// Refuse an object that names the same key twice (nlohmann would keep the last one).
    bool rejectDuplicateKeys = false;
};

/// Throws FormatError naming `origin` and the line if `text` nests arrays and
/// objects deeper than `maxDepth`. Linear, no recursion; strings are skipped.
void checkJsonDepth(std::string_view text, const std::string& origin, std::size_t maxDepth = kMaxJsonDepth);

/// Parses `text` after checkJsonDepth. Throws FormatError naming `origin`, the
/// line and column and what the parser expected; never a nlohmann exception.
nlohmann::json parseJson(std::string_view text, const std::string& origin, const JsonParseOptions& options = {});

/// Reads and parses a JSON file. Refuses, with a FormatError naming the file:
/// a missing or unreadable file, anything but a regular file (a FIFO is refused
/// without blocking), a file over `maxBytes`, invalid or too deeply nested JSON.
nlohmann::json readJsonFile(const std::filesystem::path& file, std::uint64_t maxBytes,
                            const JsonParseOptions& options = {});

/// A short description of a value for messages, e.g. `the string "abc"`,
/// `the number 3.5`, `an object`; never the whole dump of a user's value.
std::string describeJson(const nlohmann::json& value);

/// The member `key` of `object`, or nullptr when `object` is not an object, or
/// has no such key, or its value is null. Never copies.
const nlohmann::json* findMember(const nlohmann::json& object, std::string_view key);

/// Typed members with a fallback for an absent (or null) key; a present value of
/// the wrong type or out of range throws FormatError
/// "`where`: \"key\" must be …, found …".
std::string stringMember(const nlohmann::json& object, std::string_view key, const std::string& fallback,
                         const std::string& where);
bool boolMember(const nlohmann::json& object, std::string_view key, bool fallback, const std::string& where);
std::int64_t integerMember(const nlohmann::json& object, std::string_view key, std::int64_t fallback, std::int64_t lo,
                           std::int64_t hi, const std::string& where);
/// An integer value (not a member) in [lo, hi]; `what` names it in the message.
std::int64_t integerValue(const nlohmann::json& value, std::int64_t lo, std::int64_t hi, const std::string& what);

} // namespace zl::io
