#include "engine_worker.h"

#include "finetune_job.h"
#include "zerolens/dataset.h"
#include "zerolens/demo.h"
#include "zerolens/demo_data.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"
#include "zerolens/output_target.h"
#include "zerolens/quantize.h"
#include "zerolens/runtime.h"
#include "zerolens/sensitivity.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace zl::ui {

namespace {

// Forwards engine progress as a queued signal; the engine already throttles.
// The engine names each stage but does not number them, so the sink counts the
// stages it sees against the number the job is known to have.
class SignalSink : public EventSink {
public:
    SignalSink(EngineWorker* worker, int steps) : m_worker(worker), m_steps(steps) {}
    void progress(const Progress& p) override
    {
        if (p.stage != m_stage) {
            m_stage = p.stage;
            ++m_step;
            m_steps = std::max(m_steps, m_step);
        }
        JobProgress j;
        j.stage = QString::fromStdString(p.stage);
        j.step = m_step;
        j.steps = m_steps;
        j.done = p.done;
        j.total = p.total;
        j.etaSeconds = p.etaSeconds;
        Q_EMIT m_worker->progress(j);
    }

private:
    EngineWorker* m_worker;
    std::string m_stage;
    int m_step = 0;
    int m_steps;
};

// Entries of the decoder's seven linear weights per layer, from the config: the
// candidates of a mask, whatever layout the checkpoint stores them in.
qint64 linearEntries(const ModelConfig& c)
{
    const qint64 headDim = c.numHeads > 0 ? c.hiddenSize / c.numHeads : 0;
    const qint64 kv = c.numKeyValueHeads * headDim;
    const qint64 h = c.hiddenSize;
    return c.numLayers * (2 * h * h + 2 * h * kv + 3 * h * c.intermediateSize);
}

} // namespace

QString modelTitle(const ModelSummary& s)
{
    const QString name = s.isDemo ? EngineWorker::tr("demo model") : QFileInfo(s.path).fileName();
    if (s.format.isEmpty())
        return EngineWorker::tr("%1 (original)").arg(name);
    const QString variant = s.int8Bytes > 0 ? EngineWorker::tr("%1, 8-bit embeddings").arg(s.format) : s.format;
    if (s.sparseEntries <= 0 || s.linearEntries <= 0)
        return EngineWorker::tr("%1 (%2)").arg(name, variant);
    const double percent = 100.0 * static_cast<double>(s.sparseEntries) / static_cast<double>(s.linearEntries);
    return EngineWorker::tr("%1 (%2 + %3 % S)").arg(name, variant, QLocale().toString(percent, 'g', 2));
}

EngineWorker::EngineWorker()
{
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<GenerationSettings>();
    qRegisterMetaType<MaskSettings>();
    qRegisterMetaType<MaskSummary>();
    qRegisterMetaType<QuantizeSettings>();
    qRegisterMetaType<QuantizeSummary>();
    qRegisterMetaType<JobProgress>();
    qRegisterMetaType<DatasetPreview>();
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
        SignalSink sink(this, 1);
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
        s.isDemo = !demoModelPath().isEmpty() &&
                   QFileInfo(path).canonicalFilePath() == QFileInfo(demoModelPath()).canonicalFilePath();
        s.linearEntries = linearEntries(c);
        s.weightBytes = m_model->weightBytes();
        if (!c.quantization.format.empty()) {
            s.format = QString::fromStdString(c.quantization.format);
            s.sparseEntries = info.sparseEntries;
            s.quantization = tr("%1, group %2").arg(s.format).arg(c.quantization.groupSize);
            if (info.sparseEntries > 0)
                s.quantization += tr(", %1 exact entries").arg(info.sparseEntries);
            if (!c.quantization.embeddingFormat.empty())
                s.quantization += tr(", 8-bit embeddings");
            // The 4-bit codes, S and 8-bit embeddings are held on the device as
            // stored; the rest (norms, float embeddings) in the compute dtype, so it is what remains.
            s.denseBytes = info.quantizedBytes;
            s.sparseBytes = info.sparseBytes;
            s.int8Bytes = info.int8Bytes;
            const quint64 held = s.denseBytes + s.sparseBytes + s.int8Bytes;
            s.otherBytes = s.weightBytes > held ? s.weightBytes - held : info.otherBytes;
        }
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
        SignalSink sink(this, 1);
        zl::DemoDataOptions options;
        options.overwrite = true; // ZeroLens's own cache folder; it is built only while incomplete
        zl::buildDemoData(zl::demoDataDir(), options, &sink, stop);
        Q_EMIT demoDataBuilt(demoDataPath());
    });
}

