// Byte-level BPE training: words come from the GPT-2 split pattern, pairs are
// counted once, and each merge updates only the words that contain its pair.
#include "zerolens/tokenizer_training.h"

#include "runtime/progress_reporter.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <unordered_map>
#include <unordered_set>

namespace zl {

namespace {

using nlohmann::json;

std::uint64_t key(std::int32_t a, std::int32_t b)
{
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
}

struct Word {
    std::vector<std::int32_t> symbols;
    std::int64_t count = 0;
};

json addedToken(std::int32_t id, const std::string& content)
{
    return {{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", false},
            {"rstrip", false}, {"normalized", false}, {"special", true}};
}

} // namespace

std::string trainByteLevelBpe(std::string_view corpus, const BpeTrainingOptions& options, EventSink* sink,
                              std::stop_token stop)
{
    const int specials = static_cast<int>(options.specialTokens.size());
    if (options.vocabSize < 256 + specials)
        throw InvalidArgument("vocabulary size " + std::to_string(options.vocabSize) + " is below the " +
                              std::to_string(256 + specials) + " byte and special tokens");
    if (const auto bad = tok::firstInvalidUtf8(corpus); bad != std::string_view::npos)
        throw InvalidArgument("training text is not valid UTF-8 (first bad byte at offset " + std::to_string(bad) +
                              ")");

    // Without any text there is nothing to learn: the result would be a tokenizer
    // without merges (and the caller's bytes-per-token 0/0).
    if (corpus.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos)
        throw InvalidArgument(corpus.empty() ? "the training text is empty; give a corpus with some text in it"
                                             : "the training text holds only whitespace; give a corpus with some "
                                               "text in it");
    // Count words exactly as the ByteLevel pre-tokenizer will cut them.
    const tok::Regex split(tok::kGpt2Pattern, "GPT-2 split pattern");
    std::unordered_map<std::string, std::int64_t> wordCounts;
    for (const auto& [b, e] : split.findAll(corpus))
        ++wordCounts[std::string(corpus.substr(b, e - b))];

    const auto& table = tok::byteToUnicode();
    std::vector<std::string> vocab(table.begin(), table.end());
    std::vector<Word> words;
    words.reserve(wordCounts.size());
    for (const auto& [w, n] : wordCounts) {
        Word word;
        for (unsigned char c : w)
            word.symbols.push_back(c);
        word.count = n;
        words.push_back(std::move(word));
    }

    std::unordered_map<std::uint64_t, std::int64_t> pairCounts;
    std::unordered_map<std::uint64_t, std::unordered_set<std::size_t>> pairWords;
    for (std::size_t wi = 0; wi < words.size(); ++wi)
        for (std::size_t i = 0; i + 1 < words[wi].symbols.size(); ++i) {
            const auto k = key(words[wi].symbols[i], words[wi].symbols[i + 1]);
            pairCounts[k] += words[wi].count;
            pairWords[k].insert(wi);
        }

    const int mergeTarget = options.vocabSize - 256 - specials;
    runtime::ProgressReporter progress(sink, "Learning merges", mergeTarget, stop);
    json merges = json::array();
    for (int m = 0; m < mergeTarget; ++m) {
        // Most frequent pair; ties go to the lexicographically smallest pair of strings.
        std::uint64_t best = 0;
        std::int64_t bestCount = 0;
        for (const auto& [k, n] : pairCounts) {
            if (n < bestCount || n <= 0)
                continue;
            if (n > bestCount) {
                best = k;
                bestCount = n;
                continue;
            }
            const auto a = static_cast<std::int32_t>(k >> 32), b = static_cast<std::int32_t>(k & 0xFFFFFFFF);
            const auto ba = static_cast<std::int32_t>(best >> 32), bb = static_cast<std::int32_t>(best & 0xFFFFFFFF);
            if (std::tie(vocab[static_cast<std::size_t>(a)], vocab[static_cast<std::size_t>(b)]) <
                std::tie(vocab[static_cast<std::size_t>(ba)], vocab[static_cast<std::size_t>(bb)]))
                best = k;
        }
        if (bestCount < std::max<std::int64_t>(options.minFrequency, 1))
            break;
        const auto left = static_cast<std::int32_t>(best >> 32);
        const auto right = static_cast<std::int32_t>(best & 0xFFFFFFFF);
        const auto merged = static_cast<std::int32_t>(vocab.size());
        vocab.push_back(vocab[static_cast<std::size_t>(left)] + vocab[static_cast<std::size_t>(right)]);
        merges.push_back(vocab[static_cast<std::size_t>(left)] + " " + vocab[static_cast<std::size_t>(right)]);

        const auto affected = std::move(pairWords[best]);
        pairWords.erase(best);
        for (const auto wi : affected) {
            auto& w = words[wi];
            // Remove this word's pairs, merge, then add its new pairs back.
            for (std::size_t i = 0; i + 1 < w.symbols.size(); ++i)
                pairCounts[key(w.symbols[i], w.symbols[i + 1])] -= w.count;
            std::vector<std::int32_t> out;
            out.reserve(w.symbols.size());
            for (std::size_t i = 0; i < w.symbols.size(); ++i) {
                if (i + 1 < w.symbols.size() && w.symbols[i] == left && w.symbols[i + 1] == right) {
                    out.push_back(merged);
                    ++i;
                } else {
                    out.push_back(w.symbols[i]);
                }
            }
            w.symbols = std::move(out);
            for (std::size_t i = 0; i + 1 < w.symbols.size(); ++i) {
                const auto k = key(w.symbols[i], w.symbols[i + 1]);
                pairCounts[k] += w.count;
                pairWords[k].insert(wi);
            }
        }
        pairCounts.erase(best);
        progress.update(m + 1);
    }

    json vocabJson = json::object();
    for (std::size_t i = 0; i < vocab.size(); ++i)
        vocabJson[vocab[i]] = i;
    json added = json::array();
    auto next = static_cast<std::int32_t>(vocab.size());
    std::vector<std::int32_t> specialIds;
    for (const auto& s : options.specialTokens) {
        specialIds.push_back(next);
        added.push_back(addedToken(next++, s));
    }
    json post = nullptr;
    if (!options.specialTokens.empty()) {
        const auto& bos = options.specialTokens.front();
        post = {{"type", "TemplateProcessing"},
                {"single",
                 {{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                {"pair", json::array()},
                {"special_tokens", {{bos, {{"id", bos}, {"ids", {specialIds.front()}}, {"tokens", {bos}}}}}}};
    }
    const json tokenizer{
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", added},
        {"normalizer", nullptr},
        {"pre_tokenizer",
         {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor", post},
        {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
        {"model",
         {{"type", "BPE"},
          {"dropout", nullptr},
          {"unk_token", nullptr},
          {"continuing_subword_prefix", nullptr},
          {"end_of_word_suffix", nullptr},
          {"fuse_unk", false},
          {"byte_fallback", false},
          {"vocab", vocabJson},
          {"merges", merges}}}};
    return tokenizer.dump(1);
}

} // namespace zl
