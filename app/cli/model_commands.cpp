// Commands that read or run a model: info, tokenize, generate, perplexity, bench.
#include "cli/cli_common.h"

#include "zerolens/checkpoint.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/runtime.h"
#include "zerolens/training.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <sstream>

namespace zl::cli {

namespace {

using nlohmann::json;

json infoJson(const CheckpointInfo& i)
{
    const auto& c = i.config;
    json files = json::array();
    for (const auto& f : i.files)
        files.push_back(f.filename().string());
    return {
        {"dir", i.dir.string()},
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
        {"quantization", c.quantization.format.empty()
                             ? json(nullptr)
                             : json{{"format", c.quantization.format},
                                    {"group_size", c.quantization.groupSize},
                                    {"sparse", c.quantization.sparse},
                                    {"embedding_format",
                                     c.quantization.embeddingFormat.empty() ? "float" : c.quantization.embeddingFormat},
                                    {"sparse_entries", i.sparseEntries}}},
        {"bytes_by_part",
         {{"quantized", i.quantizedBytes}, {"sparse", i.sparseBytes}, {"int8", i.int8Bytes}, {"other", i.otherBytes}}}};
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
                                    (info.int8Bytes > 0 ? formatBytes(info.int8Bytes) + " 8-bit embeddings, " : "") +
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
        ->check(wholeNumber(0))
        ->capture_default_str();
    cmd->add_option("--temperature", s->temperature, "0 = greedy; higher = more random")->capture_default_str();
    cmd->add_option("--top-k", s->topK, "Sample among the k most likely tokens (0 = off)")
        ->check(wholeNumber(0))
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
        ->check(wholeNumber(2, std::int64_t{1} << 20));
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
    train->add_option("--vocab", *vocab, "Vocabulary size")->check(wholeNumber(1))->capture_default_str();
    train->add_option("--batch", *batch, "Sequences per batch")->check(wholeNumber(1))->capture_default_str();
    train->add_option("--seq", *seq, "Tokens per sequence")->check(wholeNumber(1))->capture_default_str();
    train->add_option("--iterations", *iterations, "Timed steps after one warm-up")
        ->check(wholeNumber(1))
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
    fwd->add_option("--batch", *batch, "Sequences per batch")->check(wholeNumber(1))->capture_default_str();
    fwd->add_option("--seq", *seq, "Tokens per sequence")->check(wholeNumber(1))->capture_default_str();
    fwd->add_option("--iterations", *iterations, "Timed repetitions after one warm-up")
        ->check(wholeNumber(1))
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
                          {"prefill_last_token_tokens_per_second", r.prefillTokensPerSecond},
                          {"decode_forward_tokens_per_second", r.decodeForwardTokensPerSecond},
                          {"decode_weight_bytes", r.decodeWeightBytes},
                          {"decode_output_projection_bytes", r.decodeOutputProjectionBytes},
                          {"decode_gb_per_second", r.decodeGBps},
                          {"baseline_memory_read_gb_per_second", r.memoryReadGBps},
                          {"decode_fraction_of_memory_bandwidth", r.decodeGBps / r.memoryReadGBps},
                          {"decode_products_gb_per_second", r.decodeProductsGBps},
                          {"decode_products_fraction_of_memory_bandwidth", r.decodeProductsGBps / r.memoryReadGBps},
                          {"threads", threadCount()},
                          {"kernel_isa", model->device() == "cpu" ? kernelInstructionSet() : "cuda"},
                          {"quantization", model->config().quantization.format.empty()
                                               ? std::string("none")
                                               : model->config().quantization.format +
                                                     (model->config().quantization.sparse ? "+sparse" : "")},
                          {"peak_rss_bytes", r.peakRssBytes}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });
}

} // namespace

void registerModelCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    infoCommand(app, exitCode);
    tokenizeCommand(app, exitCode);
    generateCommand(app, stop, exitCode);
    perplexityCommand(app, stop, exitCode);
    benchCommand(app, stop, exitCode);
}

} // namespace zl::cli
