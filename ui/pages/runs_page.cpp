#include "pages/runs_page.h"

#include "widgets/message_banner.h"
#include "widgets/metric_chart.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace zl::ui {

namespace {

enum Column { Name, Status, Method, Task, Steps, DevAccuracy, TestAccuracy, Created, Columns };

// Metrics in the order they are offered; others follow by name.
const char* const kPreferredMetrics[] = {"loss_avg",       "loss",           "dev_accuracy", "dev_loss",
                                         "rss_bytes",      "peak_rss_bytes", "step_seconds", "lr",
                                         "projected_grad", "grad_norm"};

QString metricTitle(const QString& name)
{
    static const QHash<QString, const char*> titles = {
        {QStringLiteral("loss_avg"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Training loss (smoothed)")},
        {QStringLiteral("loss"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Training loss")},
        {QStringLiteral("dev_accuracy"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Dev accuracy (%)")},
        {QStringLiteral("dev_loss"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Dev loss")},
        {QStringLiteral("test_accuracy"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Test accuracy (%)")},
        {QStringLiteral("test_loss"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Test loss")},
        {QStringLiteral("inference_rss_bytes"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Memory for inference (MiB)")},
        {QStringLiteral("rss_bytes"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Memory (MiB)")},
        {QStringLiteral("peak_rss_bytes"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Peak memory (MiB)")},
        {QStringLiteral("step_seconds"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Seconds per step")},
        {QStringLiteral("lr"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Learning rate")},
        {QStringLiteral("projected_grad"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Projected gradient (ZO)")},
        {QStringLiteral("grad_norm"), QT_TRANSLATE_NOOP("zl::ui::RunsPage", "Gradient norm")},
    };
    const char* t = titles.value(name);
    return t ? RunsPage::tr(t) : name;
}

// Shown in the units a reader expects: percent, MiB.
double displayValue(const QString& metric, double v)
{
    if (metric == QStringLiteral("dev_accuracy") || metric == QStringLiteral("test_accuracy"))
        return 100.0 * v;
    if (metric.endsWith(QStringLiteral("_bytes")))
        return v / (1024.0 * 1024.0);
    return v;
}

QString statusText(const QString& status)
{
    if (status == QStringLiteral("running"))
        return RunsPage::tr("running");
    if (status == QStringLiteral("finished"))
        return RunsPage::tr("finished");
    if (status == QStringLiteral("early-stopped"))
        return RunsPage::tr("stopped early");
    if (status == QStringLiteral("cancelled"))
        return RunsPage::tr("stopped (resumable)");
    if (status == QStringLiteral("interrupted"))
        return RunsPage::tr("interrupted (resumable)");
    if (status == QStringLiteral("diverged"))
        return RunsPage::tr("diverged");
    if (status == QStringLiteral("failed"))
        return RunsPage::tr("failed");
    return status;
}

bool resumable(const QString& status)
{
    return status == QStringLiteral("cancelled") || status == QStringLiteral("interrupted");
}

const QColor kRunColors[] = {QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
                             QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127),
                             QColor(188, 189, 34),  QColor(23, 190, 207)};

} // namespace

RunsPage::RunsPage(QWidget* parent)
    : QWidget(parent), m_thread(std::make_unique<RunStoreThread>()), m_store(m_thread->store()),
      m_confirmDelete([this](const QStringList& names) {
          QMessageBox box(this);
          box.setIcon(QMessageBox::Warning);
          box.setWindowTitle(tr("Delete runs?"));
          box.setText(
              tr("Delete %n run(s) and their metrics from the database?", nullptr, static_cast<int>(names.size())));
          box.setInformativeText(
              tr("%1\n\nTheir folders (checkpoints, tuned models) stay on disk.").arg(names.join(QLatin1Char('\n'))));
          auto* remove = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
          box.addButton(QMessageBox::Cancel);
          box.setDefaultButton(QMessageBox::Cancel);
          box.exec();
          return box.clickedButton() == remove;
      })
{
    auto* layout = new QVBoxLayout(this);
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("runsBanner"));
    layout->addWidget(m_banner);

    auto* head = new QHBoxLayout;
    m_dbLabel = new QLabel;
    m_dbLabel->setObjectName(QStringLiteral("runsDatabaseLabel"));
    m_dbLabel->setWordWrap(true);
    m_dbLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refresh = new QPushButton(tr("Refresh"));
    head->addWidget(m_dbLabel, 1);
    head->addWidget(m_refresh);
    layout->addLayout(head);

    m_table = new QTableWidget(0, Columns);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Status"), tr("Method"), tr("Task"), tr("Steps"),
                                        tr("Dev accuracy"), tr("Test accuracy"), tr("Created")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    m_table->setMinimumHeight(150);
    m_table->setToolTip(tr("Select several runs (Ctrl or Shift) to compare their curves"));
    layout->addWidget(m_table, 1);

    auto* actions = new QHBoxLayout;
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setObjectName(QStringLiteral("resumeRunButton"));
    m_delete = new QPushButton(tr("Delete from database…"));
    m_delete->setObjectName(QStringLiteral("deleteRunButton"));
    m_hint = new QLabel;
    m_hint->setWordWrap(true);
    actions->addWidget(m_resume);
    actions->addWidget(m_delete);
    actions->addWidget(m_hint, 1);
    layout->addLayout(actions);

    auto* chartBar = new QHBoxLayout;
    m_metric = new QComboBox;
    m_metric->setObjectName(QStringLiteral("metricCombo"));
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_exportChart = new QPushButton(tr("Export chart…"));
    m_exportChart->setObjectName(QStringLiteral("exportChartButton"));
    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_exportCsv->setObjectName(QStringLiteral("exportCsvButton"));
    chartBar->addWidget(new QLabel(tr("Metric:")));
    chartBar->addWidget(m_metric);
    chartBar->addStretch();
    chartBar->addWidget(m_exportChart);
    chartBar->addWidget(m_exportCsv);
    layout->addLayout(chartBar);

    m_chart = new MetricChart;
    m_chart->setObjectName(QStringLiteral("runsChart"));
    m_chart->setMinimumHeight(280);
    m_chart->setLogScaleAvailable(true);
    m_chart->setNote(tr("Select runs above to see their curves."));
    layout->addWidget(m_chart, 2);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("runsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_poll = new QTimer(this);
    m_poll->setInterval(3000); // while a run is going: its steps and status
    connect(m_poll, &QTimer::timeout, this, [this] {
        for (const RunRow& r : std::as_const(m_runs))
            if (r.status == QStringLiteral("running")) {
                refresh();
                return;
            }
    });

    connect(m_refresh, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_wantedSelection = selectedRuns();
        updateButtons();
        requestCurves();
    });
    connect(m_metric, &QComboBox::activated, this, [this] {
        m_wantedMetric = m_metric->currentData().toString();
        requestCurves();
    });
    connect(m_resume, &QPushButton::clicked, this, &RunsPage::resumeSelected);
    connect(m_delete, &QPushButton::clicked, this, &RunsPage::deleteSelected);
    connect(m_exportChart, &QPushButton::clicked, this, [this] {
        QString filter;
        QString file = QFileDialog::getSaveFileName(
            this, tr("Export chart"), QDir::home().filePath(m_wantedMetric + QStringLiteral(".png")),
            tr("PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"), &filter);
        if (file.isEmpty())
            return;
        if (QFileInfo(file).suffix().isEmpty())
            file += filter.contains(QStringLiteral("svg"))   ? QStringLiteral(".svg")
                    : filter.contains(QStringLiteral("pdf")) ? QStringLiteral(".pdf")
                                                             : QStringLiteral(".png");
        exportChart(file);
    });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] {
        QString file = QFileDialog::getSaveFileName(
            this, tr("Export metrics"), QDir::home().filePath(QStringLiteral("metrics.csv")), tr("CSV files (*.csv)"));
        if (file.isEmpty())
            return;
        if (QFileInfo(file).suffix().isEmpty())
            file += QStringLiteral(".csv");
        exportCsv(file);
    });

    connect(m_store, &RunStore::listed, this, &RunsPage::showRuns);
    connect(m_store, &RunStore::curvesLoaded, this, &RunsPage::showCurves);
    connect(m_store, &RunStore::removed, this, [this] { refresh(); });
    connect(m_store, &RunStore::csvExported, this, [this](const QString& file, qint64 rows) {
        m_status->setText(tr("Wrote %n metric value(s) to %1.", nullptr, static_cast<int>(rows)).arg(file));
        Q_EMIT csvExported(file, rows);
    });
    connect(m_store, &RunStore::failed, this,
            [this](const QString& what, const QString& message) { m_banner->showError(what, message); });
    updateButtons();
}

RunsPage::~RunsPage() = default;

void RunsPage::showEvent(QShowEvent* event)
{
    refresh();
    m_poll->start();
    QWidget::showEvent(event);
}

void RunsPage::hideEvent(QHideEvent* event)
{
    m_poll->stop();
    QWidget::hideEvent(event);
}

void RunsPage::refresh()
{
    m_dbLabel->setText(tr("Runs in %1").arg(RunStore::databasePath()));
    QMetaObject::invokeMethod(
        m_store, [s = m_store] { s->list(); }, Qt::QueuedConnection);
}

const RunRow* RunsPage::row(qint64 id) const
{
    for (const RunRow& r : m_runs)
        if (r.id == id)
            return &r;
    return nullptr;
}

void RunsPage::showRuns(const QList<RunRow>& runs)
{
    m_runs = runs;
    const QList<qint64> keep = m_wantedSelection;
    {
        const QSignalBlocker block(m_table);
        m_table->clearSelection();
        m_table->setRowCount(static_cast<int>(runs.size()));
        for (int i = 0; i < runs.size(); ++i) {
            const RunRow& r = runs[i];
            const auto pct = [](double a) {
                return a >= 0 ? QLocale().toString(100.0 * a, 'f', 1) + QStringLiteral(" %") : QStringLiteral("–");
            };
            const QString cells[Columns] = {
                r.name,
                statusText(r.status),
                r.method,
                r.task,
                QStringLiteral("%1 / %2").arg(QLocale().toString(r.stepsDone), QLocale().toString(r.stepsTotal)),
                pct(r.devAccuracy),
                pct(r.testAccuracy),
                QLocale().toString(QDateTime::fromSecsSinceEpoch(r.createdAt), QLocale::ShortFormat)};
            for (int c = 0; c < Columns; ++c) {
                auto* item = new QTableWidgetItem(cells[c]);
                item->setData(Qt::UserRole, r.id);
                if (c >= Steps && c <= TestAccuracy)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                item->setToolTip(c == Status && !r.error.isEmpty() ? r.error : r.dir);
                m_table->setItem(i, c, item);
            }
            if (keep.contains(r.id))
                for (int c = 0; c < Columns; ++c)
                    m_table->item(i, c)->setSelected(true);
        }
    }
    m_wantedSelection = selectedRuns();
    if (runs.isEmpty())
        m_chart->setNote(tr("No runs yet: start one on the Fine-tune page."));
    updateButtons();
    requestCurves();
    Q_EMIT listed();
}

QList<qint64> RunsPage::selectedRuns() const
{
    QList<qint64> ids;
    for (int i = 0; i < m_table->rowCount(); ++i)
        if (m_table->item(i, 0) && m_table->item(i, 0)->isSelected())
            ids << m_table->item(i, 0)->data(Qt::UserRole).toLongLong();
    return ids;
}

void RunsPage::selectRuns(const QList<qint64>& ids)
{
    m_wantedSelection = ids;
    {
        const QSignalBlocker block(m_table);
        m_table->clearSelection();
        for (int i = 0; i < m_table->rowCount(); ++i)
            if (ids.contains(m_table->item(i, 0)->data(Qt::UserRole).toLongLong()))
                for (int c = 0; c < Columns; ++c)
                    m_table->item(i, c)->setSelected(true);
    }
    updateButtons();
    requestCurves();
}

bool RunsPage::setMetric(const QString& name)
{
    m_wantedMetric = name;
    const int index = m_metric->findData(name);
    if (index >= 0)
        m_metric->setCurrentIndex(index);
    requestCurves();
    return index >= 0;
}

QString RunsPage::metric() const
{
    return m_wantedMetric;
}

void RunsPage::requestCurves()
{
    const QList<qint64> ids = selectedRuns();
    const int request = ++m_curveRequest;
    if (ids.isEmpty()) {
        m_chart->clearSeries();
        m_chart->setNote(m_runs.isEmpty() ? tr("No runs yet: start one on the Fine-tune page.")
                                          : tr("Select runs above to see their curves."));
        return;
    }
    QMetaObject::invokeMethod(
        m_store, [s = m_store, ids, metric = m_wantedMetric, request] { s->loadCurves(ids, metric, request); },
        Qt::QueuedConnection);
}

void RunsPage::showCurves(int request, const QList<RunCurve>& curves, const QStringList& names)
{
    if (request != m_curveRequest)
        return;
    // The metrics the selected runs have, the usual ones first.
    QStringList ordered;
    for (const char* n : kPreferredMetrics)
        if (names.contains(QLatin1String(n)))
            ordered << QLatin1String(n);
    for (const QString& n : names)
        if (!ordered.contains(n))
            ordered << n;
    {
        const QSignalBlocker block(m_metric);
        m_metric->clear();
        for (const QString& n : ordered)
            m_metric->addItem(metricTitle(n), n);
        m_metric->setCurrentIndex(m_metric->findData(m_wantedMetric));
    }
    if (!ordered.isEmpty() && !ordered.contains(m_wantedMetric)) {
        // The metric asked for is not there (e.g. zero-shot runs): draw the first that is.
        m_wantedMetric = ordered.front();
        m_metric->setCurrentIndex(0);
        requestCurves();
        return;
    }
    m_chart->clearSeries();
    int points = 0;
    for (int i = 0; i < curves.size(); ++i) {
        const RunCurve& c = curves[i];
        const QString key = QString::number(c.runId);
        m_chart->addSeries(key, c.runName, kRunColors[i % 10], MetricChart::Axis::Left,
                           c.steps.size() <= 30 ? MetricChart::Style::LineAndDots : MetricChart::Style::Line, 1.8);
        QVector<double> values;
        values.reserve(c.values.size());
        for (double v : c.values)
            values << displayValue(c.metric, v);
        m_chart->append(key, c.steps, values);
        points += static_cast<int>(c.steps.size());
    }
    m_chart->setAxisLabels(tr("Step"), metricTitle(m_wantedMetric));
    m_chart->setNote(points == 0 ? tr("The selected runs have no %1 values yet.").arg(metricTitle(m_wantedMetric))
                                 : QString());
    updateButtons();
}

void RunsPage::updateButtons()
{
    const QList<qint64> ids = selectedRuns();
    const RunRow* one = ids.size() == 1 ? row(ids.front()) : nullptr;
    m_resume->setEnabled(one && resumable(one->status));
    m_resume->setToolTip(
        one && !resumable(one->status)
            ? tr("Only a stopped or interrupted run can be resumed; this one is %1.").arg(statusText(one->status))
            : tr("Continue the selected run from its last checkpoint on the Fine-tune page"));
    m_delete->setEnabled(!ids.isEmpty());
    m_exportCsv->setEnabled(!ids.isEmpty());
    m_exportChart->setEnabled(!ids.isEmpty() && m_chart->totalPoints() > 0);
    m_hint->setText(ids.isEmpty() ? QString() : tr("%n run(s) selected", nullptr, static_cast<int>(ids.size())));
}

bool RunsPage::exportChart(const QString& file)
{
    const QString suffix = QFileInfo(file).suffix().toLower();
    const bool ok = suffix == QStringLiteral("svg")   ? m_chart->saveSvg(file)
                    : suffix == QStringLiteral("pdf") ? m_chart->savePdf(file)
                                                      : m_chart->savePng(file);
    if (ok)
        m_status->setText(tr("Chart written to %1.").arg(file));
    else
        m_banner->showMessage(MessageBanner::Kind::Error, tr("Could not write %1").arg(file),
                              tr("Check that the folder exists and can be written to."));
    return ok;
}

void RunsPage::exportCsv(const QString& file)
{
    const QList<qint64> ids = selectedRuns();
    if (ids.isEmpty())
        return;
    m_banner->clear();
    QMetaObject::invokeMethod(
        m_store, [s = m_store, ids, file] { s->exportCsv(ids, file); }, Qt::QueuedConnection);
}

void RunsPage::resumeSelected()
{
    const QList<qint64> ids = selectedRuns();
    const RunRow* r = ids.size() == 1 ? row(ids.front()) : nullptr;
    if (!r || !resumable(r->status))
        return;
    Q_EMIT resumeRequested(r->dir, r->configJson);
}

void RunsPage::deleteSelected()
{
    const QList<qint64> ids = selectedRuns();
    QStringList names;
    for (qint64 id : ids) {
        const RunRow* r = row(id);
        if (!r)
            continue;
        if (r->status == QStringLiteral("running")) {
            m_banner->showMessage(MessageBanner::Kind::Warning, tr("%1 is running").arg(r->name),
                                  tr("Stop it before deleting it from the database."));
            return;
        }
        names << QStringLiteral("%1 (%2)").arg(r->name, r->dir);
    }
    if (names.isEmpty() || !m_confirmDelete(names))
        return;
    for (qint64 id : ids)
        QMetaObject::invokeMethod(
            m_store, [s = m_store, id] { s->remove(id); }, Qt::QueuedConnection);
    m_wantedSelection.clear();
    m_status->setText(
        tr("Deleted %n run(s) from the database; their folders are unchanged.", nullptr, static_cast<int>(ids.size())));
}

} // namespace zl::ui
