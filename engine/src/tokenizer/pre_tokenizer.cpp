#include "tokenizer/pre_tokenizer.h"

#include "io/json_file.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

namespace zl::tok {

const char* const kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

using nlohmann::json;
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

enum class Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };

Behavior behaviorFrom(const std::string& name, const std::string& origin)
{
    if (name == "Isolated")
        return Behavior::Isolated;
    if (name == "Removed")
        return Behavior::Removed;
    if (name == "MergedWithPrevious")
        return Behavior::MergedWithPrevious;
    if (name == "MergedWithNext")
        return Behavior::MergedWithNext;
    if (name == "Contiguous")
        return Behavior::Contiguous;
    throw FormatError(origin + ": split behavior \"" + name + "\" is not supported");
}

// Splits one piece at the delimiter ranges `matches`, following the tokenizers
// crate's SplitDelimiterBehavior.
std::vector<Piece> splitPiece(const Piece& piece, const Ranges& matches, Behavior behavior)
{
    const std::string& s = piece.text;
    // Tag each span as delimiter or not, covering the whole string.
    std::vector<std::pair<std::pair<std::size_t, std::size_t>, bool>> spans;
    std::size_t last = 0;
    for (const auto& [b, e] : matches) {
        if (b > last)
            spans.push_back({{last, b}, false});
        spans.push_back({{b, e}, true});
        last = e;
    }
    if (last < s.size())
        spans.push_back({{last, s.size()}, false});

    std::vector<std::pair<std::size_t, std::size_t>> out;
    switch (behavior) {
    case Behavior::Isolated:
        for (const auto& [r, d] : spans)
            out.push_back(r);
        break;
    case Behavior::Removed:
        for (const auto& [r, d] : spans)
            if (!d)
                out.push_back(r);
        break;
    case Behavior::MergedWithPrevious: {
        bool prevWasGap = false;
        for (const auto& [r, d] : spans) {
            if (d && prevWasGap && !out.empty())
                out.back().second = r.second;
            else
                out.push_back(r);
            prevWasGap = !d;
        }
        break;
    }
    case Behavior::MergedWithNext: {
        bool prevWasDelim = false;
        for (const auto& [r, d] : spans) {
            if (!d && prevWasDelim && !out.empty())
                out.back().second = r.second;
            else
                out.push_back(r);
            prevWasDelim = d;
        }
        break;
    }
    case Behavior::Contiguous: {
        bool prevWasDelim = false;
        for (const auto& [r, d] : spans) {
            if (d && prevWasDelim && !out.empty())
                out.back().second = r.second;
            else
                out.push_back(r);
            prevWasDelim = d;
        }
        break;
    }
    }
    std::vector<Piece> pieces;
    for (const auto& [b, e] : out)
        if (e > b)
            pieces.push_back({s.substr(b, e - b), piece.atStart && b == 0});
    return pieces;
}

Ranges invert(const Ranges& matches, std::size_t size)
{
    Ranges out;
    std::size_t last = 0;
    for (const auto& [b, e] : matches) {
        if (b > last)
            out.emplace_back(last, b);
        last = e;
    }
    if (last < size)
        out.emplace_back(last, size);
    return out;
}

Ranges literalMatches(const std::string& s, const std::string& lit)
{
    Ranges out;
    if (lit.empty())
        return out;
    for (auto pos = s.find(lit); pos != std::string::npos; pos = s.find(lit, pos + lit.size()))
        out.emplace_back(pos, pos + lit.size());
    return out;
}

class SequencePre final : public PreTokenizer {
public:
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    std::vector<Piece> apply(std::vector<Piece> pieces) const override
    {
        for (const auto& p : parts)
            pieces = p->apply(std::move(pieces));
        return pieces;
    }
};

class SplitPre final : public PreTokenizer {
public:
    std::unique_ptr<Regex> regex;
    std::string literal;
    Behavior behavior = Behavior::Isolated;
    bool invertMatches = false;
    std::vector<Piece> apply(std::vector<Piece> pieces) const override
    {
        std::vector<Piece> out;
        for (const auto& p : pieces) {
            Ranges m = regex ? regex->findAll(p.text) : literalMatches(p.text, literal);
            if (invertMatches)
                m = invert(m, p.text.size());
            for (auto& q : splitPiece(p, m, behavior))
                out.push_back(std::move(q));
        }
        return out;
    }
};

class ByteLevelPre final : public PreTokenizer {
public:
    bool addPrefixSpace = false;
    std::unique_ptr<Regex> regex; // null when use_regex is false
    std::vector<Piece> apply(std::vector<Piece> pieces) const override
    {
        const auto& table = byteToUnicode();
        std::vector<Piece> out;
        for (auto& p : pieces) {
            if (addPrefixSpace && (p.text.empty() || p.text[0] != ' '))
                p.text.insert(0, 1, ' ');
            std::vector<Piece> split =
                regex ? splitPiece(p, regex->findAll(p.text), Behavior::Isolated) : std::vector<Piece>{p};
            for (auto& q : split) {
                std::string mapped;
                mapped.reserve(q.text.size() * 2);
                for (unsigned char c : q.text)
                    mapped += table[c];
                out.push_back({std::move(mapped), q.atStart});
            }
        }
        return out;
    }
};

