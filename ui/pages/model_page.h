// The Model page: open a Hugging Face model folder (button, drag and drop,
// recent list), watch it load with Cancel, then read what it is.
#pragma once

#include "engine_worker.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QComboBox;
class QFormLayout;

namespace zl::ui {

class MessageBanner;

class ModelPage : public QWidget {
    Q_OBJECT
public:
    explicit ModelPage(EngineWorker* worker, QWidget* parent = nullptr);

    /// Starts loading `path` in the worker.
    void openModel(const QString& path);

Q_SIGNALS:
    void modelReady(const zl::ui::ModelSummary& summary);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

public Q_SLOTS:
    /// Asks for a model folder and opens it.
    void chooseFolder();

private:
    void showSummary(const ModelSummary& s);
    void setBusy(bool busy);
    void rememberRecent(const QString& path);
    void refreshRecent();
    void openDemoData();
    void showDemoData();

    EngineWorker* m_worker;
    QPushButton* m_open;
    QPushButton* m_cancel;
    QPushButton* m_demoModel;
    QPushButton* m_demoData;
    QComboBox* m_device;
    QListWidget* m_recent;
    QProgressBar* m_progress;
    QLabel* m_status;
    MessageBanner* m_banner;
    QLabel* m_heading;
    QFormLayout* m_details;
    bool m_loading = false;
    bool m_buildingData = false;
    QString m_opening; ///< the folder being opened
};

} // namespace zl::ui
