// The Generate page: a prompt, sampling settings, streamed output with Stop,
// the generation speed, and a way to the Explain page for the text generated.
#pragma once

#include "engine_worker.h"

#include <QWidget>

class QBoxLayout;
class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace zl::ui {

class MessageBanner;

class GeneratePage : public QWidget {
    Q_OBJECT
public:
    explicit GeneratePage(EngineWorker* worker, QWidget* parent = nullptr);

    /// Enables generation once a model is loaded.
    void setModel(const ModelSummary& summary);
    void startGeneration();
    /// The settings of the next generation: a fresh random seed each call unless "Fixed seed" is on.
    GenerationSettings settings() const;
    /// The seed of the last generation started.
    quint64 lastSeed() const { return m_lastSeed; }

Q_SIGNALS:
    /// "Explain this generation": the prompt as typed and the text generated after it.
    void explainRequested(const QString& prompt, const QString& response);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setBusy(bool busy);
    void saveSettings() const;

    EngineWorker* m_worker;
    QBoxLayout* m_layout;
    QGroupBox* m_sampling;
    QPlainTextEdit* m_prompt;
    QPlainTextEdit* m_output;
    QSpinBox* m_maxTokens;
    QDoubleSpinBox* m_temperature;
    QSpinBox* m_topK;
    QDoubleSpinBox* m_topP;
    QDoubleSpinBox* m_repetition;
    QCheckBox* m_fixedSeed;
    QSpinBox* m_seed;
    QLabel* m_modelName;
    MessageBanner* m_banner;
    QPushButton* m_generate;
    QPushButton* m_stop;
    QPushButton* m_explain;
    QLabel* m_status;
    bool m_hasModel = false;
    bool m_generating = false;
    quint64 m_lastSeed = 0;
    QString m_generatedPrompt; ///< of the last generation
    QString m_generated;       ///< its text after the prompt
};

} // namespace zl::ui
