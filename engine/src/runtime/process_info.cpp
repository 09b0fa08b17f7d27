// Memory probes and settings, and library versions, that need no libtorch.
#include "zerolens/runtime.h"

#include <malloc.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace zl {

std::uint64_t residentMemoryBytes()
{
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    if (!(statm >> size >> resident))
        return 0;
    return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

std::uint64_t peakResidentMemoryBytes()
{
    struct rusage ru {};
    if (::getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    // Linux reports KiB, and updates the high-water mark lazily: the resident size
    // read now can be above it, and a peak below the present would contradict it.
    return std::max(static_cast<std::uint64_t>(ru.ru_maxrss) * 1024, residentMemoryBytes());
}

void keepFreedMemoryForReuse()
{
#ifdef __GLIBC__
    // glibc's defaults map every buffer above a (self-adjusting) threshold afresh
    // and give it back on free, so a forward pass's activations, allocated and
    // freed on every call, were faulted in and zeroed page by page each time.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's largest; bigger buffers (large weights) stay mappings
    ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

std::string sqliteVersion()
{
    return sqlite3_libversion();
}

std::string formatBytes(std::uint64_t bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

unsigned processUmask()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Umask:", 0) == 0)
            return static_cast<unsigned>(std::strtoul(line.c_str() + 6, nullptr, 8));
    return 022;
}

std::string formatExact(double value)
{
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, r.ptr);
}

} // namespace zl
