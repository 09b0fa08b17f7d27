// Token-wise influence (RapidIn, Lin et al. 2024): which training examples made
// the model say this? Per-example gradients of the response loss with respect
// to a tracked parameter set (the sparse set S, or every linear weight of chosen
// blocks) are normalized per tensor, compressed by RapidGrad (shuffles, ±1
// signs, sum-pooling to K) and cached once; a generation's gradient, compressed
// by the same seeded map, is then scored against every cached example by dot
// product. The cache is an SQLite database (examples, settings, queries) with
// the vectors in a memory-mapped sidecar file next to it.
#pragma once

#include "zerolens/dataset.h"
#include "zerolens/events.h"
#include "zerolens/model.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

namespace zl {

/// What gradients are taken of and how they are compressed. Stored in the cache:
/// queries use exactly the same settings.
struct GradientSettings {
    /// "sparse": the sensitive set S of every 4-bit projection (default);
    /// "blocks": every linear weight of the layers in `blocks`.
    std::string tracked = "sparse";
    std::vector<int> blocks;
    std::int64_t k = 65536;       ///< compressed dimension, in [16, 2^24]
    int shuffles = 4;             ///< λ, in [1, 64]
    std::uint64_t seed = 0;       ///< fixes the shuffles and signs
    bool exact = false;           ///< store the normalized gradient itself (no compression)
    std::int64_t maxLength = 256; ///< tokens per example (prompt truncated from the left)
};

/// The model an influence job runs on: a 4-bit folder that carries S, or a float
/// folder with `mask` (quantized in memory, as fine-tuning does), or a float
/// folder with tracked = "blocks".
struct InfluenceModel {
    std::filesystem::path dir;
    std::filesystem::path mask;
    std::shared_ptr<const Model> loaded; ///< the model of `dir` already in memory (GUI); never changed
    std::string quantFormat = "int4";
    std::int64_t groupSize = 128;
    std::string device = "cpu";
};

struct CacheBuildOptions {
    InfluenceModel model;
    /// Examples: every split of the dataset is cached, each row labelled with its
    /// split. Defaults keep every row in "train".
    DatasetOptions data = [] {
        DatasetOptions d;
        d.devFraction = 0.0;
        d.testFraction = 0.0;
        return d;
    }();
    GradientSettings gradient;
    std::filesystem::path out; ///< CACHE.db; vectors go to CACHE.db.vectors
    std::int64_t batchSize = 8;
    /// Replace an existing file that is not a resumable cache of the same
    /// model, data and settings. Without it such a file is refused untouched.
    bool overwrite = false;
};

/// What a cache holds and what it is valid for.
struct CacheInfo {
    std::filesystem::path file, vectorsFile;
    std::string modelId;  ///< identity of the model's weights and config
    std::string modelDir; ///< where the model was read from (informational)
    std::string maskHash; ///< positions of S; empty for "blocks"
    GradientSettings gradient;
    std::int64_t dimension = 0;    ///< D: entries of the tracked gradient
    std::int64_t vectorLength = 0; ///< entries stored per example (K, or D when exact or D <= K)
    bool compressed = false;       ///< false when the vectors are the exact normalized gradients
    std::string datasetFingerprint;
    std::string datasetPath;
    std::string promptTemplate; ///< how the examples' prompts were made ({instruction} etc.); empty when verbatim
    std::int64_t examples = 0;  ///< rows indexed
    std::int64_t cached = 0;    ///< rows whose vector is stored
    bool complete() const { return examples > 0 && cached == examples; }
    std::uint64_t bytesOnDisk = 0; ///< database, its WAL and the vectors file
    std::int64_t queries = 0;
    std::vector<std::string> metadataKeys; ///< metadata fields found in the examples (e.g. "backdoor")
};

/// Time of a cache build, split by phase (seconds).
struct CacheTiming {
    double forward = 0, backward = 0, compress = 0, write = 0;
};

struct CacheBuildResult {
    CacheInfo info;
    std::int64_t computed = 0; ///< examples whose vectors this call computed
    std::int64_t resumed = 0;  ///< examples already cached when it started
    std::int64_t tokens = 0;   ///< tokens forwarded by this call
    double seconds = 0.0;
    CacheTiming timing;
};

/// Builds (or resumes) a gradient cache. Progress counts examples ("Caching
/// gradients"); metric "examples_per_second". A kill at any moment loses at most
/// the batch in flight; running it again computes only what is missing. A stop
/// request throws Cancelled after the last complete batch is saved. Throws
/// InvalidArgument for bad options, a refused target, or a cache of another
/// model/data/settings (naming what differs); FormatError for bad files.
CacheBuildResult buildGradientCache(const CacheBuildOptions& options, EventSink* sink = nullptr,
                                    std::stop_token stop = {});

/// Reads a cache's settings and counts (read-only). Throws FormatError for a
/// file that is not a ZeroLens gradient cache.
CacheInfo readCacheInfo(const std::filesystem::path& cache);

/// One cached training example.
struct CachedExample {
    std::int64_t id = 0; ///< 1-based, in dataset order
    std::string split;   ///< "train", "dev", "test"
    std::string source;  ///< file the row came from
    std::int64_t line = 0;
    std::string prompt, response;
    std::string metadata; ///< JSON object of the row's other fields, e.g. {"backdoor":true}
};

struct RankedExample {
    CachedExample example;
    double score = 0.0;
    std::int64_t rank = 0; ///< 1 = most helpful (or most opposing, in that list)
};

/// A generation to explain.
struct InfluenceQuery {
    std::string prompt;     ///< as typed; wrapped in the cache's prompt template unless `rawPrompt`
    bool rawPrompt = false; ///< use `prompt` verbatim as the model's input
    std::string response;   ///< the response to explain; empty with `generate`
    bool generate = false;  ///< greedy-generate the response first
    std::int64_t maxNewTokens = 64;
    /// Response tokens [spanBegin, spanEnd) whose loss is explained; -1, -1 = all.
    std::int64_t spanBegin = -1, spanEnd = -1;
    std::int64_t top = 20; ///< examples in each of the helpful and opposing lists
    bool tokenwise = true; ///< per-response-token scores over the listed examples
    bool save = true;      ///< store the query and its ranking in the cache
};

struct Attribution {
    std::int64_t queryId = 0; ///< 0 when not saved
    std::string prompt;       ///< the model's input text (template applied)
    std::string response;
    std::vector<std::string> responseTokens; ///< display pieces of the response tokens
    std::int64_t spanBegin = 0, spanEnd = 0;
    std::vector<RankedExample> helpful;  ///< highest scores first
    std::vector<RankedExample> opposing; ///< lowest scores first
    /// Every cached example's score, by example id − 1 (for histograms and filters).
    std::vector<float> scores;
    /// tokenScores[t][c]: influence of response token t alone on example
    /// columnIds[c] (the helpful list, then the opposing one). Empty without tokenwise.
    std::vector<std::vector<float>> tokenScores;
    std::vector<std::int64_t> columnIds;
    double scoringSeconds = 0.0; ///< the scan over all vectors
    double scanGBps = 0.0;
};

/// One training example's tokens with their share of its score: score =
/// Σ tokenScores (up to the fp16 rounding of the stored vector).
struct ExampleTokens {
    CachedExample example;
    std::vector<std::string> tokens; ///< display pieces of prompt + response as the model saw them
    std::int64_t responseStart = 0;  ///< index of the first response token
    std::vector<float> tokenScores;
    double score = 0.0;    ///< from the cached vector
    double tokenSum = 0.0; ///< Σ tokenScores, recomputed
};

/// A model and a cache opened together for queries (the GUI keeps one open).
class Attributor {
public:
    /// Loads (or copies) the model and opens the cache; refuses a cache that
    /// does not match the model, naming what differs (InvalidArgument), or an
    /// incomplete one.
    static std::unique_ptr<Attributor> open(const InfluenceModel& model, const std::filesystem::path& cache,
                                            EventSink* sink = nullptr, std::stop_token stop = {});
    ~Attributor();
    Attributor(const Attributor&) = delete;
    Attributor& operator=(const Attributor&) = delete;

