#include "pages/prepare_page.h"

#include "qcustomplot_include.h"
#include "widgets/display_text.h"
#include "widgets/hint_label.h"
#include "widgets/message_banner.h"
#include "widgets/side_by_side.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace zl::ui {

namespace {

// `path`, or `path-2`, `path-3`, … (before a file's suffix) if that exists already.
QString unusedPath(const QString& path, const QString& suffix = QString())
{
    const QString stem = suffix.isEmpty() ? path : path.left(path.size() - suffix.size());
    QString candidate = path;
    for (int i = 2; QFileInfo::exists(candidate) && i < 1000; ++i)
        candidate = QStringLiteral("%1-%2%3").arg(stem).arg(i).arg(suffix);
    return candidate;
}

// "0.100" or "0,100": a share in percent, in the user's number format.
QString percentText(qint64 part, qint64 whole)
{
    return QLocale().toString(100.0 * static_cast<double>(part) / static_cast<double>(qMax<qint64>(1, whole)), 'f', 3);
}

const auto kMaskSuffix = QStringLiteral(".safetensors");
const auto kRememberedMasks = QStringLiteral("prepare/masks");

// One colour per matrix kind, readable on white.
const QColor kKindColors[] = {QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),  QColor(214, 39, 40),
                              QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194)};

} // namespace

