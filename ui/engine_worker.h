// EngineWorker: the one bridge between the Qt widgets and the engine. It lives
// in its own QThread, runs every engine call there, and reports back through
// queued signals. Stop requests come straight from the GUI thread through a
// std::stop_source, since a queued "cancel" slot would wait behind the busy job.
#pragma once

#include <QObject>
#include <QSharedPointer>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>

namespace zl {
class Model;
struct SensitivityMask;
struct DatasetOptions;
} // namespace zl

namespace zl::ui {

/// What the Model page shows about a loaded model.
struct ModelSummary {
    QString path;
    QString architecture;
    QString modelType;
    qint64 parameters = 0;
    qint64 layers = 0;
    qint64 hiddenSize = 0;
    qint64 intermediateSize = 0;
    qint64 heads = 0;
    qint64 kvHeads = 0;
    qint64 vocabSize = 0;
    qint64 contextLength = 0;
    QString storedDtype;
    QString computeDtype;
    QString device;
    QString tokenizer;
    QString quantization; ///< e.g. "int4, group 128, 4350 exact entries"; empty when not quantized
    QString format;       ///< "int4" or "nf4"; empty when not quantized
    qint64 sparseEntries = 0;
    qint64 linearEntries = 0; ///< entries of the decoder's linear weights, the candidates of a mask
    bool isDemo = false;      ///< the built-in demo model
    quint64 storedBytes = 0;
    quint64 weightBytes = 0; ///< on the device, all parts together
    /// Of a quantized model, by part: 4-bit codes with scales and zero points,
    /// the sparse full-precision set S, 8-bit embeddings and lm_head, and
    /// everything else (float embeddings and lm_head, norms).
    quint64 denseBytes = 0, sparseBytes = 0, int8Bytes = 0, otherBytes = 0;
};

/// "demo model (int4 + 0.10 % S)", "TinyLlama (original)", "m (int4, 8-bit embeddings)":
/// names the model and its variant.
QString modelTitle(const ModelSummary& summary);

/// Progress of a job: which of its steps runs, and how far that step is.
struct JobProgress {
    QString stage;
    int step = 1;           ///< 1-based
    int steps = 1;          ///< steps of the whole job
    qint64 done = 0;        ///< units of this step
    qint64 total = 0;       ///< 0 when unknown
    double etaSeconds = -1; ///< of this step; negative when unknown
};

/// What is at an output path, as far as the Prepare page must know before writing there.
struct TargetCheck {
    QString refusal; ///< non-empty: the target may never be used (root, home, the model folder); says why
    bool needsConfirmation = false; ///< exists and is not empty: replace only when the user agrees
    QString contents;               ///< translated, e.g. "14 items, 10.3 MiB: config.json, model.safetensors, …"
};

/// A sensitivity mask request from the Prepare page.
struct MaskSettings {
    QString rule = QStringLiteral("gradient"); ///< gradient, magnitude or random
    QString corpus;
    int sequences = 64;
    int seqLen = 128;
    double fraction = 0.001;
    QString output;
    bool overwrite = false; ///< the user agreed to replace an existing file
};

/// How a mask spreads over the model: selected entries per layer and matrix kind.
struct MaskSummary {
    QString file;
    QString modelPath; ///< the model folder it was computed for or checked against
    QString rule;
    qint64 selected = 0;
    qint64 candidates = 0;
    QStringList kinds;             ///< q_proj, k_proj, ...
    QList<QList<qint64>> perLayer; ///< [layer][kind] counts
};

/// A quantization request from the Prepare page.
struct QuantizeSettings {
    QString format = QStringLiteral("int4");
    int groupSize = 128;
    QString mask;                                      ///< empty: plain 4-bit
    QString embeddingFormat = QStringLiteral("float"); ///< or "int8": embeddings and lm_head in 8 bits
    QString output;
    bool overwrite = false; ///< the user agreed to replace an existing non-empty folder
};

struct QuantizeSummary {
    QString output;
    quint64 inputBytes = 0, quantizedBytes = 0, sparseBytes = 0, int8Bytes = 0, otherBytes = 0;
    qint64 sparseEntries = 0;
    double rmsError = 0.0, embeddingRmsError = 0.0;
};

/// Sampling settings from the Generate page.
struct GenerationSettings {
    int maxNewTokens = 128;
    double temperature = 0.8;
    int topK = 40;
    double topP = 0.95;
    double repetitionPenalty = 1.1;
    quint64 seed = 0;
};

/// The demo datasets as tables, for the Demo datasets dialog.
struct DemoDataset {
    QString name; ///< "Corpus (train)", ...
    QString file; ///< full path
    QStringList columns;
    QList<QStringList> rows;
    QList<bool> marked; ///< per row: a planted backdoor
    qint64 markedCount = 0;
};

/// A few formatted examples of a fine-tuning dataset, for the Fine-tune page's preview.
struct DatasetPreview {
    QString path;
    QString kind; ///< "classify" or "generate"
    QString promptTemplate;
    QStringList labels, labelWords;
    qint64 train = 0, dev = 0, test = 0;
    QList<QStringList> rows; ///< prompt as the model reads it, target (label word or response), label name
    QStringList warnings;    ///< skipped rows
    QString error;           ///< the dataset cannot be used; the rest is empty
};

/// What a model folder's config.json says about its weights, for choosing a method.
struct ModelFolderInfo {
    QString problem;       ///< non-empty: not a model folder (says why)
    QString format;        ///< "int4" or "nf4"; empty for a float model
    bool carriesS = false; ///< a 4-bit model with a sparse full-precision set S
};

class FinetuneJob;

class EngineWorker : public QObject {
    Q_OBJECT
public:
    EngineWorker();
    ~EngineWorker() override;

