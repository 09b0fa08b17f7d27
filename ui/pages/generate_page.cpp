#include "pages/generate_page.h"

#include "widgets/message_banner.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QResizeEvent>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QTextCursor>
#include <QVBoxLayout>

namespace zl::ui {

GeneratePage::GeneratePage(EngineWorker* worker, QWidget* parent) : QWidget(parent), m_worker(worker)
{
    m_layout = new QBoxLayout(QBoxLayout::LeftToRight, this);
    auto* layout = m_layout;
    auto* left = new QVBoxLayout;
    m_modelName = new QLabel;
    m_modelName->setObjectName(QStringLiteral("generateModelName"));
    m_modelName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    left->addWidget(m_modelName);
    m_banner = new MessageBanner;
    left->addWidget(m_banner);
    left->addWidget(new QLabel(tr("Prompt")));
    m_prompt = new QPlainTextEdit;
    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setPlaceholderText(tr("Type the beginning of a text; the model continues it."));
    m_prompt->setMaximumHeight(120);
    left->addWidget(m_prompt);
    auto* buttons = new QHBoxLayout;
    m_generate = new QPushButton(tr("Generate"));
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_generate->setToolTip(tr("Generate a continuation (%1)")
                               .arg(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_explain = new QPushButton(tr("Explain this generation"));
    m_explain->setObjectName(QStringLiteral("explainGenerationButton"));
    m_explain->setToolTip(tr("Find the training examples behind this text on the Explain page"));
    buttons->addWidget(m_generate);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_explain);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("generateStatus"));
    m_status->setWordWrap(true); // wraps instead of widening the page in a small window
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    buttons->addWidget(m_status, 1);
    left->addLayout(buttons);
    left->addWidget(new QLabel(tr("Output")));
    m_output = new QPlainTextEdit;
    m_output->setObjectName(QStringLiteral("outputView"));
    m_output->setReadOnly(true);
    left->addWidget(m_output, 1);
    layout->addLayout(left, 3);

    auto* box = m_sampling = new QGroupBox(tr("Sampling"));
    auto* form = new QFormLayout(box);
    m_maxTokens = new QSpinBox;
    m_maxTokens->setRange(1, 4096);
    m_temperature = new QDoubleSpinBox;
    m_temperature->setRange(0.0, 5.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setToolTip(tr("0 always picks the most likely token (greedy); higher values are more varied"));
    m_topK = new QSpinBox;
    m_topK->setRange(0, 100000);
    m_topK->setToolTip(tr("Sample among the k most likely tokens; 0 turns this off"));
    m_topP = new QDoubleSpinBox;
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setToolTip(tr("Sample from the smallest set of tokens whose probability adds up to p; 1 turns this off"));
    m_repetition = new QDoubleSpinBox;
    m_repetition->setRange(0.5, 3.0);
    m_repetition->setSingleStep(0.05);
    m_repetition->setToolTip(tr("Values above 1 make repeating earlier tokens less likely"));
    m_fixedSeed = new QCheckBox(tr("Fixed seed:"));
    m_fixedSeed->setObjectName(QStringLiteral("fixedSeed"));
    m_fixedSeed->setToolTip(tr("Off: every press samples a new text. On: the same seed and settings give the "
                               "same text"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setRange(0, 1 << 30);
    m_seed->setToolTip(tr("The same seed and settings give the same text"));
    form->addRow(tr("Max new tokens:"), m_maxTokens);
    form->addRow(tr("Temperature:"), m_temperature);
    form->addRow(tr("Top-k:"), m_topK);
    form->addRow(tr("Top-p:"), m_topP);
    form->addRow(tr("Repetition penalty:"), m_repetition);
    form->addRow(m_fixedSeed, m_seed);
    layout->addWidget(box, 1);

    QSettings s;
    const GenerationSettings d;
    m_maxTokens->setValue(s.value(QStringLiteral("generate/maxNewTokens"), d.maxNewTokens).toInt());
    m_temperature->setValue(s.value(QStringLiteral("generate/temperature"), d.temperature).toDouble());
    m_topK->setValue(s.value(QStringLiteral("generate/topK"), d.topK).toInt());
    m_topP->setValue(s.value(QStringLiteral("generate/topP"), d.topP).toDouble());
    m_repetition->setValue(s.value(QStringLiteral("generate/repetitionPenalty"), d.repetitionPenalty).toDouble());
    m_seed->setValue(s.value(QStringLiteral("generate/seed"), 0).toInt());
    m_fixedSeed->setChecked(s.value(QStringLiteral("generate/fixedSeed"), false).toBool());
    m_seed->setEnabled(m_fixedSeed->isChecked());
    connect(m_fixedSeed, &QCheckBox::toggled, m_seed, &QWidget::setEnabled);
    m_prompt->setPlainText(s.value(QStringLiteral("generate/prompt"), tr("The fox")).toString());

    connect(m_generate, &QPushButton::clicked, this, &GeneratePage::startGeneration);
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this), &QShortcut::activated, this,
            &GeneratePage::startGeneration);
    connect(m_stop, &QPushButton::clicked, this, [this] { m_worker->requestStop(); });
    connect(m_explain, &QPushButton::clicked, this,
            [this] { Q_EMIT explainRequested(m_generatedPrompt, m_generated); });
    connect(m_worker, &EngineWorker::busyChanged, this, &GeneratePage::setBusy);
    connect(m_worker, &EngineWorker::textGenerated, this, [this](const QString& piece) {
        if (!m_generating)
            return;
        m_output->moveCursor(QTextCursor::End);
        m_output->insertPlainText(piece);
        m_generated += piece;
    });
    connect(m_worker, &EngineWorker::generationFinished, this, [this](int tokens, double tps, const QString& reason) {
        const QString why = reason == QStringLiteral("eos")           ? tr("end of text")
                            : reason == QStringLiteral("cancelled")   ? tr("stopped")
                            : reason == QStringLiteral("stop_string") ? tr("stop text")
                                                                      : tr("token limit");
        m_status->setText(
            tr("%1 tokens, %2 tokens/s (%3), seed %4").arg(tokens).arg(tps, 0, 'f', 1).arg(why).arg(m_lastSeed));
        if (tokens == 0 && reason == QStringLiteral("eos"))
            m_banner->showMessage(MessageBanner::Kind::Information, tr("The model ended the text at once"),
                                  tr("It continues text rather than answering it: give it the beginning of what "
                                     "it should write. The Explain page wraps a prompt in its dataset's template, "
                                     "as instructions are written in training."));
        m_generating = false;
    });
    // The generation's own outcome ends it, not the end of whichever job ran before it
    // (another page's job may still hold the worker when Generate is clicked).
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        if (m_generating) {
            m_generating = false;
            m_status->clear();
            m_banner->showError(tr("Generation failed"), message);
        }
    });
    connect(m_worker, &EngineWorker::cancelled, this, [this] { m_generating = false; });
    setBusy(false);
}

