// Reading user text files, and turning a corpus into one token stream.
#pragma once

#include "zerolens/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace zl::io {

/// The whole file as bytes. Throws InvalidArgument naming the file if it cannot
/// be read, is not a regular file (a FIFO is refused without blocking on it) or
/// holds more than `maxBytes`.
std::string readTextFile(const std::filesystem::path& file,
                         std::uint64_t maxBytes = std::numeric_limits<std::uint64_t>::max());

/// Each non-empty line encoded without special tokens and followed by EOS (when
/// the tokenizer has one), concatenated: the stream pre-training and
/// sensitivity cut into windows.
std::vector<std::int64_t> encodeDocuments(const std::string& text, const Tokenizer& tokenizer);

/// FNV-1a of the bytes, as decimal text: recognises a corpus or tokenizer again.
std::string fingerprint(std::string_view bytes);

} // namespace zl::io
