// Fuzz target: a SentencePiece tokenizer.model (protobuf), converted and used
// as a model folder without tokenizer.json uses it.
#include "fuzz_support.h"
#include "zerolens/error.h"
#include "zerolens/tokenizer.h"

#include <cstdint>
#include <vector>

namespace {

constexpr std::string_view kFixedText = "Hello, world! It's 2024: 12345 caf\xc3\xa9 \xe4\xbd\xa0\xe5\xa5\xbd "
                                        "\xf0\x9f\x98\x80  x\n\ty <s></s><unk>";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto file = zl::fuzz::scratchDir() / "tokenizer.model";
    zl::fuzz::writeFile(file, zl::fuzz::asText(data, size));
    try {
        const auto tok = zl::Tokenizer::fromFile(file);
        for (const bool special : {true, false}) {
            const auto ids = tok.encode(kFixedText, special);
            (void)tok.decode(ids, false);
            (void)tok.decode(ids, true);
        }
        const std::int64_t n = tok.vocabSize();
        const std::vector<std::int32_t> ids{
            0, 1, 2, 3, static_cast<std::int32_t>(n > 0 ? n - 1 : 0), static_cast<std::int32_t>(n)};
        (void)tok.decode(ids, false);
        for (const auto id : ids)
            (void)tok.token(id);
        (void)tok.description();
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
    }
    return 0;
}