    /// Asks the running job to stop at its next check. Safe from any thread.
    void requestStop();

    /// Resident memory of this process, for the status bar.
    static quint64 processMemoryBytes();
    /// Physical cores this process may use (what 0 threads means).
    static int physicalCores();
    /// Library versions for the About dialog.
    static QString torchVersion();
    static QString sqliteVersion();
    /// True when this build of libtorch has CUDA and a GPU is visible.
    static bool cudaAvailable();
    /// The built-in demo model folder, or an empty string when it is not installed.
    static QString demoModelPath();
    /// Where the demo datasets live, and whether they are built.
    static QString demoDataPath();
    static bool demoDataReady();
    /// The demo corpus for masks (a text file, one document per line).
    static QString demoCorpusPath();
    /// Whether `output` may be written by a job that reads `modelDir`. Only stats
    /// the file system (no model work), so the GUI thread may call it.
    /// `inputs` are other files the job reads; `what` names a file target in a refusal ("mask file").
    static TargetCheck checkTarget(const QString& output, bool folder, const QString& modelDir,
                                   const QStringList& inputs = {}, const QString& what = QString());
    /// Reads the demo datasets into tables. Reads files only (a few MB), no model work.
    static QList<DemoDataset> readDemoData();
    /// The demo classification dataset folder (task.json + train/dev/test.jsonl).
    static QString demoClassifyPath();
    /// Reads `dir`/config.json (a small file, no model work) to tell a float model from a 4-bit one.
    static ModelFolderInfo inspectModelFolder(const QString& dir);

    // Called on the worker's thread, through QMetaObject::invokeMethod with a lambda
    // (their argument types stay out of the meta-object system):
    /// Runs a fine-tuning job to its end (busy meanwhile). The job reports through
    /// its own signals; requestStop() stops it at the next step with a checkpoint.
    void runFinetune(const QSharedPointer<FinetuneJob>& job);
    /// Runs one piece of a job object's work (busy meanwhile) with a fresh stop
    /// token and the loaded model (null when none). `task` reports through its
    /// job's own signals and never throws.
    using Task = std::function<void(std::stop_token, const std::shared_ptr<const Model>&)>;
    void runTask(const Task& task);
    /// Reads a dataset and formats a few training examples; answers with datasetPreviewed.
    /// Not a job: it is quick, and its errors belong to the preview, not to a banner.
    void previewDataset(const DatasetOptions& options, int request);

public Q_SLOTS:
    void loadModel(const QString& path, const QString& device);
    void generate(const QString& prompt, const zl::ui::GenerationSettings& settings);
    /// Builds the demo datasets from WordNet into demoDataPath().
    void buildDemoData();
    /// Computes a sensitivity mask of the loaded model's folder and saves it.
    void computeMask(const zl::ui::MaskSettings& settings);
    /// Quantizes the loaded model's folder into settings.output.
    void quantize(const zl::ui::QuantizeSettings& settings);
    /// Loads a mask file and checks that it belongs to the loaded model.
    void loadMask(const QString& file);
    /// Sets the engine's compute threads (0 = all physical cores). Runs on the
    /// worker thread, because libtorch's thread setting applies to the calling thread.
    void setThreads(int threads);

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(const zl::ui::JobProgress& progress);
    void modelLoaded(const zl::ui::ModelSummary& summary);
    void textGenerated(const QString& piece);
    void generationFinished(int tokens, double tokensPerSecond, const QString& stopReason);
    void demoDataBuilt(const QString& path);
    void maskComputed(const zl::ui::MaskSummary& summary);
    /// During a gradient-rule mask: the mask the sequences so far select.
    void maskPartial(const zl::ui::MaskSummary& summary, qint64 sequencesDone, qint64 sequences);
    void maskLoaded(const zl::ui::MaskSummary& summary);
    void quantized(const zl::ui::QuantizeSummary& summary);
    void datasetPreviewed(int request, const zl::ui::DatasetPreview& preview);
    void cancelled();
    void failed(const QString& message);

private:
    std::stop_token beginJob();
    template <typename Fn> void runJob(Fn&& fn);
    MaskSummary summarize(const SensitivityMask& mask, const QString& file) const;

    std::shared_ptr<Model> m_model;
    std::mutex m_stopMutex;
    std::stop_source m_stop;
};

/// A QThread that is quit and joined when destroyed, owning its worker.
class WorkerThread {
public:
    WorkerThread();
    ~WorkerThread();
    EngineWorker* worker() const { return m_worker; }

private:
    QThread m_thread;
    EngineWorker* m_worker;
};

} // namespace zl::ui

Q_DECLARE_METATYPE(zl::ui::ModelSummary)
Q_DECLARE_METATYPE(zl::ui::GenerationSettings)
Q_DECLARE_METATYPE(zl::ui::MaskSettings)
Q_DECLARE_METATYPE(zl::ui::MaskSummary)
Q_DECLARE_METATYPE(zl::ui::QuantizeSettings)
Q_DECLARE_METATYPE(zl::ui::QuantizeSummary)
Q_DECLARE_METATYPE(zl::ui::JobProgress)
Q_DECLARE_METATYPE(zl::ui::DatasetPreview)