PreparePage::PreparePage(EngineWorker* worker, QWidget* parent)
    : QWidget(parent), m_worker(worker),
      m_confirmReplace([this](const QString& what, const QString& path, const QString& contents) {
          return askReplace(this, what, path, contents);
      })
{
    auto* layout = new QVBoxLayout(this);
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("prepareBanner"));
    layout->addWidget(m_banner);
    m_top = new QBoxLayout(QBoxLayout::LeftToRight);

    auto* maskBox = m_maskBox = new QGroupBox(tr("1. Sensitive weights"));
    auto* maskForm = new QFormLayout(maskBox);
    m_rule = new QComboBox;
    m_rule->addItem(tr("Squared gradients on a text (SensZOQ)"), QStringLiteral("gradient"));
    m_rule->addItem(tr("Largest magnitudes"), QStringLiteral("magnitude"));
    m_rule->addItem(tr("Random"), QStringLiteral("random"));
    m_corpus = new QLineEdit;
    m_corpus->setObjectName(QStringLiteral("corpusEdit"));
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
    m_maskOutput = new QLineEdit;
    m_maskOutput->setObjectName(QStringLiteral("maskOutputEdit"));
    m_maskOutput->setPlaceholderText(tr("Where the mask file goes"));
    m_chooseMaskOutput = new QPushButton(tr("Choose…"));
    auto* maskOutRow = new QHBoxLayout;
    maskOutRow->addWidget(m_maskOutput, 1);
    maskOutRow->addWidget(m_chooseMaskOutput);
    m_maskButton = new QPushButton(tr("Compute mask"));
    m_maskButton->setObjectName(QStringLiteral("computeMaskButton"));
    m_loadMaskButton = new QPushButton(tr("Load mask…"));
    m_loadMaskButton->setObjectName(QStringLiteral("loadMaskButton"));
    m_loadMaskButton->setToolTip(tr("Use a mask computed earlier for this model"));
    auto* maskButtons = new QHBoxLayout;
    maskButtons->addWidget(m_maskButton);
    maskButtons->addWidget(m_loadMaskButton);
    maskButtons->addStretch();
    m_maskHint = hintLabel();
    m_maskHint->setObjectName(QStringLiteral("maskHint"));
    maskForm->addRow(tr("Rule:"), m_rule);
    maskForm->addRow(tr("Corpus:"), corpusRow);
    maskForm->addRow(tr("Sequences:"), m_sequences);
    maskForm->addRow(tr("Keep:"), m_fraction);
    maskForm->addRow(tr("Save to:"), maskOutRow);
    m_maskTarget = hintLabel();
    m_maskTarget->setObjectName(QStringLiteral("maskTarget"));
    maskForm->addRow(QString(), m_maskTarget);
    maskForm->addRow(maskButtons);
    maskForm->addRow(m_maskHint);
    m_top->addWidget(maskBox, 1);

    auto* quantBox = m_quantBox = new QGroupBox(tr("2. Quantize to 4 bits"));
    auto* quantForm = new QFormLayout(quantBox);
    m_format = new QComboBox;
    m_format->addItem(tr("INT4 (scale and zero point)"), QStringLiteral("int4"));
    m_format->addItem(tr("NF4 (normal float)"), QStringLiteral("nf4"));
    m_groupSize = new QComboBox;
    for (int g : {32, 64, 128})
        m_groupSize->addItem(QString::number(g), g);
    m_groupSize->setCurrentIndex(2);
    m_embeddings = new QComboBox;
    m_embeddings->setObjectName(QStringLiteral("embeddingFormat"));
    m_embeddings->addItem(tr("Full precision, as stored"), QStringLiteral("float"));
    m_embeddings->addItem(tr("8-bit (smaller, faster decoding)"), QStringLiteral("int8"));
    m_embeddings->setToolTip(tr("The token embeddings and the output layer. With a large vocabulary they are most "
                                "of a 4-bit model's bytes, and the output layer is read for every generated token; "
                                "8 bits keep a quarter of float32's size."));
    m_useMask = new QCheckBox(tr("Keep the mask's weights in full precision"));
    m_useMask->setEnabled(false);
    m_quantOutput = new QLineEdit;
    m_quantOutput->setObjectName(QStringLiteral("quantizeOutputEdit"));
    m_quantOutput->setPlaceholderText(tr("A new folder for the quantized model"));
    m_chooseQuantOutput = new QPushButton(tr("Choose…"));
    auto* quantOutRow = new QHBoxLayout;
    quantOutRow->addWidget(m_quantOutput, 1);
    quantOutRow->addWidget(m_chooseQuantOutput);
    m_quantizeButton = new QPushButton(tr("Quantize"));
    m_quantizeButton->setObjectName(QStringLiteral("quantizeButton"));
    m_quantHint = hintLabel();
    m_quantHint->setObjectName(QStringLiteral("quantizeHint"));
    m_quantResult = new QLabel;
    m_quantResult->setObjectName(QStringLiteral("quantizeResult"));
    m_quantResult->setWordWrap(true);
    m_openQuantized = new QPushButton(tr("Open quantized model"));
    m_openQuantized->setVisible(false);
    quantForm->addRow(tr("Format:"), m_format);
    quantForm->addRow(tr("Group size:"), m_groupSize);
    quantForm->addRow(tr("Embeddings:"), m_embeddings);
    quantForm->addRow(m_useMask);
    m_maskName = hintLabel();
    m_maskName->setObjectName(QStringLiteral("maskName"));
    m_maskName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_maskName->setVisible(false);
    quantForm->addRow(m_maskName);
    quantForm->addRow(tr("Save to:"), quantOutRow);
    m_quantTarget = hintLabel();
    m_quantTarget->setObjectName(QStringLiteral("quantizeTarget"));
    quantForm->addRow(QString(), m_quantTarget);
    auto* quantButtons = new QHBoxLayout;
    quantButtons->addWidget(m_quantizeButton);
    quantButtons->addStretch();
    quantForm->addRow(quantButtons);
    quantForm->addRow(m_quantHint);
    quantForm->addRow(m_quantResult);
    auto* openRow = new QHBoxLayout;
    openRow->addWidget(m_openQuantized);
    openRow->addStretch();
    quantForm->addRow(openRow);
    m_top->addWidget(quantBox, 1);
    layout->addLayout(m_top);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar;
    m_cancel = new QPushButton(tr("Cancel"));
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    layout->addLayout(progressRow);
    m_progressText = new QLabel;
    m_progressText->setObjectName(QStringLiteral("prepareProgress"));
    m_progressText->setWordWrap(true);
    layout->addWidget(m_progressText);
    m_status = new QLabel(tr("Compute a mask to see where the sensitive weights are."));
    m_status->setObjectName(QStringLiteral("prepareStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_chart = new QCustomPlot;
    m_chart->setObjectName(QStringLiteral("maskChart"));
    m_chart->setMinimumHeight(220);
    m_chart->xAxis->setLabel(tr("Layer"));
    m_chart->yAxis->setLabel(tr("Sensitive weights"));
    m_chart->legend->setVisible(false); // shown once there are bars to explain
    // The legend in a column of its own at the right, so it never covers a layer's bar.
    auto* legendColumn = new QCPLayoutGrid;
    m_chart->plotLayout()->addElement(0, 1, legendColumn);
    legendColumn->setMargins(QMargins(4, 0, 4, 4));
    legendColumn->addElement(0, 0, m_chart->legend);
    legendColumn->addElement(1, 0, new QCPLayoutElement(m_chart)); // takes the height left, so the legend stays compact
    legendColumn->setRowStretchFactor(0, 0.001);
    m_chart->plotLayout()->setColumnStretchFactor(1, 0.001);
    layout->addWidget(m_chart, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000); // elapsed time moves on between progress events
    connect(m_tick, &QTimer::timeout, this, &PreparePage::showProgress);

    m_corpus->setText(QSettings().value(QStringLiteral("prepare/corpus")).toString());

    // Any change of an input may fix what the last failure was about.
    auto inputChanged = [this] {
        if (m_job == Job::None)
            m_banner->clear();
        updateButtons();
    };
    connect(m_rule, &QComboBox::currentIndexChanged, this, inputChanged);
    connect(m_corpus, &QLineEdit::textChanged, this, [this, inputChanged](const QString& text) {
        m_corpus->setToolTip(text); // the field shows only part of a long path
        inputChanged();
    });
    // What is at each target, shown as the user types (after a pause: a big
    // existing folder takes a moment to count).
    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(250);
    connect(m_previewTimer, &QTimer::timeout, this, &PreparePage::updateTargetPreviews);
    connect(m_maskOutput, &QLineEdit::textChanged, this, [this, inputChanged] {
        m_previewTimer->start();
        inputChanged();
    });
    connect(m_quantOutput, &QLineEdit::textChanged, this, [this, inputChanged] {
        m_previewTimer->start();
        inputChanged();
    });
    connect(m_fraction, &QDoubleSpinBox::valueChanged, this, inputChanged);
    connect(m_useMask, &QCheckBox::toggled, this, inputChanged);
    for (auto* naming : {m_format, m_embeddings})
        connect(naming, &QComboBox::currentIndexChanged, this, [this, inputChanged] {
            suggestOutputs();
            inputChanged();
        });
    connect(m_browseCorpus, &QPushButton::clicked, this, [this] {
        // With the demo model, its corpus is the natural text: start there.
        QString start = m_corpus->text();
        if (m_model.isDemo && EngineWorker::demoDataReady() && !QFileInfo::exists(start))
            start = QFileInfo(EngineWorker::demoCorpusPath()).absolutePath();
        const QString f = QFileDialog::getOpenFileName(this, tr("Text for the squared gradients"), start,
                                                       tr("Text files (*.txt);;All files (*)"));
        if (!f.isEmpty())
            m_corpus->setText(f);
    });
    connect(m_chooseMaskOutput, &QPushButton::clicked, this, [this] {
        const QString f = chooseMaskFile();
        if (!f.isEmpty())
            m_maskOutput->setText(f);
    });
    connect(m_chooseQuantOutput, &QPushButton::clicked, this, [this] {
        const QString f = chooseQuantizedFolder();
        if (!f.isEmpty())
            m_quantOutput->setText(f);
    });
    // The inputs are checked (the button is enabled only when they are ready)
    // before anything asks where to save.
    connect(m_maskButton, &QPushButton::clicked, this, [this] {
        if (!maskInputProblem().isEmpty())
            return;
        QString out = m_maskOutput->text().trimmed();
        if (out.isEmpty())
            out = chooseMaskFile();
        if (!out.isEmpty())
            computeMask(out);
    });
    connect(m_quantizeButton, &QPushButton::clicked, this, [this] {
        if (!quantizeInputProblem().isEmpty())
            return;
        QString out = m_quantOutput->text().trimmed();
        if (out.isEmpty())
            out = chooseQuantizedFolder();
        if (!out.isEmpty())
            quantize(out);
    });
    connect(m_loadMaskButton, &QPushButton::clicked, this, [this] {
        const QString start = m_maskFile.isEmpty() ? outputBase() : QFileInfo(m_maskFile).absolutePath();
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Load mask"), start, tr("Mask files (*.safetensors);;All files (*)"));
        if (!f.isEmpty())
            loadMask(f);
    });
    connect(m_openQuantized, &QPushButton::clicked, this, [this] { Q_EMIT openModelRequested(m_quantizedDir); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_worker->requestStop(); });
    connect(m_worker, &EngineWorker::busyChanged, this, &PreparePage::setBusy);
    connect(m_worker, &EngineWorker::progress, this, [this](const JobProgress& p) {
        if (m_job != Job::Mask && m_job != Job::Quantize)
            return;
        m_lastProgress = p;
        showProgress();
    });
    connect(m_worker, &EngineWorker::maskComputed, this, [this](const MaskSummary& s) {
        if (m_job != Job::Mask)
            return;
        rememberMask(s.modelPath, s.file);
        showMask(s);
        if (m_maskOutput->text() == m_suggestedMaskOutput)
            m_maskOutput->clear();
        suggestOutputs();
        m_status->setText(tr("Mask saved to %1: %2 of %3 weights (%4 %), in %5.")
                              .arg(s.file)
                              .arg(QLocale().toString(s.selected), QLocale().toString(s.candidates))
                              .arg(percentText(s.selected, s.candidates))
                              .arg(durationText(static_cast<double>(m_elapsed.elapsed()) / 1000.0)));
    });
    // The chart fills in while squared gradients accumulate: the mask the sums so far would select.
    connect(m_worker, &EngineWorker::maskPartial, this, [this](const MaskSummary& s, qint64 done, qint64 total) {
        if (m_job != Job::Mask)
            return;
        plotMask(s);
        m_status->setText(
            tr("Mask so far, after %1 of %2 sequences.").arg(QLocale().toString(done), QLocale().toString(total)));
    });
    connect(m_worker, &EngineWorker::maskLoaded, this, [this](const MaskSummary& s) {
        if (m_job != Job::LoadMask && m_job != Job::RememberedMask)
            return;
        rememberMask(s.modelPath, s.file);
        showMask(s);
        m_status->setText(tr("Mask %1: %2 of %3 weights (%4 %).")
                              .arg(s.file)
                              .arg(QLocale().toString(s.selected), QLocale().toString(s.candidates))
                              .arg(percentText(s.selected, s.candidates)));
    });
    connect(m_worker, &EngineWorker::quantized, this, &PreparePage::showQuantized);
    connect(m_worker, &EngineWorker::demoDataBuilt, this, &PreparePage::useDemoCorpus);
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        switch (m_job) {
        case Job::None:
            return;
        case Job::Mask:
            m_banner->showError(tr("The mask was not computed"), message);
            break;
        case Job::Quantize:
            m_banner->showError(tr("The model was not quantized"), message);
            break;
        case Job::LoadMask:
            m_banner->showError(tr("The mask was not loaded"), message);
            break;
        case Job::RememberedMask: {
            // A remembered mask that no longer fits (the model changed): forget it, say so mildly.
            const auto e = plainError(message);
            m_banner->showMessage(MessageBanner::Kind::Warning,
                                  tr("The mask used last time with this model was not loaded"), e.text, e.details);
            rememberMask(m_model.path, QString());
            break;
        }
        }
        m_status->clear();
    });
    connect(m_worker, &EngineWorker::cancelled, this, [this] {
        if (m_job == Job::Mask)
            plotMask(m_shownMask); // drop the partial mask of the cancelled run
        if (m_job != Job::None)
            m_status->setText(tr("Cancelled; nothing was written."));
    });
    setBusy(false);
}

