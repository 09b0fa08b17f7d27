// The Runs page: every fine-tuning run of the run database, newest first, with
// its status and scores. Select several to overlay one metric's curves; export
// the chart (PNG, SVG, PDF) or the metrics (CSV); resume a stopped or
// interrupted run on the Fine-tune page; delete runs from the database (their
// folders stay on disk).
#pragma once

#include "run_store.h"

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace zl::ui {

class MessageBanner;
class MetricChart;

class RunsPage : public QWidget {
    Q_OBJECT
public:
    explicit RunsPage(QWidget* parent = nullptr);
    ~RunsPage() override;

    /// Reads the list again (keeps the selection).
    void refresh();
    /// Selects the runs with these ids; their curves follow.
    void selectRuns(const QList<qint64>& ids);
    QList<qint64> selectedRuns() const;
    /// Chooses the metric drawn (e.g. "loss_avg"); false when the selected runs do not have it.
    bool setMetric(const QString& name);
    QString metric() const;
    /// The runs as last listed.
    const QList<RunRow>& runs() const { return m_runs; }

    /// Writes the chart as shown; the format follows the suffix (.png, .svg, .pdf).
    bool exportChart(const QString& file);
    /// Writes every metric of the selected runs to `file` (CSV, atomically); the
    /// answer arrives as csvExported or in the banner.
    void exportCsv(const QString& file);
    /// Asks the Fine-tune page to resume the selected run.
    void resumeSelected();
    /// Deletes the selected runs from the database after the confirmation.
    void deleteSelected();

    using DeleteConfirmation = std::function<bool(const QStringList& names)>;
    void setDeleteConfirmation(DeleteConfirmation confirm) { m_confirmDelete = std::move(confirm); }

    MetricChart* chart() const { return m_chart; }

Q_SIGNALS:
    void resumeRequested(const QString& dir, const QString& configJson);
    void csvExported(const QString& file, qint64 rows);
    /// The list was read (after refresh()).
    void listed();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void showRuns(const QList<RunRow>& runs);
    void requestCurves();
    void showCurves(int request, const QList<RunCurve>& curves, const QStringList& names);
    void updateButtons();
    const RunRow* row(qint64 id) const;

    std::unique_ptr<RunStoreThread> m_thread;
    RunStore* m_store;
    MessageBanner* m_banner;
    QLabel* m_dbLabel;
    QTableWidget* m_table;
    QPushButton* m_refresh;
    QPushButton* m_resume;
    QPushButton* m_delete;
    QLabel* m_hint;
    QComboBox* m_metric;
    QPushButton* m_exportChart;
    QPushButton* m_exportCsv;
    MetricChart* m_chart;
    QLabel* m_status;
    QTimer* m_poll;
    QList<RunRow> m_runs;
    QList<qint64> m_wantedSelection;
    int m_curveRequest = 0;
    QString m_wantedMetric = QStringLiteral("loss_avg");
    DeleteConfirmation m_confirmDelete;
};

} // namespace zl::ui
