// Fuzz target: a plain-text corpus (pretrain, sensitivity, perplexity,
// train-tokenizer). It is read, split into documents and encoded with a sample
// tokenizer, then a small byte-level BPE is trained on it, written, loaded
// back, and must round-trip the corpus: decode(encode(text)) == text.
#include "fuzz_support.h"
#include "io/text_file.h"
#include "zerolens/error.h"
#include "zerolens/tokenizer.h"
#include "zerolens/tokenizer_training.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const zl::Tokenizer sample = zl::Tokenizer::fromModelDir(zl::fuzz::tinyModelDir("single", 1));
    const auto file = zl::fuzz::scratchDir() / "corpus.txt";
    zl::fuzz::writeFile(file, zl::fuzz::asText(data, size));
    std::string text;
    try {
        text = zl::io::readTextFile(file);
        (void)zl::io::encodeDocuments(text, sample);
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e);
        return 0;
    }
    try {
        zl::BpeTrainingOptions options;
        options.vocabSize = 256 + 2 + 24;
        options.minFrequency = 1;
        const auto trained = zl::fuzz::scratchDir() / "trained" / "tokenizer.json";
        std::filesystem::create_directories(trained.parent_path());
        zl::fuzz::writeFile(trained, zl::trainByteLevelBpe(text, options));
        const auto tok = zl::Tokenizer::fromFile(trained);
        const auto ids = tok.encode(text, false);
        const auto back = tok.decode(ids, false);
        if (back != text) {
            // A byte-level BPE loses nothing: a difference is a wrong result.
            std::fprintf(stderr, "round trip changed the text: %zu bytes in, %zu bytes out\n", text.size(),
                         back.size());
            std::abort();
        }
    } catch (const zl::Error& e) {
        zl::fuzz::refused(e); // e.g. invalid UTF-8 or an empty corpus
    }
    return 0;
}
