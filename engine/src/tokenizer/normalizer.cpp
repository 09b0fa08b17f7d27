#include "tokenizer/normalizer.h"

#include "io/json_file.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace zl::tok {

namespace {

using nlohmann::json;

class SequenceNormalizer final : public Normalizer {
public:
    std::vector<std::unique_ptr<Normalizer>> parts;
    std::string apply(std::string s) const override
    {
        for (const auto& p : parts)
            s = p->apply(std::move(s));
        return s;
    }
};

class PrependNormalizer final : public Normalizer {
public:
    std::string prefix;
    std::string apply(std::string s) const override { return s.empty() ? s : prefix + s; }
};

class ReplaceNormalizer final : public Normalizer {
public:
    std::string literal;
    std::unique_ptr<Regex> regex;
    std::string content;
    std::string apply(std::string s) const override
    {
        std::string out;
        std::size_t last = 0;
        if (regex) {
            for (const auto& [b, e] : regex->findAll(s)) {
                out.append(s, last, b - last);
                out += content;
                last = e;
            }
        } else if (!literal.empty()) {
            for (std::size_t pos = s.find(literal); pos != std::string::npos; pos = s.find(literal, last)) {
                out.append(s, last, pos - last);
                out += content;
                last = pos + literal.size();
            }
        }
        out.append(s, last, std::string::npos);
        return out;
    }
};

class UnicodeNormalizer final : public Normalizer {
public:
    NormalForm form = NormalForm::NFC;
    std::string apply(std::string s) const override { return normalize(s, form); }
};

class LowercaseNormalizer final : public Normalizer {
public:
    std::string apply(std::string s) const override { return lowercase(s); }
};

class StripNormalizer final : public Normalizer {
public:
    bool left = true;
    bool right = true;
    std::string apply(std::string s) const override
    {
        const char* ws = " \t\n\r\f\v";
        if (right) {
            const auto e = s.find_last_not_of(ws);
            s.erase(e == std::string::npos ? 0 : e + 1);
        }
        if (left)
            s.erase(0, s.find_first_not_of(ws) == std::string::npos ? s.size() : s.find_first_not_of(ws));
        return s;
    }
};

} // namespace

std::unique_ptr<Normalizer> Normalizer::fromJson(const json& j, const std::string& origin)
{
    if (j.is_null())
        return nullptr;
    const std::string where = origin + ": normalizer";
    if (!j.is_object())
        throw FormatError(where + " must be an object, found " + io::describeJson(j));
    const std::string type = io::stringMember(j, "type", std::string(), where);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequenceNormalizer>();
        if (const json* parts = io::findMember(j, "normalizers")) {
            if (!parts->is_array())
                throw FormatError(where + ": \"normalizers\" must be an array, found " + io::describeJson(*parts));
            for (const auto& part : *parts)
                if (auto p = fromJson(part, origin))
                    seq->parts.push_back(std::move(p));
        }
        return seq;
    }
    if (type == "Prepend") {
        auto p = std::make_unique<PrependNormalizer>();
        p->prefix = io::stringMember(j, "prepend", std::string(), where);
        return p;
    }
    if (type == "Replace") {
        auto r = std::make_unique<ReplaceNormalizer>();
        const json* pat = io::findMember(j, "pattern");
        if (pat && !pat->is_object())
            throw FormatError(where + ": \"pattern\" must be {\"Regex\": …} or {\"String\": …}, found " +
                              io::describeJson(*pat));
        if (pat && pat->contains("Regex"))
            r->regex =
                std::make_unique<Regex>(io::stringMember(*pat, "Regex", std::string(), where + ".pattern"), origin);
        else if (pat)
            r->literal = io::stringMember(*pat, "String", std::string(), where + ".pattern");
        r->content = io::stringMember(j, "content", std::string(), where);
        return r;
    }
    if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
        auto u = std::make_unique<UnicodeNormalizer>();
        u->form = type == "NFC"    ? NormalForm::NFC
                  : type == "NFD"  ? NormalForm::NFD
                  : type == "NFKC" ? NormalForm::NFKC
                                   : NormalForm::NFKD;
        return u;
    }
    if (type == "Lowercase")
        return std::make_unique<LowercaseNormalizer>();
    if (type == "Strip") {
        auto s = std::make_unique<StripNormalizer>();
        s->left = io::boolMember(j, "strip_left", true, where);
        s->right = io::boolMember(j, "strip_right", true, where);
        return s;
    }
    throw FormatError(where + " type \"" + type + "\" is not supported");
}

} // namespace zl::tok
