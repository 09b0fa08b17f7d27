// FinetuneJob: one fine-tuning run (or resume) as a job object. It carries the
// engine's own zl::FinetuneOptions, runs zl::finetune() when EngineWorker calls
// run() on its thread, and reports through its own signals.
//
// Metrics are coalesced: the engine's sink only appends to a mutex-protected
// buffer, and a timer on the GUI thread hands the buffer over as one
// metricsBatch at most every kFlushIntervalMs (~30 a second), however many
// points the engine streams. That is why the job object lives on the GUI thread
// while run() executes on the worker's: the worker is busy inside finetune()
// for the whole run, so a timer of its own would never fire.
#pragma once

#include "zerolens/finetune.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <mutex>
#include <stop_token>

class QTimer;

namespace zl::ui {

/// One metric value streamed by a run.
struct MetricSample {
    QString name; ///< "loss", "loss_avg", "dev_accuracy", "rss_bytes", ...
    qint64 step = 0;
    double value = 0.0;
};

/// What the run read from its dataset, before the first step.
struct FinetuneDataInfo {
    qint64 train = 0, dev = 0, test = 0;
    QStringList warnings; ///< skipped rows, "file:line: why"
};

class FinetuneJob : public QObject {
    Q_OBJECT
public:
    /// Longest time between the engine streaming a metric and metricsBatch carrying it.
    static constexpr int kFlushIntervalMs = 33;

    /// Create on the GUI thread; pass to EngineWorker::runFinetune. Delete with
    /// deleteLater (see EngineWorker::runFinetune), never while run() is in progress.
    explicit FinetuneJob(FinetuneOptions options, QObject* parent = nullptr);
    ~FinetuneJob() override;

    const FinetuneOptions& options() const { return m_options; }

    /// Runs (or resumes) the run to its end on the calling thread. Never throws:
    /// the outcome is one of finished, cancelled or failed, emitted on the job's
    /// own (GUI) thread after every metric before it.
    /// `loaded` is the model the app has in memory: a run on the same folder
    /// trains a copy of it instead of reading the folder again.
    void run(std::stop_token stop, std::shared_ptr<const Model> loaded);

    /// Hands the buffered metrics over as one metricsBatch. Called by the job's
    /// timer; public for tests.
    void flush();

    /// Metric batches emitted so far (tests check the coalescing).
    int batchesEmitted() const { return m_batches; }

Q_SIGNALS:
    void dataLoaded(const zl::ui::FinetuneDataInfo& info);
    /// Progress of the engine's current stage (loading, steps, evaluation); etaSeconds < 0 when unknown.
    void progress(const QString& stage, qint64 done, qint64 total, double etaSeconds);
    void metricsBatch(const QVector<zl::ui::MetricSample>& samples);
    /// An engine log line; level is a zl::LogLevel.
    void log(int level, const QString& text);
    void finished(const zl::FinetuneResult& result);
    /// Stopped at a step on request; the folder holds a checkpoint to resume from.
    void cancelled();
    void failed(const QString& message);

private:
    class Sink;
    void append(MetricSample sample);

    FinetuneOptions m_options;
    QTimer* m_timer;
    std::mutex m_mutex;
    QVector<MetricSample> m_pending;
    int m_batches = 0;
};

} // namespace zl::ui

Q_DECLARE_METATYPE(zl::ui::MetricSample)
Q_DECLARE_METATYPE(zl::ui::FinetuneDataInfo)
Q_DECLARE_METATYPE(zl::FinetuneResult)
