// The BPE model of tokenizer.json: vocabulary, ranked merges, unknown token,
// byte fallback and ignore_merges, with the merge order of the tokenizers crate
// (lowest rank first, leftmost first among equal ranks).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace zl::tok {

class BpeModel {
public:
    /// Reads the "model" object; throws FormatError naming `origin`.
    BpeModel(const nlohmann::json& model, const std::string& origin);

    /// Appends the ids of one pre-tokenized word to `out`.
    void encodeWord(const std::string& word, std::vector<std::int32_t>& out) const;

    std::int64_t vocabSize() const { return static_cast<std::int64_t>(m_idToToken.size()); }
    const std::string& token(std::int32_t id) const;
    std::int32_t idOf(const std::string& token) const; ///< -1 when absent
    void addToken(const std::string& token, std::int32_t id);
    bool byteFallback() const { return m_byteFallback; }

private:
    struct PairHash {
        std::size_t operator()(std::uint64_t v) const { return std::hash<std::uint64_t>()(v); }
    };
    struct MergeTarget {
        std::int32_t rank;
        std::int32_t id;
    };
    std::vector<std::int32_t> mergeSymbols(std::vector<std::int32_t> symbols) const;

    std::unordered_map<std::string, std::int32_t> m_vocab;
    std::vector<std::string> m_idToToken;
    std::unordered_map<std::uint64_t, MergeTarget, PairHash> m_merges;
    std::int32_t m_unkId = -1;
    bool m_fuseUnk = false;
    bool m_byteFallback = false;
    bool m_ignoreMerges = false;
    std::string m_continuingPrefix;
    std::string m_endOfWordSuffix;

    // Words repeat a lot in real text; caching their ids makes long files fast.
    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::int32_t>> m_cache;
};

} // namespace zl::tok