void GeneratePage::resizeEvent(QResizeEvent* event)
{
    // The settings beside the text where there is room, below it in a narrow window.
    // About 300 pixels for the prompt and output beside the settings box.
    // In a scroll area the page may be wider than what is in view: compare with the view.
    const int available =
        parentWidget() ? std::min(parentWidget()->width(), event->size().width()) : event->size().width();
    const int sideBySide = m_sampling->minimumSizeHint().width() + 300;
    m_layout->setDirection(available < sideBySide ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    QWidget::resizeEvent(event);
}

void GeneratePage::setModel(const ModelSummary& summary)
{
    m_hasModel = true;
    m_modelName->setText(tr("Model: %1").arg(modelTitle(summary)));
    m_modelName->setToolTip(summary.path);
    // Prompt and output share the context; a longer request would only stop at its end.
    if (summary.contextLength > 1) {
        m_maxTokens->setMaximum(static_cast<int>(std::min<qint64>(summary.contextLength - 1, 1 << 20)));
        m_maxTokens->setToolTip(tr("At most %1: the model's context holds %2 tokens, prompt included")
                                    .arg(m_maxTokens->maximum())
                                    .arg(summary.contextLength));
    }
    m_banner->clear();
    m_status->setText(tr("Ready: %1").arg(summary.architecture));
    setBusy(false);
}

GenerationSettings GeneratePage::settings() const
{
    GenerationSettings g;
    g.maxNewTokens = m_maxTokens->value();
    g.temperature = m_temperature->value();
    g.topK = m_topK->value();
    g.topP = m_topP->value();
    g.repetitionPenalty = m_repetition->value();
    g.seed = m_fixedSeed->isChecked() ? static_cast<quint64>(m_seed->value())
                                      : QRandomGenerator::global()->bounded(quint64(1) << 30);
    return g;
}

void GeneratePage::saveSettings() const
{
    QSettings s;
    const auto g = settings();
    s.setValue(QStringLiteral("generate/maxNewTokens"), g.maxNewTokens);
    s.setValue(QStringLiteral("generate/temperature"), g.temperature);
    s.setValue(QStringLiteral("generate/topK"), g.topK);
    s.setValue(QStringLiteral("generate/topP"), g.topP);
    s.setValue(QStringLiteral("generate/repetitionPenalty"), g.repetitionPenalty);
    s.setValue(QStringLiteral("generate/seed"), m_seed->value());
    s.setValue(QStringLiteral("generate/fixedSeed"), m_fixedSeed->isChecked());
    s.setValue(QStringLiteral("generate/prompt"), m_prompt->toPlainText());
}

void GeneratePage::startGeneration()
{
    if (!m_hasModel || m_generating || !m_generate->isEnabled())
        return;
    saveSettings();
    m_generating = true;
    const QString prompt = m_prompt->toPlainText();
    const auto g = settings();
    m_lastSeed = g.seed;
    // The seed of this text stays in the box: ticking "Fixed seed" reproduces it.
    if (!m_fixedSeed->isChecked())
        m_seed->setValue(static_cast<int>(g.seed));
    m_banner->clear();
    m_output->setPlainText(prompt);
    m_generatedPrompt = prompt;
    m_generated.clear();
    m_status->setText(tr("Generating…"));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, prompt, g] { w->generate(prompt, g); }, Qt::QueuedConnection);
}

void GeneratePage::setBusy(bool busy)
{
    m_generate->setEnabled(m_hasModel && !busy);
    m_stop->setEnabled(busy && m_generating);
    m_explain->setEnabled(!busy && !m_generated.isEmpty());
}

} // namespace zl::ui
