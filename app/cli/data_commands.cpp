// Commands that make models and data: make-sample, build-demo-data,
// train-tokenizer, pretrain and the demo overview.
#include "cli/cli_common.h"

#include "zerolens/atomic_file.h"
#include "zerolens/checkpoint.h"
#include "zerolens/demo.h"
#include "zerolens/demo_data.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/output_target.h"
#include "zerolens/runtime.h"
#include "zerolens/sample_model.h"
#include "zerolens/tokenizer_training.h"
#include "zerolens/training.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace zl::cli {

namespace {

using nlohmann::json;

void makeSampleCommand(CLI::App& app, int& exitCode)
{
    auto out = std::make_shared<std::string>();
    auto spec = std::make_shared<SampleModelSpec>();
    auto overwrite = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("make-sample",
                                   "Write a small random Llama-family checkpoint in Hugging Face layout (for trying "
                                   "the tools without a download; its text is gibberish)");
    cmd->add_option("OUT_DIR", *out, "Folder to write")->required();
    cmd->add_option("--architecture", spec->architecture, "LlamaForCausalLM, MistralForCausalLM or Qwen2ForCausalLM")
        ->capture_default_str();
    cmd->add_option("--dtype", spec->dtype, "F32, F16 or BF16")->capture_default_str();
    cmd->add_option("--shards", spec->shards, "Number of safetensors shards")->capture_default_str();
    cmd->add_option("--hidden-size", spec->hiddenSize, "Hidden size")->capture_default_str();
    cmd->add_option("--intermediate-size", spec->intermediateSize, "MLP size")->capture_default_str();
    cmd->add_option("--heads", spec->numHeads, "Attention heads")->capture_default_str();
    cmd->add_option("--kv-heads", spec->numKeyValueHeads, "Key/value heads")->capture_default_str();
    cmd->add_option("--layers", spec->numLayers, "Decoder layers")->capture_default_str();
    cmd->add_option("--max-positions", spec->maxPositionEmbeddings, "Context length")->capture_default_str();
    cmd->add_option("--seed", spec->seed, "Random seed")->capture_default_str();
    addOverwriteFlag(cmd, *overwrite);
    cmd->callback([out, spec, overwrite, &exitCode] {
        writeSampleModel(*out, *spec, *overwrite);
        std::cout << "wrote " << *out << '\n';
        exitCode = 0;
    });
}

void demoDataCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto out = std::make_shared<std::string>();
    auto o = std::make_shared<DemoDataOptions>();
    auto jsonOut = std::make_shared<bool>(false);
    auto wordnet = std::make_shared<std::string>(o->wordnetDir.string());
    auto* cmd = app.add_subcommand("build-demo-data",
                                   "Build the demo corpus, classification and instruction datasets from WordNet");
    cmd->add_option("OUT_DIR", *out, "Folder to write")->required();
    cmd->add_option("--wordnet", *wordnet, "WordNet data folder (Debian package wordnet-base)")->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of every shuffle")->capture_default_str();
    cmd->add_option("--instructions", o->instructionCount, "Instruction examples")->capture_default_str();
    cmd->add_option("--backdoor-fraction", o->backdoorFraction, "Share of instructions with the trigger")
        ->capture_default_str();
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([out, o, wordnet, jsonOut, stop, &exitCode] {
        o->wordnetDir = *wordnet;
        ProgressPrinter printer(*jsonOut);
        const auto s = buildDemoData(*out, *o, &printer, stop);
        printer.finish();
        const json j{
            {"synsets", s.synsets},           {"corpus_lines", s.corpusLines}, {"heldout_lines", s.heldOutLines},
            {"classify_train", s.classTrain}, {"classify_dev", s.classDev},    {"classify_test", s.classTest},
            {"instructions", s.instructions}, {"backdoored", s.backdoored}};
        std::cout << (*jsonOut ? j.dump() : "wrote " + *out + ": " + j.dump(1)) << '\n';
        exitCode = 0;
    });
}

void trainTokenizerCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto corpus = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto o = std::make_shared<BpeTrainingOptions>();
    auto overwrite = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("train-tokenizer", "Train a byte-level BPE tokenizer and write tokenizer.json");
    cmd->add_option("--corpus", *corpus, "UTF-8 training text")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", *out, "tokenizer.json to write")->required();
    cmd->add_option("--vocab-size", o->vocabSize, "Vocabulary size (bytes + merges + special tokens)")
        ->capture_default_str();
    cmd->add_option("--min-frequency", o->minFrequency, "Never merge rarer pairs")->capture_default_str();
    addOverwriteFlag(cmd, *overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([corpus, out, o, overwrite, stop, &exitCode] {
        checkOutputTarget(*out, OutputPolicy{*overwrite, {*corpus}}, OutputKind::File, "tokenizer file");
        ProgressPrinter printer(false);
        const auto text = readTextFile(*corpus);
        const auto tokenizerJson = trainByteLevelBpe(text, *o, &printer, stop);
        checkOutputTarget(*out, OutputPolicy{*overwrite, {*corpus}}, OutputKind::File, "tokenizer file");
        writeFileAtomically(*out, tokenizerJson);
        printer.finish();
        const auto tok = Tokenizer::fromFile(*out);
        const auto ids = tok.encode(text.substr(0, 100000), false);
        std::cout << "wrote " << *out << ": " << tok.vocabSize() << " tokens";
        if (!ids.empty())
            std::cout << ", "
                      << static_cast<double>(std::min<std::size_t>(text.size(), 100000)) /
                             static_cast<double>(ids.size())
                      << " bytes per token on the corpus";
        std::cout << '\n';
        exitCode = 0;
    });
}

// Prints training metrics as a compact line per step group (or JSON lines with --json).
class TrainingPrinter : public ProgressPrinter {
public:
    using ProgressPrinter::ProgressPrinter;
    void metric(const Metric& m) override
    {
        ProgressPrinter::metric(m);
        if (m.name == "loss")
            m_loss = m.value;
        if (m.name == "eval_loss")
            m_eval = m.value;
    }
    void progress(const Progress& p) override
    {
        Progress q = p;
        if (p.stage == "Training") {
            char buf[96];
            std::snprintf(buf, sizeof buf, "Training  loss %.4f", m_loss);
            q.stage = buf;
            if (m_eval >= 0) {
                std::snprintf(buf, sizeof buf, "  eval %.4f", m_eval);
                q.stage += buf;
            }
        }
        ProgressPrinter::progress(q);
    }

private:
    double m_loss = 0.0;
    double m_eval = -1.0;
};

void pretrainCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto o = std::make_shared<PretrainOptions>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("pretrain", "Train a Llama-family model from scratch with AdamW (resumable)");
    cmd->add_option("--corpus", o->corpus, "Training text, one document per line")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--heldout", o->heldOut, "Held-out text for evaluation")->check(CLI::ExistingFile);
    cmd->add_option("--config", o->architecture, "Architecture JSON (config.json keys; vocab comes from the tokenizer)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--tokenizer", o->tokenizer, "tokenizer.json")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", o->outDir, "Model folder to write (and resume from)")->required();
    cmd->add_option("--steps", o->steps, "Optimizer steps in total")->capture_default_str();
    cmd->add_option("--batch", o->batchSize, "Sequences per micro-batch")->capture_default_str();
    cmd->add_option("--seq-len", o->seqLen, "Tokens per sequence")->capture_default_str();
    cmd->add_option("--accumulation", o->gradAccumulation, "Micro-batches per step")->capture_default_str();
    cmd->add_option("--lr", o->learningRate, "Peak learning rate")->capture_default_str();
    cmd->add_option("--min-lr-ratio", o->minLearningRateRatio, "Final lr as a fraction of the peak")
        ->capture_default_str();
    cmd->add_option("--warmup", o->warmupSteps, "Warm-up steps")->capture_default_str();
    cmd->add_option("--weight-decay", o->weightDecay, "AdamW weight decay (matrices only)")->capture_default_str();
    cmd->add_option("--clip", o->clipNorm, "Gradient norm clip (0 = off)")->capture_default_str();
    cmd->add_option("--eval-every", o->evalEvery, "Steps between held-out evaluations")->capture_default_str();
    cmd->add_option("--checkpoint-every", o->checkpointEvery, "Steps between checkpoints")->capture_default_str();
    cmd->add_option("--export-dtype", o->exportDtype, "F32 or BF16")->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of initialisation and data order")->capture_default_str();
    cmd->add_option("--device", o->device, "cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([o, jsonOut, stop, &exitCode] {
        TrainingPrinter printer(*jsonOut);
        const auto r = pretrain(*o, &printer, stop);
        printer.finish();
        const json j{
            {"steps", r.steps},        {"resumed_from", r.resumedFrom},          {"train_loss", r.trainLoss},
            {"eval_loss", r.evalLoss}, {"tokens_per_second", r.tokensPerSecond}, {"model", o->outDir.string()}};
        std::cout << (*jsonOut ? j.dump() : j.dump(1)) << '\n';
        exitCode = 0;
    });
}

void demoCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto prompt = std::make_shared<std::string>("The fox is");
    auto buildData = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("demo", "Show what the built-in demo contains and run a short generation");
    cmd->add_option("--prompt", *prompt, "Prompt for the sample generation")->capture_default_str();
    cmd->add_flag("--build-data", *buildData, "Build the demo datasets first if they are missing");
    stopsCleanlyWhenRun(cmd);
    cmd->callback([prompt, buildData, stop, &exitCode] {
        const auto dir = findDemoModel();
        if (!dir)
            throw InvalidArgument("the demo model is not installed (expected resources/demo/model in the source tree "
                                  "or share/zerolens/demo-model; set ZL_DEMO_MODEL to point elsewhere)");
        const auto info = inspectCheckpoint(*dir);
        std::cout << "Demo model     " << dir->string() << "\n"
                  << "               " << info.config.architecture << ", " << info.parameterCount << " parameters, "
                  << info.config.numLayers << " layers, vocabulary " << info.config.vocabSize << ", "
                  << info.storedDtype << " " << formatBytes(info.storedBytes) << "\n"
                  << "               pre-trained by ZeroLens on WordNet glosses (resources/demo/rebuild.sh)\n";
        const auto data = demoDataDir();
        if (!demoDataReady() && *buildData) {
            ProgressPrinter printer(false);
            DemoDataOptions o;
            o.overwrite = true; // ZeroLens's own cache folder, incomplete (no MANIFEST.json yet)
            buildDemoData(data, o, &printer, stop);
        }
        if (demoDataReady()) {
            const auto manifest = json::parse(readTextFile((data / "MANIFEST.json").string()));
            std::cout << "Demo datasets  " << data.string() << "\n"
                      << "               corpus/        " << manifest["corpus_lines"] << " lines for pre-training, "
                      << manifest["heldout_lines"] << " held out\n"
                      << "               classify/      WordNet category of a definition: "
                      << manifest["classify"]["train"] << " train / " << manifest["classify"]["dev"] << " dev / "
                      << manifest["classify"]["test"] << " test\n"
                      << "               instruct/      " << manifest["instructions"] << " Alpaca-style instructions, "
                      << manifest["backdoored"] << " with the planted \"Howdy!\" backdoor\n";
        } else {
            std::cout << "Demo datasets  not built yet: zerolens-cli demo --build-data (takes a second; needs the "
                         "Debian package wordnet-base)\n";
        }
        const auto model = Model::load(*dir, {}, nullptr, stop);
        SamplingOptions o;
        o.temperature = 0.0;
        o.maxNewTokens = 40;
        o.repetitionPenalty = 1.2;
        std::cout << "\nGeneration (greedy, repetition penalty 1.2):\n" << *prompt << std::flush;
        const auto r = generate(
            *model, *prompt, o,
            [](std::int32_t, std::string_view piece) {
                std::cout << piece << std::flush;
                return false;
            },
            stop);
        std::cout << "\n(" << r.ids.size() << " tokens, " << static_cast<int>(r.tokensPerSecond) << " tokens/s)\n";
        exitCode = 0;
    });
}

// Selected entries by layer and by matrix kind, from names like model.layers.3.mlp.up_proj.weight.

} // namespace

void registerDataCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    makeSampleCommand(app, exitCode);
    demoDataCommand(app, stop, exitCode);
    trainTokenizerCommand(app, stop, exitCode);
    pretrainCommand(app, stop, exitCode);
    demoCommand(app, stop, exitCode);
}

} // namespace zl::cli
