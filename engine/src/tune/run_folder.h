// What a fine-tuning run keeps in its folder: run.json (the options and the
// identity of model, mask and data), and checkpoints that hold only the
// trainable values plus optimizer and loop state, each one safetensors file
// written atomically; "latest" names the newest, best.safetensors holds the
// values of the best dev score, initial.safetensors those before training.
#pragma once

#include "model/torch_pch.h"
#include "tune/parameter_set.h"
#include "zerolens/finetune.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace zl::tune {

/// {"loss", "accuracy", "examples"} of a split.
nlohmann::json scoreToJson(const SplitScore& score);

nlohmann::json optionsToJson(const FinetuneOptions& options);
/// Reads what optionsToJson wrote; `where` names the file in errors.
FinetuneOptions optionsFromJson(const nlohmann::json& j, const std::string& where);

/// Loop state saved with a checkpoint.
struct LoopState {
    std::int64_t step = 0;
    double emaLoss = 0.0;
    double emaWeight = 0.0; ///< for the EMA's bias correction
    double bestScore = -1e300;
    std::int64_t bestStep = -1;
    std::int64_t evalsSinceBest = 0;
    double elapsedSeconds = 0.0;
    SplitScore zeroShot;
    SplitScore bestDev;
    bool warnedFlat = false, warnedRising = false;
    double firstEma = -1.0;
};
nlohmann::json stateToJson(const LoopState& s);
LoopState stateFromJson(const nlohmann::json& j, const std::string& where);

class RunFolder {
public:
    explicit RunFolder(std::filesystem::path dir);
    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path checkpointDir() const { return m_dir / "checkpoints"; }

    bool hasRun() const; ///< run.json exists
    nlohmann::json readRun() const;
    void writeRun(const nlohmann::json& run) const;

    /// Writes values (and optimizer moments, may be empty) with the state, then
    /// points "latest" at it and removes older step checkpoints.
    void saveCheckpoint(const ParameterSet& values, const std::vector<at::Tensor>& firstMoments,
                        const std::vector<at::Tensor>& secondMoments, const LoopState& state) const;
    /// The latest checkpoint's state, loading values and moments into the given
    /// tensors; nullopt when there is none. Throws FormatError when it does not fit.
    std::optional<LoopState> loadLatest(ParameterSet& values, std::vector<at::Tensor>* firstMoments,
                                        std::vector<at::Tensor>* secondMoments) const;

    /// best.safetensors / initial.safetensors: values only.
    void saveValues(const std::string& name, const ParameterSet& values, const nlohmann::json& meta = {}) const;
    bool hasValues(const std::string& name) const;
    /// Loads values into `into`; returns the file's metadata JSON.
    nlohmann::json loadValues(const std::string& name, ParameterSet& into) const;

private:
    std::filesystem::path m_dir;
};

} // namespace zl::tune
