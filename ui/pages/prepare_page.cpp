#include "pages/prepare_page.h"

#include "qcustomplot_include.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace zl::ui {

namespace {

QString bytesText(quint64 bytes)
{
    return QLocale().formattedDataSize(static_cast<qint64>(bytes));
}

// One colour per matrix kind, readable on white.
const QColor kKindColors[] = {QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),  QColor(214, 39, 40),
                              QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194)};

} // namespace

PreparePage::PreparePage(EngineWorker* worker, QWidget* parent) : QWidget(parent), m_worker(worker)
{
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;

    auto* maskBox = new QGroupBox(tr("1. Sensitive weights"));
    auto* maskForm = new QFormLayout(maskBox);
    m_rule = new QComboBox;
    m_rule->addItem(tr("Squared gradients on a text (SensZOQ)"), QStringLiteral("gradient"));
    m_rule->addItem(tr("Largest magnitudes"), QStringLiteral("magnitude"));
    m_rule->addItem(tr("Random"), QStringLiteral("random"));
    m_corpus = new QLineEdit;
    m_corpus->setPlaceholderText(tr("A text file, one document per line"));
    m_browseCorpus = new QPushButton(tr("Browse…"));
    auto* corpusRow = new QHBoxLayout;
    corpusRow->addWidget(m_corpus, 1);
    corpusRow->addWidget(m_browseCorpus);
    m_sequences = new QSpinBox;
    m_sequences->setRange(1, 100000);
    m_sequences->setValue(64);
    m_sequences->setToolTip(tr("Sequences of 128 tokens whose squared gradients are summed"));
    m_fraction = new QDoubleSpinBox;
    m_fraction->setDecimals(2);
    m_fraction->setRange(0.01, 100.0);
    m_fraction->setValue(0.1);
    m_fraction->setSuffix(QStringLiteral(" %"));
    m_maskButton = new QPushButton(tr("Compute mask…"));
    m_maskButton->setObjectName(QStringLiteral("computeMaskButton"));
    maskForm->addRow(tr("Rule:"), m_rule);
    maskForm->addRow(tr("Corpus:"), corpusRow);
    maskForm->addRow(tr("Sequences:"), m_sequences);
    maskForm->addRow(tr("Keep:"), m_fraction);
    maskForm->addRow(m_maskButton);
    top->addWidget(maskBox, 1);

    auto* quantBox = new QGroupBox(tr("2. Quantize to 4 bits"));
    auto* quantForm = new QFormLayout(quantBox);
    m_format = new QComboBox;
    m_format->addItem(tr("INT4 (scale and zero point)"), QStringLiteral("int4"));
    m_format->addItem(tr("NF4 (normal float)"), QStringLiteral("nf4"));
    m_groupSize = new QComboBox;
    for (int g : {32, 64, 128})
        m_groupSize->addItem(QString::number(g), g);
    m_groupSize->setCurrentIndex(2);
    m_useMask = new QCheckBox(tr("Keep the mask's weights in full precision"));
    m_useMask->setEnabled(false);
    m_quantizeButton = new QPushButton(tr("Quantize…"));
    m_quantizeButton->setObjectName(QStringLiteral("quantizeButton"));
    m_quantResult = new QLabel;
    m_quantResult->setObjectName(QStringLiteral("quantizeResult"));
    m_quantResult->setWordWrap(true);
    m_openQuantized = new QPushButton(tr("Open quantized model"));
    m_openQuantized->setVisible(false);
    quantForm->addRow(tr("Format:"), m_format);
    quantForm->addRow(tr("Group size:"), m_groupSize);
    quantForm->addRow(m_useMask);
    quantForm->addRow(m_quantizeButton);
    quantForm->addRow(m_quantResult);
    quantForm->addRow(m_openQuantized);
    top->addWidget(quantBox, 1);
    layout->addLayout(top);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar;
    m_cancel = new QPushButton(tr("Cancel"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    m_status = new QLabel(tr("Compute a mask to see where the sensitive weights are."));
    m_status->setObjectName(QStringLiteral("prepareStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_chart = new QCustomPlot;
    m_chart->setObjectName(QStringLiteral("maskChart"));
    m_chart->setMinimumHeight(220);
    m_chart->xAxis->setLabel(tr("Layer"));
    m_chart->yAxis->setLabel(tr("Sensitive weights"));
    m_chart->legend->setVisible(false); // shown once there are bars to explain
    layout->addWidget(m_chart, 1);

    const bool hasPrevious = !QSettings().value(QStringLiteral("prepare/corpus")).toString().isEmpty();
    m_corpus->setText(QSettings().value(QStringLiteral("prepare/corpus")).toString());
    if (!hasPrevious && EngineWorker::demoDataReady())
        m_corpus->setText(EngineWorker::demoDataPath() + QStringLiteral("/corpus/heldout.txt"));

    connect(m_rule, &QComboBox::currentIndexChanged, this, [this] {
        const bool gradient = m_rule->currentData().toString() == QStringLiteral("gradient");
        m_corpus->setEnabled(gradient);
        m_browseCorpus->setEnabled(gradient);
        m_sequences->setEnabled(gradient);
    });
    connect(m_browseCorpus, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Text for the squared gradients"), m_corpus->text());
        if (!f.isEmpty())
            m_corpus->setText(f);
    });
    connect(m_maskButton, &QPushButton::clicked, this, [this] {
        const QString suggestion = QFileInfo(m_model.path).absolutePath() + QLatin1Char('/') +
                                   QFileInfo(m_model.path).fileName() + QStringLiteral("-mask.safetensors");
        const QString out =
            QFileDialog::getSaveFileName(this, tr("Save mask"), suggestion, tr("Mask files (*.safetensors)"));
        if (!out.isEmpty())
            computeMask(out);
    });
    connect(m_quantizeButton, &QPushButton::clicked, this, [this] {
        const QString out = QFileDialog::getExistingDirectory(this, tr("Folder for the quantized model"),
                                                              QFileInfo(m_model.path).absolutePath());
        if (!out.isEmpty())
            quantize(out);
    });
    connect(m_openQuantized, &QPushButton::clicked, this, [this] { Q_EMIT openModelRequested(m_quantizedDir); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_worker->requestStop(); });
    connect(m_worker, &EngineWorker::busyChanged, this, &PreparePage::setBusy);
    connect(m_worker, &EngineWorker::progress, this, [this](const QString& stage, qint64 done, qint64 total, double) {
        if (!m_running)
            return;
        m_progress->setMaximum(static_cast<int>(total));
        m_progress->setValue(static_cast<int>(done));
        m_status->setText(tr("%1: %2 of %3").arg(stage).arg(done).arg(total));
    });
    connect(m_worker, &EngineWorker::maskComputed, this, &PreparePage::showMask);
    connect(m_worker, &EngineWorker::quantized, this, &PreparePage::showQuantized);
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        if (m_running)
            m_status->setText(tr("Failed: %1").arg(message));
    });
    connect(m_worker, &EngineWorker::cancelled, this, [this] {
        if (m_running)
            m_status->setText(tr("Cancelled."));
    });
    setBusy(false);
}

void PreparePage::setModel(const ModelSummary& summary)
{
    m_model = summary;
    m_maskFile.clear();
    m_useMask->setChecked(false);
    m_useMask->setEnabled(false);
    m_openQuantized->setVisible(false);
    m_quantResult->clear();
    m_chart->clearPlottables();
    m_chart->legend->setVisible(false);
    m_chart->replot();
    m_status->setText(summary.quantization.isEmpty()
                          ? tr("Compute a mask to see where the sensitive weights are.")
                          : tr("This model is already quantized (%1); open the original model to prepare it.")
                                .arg(summary.quantization));
    setBusy(false);
}

void PreparePage::computeMask(const QString& output)
{
    if (m_running)
        return;
    MaskSettings s;
    s.rule = m_rule->currentData().toString();
    s.corpus = m_corpus->text();
    s.sequences = m_sequences->value();
    s.fraction = m_fraction->value() / 100.0;
    s.output = output;
    QSettings().setValue(QStringLiteral("prepare/corpus"), s.corpus);
    m_running = true;
    m_status->setText(tr("Computing the mask…"));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, s] { w->computeMask(s); }, Qt::QueuedConnection);
}