void PreparePage::resizeEvent(QResizeEvent* event)
{
    arrangeSideBySide(m_top, this, m_maskBox, m_quantBox, event);
    QWidget::resizeEvent(event);
}

void PreparePage::setModel(const ModelSummary& summary)
{
    m_model = summary;
    m_maskFile.clear();
    m_useMask->setToolTip(QString());
    m_maskName->clear();
    m_maskName->setVisible(false);
    m_useMask->setChecked(false);
    m_useMask->setEnabled(false);
    m_openQuantized->setVisible(false);
    m_quantResult->clear();
    m_banner->clear();
    m_chart->clearPlottables();
    m_chart->legend->setVisible(false);
    m_chart->replot();
    m_shownMask = MaskSummary();
    m_status->setText(summary.quantization.isEmpty()
                          ? tr("Compute a mask to see where the sensitive weights are.")
                          : tr("This model is already quantized (%1); open the original model to prepare it.")
                                .arg(summary.quantization));

    m_corpus->setPlaceholderText(tr("A text file, one document per line"));
    useDemoCorpus();
    m_maskOutput->clear();
    m_quantOutput->clear();
    suggestOutputs();

    const QString remembered = summary.quantization.isEmpty() ? rememberedMask(summary.path) : QString();
    if (!remembered.isEmpty() && QFileInfo::exists(remembered)) {
        m_job = Job::RememberedMask;
        m_status->setText(tr("Loading the mask used last time: %1…").arg(remembered));
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker, remembered] { w->loadMask(remembered); }, Qt::QueuedConnection);
    }
    updateButtons();
    updateTargetPreviews();
}

