// tokenizer.json: added tokens → normalizer → pre-tokenizer → BPE → post-processor,
// in the order and with the semantics of the Hugging Face tokenizers crate.
#include "io/json_file.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/decoder.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/tokenizer_impl.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <set>

namespace zl::tok {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Token ids must fit the int32 ids of the pipeline; no real vocabulary comes near.
constexpr std::int64_t kMaxTokenId = 1 << 24;

struct AddedToken {
    std::string content;
    std::int32_t id = 0;
    bool special = false;
    bool normalized = false;
    bool lstrip = false;
    bool rstrip = false;
    bool singleWord = false;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool isWordByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || u >= 0x80;
}

// A segment of input: either an added token's id, or text still to be tokenized.
struct Segment {
    std::string text;
    std::int32_t addedId = -1;
    bool atStart = false;
};

// Finds added tokens in text (leftmost, then longest) and splits around them.
class AddedMatcher {
public:
    void add(const AddedToken* t)
    {
        if (!t->content.empty())
            m_byFirst[static_cast<unsigned char>(t->content[0])].push_back(t);
    }
    void finish()
    {
        for (auto& [c, v] : m_byFirst)
            std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->content.size() > b->content.size(); });
    }
    bool empty() const { return m_byFirst.empty(); }

    std::vector<Segment> split(const Segment& in) const
    {
        std::vector<Segment> out;
        const std::string& s = in.text;
        std::size_t segStart = 0;
        std::size_t i = 0;
        while (i < s.size()) {
            const AddedToken* hit = nullptr;
            const auto it = m_byFirst.find(static_cast<unsigned char>(s[i]));
            if (it != m_byFirst.end())
                for (const auto* t : it->second)
                    if (s.compare(i, t->content.size(), t->content) == 0 && wordOk(*t, s, i)) {
                        hit = t;
                        break;
                    }
            if (!hit) {
                ++i;
                continue;
            }
            std::size_t b = i;
            std::size_t e = i + hit->content.size();
            if (hit->lstrip)
                while (b > segStart && isSpace(s[b - 1]))
                    --b;
            if (hit->rstrip)
                while (e < s.size() && isSpace(s[e]))
                    ++e;
            if (b > segStart)
                out.push_back({s.substr(segStart, b - segStart), -1, in.atStart && segStart == 0});
            out.push_back({std::string(), hit->id, false});
            segStart = i = e;
        }
        if (segStart < s.size())
            out.push_back({s.substr(segStart), -1, in.atStart && segStart == 0});
        return out;
    }

private:
    static bool wordOk(const AddedToken& t, const std::string& s, std::size_t i)
    {
        if (!t.singleWord)
            return true;
        const std::size_t e = i + t.content.size();
        return (i == 0 || !isWordByte(s[i - 1])) && (e >= s.size() || !isWordByte(s[e]));
    }
    std::map<unsigned char, std::vector<const AddedToken*>> m_byFirst;
};

class HfTokenizer final : public Tokenizer::Impl {
public:
    HfTokenizer(const json& j, const std::string& origin, const std::filesystem::path& dir, const std::string& source);

    std::vector<std::int32_t> encode(std::string_view text, bool addSpecialTokens) const override;
    std::string decode(std::span<const std::int32_t> ids, bool skipSpecialTokens) const override;
    std::int64_t vocabSize() const override { return m_vocabSize; }
    std::optional<std::int32_t> bosId() const override { return m_bos; }
    std::optional<std::int32_t> eosId() const override { return m_eos; }
    bool isSpecial(std::int32_t id) const override { return m_specialIds.count(id) > 0; }
    std::string token(std::int32_t id) const override
    {
        const auto it = m_addedById.find(id);
        return it != m_addedById.end() ? it->second->content : m_model->token(id);
    }
    std::string description() const override { return m_description; }

private:
    void readPostProcessor(const json& j);
    void readSpecialNames(const std::filesystem::path& dir);
    std::int32_t idOfToken(const std::string& content) const;

