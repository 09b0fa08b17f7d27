#include "explain_jobs.h"

#include "engine_worker.h"

#include "zerolens/error.h"

namespace zl::ui {

namespace {

QString internalError(const std::exception& e)
{
    return EngineWorker::tr("Internal error: %1").arg(QString::fromStdString(e.what()));
}

// Runs fn on the worker thread and turns its end into the job's cancelled() or
// failed(message) signal when it throws.
template <typename Job, typename Fn> void guarded(Job* job, Fn&& fn)
{
    try {
        fn();
    } catch (const Cancelled&) {
        Q_EMIT job->cancelled();
    } catch (const Error& e) {
        Q_EMIT job->failed(QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT job->failed(internalError(e));
    }
}

} // namespace

// Called on the worker thread. Progress is already throttled by the engine, so
// it goes out as a queued signal of its own; the rate only updates a number that
// the next progress signal carries.
class CacheBuildJob::Sink : public EventSink {
public:
    explicit Sink(CacheBuildJob* job) : m_job(job) {}
    void progress(const Progress& p) override
    {
        Q_EMIT m_job->progress(QString::fromStdString(p.stage), p.done, p.total, p.etaSeconds, m_job->m_rate.load());
    }
    void metric(const Metric& m) override
    {
        if (m.name == "examples_per_second")
            m_job->m_rate.store(m.value);
    }
    void log(LogLevel level, const std::string& message) override
    {
        Q_EMIT m_job->log(static_cast<int>(level), QString::fromStdString(message));
    }

private:
    CacheBuildJob* m_job;
};

CacheBuildJob::CacheBuildJob(CacheBuildOptions options, QObject* parent)
    : QObject(parent), m_options(std::move(options))
{
    qRegisterMetaType<CacheBuildResult>();
}

void CacheBuildJob::run(std::stop_token stop, const std::shared_ptr<const Model>& loaded)
{
    guarded(this, [&] {
        if (!loaded)
            throw InvalidArgument(EngineWorker::tr("Open a model first.").toStdString());
        CacheBuildOptions options = m_options;
        options.model.dir = loaded->info().dir;
        options.model.loaded = loaded;
        options.model.device = loaded->device();
        Sink sink(this);
        const auto result = buildGradientCache(options, &sink, stop);
        Q_EMIT finished(result);
    });
}

class ExplainSession::Sink : public EventSink {
public:
    explicit Sink(ExplainSession* session) : m_session(session) {}
    void progress(const Progress& p) override
    {
        Q_EMIT m_session->progress(QString::fromStdString(p.stage), p.done, p.total, p.etaSeconds);
    }

private:
    ExplainSession* m_session;
};

ExplainSession::ExplainSession(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<CacheInfo>();
    qRegisterMetaType<Attribution>();
    qRegisterMetaType<ExampleTokens>();
    qRegisterMetaType<std::vector<Attributor::SavedQuery>>();
}

ExplainSession::~ExplainSession() = default;

void ExplainSession::open(std::stop_token stop, const std::shared_ptr<const Model>& loaded, InfluenceModel model,
                          const std::filesystem::path& cache)
{
    guarded(this, [&] {
        if (!loaded)
            throw InvalidArgument(EngineWorker::tr("Open a model first.").toStdString());
        m_attributor.reset(); // the old model and cache go before the new ones load
        model.dir = loaded->info().dir;
        model.loaded = loaded;
        model.device = loaded->device();
        Sink sink(this);
        m_attributor = Attributor::open(model, cache, &sink, stop);
        Q_EMIT opened(m_attributor->info(), m_attributor->savedQueries());
    });
}

void ExplainSession::attribute(std::stop_token stop, const InfluenceQuery& query)
{
    guarded(this, [&] {
        if (!m_attributor)
            throw InvalidArgument(EngineWorker::tr("Open a cache first.").toStdString());
        Sink sink(this);
        const auto attribution = m_attributor->attribute(query, &sink, stop);
        Q_EMIT attributed(attribution, m_attributor->savedQueries());
    });
}

void ExplainSession::reopen(std::stop_token stop, std::int64_t queryId, std::int64_t top)
{
    guarded(this, [&] {
        if (!m_attributor)
            throw InvalidArgument(EngineWorker::tr("Open a cache first.").toStdString());
        const auto attribution = m_attributor->reopen(queryId, top, stop);
        Q_EMIT attributed(attribution, m_attributor->savedQueries());
    });
}

void ExplainSession::exampleTokens(std::stop_token stop, std::int64_t queryId, std::int64_t exampleId)
{
    guarded(this, [&] {
        if (!m_attributor)
            throw InvalidArgument(EngineWorker::tr("Open a cache first.").toStdString());
        Q_EMIT exampleTokensReady(queryId, m_attributor->exampleTokens(queryId, exampleId, stop));
    });
}

} // namespace zl::ui
