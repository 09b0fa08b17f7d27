// Where the built-in demo lives: the shipped demo model and the demo datasets.
#pragma once

#include <filesystem>
#include <optional>

namespace zl {

/// The demo model folder: $ZL_DEMO_MODEL if set, else share/zerolens/demo-model
/// beside an installed executable, else resources/demo/model in the source tree
/// this was built from. nullopt when none of these holds a config.json.
std::optional<std::filesystem::path> findDemoModel();

/// Where the demo datasets are built and looked for: $ZL_DEMO_DATA if set, else
/// ~/.cache/zerolens/demo-data.
std::filesystem::path demoDataDir();

/// True when demoDataDir() holds a complete build (its MANIFEST.json exists).
bool demoDataReady();

} // namespace zl
