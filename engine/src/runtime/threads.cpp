// The engine's thread count: libtorch's intra-op pool (and the OpenMP/OpenBLAS
// threads under it). Debian's libtorch picks one thread on a 2-core machine, so
// the composition roots (CLI, GUI) set it explicitly.
#include "zerolens/runtime.h"

#include "zerolens/error.h"

#include <ATen/Parallel.h>

#include <fstream>
#include <sched.h>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace zl {

namespace {

int readInt(const std::string& file)
{
    std::ifstream in(file);
    int v = -1;
    in >> v;
    return in ? v : -1;
}

} // namespace

int physicalCoreCount()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0)
        return std::max(1u, std::thread::hardware_concurrency());
    // Hyper-threads share a (package, core) pair; count each pair once.
    std::set<std::pair<int, int>> cores;
    int logical = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &set))
            continue;
        ++logical;
        const std::string topo = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
        const int core = readInt(topo + "core_id");
        const int package = readInt(topo + "physical_package_id");
        cores.insert(core < 0 ? std::pair{-1, cpu} : std::pair{package, core});
    }
    return std::max(1, static_cast<int>(cores.empty() ? logical : cores.size()));
}

void setThreadCount(int threads)
{
    if (threads < 0)
        throw InvalidArgument("thread count must be 0 (all physical cores) or positive, not " +
                              std::to_string(threads));
    // A thread's first question for the count (every parallel region asks)
    // re-applies it, and each time libtorch recreates its pthreadpool (for
    // QNNPACK; the engine does not use it), whose new workers spin for tens of
    // milliseconds: on a 2-core machine that was the first generation's time.
    // Ask now, so that only the setting below recreates the pool, here.
    (void)at::get_num_threads();
    at::set_num_threads(threads == 0 ? physicalCoreCount() : threads);
}

int threadCount()
{
    return at::get_num_threads();
}

} // namespace zl