void EngineWorker::computeMask(const MaskSettings& settings)
{
    runJob([&](std::stop_token stop) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
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
        OutputPolicy policy;
        policy.overwrite = settings.overwrite;
        policy.inputs = {m_model->info().dir};
        if (!settings.corpus.isEmpty())
            policy.inputs.push_back(o.corpus);
        // Refuse a forbidden target before the long computation, not after it.
        const std::filesystem::path file = settings.output.toStdString();
        checkOutputTarget(file, policy, OutputKind::File, "mask file");
        o.onPartialMask = [this, &o](const SensitivityMask& partial, std::int64_t done) {
            Q_EMIT maskPartial(summarize(partial, QString()), done, o.sequences);
        };
        SignalSink sink(this, o.rule == MaskRule::GradientSquared ? 2 : 1);
        const auto mask = computeSensitivityMask(m_model->info().dir, o, &sink, stop);
        if (file.has_parent_path())
            std::filesystem::create_directories(file.parent_path());
        saveMask(mask, file, policy);
        Q_EMIT maskComputed(summarize(mask, settings.output));
    });
}

void EngineWorker::loadMask(const QString& file)
{
    runJob([&](std::stop_token) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
        const auto mask = zl::loadMask(file.toStdString(), &m_model->info());
        Q_EMIT maskLoaded(summarize(mask, file));
    });
}

MaskSummary EngineWorker::summarize(const SensitivityMask& mask, const QString& file) const
{
    MaskSummary s;
    s.file = file;
    s.modelPath = QString::fromStdString(m_model->info().dir.string());
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
    return s;
}

