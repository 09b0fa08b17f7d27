// RunStore: the run database (zerolens/runs.h) for the Runs page. The SQLite
// connection lives on a thread of its own, so the list stays current while
// EngineWorker is busy with a run for hours, and no database call ever runs on
// the GUI thread. Each request is a method called on that thread through
// QMetaObject::invokeMethod; each answer is a queued signal.
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>
#include <QVector>

#include <filesystem>
#include <memory>

namespace zl {
class RunDatabase;
}

namespace zl::ui {

/// One run as the Runs page lists it.
struct RunRow {
    qint64 id = 0;
    QString name, status, method, task, dir;
    QString configJson;  ///< the run's FinetuneOptions as JSON
    QString summaryJson; ///< final or latest results
    QString error;
    qint64 stepsDone = 0, stepsTotal = 0;
    qint64 createdAt = 0, updatedAt = 0;        ///< Unix seconds
    double devAccuracy = -1, testAccuracy = -1; ///< from summaryJson; −1 when absent
};

/// One metric of one run, ordered by step.
struct RunCurve {
    qint64 runId = 0;
    QString runName;
    QString metric;
    QVector<double> steps, values;
};

/// Reads dev and test accuracy from a run's summary JSON (−1 where absent).
void readAccuracies(const QString& summaryJson, double& dev, double& test);

class RunStore : public QObject {
    Q_OBJECT
public:
    RunStore();
    ~RunStore() override;

    /// The database file (RunDatabase::defaultPath(): $ZL_RUNS_DB or the user's data folder).
    static QString databasePath();

    // On the store's thread:
    /// All runs, newest first; an empty list (not a new file) when there is no database yet.
    void list();
    /// The curve of `metric` of each run in `ids`, and the metric names those runs have.
    void loadCurves(const QList<qint64>& ids, const QString& metric, int request);
    /// Deletes the run's rows and metrics (never its folder).
    void remove(qint64 id);
    /// Writes every metric of the runs to `file` as CSV, atomically.
    void exportCsv(const QList<qint64>& ids, const QString& file);

Q_SIGNALS:
    void listed(const QList<zl::ui::RunRow>& runs);
    void curvesLoaded(int request, const QList<zl::ui::RunCurve>& curves, const QStringList& metricNames);
    void removed(qint64 id);
    void csvExported(const QString& file, qint64 rows);
    /// `what` says what was attempted, e.g. "Could not read the run database".
    void failed(const QString& what, const QString& message);

private:
    /// The open database, reopened when its path changed; nullptr when the file does not exist yet.
    RunDatabase* database();

    std::unique_ptr<RunDatabase> m_db;
    std::filesystem::path m_path;
};

/// The store's thread, quit and joined when destroyed.
class RunStoreThread {
public:
    RunStoreThread();
    ~RunStoreThread();
    RunStore* store() const { return m_store; }

private:
    QThread m_thread;
    RunStore* m_store;
};

} // namespace zl::ui

Q_DECLARE_METATYPE(zl::ui::RunRow)
Q_DECLARE_METATYPE(zl::ui::RunCurve)