    std::string m_origin;
    std::vector<AddedToken> m_added;
    std::map<std::int32_t, const AddedToken*> m_addedById;
    AddedMatcher m_rawMatcher;        // added tokens with normalized == false
    AddedMatcher m_normalizedMatcher; // added tokens with normalized == true
    std::set<std::int32_t> m_specialIds;
    std::unique_ptr<Normalizer> m_normalizer;
    std::unique_ptr<PreTokenizer> m_preTokenizer;
    std::unique_ptr<BpeModel> m_model;
    std::unique_ptr<Decoder> m_decoder;
    std::vector<std::int32_t> m_prefix, m_suffix; // post-processor, single sequence
    std::optional<std::int32_t> m_bos, m_eos;
    std::int64_t m_vocabSize = 0;
    std::string m_description;
};

HfTokenizer::HfTokenizer(const json& j, const std::string& origin, const std::filesystem::path& dir,
                         const std::string& source)
    : m_origin(origin)
{
    if (!j.is_object() || !j.contains("model"))
        throw FormatError(m_origin + ": expected a tokenizer.json object with a \"model\"");
    // Members are read in place (findMember), never copied with j.value(key, json()):
    // copies are recursive.
    static const json kNull;
    const auto member = [&](const char* key) -> const json& {
        const json* v = io::findMember(j, key);
        return v ? *v : kNull;
    };
    m_model = std::make_unique<BpeModel>(j["model"], m_origin);
    m_normalizer = Normalizer::fromJson(member("normalizer"), m_origin);
    m_preTokenizer = PreTokenizer::fromJson(member("pre_tokenizer"), m_origin);
    m_decoder = Decoder::fromJson(member("decoder"), m_origin);
    if (const json* added = io::findMember(j, "added_tokens")) {
        if (!added->is_array())
            throw FormatError(m_origin + ": \"added_tokens\" must be an array, found " + io::describeJson(*added));
        std::size_t index = 0;
        for (const auto& a : *added) {
            const std::string where = m_origin + ": added_tokens[" + std::to_string(index++) + "]";
            if (!a.is_object() || !io::findMember(a, "content") || !io::findMember(a, "id"))
                throw FormatError(where + " must be an object with \"content\" and \"id\"");
            AddedToken t;
            t.content = io::stringMember(a, "content", std::string(), where);
            // Range-checked before narrowing: 2^32 + 5 must not become 5 and replace a byte token.
            t.id = static_cast<std::int32_t>(
                io::integerValue(a["id"], 0, kMaxTokenId, where + " (\"" + t.content.substr(0, 40) + "\") id"));
            t.special = io::boolMember(a, "special", false, where);
            t.normalized = io::boolMember(a, "normalized", !t.special, where);
            t.lstrip = io::boolMember(a, "lstrip", false, where);
            t.rstrip = io::boolMember(a, "rstrip", false, where);
            t.singleWord = io::boolMember(a, "single_word", false, where);
            m_added.push_back(std::move(t));
        }
    }
    for (const auto& t : m_added) {
        m_addedById[t.id] = &t;
        (t.normalized ? m_normalizedMatcher : m_rawMatcher).add(&t);
        if (t.special)
            m_specialIds.insert(t.id);
    }
    m_rawMatcher.finish();
    m_normalizedMatcher.finish();
    m_vocabSize = m_model->vocabSize();
    for (const auto& t : m_added)
        m_vocabSize = std::max<std::int64_t>(m_vocabSize, t.id + 1);
    readPostProcessor(member("post_processor"));
    readSpecialNames(dir);

    const json& pre = member("pre_tokenizer");
    const bool byteLevel = !pre.is_null() && pre.dump().find("ByteLevel") != std::string::npos; // depth-bounded
    m_description = source + " (BPE, " +
                    (byteLevel                 ? "byte-level"
                     : m_model->byteFallback() ? "SentencePiece-style, byte fallback"
                                               : "SentencePiece-style") +
                    ")";
}

