#include "cli/commands.h"

#include "cli/progress_printer.h"
#include "zerolens/checkpoint.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/runtime.h"
#include "zerolens/sample_model.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace zl::cli {

namespace {

using nlohmann::json;

std::string readTextFile(const std::string& path)
{
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
            {"tensors", i.tensors.size()}};
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
                      << "Memory (fp32)  " << formatBytes(info.fp32ComputeBytes) << "\n"
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
    cmd->add_option("--max-new-tokens", s->maxNewTokens, "Tokens to generate at most")->capture_default_str();
    cmd->add_option("--temperature", s->temperature, "0 = greedy; higher = more random")->capture_default_str();
    cmd->add_option("--top-k", s->topK, "Sample among the k most likely tokens (0 = off)")->capture_default_str();
    cmd->add_option("--top-p", s->topP, "Nucleus sampling mass (1 = off)")->capture_default_str();
    cmd->add_option("--repetition-penalty", s->repetitionPenalty, "CTRL repetition penalty (1 = off)")
        ->capture_default_str();
    cmd->add_option("--seed", s->seed, "Random seed for sampling")->capture_default_str();
    cmd->add_option("--stop", s->stopStrings, "Stop when this text appears (repeatable)");
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
    auto context = std::make_shared<std::int64_t>(512);
    auto* cmd = app.add_subcommand("perplexity", "Perplexity of a text file (non-overlapping windows)");
    addModelOptions(cmd, *c);
    cmd->add_option("FILE", *file, "UTF-8 text file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--context", *context, "Window length in tokens")->capture_default_str();
    cmd->callback([c, file, context, stop, &exitCode] {
        ProgressPrinter printer(c->json);
        const auto model = loadModel(*c, printer, stop);
        const auto ids = model->tokenizer().encode(readTextFile(*file), false);
        const auto r = perplexity(*model, ids, *context, &printer, stop);
        printer.finish();
        if (c->json)
            std::cout << json{{"perplexity", r.perplexity},
                              {"tokens", r.scoredTokens},
                              {"mean_nll", r.meanNll},
                              {"windows", r.windows},
                              {"context", *context}}
                             .dump()
                      << '\n';
        else
            std::cout << "perplexity " << r.perplexity << " over " << r.scoredTokens << " scored tokens in "
                      << r.windows << " windows of up to " << *context << '\n';
        exitCode = 0;
    });
}

void benchCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto* bench = app.add_subcommand("bench", "Benchmarks (JSON output)");
    bench->require_subcommand(1);
    auto c = std::make_shared<Common>();
    auto batch = std::make_shared<std::int64_t>(16);
    auto seq = std::make_shared<std::int64_t>(128);
    auto iterations = std::make_shared<std::int64_t>(3);
    auto* fwd = bench->add_subcommand("forward", "Tokens/s of the batched forward pass on random ids");
    addModelOptions(fwd, *c);
    fwd->add_option("--batch", *batch, "Sequences per batch")->capture_default_str();
    fwd->add_option("--seq", *seq, "Tokens per sequence")->capture_default_str();
    fwd->add_option("--iterations", *iterations, "Timed repetitions after one warm-up")->capture_default_str();
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
    cmd->callback([out, spec, &exitCode] {
        writeSampleModel(*out, *spec);
        std::cout << "wrote " << *out << '\n';
        exitCode = 0;
    });
}

} // namespace

void registerCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    infoCommand(app, exitCode);
    tokenizeCommand(app, exitCode);
    generateCommand(app, stop, exitCode);
    perplexityCommand(app, stop, exitCode);
    benchCommand(app, stop, exitCode);
    makeSampleCommand(app, exitCode);
}

} // namespace zl::cli