void PreparePage::useDemoCorpus()
{
    // The demo model comes with its corpus: use it unless the user chose another text.
    if (!m_model.isDemo)
        return;
    const QString current = m_corpus->text();
    const bool userText = !current.isEmpty() && QFileInfo::exists(current) &&
                          !QFileInfo(current).absoluteFilePath().startsWith(EngineWorker::demoDataPath());
    if (userText)
        return;
    if (EngineWorker::demoDataReady()) {
        m_corpus->setText(EngineWorker::demoCorpusPath());
    } else {
        m_corpus->clear();
        m_corpus->setPlaceholderText(
            tr("Build the demo datasets first (Model page, \"Demo datasets…\"), or choose a text file"));
    }
}

QString PreparePage::outputBase() const
{
    // Beside the model, unless that is the installed demo or a read-only place.
    const QFileInfo model(m_model.path);
    const QString parent = model.absolutePath();
    if (!m_model.path.isEmpty() && !m_model.isDemo && QFileInfo(parent).isWritable())
        return parent;
    return QDir::home().filePath(QStringLiteral("ZeroLens"));
}

void PreparePage::suggestOutputs()
{
    if (m_model.path.isEmpty())
        return;
    const QString name = m_model.isDemo ? QStringLiteral("demo-model") : QFileInfo(m_model.path).fileName();
    const QDir base(outputBase());
    // Replace a suggestion the user has not edited; leave a typed path alone.
    const QString mask = unusedPath(base.filePath(name + QStringLiteral("-mask") + kMaskSuffix), kMaskSuffix);
    if (m_maskOutput->text().isEmpty() || m_maskOutput->text() == m_suggestedMaskOutput) {
        m_suggestedMaskOutput = mask;
        m_maskOutput->setText(mask);
    }
    // "demo-model-int4", or "demo-model-int4-emb8" with 8-bit embeddings.
    const bool int8 = m_embeddings->currentData().toString() == QStringLiteral("int8");
    const QString quant = unusedPath(base.filePath(QStringLiteral("%1-%2%3").arg(
        name, m_format->currentData().toString(), int8 ? QStringLiteral("-emb8") : QString())));
    if (m_quantOutput->text().isEmpty() || m_quantOutput->text() == m_suggestedQuantOutput) {
        m_suggestedQuantOutput = quant;
        m_quantOutput->setText(quant);
    }
}

