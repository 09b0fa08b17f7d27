// Influence from the command line: cache build, cache info, attribute (rank the
// cached training examples for a generation, reopen a saved query, token-wise
// detail of one example), and bench cache / retrieve / rapidgrad.
#include "cli/cli_common.h"
#include "cli/data_options.h"

#include "zerolens/error.h"
#include "zerolens/influence.h"
#include "zerolens/runtime.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace zl::cli {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Model and gradient options shared by cache build, attribute and bench cache.
void addInfluenceModelOptions(CLI::App* cmd, InfluenceModel& m)
{
    cmd->add_option("MODEL_DIR", m.dir, "4-bit folder with S, or a float model (with --mask, or --tracked blocks)")
        ->required();
    cmd->add_option("--mask", m.mask, "Sensitivity mask: quantize the float model in memory keeping these in S");
    cmd->add_option("--quant-format", m.quantFormat, "In-memory quantization with --mask: int4 or nf4")
        ->check(CLI::IsMember({"int4", "nf4"}))
        ->capture_default_str();
    cmd->add_option("--group-size", m.groupSize, "In-memory quantization group size")
        ->check(wholeNumber(2, 4096))
        ->capture_default_str();
    cmd->add_option("--device", m.device, "cpu or cuda:N")->capture_default_str();
}

void addGradientOptions(CLI::App* cmd, GradientSettings& g)
{
    cmd->add_option("--tracked", g.tracked, "sparse (the sensitive set S) or blocks (all linear weights of --blocks)")
        ->check(CLI::IsMember({"sparse", "blocks"}))
        ->capture_default_str();
    cmd->add_option("--blocks", g.blocks, "Layer indices for --tracked blocks, e.g. 0,5")->delimiter(',');
    cmd->add_option("--k", g.k, "Compressed dimension K")->check(wholeNumber(16, 1 << 24))->capture_default_str();
    cmd->add_option("--shuffles", g.shuffles, "RapidGrad shuffle rounds λ")
        ->check(wholeNumber(1, 64))
        ->capture_default_str();
    cmd->add_option("--projection-seed", g.seed, "Seed of the shuffles and signs")->capture_default_str();
    cmd->add_flag("--exact", g.exact, "Store the normalized gradients uncompressed");
    cmd->add_option("--max-length", g.maxLength, "Tokens per example (prompt cut from the left)")
        ->check(wholeNumber(2, 1 << 20))
        ->capture_default_str();
}

json infoJson(const CacheInfo& i)
{
    return {{"file", i.file.string()},
            {"vectors_file", i.vectorsFile.string()},
            {"model_id", i.modelId},
            {"model_dir", i.modelDir},
            {"mask_hash", i.maskHash},
            {"tracked", i.gradient.tracked},
            {"blocks", i.gradient.blocks},
            {"k", i.gradient.k},
            {"shuffles", i.gradient.shuffles},
            {"seed", i.gradient.seed},
            {"exact", i.gradient.exact},
            {"max_length", i.gradient.maxLength},
            {"dimension", i.dimension},
            {"vector_length", i.vectorLength},
            {"compressed", i.compressed},
            {"dataset", i.datasetPath},
            {"dataset_fingerprint", i.datasetFingerprint},
            {"prompt_template", i.promptTemplate},
            {"examples", i.examples},
            {"cached", i.cached},
            {"complete", i.complete()},
            {"bytes_on_disk", i.bytesOnDisk},
            {"queries", i.queries},
            {"metadata_keys", i.metadataKeys}};
}

