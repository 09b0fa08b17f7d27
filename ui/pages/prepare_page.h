// The Prepare page (SensZOQ model preparation): compute a sensitivity mask with
// progress and Cancel, see how its entries spread over layers and matrix kinds,
// and quantize the model to 4 bits with or without that mask.
//
// Outputs never destroy anything: each target path is shown in full before the
// work starts, refused where it may never go (a filesystem root, the home
// folder, the model's own folder), and an existing non-empty target is replaced
// only after the user confirms a question that names it and what is in it.
#pragma once

#include "engine_worker.h"

#include <QElapsedTimer>
#include <QWidget>

#include <functional>

class QBoxLayout;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace zl::ui {

class MessageBanner;

class PreparePage : public QWidget {
    Q_OBJECT
public:
    explicit PreparePage(EngineWorker* worker, QWidget* parent = nullptr);

    void setModel(const ModelSummary& summary);
    /// Starts the mask computation, writing to `output`, after the checks above.
    /// Returns false when nothing was started (refused, not confirmed, inputs not ready).
    bool computeMask(const QString& output);
    /// Starts quantization into the folder `output`, after the checks above.
    bool quantize(const QString& output);
    /// Loads a mask file of the current model.
    void loadMask(const QString& file);

    /// Asks whether to replace `path`, which holds `contents`; `what` names the
    /// new output ("the mask", "the quantized model"). The default shows a dialog;
    /// tests replace it.
    using ReplaceConfirmation = std::function<bool(const QString& what, const QString& path, const QString& contents)>;
    void setReplaceConfirmation(ReplaceConfirmation confirm) { m_confirmReplace = std::move(confirm); }

    /// Why the mask cannot be computed now; empty when its inputs are ready.
    QString maskInputProblem() const;
    /// Why the model cannot be quantized now; empty when it can.
    QString quantizeInputProblem() const;
    /// The mask last computed or loaded for the model folder `modelPath`; empty when none.
    static QString rememberedMask(const QString& modelPath);

Q_SIGNALS:
    /// The user asked to open a freshly quantized model.
    void openModelRequested(const QString& path);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    enum class Job { None, Mask, Quantize, LoadMask, RememberedMask };

    void setBusy(bool busy);
    void updateButtons();
    void showMask(const MaskSummary& s);
    /// Draws a mask's per-layer, per-kind counts (also for a partial mask during a run).
    void plotMask(const MaskSummary& s);
    /// Why the typed output cannot be used (relative path, root, home, the model folder), or empty.
    QString targetProblem(const QString& typed, bool folder) const;
    void showQuantized(const QuantizeSummary& s);
    void showProgress();
    void rememberMask(const QString& modelPath, const QString& maskFile);
    /// Where suggested outputs go: beside the model when that folder is writable.
    QString outputBase() const;
    void suggestOutputs();
    void useDemoCorpus();
    /// One line on what writing to `typed` would do: create, fill an empty folder, ask, or refuse.
    QString targetPreview(const QString& typed, bool folder) const;
    void updateTargetPreviews();
    QString chooseMaskFile();
    QString chooseQuantizedFolder();
    /// The full, clean form of a path the user typed, or an empty string with the banner saying why.
    QString resolveTarget(const QString& typed, const QString& what);
    /// Refusal → error banner; non-empty → confirmation. Returns false to stop; sets `overwrite`.
    bool confirmTarget(const QString& path, bool folder, const QString& what, bool& overwrite);
    static bool askReplace(QWidget* parent, const QString& what, const QString& path, const QString& contents);

    EngineWorker* m_worker;
    ModelSummary m_model;
    MessageBanner* m_banner;
    QBoxLayout* m_top;
    QGroupBox* m_maskBox;
    QGroupBox* m_quantBox;
    QComboBox* m_rule;
    QLineEdit* m_corpus;
    QPushButton* m_browseCorpus;
    QSpinBox* m_sequences;
    QDoubleSpinBox* m_fraction;
    QLineEdit* m_maskOutput;
    QPushButton* m_chooseMaskOutput;
    QPushButton* m_maskButton;
    QPushButton* m_loadMaskButton;
    QLabel* m_maskHint;
    QLabel* m_maskTarget;
    QComboBox* m_format;
    QComboBox* m_embeddings;
    QComboBox* m_groupSize;
    QCheckBox* m_useMask;
    QLabel* m_maskName;
    QLineEdit* m_quantOutput;
    QPushButton* m_chooseQuantOutput;
    QPushButton* m_quantizeButton;
    QLabel* m_quantHint;
    QLabel* m_quantTarget;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QLabel* m_status;
    QLabel* m_quantResult;
    QPushButton* m_openQuantized;
    QCustomPlot* m_chart;
    QTimer* m_tick;
    QTimer* m_previewTimer;
    QElapsedTimer m_elapsed;
    JobProgress m_lastProgress;
    QString m_maskFile;
    MaskSummary m_shownMask; ///< the mask in use, drawn again when a new run is cancelled
    QString m_quantizedDir;
    QString m_suggestedMaskOutput, m_suggestedQuantOutput;
    Job m_job = Job::None;
    bool m_busy = false;
    bool m_jobStarted = false; ///< the worker has begun m_job
    ReplaceConfirmation m_confirmReplace;
};

} // namespace zl::ui