QString PreparePage::chooseMaskFile()
{
    const QString start = m_maskOutput->text().isEmpty() ? outputBase() : m_maskOutput->text();
    // Our own question names what a file holds, so the dialog's is turned off.
    QString f = QFileDialog::getSaveFileName(this, tr("Save mask as"), start, tr("Mask files (*.safetensors)"), nullptr,
                                             QFileDialog::DontConfirmOverwrite);
    if (!f.isEmpty() && QFileInfo(f).suffix().isEmpty())
        f += kMaskSuffix;
    return f;
}

QString PreparePage::chooseQuantizedFolder()
{
    // A save dialog, not a folder picker: it accepts the name of a folder that
    // does not exist yet, which the quantizer then creates.
    QFileDialog dialog(this, tr("Save quantized model as"));
    dialog.setOption(QFileDialog::DontUseNativeDialog);
    dialog.setOption(QFileDialog::DontConfirmOverwrite);
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setLabelText(QFileDialog::FileName, tr("New folder name:"));
    dialog.setLabelText(QFileDialog::Accept, tr("Choose"));
    const QFileInfo start(m_quantOutput->text().isEmpty() ? outputBase() + QStringLiteral("/model-int4")
                                                          : m_quantOutput->text());
    if (QFileInfo(start.absolutePath()).isDir())
        dialog.setDirectory(start.absolutePath());
    dialog.selectFile(start.fileName());
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return QString();
    return dialog.selectedFiles().front();
}

QString PreparePage::resolveTarget(const QString& typed, const QString& what)
{
    QString path = typed.trimmed();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
        path = QDir::homePath() + path.mid(1);
    if (path.isEmpty() || QDir::isRelativePath(path)) {
        m_banner->showMessage(
            MessageBanner::Kind::Error, tr("Where should %1 go?").arg(what),
            tr("\"%1\" is not a full path. Use Choose…, or type a path that starts with /.").arg(typed));
        return QString();
    }
    return QDir::cleanPath(path);
}

QString PreparePage::targetPreview(const QString& typed, bool folder) const
{
    if (const QString problem = targetProblem(typed, folder); !problem.isEmpty())
        return problem;
    QString path = typed.trimmed();
    if (path.isEmpty())
        return QString();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
        path = QDir::homePath() + path.mid(1);
    path = QDir::cleanPath(path);
    const auto check = EngineWorker::checkTarget(path, folder, m_model.path);
    if (check.needsConfirmation)
        return tr("%1 exists (%2); you will be asked before it is replaced.").arg(path, check.contents);
    if (QFileInfo::exists(path))
        return tr("Writes into the empty folder %1.").arg(path);
    return folder ? tr("Creates the folder %1.").arg(path) : tr("Creates the file %1.").arg(path);
}

