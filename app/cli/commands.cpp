#include "cli/commands.h"

#include "cli/progress_printer.h"
#include "zerolens/atomic_file.h"
#include "zerolens/checkpoint.h"
#include "zerolens/demo.h"
#include "zerolens/demo_data.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/output_target.h"
#include "zerolens/quantize.h"
#include "zerolens/runtime.h"
#include "zerolens/sample_model.h"
#include "zerolens/sensitivity.h"
#include "zerolens/tokenizer_training.h"
#include "zerolens/training.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace zl::cli {

namespace {

using nlohmann::json;

std::atomic<bool> g_stopsCleanly{false};

// Marks a command that polls its stop token, so Ctrl+C lets it finish cleanly.
void stopsCleanlyWhenRun(CLI::App* cmd)
{
    cmd->preparse_callback([](std::size_t) { g_stopsCleanly.store(true); });
}

void addOverwriteFlag(CLI::App* cmd, bool& overwrite)
{
    cmd->add_flag("--overwrite", overwrite,
                  "Replace an existing non-empty output (it is replaced only once the new one is complete)");
}

std::string readTextFile(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InvalidArgument(path + ": not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InvalidArgument(path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Common {
    std::string modelDir;
    std::string device = "cpu";
    bool json = false;
};

void addModelOptions(CLI::App* cmd, Common& c)
{
    cmd->add_option("MODEL_DIR", c.modelDir, "Hugging Face model folder (config.json, *.safetensors, tokenizer)")
        ->required();
    cmd->add_option("--device", c.device, "cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--json", c.json, "Print machine-readable JSON on stdout");
}

std::shared_ptr<Model> loadModel(const Common& c, ProgressPrinter& printer, std::stop_token stop)
{
    LoadOptions o;
    o.device = c.device;
    auto m = Model::load(c.modelDir, o, &printer, stop);
    printer.finish();
    return m;
}

json infoJson(const CheckpointInfo& i)
{
    const auto& c = i.config;
    json files = json::array();
    for (const auto& f : i.files)
        files.push_back(f.filename().string());
    return {{"dir", i.dir.string()},
            {"architecture", c.architecture},
            {"model_type", c.modelType},
            {"parameters", i.parameterCount},
            {"layers", c.numLayers},
            {"hidden_size", c.hiddenSize},
            {"intermediate_size", c.intermediateSize},
            {"attention_heads", c.numHeads},
            {"key_value_heads", c.numKeyValueHeads},
            {"head_dim", c.headDim},
            {"vocab_size", c.vocabSize},
            {"max_position_embeddings", c.maxPositionEmbeddings},
            {"rope_theta", c.ropeTheta},
            {"tie_word_embeddings", c.tieWordEmbeddings},
            {"stored_dtype", i.storedDtype},
            {"stored_bytes", i.storedBytes},
            {"fp32_bytes", i.fp32ComputeBytes},
            {"files", files},
            {"tensors", i.tensors.size()},
            {"quantization", c.quantization.format.empty() ? json(nullptr)
                                                           : json{{"format", c.quantization.format},
                                                                  {"group_size", c.quantization.groupSize},
                                                                  {"sparse", c.quantization.sparse},
                                                                  {"sparse_entries", i.sparseEntries}}},
            {"bytes_by_part", {{"quantized", i.quantizedBytes}, {"sparse", i.sparseBytes}, {"other", i.otherBytes}}}};
}

void infoCommand(CLI::App& app, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto* cmd = app.add_subcommand("info", "Validate a model folder and describe it, without loading the weights");
    cmd->add_option("MODEL_DIR", c->modelDir, "Hugging Face model folder")->required();
    cmd->add_flag("--json", c->json, "Print JSON");
    cmd->callback([c, &exitCode] {
        const auto info = inspectCheckpoint(c->modelDir);
        const auto tok = Tokenizer::fromModelDir(c->modelDir);
        auto j = infoJson(info);
        j["tokenizer"] = tok.description();
        if (c->json) {
            std::cout << j.dump(2) << '\n';
        } else {
            const auto& cfg = info.config;
            std::cout << "Model          " << info.dir.string() << "\n"
                      << "Architecture   " << cfg.architecture << " (" << cfg.modelType << ")\n"
                      << "Parameters     " << info.parameterCount << "\n"
                      << "Layers         " << cfg.numLayers << "\n"
                      << "Hidden size    " << cfg.hiddenSize << " (MLP " << cfg.intermediateSize << ")\n"
                      << "Heads          " << cfg.numHeads << " query, " << cfg.numKeyValueHeads
                      << " key/value, head dim " << cfg.headDim << "\n"
                      << "Vocabulary     " << cfg.vocabSize << " (" << tok.description() << ")\n"
                      << "Context        " << cfg.maxPositionEmbeddings << " positions, rope theta " << cfg.ropeTheta
                      << "\n"
                      << "Stored as      " << info.storedDtype << ", " << formatBytes(info.storedBytes) << " in "
                      << info.files.size() << " file(s)\n"
                      << (cfg.quantization.format.empty()
                              ? "Memory (fp32)  " + formatBytes(info.fp32ComputeBytes) + "\n"
                              : "Quantized      " + cfg.quantization.format + ", group " +
                                    std::to_string(cfg.quantization.groupSize) + ": " +
                                    formatBytes(info.quantizedBytes) + " 4-bit, " + formatBytes(info.sparseBytes) +
                                    " sparse (" + std::to_string(info.sparseEntries) + " exact entries), " +
                                    formatBytes(info.otherBytes) + " other\n")
                      << "Checkpoint OK: all " << info.tensors.size() << " tensors present and consistent\n";
        }
        exitCode = 0;
    });
}

void tokenizeCommand(CLI::App& app, int& exitCode)
{
    struct Opts {
        std::string modelDir, text, file;
        bool noSpecial = false, json = false;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("tokenize", "Encode text with the model's tokenizer");
    cmd->add_option("MODEL_DIR", o->modelDir, "Model folder (or its tokenizer)")->required();
    auto* text = cmd->add_option("--text", o->text, "Text to encode");
    auto* file = cmd->add_option("--file", o->file, "UTF-8 file to encode")->check(CLI::ExistingFile);
    text->excludes(file);
    cmd->add_flag("--no-special", o->noSpecial, "Do not add BOS/EOS from the post-processor");
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->callback([o, text, file, &exitCode] {
        if (text->count() == 0 && file->count() == 0)
            throw InvalidArgument("give --text or --file");
        const auto tok = Tokenizer::fromModelDir(o->modelDir);
        const std::string input = file->count() ? readTextFile(o->file) : o->text;
        const auto ids = tok.encode(input, !o->noSpecial);
        if (o->json) {
            std::cout << json{{"ids", ids}}.dump() << '\n';
        } else {
            for (auto id : ids)
                std::cout << id << '\t' << json(tok.token(id)).dump() << '\n';
            std::cout << ids.size() << " tokens\n";
        }
        exitCode = 0;
    });
}

void generateCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto s = std::make_shared<SamplingOptions>();
    auto prompt = std::make_shared<std::string>();
    s->temperature = 0.0;
    auto* cmd = app.add_subcommand("generate", "Generate text from a prompt (streams to stdout)");
    addModelOptions(cmd, *c);
    cmd->add_option("--prompt", *prompt, "Prompt text")->required();
    cmd->add_option("--max-new-tokens", s->maxNewTokens, "Tokens to generate at most")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--temperature", s->temperature, "0 = greedy; higher = more random")->capture_default_str();
    cmd->add_option("--top-k", s->topK, "Sample among the k most likely tokens (0 = off)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--top-p", s->topP, "Nucleus sampling mass (1 = off)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--repetition-penalty", s->repetitionPenalty, "CTRL repetition penalty (1 = off)")
        ->capture_default_str();
    cmd->add_option("--seed", s->seed, "Random seed for sampling")->capture_default_str();
    cmd->add_option("--stop", s->stopStrings, "Stop when this text appears (repeatable)");
    stopsCleanlyWhenRun(cmd);
    cmd->callback([c, s, prompt, stop, &exitCode] {
        validate(*s);
        ProgressPrinter printer(c->json);
        const auto model = loadModel(*c, printer, stop);
        TokenCallback stream;
        if (!c->json)
            stream = [](std::int32_t, std::string_view piece) {
                std::cout << piece << std::flush;
                return false;
            };
        if (!c->json)
            std::cout << *prompt << std::flush;
        const auto r = generate(*model, *prompt, *s, stream, stop);
        if (c->json) {
            std::cout << json{{"prompt_ids", r.promptIds},
                              {"ids", r.ids},
                              {"text", r.text},
                              {"stop_reason", r.stopReason},
                              {"tokens_per_second", r.tokensPerSecond}}
                             .dump()
                      << '\n';
        } else {
            std::cout << '\n';
            std::cerr << r.ids.size() << " tokens, " << r.tokensPerSecond << " tokens/s, stopped: " << r.stopReason
                      << '\n';
        }
        exitCode = r.stopReason == "cancelled" ? 130 : 0;
    });
}

void perplexityCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto file = std::make_shared<std::string>();
    auto context = std::make_shared<std::int64_t>(0);
    auto unigram = std::make_shared<std::string>();
    auto lines = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("perplexity", "Perplexity of a text file (non-overlapping windows)");
    addModelOptions(cmd, *c);
    cmd->add_option("FILE", *file, "UTF-8 text file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--context", *context, "Window length in tokens (default: the model's context, at most 512)")
        ->check(CLI::Range(std::int64_t{2}, std::int64_t{1} << 20));
    cmd->add_option("--unigram-from", *unigram, "Also report a unigram model's perplexity, counted on this text")
        ->check(CLI::ExistingFile);
    cmd->add_flag("--lines", *lines,
                  "One document per line: each line encoded alone and followed by EOS, as pretrain and sensitivity "
                  "read a corpus (default: the whole file as one text)");
    stopsCleanlyWhenRun(cmd);
    cmd->callback([c, file, context, unigram, lines, stop, &exitCode] {
        ProgressPrinter printer(c->json);
        const auto model = loadModel(*c, printer, stop);
        if (*context == 0)
            *context = std::min<std::int64_t>(512, model->config().maxPositionEmbeddings);
        const auto& tok = model->tokenizer();
        auto encode = [&](const std::string& path) {
            const std::string text = readTextFile(path);
            if (!*lines)
                return tok.encode(text, false);
            std::vector<std::int32_t> ids;
            std::istringstream in(text);
            for (std::string line; std::getline(in, line);) {
                if (line.empty())
                    continue;
                const auto part = tok.encode(line, false);
                ids.insert(ids.end(), part.begin(), part.end());
                if (tok.eosId())
                    ids.push_back(*tok.eosId());
            }
            return ids;
        };
        const auto ids = encode(*file);
        const auto r = perplexity(*model, ids, *context, &printer, stop);
        printer.finish();
        json j{{"perplexity", r.perplexity},
               {"tokens", r.scoredTokens},
               {"mean_nll", r.meanNll},
               {"windows", r.windows},
               {"context", *context}};
        if (!unigram->empty())
            j["unigram_perplexity"] = unigramPerplexity(encode(*unigram), ids, *context, model->config().vocabSize);
        if (c->json) {
            std::cout << j.dump() << '\n';
        } else {
            std::cout << "perplexity " << r.perplexity << " over " << r.scoredTokens << " scored tokens in "
                      << r.windows << " windows of up to " << *context << '\n';
            if (j.contains("unigram_perplexity"))
                std::cout << "unigram baseline " << j["unigram_perplexity"].get<double>() << " on the same tokens\n";
        }
        exitCode = 0;
    });
}

void benchCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto* bench = app.add_subcommand("bench", "Benchmarks (JSON output)");
    bench->require_subcommand(1);
    stopsCleanlyWhenRun(bench);
    auto c = std::make_shared<Common>();
    auto batch = std::make_shared<std::int64_t>(16);
    auto seq = std::make_shared<std::int64_t>(128);
    auto iterations = std::make_shared<std::int64_t>(3);
    auto arch = std::make_shared<std::string>();
    auto vocab = std::make_shared<std::int64_t>(4096);
    auto* train = bench->add_subcommand("train", "Tokens/s of pre-training steps (forward + backward + update)");
    train->add_option("ARCH_JSON", *arch, "Architecture JSON, as for pretrain --config")
        ->required()
        ->check(CLI::ExistingFile);
    train->add_option("--vocab", *vocab, "Vocabulary size")->check(CLI::PositiveNumber)->capture_default_str();
    train->add_option("--batch", *batch, "Sequences per batch")->check(CLI::PositiveNumber)->capture_default_str();
    train->add_option("--seq", *seq, "Tokens per sequence")->check(CLI::PositiveNumber)->capture_default_str();
    train->add_option("--iterations", *iterations, "Timed steps after one warm-up")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    train->add_option("--device", c->device, "cpu, cuda or cuda:N")->capture_default_str();
    train->callback([arch, vocab, batch, seq, iterations, c, &exitCode] {
        const auto r = benchTrain(*arch, *vocab, *batch, *seq, *iterations, c->device);
        std::cout << json{{"bench", "train"},
                          {"device", c->device},
                          {"parameters", r.parameters},
                          {"batch", *batch},
                          {"seq", *seq},
                          {"tokens_per_second", r.tokensPerSecond},
                          {"baseline_forward_tokens_per_second", r.forwardOnlyTokensPerSecond},
                          {"ratio_to_baseline", r.tokensPerSecond / r.forwardOnlyTokensPerSecond}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });
    auto* fwd = bench->add_subcommand("forward", "Tokens/s of the batched forward pass on random ids");
    addModelOptions(fwd, *c);
    fwd->add_option("--batch", *batch, "Sequences per batch")->check(CLI::PositiveNumber)->capture_default_str();
    fwd->add_option("--seq", *seq, "Tokens per sequence")->check(CLI::PositiveNumber)->capture_default_str();
    fwd->add_option("--iterations", *iterations, "Timed repetitions after one warm-up")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    fwd->callback([c, batch, seq, iterations, stop, &exitCode] {
        ProgressPrinter printer(true);
        const auto model = loadModel(*c, printer, stop);
        const auto r = benchForward(*model, *batch, *seq, *iterations);
        std::cout << json{{"bench", "forward"},
                          {"device", model->device()},
                          {"dtype", model->computeDtype()},
                          {"parameters", model->info().parameterCount},
                          {"batch", r.batch},
                          {"seq", r.seq},
                          {"iterations", r.iterations},
                          {"seconds", r.seconds},
                          {"tokens_per_second", r.tokensPerSecond},
                          {"model_gflops", r.modelGflops},
                          {"baseline_matmul_gflops", r.matmulGflops},
                          {"ratio_to_baseline", r.modelGflops / r.matmulGflops},
                          {"decode_tokens_per_second", r.decodeTokensPerSecond},
                          {"quantization", model->config().quantization.format.empty()
                                               ? std::string("none")
                                               : model->config().quantization.format +
                                                     (model->config().quantization.sparse ? "+sparse" : "")},
                          {"peak_rss_bytes", peakResidentMemoryBytes()}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });
}

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
            buildDemoData(data, {}, &printer, stop);
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
json maskDistribution(const SensitivityMask& m)
{
    std::map<std::string, std::int64_t> byKind;
    std::map<std::int64_t, std::int64_t> byLayer;
    for (const auto& [name, idx] : m.indices) {
        const auto layerStart = std::string("model.layers.").size();
        const auto layer = std::stoll(name.substr(layerStart, name.find('.', layerStart) - layerStart));
        const auto end = name.rfind(".weight");
        const auto kind = name.substr(name.rfind('.', end - 1) + 1, end - name.rfind('.', end - 1) - 1);
        byKind[kind] += static_cast<std::int64_t>(idx.size());
        byLayer[layer] += static_cast<std::int64_t>(idx.size());
    }
    json layers = json::array();
    for (const auto& [layer, n] : byLayer)
        layers.push_back(n);
    return {{"by_kind", byKind}, {"by_layer", layers}};
}

json maskJson(const SensitivityMask& m)
{
    return {{"rule", m.rule},           {"selection", m.selection},   {"fraction", m.fraction},
            {"selected", m.selected()}, {"candidates", m.candidates}, {"sequences", m.sequences},
            {"seq_len", m.seqLen},      {"model_id", m.modelId},      {"distribution", maskDistribution(m)}};
}

void printMask(const SensitivityMask& m)
{
    const auto d = maskDistribution(m);
    std::cout << "Rule        " << m.rule << " (" << m.selection << ")\n"
              << "Selected    " << m.selected() << " of " << m.candidates << " entries ("
              << 100.0 * static_cast<double>(m.selected()) /
                     static_cast<double>(std::max<std::int64_t>(1, m.candidates))
              << "%)\n";
    if (m.rule == "gradient_squared")
        std::cout << "Corpus      " << m.sequences << " sequences of " << m.seqLen << " tokens\n";
    std::cout << "By kind    ";
    for (const auto& [kind, n] : d["by_kind"].items())
        std::cout << ' ' << kind << '=' << n.get<std::int64_t>();
    std::cout << "\nBy layer   ";
    for (const auto& n : d["by_layer"])
        std::cout << ' ' << n.get<std::int64_t>();
    std::cout << '\n';
}

void sensitivityCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto c = std::make_shared<Common>();
    auto o = std::make_shared<SensitivityOptions>();
    auto rule = std::make_shared<std::string>("gradient");
    auto out = std::make_shared<std::string>();
    auto overwrite = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("sensitivity", "Find the most sensitive weights and save them as a mask file");
    addModelOptions(cmd, *c);
    cmd->add_option("--rule", *rule, "gradient (squared gradients on --corpus), magnitude or random")
        ->check(CLI::IsMember({"gradient", "magnitude", "random"}))
        ->capture_default_str();
    cmd->add_option("--corpus", o->corpus, "Text for the gradient rule, one document per line")
        ->check(CLI::ExistingFile);
    cmd->add_option("--sequences", o->sequences, "Sequences whose squared gradients are summed")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--seq-len", o->seqLen, "Tokens per sequence")
        ->check(CLI::Range(std::int64_t{2}, std::int64_t{1} << 20))
        ->capture_default_str();
    cmd->add_option("--fraction", o->fraction, "Share of the candidate weights to select, in (0, 1]")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_flag("--per-matrix", o->perMatrix, "Rank within each matrix instead of across all of them");
    cmd->add_option("--include", o->include, "Matrix kinds to choose from")->delimiter(',')->capture_default_str();
    cmd->add_option("--seed", o->seed, "Seed of the random rule")->capture_default_str();
    cmd->add_option("--out", *out, "Mask file to write")->required();
    addOverwriteFlag(cmd, *overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([c, o, rule, out, overwrite, stop, &exitCode] {
        o->rule = *rule == "gradient"    ? MaskRule::GradientSquared
                  : *rule == "magnitude" ? MaskRule::Magnitude
                                         : MaskRule::Random;
        if (o->rule == MaskRule::GradientSquared && o->corpus.empty())
            throw InvalidArgument("the gradient rule needs --corpus FILE");
        o->device = c->device;
        OutputPolicy policy{*overwrite, {c->modelDir}};
        if (!o->corpus.empty())
            policy.inputs.push_back(o->corpus);
        checkOutputTarget(*out, policy, OutputKind::File, "mask file"); // before the long work, not after
        ProgressPrinter printer(c->json);
        const auto mask = computeSensitivityMask(c->modelDir, *o, &printer, stop);
        printer.finish();
        saveMask(mask, *out, policy);
        if (c->json)
            std::cout << maskJson(mask).dump() << '\n';
        else {
            std::cout << "wrote " << *out << '\n';
            printMask(mask);
        }
        exitCode = 0;
    });
}

void maskInfoCommand(CLI::App& app, int& exitCode)
{
    auto file = std::make_shared<std::string>();
    auto modelDir = std::make_shared<std::string>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("mask-info", "Describe a mask file (and check it against a model)");
    cmd->add_option("MASK", *file, "Mask file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--model", *modelDir, "Model folder the mask must belong to");
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    cmd->callback([file, modelDir, jsonOut, &exitCode] {
        std::optional<CheckpointInfo> info;
        if (!modelDir->empty())
            info = inspectCheckpoint(*modelDir);
        const auto mask = loadMask(*file, info ? &*info : nullptr);
        if (*jsonOut)
            std::cout << maskJson(mask).dump() << '\n';
        else
            printMask(mask);
        exitCode = 0;
    });
}

void quantizeCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto model = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto o = std::make_shared<QuantizeOptions>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("quantize", "Quantize a model to 4 bits, optionally keeping a mask's weights exact");
    cmd->add_option("MODEL_DIR", *model, "Model folder")->required();
    cmd->add_option("--format", o->format, "int4 or nf4")->check(CLI::IsMember({"int4", "nf4"}))->capture_default_str();
    cmd->add_option("--group-size", o->groupSize, "Entries per scale along each row (even, 2 to 4096)")
        ->check(CLI::Range(std::int64_t{2}, kMaxGroupSize))
        ->capture_default_str();
    cmd->add_option("--mask", o->mask, "Sensitivity mask: these entries stay in full precision (dense-and-sparse)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--out", *out, "Folder for the quantized model")->required();
    cmd->add_flag("--json", *jsonOut, "Print JSON");
    addOverwriteFlag(cmd, o->overwrite);
    stopsCleanlyWhenRun(cmd);
    cmd->callback([model, out, o, jsonOut, stop, &exitCode] {
        ProgressPrinter printer(*jsonOut);
        const auto r = quantizeModel(*model, *out, *o, &printer, stop);
        printer.finish();
        const auto total = r.quantizedBytes + r.sparseBytes + r.otherBytes;
        const json j{
            {"matrices", r.matrices},          {"sparse_entries", r.sparseEntries},   {"input_bytes", r.inputBytes},
            {"output_bytes", total},           {"quantized_bytes", r.quantizedBytes}, {"sparse_bytes", r.sparseBytes},
            {"other_bytes", r.otherBytes},     {"max_abs_error", r.maxAbsError},      {"rms_error", r.rmsError},
            {"peak_rss_bytes", r.peakRssBytes}};
        if (*jsonOut) {
            std::cout << j.dump() << '\n';
        } else {
            std::cout << "wrote " << *out << ": " << formatBytes(r.inputBytes) << " -> " << formatBytes(total) << " ("
                      << formatBytes(r.quantizedBytes) << " 4-bit, " << formatBytes(r.sparseBytes) << " sparse, "
                      << formatBytes(r.otherBytes) << " other)\n"
                      << r.matrices << " matrices, " << r.sparseEntries << " entries kept exact, weight error max "
                      << r.maxAbsError << " rms " << r.rmsError << ", peak memory " << formatBytes(r.peakRssBytes)
                      << '\n';
        }
        exitCode = 0;
    });
}

} // namespace

bool stopsCleanly()
{
    return g_stopsCleanly.load();
}

void registerCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    infoCommand(app, exitCode);
    tokenizeCommand(app, exitCode);
    generateCommand(app, stop, exitCode);
    perplexityCommand(app, stop, exitCode);
    benchCommand(app, stop, exitCode);
    makeSampleCommand(app, exitCode);
    demoDataCommand(app, stop, exitCode);
    trainTokenizerCommand(app, stop, exitCode);
    pretrainCommand(app, stop, exitCode);
    demoCommand(app, stop, exitCode);
    sensitivityCommand(app, stop, exitCode);
    maskInfoCommand(app, exitCode);
    quantizeCommand(app, stop, exitCode);
}

} // namespace zl::cli
