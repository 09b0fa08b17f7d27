// tokenizer.json: added tokens → normalizer → pre-tokenizer → BPE → post-processor,
// in the order and with the semantics of the Hugging Face tokenizers crate.
#include "tokenizer/bpe_model.h"
#include "tokenizer/decoder.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/tokenizer_impl.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace zl::tok {

namespace {

using nlohmann::json;

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
    try {
        m_model = std::make_unique<BpeModel>(j["model"], m_origin);
        m_normalizer = Normalizer::fromJson(j.value("normalizer", json()), m_origin);
        m_preTokenizer = PreTokenizer::fromJson(j.value("pre_tokenizer", json()), m_origin);
        m_decoder = Decoder::fromJson(j.value("decoder", json()), m_origin);
        for (const auto& a : j.value("added_tokens", json::array())) {
            AddedToken t;
            t.content = a.at("content").get<std::string>();
            t.id = a.at("id").get<std::int32_t>();
            t.special = a.value("special", false);
            t.normalized = a.value("normalized", !t.special);
            t.lstrip = a.value("lstrip", false);
            t.rstrip = a.value("rstrip", false);
            t.singleWord = a.value("single_word", false);
            if (t.id < 0 || t.id > (1 << 24))
                throw FormatError(m_origin + ": added token \"" + t.content + "\" has an invalid id");
            m_added.push_back(std::move(t));
        }
    } catch (const json::exception& e) {
        throw FormatError(m_origin + ": unexpected structure: " + e.what());
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
    readPostProcessor(j.value("post_processor", json()));
    readSpecialNames(dir);

    const std::string pre = j.value("pre_tokenizer", json()).dump();
    const bool byteLevel = pre.find("ByteLevel") != std::string::npos;
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
    const std::string type = j.value("type", std::string());
    if (type == "Sequence") {
        for (const auto& p : j.value("processors", json::array()))
            readPostProcessor(p);
        return;
    }
    if (type == "ByteLevel")
        return; // only adjusts offsets
    if (type == "TemplateProcessing") {
        m_prefix.clear();
        m_suffix.clear();
        const auto& specials = j.value("special_tokens", json::object());
        bool afterSequence = false;
        for (const auto& item : j.value("single", json::array())) {
            if (item.contains("Sequence")) {
                afterSequence = true;
                continue;
            }
            if (!item.contains("SpecialToken"))
                continue;
            const auto name = item["SpecialToken"].value("id", std::string());
            std::vector<std::int32_t> ids;
            if (specials.contains(name) && specials[name].contains("ids"))
                ids = specials[name]["ids"].get<std::vector<std::int32_t>>();
            else if (const auto id = idOfToken(name); id >= 0)
                ids = {id};
            else
                throw FormatError(m_origin + ": post_processor refers to unknown special token \"" + name + "\"");
            auto& target = afterSequence ? m_suffix : m_prefix;
            target.insert(target.end(), ids.begin(), ids.end());
        }
        return;
    }
    if (type == "RobertaProcessing" || type == "BertProcessing") {
        m_prefix = {j.at("cls").at(1).get<std::int32_t>()};
        m_suffix = {j.at("sep").at(1).get<std::int32_t>()};
        return;
    }
    throw FormatError(m_origin + ": post_processor type \"" + type + "\" is not supported");
}

void HfTokenizer::readSpecialNames(const std::filesystem::path& dir)
{
    // tokenizer_config.json names BOS/EOS; without it, fall back to the
    // post-processor's prefix and to the usual names.
    auto nameOf = [](const json& v) -> std::string {
        if (v.is_string())
            return v.get<std::string>();
        if (v.is_object())
            return v.value("content", std::string());
        return {};
    };
    std::string bosName, eosName;
    std::ifstream in(dir / "tokenizer_config.json", std::ios::binary);
    if (in) {
        const json cfg = json::parse(in, nullptr, false);
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
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw FormatError(file.string() + ": cannot open");
    json j;
    try {
        in >> j;
    } catch (const json::exception& e) {
        throw FormatError(file.string() + ": not valid JSON: " + e.what());
    }
    return std::make_unique<HfTokenizer>(j, file.string(), file.parent_path(), "tokenizer.json");
}

std::unique_ptr<Tokenizer::Impl> loadHfTokenizer(const json& tokenizerJson, const std::string& origin,
                                                 const std::filesystem::path& dir, const std::string& source)
{
    return std::make_unique<HfTokenizer>(tokenizerJson, origin, dir, source);
}

} // namespace zl::tok
