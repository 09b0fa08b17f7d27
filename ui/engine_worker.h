// EngineWorker: the one bridge between the Qt widgets and the engine. It lives
// in its own QThread, runs every engine call there, and reports back through
// queued signals. Stop requests come straight from the GUI thread through a
// std::stop_source, since a queued "cancel" slot would wait behind the busy job.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>

#include <memory>
#include <mutex>
#include <stop_token>

namespace zl {
class Model;
}

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
    quint64 storedBytes = 0;
    quint64 weightBytes = 0;
};

/// A sensitivity mask request from the Prepare page.
struct MaskSettings {
    QString rule = QStringLiteral("gradient"); ///< gradient, magnitude or random
    QString corpus;
    int sequences = 64;
    int seqLen = 128;
    double fraction = 0.001;
    QString output;
};

/// How a mask spreads over the model: selected entries per layer and matrix kind.
struct MaskSummary {
    QString file;
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
    QString mask; ///< empty: plain 4-bit
    QString output;
};

struct QuantizeSummary {
    QString output;
    quint64 inputBytes = 0, quantizedBytes = 0, sparseBytes = 0, otherBytes = 0;
    qint64 sparseEntries = 0;
    double rmsError = 0.0;
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

class EngineWorker : public QObject {
    Q_OBJECT
public:
    EngineWorker();
    ~EngineWorker() override;

    /// Asks the running job to stop at its next check. Safe from any thread.
    void requestStop();

    /// Resident memory of this process, for the status bar.
    static quint64 processMemoryBytes();
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

public Q_SLOTS:
    void loadModel(const QString& path, const QString& device);
    void generate(const QString& prompt, const zl::ui::GenerationSettings& settings);
    /// Builds the demo datasets from WordNet into demoDataPath().
    void buildDemoData();
    /// Computes a sensitivity mask of the loaded model's folder and saves it.
    void computeMask(const zl::ui::MaskSettings& settings);
    /// Quantizes the loaded model's folder into settings.output.
    void quantize(const zl::ui::QuantizeSettings& settings);

Q_SIGNALS:
    void busyChanged(bool busy);
    void progress(const QString& stage, qint64 done, qint64 total, double etaSeconds);
    void modelLoaded(const zl::ui::ModelSummary& summary);
    void textGenerated(const QString& piece);
    void generationFinished(int tokens, double tokensPerSecond, const QString& stopReason);
    void demoDataBuilt(const QString& path);
    void maskComputed(const zl::ui::MaskSummary& summary);
    void quantized(const zl::ui::QuantizeSummary& summary);
    void cancelled();
    void failed(const QString& message);

private:
    std::stop_token beginJob();
    template <typename Fn> void runJob(Fn&& fn);

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