void printInfo(const CacheInfo& i)
{
    std::cout << "Cache       " << i.file.string() << " (" << formatBytes(i.bytesOnDisk) << " on disk)\n"
              << "Examples    " << i.cached << " of " << i.examples << " cached"
              << (i.complete() ? "" : " (incomplete: run cache build again to finish)") << '\n'
              << "Dataset     " << i.datasetPath << '\n'
              << "Model       " << i.modelDir << " (" << i.modelId.substr(0, 12) << ")\n"
              << "Tracked     " << i.gradient.tracked << ", D = " << i.dimension << " entries\n"
              << "Vectors     " << i.vectorLength << " fp16 per example, "
              << (i.compressed ? "RapidGrad K = " + std::to_string(i.gradient.k) + ", λ = " +
                                     std::to_string(i.gradient.shuffles) + ", seed " + std::to_string(i.gradient.seed)
                               : std::string(i.gradient.exact ? "exact (--exact)" : "exact (D <= K)"))
              << '\n'
              << "Queries     " << i.queries << " saved\n";
    if (!i.metadataKeys.empty()) {
        std::cout << "Metadata   ";
        for (const auto& k : i.metadataKeys)
            std::cout << ' ' << k;
        std::cout << '\n';
    }
}

json exampleJson(const RankedExample& r)
{
    const auto& e = r.example;
    return {{"rank", r.rank},
            {"id", e.id},
            {"score", r.score},
            {"split", e.split},
            {"source", e.source},
            {"line", e.line},
            {"metadata",
             json::parse(e.metadata, nullptr, false).is_discarded() ? json(e.metadata) : json::parse(e.metadata)},
            {"prompt", e.prompt},
            {"response", e.response}};
}

// One line of text: newlines shown as ⏎, cut to `width` characters (UTF-8 aware).
std::string snippet(const std::string& text, std::size_t width)
{
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < text.size() && chars < width; ++chars) {
        if (text[i] == '\n') {
            out += "⏎";
            ++i;
            continue;
        }
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        out += text.substr(i, len);
        i += len;
    }
    return chars >= width ? out + "…" : out;
}

void printRanking(const Attribution& a, const CacheInfo& info)
{
    std::cout << "Response    " << json(a.response).dump() << '\n'
              << "Explained   tokens " << a.spanBegin << ":" << a.spanEnd << " of " << a.responseTokens.size();
    if (a.spanEnd - a.spanBegin < static_cast<std::int64_t>(a.responseTokens.size())) {
        std::string span;
        for (auto t = a.spanBegin; t < a.spanEnd; ++t)
            span += a.responseTokens[static_cast<std::size_t>(t)];
        std::cout << " (" << json(span).dump() << ")";
    }
    std::cout << '\n'
              << "Scored      " << a.scores.size() << " examples in " << a.scoringSeconds * 1e3 << " ms (" << a.scanGBps
              << " GB/s)" << (a.queryId > 0 ? ", saved as query " + std::to_string(a.queryId) : "") << '\n';
    for (const auto* list : {&a.helpful, &a.opposing}) {
        std::cout << '\n' << (list == &a.helpful ? "Most helpful" : "Most opposing") << '\n';
        for (const auto& r : *list) {
            std::string meta = r.example.metadata == "{}" ? std::string() : "  " + r.example.metadata;
            std::cout << "  " << r.rank << ".  " << r.score << "  #" << r.example.id << "  "
                      << fs::path(r.example.source).filename().string() << ":" << r.example.line << meta << '\n'
                      << "      "
                      << snippet(promptFilling(info.promptTemplate, r.example.prompt) + " → " + r.example.response, 110)
                      << '\n';
        }
    }
}

json attributionJson(const Attribution& a, const CacheInfo& info)
{
    json helpful = json::array(), opposing = json::array();
    for (const auto& r : a.helpful)
        helpful.push_back(exampleJson(r));
    for (const auto& r : a.opposing)
        opposing.push_back(exampleJson(r));
    return {{"query_id", a.queryId},
            {"cache", info.file.string()},
            {"prompt", a.prompt},
            {"response", a.response},
            {"response_tokens", a.responseTokens},
            {"span", {a.spanBegin, a.spanEnd}},
            {"examples_scored", a.scores.size()},
            {"scoring_seconds", a.scoringSeconds},
            {"scan_gbps", a.scanGBps},
            {"helpful", helpful},
            {"opposing", opposing},
            {"token_scores", {{"example_ids", a.columnIds}, {"scores", a.tokenScores}}}};
}

