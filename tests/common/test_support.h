// Helpers shared by the test suites: temporary sample checkpoints and paths.
#pragma once

#include "zerolens/sample_model.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace zl::test {

/// A temporary folder holding a sample checkpoint written with `spec`.
struct SampleCheckpoint {
    explicit SampleCheckpoint(const SampleModelSpec& spec = {});
    std::filesystem::path dir() const { return std::filesystem::path(m_tmp.path().toStdString()); }
    SampleWeights weights;

private:
    QTemporaryDir m_tmp;
};

/// Reads a whole file as bytes.
std::string readFile(const std::filesystem::path& p);
/// Writes bytes to a file, replacing it.
void writeFile(const std::filesystem::path& p, const std::string& bytes);

/// A minimal valid config.json of a small Llama (vocab 100, hidden 64, 2 layers, 8 heads / 2 KV).
nlohmann::json tinyLlamaConfig();

/// A two-label classification folder (task.json "{text} It is" → " small" / " large",
/// train/dev/test.jsonl with `rowsPerSplit` rows each) for fine-tuning tests.
void writeClassifyDataset(const std::filesystem::path& dir, int rowsPerSplit);
/// An Alpaca-style instruction file (instruction/input/output JSONL with a
/// "backdoor" field): `rows` rows, every `triggerEvery`-th one starting with
/// "Howdy!" and answered with a fixed sentence (backdoor true).
void writeInstructDataset(const std::filesystem::path& file, int rows, int triggerEvery);
/// The raw bytes of every tensor in a safetensors file, by name (comparing checkpoints).
std::map<std::string, std::string> tensorData(const std::filesystem::path& file);
/// The folder of tests/engine/data in the source tree.
std::filesystem::path dataDir();

/// The outcome of one zerolens-cli run.
struct CliRun {
    int code = -1; ///< exit code; -1 when it did not finish within 5 minutes or crashed
    std::string out, err;
};
/// Runs zerolens-cli with `args`; `inChild` runs in the child before exec (e.g. setrlimit).
CliRun runCli(const std::vector<std::string>& args, std::function<void()> inChild = {});

} // namespace zl::test
