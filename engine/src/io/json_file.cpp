#include "io/json_file.h"

#include "io/text_file.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>
#include <vector>

namespace zl::io {

namespace {

using nlohmann::json;

// "line L, column C" of a byte offset, for messages.
std::string placeOf(std::string_view text, std::size_t byte)
{
    byte = std::min(byte, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < byte; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's message without its "[json.exception…] " prefix and its own
// position (we give ours), cut short: it may quote a long stretch of the input.
std::string parserReason(const std::string& what)
{
    std::string s = what;
    if (const auto close = s.find("] "); s.rfind("[json.exception", 0) == 0 && close != std::string::npos)
        s.erase(0, close + 2);
    if (const auto colon = s.find(": "); s.rfind("parse error at", 0) == 0 && colon != std::string::npos)
        s.erase(0, colon + 2);
    constexpr std::size_t kMax = 160;
    if (s.size() > kMax)
        s = s.substr(0, kMax) + "…";
    return s;
}

std::string shortText(const std::string& s)
{
    constexpr std::size_t kMax = 40;
    return s.size() <= kMax ? s : s.substr(0, kMax) + "…";
}

} // namespace

void checkJsonDepth(std::string_view text, const std::string& origin, std::size_t maxDepth)
{
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                throw FormatError(origin + ": JSON nested deeper than " + std::to_string(maxDepth) + " levels at " +
                                  placeOf(text, i) + "; no real file nests this deep");
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

json parseJson(std::string_view text, const std::string& origin, const JsonParseOptions& options)
{
    checkJsonDepth(text, origin, options.maxDepth);
    // The keys seen so far in each object being parsed, innermost last.
    std::vector<std::set<std::string>> openObjects;
    const json::parser_callback_t duplicates = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
            openObjects.emplace_back();
            break;
        case json::parse_event_t::object_end:
            if (!openObjects.empty())
                openObjects.pop_back();
            break;
        case json::parse_event_t::key:
            if (!openObjects.empty() && parsed.is_string() &&
                !openObjects.back().insert(parsed.get<std::string>()).second)
                throw FormatError(origin + ": the key \"" + shortText(parsed.get<std::string>()) +
                                  "\" appears twice in the same object; which one is meant is ambiguous");
            break;
        default:
            break;
        }
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), options.rejectDuplicateKeys ? duplicates : nullptr);
    } catch (const json::parse_error& e) {
        // nlohmann counts bytes from 1 and points just past the offending one.
        throw FormatError(origin + ": not valid JSON at " + placeOf(text, e.byte > 0 ? e.byte - 1 : 0) + ": " +
                          parserReason(e.what()));
    } catch (const json::exception& e) {
        throw FormatError(origin + ": not valid JSON: " + parserReason(e.what()));
    }
}

json readJsonFile(const std::filesystem::path& file, std::uint64_t maxBytes, const JsonParseOptions& options)
{
    std::string text;
    try {
        text = readTextFile(file, maxBytes);
    } catch (const InvalidArgument& e) {
        throw FormatError(e.what()); // a file the model needs, not an option the user typed
    }
    return parseJson(text, file.string(), options);
}

std::string describeJson(const json& value)
{
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case json::value_t::string:
        return "the string \"" + shortText(value.get<std::string>()) + "\"";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return "the number " + value.dump(); // a scalar: dump is short and not recursive
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    default:
        return "a value of another kind";
    }
}

const json* findMember(const json& object, std::string_view key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return nullptr;
    return &*it;
}

std::string stringMember(const json& object, std::string_view key, const std::string& fallback,
                         const std::string& where)
{
    const json* v = findMember(object, key);
    if (!v)
        return fallback;
    if (!v->is_string())
        throw FormatError(where + ": \"" + std::string(key) + "\" must be a string, found " + describeJson(*v));
    return v->get<std::string>();
}

bool boolMember(const json& object, std::string_view key, bool fallback, const std::string& where)
{
    const json* v = findMember(object, key);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        throw FormatError(where + ": \"" + std::string(key) + "\" must be true or false, found " + describeJson(*v));
    return v->get<bool>();
}

std::int64_t integerValue(const json& value, std::int64_t lo, std::int64_t hi, const std::string& what)
{
    const std::string range = " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (value.is_number_unsigned()) {
        // Read as unsigned first: get<std::int32_t>() of 2^32 + 5 would wrap to 5.
        const auto u = value.get<std::uint64_t>();
        if (hi < 0 || u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo)
            throw FormatError(what + " must be an integer" + range + ", found " + std::to_string(u));
        return static_cast<std::int64_t>(u);
    }
    if (value.is_number_integer()) {
        const auto x = value.get<std::int64_t>();
        if (x < lo || x > hi)
            throw FormatError(what + " must be an integer" + range + ", found " + std::to_string(x));
        return x;
    }
    throw FormatError(what + " must be an integer" + range + ", found " + describeJson(value));
}

std::int64_t integerMember(const json& object, std::string_view key, std::int64_t fallback, std::int64_t lo,
                           std::int64_t hi, const std::string& where)
{
    const json* v = findMember(object, key);
    if (!v)
        return fallback;
    return integerValue(*v, lo, hi, where + ": \"" + std::string(key) + "\"");
}

} // namespace zl::io