void PreparePage::quantize(const QString& output)
{
    if (m_running)
        return;
    QuantizeSettings s;
    s.format = m_format->currentData().toString();
    s.groupSize = m_groupSize->currentData().toInt();
    s.mask = m_useMask->isChecked() ? m_maskFile : QString();
    s.output = output;
    m_running = true;
    m_status->setText(tr("Quantizing…"));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, s] { w->quantize(s); }, Qt::QueuedConnection);
}

void PreparePage::setBusy(bool busy)
{
    if (!busy)
        m_running = false;
    const bool ready = !busy && !m_model.path.isEmpty() && m_model.quantization.isEmpty();
    m_maskButton->setEnabled(ready);
    m_quantizeButton->setEnabled(ready);
    m_cancel->setVisible(busy && m_running);
    m_progress->setVisible(busy && m_running);
}

void PreparePage::showMask(const MaskSummary& s)
{
    m_maskFile = s.file;
    m_useMask->setEnabled(true);
    m_useMask->setChecked(true);
    m_status->setText(
        tr("Mask saved to %1: %2 of %3 weights (%4 %).")
            .arg(s.file)
            .arg(QLocale().toString(s.selected), QLocale().toString(s.candidates))
            .arg(100.0 * static_cast<double>(s.selected) / static_cast<double>(qMax<qint64>(1, s.candidates)), 0, 'f',
                 3));
    // Stacked bars: one bar per layer, one colour per matrix kind.
    m_chart->clearPlottables();
    QVector<double> ticks;
    for (int l = 0; l < s.perLayer.size(); ++l)
        ticks << l;
    QCPBars* below = nullptr;
    double top = 0;
    QVector<double> totals(static_cast<int>(s.perLayer.size()), 0.0);
    for (int k = 0; k < s.kinds.size(); ++k) {
        auto* bars = new QCPBars(m_chart->xAxis, m_chart->yAxis);
        bars->setName(s.kinds[k]);
        bars->setPen(Qt::NoPen);
        bars->setBrush(kKindColors[k % 7]);
        bars->setStackingGap(0);
        QVector<double> values;
        for (int l = 0; l < s.perLayer.size(); ++l) {
            values << static_cast<double>(s.perLayer[l][k]);
            totals[l] += values.back();
            top = std::max(top, totals[l]);
        }
        bars->setData(ticks, values);
        if (below)
            bars->moveAbove(below);
        below = bars;
    }
    m_chart->legend->setVisible(true);
    m_chart->xAxis->setRange(-0.6, static_cast<double>(s.perLayer.size()) - 0.4);
    m_chart->yAxis->setRange(0, top * 1.1 + 1);
    m_chart->replot();
}

void PreparePage::showQuantized(const QuantizeSummary& s)
{
    m_quantizedDir = s.output;
    const quint64 after = s.quantizedBytes + s.sparseBytes + s.otherBytes;
    m_quantResult->setText(tr("%1 → %2: %3 in 4-bit weights, %4 in %5 full-precision entries, %6 other. "
                              "Weight error (RMS): %7.")
                               .arg(bytesText(s.inputBytes), bytesText(after), bytesText(s.quantizedBytes),
                                    bytesText(s.sparseBytes), QLocale().toString(s.sparseEntries),
                                    bytesText(s.otherBytes))
                               .arg(s.rmsError, 0, 'g', 3));
    m_status->setText(tr("Quantized model written to %1.").arg(s.output));
    m_openQuantized->setVisible(true);
}

} // namespace zl::ui
