#include "engine_worker.h"

#include "zerolens/demo.h"
#include "zerolens/demo_data.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/runtime.h"

namespace zl::ui {

namespace {

// Forwards engine progress as a queued signal; the engine already throttles.
class SignalSink : public EventSink {
public:
    explicit SignalSink(EngineWorker* worker) : m_worker(worker) {}
    void progress(const Progress& p) override
    {
        Q_EMIT m_worker->progress(QString::fromStdString(p.stage), p.done, p.total, p.etaSeconds);
    }

private:
    EngineWorker* m_worker;
};

} // namespace

EngineWorker::EngineWorker()
{
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<GenerationSettings>();
}

EngineWorker::~EngineWorker() = default;

void EngineWorker::requestStop()
{
    std::lock_guard lock(m_stopMutex);
    m_stop.request_stop();
}

std::stop_token EngineWorker::beginJob()
{
    std::lock_guard lock(m_stopMutex);
    m_stop = std::stop_source();
    return m_stop.get_token();
}

// Runs one job: busy on/off around it, and every exception turned into a signal
// so none crosses the event loop.
template <typename Fn> void EngineWorker::runJob(Fn&& fn)
{
    Q_EMIT busyChanged(true);
    const auto stop = beginJob();
    try {
        fn(stop);
    } catch (const Cancelled&) {
        Q_EMIT cancelled();
    } catch (const Error& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Internal error: %1").arg(QString::fromStdString(e.what())));
    }
    Q_EMIT busyChanged(false);
}

void EngineWorker::loadModel(const QString& path, const QString& device)
{
    runJob([&](std::stop_token stop) {
        SignalSink sink(this);
        LoadOptions options;
        options.device = device.toStdString();
        auto model = Model::load(path.toStdString(), options, &sink, stop);
        m_model = std::move(model);
        const auto& info = m_model->info();
        const auto& c = info.config;
        ModelSummary s;
        s.path = path;
        s.architecture = QString::fromStdString(c.architecture);
        s.modelType = QString::fromStdString(c.modelType);
        s.parameters = info.parameterCount;
        s.layers = c.numLayers;
        s.hiddenSize = c.hiddenSize;
        s.intermediateSize = c.intermediateSize;
        s.heads = c.numHeads;
        s.kvHeads = c.numKeyValueHeads;
        s.vocabSize = c.vocabSize;
        s.contextLength = c.maxPositionEmbeddings;
        s.storedDtype = QString::fromStdString(info.storedDtype);
        s.computeDtype = QString::fromStdString(m_model->computeDtype());
        s.device = QString::fromStdString(m_model->device());
        s.tokenizer = QString::fromStdString(m_model->tokenizer().description());
        s.storedBytes = info.storedBytes;
        s.weightBytes = m_model->weightBytes();
        Q_EMIT modelLoaded(s);
    });
}

void EngineWorker::generate(const QString& prompt, const GenerationSettings& settings)
{
    runJob([&](std::stop_token stop) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
        SamplingOptions o;
        o.maxNewTokens = settings.maxNewTokens;
        o.temperature = settings.temperature;
        o.topK = settings.topK;
        o.topP = settings.topP;
        o.repetitionPenalty = settings.repetitionPenalty;
        o.seed = settings.seed;
        const auto r = zl::generate(
            *m_model, prompt.toStdString(), o,
            [this](std::int32_t, std::string_view piece) {
                Q_EMIT textGenerated(QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size())));
                return false;
            },
            stop);
        Q_EMIT generationFinished(static_cast<int>(r.ids.size()), r.tokensPerSecond,
                                  QString::fromStdString(r.stopReason));
    });
}

void EngineWorker::buildDemoData()
{
    runJob([&](std::stop_token stop) {
        SignalSink sink(this);
        zl::buildDemoData(zl::demoDataDir(), {}, &sink, stop);
        Q_EMIT demoDataBuilt(demoDataPath());
    });
}

QString EngineWorker::demoModelPath()
{
    const auto dir = findDemoModel();
    return dir ? QString::fromStdString(dir->string()) : QString();
}

QString EngineWorker::demoDataPath() { return QString::fromStdString(demoDataDir().string()); }
bool EngineWorker::demoDataReady() { return zl::demoDataReady(); }

quint64 EngineWorker::processMemoryBytes()
{
    return residentMemoryBytes();
}
QString EngineWorker::torchVersion()
{
    return QString::fromStdString(zl::torchVersion());
}
QString EngineWorker::sqliteVersion()
{
    return QString::fromStdString(zl::sqliteVersion());
}
bool EngineWorker::cudaAvailable()
{
    return zl::cudaAvailable();
}

WorkerThread::WorkerThread() : m_worker(new EngineWorker)
{
    m_thread.setObjectName(QStringLiteral("EngineWorker"));
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

WorkerThread::~WorkerThread()
{
    m_worker->requestStop();
    m_thread.quit();
    m_thread.wait();
}

} // namespace zl::ui
