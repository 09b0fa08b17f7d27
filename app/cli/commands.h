// The subcommands of zerolens-cli. Each registers its options on a CLI11 app
// and runs against the engine; errors propagate as zl::Error to main().
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <stop_token>

namespace zl::cli {

/// Registers every subcommand. `stop` is triggered by Ctrl+C; `exitCode`
/// receives the command's result.
void registerCommands(CLI::App& app, std::stop_token stop, int& exitCode);

/// Whether the command being run checks `stop` between units of work; the
/// others are ended at once by Ctrl+C.
bool stopsCleanly();

} // namespace zl::cli
