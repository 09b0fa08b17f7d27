// Crash-safe file writes: data goes to a temporary file in the same folder,
// is flushed to disk, then renamed over the target, so a crash or kill -9 at
// any moment leaves either the old file or the new one, never half of one.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace zl {

/// Writes `bytes` to `path` atomically. Throws InvalidArgument naming the path on failure.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);
/// The same for content given in consecutive pieces.
void writeFileAtomically(const std::filesystem::path& path, const std::vector<std::string_view>& pieces);

} // namespace zl
