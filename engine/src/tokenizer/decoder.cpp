#include "tokenizer/decoder.h"

#include "io/json_file.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace zl::tok {

namespace {

using nlohmann::json;

std::string replaceAll(const std::string& s, const std::string& from, const std::string& to)
{
    if (from.empty())
        return s;
    std::string out;
    std::size_t last = 0;
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, last)) {
        out.append(s, last, pos - last);
        out += to;
        last = pos + from.size();
    }
    out.append(s, last, std::string::npos);
    return out;
}

class SequenceDecoder final : public Decoder {
public:
    std::vector<std::unique_ptr<Decoder>> parts;
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        for (const auto& p : parts)
            tokens = p->apply(std::move(tokens));
        return tokens;
    }
};

class ByteLevelDecoder final : public Decoder {
public:
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        std::string bytes;
        for (const auto& t : tokens) {
            std::string tokenBytes;
            bool mapped = true;
            for (char32_t cp : codePoints(t)) {
                const int b = unicodeToByte(cp);
                if (b < 0) {
                    mapped = false;
                    break;
                }
                tokenBytes += static_cast<char>(b);
            }
            bytes += mapped ? tokenBytes : t;
        }
        return {utf8Lossy(bytes)};
    }
};

class ReplaceDecoder final : public Decoder {
public:
    std::string from, to;
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        for (auto& t : tokens)
            t = replaceAll(t, from, to);
        return tokens;
    }
};

std::optional<unsigned char> byteToken(const std::string& t)
{
    // "<0xAB>"
    if (t.size() != 6 || t.compare(0, 3, "<0x") != 0 || t[5] != '>')
        return std::nullopt;
    unsigned v = 0;
    for (int i = 3; i < 5; ++i) {
        const char c = t[static_cast<std::size_t>(i)];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= static_cast<unsigned>(c - '0');
        else if (c >= 'A' && c <= 'F')
            v |= static_cast<unsigned>(c - 'A' + 10);
        else
            return std::nullopt;
    }
    return static_cast<unsigned char>(v);
}

class ByteFallbackDecoder final : public Decoder {
public:
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        std::vector<std::string> out;
        std::string pending;
        std::size_t pendingCount = 0;
        auto flush = [&] {
            if (pendingCount == 0)
                return;
            if (firstInvalidUtf8(pending) == std::string::npos) {
                out.push_back(pending);
            } else {
                for (std::size_t i = 0; i < pendingCount; ++i)
                    out.emplace_back("\xEF\xBF\xBD");
            }
            pending.clear();
            pendingCount = 0;
        };
        for (auto& t : tokens) {
            if (const auto b = byteToken(t)) {
                pending += static_cast<char>(*b);
                ++pendingCount;
            } else {
                flush();
                out.push_back(std::move(t));
            }
        }
        flush();
        return out;
    }
};

class FuseDecoder final : public Decoder {
public:
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        std::string all;
        for (const auto& t : tokens)
            all += t;
        return {all};
    }
};

class StripDecoder final : public Decoder {
public:
    std::string content = " ";
    std::size_t start = 0, stop = 0;
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        for (auto& t : tokens) {
            auto chars = utf8Chars(t);
            std::size_t b = 0;
            while (b < start && b < chars.size() && chars[b] == content)
                ++b;
            std::size_t e = chars.size();
            std::size_t removed = 0;
            while (removed < stop && e > b && chars[e - 1] == content) {
                --e;
                ++removed;
            }
            std::string r;
            for (std::size_t i = b; i < e; ++i)
                r += chars[i];
            t = std::move(r);
        }
        return tokens;
    }
};

class MetaspaceDecoder final : public Decoder {
public:
    std::string replacement = "\xE2\x96\x81";
    bool stripFirst = true;
    std::vector<std::string> apply(std::vector<std::string> tokens) const override
    {
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = replaceAll(tokens[i], replacement, " ");
            if (i == 0 && stripFirst && !tokens[i].empty() && tokens[i][0] == ' ')
                tokens[i].erase(0, 1);
        }
        return tokens;
    }
};

} // namespace

std::unique_ptr<Decoder> Decoder::fromJson(const json& j, const std::string& origin)
{
    if (j.is_null())
        return nullptr;
    const std::string where = origin + ": decoder";
    if (!j.is_object())
        throw FormatError(where + " must be an object, found " + io::describeJson(j));
    const std::string type = io::stringMember(j, "type", std::string(), where);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceDecoder>();
        if (const json* parts = io::findMember(j, "decoders")) {
            if (!parts->is_array())
                throw FormatError(where + ": \"decoders\" must be an array, found " + io::describeJson(*parts));
            for (const auto& part : *parts)
                if (auto p = fromJson(part, origin))
                    seq->parts.push_back(std::move(p));
        }
        return seq;
    }
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelDecoder>();
    if (type == "Replace") {
        auto r = std::make_unique<ReplaceDecoder>();
        const json* pat = io::findMember(j, "pattern");
        if (!pat || !io::findMember(*pat, "String"))
            throw FormatError(where + ": Replace decoder supports only String patterns");
        r->from = io::stringMember(*pat, "String", std::string(), where + ".pattern");
        r->to = io::stringMember(j, "content", std::string(), where);
        return r;
    }
    if (type == "ByteFallback")
        return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse")
        return std::make_unique<FuseDecoder>();
    if (type == "Strip") {
        auto s = std::make_unique<StripDecoder>();
        s->content = io::stringMember(j, "content", " ", where);
        s->start = static_cast<std::size_t>(io::integerMember(j, "start", 0, 0, 1 << 20, where));
        s->stop = static_cast<std::size_t>(io::integerMember(j, "stop", 0, 0, 1 << 20, where));
        return s;
    }
    if (type == "Metaspace") {
        auto m = std::make_unique<MetaspaceDecoder>();
        m->replacement = io::stringMember(j, "replacement", m->replacement, where);
        if (io::findMember(j, "prepend_scheme"))
            m->stripFirst = io::stringMember(j, "prepend_scheme", "always", where) != "never";
        else
            m->stripFirst = io::boolMember(j, "add_prefix_space", true, where);
        return m;
    }
    throw FormatError(where + " type \"" + type + "\" is not supported");
}

} // namespace zl::tok
