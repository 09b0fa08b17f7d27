// Fine-tuning from the command line: finetune (sparse ZO, dense MeZO, first
// order, zero-shot), evaluate, runs export, and bench finetune.
#include "cli/cli_common.h"
#include "cli/data_options.h"

#include "zerolens/error.h"
#include "zerolens/finetune.h"
#include "zerolens/runs.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

namespace zl::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A shell word for popen: single quotes, with embedded ones escaped.
std::string shellQuoted(const std::string& s)
{
    std::string out = "'";
    for (const char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

json scoreJson(const SplitScore& s)
{
    json j{{"loss", s.loss}, {"examples", s.examples}};
    if (s.accuracy >= 0)
        j["accuracy"] = s.accuracy;
    return j;
}

// The live line of a run: step, smoothed loss, last dev accuracy, memory, ETA.
class FinetunePrinter : public ProgressPrinter {
public:
    explicit FinetunePrinter(bool jsonLines) : ProgressPrinter(jsonLines), m_json(jsonLines) {}
    void metric(const Metric& m) override
    {
        ProgressPrinter::metric(m);
        if (m.name == "loss_avg")
            m_loss = m.value;
        else if (m.name == "dev_accuracy")
            m_accuracy = m.value;
        else if (m.name == "rss_bytes")
            m_rss = m.value;
        if (!m_json && !::isatty(STDERR_FILENO) && m.name == "dev_loss")
            std::cerr << "step " << m.step << ": dev loss " << m.value
                      << (m_accuracy >= 0 ? ", dev accuracy " + std::to_string(m_accuracy) : std::string()) << '\n';
    }
    void progress(const Progress& p) override
    {
        if (m_json || p.stage != "Fine-tuning" || !::isatty(STDERR_FILENO)) {
            ProgressPrinter::progress(p);
            return;
        }
        char line[256];
        std::snprintf(line, sizeof line, "step %lld/%lld  loss %.4f  dev acc %s  RSS %s  ETA %.0fs",
                      static_cast<long long>(p.done), static_cast<long long>(p.total), m_loss,
                      m_accuracy >= 0 ? std::to_string(m_accuracy).substr(0, 5).c_str() : "-",
                      formatBytes(static_cast<std::uint64_t>(m_rss)).c_str(), std::max(0.0, p.etaSeconds));
        std::cerr << '\r' << line << "\x1b[K" << std::flush;
        if (p.done >= p.total)
            std::cerr << '\n';
    }

private:
    bool m_json;
    double m_loss = 0.0, m_accuracy = -1.0, m_rss = 0.0;
};

void finetuneCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto o = std::make_shared<FinetuneOptions>();
    auto f = std::make_shared<DataFlags>();
    auto method = std::make_shared<std::string>("sparse-zo");
    auto schedule = std::make_shared<std::string>("constant");
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("finetune", "Fine-tune a model: sparse zeroth-order (SensZOQ) or a baseline");
    cmd->add_option("MODEL_DIR", o->model, "4-bit folder with S, or a float model (with --mask for sparse methods)")
        ->required();
    cmd->add_option("--mask", o->mask, "Sensitivity mask: quantize the float model in memory keeping these in S");
    cmd->add_option("--method", *method, "sparse-zo, dense-zo (MeZO on all float weights), fo (AdamW on S), zero-shot")
        ->check(CLI::IsMember({"sparse-zo", "dense-zo", "fo", "zero-shot"}))
        ->capture_default_str();
    addDataOptions(cmd, o->data, *f);
    cmd->add_option("--steps", o->steps, "Training steps")->check(wholeNumber(0))->capture_default_str();
    cmd->add_option("--batch", o->batchSize, "Examples per step")->check(wholeNumber(1, 4096))->capture_default_str();
    auto* lr = cmd->add_option("--lr", o->learningRate,
                               "Learning rate (default per method: sparse-zo 1e-3, dense-zo 1e-5, fo 1e-3)")
                   ->check(CLI::NonNegativeNumber);
    cmd->add_option("--schedule", *schedule, "constant, linear or cosine")
        ->check(CLI::IsMember({"constant", "linear", "cosine"}))
        ->capture_default_str();
    cmd->add_option("--eps", o->epsilon, "ZO perturbation scale ε")->check(CLI::PositiveNumber)->capture_default_str();
    cmd->add_option("--perturbations", o->perturbations, "SPSA estimates averaged per step")
        ->check(wholeNumber(1, 64))
        ->capture_default_str();
    cmd->add_option("--weight-decay", o->weightDecay, "Decoupled weight decay")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--clip", o->gradClip, "ZO: clip |g|; fo: clip the gradient norm (0 = off)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--max-length", o->maxLength, "Tokens per example (prompt cut from the left)")
        ->check(wholeNumber(2, 1 << 20))
        ->capture_default_str();
    cmd->add_option("--eval-every", o->evalEvery, "Steps between dev evaluations and checkpoints")
        ->check(wholeNumber(1))
        ->capture_default_str();
    cmd->add_option("--eval-batch", o->evalBatchSize, "Examples per evaluation batch")
        ->check(wholeNumber(1, 4096))
        ->capture_default_str();
    cmd->add_option("--early-stop", o->earlyStopEvals, "Stop after this many evaluations without a better dev score")
        ->check(wholeNumber(0));
    cmd->add_option("--seed", o->seed, "Seed of batches and perturbations")->capture_default_str();
    cmd->add_option("--quant-format", o->quantFormat, "In-memory quantization with --mask: int4 or nf4")
        ->check(CLI::IsMember({"int4", "nf4"}))
        ->capture_default_str();
    cmd->add_option("--group-size", o->groupSize, "In-memory quantization group size")
        ->check(wholeNumber(2, 4096))
        ->capture_default_str();
    cmd->add_option("--out", o->outDir, "Run folder (an existing run folder of the same settings resumes)")->required();
    cmd->add_option("--db", o->runsDatabase, "Run database (default: " + RunDatabase::defaultPath().string() + ")");
    cmd->add_option("--name", o->runName, "Name of the run in the database");
    cmd->add_option("--export-dtype", o->exportDtype, "dtype of the exported Hugging Face model: BF16 or F32")
        ->check(CLI::IsMember({"BF16", "F32"}))
        ->capture_default_str();
    cmd->add_flag(
        "--no-export", [o](std::int64_t) { o->exportDense = false; },
        "Do not write the tuned model into RUN_DIR/model at the end");
    cmd->add_option("--device", o->device, "cpu or cuda:N")->capture_default_str();
    cmd->add_flag("--json", *jsonOut, "JSON lines on stderr; the final result as JSON on stdout");
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([o, f, method, schedule, jsonOut, lr, stop, &exitCode] {
        o->method = methodFromName(*method);
        if (lr->count() == 0)
            o->learningRate = defaultLearningRate(o->method);
        o->schedule = scheduleFromName(*schedule);
        applyDataFlags(o->data, *f);
        FinetunePrinter printer(*jsonOut);
        const auto r = finetune(*o, &printer, stop, [&](const Dataset& d) {
            if (*jsonOut)
                return;
            std::cerr << "Dataset     " << taskKindName(d.task.kind) << ": " << d.train.size() << " train, "
                      << d.dev.size() << " dev, " << d.test.size() << " test";
            if (!d.warnings.empty())
                std::cerr << " (" << d.warnings.size() << " rows skipped)";
            std::cerr << "\nExample     " << json::array({d.train.front().prompt}).dump().substr(1) << '\n';
        });
        printer.finish();
        if (*jsonOut) {
            std::cout << nlohmann::json{{"run_id", r.runId},
                                        {"run_dir", r.runDir.string()},
                                        {"status", r.status},
                                        {"steps", r.steps},
                                        {"resumed_from", r.resumedFrom},
                                        {"best_step", r.bestStep},
                                        {"zero_shot_dev", scoreJson(r.zeroShotDev)},
                                        {"dev", scoreJson(r.dev)},
                                        {"test", scoreJson(r.test)},
                                        {"test_accuracy", r.test.accuracy},
                                        {"trainable_parameters", r.trainableParameters},
                                        {"seconds_per_step", r.secondsPerStep},
                                        {"peak_rss_bytes", r.peakRssBytes},
                                        {"weight_bytes", r.inferenceBytes}}
                             .dump()
                      << '\n';
        } else {
            auto pct = [](double a) { return a >= 0 ? std::to_string(a * 100).substr(0, 5) + " %" : std::string("-"); };
            std::cout << "Run         " << r.runId << " (" << r.status << ") in " << r.runDir.string() << '\n'
                      << "Steps       " << r.steps
                      << (r.resumedFrom > 0 ? " (resumed from " + std::to_string(r.resumedFrom) + ")" : std::string())
                      << ", best dev at step " << r.bestStep << '\n'
                      << "Zero-shot   dev accuracy " << pct(r.zeroShotDev.accuracy) << ", dev loss "
                      << r.zeroShotDev.loss << '\n'
                      << "Best dev    accuracy " << pct(r.dev.accuracy) << ", loss " << r.dev.loss << '\n'
                      << "Test        accuracy " << pct(r.test.accuracy) << ", loss " << r.test.loss << '\n'
                      << "Trainable   " << r.trainableParameters << " values, " << r.secondsPerStep
                      << " s/step, peak RSS " << formatBytes(r.peakRssBytes) << '\n';
        }
        exitCode = 0;
    });
}

void evaluateCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto d = std::make_shared<DatasetOptions>();
    auto f = std::make_shared<DataFlags>();
    auto split = std::make_shared<std::string>("test");
    auto batch = std::make_shared<std::int64_t>(32);
    auto maxLength = std::make_shared<std::int64_t>(256);
    auto* cmd = app.add_subcommand("evaluate", "Loss and accuracy of a model on a dataset split");
    addModelOptions(cmd, *c);
    addDataOptions(cmd, *d, *f);
    cmd->add_option("--split", *split, "train, dev or test")
        ->check(CLI::IsMember({"train", "dev", "test"}))
        ->capture_default_str();
    cmd->add_option("--batch", *batch, "Examples per batch")->check(wholeNumber(1, 4096))->capture_default_str();
    cmd->add_option("--max-length", *maxLength, "Tokens per example")
        ->check(wholeNumber(2, 1 << 20))
        ->capture_default_str();
    stopsCleanlyWhenRun(cmd);
    cmd->callback([c, d, f, split, batch, maxLength, stop, &exitCode] {
        applyDataFlags(*d, *f);
        ProgressPrinter printer(c->json);
        const auto s = evaluateModel(c->modelDir, *d, *split, *batch, *maxLength, c->device, &printer, stop);
        printer.finish();
        auto j = scoreJson(s);
        j["split"] = *split;
        if (c->json)
            std::cout << j.dump() << '\n';
        else
            std::cout << *split << ": " << s.examples << " examples, loss " << s.loss
                      << (s.accuracy >= 0 ? ", accuracy " + std::to_string(s.accuracy * 100).substr(0, 5) + " %"
                                          : std::string())
                      << '\n';
        exitCode = 0;
    });
}