void PreparePage::updateTargetPreviews()
{
    const bool modelReady = !m_model.path.isEmpty() && m_model.quantization.isEmpty();
    const QString mask = modelReady ? targetPreview(m_maskOutput->text(), false) : QString();
    const QString quant = modelReady ? targetPreview(m_quantOutput->text(), true) : QString();
    m_maskTarget->setText(mask);
    m_maskTarget->setVisible(!mask.isEmpty());
    m_quantTarget->setText(quant);
    m_quantTarget->setVisible(!quant.isEmpty());
    updateButtons(); // a refused target disables its button
}

bool PreparePage::confirmTarget(const QString& path, bool folder, const QString& what, bool& overwrite)
{
    overwrite = false;
    // EngineWorker::checkTarget only stats the file system; it does no model work,
    // so asking on the GUI thread keeps the question next to the dialog it leads to.
    const auto check = EngineWorker::checkTarget(path, folder, m_model.path);
    if (!check.refusal.isEmpty()) {
        const auto e = plainError(check.refusal);
        const QString subject = what.left(1).toUpper() + what.mid(1); // "the mask" starts a sentence here
        m_banner->showMessage(MessageBanner::Kind::Error, tr("%1 cannot be saved in %2").arg(subject, path), e.text,
                              e.details);
        m_status->setText(tr("Nothing was written."));
        return false;
    }
    if (check.needsConfirmation) {
        if (!m_confirmReplace(what, path, check.contents)) {
            m_status->setText(tr("Nothing was written: %1 is unchanged.").arg(path));
            return false;
        }
        overwrite = true;
    }
    return true;
}

bool PreparePage::askReplace(QWidget* parent, const QString& what, const QString& path, const QString& contents)
{
    QMessageBox box(parent);
    box.setIcon(QMessageBox::Warning);
    box.setWindowTitle(tr("Replace existing files?"));
    box.setText(tr("<b>%1 already exists.</b>").arg(path.toHtmlEscaped()));
    box.setInformativeText(tr("It holds %1.\n\nReplace it with %2? The old content is removed once the new one "
                              "is complete; until then it stays as it is.")
                               .arg(contents, what));
    box.setTextFormat(Qt::RichText);
    auto* replace = box.addButton(tr("Replace"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == replace;
}

QString PreparePage::maskInputProblem() const
{
    if (m_model.path.isEmpty())
        return tr("Open a model first.");
    if (!m_model.quantization.isEmpty())
        return tr("This model is already quantized; open the original model.");
    if (m_rule->currentData().toString() == QStringLiteral("gradient")) {
        const QString corpus = m_corpus->text().trimmed();
        if (corpus.isEmpty())
            return tr("Choose a text file for the squared gradients.");
        const QFileInfo info(corpus);
        if (!info.exists())
            return tr("The corpus %1 does not exist.").arg(corpus);
        if (!info.isFile())
            return tr("The corpus %1 is not a file.").arg(corpus);
        if (!info.isReadable())
            return tr("The corpus %1 cannot be read.").arg(corpus);
    }
    return QString();
}

QString PreparePage::targetProblem(const QString& typed, bool folder) const
{
    QString path = typed.trimmed();
    if (path.isEmpty())
        return QString();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
        path = QDir::homePath() + path.mid(1);
    if (QDir::isRelativePath(path))
        return tr("Type a full path (starting with /), or use Choose….");
    const auto check = EngineWorker::checkTarget(QDir::cleanPath(path), folder, m_model.path);
    return check.refusal.isEmpty() ? QString() : tr("Cannot be used: %1").arg(plainError(check.refusal).text);
}

QString PreparePage::quantizeInputProblem() const
{
    if (m_model.path.isEmpty())
        return tr("Open a model first.");
    if (!m_model.quantization.isEmpty())
        return tr("This model is already quantized; open the original model.");
    if (m_useMask->isChecked() && !QFileInfo::exists(m_maskFile))
        return tr("The mask %1 no longer exists; compute or load it again.").arg(m_maskFile);
    return QString();
}

void PreparePage::updateButtons()
{
    const bool idle = !m_busy && m_job == Job::None;
    // The settings of a running job stay as they were when it started.
    const bool gradient = m_rule->currentData().toString() == QStringLiteral("gradient");
    m_rule->setEnabled(idle);
    m_corpus->setEnabled(idle && gradient);
    m_browseCorpus->setEnabled(idle && gradient);
    m_sequences->setEnabled(idle && gradient);
    m_fraction->setEnabled(idle);
    m_format->setEnabled(idle);
    m_groupSize->setEnabled(idle);
    m_embeddings->setEnabled(idle);
    m_useMask->setEnabled(idle && !m_maskFile.isEmpty());
    // Inputs first, then the typed target: a refused one (root, home, the model) disables its button.
    QString maskProblem = maskInputProblem();
    if (maskProblem.isEmpty())
        maskProblem = targetProblem(m_maskOutput->text(), false);
    QString quantProblem = quantizeInputProblem();
    if (quantProblem.isEmpty())
        quantProblem = targetProblem(m_quantOutput->text(), true);
    m_maskButton->setEnabled(idle && maskProblem.isEmpty());
    m_maskButton->setToolTip(maskProblem);
    m_loadMaskButton->setEnabled(idle && !m_model.path.isEmpty() && m_model.quantization.isEmpty());
    m_quantizeButton->setEnabled(idle && quantProblem.isEmpty());
    m_quantizeButton->setToolTip(quantProblem);
    // The page-level reasons (no model, already quantized) are in the status line.
    const bool modelReady = !m_model.path.isEmpty() && m_model.quantization.isEmpty();
    m_maskHint->setText(modelReady ? maskProblem : QString());
    m_maskHint->setVisible(modelReady && !maskProblem.isEmpty());
    m_quantHint->setText(modelReady ? quantProblem : QString());
    m_quantHint->setVisible(modelReady && !quantProblem.isEmpty());
    for (QWidget* w : {static_cast<QWidget*>(m_maskOutput), static_cast<QWidget*>(m_chooseMaskOutput),
                       static_cast<QWidget*>(m_quantOutput), static_cast<QWidget*>(m_chooseQuantOutput)})
        w->setEnabled(idle && modelReady);
}

bool PreparePage::computeMask(const QString& output)
{
    if (m_busy || m_job != Job::None || !maskInputProblem().isEmpty())
        return false;
    m_banner->clear();
    const QString what = tr("the mask");
    const QString path = resolveTarget(output, what);
    if (path.isEmpty())
        return false;
    m_maskOutput->setText(path);
    MaskSettings s;
    if (!confirmTarget(path, false, what, s.overwrite))
        return false;
    s.rule = m_rule->currentData().toString();
    s.corpus = m_corpus->text().trimmed();
    s.sequences = m_sequences->value();
    s.fraction = m_fraction->value() / 100.0;
    s.output = path;
    QSettings().setValue(QStringLiteral("prepare/corpus"), s.corpus);
    m_job = Job::Mask;
    m_lastProgress = JobProgress();
    m_elapsed.start();
    m_status->setText(tr("Computing the mask into %1…").arg(path));
    updateButtons();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, s] { w->computeMask(s); }, Qt::QueuedConnection);
    return true;
}

