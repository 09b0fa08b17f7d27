// Process-level facts: memory use, library versions, devices.
#pragma once

#include <cstdint>
#include <string>

namespace zl {

/// Resident set size of this process in bytes (0 if unknown).
std::uint64_t residentMemoryBytes();
/// Peak resident set size of this process in bytes (0 if unknown).
std::uint64_t peakResidentMemoryBytes();

/// Keeps freed memory in the process for the next allocations: buffers up to
/// 32 MiB come from the heap instead of fresh mappings, and up to 256 MiB of
/// free heap stays. The engine allocates and frees the same activations on
/// every forward pass; with glibc's defaults each was mapped, faulted in and
/// zeroed again (a 4-bit prefill of 512 tokens: ~15% faster). For the
/// composition roots (CLI, GUI) to call once at start.
void keepFreedMemoryForReuse();

/// The permission bits the process's umask removes from new files (e.g. 022).
/// Read without changing it: umask(2) can only set it, which would race other threads.
unsigned processUmask();

/// Versions of the libraries the engine was built with, e.g. "1.13.1".
std::string torchVersion();
std::string sqliteVersion();
/// True when libtorch was built with CUDA and a GPU is visible.
bool cudaAvailable();

/// Physical cores this process may run on (its CPU affinity, hyper-threads
/// counted once); at least 1.
int physicalCoreCount();
/// Sets the engine's compute threads (libtorch's intra-op pool, and the OpenMP
/// and BLAS threads under it); 0 means physicalCoreCount(). Takes effect for
/// work started on the calling thread afterwards, so call it on the thread that
/// runs the engine. Throws InvalidArgument for a negative count.
void setThreadCount(int threads);
/// The engine's compute threads as set now.
int threadCount();
/// The instruction set the 4-bit CPU kernels run with: "avx512", "avx2" or
/// "portable" (the best this CPU has, or a lower one named by ZL_ISA).
std::string kernelInstructionSet();

/// "1.5 GiB", "320 MiB", ... for display.
std::string formatBytes(std::uint64_t bytes);
/// The shortest decimal text that reads back as exactly `value` (e.g. "0.00012345",
/// "4.5e-07"), for numbers stored in metadata.
std::string formatExact(double value);

} // namespace zl
