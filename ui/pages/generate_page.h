// The Generate page: a prompt, sampling settings, streamed output with Stop,
// and the generation speed.
#pragma once

#include "engine_worker.h"

#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace zl::ui {

class GeneratePage : public QWidget {
    Q_OBJECT
public:
    explicit GeneratePage(EngineWorker* worker, QWidget* parent = nullptr);

    /// Enables generation once a model is loaded.
    void setModel(const ModelSummary& summary);
    void startGeneration();

private:
    void setBusy(bool busy);
    GenerationSettings settings() const;
    void saveSettings() const;

    EngineWorker* m_worker;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_output;
    QSpinBox* m_maxTokens;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QDoubleSpinBox* m_repetition;
    QSpinBox* m_seed;
    QPushButton* m_generate;
    QPushButton* m_stop;
    QLabel* m_status;
    bool m_hasModel = false;
    bool m_generating = false;
};

} // namespace zl::ui
