// Fuzz target: tokenizer.json, loaded and then used. The input is up to three
// parts separated by NUL bytes: tokenizer.json, text to encode (after a fixed
// mixed-script text; without it, the file's last bytes), and the
// tokenizer_config.json beside it (absent when there is no third part).
#include "fuzz_support.h"
#include "zerolens/error.h"
#include "zerolens/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace {

// Enough to reach every pipeline stage: spaces, digits, punctuation, accents,
// CJK, emoji, newline and tab, and a control character.
constexpr std::string_view kFixedText =
    "Hello, world! It's 2024: 12345 caf\xc3\xa9 na\xc3\xafve \xe4\xbd\xa0\xe5\xa5\xbd "
    "\xf0\x9f\x98\x80  x\n\ty\x01z <s></s>";
constexpr std::size_t kMaxExtraText = 1024; // keeps one run short; the content matters, not the length

void exercise(const zl::Tokenizer& tok, std::string_view text)
{
    for (const bool special : {true, false}) {
        std::vector<std::int32_t> ids;
        try {
            ids = tok.encode(text, special);
        } catch (const zl::InvalidArgument&) {
            return; // not valid UTF-8: refused before the pipeline
        }
        (void)tok.decode(ids, false);
        (void)tok.decode(ids, true);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto input = zl::fuzz::asText(data, size);
    auto [json, rest] = zl::fuzz::splitAtNul(input);
    auto [extra, config] = zl::fuzz::splitAtNul(rest);
    const bool hasConfig = rest.find('\0') != std::string_view::npos;
    if (extra.empty() && json.size() > 0)
        extra = json.substr(json.size() > 64 ? json.size() - 64 : 0);
    if (extra.size() > kMaxExtraText)
        extra = extra.substr(0, kMaxExtraText);
    const auto file = zl::fuzz::scratchDir() / "tokenizer.json";
    const auto configFile = zl::fuzz::scratchDir() / "tokenizer_config.json";
    zl::fuzz::writeFile(file, json);
    if (hasConfig)
        zl::fuzz::writeFile(configFile, config);
    else
        std::filesystem::remove(configFile);
    try {
        const auto tok = zl::Tokenizer::fromFile(file);
        exercise(tok, kFixedText);
        exercise(tok, extra);
        exercise(tok, std::string(kFixedText) + std::string(extra));
        // Ids past the vocabulary occur when a model's embedding is padded beyond it.
        const std::int64_t n = tok.vocabSize();
        const std::vector<std::int32_t> ids{0, 1, static_cast<std::int32_t>(n > 0 ? n - 1 : 0),
                                            static_cast<std::int32_t>(n), static_cast<std::int32_t>(n + 7)};
        (void)tok.decode(ids, false);
        (void)tok.decode(ids, true);
        for (const auto id : ids) {
            (void)tok.token(id);
            (void)tok.isSpecial(id);
        }
        (void)tok.bosId();
        (void)tok.eosId();
        (void)tok.description();
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
    }
    return 0;
}