std::int32_t HfTokenizer::idOfToken(const std::string& content) const
{
    for (const auto& t : m_added)
        if (t.content == content)
            return t.id;
    return m_model->idOf(content);
}

void HfTokenizer::readPostProcessor(const json& j)
{
    if (j.is_null())
        return;
    const std::string where = m_origin + ": post_processor";
    if (!j.is_object())
        throw FormatError(where + " must be an object, found " + io::describeJson(j));
    const std::string type = io::stringMember(j, "type", std::string(), where);
    const auto array = [&](const char* key) -> const json& {
        static const json kEmpty = json::array();
        const json* v = io::findMember(j, key);
        if (v && !v->is_array())
            throw FormatError(where + ": \"" + key + "\" must be an array, found " + io::describeJson(*v));
        return v ? *v : kEmpty;
    };
    const auto tokenId = [&](const json& v, const std::string& what) {
        return static_cast<std::int32_t>(io::integerValue(v, 0, kMaxTokenId, where + ": " + what));
    };
    if (type == "Sequence") {
        for (const auto& p : array("processors"))
            readPostProcessor(p);
        return;
    }
    if (type == "ByteLevel")
        return; // only adjusts offsets
    if (type == "TemplateProcessing") {
        m_prefix.clear();
        m_suffix.clear();
        static const json kNoSpecials = json::object();
        const json* specialsPtr = io::findMember(j, "special_tokens");
        const json& specials = specialsPtr ? *specialsPtr : kNoSpecials;
        bool afterSequence = false;
        for (const auto& item : array("single")) {
            if (!item.is_object())
                throw FormatError(where + ": \"single\" entries must be objects, found " + io::describeJson(item));
            if (item.contains("Sequence")) {
                afterSequence = true;
                continue;
            }
            if (!item.contains("SpecialToken"))
                continue;
            const auto name = io::stringMember(item["SpecialToken"], "id", std::string(), where + ": SpecialToken");
            std::vector<std::int32_t> ids;
            const json* entry = io::findMember(specials, name);
            if (const json* listed = entry ? io::findMember(*entry, "ids") : nullptr) {
                if (!listed->is_array())
                    throw FormatError(where + ": special_tokens \"" + name.substr(0, 40) + "\" ids must be an array");
                for (const auto& id : *listed)
                    ids.push_back(tokenId(id, "special_tokens \"" + name.substr(0, 40) + "\" id"));
            } else if (const auto id = idOfToken(name); id >= 0) {
                ids = {id};
            } else {
                throw FormatError(where + " refers to unknown special token \"" + name.substr(0, 40) + "\"");
            }
            auto& target = afterSequence ? m_suffix : m_prefix;
            target.insert(target.end(), ids.begin(), ids.end());
        }
        return;
    }
    if (type == "RobertaProcessing" || type == "BertProcessing") {
        const json* cls = io::findMember(j, "cls");
        const json* sep = io::findMember(j, "sep");
        if (!cls || !sep || !cls->is_array() || !sep->is_array() || cls->size() != 2 || sep->size() != 2)
            throw FormatError(where + ": \"cls\" and \"sep\" must be [token, id]");
        m_prefix = {tokenId((*cls)[1], "cls id")};
        m_suffix = {tokenId((*sep)[1], "sep id")};
        return;
    }
    throw FormatError(where + " type \"" + type + "\" is not supported");
}

