#include "finetune_job.h"

#include "engine_worker.h"

#include "zerolens/error.h"

#include <QTimer>

namespace zl::ui {

// Called on the worker thread by the engine. Metrics only go into the buffer;
// progress (already throttled by the engine) and log lines are rare enough to
// be queued signals of their own.
class FinetuneJob::Sink : public EventSink {
public:
    explicit Sink(FinetuneJob* job) : m_job(job) {}
    void progress(const Progress& p) override
    {
        Q_EMIT m_job->progress(QString::fromStdString(p.stage), p.done, p.total, p.etaSeconds);
    }
    void metric(const Metric& m) override
    {
        m_job->append(MetricSample{QString::fromStdString(m.name), m.step, m.value});
    }
    void log(LogLevel level, const std::string& message) override
    {
        Q_EMIT m_job->log(static_cast<int>(level), QString::fromStdString(message));
    }

private:
    FinetuneJob* m_job;
};

FinetuneJob::FinetuneJob(FinetuneOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_timer(new QTimer(this))
{
    qRegisterMetaType<MetricSample>();
    qRegisterMetaType<QVector<MetricSample>>();
    qRegisterMetaType<FinetuneDataInfo>();
    qRegisterMetaType<FinetuneResult>();
    m_timer->setInterval(kFlushIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &FinetuneJob::flush);
    m_timer->start();
}

FinetuneJob::~FinetuneJob() = default;

void FinetuneJob::append(MetricSample sample)
{
    std::lock_guard lock(m_mutex);
    m_pending.append(std::move(sample));
}

void FinetuneJob::flush()
{
    QVector<MetricSample> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_pending);
    }
    if (batch.isEmpty())
        return;
    ++m_batches;
    Q_EMIT metricsBatch(batch);
}

void FinetuneJob::run(std::stop_token stop, std::shared_ptr<const Model> loaded)
{
    FinetuneOptions options = m_options;
    options.loaded = std::move(loaded);
    Sink sink(this);
    // The outcome is posted to the job's own thread so that it follows the last
    // metrics: flush() runs there first.
    auto conclude = [this](auto emitOutcome) {
        QMetaObject::invokeMethod(
            this,
            [this, emitOutcome] {
                flush();
                m_timer->stop();
                emitOutcome();
            },
            Qt::QueuedConnection);
    };
    try {
        const auto result = finetune(options, &sink, stop, [this](const Dataset& d) {
            FinetuneDataInfo info;
            info.train = static_cast<qint64>(d.train.size());
            info.dev = static_cast<qint64>(d.dev.size());
            info.test = static_cast<qint64>(d.test.size());
            for (const auto& w : d.warnings)
                info.warnings << QString::fromStdString(w);
            Q_EMIT dataLoaded(info);
        });
        conclude([this, result] { Q_EMIT finished(result); });
    } catch (const Cancelled&) {
        conclude([this] { Q_EMIT cancelled(); });
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        conclude([this, message] { Q_EMIT failed(message); });
    } catch (const std::exception& e) {
        const QString message = EngineWorker::tr("Internal error: %1").arg(QString::fromStdString(e.what()));
        conclude([this, message] { Q_EMIT failed(message); });
    }
}

} // namespace zl::ui