class MetaspacePre final : public PreTokenizer {
public:
    std::string replacement = "\xE2\x96\x81"; // ▁
    enum class Prepend { Always, First, Never } prepend = Prepend::Always;
    bool split = true;
    std::vector<Piece> apply(std::vector<Piece> pieces) const override
    {
        std::vector<Piece> out;
        for (auto& p : pieces) {
            std::string s;
            for (char c : p.text)
                if (c == ' ')
                    s += replacement;
                else
                    s += c;
            const bool startsWithRep = s.compare(0, replacement.size(), replacement) == 0;
            if (!startsWithRep && (prepend == Prepend::Always || (prepend == Prepend::First && p.atStart)))
                s.insert(0, replacement);
            Piece q{std::move(s), p.atStart};
            if (split) {
                for (auto& r : splitPiece(q, literalMatches(q.text, replacement), Behavior::MergedWithNext))
                    out.push_back(std::move(r));
            } else {
                out.push_back(std::move(q));
            }
        }
        return out;
    }
};

class RegexKeepPre final : public PreTokenizer {
public:
    std::unique_ptr<Regex> regex;
    Behavior behavior = Behavior::Isolated;
    bool keepMatchesOnly = false;
    std::vector<Piece> apply(std::vector<Piece> pieces) const override
    {
        std::vector<Piece> out;
        for (const auto& p : pieces) {
            auto m = regex->findAll(p.text);
            if (keepMatchesOnly)
                m = invert(m, p.text.size()); // the gaps become the delimiters to remove
            for (auto& q : splitPiece(p, m, keepMatchesOnly ? Behavior::Removed : behavior))
                out.push_back(std::move(q));
        }
        return out;
    }
};

} // namespace

std::unique_ptr<PreTokenizer> PreTokenizer::fromJson(const json& j, const std::string& origin)
{
    if (j.is_null())
        return nullptr;
    const std::string where = origin + ": pre_tokenizer";
    if (!j.is_object())
        throw FormatError(where + " must be an object, found " + io::describeJson(j));
    // Members are read in place (findMember), never copied: a copy of a nested
    // Sequence per level made deep nesting quadratic.
    const std::string type = io::stringMember(j, "type", std::string(), where);
    if (type == "Sequence") {
        auto seq = std::make_unique<SequencePre>();
        if (const json* parts = io::findMember(j, "pretokenizers")) {
            if (!parts->is_array())
                throw FormatError(where + ": \"pretokenizers\" must be an array, found " + io::describeJson(*parts));
            for (const auto& part : *parts)
                if (auto p = fromJson(part, origin))
                    seq->parts.push_back(std::move(p));
        }
        return seq;
    }
    if (type == "Split") {
        auto s = std::make_unique<SplitPre>();
        const json* pat = io::findMember(j, "pattern");
        if (pat && !pat->is_object())
            throw FormatError(where + ": \"pattern\" must be {\"Regex\": …} or {\"String\": …}, found " +
                              io::describeJson(*pat));
        if (pat && pat->contains("Regex"))
            s->regex =
                std::make_unique<Regex>(io::stringMember(*pat, "Regex", std::string(), where + ".pattern"), origin);
        else if (pat)
            s->literal = io::stringMember(*pat, "String", std::string(), where + ".pattern");
        s->behavior = behaviorFrom(io::stringMember(j, "behavior", "Isolated", where), origin);
        s->invertMatches = io::boolMember(j, "invert", false, where);
        return s;
    }
    if (type == "ByteLevel") {
        auto b = std::make_unique<ByteLevelPre>();
        b->addPrefixSpace = io::boolMember(j, "add_prefix_space", true, where);
        if (io::boolMember(j, "use_regex", true, where))
            b->regex = std::make_unique<Regex>(kGpt2Pattern, origin);
        return b;
    }
    if (type == "Metaspace") {
        auto m = std::make_unique<MetaspacePre>();
        m->replacement = io::stringMember(j, "replacement", m->replacement, where);
        if (io::findMember(j, "prepend_scheme")) {
            const auto scheme = io::stringMember(j, "prepend_scheme", "always", where);
            m->prepend = scheme == "first"   ? MetaspacePre::Prepend::First
                         : scheme == "never" ? MetaspacePre::Prepend::Never
                                             : MetaspacePre::Prepend::Always;
        } else {
            m->prepend = io::boolMember(j, "add_prefix_space", true, where) ? MetaspacePre::Prepend::Always
                                                                            : MetaspacePre::Prepend::Never;
        }
        m->split = io::boolMember(j, "split", true, where);
        return m;
    }
    if (type == "Digits") {
        auto d = std::make_unique<RegexKeepPre>();
        d->regex = std::make_unique<Regex>(
            io::boolMember(j, "individual_digits", false, where) ? R"(\p{N})" : R"(\p{N}+)", origin);
        d->behavior = Behavior::Isolated;
        return d;
    }
    if (type == "Whitespace") {
        auto w = std::make_unique<RegexKeepPre>();
        w->regex = std::make_unique<Regex>(R"(\w+|[^\w\s]+)", origin);
        w->keepMatchesOnly = true;
        return w;
    }
    if (type == "WhitespaceSplit") {
        auto w = std::make_unique<RegexKeepPre>();
        w->regex = std::make_unique<Regex>(R"(\S+)", origin);
        w->keepMatchesOnly = true;
        return w;
    }
    throw FormatError(where + " type \"" + type + "\" is not supported");
}

} // namespace zl::tok
