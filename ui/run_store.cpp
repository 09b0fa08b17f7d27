#include "run_store.h"

#include "csv_field.h"
#include "zerolens/runs.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace zl::ui {

namespace {

QString qstr(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

void readAccuracies(const QString& summaryJson, double& dev, double& test)
{
    dev = test = -1;
    const QJsonObject o = QJsonDocument::fromJson(summaryJson.toUtf8()).object();
    // {"best_dev": {"accuracy": …}, "test": {…}, "zero_shot_dev": {…}} as the engine
    // writes it; "dev" or flat "dev_accuracy" are read too.
    auto read = [&o](const QString& split) {
        const QJsonValue nested = o.value(split).toObject().value(QStringLiteral("accuracy"));
        if (nested.isDouble())
            return nested.toDouble();
        const QJsonValue flat = o.value(split + QStringLiteral("_accuracy"));
        return flat.isDouble() ? flat.toDouble() : -1.0;
    };
    dev = read(QStringLiteral("best_dev"));
    if (dev < 0)
        dev = read(QStringLiteral("dev"));
    test = read(QStringLiteral("test"));
}

RunStore::RunStore()
{
    qRegisterMetaType<RunRow>();
    qRegisterMetaType<QList<RunRow>>();
    qRegisterMetaType<RunCurve>();
    qRegisterMetaType<QList<RunCurve>>();
}

RunStore::~RunStore() = default;

QString RunStore::databasePath()
{
    return QString::fromStdString(RunDatabase::defaultPath().string());
}

RunDatabase* RunStore::database()
{
    const auto path = RunDatabase::defaultPath();
    if (m_db && path == m_path)
        return m_db.get();
    m_db.reset();
    m_path = path;
    // Looking at the list must not create a database in the user's data folder.
    if (!std::filesystem::exists(path))
        return nullptr;
    m_db = std::make_unique<RunDatabase>(path);
    return m_db.get();
}

void RunStore::list()
{
    try {
        QList<RunRow> rows;
        if (RunDatabase* db = database()) {
            for (const RunRecord& r : db->list()) {
                RunRow row;
                row.id = r.id;
                row.name = qstr(r.name);
                row.status = qstr(r.status);
                row.method = qstr(r.method);
                row.task = qstr(r.task);
                row.dir = qstr(r.dir.string());
                row.configJson = qstr(r.configJson);
                row.summaryJson = qstr(r.summaryJson);
                row.error = qstr(r.error);
                row.stepsDone = r.stepsDone;
                row.stepsTotal = r.stepsTotal;
                row.createdAt = r.createdAt;
                row.updatedAt = r.updatedAt;
                readAccuracies(row.summaryJson, row.devAccuracy, row.testAccuracy);
                rows.append(row);
            }
        }
        Q_EMIT listed(rows);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Could not read the run database %1").arg(databasePath()), qstr(e.what()));
    }
}

void RunStore::loadCurves(const QList<qint64>& ids, const QString& metric, int request)
{
    try {
        QList<RunCurve> curves;
        QStringList names;
        if (RunDatabase* db = database()) {
            for (qint64 id : ids) {
                const auto record = db->find(id);
                if (!record)
                    continue;
                for (const auto& n : db->metricNames(id))
                    if (!names.contains(qstr(n)))
                        names << qstr(n);
                RunCurve c;
                c.runId = id;
                c.runName = qstr(record->name);
                c.metric = metric;
                for (const MetricPoint& p : db->metrics(id, metric.toStdString())) {
                    c.steps << static_cast<double>(p.step);
                    c.values << p.value;
                }
                curves.append(c);
            }
        }
        Q_EMIT curvesLoaded(request, curves, names);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Could not read the metrics"), qstr(e.what()));
    }
}

void RunStore::remove(qint64 id)
{
    try {
        if (RunDatabase* db = database())
            db->remove(id);
        Q_EMIT removed(id);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Could not delete the run from the database"), qstr(e.what()));
    }
}

void RunStore::exportCsv(const QList<qint64>& ids, const QString& file)
{
    try {
        RunDatabase* db = database();
        if (!db)
            throw std::runtime_error("there is no run database yet");
        // Written whole or not at all: QSaveFile renames a complete temporary file over the target.
        QSaveFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            throw std::runtime_error(out.errorString().toStdString());
        out.write("run_id,run_name,metric,step,value,seconds\n");
        qint64 rows = 0;
        for (qint64 id : ids) {
            const auto record = db->find(id);
            if (!record)
                continue;
            const QByteArray prefix = QByteArray::number(id) + ',' + csvField(qstr(record->name)) + ',';
            for (const MetricPoint& p : db->metrics(id)) {
                out.write(prefix + csvField(qstr(p.name)) + ',' + QByteArray::number(p.step) + ',' +
                          QByteArray::number(p.value, 'g', 17) + ',' + QByteArray::number(p.seconds, 'g', 10) + '\n');
                ++rows;
            }
        }
        if (!out.commit())
            throw std::runtime_error(out.errorString().toStdString());
        Q_EMIT csvExported(file, rows);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Could not write %1").arg(file), qstr(e.what()));
    }
}

RunStoreThread::RunStoreThread() : m_store(new RunStore)
{
    m_thread.setObjectName(QStringLiteral("RunStore"));
    m_store->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_store, &QObject::deleteLater);
    m_thread.start();
}

RunStoreThread::~RunStoreThread()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace zl::ui
