// The demo datasets inside the app: one table per dataset (corpus, classify
// train/dev/test, instructions) with its count, the planted backdoor rows
// highlighted and countable on their own.
#pragma once

#include "engine_worker.h"

#include <QDialog>

class QLabel;
class QTabWidget;

namespace zl::ui {

class DemoDataDialog : public QDialog {
    Q_OBJECT
public:
    /// Shows `datasets` (see EngineWorker::readDemoData) found in `folder`.
    DemoDataDialog(const QList<DemoDataset>& datasets, const QString& folder, QWidget* parent = nullptr);

private:
    QWidget* makeTab(const DemoDataset& d);

    QTabWidget* m_tabs;
    QLabel* m_folderNote;
};

} // namespace zl::ui
