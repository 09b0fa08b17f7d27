// Building a gradient cache (influence.h): index the dataset's examples once,
// then compute, compress and append the vectors of the missing ones, batch by
// batch, each batch committed before the next starts.
#include "influence/influence_model.h"
#include "runtime/progress_reporter.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"

#include <chrono>

namespace zl {

namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Every split's examples, ids 1..n in dataset order; a classification example's
// response is its label word.
std::vector<CachedExample> datasetExamples(const Dataset& d)
{
    std::vector<CachedExample> out;
    const std::pair<const char*, const std::vector<Example>*> splits[] = {
        {"train", &d.train}, {"dev", &d.dev}, {"test", &d.test}};
    for (const auto& [name, examples] : splits)
        for (const auto& e : *examples) {
            CachedExample c;
            c.id = static_cast<std::int64_t>(out.size()) + 1;
            c.split = name;
            c.source = e.source;
            c.line = e.line;
            c.prompt = e.prompt;
            c.response = d.task.kind == TaskKind::Classify ? d.task.labelWords.at(static_cast<std::size_t>(e.label))
                                                           : e.response;
            c.metadata = e.metadata;
            out.push_back(std::move(c));
        }
    return out;
}

void removeCacheFiles(const fs::path& file)
{
    for (const auto& p : {file, fs::path(file.string() + "-wal"), fs::path(file.string() + "-shm"),
                          influence::GradientCache::vectorsPath(file)})
        fs::remove(p);
}

// Opens the target for building: a new file, a cache to resume, or (with
// overwrite) a replaced one. Refuses anything else untouched.
std::unique_ptr<influence::GradientCache> openTarget(const CacheBuildOptions& o)
{
    OutputPolicy policy;
    policy.inputs = {o.model.dir, o.data.path};
    if (!o.model.mask.empty())
        policy.inputs.push_back(o.model.mask);
    const bool exists = fs::exists(o.out);
    policy.overwrite = exists; // whether an existing file may be reused is decided below
    checkOutputTarget(o.out, policy, OutputKind::File, "gradient cache");
    try {
        return std::make_unique<influence::GradientCache>(o.out, influence::GradientCache::Access::Build);
    } catch (const FormatError&) {
        if (!o.overwrite)
            throw InvalidArgument(o.out.string() +
                                  " exists and is not a ZeroLens gradient cache; choose another file, or overwrite it");
    }
    removeCacheFiles(o.out);
    return std::make_unique<influence::GradientCache>(o.out, influence::GradientCache::Access::Build);
}

} // namespace

CacheBuildResult buildGradientCache(const CacheBuildOptions& o, EventSink* sink, std::stop_token stop)
{
    if (o.out.empty())
        throw InvalidArgument("no output file for the cache given");
    if (o.batchSize < 1 || o.batchSize > 4096)
        throw InvalidArgument("batch size must be between 1 and 4096, got " + std::to_string(o.batchSize));
    const auto started = std::chrono::steady_clock::now();
    const auto data = loadDataset(o.data);
    for (const auto& w : data.warnings)
        if (sink)
            sink->log(LogLevel::Warning, w);
    influence::InfluenceEngine engine(o.model, o.gradient, sink, stop);
    auto wanted = engine.identity();
    wanted.datasetFingerprint = data.fingerprint;
    wanted.datasetPath = o.data.path.string();
    wanted.promptTemplate = data.promptTemplate;

    auto cache = openTarget(o);
    const auto differences = cache->differences(wanted);
    if (!differences.empty() && !o.overwrite) {
        std::string why;
        for (const auto& d : differences)
            why += "\n  " + d;
        throw InvalidArgument(o.out.string() + " is a gradient cache made with other settings:" + why +
                              "\nchoose another file, or overwrite it");
    }
    CacheBuildResult result;
    if (!cache->settings() || !differences.empty()) {
        std::vector<influence::IndexedExample> indexed;
        for (const auto& e : datasetExamples(data))
            indexed.push_back(engine.index(e));
        cache->initialise(wanted, indexed);
    } else if (sink) {
        sink->log(LogLevel::Info, "Resuming " + o.out.string() + ": " + std::to_string(cache->rowCount()) + " of " +
                                      std::to_string(cache->exampleCount()) + " examples already cached");
    }
    const auto total = cache->exampleCount();
    const auto pending = cache->pendingExamples();
    result.resumed = total - static_cast<std::int64_t>(pending.size());
    runtime::ProgressReporter progress(sink, "Caching gradients", total, stop);
    progress.setResumedFrom(result.resumed);
    progress.report(result.resumed);
    progress.checkStop();
    influence::appendBatches(
        engine, *cache, pending, o.batchSize,
        [&](std::int64_t computed) {
            progress.report(result.resumed + computed);
            if (sink)
                sink->metric({"examples_per_second", static_cast<double>(computed) / secondsSince(started),
                              result.resumed + computed});
            progress.checkStop();
        },
        result);
    result.seconds = secondsSince(started);
    result.info = cache->info();
    return result;
}

CacheInfo readCacheInfo(const fs::path& cache)
{
    return influence::GradientCache(cache, influence::GradientCache::Access::Read).info();
}

} // namespace zl
