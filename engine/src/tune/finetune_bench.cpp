// `bench finetune`: one method's time per step and peak memory on random text,
// through the same code as a real run (finetune() on a scratch dataset).
#include "tune/task_loss.h"
#include "tune/tuned_model.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <random>

namespace zl {

namespace fs = std::filesystem;

namespace {

// Examples whose prompt and response are each about seqLen / 2 tokens of random vocabulary.
void writeRandomDataset(const fs::path& file, const Tokenizer& tok, std::int64_t rows, std::int64_t seqLen)
{
    std::mt19937_64 rng(7);
    std::string out;
    auto text = [&] {
        std::vector<std::int32_t> ids;
        for (std::int64_t i = 0; i < seqLen / 2; ++i)
            ids.push_back(static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(tok.vocabSize())));
        return tok.decode(ids, /*skipSpecialTokens=*/true);
    };
    for (std::int64_t r = 0; r < rows; ++r)
        out += nlohmann::json{{"prompt", text()}, {"response", text()}}.dump() + "\n";
    writeFileAtomically(file, out);
}

} // namespace

FinetuneBenchEntry benchFinetuneEntry(const std::string& name, const fs::path& floatModel, const fs::path& mask,
                                      std::int64_t batch, std::int64_t seqLen, std::int64_t steps,
                                      const fs::path& workDir)
{
    if (batch < 1 || seqLen < 4 || steps < 1)
        throw InvalidArgument("batch and steps must be positive, seq-len at least 4");
    FinetuneOptions o;
    o.model = floatModel;
    o.steps = steps;
    o.batchSize = batch;
    o.maxLength = seqLen;
    o.evalEvery = steps + 1; // no evaluation inside the timed steps
    o.exportDense = false;
    o.learningRate = 1e-6;
    o.data.task.kind = TaskKind::Generate;
    o.data.taskGiven = true;
    o.data.devFraction = 0.0;
    o.data.testFraction = 0.0;
    o.runsDatabase = workDir / "runs.sqlite";
    o.outDir = workDir / ("run-" + name);
    fs::create_directories(workDir);
    {
        const auto tok = Tokenizer::fromModelDir(floatModel);
        writeRandomDataset(workDir / "random.jsonl", tok, batch * 4, seqLen);
    }
    o.data.path = workDir / "random.jsonl";
    FinetuneBenchEntry e;
    e.name = name;
    if (name == "sparse_zo_4bit" || name == "fo_sparse_4bit") {
        o.mask = mask;
        o.method = name == "sparse_zo_4bit" ? FinetuneMethod::SparseZo : FinetuneMethod::FirstOrder;
    } else if (name == "dense_zo_fp32") {
        o.method = FinetuneMethod::DenseZo;
    } else if (name == "inference_4bit") {
        // The forward work of a ZO step (two batched passes) on the same 4-bit model, without training.
        o.mask = mask;
        o.method = FinetuneMethod::SparseZo;
        auto tuned = tune::prepareTunedModel(o, false, nullptr, {});
        const auto data = loadDataset(o.data);
        const auto task = tune::encodeTask(data.task, tuned.model->tokenizer(), seqLen);
        const auto examples = tune::encodeExamples(data.train, tuned.model->tokenizer());
        std::vector<const tune::EncodedExample*> b;
        for (std::int64_t i = 0; i < batch; ++i)
            b.push_back(&examples[static_cast<std::size_t>(i) % examples.size()]);
        c10::InferenceMode inference;
        (void)tune::batchLoss(tuned.llama(), task, b).loss.item<double>(); // warm-up
        const auto t0 = std::chrono::steady_clock::now();
        for (std::int64_t s = 0; s < steps; ++s)
            for (int k = 0; k < 2; ++k)
                (void)tune::batchLoss(tuned.llama(), task, b).loss.item<double>();
        e.secondsPerStep =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / static_cast<double>(steps);
        e.peakRssBytes = peakResidentMemoryBytes();
        return e;
    } else {
        throw InvalidArgument("unknown benchmark '" + name +
                              "' (sparse_zo_4bit, dense_zo_fp32, fo_sparse_4bit, inference_4bit)");
    }
    const auto r = finetune(o);
    e.secondsPerStep = r.secondsPerStep;
    e.peakRssBytes = r.peakRssBytes;
    e.trainableParameters = r.trainableParameters;
    return e;
}

} // namespace zl
