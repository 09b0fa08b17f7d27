// Shared by the fuzz targets: a scratch folder of this process and the small
// fixtures some parsers need around their input, so that every target hands
// its input to the same path-taking API a user's file goes through.
#pragma once

#include "zerolens/sample_model.h"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string_view>
#include <utility>

namespace zl::fuzz {

/// A folder of this process, removed at exit: under $ZL_FUZZ_TMPDIR when set,
/// else under /dev/shm when it exists, else under $TMPDIR or /tmp.
const std::filesystem::path& scratchDir();

/// Writes `bytes` to `file`, replacing it. Aborts when the scratch folder is
/// unusable: that is a broken harness, not a finding.
void writeFile(const std::filesystem::path& file, std::string_view bytes);

/// The input as text.
std::string_view asText(const std::uint8_t* data, std::size_t size);

/// Splits a two-part input at its first NUL byte: (before, after). Without a
/// NUL the second part is empty. JSON text never holds a raw NUL, so a JSON
/// file can lead and any bytes (text to encode, a binary file) can follow.
std::pair<std::string_view, std::string_view> splitAtNul(std::string_view input);

/// Called with each refusal (an expected zl::Error): prints its message when
/// the environment sets ZL_FUZZ_VERBOSE, to see how far the seeds get.
void refused(const std::exception& e);

/// The spec of the tiny checkpoint the index and mask targets run against; the
/// corpus generator writes its seeds for the same model.
SampleModelSpec tinyModelSpec();

/// A folder holding a tiny sample checkpoint of tinyModelSpec() with `shards`
/// shards, written on first use under scratchDir()/name.
const std::filesystem::path& tinyModelDir(const std::string& name, int shards);

} // namespace zl::fuzz