void exportCommand(CLI::App& runs, std::stop_token stop, int& exitCode)
{
    auto dir = std::make_shared<std::string>();
    auto target = std::make_shared<std::string>();
    auto kind = std::make_shared<std::string>("dense");
    auto o = std::make_shared<ExportOptions>();
    auto* cmd = runs.add_subcommand("export", "Export a run's tuned model (best dev checkpoint by default)");
    cmd->add_option("RUN_DIR", *dir, "Run folder")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--kind", *kind, "dense (Hugging Face), quantized (ZeroLens 4-bit with tuned S), delta (S only)")
        ->check(CLI::IsMember({"dense", "quantized", "delta"}))
        ->capture_default_str();
    cmd->add_option("--dtype", o->dtype, "dense: BF16 or F32")
        ->check(CLI::IsMember({"BF16", "F32"}))
        ->capture_default_str();
    cmd->add_flag("--latest", o->latest, "The latest checkpoint instead of the best dev one");
    cmd->add_option("--out", *target, "Folder (dense, quantized) or .safetensors file (delta) to write")->required();
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([dir, target, kind, o, stop, &exitCode] {
        o->kind = *kind == "dense"       ? ExportKind::Dense
                  : *kind == "quantized" ? ExportKind::Quantized
                                         : ExportKind::SparseDelta;
        ProgressPrinter printer(false);
        exportRun(*dir, *target, *o, &printer, stop);
        printer.finish();
        std::cout << "Wrote " << *target << '\n';
        exitCode = 0;
    });
}

