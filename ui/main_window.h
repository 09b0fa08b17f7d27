// The main window: a navigation list on the left, one page per feature on the
// right, process memory in the status bar. Owns the EngineWorker thread.
#pragma once

#include "engine_worker.h"

#include <QMainWindow>

class QLabel;
class QListWidget;
class QStackedWidget;

namespace zl::ui {

class ModelPage;
class GeneratePage;
class PreparePage;
class FinetunePage;
class RunsPage;
class ExplainPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow();
    ~MainWindow() override;

    ModelPage* modelPage() const { return m_modelPage; }
    GeneratePage* generatePage() const { return m_generatePage; }
    PreparePage* preparePage() const { return m_preparePage; }
    FinetunePage* finetunePage() const { return m_finetunePage; }
    RunsPage* runsPage() const { return m_runsPage; }
    ExplainPage* explainPage() const { return m_explainPage; }
    /// Shows a page: 0 Model, 1 Generate, 2 Prepare, 3 Fine-tune, 4 Runs, 5 Explain.
    void showPage(int index);
    EngineWorker* worker() const { return m_thread->worker(); }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void showAbout();
    /// Asks for the compute thread count and remembers it (QSettings "engine/threads").
    void chooseThreads();
    void applyThreads(int threads);
    void updateMemory();

    std::unique_ptr<WorkerThread> m_thread;
    QListWidget* m_nav;
    QStackedWidget* m_pages;
    ModelPage* m_modelPage;
    GeneratePage* m_generatePage;
    PreparePage* m_preparePage;
    FinetunePage* m_finetunePage;
    RunsPage* m_runsPage;
    ExplainPage* m_explainPage;
    QLabel* m_memory;
    QLabel* m_busy;
};

} // namespace zl::ui