bool PreparePage::quantize(const QString& output)
{
    if (m_busy || m_job != Job::None || !quantizeInputProblem().isEmpty())
        return false;
    m_banner->clear();
    const QString what = tr("the quantized model");
    const QString path = resolveTarget(output, what);
    if (path.isEmpty())
        return false;
    m_quantOutput->setText(path);
    QuantizeSettings s;
    if (!confirmTarget(path, true, what, s.overwrite))
        return false;
    s.format = m_format->currentData().toString();
    s.groupSize = m_groupSize->currentData().toInt();
    s.mask = m_useMask->isChecked() ? m_maskFile : QString();
    s.embeddingFormat = m_embeddings->currentData().toString();
    s.output = path;
    m_job = Job::Quantize;
    m_lastProgress = JobProgress();
    m_elapsed.start();
    m_quantResult->clear();
    m_openQuantized->setVisible(false);
    m_status->setText(tr("Quantizing into %1…").arg(path));
    updateButtons();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, s] { w->quantize(s); }, Qt::QueuedConnection);
    return true;
}

void PreparePage::loadMask(const QString& file)
{
    if (m_busy || m_job != Job::None || m_model.path.isEmpty())
        return;
    m_banner->clear();
    m_job = Job::LoadMask;
    m_status->setText(tr("Loading the mask %1…").arg(file));
    updateButtons();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, file] { w->loadMask(file); }, Qt::QueuedConnection);
}

void PreparePage::showProgress()
{
    if (m_job != Job::Mask && m_job != Job::Quantize)
        return;
    const auto& p = m_lastProgress;
    if (p.total > 0) {
        m_progress->setMaximum(static_cast<int>(p.total));
        m_progress->setValue(static_cast<int>(p.done));
    } else {
        m_progress->setRange(0, 0); // busy indicator until the first step reports
    }
    const QString elapsed = durationText(static_cast<double>(m_elapsed.elapsed()) / 1000.0);
    if (p.stage.isEmpty()) {
        m_progressText->setText(tr("Starting… %1 elapsed").arg(elapsed));
        return;
    }
    QString text = tr("Step %1 of %2: %3, %4 of %5").arg(p.step).arg(p.steps).arg(p.stage).arg(p.done).arg(p.total);
    text += QStringLiteral(" · ") + tr("%1 elapsed").arg(elapsed);
    if (p.etaSeconds >= 0 && p.done < p.total)
        text += QStringLiteral(" · ") + tr("about %1 left in this step").arg(durationText(p.etaSeconds));
    m_progressText->setText(text);
}