    const CacheInfo& info() const;
    /// Ranks the cache for a generation. Throws InvalidArgument for an empty
    /// response, a span outside it, or a response whose loss has no gradient.
    Attribution attribute(const InfluenceQuery& query, EventSink* sink = nullptr, std::stop_token stop = {});
    /// Per-token contributions of one cached example to the score of a saved query.
    ExampleTokens exampleTokens(std::int64_t queryId, std::int64_t exampleId, std::stop_token stop = {});
    CachedExample example(std::int64_t exampleId) const;

    struct SavedQuery {
        std::int64_t id = 0;
        std::string created; ///< ISO 8601 UTC
        std::string prompt, response;
        std::int64_t spanBegin = 0, spanEnd = 0;
    };
    std::vector<SavedQuery> savedQueries() const;
    /// A saved query's ranking again (scores recomputed from its stored vector).
    Attribution reopen(std::int64_t queryId, std::int64_t top = 20, std::stop_token stop = {});

    class Impl;

private:
    explicit Attributor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Throughput of cache building on a model folder with random text: examples/s,
/// tokens/s and the time split (each phase's share).
struct CacheBenchResult {
    std::int64_t examples = 0, tokens = 0;
    double seconds = 0.0, examplesPerSecond = 0.0, tokensPerSecond = 0.0;
    std::int64_t dimension = 0, vectorLength = 0;
    CacheTiming timing;
};
CacheBenchResult benchCache(const InfluenceModel& model, const GradientSettings& gradient, std::int64_t examples,
                            std::int64_t tokensPerExample, const std::filesystem::path& workDir);

/// Scoring speed over synthetic fp16 vectors against a plain memory read of the
/// same bytes in the same run.
struct RetrieveBenchResult {
    std::int64_t vectors = 0, k = 0;
    double bytes = 0.0;
    double querySeconds = 0.0, scoreGBps = 0.0, memoryReadGBps = 0.0;
    double ratio = 0.0; ///< scoreGBps / memoryReadGBps
};
RetrieveBenchResult benchRetrieve(std::int64_t vectors, std::int64_t k, std::int64_t iterations);

/// How well compressed inner products follow exact ones: the Pearson
/// correlation over random pairs of normalized vectors of dimension D that share
/// a common component (so inner products vary), for one K.
struct RapidGradQuality {
    std::int64_t dimension = 0, k = 0;
    int shuffles = 0;
    std::int64_t pairs = 0;
    double correlation = 0.0;
};
RapidGradQuality measureRapidGrad(std::int64_t dimension, std::int64_t k, int shuffles, std::int64_t pairs,
                                  std::uint64_t seed);

} // namespace zl
