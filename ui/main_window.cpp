#include "main_window.h"

#include "pages/explain_page.h"
#include "pages/finetune_page.h"
#include "pages/generate_page.h"
#include "pages/model_page.h"
#include "pages/prepare_page.h"
#include "pages/runs_page.h"

#include "widgets/wheel_guard.h"

#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

namespace zl::ui {

MainWindow::MainWindow() : m_thread(std::make_unique<WorkerThread>())
{
    setWindowTitle(tr("ZeroLens"));
    QCoreApplication::instance()->installEventFilter(new WheelGuard(this));
    setWindowIcon(QIcon(QStringLiteral(":/icons/zerolens.svg")));
    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    m_nav = new QListWidget;
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setMaximumWidth(160);
    m_pages = new QStackedWidget;
    m_modelPage = new ModelPage(worker());
    m_generatePage = new GeneratePage(worker());
    m_preparePage = new PreparePage(worker());
    m_finetunePage = new FinetunePage(worker());
    m_runsPage = new RunsPage;
    m_explainPage = new ExplainPage(worker());
    m_nav->addItem(tr("Model"));
    m_nav->addItem(tr("Generate"));
    m_nav->addItem(tr("Prepare"));
    m_nav->addItem(tr("Fine-tune"));
    m_nav->addItem(tr("Runs"));
    m_nav->addItem(tr("Explain"));
    // Each page scrolls in a small window instead of squeezing its boxes flat.
    for (QWidget* page : {static_cast<QWidget*>(m_modelPage), static_cast<QWidget*>(m_generatePage),
                          static_cast<QWidget*>(m_preparePage), static_cast<QWidget*>(m_finetunePage),
                          static_cast<QWidget*>(m_runsPage), static_cast<QWidget*>(m_explainPage)}) {
        auto* scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(page);
        m_pages->addWidget(scroll);
    }
    layout->addWidget(m_nav);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);
    // The pages that work on the loaded model wait for one; Runs only reads the database.
    static constexpr int kModelPages[] = {1, 2, 3, 5};
    for (int i : kModelPages) { // until a model is loaded
        m_nav->item(i)->setFlags(Qt::NoItemFlags);
        m_nav->item(i)->setToolTip(tr("Open a model first"));
    }

    connect(m_modelPage, &ModelPage::modelReady, this, [this](const ModelSummary& s) {
        m_generatePage->setModel(s);
        m_preparePage->setModel(s);
        m_finetunePage->setModel(s);
        m_explainPage->setModel(s);
        for (int i : kModelPages) {
            m_nav->item(i)->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            m_nav->item(i)->setToolTip(QString());
        }
        setWindowTitle(tr("ZeroLens — %1").arg(modelTitle(s)));
    });
    connect(m_preparePage, &PreparePage::openModelRequested, this, [this](const QString& path) {
        m_nav->setCurrentRow(0);
        m_modelPage->openModel(path);
    });
    connect(m_finetunePage, &FinetunePage::openModelRequested, this, [this](const QString& path) {
        m_nav->setCurrentRow(0);
        m_modelPage->openModel(path);
    });
    connect(m_generatePage, &GeneratePage::explainRequested, this,
            [this](const QString& prompt, const QString& response) {
                m_explainPage->setQuery(prompt, response, true); // the Generate page's prompt is the input as typed
                m_nav->setCurrentRow(5);
            });
    // The database changes when a run starts and ends.
    connect(m_finetunePage, &FinetunePage::runStarted, m_runsPage, &RunsPage::refresh);
    connect(m_finetunePage, &FinetunePage::runEnded, m_runsPage, &RunsPage::refresh);
    connect(m_runsPage, &RunsPage::resumeRequested, this, [this](const QString& dir, const QString& config) {
        m_nav->item(3)->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable); // resuming needs no loaded model
        m_nav->item(3)->setToolTip(QString());
        m_nav->setCurrentRow(3);
        m_finetunePage->resumeRun(dir, config);
    });

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Open model folder…"), QKeySequence::Open, this, [this] {
        m_nav->setCurrentRow(0);
        m_modelPage->chooseFolder();
    });
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    auto* settingsMenu = menuBar()->addMenu(tr("&Settings"));
    settingsMenu->addAction(tr("Compute &threads…"), this, &MainWindow::chooseThreads);
    applyThreads(QSettings().value(QStringLiteral("engine/threads"), 0).toInt());
    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About ZeroLens"), this, &MainWindow::showAbout);

    m_busy = new QLabel;
    m_memory = new QLabel;
    m_memory->setObjectName(QStringLiteral("memoryLabel"));
    statusBar()->addWidget(m_busy, 1);
    statusBar()->addPermanentWidget(m_memory);
    connect(worker(), &EngineWorker::busyChanged, this,
            [this](bool busy) { m_busy->setText(busy ? tr("Working…") : QString()); });
    // Failures are shown by the page that started the job, in a banner with details.
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::updateMemory);
    timer->start(1000);
    updateMemory();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1000, 680);
    setMinimumSize(640, 420);
}

MainWindow::~MainWindow() = default;

void MainWindow::showPage(int index)
{
    m_nav->setCurrentRow(index);
}

void MainWindow::chooseThreads()
{
    bool ok = false;
    const int cores = EngineWorker::physicalCores();
    const int n =
        QInputDialog::getInt(this, tr("Compute threads"),
                             tr("Threads for model work (0 = all %n physical core(s) of this machine).\n"
                                "While other programs keep the processor busy, fewer threads can be much faster.",
                                nullptr, cores),
                             QSettings().value(QStringLiteral("engine/threads"), 0).toInt(), 0, 256, 1, &ok);
    if (!ok)
        return;
    QSettings().setValue(QStringLiteral("engine/threads"), n);
    applyThreads(n);
    statusBar()->showMessage(n == 0 ? tr("Compute threads: all %n physical core(s)", nullptr, cores)
                                    : tr("Compute threads: %n", nullptr, n),
                             5000);
}

void MainWindow::applyThreads(int threads)
{
    QMetaObject::invokeMethod(
        worker(), [w = worker(), threads] { w->setThreads(threads); }, Qt::QueuedConnection);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    worker()->requestStop();
    event->accept();
}

void MainWindow::updateMemory()
{
    m_memory->setText(
        tr("Memory: %1").arg(QLocale().formattedDataSize(static_cast<qint64>(EngineWorker::processMemoryBytes()))));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ZeroLens"),
                       tr("<h3>ZeroLens %1</h3>"
                          "<p>Fine-tune language models with sparse zeroth-order optimization and find the "
                          "training data behind a generation.</p>"
                          "<p>Qt %2<br>libtorch %3<br>SQLite %4</p>")
                           .arg(QStringLiteral(ZL_VERSION), QString::fromLatin1(qVersion()),
                                EngineWorker::torchVersion(), EngineWorker::sqliteVersion()));
}

} // namespace zl::ui
