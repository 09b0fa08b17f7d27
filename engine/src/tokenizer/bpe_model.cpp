#include "tokenizer/bpe_model.h"

#include "io/json_file.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <queue>

namespace zl::tok {

namespace {

constexpr std::size_t kMaxCachedWords = 200000;
constexpr std::size_t kMaxCachedWordBytes = 64;

std::uint64_t pairKey(std::int32_t a, std::int32_t b)
{
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

} // namespace

BpeModel::BpeModel(const nlohmann::json& model, const std::string& origin)
{
    const std::string where = origin + ": model";
    if (!model.is_object())
        throw FormatError(where + " must be an object, found " + io::describeJson(model));
    if (const auto type = io::stringMember(model, "type", "BPE", where); type != "BPE")
        throw FormatError(origin + ": model type \"" + type + "\" is not supported (expected BPE)");
    if (!model.contains("vocab") || !model["vocab"].is_object())
        throw FormatError(origin + ": model.vocab must be an object of token → id");
    std::int32_t maxId = -1;
    for (const auto& [tok, id] : model["vocab"].items()) {
        const auto v = static_cast<std::int32_t>(
            io::integerValue(id, 0, 1 << 24, origin + ": model.vocab id of \"" + tok.substr(0, 40) + "\""));
        m_vocab[tok] = v;
        maxId = std::max(maxId, v);
    }
    m_idToToken.assign(static_cast<std::size_t>(maxId + 1), std::string());
    for (const auto& [tok, id] : m_vocab)
        m_idToToken[static_cast<std::size_t>(id)] = tok;

    // Read before the merges, which strip the prefix from their right side.
    if (model.contains("continuing_subword_prefix") && model["continuing_subword_prefix"].is_string())
        m_continuingPrefix = model["continuing_subword_prefix"].get<std::string>();
    if (model.contains("end_of_word_suffix") && model["end_of_word_suffix"].is_string())
        m_endOfWordSuffix = model["end_of_word_suffix"].get<std::string>();
    static const nlohmann::json kNoMerges = nlohmann::json::array();
    const nlohmann::json* merges = io::findMember(model, "merges");
    if (!merges)
        merges = &kNoMerges;
    if (!merges->is_array())
        throw FormatError(where + ": \"merges\" must be an array, found " + io::describeJson(*merges));
    std::int32_t rank = 0;
    for (const auto& m : *merges) {
        std::string a, b;
        if (m.is_string()) {
            const auto s = m.get<std::string>();
            const auto sp = s.find(' ');
            if (sp == std::string::npos)
                throw FormatError(origin + ": merge #" + std::to_string(rank) + " \"" + s.substr(0, 40) +
                                  "\" has no space");
            a = s.substr(0, sp);
            b = s.substr(sp + 1);
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            a = m[0].get<std::string>();
            b = m[1].get<std::string>();
        } else {
            throw FormatError(origin + ": merge #" + std::to_string(rank) + " must be \"a b\" or [a, b]");
        }
        const auto ia = m_vocab.find(a), ib = m_vocab.find(b);
        const auto prefixLen = m_continuingPrefix.size();
        const auto merged = m_vocab.find(a + b.substr(std::min(prefixLen, b.size())));
        if (ia == m_vocab.end() || ib == m_vocab.end() || merged == m_vocab.end())
            throw FormatError(origin + ": merge #" + std::to_string(rank) + " (\"" + a.substr(0, 40) + "\", \"" +
                              b.substr(0, 40) + "\") uses tokens missing from the vocabulary");
        m_merges.emplace(pairKey(ia->second, ib->second), MergeTarget{rank, merged->second});
        ++rank;
    }
    if (model.contains("unk_token") && model["unk_token"].is_string()) {
        const auto it = m_vocab.find(model["unk_token"].get<std::string>());
        if (it != m_vocab.end())
            m_unkId = it->second;
    }
    m_fuseUnk = io::boolMember(model, "fuse_unk", false, where);
    m_byteFallback = io::boolMember(model, "byte_fallback", false, where);
    m_ignoreMerges = io::boolMember(model, "ignore_merges", false, where);
}

const std::string& BpeModel::token(std::int32_t id) const
{
    static const std::string empty;
    return id >= 0 && static_cast<std::size_t>(id) < m_idToToken.size() ? m_idToToken[static_cast<std::size_t>(id)]
                                                                        : empty;
}

std::int32_t BpeModel::idOf(const std::string& token) const
{
    const auto it = m_vocab.find(token);
    return it == m_vocab.end() ? -1 : it->second;
}

void BpeModel::addToken(const std::string& token, std::int32_t id)
{
    if (static_cast<std::size_t>(id) >= m_idToToken.size())
        m_idToToken.resize(static_cast<std::size_t>(id) + 1);
    m_idToToken[static_cast<std::size_t>(id)] = token;
}

void BpeModel::encodeWord(const std::string& word, std::vector<std::int32_t>& out) const
{
    if (word.empty())
        return;
    if (word.size() <= kMaxCachedWordBytes) {
        std::lock_guard lock(m_cacheMutex);
        const auto it = m_cache.find(word);
        if (it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    if (m_ignoreMerges) {
        const auto it = m_vocab.find(word);
        if (it != m_vocab.end()) {
            out.push_back(it->second);
            return;
        }
    }
    // Initial symbols: one per character, byte fallback or unk for unknown ones.
    std::vector<std::int32_t> symbols;
    const auto chars = utf8Chars(word);
    bool lastWasUnk = false;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        std::string piece = chars[i];
        if (i > 0)
            piece.insert(0, m_continuingPrefix);
        if (i + 1 == chars.size())
            piece += m_endOfWordSuffix;
        const auto it = m_vocab.find(piece);
        if (it != m_vocab.end()) {
            symbols.push_back(it->second);
            lastWasUnk = false;
            continue;
        }
        if (m_byteFallback) {
            std::vector<std::int32_t> bytes;
            for (unsigned char c : chars[i]) {
                char name[8];
                std::snprintf(name, sizeof name, "<0x%02X>", c);
                const auto b = m_vocab.find(name);
                if (b == m_vocab.end()) {
                    bytes.clear();
                    break;
                }
                bytes.push_back(b->second);
            }
            if (!bytes.empty()) {
                symbols.insert(symbols.end(), bytes.begin(), bytes.end());
                lastWasUnk = false;
                continue;
            }
        }
        if (m_unkId >= 0) {
            if (!(m_fuseUnk && lastWasUnk))
                symbols.push_back(m_unkId);
            lastWasUnk = true;
        }
    }
    auto merged = mergeSymbols(std::move(symbols));
    if (word.size() <= kMaxCachedWordBytes) {
        std::lock_guard lock(m_cacheMutex);
        if (m_cache.size() >= kMaxCachedWords)
            m_cache.clear();
        m_cache.emplace(word, merged);
    }
    out.insert(out.end(), merged.begin(), merged.end());
}

std::vector<std::int32_t> BpeModel::mergeSymbols(std::vector<std::int32_t> ids) const
{
    const auto n = ids.size();
    if (n < 2)
        return ids;
    // Doubly linked list over positions; a merge keeps the left position.
    std::vector<std::int64_t> prev(n), next(n);
    std::vector<bool> alive(n, true);
    for (std::size_t i = 0; i < n; ++i) {
        prev[i] = static_cast<std::int64_t>(i) - 1;
        next[i] = i + 1 < n ? static_cast<std::int64_t>(i + 1) : -1;
    }
    struct Candidate {
        std::int32_t rank;
        std::int64_t pos;
        std::int32_t left, right, result;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](std::int64_t pos) {
        if (pos < 0 || next[static_cast<std::size_t>(pos)] < 0)
            return;
        const auto l = ids[static_cast<std::size_t>(pos)];
        const auto r = ids[static_cast<std::size_t>(next[static_cast<std::size_t>(pos)])];
        const auto it = m_merges.find(pairKey(l, r));
        if (it != m_merges.end())
            queue.push({it->second.rank, pos, l, r, it->second.id});
    };
    for (std::size_t i = 0; i + 1 < n; ++i)
        consider(static_cast<std::int64_t>(i));
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        const auto p = static_cast<std::size_t>(c.pos);
        if (!alive[p] || next[p] < 0)
            continue;
        const auto q = static_cast<std::size_t>(next[p]);
        if (ids[p] != c.left || ids[q] != c.right)
            continue; // stale: one side was merged since
        ids[p] = c.result;
        alive[q] = false;
        next[p] = next[q];
        if (next[q] >= 0)
            prev[static_cast<std::size_t>(next[q])] = c.pos;
        consider(prev[p]);
        consider(c.pos);
    }
    std::vector<std::int32_t> result;
    for (std::int64_t i = 0; i >= 0; i = next[static_cast<std::size_t>(i)])
        result.push_back(ids[static_cast<std::size_t>(i)]);
    return result;
}

} // namespace zl::tok