void PreparePage::setBusy(bool busy)
{
    // The worker runs jobs in order, so our job's "busy" follows any "idle" still
    // queued from the job before it (e.g. the model load that led to setModel).
    m_busy = busy;
    if (busy && m_job != Job::None)
        m_jobStarted = true;
    if (!busy && m_jobStarted) {
        m_previewTimer->start(); // a target may exist now
        m_job = Job::None;
        m_jobStarted = false;
        m_tick->stop();
        m_progressText->clear();
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
    const bool working = busy && (m_job == Job::Mask || m_job == Job::Quantize);
    if (working && !m_tick->isActive()) {
        m_tick->start();
        showProgress();
    }
    m_cancel->setVisible(working);
    m_progress->setVisible(working);
    m_progressText->setVisible(working);
    updateButtons();
}

void PreparePage::rememberMask(const QString& modelPath, const QString& maskFile)
{
    if (modelPath.isEmpty())
        return;
    // Keyed by the model folder's canonical path, so a symlinked path finds it too.
    const QString key =
        QFileInfo(modelPath).canonicalFilePath().isEmpty() ? modelPath : QFileInfo(modelPath).canonicalFilePath();
    QSettings settings;
    auto map = settings.value(kRememberedMasks).toMap();
    if (maskFile.isEmpty())
        map.remove(key);
    else
        map.insert(key, QFileInfo(maskFile).absoluteFilePath());
    settings.setValue(kRememberedMasks, map);
}

QString PreparePage::rememberedMask(const QString& modelPath)
{
    const QString canonical = QFileInfo(modelPath).canonicalFilePath();
    return QSettings().value(kRememberedMasks).toMap().value(canonical.isEmpty() ? modelPath : canonical).toString();
}

void PreparePage::showMask(const MaskSummary& s)
{
    m_maskFile = s.file;
    m_useMask->setToolTip(s.file);
    m_maskName->setText(tr("Mask: %1").arg(s.file));
    m_maskName->setVisible(true);
    m_useMask->setEnabled(true);
    m_useMask->setChecked(true);
    m_shownMask = s;
    plotMask(s);
    updateButtons();
}

void PreparePage::plotMask(const MaskSummary& s)
{
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
    m_chart->legend->setVisible(!s.kinds.isEmpty());
    m_chart->xAxis->setRange(-0.6, static_cast<double>(s.perLayer.size()) - 0.4);
    m_chart->yAxis->setRange(0, top * 1.1 + 1);
    m_chart->replot();
}

void PreparePage::showQuantized(const QuantizeSummary& s)
{
    if (m_job != Job::Quantize)
        return;
    m_quantizedDir = s.output;
    const quint64 after = s.quantizedBytes + s.sparseBytes + s.int8Bytes + s.otherBytes;
    QString text =
        s.sparseEntries > 0
            ? tr("%1 → %2: %3 in 4-bit weights, %4 in %5 full-precision entries, %6 other. "
                 "Weight error (RMS): %7.")
                  .arg(bytesText(s.inputBytes), bytesText(after), bytesText(s.quantizedBytes), bytesText(s.sparseBytes),
                       QLocale().toString(s.sparseEntries), bytesText(s.otherBytes))
                  .arg(s.rmsError, 0, 'g', 3)
            : tr("%1 → %2: %3 in 4-bit weights, %4 other. Weight error (RMS): %5.")
                  .arg(bytesText(s.inputBytes), bytesText(after), bytesText(s.quantizedBytes), bytesText(s.otherBytes))
                  .arg(s.rmsError, 0, 'g', 3);
    if (s.int8Bytes > 0)
        text += QLatin1Char(' ') + tr("Embeddings and output layer: %1 in 8 bits, error (RMS) %2.")
                                       .arg(bytesText(s.int8Bytes))
                                       .arg(s.embeddingRmsError, 0, 'g', 3);
    m_quantResult->setText(text);
    m_status->setText(tr("Quantized model written to %1 in %2.")
                          .arg(s.output, durationText(static_cast<double>(m_elapsed.elapsed()) / 1000.0)));
    m_openQuantized->setVisible(true);
    // The next run gets a fresh suggestion instead of the folder just written.
    if (m_quantOutput->text() == m_suggestedQuantOutput)
        m_quantOutput->clear();
    suggestOutputs();
}

} // namespace zl::ui
