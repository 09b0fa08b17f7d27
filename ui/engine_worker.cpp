#include "engine_worker.h"

#include "zerolens/demo.h"
#include "zerolens/demo_data.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/quantize.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

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
    qRegisterMetaType<MaskSettings>();
    qRegisterMetaType<MaskSummary>();
    qRegisterMetaType<QuantizeSettings>();
    qRegisterMetaType<QuantizeSummary>();
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
        if (!c.quantization.format.empty())
            s.quantization = tr("%1, group %2, %3 exact entries")
                                 .arg(QString::fromStdString(c.quantization.format))
                                 .arg(c.quantization.groupSize)
                                 .arg(info.sparseEntries);
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

void EngineWorker::computeMask(const MaskSettings& settings)
{
    runJob([&](std::stop_token stop) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
        SignalSink sink(this);
        SensitivityOptions o;
        o.rule = settings.rule == QStringLiteral("magnitude") ? MaskRule::Magnitude
                 : settings.rule == QStringLiteral("random")  ? MaskRule::Random
                                                              : MaskRule::GradientSquared;
        o.corpus = settings.corpus.toStdString();
        o.sequences = settings.sequences;
        o.seqLen = settings.seqLen;
        o.fraction = settings.fraction;
        o.device = m_model->device();
        if (o.rule == MaskRule::GradientSquared && settings.corpus.isEmpty())
            throw InvalidArgument(tr("Choose a text file for the gradient rule.").toStdString());
        const auto mask = computeSensitivityMask(m_model->info().dir, o, &sink, stop);
        saveMask(mask, settings.output.toStdString());
        MaskSummary s;
        s.file = settings.output;
        s.rule = QString::fromStdString(mask.rule);
        s.selected = mask.selected();
        s.candidates = mask.candidates;
        for (const char* kind : {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"})
            s.kinds << QString::fromLatin1(kind);
        const auto layers = m_model->config().numLayers;
        s.perLayer = QList<QList<qint64>>(layers, QList<qint64>(s.kinds.size(), 0));
        for (const auto& [name, idx] : mask.indices) {
            const QString n = QString::fromStdString(name);
            const int layer = n.section(QLatin1Char('.'), 2, 2).toInt();
            const int kind = static_cast<int>(s.kinds.indexOf(n.section(QLatin1Char('.'), -2, -2)));
            if (layer >= 0 && layer < layers && kind >= 0)
                s.perLayer[layer][kind] += static_cast<qint64>(idx.size());
        }
        Q_EMIT maskComputed(s);
    });
}

void EngineWorker::quantize(const QuantizeSettings& settings)
{
    runJob([&](std::stop_token stop) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
        SignalSink sink(this);
        QuantizeOptions o;
        o.format = settings.format.toStdString();
        o.groupSize = settings.groupSize;
        o.mask = settings.mask.toStdString();
        const auto r = quantizeModel(m_model->info().dir, settings.output.toStdString(), o, &sink, stop);
        QuantizeSummary s;
        s.output = settings.output;
        s.inputBytes = r.inputBytes;
        s.quantizedBytes = r.quantizedBytes;
        s.sparseBytes = r.sparseBytes;
        s.otherBytes = r.otherBytes;
        s.sparseEntries = r.sparseEntries;
        s.rmsError = r.rmsError;
        Q_EMIT quantized(s);
    });
}

QString EngineWorker::demoModelPath()
{
    const auto dir = findDemoModel();
    return dir ? QString::fromStdString(dir->string()) : QString();
}

QString EngineWorker::demoDataPath()
{
    return QString::fromStdString(demoDataDir().string());
}
bool EngineWorker::demoDataReady()
{
    return zl::demoDataReady();
}

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