// "I:J" → [I, J) response tokens.
std::pair<std::int64_t, std::int64_t> parseSpan(const std::string& s)
{
    const auto colon = s.find(':');
    std::int64_t a = 0, b = 0;
    const auto* end = s.data() + s.size();
    if (colon == std::string::npos || std::from_chars(s.data(), s.data() + colon, a).ptr != s.data() + colon ||
        std::from_chars(s.data() + colon + 1, end, b).ptr != end || a < 0 || b <= a)
        throw InvalidArgument("--tokens must be I:J with 0 <= I < J (response tokens I to J-1), got '" + s + "'");
    return {a, b};
}

void cacheCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    auto* cache = app.add_subcommand("cache", "Gradient caches for influence: build, info");
    cache->require_subcommand(1);

    auto o = std::make_shared<CacheBuildOptions>();
    auto f = std::make_shared<DataFlags>();
    auto jsonOut = std::make_shared<bool>(false);
    auto* build = cache->add_subcommand("build", "Cache the compressed gradients of a dataset's examples (resumable)");
    addInfluenceModelOptions(build, o->model);
    addDataOptions(build, o->data, *f);
    addGradientOptions(build, o->gradient);
    build->add_option("--out", o->out, "Cache database (vectors go to OUT.vectors beside it)")->required();
    build->add_option("--batch", o->batchSize, "Examples per backward pass")
        ->check(wholeNumber(1, 4096))
        ->capture_default_str();
    build->add_flag("--json", *jsonOut, "JSON lines on stderr; the cache's info as JSON on stdout");
    addOverwriteFlag(build, o->overwrite);
    stopsCleanlyWhenRun(build);
    build->callback([o, f, jsonOut, stop, &exitCode] {
        applyDataFlags(o->data, *f);
        ProgressPrinter printer(*jsonOut);
        const auto r = buildGradientCache(*o, &printer, stop);
        printer.finish();
        if (*jsonOut) {
            auto j = infoJson(r.info);
            j["computed"] = r.computed;
            j["resumed"] = r.resumed;
            j["seconds"] = r.seconds;
            std::cout << j.dump() << '\n';
        } else {
            printInfo(r.info);
            std::cout << "This run    " << r.computed << " examples computed"
                      << (r.resumed > 0 ? ", " + std::to_string(r.resumed) + " were cached already" : std::string())
                      << ", " << r.seconds << " s\n";
        }
        exitCode = 0;
    });

    auto file = std::make_shared<std::string>();
    auto infoJsonOut = std::make_shared<bool>(false);
    auto* info = cache->add_subcommand("info", "What a gradient cache holds and what it is valid for");
    info->add_option("CACHE", *file, "Cache database")->required();
    info->add_flag("--json", *infoJsonOut, "Print JSON");
    info->callback([file, infoJsonOut, &exitCode] {
        const auto i = readCacheInfo(*file);
        if (*infoJsonOut)
            std::cout << infoJson(i).dump(2) << '\n';
        else
            printInfo(i);
        exitCode = 0;
    });
}