void HfTokenizer::readSpecialNames(const std::filesystem::path& dir)
{
    // tokenizer_config.json names BOS/EOS; without it, fall back to the
    // post-processor's prefix and to the usual names.
    const fs::path configFile = dir / "tokenizer_config.json";
    const std::string where = configFile.string();
    auto nameOf = [&](const json& v) -> std::string {
        if (v.is_string())
            return v.get<std::string>();
        if (v.is_object())
            return io::stringMember(v, "content", std::string(), where);
        return {};
    };
    std::string bosName, eosName;
    if (std::error_code ec; fs::exists(configFile, ec)) {
        const json cfg = io::readJsonFile(configFile, io::kMaxSmallJsonBytes);
        if (cfg.is_object()) {
            if (cfg.contains("bos_token"))
                bosName = nameOf(cfg["bos_token"]);
            if (cfg.contains("eos_token"))
                eosName = nameOf(cfg["eos_token"]);
        }
    }
    if (!bosName.empty() && idOfToken(bosName) >= 0)
        m_bos = idOfToken(bosName);
    else if (!m_prefix.empty())
        m_bos = m_prefix.front();
    else
        for (const char* n : {"<s>", "<|begin_of_text|>", "<bos>"})
            if (idOfToken(n) >= 0) {
                m_bos = idOfToken(n);
                break;
            }
    if (!eosName.empty() && idOfToken(eosName) >= 0)
        m_eos = idOfToken(eosName);
    else
        for (const char* n : {"</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>", "<|im_end|>"})
            if (idOfToken(n) >= 0) {
                m_eos = idOfToken(n);
                break;
            }
}

std::vector<std::int32_t> HfTokenizer::encode(std::string_view text, bool addSpecialTokens) const
{
    std::vector<std::int32_t> ids;
    if (addSpecialTokens)
        ids = m_prefix;
    std::vector<Segment> segments = m_rawMatcher.empty() ? std::vector<Segment>{{std::string(text), -1, true}}
                                                         : m_rawMatcher.split({std::string(text), -1, true});
    for (auto& seg : segments) {
        if (seg.addedId >= 0) {
            ids.push_back(seg.addedId);
            continue;
        }
        Segment normalized{m_normalizer ? m_normalizer->apply(seg.text) : seg.text, -1, seg.atStart};
        const auto parts =
            m_normalizedMatcher.empty() ? std::vector<Segment>{normalized} : m_normalizedMatcher.split(normalized);
        for (const auto& part : parts) {
            if (part.addedId >= 0) {
                ids.push_back(part.addedId);
                continue;
            }
            std::vector<Piece> pieces{{part.text, part.atStart}};
            if (m_preTokenizer)
                pieces = m_preTokenizer->apply(std::move(pieces));
            for (const auto& p : pieces)
                m_model->encodeWord(p.text, ids);
        }
    }
    if (addSpecialTokens)
        ids.insert(ids.end(), m_suffix.begin(), m_suffix.end());
    return ids;
}

std::string HfTokenizer::decode(std::span<const std::int32_t> ids, bool skipSpecialTokens) const
{
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (const auto id : ids) {
        if (skipSpecialTokens && m_specialIds.count(id))
            continue;
        const auto it = m_addedById.find(id);
        if (it != m_addedById.end()) {
            tokens.push_back(it->second->content);
            continue;
        }
        const auto& t = m_model->token(id);
        if (!t.empty())
            tokens.push_back(t);
    }
    if (!m_decoder) {
        std::string s;
        for (std::size_t i = 0; i < tokens.size(); ++i)
            s += (i ? " " : "") + tokens[i];
        return s;
    }
    std::string s;
    for (const auto& t : m_decoder->apply(std::move(tokens)))
        s += t;
    return s;
}

} // namespace

std::unique_ptr<Tokenizer::Impl> loadHfTokenizer(const std::filesystem::path& file)
{
    const json j = io::readJsonFile(file, io::kMaxTokenizerJsonBytes);
    return loadHfTokenizer(j, file.string(), file.parent_path(), "tokenizer.json");
}

std::unique_ptr<Tokenizer::Impl> loadHfTokenizer(const json& tokenizerJson, const std::string& origin,
                                                 const std::filesystem::path& dir, const std::string& source)
{
    try {
        return std::make_unique<HfTokenizer>(tokenizerJson, origin, dir, source);
    } catch (const json::exception& e) {
        // A structure the typed readers do not cover yet; still a FormatError naming the file.
        std::string what = e.what();
        if (what.size() > 200)
            what = what.substr(0, 200) + "…";
        throw FormatError(origin + ": unexpected structure: " + what);
    }
}

} // namespace zl::tok
