#include "zerolens/demo.h"

#include <cstdlib>
#include <vector>

namespace zl {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> executableDir()
{
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return std::nullopt;
    return exe.parent_path();
}

} // namespace

std::optional<fs::path> findDemoModel()
{
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("ZL_DEMO_MODEL"); env && *env)
        candidates.emplace_back(env);
    if (const auto dir = executableDir())
        candidates.push_back(*dir / "../share/zerolens/demo-model");
    candidates.emplace_back(fs::path(ZL_SOURCE_DIR) / "resources/demo/model");
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::exists(c / "config.json", ec))
            return fs::weakly_canonical(c, ec);
    }
    return std::nullopt;
}

fs::path demoDataDir()
{
    if (const char* env = std::getenv("ZL_DEMO_DATA"); env && *env)
        return env;
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache/zerolens/demo-data";
}

bool demoDataReady()
{
    std::error_code ec;
    return fs::exists(demoDataDir() / "MANIFEST.json", ec);
}

} // namespace zl
