// Fine-tuning (SensZOQ, Guo et al. 2024): zeroth-order SGD with MeZO's SPSA
// estimate on the sparse set S of a 4-bit model, and in the same loop the
// baselines it is compared with: dense MeZO over every weight of the float
// model, first-order AdamW on S, and zero-shot evaluation. A run lives in a
// folder (configuration, checkpoints, exports) and in the run database
// (runs.h), resumes exactly from its last checkpoint, and streams its metrics.
#pragma once

#include "zerolens/dataset.h"
#include "zerolens/events.h"
#include "zerolens/model.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace zl {

enum class FinetuneMethod { SparseZo, DenseZo, FirstOrder, ZeroShot };
std::string methodName(FinetuneMethod m);               ///< "sparse-zo", "dense-zo", "fo", "zero-shot"
FinetuneMethod methodFromName(const std::string& name); ///< throws InvalidArgument
/// The learning rate a method starts from when none is given (measured on the
/// demo task, 300 steps: sparse-zo 1e-3, dense-zo 1e-5, fo 1e-3; 0 for zero-shot).
double defaultLearningRate(FinetuneMethod m);

enum class LrSchedule { Constant, Linear, Cosine };
std::string scheduleName(LrSchedule s); ///< "constant", "linear", "cosine"
LrSchedule scheduleFromName(const std::string& name);

struct FinetuneOptions {
    /// Model folder. sparse-zo and fo: a 4-bit folder that carries S, or a float
    /// folder with `mask` (quantized in memory, keeping the mask's entries in S).
    /// dense-zo: a float folder. zero-shot: any.
    std::filesystem::path model;
    std::filesystem::path mask;
    /// The model of `model` when the caller already has it in memory (the GUI):
    /// the run trains a Model::copy() of it instead of reading the folder again,
    /// and never changes it. Ignored when it is another folder.
    std::shared_ptr<const Model> loaded;
    std::string quantFormat = "int4"; ///< for in-memory quantization
    std::int64_t groupSize = 128;
    DatasetOptions data;
    FinetuneMethod method = FinetuneMethod::SparseZo;

    std::int64_t steps = 1000;
    std::int64_t batchSize = 16;
    double learningRate = 1e-3; ///< see defaultLearningRate(); dense MeZO needs far smaller
    LrSchedule schedule = LrSchedule::Constant;
    double epsilon = 1e-3;                                 ///< ZO perturbation scale
    int perturbations = 1;                                 ///< ZO: SPSA estimates averaged per step
    double weightDecay = 0.0;                              ///< S ← S − lr·wd·S (decoupled)
    double gradClip = 0.0;                                 ///< ZO: |g| clipped to this; FO: gradient norm clip; 0 = off
    double beta1 = 0.9, beta2 = 0.999, adamEpsilon = 1e-8; ///< fo only
    std::int64_t maxLength = 256;                          ///< tokens per example (prompt truncated from the left)

    std::int64_t evalEvery = 100; ///< steps between dev evaluations (and checkpoints)
    std::int64_t evalBatchSize = 32;
    std::int64_t earlyStopEvals = 0; ///< stop after this many evals without a better dev score; 0 = off
    std::uint64_t seed = 0;

    std::filesystem::path outDir;       ///< the run folder
    bool overwrite = false;             ///< start over in a non-empty outDir that is not a resumable run of this config
    std::filesystem::path runsDatabase; ///< empty: RunDatabase::defaultPath()
    std::string runName;                ///< empty: derived from method, task and seed
    bool exportDense = true;            ///< write outDir/model (HF checkpoint) at the end
    std::string exportDtype = "BF16";   ///< "BF16" or "F32"
    std::string device = "cpu";
};

/// Results of one split.
struct SplitScore {
    double loss = -1.0;     ///< mean loss (classification CE or response NLL per token); −1 if not run
    double accuracy = -1.0; ///< classification only; −1 otherwise
    std::int64_t examples = 0;
};

