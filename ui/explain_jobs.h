// The Explain page's engine work, RapidIn's two stages as job objects:
// CacheBuildJob builds (or resumes) a gradient cache of a dataset; an
// ExplainSession keeps one zl::Attributor (a model and a cache opened together)
// and answers queries on it.
//
// Both objects live on the GUI thread, and their work runs on the EngineWorker's
// thread through EngineWorker::runTask, one task at a time. That is what keeps
// the Attributor, which is not thread-safe, on one thread at a time: every task
// that touches it runs on the worker, and it is destroyed with the session,
// which each queued task holds until it has run. Results come back as queued
// signals; the work methods never throw.
#pragma once

#include "zerolens/influence.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <stop_token>
#include <vector>

namespace zl::ui {

class CacheBuildJob : public QObject {
    Q_OBJECT
public:
    /// Create on the GUI thread; run on the worker through EngineWorker::runTask.
    /// Hold it in a QSharedPointer deleted with deleteLater, as FinetuneJob.
    explicit CacheBuildJob(CacheBuildOptions options, QObject* parent = nullptr);

    /// Builds the cache on `loaded`, the model the app has in memory (its folder
    /// is the model of the cache). Emits finished, cancelled (the batches done so
    /// far are kept; building again resumes) or failed.
    void run(std::stop_token stop, const std::shared_ptr<const Model>& loaded);

Q_SIGNALS:
    /// examplesPerSecond is the engine's last measured rate; negative until there is one.
    void progress(const QString& stage, qint64 done, qint64 total, double etaSeconds, double examplesPerSecond);
    /// An engine log line (a skipped dataset row, a resumed cache); level is a zl::LogLevel.
    void log(int level, const QString& text);
    void finished(const zl::CacheBuildResult& result);
    void cancelled();
    void failed(const QString& message);

private:
    class Sink;
    CacheBuildOptions m_options;
    std::atomic<double> m_rate{-1.0};
};

class ExplainSession : public QObject {
    Q_OBJECT
public:
    /// Create on the GUI thread; hold in a QSharedPointer deleted with deleteLater.
    explicit ExplainSession(QObject* parent = nullptr);
    ~ExplainSession() override;

    // Run on the worker's thread through EngineWorker::runTask:

    /// Opens `cache` with the loaded model (`model` gives the mask and 4-bit
    /// settings a float model is quantized with). Replaces an attributor already
    /// open. Emits opened or failed.
    void open(std::stop_token stop, const std::shared_ptr<const Model>& loaded, InfluenceModel model,
              const std::filesystem::path& cache);
    /// Ranks the cache for a generation; emits attributed (with the saved queries,
    /// which now include this one) or failed.
    void attribute(std::stop_token stop, const InfluenceQuery& query);
    /// A saved query's ranking again; emits attributed or failed.
    void reopen(std::stop_token stop, std::int64_t queryId, std::int64_t top);
    /// One example's per-token contributions to a saved query; emits exampleTokensReady or failed.
    void exampleTokens(std::stop_token stop, std::int64_t queryId, std::int64_t exampleId);

Q_SIGNALS:
    void progress(const QString& stage, qint64 done, qint64 total, double etaSeconds);
    void opened(const zl::CacheInfo& info, const std::vector<zl::Attributor::SavedQuery>& saved);
    void attributed(const zl::Attribution& attribution, const std::vector<zl::Attributor::SavedQuery>& saved);
    void exampleTokensReady(qint64 queryId, const zl::ExampleTokens& tokens);
    void cancelled();
    void failed(const QString& message);

private:
    class Sink;
    /// Runs `fn`, turning every exception into cancelled or failed.

    std::unique_ptr<Attributor> m_attributor; ///< touched on the worker's thread only
};

} // namespace zl::ui

Q_DECLARE_METATYPE(zl::CacheBuildResult)
Q_DECLARE_METATYPE(zl::CacheInfo)
Q_DECLARE_METATYPE(zl::Attribution)
Q_DECLARE_METATYPE(zl::ExampleTokens)
Q_DECLARE_METATYPE(std::vector<zl::Attributor::SavedQuery>)
