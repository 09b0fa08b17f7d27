// What every zerolens-cli command group shares: model options and loading with
// a progress bar, reading a text file, the --overwrite flag and how Ctrl+C ends
// a command. The groups register their subcommands through the functions below.
#pragma once

#include "cli/progress_printer.h"
#include "zerolens/model.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <stop_token>
#include <string>

namespace zl::cli {

/// Options of every command that loads a model.
struct Common {
    std::string modelDir;
    std::string device = "cpu";
    bool json = false;
};

/// Adds MODEL_DIR, --device and --json.
void addModelOptions(CLI::App* cmd, Common& c);
/// Loads the model with a progress bar (or JSON lines) on stderr.
std::shared_ptr<Model> loadModel(const Common& c, ProgressPrinter& printer, std::stop_token stop);
/// A whole regular file; throws InvalidArgument for anything else (a FIFO, a folder).
std::string readTextFile(const std::string& path);
/// Checks that an option is a whole number in [min, max], with a plain message
/// ("must be at least 1, got 0") instead of CLI11's range text.
CLI::Validator wholeNumber(std::int64_t min, std::int64_t max = std::numeric_limits<std::int64_t>::max());
/// A fresh folder under /tmp for a benchmark's scratch files, removed with everything in it.
class ScratchFolder {
public:
    ScratchFolder();
    ~ScratchFolder();
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Adds --overwrite, bound to `overwrite`.
void addOverwriteFlag(CLI::App* cmd, bool& overwrite);
/// Marks a command that polls its stop token, so Ctrl+C lets it finish cleanly (see stopsCleanly()).
void stopsCleanlyWhenRun(CLI::App* cmd);

/// info, tokenize, generate, perplexity, bench.
void registerModelCommands(CLI::App& app, std::stop_token stop, int& exitCode);
/// make-sample, build-demo-data, train-tokenizer, pretrain, demo.
void registerDataCommands(CLI::App& app, std::stop_token stop, int& exitCode);
/// sensitivity, mask-info, quantize.
void registerPrepareCommands(CLI::App& app, std::stop_token stop, int& exitCode);
/// runs list, runs show.
void registerRunCommands(CLI::App& app, std::stop_token stop, int& exitCode);
/// finetune, evaluate, runs export, bench finetune (after the run and model groups).
void registerFinetuneCommands(CLI::App& app, std::stop_token stop, int& exitCode);
/// cache build, cache info, attribute, bench cache/retrieve/rapidgrad (after the model group).
void registerInfluenceCommands(CLI::App& app, std::stop_token stop, int& exitCode);

} // namespace zl::cli