struct FinetuneResult {
    std::int64_t runId = 0;
    std::filesystem::path runDir;
    std::string status; ///< "finished", "early-stopped", "diverged" or "cancelled"
    std::int64_t steps = 0;
    std::int64_t resumedFrom = 0;
    std::int64_t bestStep = -1; ///< step of the best dev score (its S is what is exported)
    SplitScore zeroShotDev;     ///< before the first step
    SplitScore dev, test;       ///< of the best checkpoint
    std::int64_t trainableParameters = 0;
    double secondsPerStep = 0.0;
    std::uint64_t peakRssBytes = 0;
    std::uint64_t inferenceBytes = 0; ///< weight bytes of the model as loaded (4-bit, or float)
};

/// Callback per formatted run: lets a caller show the dataset before training.
using DatasetPreview = std::function<void(const Dataset&)>;

/// Runs (or resumes) a fine-tuning run. Metrics streamed with step numbers:
/// per step "loss", "loss_avg" (EMA), "projected_grad" (ZO) or "grad_norm" (FO),
/// "lr", "step_seconds"; every few seconds "rss_bytes", "peak_rss_bytes"; once before
/// the first step "inference_rss_bytes" (RSS with the model loaded and evaluated); per eval
/// "dev_loss", "dev_accuracy". Progress counts steps. Log lines report resume,
/// skipped rows and warnings (flat or diverging loss). A stop request saves a
/// checkpoint and throws Cancelled; the run is then "cancelled" and resumable.
/// NaN/inf loss ends the run as "diverged" keeping the last good checkpoint.
/// Throws InvalidArgument for bad options or a folder of another run, FormatError for bad files.
FinetuneResult finetune(const FinetuneOptions& options, EventSink* sink = nullptr, std::stop_token stop = {},
                        const DatasetPreview& preview = {});

/// What `runs export` writes from a run's best (or latest) checkpoint.
enum class ExportKind { Dense, Quantized, SparseDelta };
struct ExportOptions {
    ExportKind kind = ExportKind::Dense;
    std::string dtype = "BF16"; ///< Dense: "BF16" or "F32"
    bool latest = false;        ///< the latest checkpoint instead of the best one
    bool overwrite = false;
};
/// Exports a run folder's tuned model: a Hugging Face checkpoint (config,
/// tokenizer files, model.safetensors), a ZeroLens 4-bit folder with the tuned S,
/// or the sparse delta (S_tuned − S_initial per matrix) as one safetensors file.
/// Throws InvalidArgument for a folder that is not a run, or a refused target.
void exportRun(const std::filesystem::path& runDir, const std::filesystem::path& target, const ExportOptions& options,
               EventSink* sink = nullptr, std::stop_token stop = {});

/// Evaluates a model on a dataset's split ("dev" or "test") without training.
SplitScore evaluateModel(const std::filesystem::path& model, const DatasetOptions& data, const std::string& split,
                         std::int64_t batchSize = 32, std::int64_t maxLength = 256, const std::string& device = "cpu",
                         EventSink* sink = nullptr, std::stop_token stop = {});

/// One entry of `bench finetune`: time per step and this process's peak RSS for
/// "sparse_zo_4bit", "dense_zo_fp32", "fo_sparse_4bit" or "inference_4bit"
/// (two batched forwards per step, the work of one ZO step without training) on
/// random text of `seqLen` tokens in batches of `batch`. Run each entry in a
/// fresh process so the peaks do not mix (the CLI does). `workDir` receives a
/// scratch dataset and run database.
struct FinetuneBenchEntry {
    std::string name;
    double secondsPerStep = 0.0;
    std::uint64_t peakRssBytes = 0;
    std::int64_t trainableParameters = 0;
};
FinetuneBenchEntry benchFinetuneEntry(const std::string& name, const std::filesystem::path& floatModel,
                                      const std::filesystem::path& mask, std::int64_t batch, std::int64_t seqLen,
                                      std::int64_t steps, const std::filesystem::path& workDir);

} // namespace zl