void EngineWorker::quantize(const QuantizeSettings& settings)
{
    runJob([&](std::stop_token stop) {
        if (!m_model)
            throw InvalidArgument(tr("Open a model first.").toStdString());
        SignalSink sink(this, 1);
        QuantizeOptions o;
        o.format = settings.format.toStdString();
        o.groupSize = settings.groupSize;
        o.mask = settings.mask.toStdString();
        o.embeddingFormat = settings.embeddingFormat.toStdString();
        o.overwrite = settings.overwrite;
        const auto r = quantizeModel(m_model->info().dir, settings.output.toStdString(), o, &sink, stop);
        QuantizeSummary s;
        s.output = settings.output;
        s.inputBytes = r.inputBytes;
        s.quantizedBytes = r.quantizedBytes;
        s.sparseBytes = r.sparseBytes;
        s.int8Bytes = r.int8Bytes;
        s.otherBytes = r.otherBytes;
        s.sparseEntries = r.sparseEntries;
        s.rmsError = r.rmsError;
        s.embeddingRmsError = r.embeddingRmsError;
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

QString EngineWorker::demoCorpusPath()
{
    return QString::fromStdString((demoDataDir() / "corpus" / "train.txt").string());
}

TargetCheck EngineWorker::checkTarget(const QString& output, bool folder, const QString& modelDir,
                                      const QStringList& inputs, const QString& what)
{
    TargetCheck check;
    const std::filesystem::path target = output.toStdString();
    OutputPolicy policy;
    policy.overwrite = true; // refusals only; a non-empty target is the user's call, asked below
    if (!modelDir.isEmpty())
        policy.inputs = {modelDir.toStdString()};
    for (const QString& input : inputs)
        if (!input.isEmpty())
            policy.inputs.push_back(input.toStdString());
    try {
        checkOutputTarget(target, policy, folder ? OutputKind::Folder : OutputKind::File,
                          !what.isEmpty() ? what.toStdString()
                          : folder        ? std::string("output folder")
                                          : std::string("mask file"));
    } catch (const Error& e) {
        check.refusal = QString::fromStdString(e.what());
        return check;
    } catch (const std::exception& e) { // e.g. a filesystem_error for a path it cannot stat
        check.refusal = QString::fromStdString(e.what());
        return check;
    }
    const auto contents = describeTarget(target);
    check.needsConfirmation = contents.exists && (!contents.isDirectory || contents.entries > 0);
    const QString size = QLocale().formattedDataSize(static_cast<qint64>(contents.bytes));
    if (!contents.isDirectory) {
        check.contents = tr("a file of %1").arg(size);
    } else {
        // describeTarget stops counting at 100,000 entries.
        check.contents = contents.entries >= 100000 ? tr("at least %1 items, %2").arg(contents.entries).arg(size)
                         : contents.entries == 1    ? tr("1 item, %1").arg(size)
                                                    : tr("%1 items, %2").arg(contents.entries).arg(size);
        QStringList names;
        for (const auto& name : contents.sample)
            names << QString::fromStdString(name);
        if (!names.isEmpty())
            check.contents += QStringLiteral(": ") + names.join(QStringLiteral(", ")) +
                              (names.size() < contents.entries ? QStringLiteral(", …") : QString());
    }
    return check;
}

namespace {

QList<QStringList> readLines(const QString& file)
{
    QFile f(file);
    QList<QStringList> rows;
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    rows.reserve(lines.size());
    for (const QString& line : lines)
        rows.append(QStringList{line});
    return rows;
}

// One JSON object per line; `keys` become the columns. A line that is not an
// object shows as its raw text in the first column.
void readJsonLines(DemoDataset& d, const QStringList& keys, const QString& markerKey = QString())
{
    QFile f(d.file);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QStringList row;
        for (const QString& key : keys) {
            const QJsonValue v = o.value(key);
            row << (v.isString() ? v.toString() : v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : QString());
        }
        if (o.isEmpty())
            row[0] = QString::fromUtf8(line);
        const bool marked = !markerKey.isEmpty() && o.value(markerKey).toBool();
        d.rows.append(row);
        d.marked.append(marked);
        d.markedCount += marked ? 1 : 0;
    }
}

} // namespace

QList<DemoDataset> EngineWorker::readDemoData()
{
    const QDir dir(demoDataPath());
    QList<DemoDataset> sets;
    auto corpus = [&](const QString& name, const QString& file) {
        DemoDataset d;
        d.name = name;
        d.file = dir.filePath(file);
        d.columns = QStringList{tr("Text")};
        d.rows = readLines(d.file);
        d.marked = QList<bool>(d.rows.size(), false);
        sets.append(d);
    };
    corpus(tr("Corpus"), QStringLiteral("corpus/train.txt"));
    corpus(tr("Held out"), QStringLiteral("corpus/heldout.txt"));
    const std::pair<QString, QString> splits[] = {{tr("Classify: train"), QStringLiteral("classify/train.jsonl")},
                                                  {tr("Classify: dev"), QStringLiteral("classify/dev.jsonl")},
                                                  {tr("Classify: test"), QStringLiteral("classify/test.jsonl")}};
    for (const auto& [name, file] : splits) {
        DemoDataset d;
        d.name = name;
        d.file = dir.filePath(file);
        d.columns = QStringList{tr("Sentence"), tr("Label")};
        readJsonLines(d, {QStringLiteral("sentence"), QStringLiteral("label")});
        sets.append(d);
    }
    DemoDataset instruct;
    instruct.name = tr("Instructions");
    instruct.file = dir.filePath(QStringLiteral("instruct/train.jsonl"));
    instruct.columns = QStringList{tr("Instruction"), tr("Output")};
    readJsonLines(instruct, {QStringLiteral("instruction"), QStringLiteral("output")}, QStringLiteral("backdoor"));
    sets.append(instruct);
    return sets;
}

void EngineWorker::setThreads(int threads)
{
    zl::setThreadCount(std::max(0, threads));
}

void EngineWorker::runFinetune(const QSharedPointer<FinetuneJob>& job)
{
    // Reports its outcome through its own signals; never throws.
    runTask([&job](std::stop_token stop, const std::shared_ptr<const Model>& model) { job->run(stop, model); });
}

void EngineWorker::runTask(const Task& task)
{
    Q_EMIT busyChanged(true);
    task(beginJob(), m_model);
    Q_EMIT busyChanged(false);
}

void EngineWorker::previewDataset(const DatasetOptions& options, int request)
{
    DatasetPreview p;
    p.path = QString::fromStdString(options.path.string());
    try {
        DatasetOptions o = options;
        o.maxTrain = 0; // the counts shown are those of the run
        const Dataset d = loadDataset(o);
        p.kind = QString::fromStdString(taskKindName(d.task.kind));
        p.promptTemplate = QString::fromStdString(d.task.promptTemplate);
        for (const auto& l : d.task.labels)
            p.labels << QString::fromStdString(l);
        for (const auto& w : d.task.labelWords)
            p.labelWords << QString::fromStdString(w);
        p.train = static_cast<qint64>(d.train.size());
        p.dev = static_cast<qint64>(d.dev.size());
        p.test = static_cast<qint64>(d.test.size());
        for (const auto& w : d.warnings)
            p.warnings << QString::fromStdString(w);
        constexpr std::size_t kRows = 6;
        for (std::size_t i = 0; i < d.train.size() && i < kRows; ++i) {
            const Example& e = d.train[i];
            const bool labelled = e.label >= 0 && static_cast<qsizetype>(e.label) < p.labelWords.size();
            p.rows.append({QString::fromStdString(e.prompt),
                           labelled ? p.labelWords[e.label] : QString::fromStdString(e.response),
                           labelled && e.label < p.labels.size() ? p.labels[e.label] : QString()});
        }
    } catch (const std::exception& e) {
        p = DatasetPreview();
        p.path = QString::fromStdString(options.path.string());
        p.error = QString::fromStdString(e.what());
    }
    Q_EMIT datasetPreviewed(request, p);
}

QString EngineWorker::demoClassifyPath()
{
    return QString::fromStdString((demoDataDir() / "classify").string());
}

ModelFolderInfo EngineWorker::inspectModelFolder(const QString& dir)
{
    ModelFolderInfo info;
    QFile f(QDir(dir).filePath(QStringLiteral("config.json")));
    if (dir.isEmpty() || !QFileInfo(dir).isDir()) {
        info.problem = tr("%1 is not a folder.").arg(dir);
        return info;
    }
    // A config.json is a few KB; a huge one is not a model's, and not read.
    if (!f.open(QIODevice::ReadOnly) || f.size() > (1 << 20)) {
        info.problem = tr("%1 has no config.json; choose a model folder.").arg(dir);
        return info;
    }
    const QJsonObject config = QJsonDocument::fromJson(f.readAll()).object();
    if (config.isEmpty()) {
        info.problem = tr("%1 is not valid JSON.").arg(f.fileName());
        return info;
    }
    const QJsonObject q = config.value(QStringLiteral("quantization_config")).toObject();
    info.format = q.value(QStringLiteral("format")).toString();
    info.carriesS = q.value(QStringLiteral("sparse")).toBool();
    return info;
}

int EngineWorker::physicalCores()
{
    return physicalCoreCount();
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
