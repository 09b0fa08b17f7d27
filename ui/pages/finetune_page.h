// The Fine-tune page: choose a model (and mask), a dataset, a method with its
// settings and a run folder; start, pause, resume and stop a run; follow it in
// live charts (training loss, dev accuracy and loss, memory, step time) and see
// where the tuned model went.
//
// Pause and Stop both ask the engine to stop at the next step, which saves a
// checkpoint: Pause keeps the page ready to resume, Stop ends the run here (it
// stays resumable from the Runs page). The run folder is a save-style target as
// on the Prepare page: refused where it may never go, replaced only after the
// user confirms.
#pragma once

#include "engine_worker.h"
#include "zerolens/finetune.h"

#include <QElapsedTimer>
#include <QSharedPointer>
#include <QWidget>

#include <functional>

class QBoxLayout;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace zl::ui {

class FinetuneJob;
class MessageBanner;
class MetricChart;
struct MetricSample;
struct FinetuneDataInfo;

class FinetunePage : public QWidget {
    Q_OBJECT
public:
    explicit FinetunePage(EngineWorker* worker, QWidget* parent = nullptr);
    ~FinetunePage() override;

    enum class State { Idle, Running, Pausing, Paused, Stopping };
    State state() const { return m_state; }

    void setModel(const ModelSummary& summary);
    /// Starts a run with the page's settings in the run folder field, after the
    /// target checks. False when nothing was started (inputs not ready, refused, not confirmed).
    bool start();
    void pause();
    void resume();
    void stop();
    /// Fills the page from a run of the database (its folder and configuration as
    /// JSON) and resumes it. False, with the banner saying why, when it cannot.
    bool resumeRun(const QString& dir, const QString& configJson);

    /// The job of the run in progress; null when none runs.
    FinetuneJob* job() const { return m_job.data(); }
    MetricChart* lossChart() const { return m_lossChart; }
    MetricChart* devChart() const { return m_devChart; }
    MetricChart* memoryChart() const { return m_memoryChart; }
    MetricChart* stepTimeChart() const { return m_timeChart; }

    /// The options a run would start with now.
    FinetuneOptions currentOptions() const;
    /// Why a run cannot start now; empty when it can.
    QString inputProblem() const;

    /// Asks whether to replace a non-empty run folder; tests replace the dialog.
    using ReplaceConfirmation = std::function<bool(const QString& path, const QString& contents)>;
    void setReplaceConfirmation(ReplaceConfirmation confirm) { m_confirmReplace = std::move(confirm); }

Q_SIGNALS:
    void runStarted(const QString& dir);
    /// A run finished, failed, paused or stopped: the database has changed.
    void runEnded(const QString& dir);
    /// The user asked to open the exported model.
    void openModelRequested(const QString& path);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setState(State state);
    void updateButtons();
    void updateModelHint();
    void requestPreview();
    void showPreview(int request, const DatasetPreview& preview);
    void applyPreset(bool force);
    void suggestRunFolder();
    void useDemoData();
    void offerMask(const MaskSummary& mask);
    void chooseDataset(bool folder);
    void launch(FinetuneOptions options, bool resuming);
    void onMetrics(const QVector<MetricSample>& samples);
    void onProgress(const QString& stage, qint64 done, qint64 total, double eta);
    void onDataLoaded(const FinetuneDataInfo& info);
    void onLog(int level, const QString& text);
    void onFinished(const FinetuneResult& result);
    void onCancelled();
    void onFailed(const QString& message);
    void showStatus();
    void resetCharts();
    /// Full path of a typed folder ("~" expanded), or empty.
    static QString expandPath(const QString& typed);
    QString targetProblem() const;
    QString targetPreview() const;

    EngineWorker* m_worker;
    ModelSummary m_model;
    ModelFolderInfo m_modelInfo;
    MessageBanner* m_banner;
    QBoxLayout* m_top;
    QGroupBox* m_dataBox;
    QGroupBox* m_methodBox;
    QLineEdit* m_modelEdit;
    QLabel* m_modelHint;
    QLineEdit* m_maskEdit;
    QLineEdit* m_dataEdit;
    QPushButton* m_buildDemo;
    QLabel* m_taskLabel;
    QLineEdit* m_template;
    QLineEdit* m_labels;
    QLineEdit* m_labelWords;
    QTableWidget* m_preview;
    QComboBox* m_method;
    QLabel* m_presetLabel;
    QPushButton* m_presetButton;
    QSpinBox* m_steps;
    QSpinBox* m_batch;
    QDoubleSpinBox* m_lr;
    QComboBox* m_schedule;
    QDoubleSpinBox* m_eps;
    QSpinBox* m_perturbations;
    QDoubleSpinBox* m_weightDecay;
    QSpinBox* m_evalEvery;
    QSpinBox* m_seed;
    QLineEdit* m_runFolder;
    QList<QPushButton*> m_browseButtons; ///< model, mask, dataset, run folder: only while idle
    QLabel* m_runTarget;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_resume;
    QPushButton* m_stop;
    QLabel* m_startHint;
    QProgressBar* m_progress;
    QLabel* m_status;
    QLabel* m_stage;
    QLabel* m_result;
    QPushButton* m_openExported;
    MetricChart* m_lossChart;
    MetricChart* m_devChart;
    MetricChart* m_memoryChart;
    MetricChart* m_timeChart;
    QTimer* m_previewTimer;
    QTimer* m_tick;

    QSharedPointer<FinetuneJob> m_job;
    FinetuneOptions m_runOptions; ///< of the run in progress or paused
    State m_state = State::Idle;
    DatasetPreview m_shownPreview;
    QStringList m_dataWarnings; ///< of the run's dataset: summed up in one banner, not one per row
    int m_previewRequest = 0;
    bool m_previewPending = false;
    bool m_buildingDemo = false;
    bool m_taskFromFile = false; ///< the dataset folder has task.json: the task fields show it
    QString m_suggestedFolder;
    QString m_presetMethod; ///< the method whose preset the fields hold, if untouched
    QString m_exported;
    QElapsedTimer m_elapsed;
    qint64 m_step = 0, m_stepCount = 0;
    double m_eta = -1;
    double m_lastDevAccuracy = -1;
    qint64 m_lastDevStep = -1;
    ReplaceConfirmation m_confirmReplace;
};

} // namespace zl::ui