// Each method runs in its own process (this executable, --entry) so that
// peak RSS figures do not mix; the ratios compare numbers from the same run.
void benchFinetuneCommand(CLI::App& bench, std::stop_token, int& exitCode)
{
    struct Args {
        std::string model, mask, entry, work;
        std::int64_t batch = 16, seq = 64, steps = 10;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = bench.add_subcommand("finetune", "Time per step and peak RSS of sparse ZO, dense MeZO, FO, inference");
    cmd->add_option("MODEL_DIR", a->model, "Float model")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--mask", a->mask, "Mask of the model (S for the sparse methods)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--batch", a->batch, "Examples per step")->check(wholeNumber(1, 4096))->capture_default_str();
    cmd->add_option("--seq", a->seq, "Tokens per example")->check(wholeNumber(4, 1 << 16))->capture_default_str();
    cmd->add_option("--steps", a->steps, "Timed steps per method")->check(wholeNumber(1))->capture_default_str();
    cmd->add_option("--entry", a->entry, "Run one method in this process (used internally)");
    cmd->callback([a, &exitCode] {
        auto entryJson = [](const FinetuneBenchEntry& e) {
            return nlohmann::json{{"name", e.name},
                                  {"seconds_per_step", e.secondsPerStep},
                                  {"peak_rss_bytes", e.peakRssBytes},
                                  {"trainable_parameters", e.trainableParameters}};
        };
        if (!a->entry.empty()) {
            const ScratchFolder work;
            std::cout << entryJson(
                             benchFinetuneEntry(a->entry, a->model, a->mask, a->batch, a->seq, a->steps, work.path()))
                             .dump()
                      << '\n';
            exitCode = 0;
            return;
        }
        nlohmann::json results = nlohmann::json::object();
        for (const char* entry : {"inference_4bit", "sparse_zo_4bit", "dense_zo_fp32", "fo_sparse_4bit"}) {
            const std::string cmdLine = shellQuoted(fs::read_symlink("/proc/self/exe").string()) + " bench finetune " +
                                        shellQuoted(a->model) + " --mask " + shellQuoted(a->mask) + " --batch " +
                                        std::to_string(a->batch) + " --seq " + std::to_string(a->seq) + " --steps " +
                                        std::to_string(a->steps) + " --threads " + std::to_string(threadCount()) +
                                        " --entry " + entry;
            std::FILE* p = ::popen(cmdLine.c_str(), "r");
            if (!p)
                throw Error("cannot start the benchmark process");
            std::string out;
            char buf[4096];
            while (std::fgets(buf, sizeof buf, p))
                out += buf;
            if (::pclose(p) != 0)
                throw Error(std::string("benchmark ") + entry + " failed");
            results[entry] = nlohmann::json::parse(out);
        }
        auto sec = [&](const char* n) { return results[n]["seconds_per_step"].get<double>(); };
        auto rss = [&](const char* n) {
            return static_cast<double>(results[n]["peak_rss_bytes"].get<std::uint64_t>());
        };
        std::cout << nlohmann::json{{"bench", "finetune"},
                                    {"batch", a->batch},
                                    {"seq", a->seq},
                                    {"steps", a->steps},
                                    {"threads", threadCount()},
                                    {"entries", results},
                                    {"ratios",
                                     {{"sparse_zo_step_vs_dense_zo", sec("sparse_zo_4bit") / sec("dense_zo_fp32")},
                                      {"sparse_zo_step_vs_inference", sec("sparse_zo_4bit") / sec("inference_4bit")},
                                      {"sparse_zo_peak_rss_vs_inference",
                                       rss("sparse_zo_4bit") / rss("inference_4bit")},
                                      {"dense_zo_peak_rss_vs_inference", rss("dense_zo_fp32") / rss("inference_4bit")},
                                      {"fo_peak_rss_vs_inference", rss("fo_sparse_4bit") / rss("inference_4bit")}}}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });
}

} // namespace

void registerFinetuneCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    finetuneCommand(app, stop, exitCode);
    evaluateCommand(app, stop, exitCode);
    if (auto* runs = app.get_subcommand("runs"))
        exportCommand(*runs, stop, exitCode);
    if (auto* bench = app.get_subcommand("bench"))
        benchFinetuneCommand(*bench, stop, exitCode);
}

} // namespace zl::cli
