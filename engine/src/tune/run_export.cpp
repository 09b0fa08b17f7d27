// Exports of a finished (or interrupted) run, and evaluation of any model on a
// dataset split; see zerolens/finetune.h.
#include "io/safetensors_writer.h"
#include "runtime/progress_reporter.h"
#include "tune/run_folder.h"
#include "tune/task_loss.h"
#include "tune/tuned_model.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"

namespace zl {

namespace fs = std::filesystem;

void exportRun(const fs::path& runDir, const fs::path& target, const ExportOptions& eo, EventSink* sink,
               std::stop_token stop)
{
    const tune::RunFolder folder(runDir);
    if (!folder.hasRun())
        throw InvalidArgument(runDir.string() + " is not a run folder (no run.json)");
    const auto run = folder.readRun();
    auto o = tune::optionsFromJson(run.value("options", nlohmann::json()), (runDir / "run.json").string());
    o.outDir = runDir;
    if (o.method == FinetuneMethod::ZeroShot)
        throw InvalidArgument("a zero-shot run changed no weights: export the model it evaluated instead");
    const bool sparse = o.method != FinetuneMethod::DenseZo;
    if (!sparse && eo.kind != ExportKind::Dense)
        throw InvalidArgument("a dense-zo run has no sparse set S: only the dense export applies");
    if (eo.kind == ExportKind::Dense && eo.dtype != "BF16" && eo.dtype != "F32")
        throw InvalidArgument("export dtype must be BF16 or F32");
    OutputPolicy policy{eo.overwrite, {runDir, o.model}};
    if (!o.mask.empty())
        policy.inputs.push_back(o.mask);
    checkOutputTarget(target, policy, eo.kind == ExportKind::SparseDelta ? OutputKind::File : OutputKind::Folder,
                      "export target");

    runtime::ProgressReporter progress(sink, "Exporting", 3, stop);
    auto tuned = tune::prepareTunedModel(o, /*trainable=*/false, nullptr, stop);
    progress.update(1);
    c10::InferenceMode inference;
    if (!eo.latest && folder.hasValues("best"))
        folder.loadValues("best", tuned.values);
    else if (!folder.loadLatest(tuned.values, nullptr, nullptr))
        throw InvalidArgument(runDir.string() + " has no checkpoint yet");
    progress.update(2);
    if (eo.kind == ExportKind::SparseDelta) {
        const auto tunedValues = tuned.values.snapshot();
        folder.loadValues("initial", tuned.values);
        io::SafetensorsWriter w;
        std::size_t block = 0;
        auto& llama = tuned.llama();
        for (std::size_t i = 0; i < llama.layers.size(); ++i)
            for (int p = 0; p < model::kProjectionCount; ++p) {
                const auto& q = llama.layers[i].quantized[static_cast<std::size_t>(p)];
                if (!q || q->sparseValues.numel() == 0)
                    continue;
                const auto& b = tuned.values.blocks()[block];
                const auto delta = (tunedValues[block] - b.values).contiguous().cpu();
                const auto idx = q->sparseIndices.contiguous().cpu();
                const auto base = b.name.substr(0, b.name.size() - std::string("weight").size());
                w.add(base + "sparse_indices", "I64", {idx.numel()},
                      std::string(static_cast<const char*>(idx.data_ptr()), idx.nbytes()));
                w.add(base + "sparse_delta", "F32", {delta.numel()},
                      std::string(static_cast<const char*>(delta.data_ptr()), delta.nbytes()));
                ++block;
            }
        w.setMetadata("format", "zerolens-sparse-delta");
        w.setMetadata("model_id", tuned.modelId);
        w.setMetadata("mask", tuned.maskHash);
        w.write(target);
    } else {
        StagedDirectory staged(target, policy, "export target");
        if (eo.kind == ExportKind::Dense)
            tune::writeDenseModel(tuned, staged.path(), eo.dtype);
        else
            tune::writeQuantizedModel(tuned, staged.path());
        staged.commit();
    }
    progress.update(3);
}

SplitScore evaluateModel(const fs::path& modelDir, const DatasetOptions& data, const std::string& split,
                         std::int64_t batchSize, std::int64_t maxLength, const std::string& device, EventSink* sink,
                         std::stop_token stop)
{
    if (split != "dev" && split != "test" && split != "train")
        throw InvalidArgument("split must be train, dev or test");
    if (batchSize < 1)
        throw InvalidArgument("batch size must be at least 1");
    const auto dataset = loadDataset(data);
    LoadOptions load;
    load.device = device;
    const auto model = Model::load(modelDir, load, sink, stop);
    const auto& tok = model->tokenizer();
    const auto task = tune::encodeTask(dataset.task, tok, std::min(maxLength, model->config().maxPositionEmbeddings));
    const auto& rows = split == "dev" ? dataset.dev : split == "test" ? dataset.test : dataset.train;
    return tune::evaluateSplit(model->impl().llama, task, tune::encodeExamples(rows, tok), batchSize, stop, sink);
}

} // namespace zl
