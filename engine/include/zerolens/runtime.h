// Process-level facts: memory use, library versions, devices.
#pragma once

#include <cstdint>
#include <string>

namespace zl {

/// Resident set size of this process in bytes (0 if unknown).
std::uint64_t residentMemoryBytes();
/// Peak resident set size of this process in bytes (0 if unknown).
std::uint64_t peakResidentMemoryBytes();

/// Versions of the libraries the engine was built with, e.g. "1.13.1".
std::string torchVersion();
std::string sqliteVersion();
/// True when libtorch was built with CUDA and a GPU is visible.
bool cudaAvailable();

/// "1.5 GiB", "320 MiB", ... for display.
std::string formatBytes(std::uint64_t bytes);
/// The shortest decimal text that reads back as exactly `value` (e.g. "0.00012345",
/// "4.5e-07"), for numbers stored in metadata.
std::string formatExact(double value);

} // namespace zl