void attributeCommand(CLI::App& app, std::stop_token stop, int& exitCode)
{
    struct Args {
        InfluenceModel model;
        std::string cache, tokens;
        InfluenceQuery query;
        std::int64_t reopen = 0, example = 0;
        bool json = false, noTokenwise = false, noSave = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("attribute", "Rank the cached training examples by influence on a generation");
    addInfluenceModelOptions(cmd, a->model);
    cmd->add_option("--cache", a->cache, "Gradient cache built for this model (cache build)")->required();
    auto* prompt = cmd->add_option("--prompt", a->query.prompt,
                                   "Prompt (wrapped in the cache's prompt template unless --raw-prompt)");
    cmd->add_flag("--raw-prompt", a->query.rawPrompt, "Give --prompt to the model verbatim");
    auto* response = cmd->add_option("--response", a->query.response, "The response to explain");
    auto* generate = cmd->add_flag("--generate", a->query.generate, "Generate the response greedily first");
    response->excludes(generate);
    cmd->add_option("--max-new-tokens", a->query.maxNewTokens, "With --generate")
        ->check(wholeNumber(1, 4096))
        ->capture_default_str();
    cmd->add_option("--tokens", a->tokens, "Explain response tokens I to J-1 only (I:J)");
    cmd->add_option("--top", a->query.top, "Examples in each list")
        ->check(wholeNumber(1, 100000))
        ->capture_default_str();
    auto* reopen =
        cmd->add_option("--query", a->reopen, "Reopen a saved query instead of a new one")->check(wholeNumber(1));
    reopen->excludes(prompt)->excludes(response)->excludes(generate);
    cmd->add_option("--example", a->example, "Also show each token's share of this example's score")
        ->check(wholeNumber(1));
    cmd->add_flag("--no-tokenwise", a->noTokenwise, "Skip the per-response-token scores");
    cmd->add_flag("--no-save", a->noSave, "Do not store the query in the cache");
    cmd->add_flag("--json", a->json, "Print JSON (ranked examples with id, score, source line, metadata, text)");
    stopsCleanlyWhenRun(cmd);
    cmd->callback([a, stop, &exitCode] {
        if (a->reopen == 0 && a->query.prompt.empty())
            throw InvalidArgument("give --prompt (and --response or --generate), or --query ID to reopen one");
        if (!a->tokens.empty())
            std::tie(a->query.spanBegin, a->query.spanEnd) = parseSpan(a->tokens);
        a->query.tokenwise = !a->noTokenwise;
        a->query.save = !a->noSave || a->example > 0;
        ProgressPrinter printer(a->json);
        auto attributor = Attributor::open(a->model, a->cache, &printer, stop);
        const auto r = a->reopen > 0 ? attributor->reopen(a->reopen, a->query.top, stop)
                                     : attributor->attribute(a->query, &printer, stop);
        std::optional<ExampleTokens> detail;
        if (a->example > 0)
            detail = attributor->exampleTokens(r.queryId, a->example, stop);
        printer.finish();
        if (a->json) {
            auto j = attributionJson(r, attributor->info());
            if (detail)
                j["example_tokens"] = {{"id", detail->example.id},
                                       {"tokens", detail->tokens},
                                       {"response_start", detail->responseStart},
                                       {"scores", detail->tokenScores},
                                       {"score", detail->score},
                                       {"token_sum", detail->tokenSum}};
            std::cout << j.dump() << '\n';
        } else {
            printRanking(r, attributor->info());
            if (detail) {
                std::cout << "\nExample #" << detail->example.id << ": score " << detail->score
                          << ", sum of its tokens' shares " << detail->tokenSum << '\n';
                for (std::size_t t = 0; t < detail->tokens.size(); ++t)
                    std::cout << "  " << (static_cast<std::int64_t>(t) >= detail->responseStart ? "R " : "  ")
                              << json(detail->tokens[t]).dump() << "  " << detail->tokenScores[t] << '\n';
            }
        }
        exitCode = 0;
    });
}

void benchInfluenceCommands(CLI::App& bench, int& exitCode)
{
    struct CacheArgs {
        InfluenceModel model;
        GradientSettings gradient;
        std::int64_t examples = 64, tokens = 64;
    };
    auto c = std::make_shared<CacheArgs>();
    auto* cache = bench.add_subcommand("cache", "Examples/s and tokens/s of cache building, time split by phase");
    addInfluenceModelOptions(cache, c->model);
    addGradientOptions(cache, c->gradient);
    cache->add_option("--examples", c->examples, "Examples")->check(wholeNumber(1))->capture_default_str();
    cache->add_option("--tokens", c->tokens, "Tokens per example (the second half is the response)")
        ->check(wholeNumber(4, 1 << 16))
        ->capture_default_str();
    cache->callback([c, &exitCode] {
        const ScratchFolder work;
        const auto r = benchCache(c->model, c->gradient, c->examples, c->tokens, work.path());
        const auto& t = r.timing;
        const double phases = t.forward + t.backward + t.compress + t.write;
        std::cout << json{{"bench", "cache"},
                          {"threads", threadCount()},
                          {"examples", r.examples},
                          {"tokens", r.tokens},
                          {"seconds", r.seconds},
                          {"examples_per_second", r.examplesPerSecond},
                          {"tokens_per_second", r.tokensPerSecond},
                          {"dimension", r.dimension},
                          {"vector_length", r.vectorLength},
                          {"seconds_by_phase",
                           {{"forward", t.forward},
                            {"backward_gather", t.backward},
                            {"compress", t.compress},
                            {"write", t.write}}},
                          {"share_by_phase",
                           {{"forward", t.forward / phases},
                            {"backward_gather", t.backward / phases},
                            {"compress", t.compress / phases},
                            {"write", t.write / phases}}}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });

    struct RetrieveArgs {
        std::vector<std::int64_t> vectors{10000, 100000, 10000};
        std::vector<std::int64_t> ks{4096, 4096, 65536};
        std::int64_t iterations = 5;
    };
    auto r = std::make_shared<RetrieveArgs>();
    auto* retrieve = bench.add_subcommand("retrieve", "Query time and GB/s of scoring against a memory read");
    retrieve->add_option("--vectors", r->vectors, "Cached vectors per case")->delimiter(',')->capture_default_str();
    retrieve->add_option("--k", r->ks, "K per case")->delimiter(',')->capture_default_str();
    retrieve->add_option("--iterations", r->iterations, "Timed scans (best is reported)")
        ->check(wholeNumber(1))
        ->capture_default_str();
    retrieve->callback([r, &exitCode] {
        if (r->vectors.size() != r->ks.size())
            throw InvalidArgument("--vectors and --k need the same number of cases");
        json cases = json::array();
        for (std::size_t i = 0; i < r->ks.size(); ++i) {
            const auto b = benchRetrieve(r->vectors[i], r->ks[i], r->iterations);
            cases.push_back({{"vectors", b.vectors},
                             {"k", b.k},
                             {"bytes", b.bytes},
                             {"query_seconds", b.querySeconds},
                             {"score_gbps", b.scoreGBps},
                             {"memory_read_gbps", b.memoryReadGBps},
                             {"ratio", b.ratio}});
        }
        std::cout << json{{"bench", "retrieve"}, {"threads", threadCount()}, {"cases", cases}}.dump(2) << '\n';
        exitCode = 0;
    });

    struct QualityArgs {
        std::int64_t dimension = 1 << 18, pairs = 200;
        int shuffles = GradientSettings{}.shuffles;
        std::uint64_t seed = 0;
    };
    auto q = std::make_shared<QualityArgs>();
    auto* quality =
        bench.add_subcommand("rapidgrad", "Correlation of compressed and exact inner products, K = 2^12..2^16");
    quality->add_option("--dimension", q->dimension, "D")->check(wholeNumber(32, 1 << 26))->capture_default_str();
    quality->add_option("--pairs", q->pairs, "Random vector pairs")->check(wholeNumber(3))->capture_default_str();
    quality->add_option("--shuffles", q->shuffles, "λ")->check(wholeNumber(1, 64))->capture_default_str();
    quality->add_option("--seed", q->seed, "Projection seed")->capture_default_str();
    quality->callback([q, &exitCode] {
        json rows = json::array();
        for (int e = 12; e <= 16; ++e) {
            const auto m = measureRapidGrad(q->dimension, std::int64_t{1} << e, q->shuffles, q->pairs, q->seed);
            rows.push_back({{"k", m.k}, {"correlation", m.correlation}, {"compresses", m.dimension > m.k}});
        }
        std::cout << json{{"bench", "rapidgrad"},
                          {"dimension", q->dimension},
                          {"shuffles", q->shuffles},
                          {"pairs", q->pairs},
                          {"results", rows}}
                         .dump(2)
                  << '\n';
        exitCode = 0;
    });
}

} // namespace

void registerInfluenceCommands(CLI::App& app, std::stop_token stop, int& exitCode)
{
    cacheCommands(app, stop, exitCode);
    attributeCommand(app, stop, exitCode);
    if (auto* bench = app.get_subcommand("bench"))
        benchInfluenceCommands(*bench, exitCode);
}

} // namespace zl::cli
