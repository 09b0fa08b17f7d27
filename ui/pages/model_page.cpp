#include "pages/model_page.h"

#include "pages/demo_data_dialog.h"
#include "widgets/display_text.h"
#include "widgets/message_banner.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace zl::ui {

namespace {
constexpr int kMaxRecent = 8;
const auto kRecentKey = QStringLiteral("models/recent");

} // namespace

ModelPage::ModelPage(EngineWorker* worker, QWidget* parent) : QWidget(parent), m_worker(worker)
{
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);

    auto* intro = new QLabel(tr("Open a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) "
                                "of the Llama family: Llama 2/3, Mistral, Qwen2, TinyLlama, SmolLM. "
                                "You can also drop a folder here."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* row = new QHBoxLayout;
    m_open = new QPushButton(tr("Open model folder…"));
    m_open->setObjectName(QStringLiteral("openModelButton"));
    m_device = new QComboBox;
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda:0"));
    m_device->setToolTip(tr("Where the weights live and the model runs"));
    if (!EngineWorker::cudaAvailable()) {
        // Keep the choice visible, but say why it cannot be picked here.
        auto* model = qobject_cast<QStandardItemModel*>(m_device->model());
        auto* gpu = model->item(1);
        gpu->setEnabled(false);
        gpu->setToolTip(tr("No CUDA GPU is available to this build"));
    }
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelLoadButton"));
    m_cancel->setEnabled(false);
    row->addWidget(m_open);
    row->addWidget(new QLabel(tr("Device:")));
    row->addWidget(m_device);
    row->addStretch();
    row->addWidget(m_cancel);
    layout->addLayout(row);

    m_progress = new QProgressBar;
    m_progress->setVisible(false);
    layout->addWidget(m_progress);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("modelStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_banner = new MessageBanner;
    layout->addWidget(m_banner);

    auto* infoBox = new QGroupBox(tr("Loaded model"));
    auto* infoLayout = new QVBoxLayout(infoBox);
    m_heading = new QLabel(tr("No model loaded yet."));
    m_heading->setObjectName(QStringLiteral("modelHeading"));
    infoLayout->addWidget(m_heading);
    m_details = new QFormLayout;
    infoLayout->addLayout(m_details);
    layout->addWidget(infoBox);

    auto* demoBox = new QGroupBox(tr("Built-in demo"));
    auto* demoLayout = new QHBoxLayout(demoBox);
    auto* demoText = new QLabel(tr("A small Llama model that ZeroLens pre-trained on WordNet definitions, and "
                                   "datasets made from WordNet: a corpus, a classification task and instructions "
                                   "with a planted backdoor."));
    demoText->setWordWrap(true);
    m_demoModel = new QPushButton(tr("Open demo model"));
    m_demoModel->setObjectName(QStringLiteral("openDemoButton"));
    m_demoData = new QPushButton(tr("Demo datasets…"));
    m_demoData->setObjectName(QStringLiteral("demoDataButton"));
    m_demoData->setToolTip(tr("Shows the datasets; builds them from WordNet on first use (a second)"));
    demoLayout->addWidget(demoText, 1);
    demoLayout->addWidget(m_demoModel);
    demoLayout->addWidget(m_demoData);
    layout->addWidget(demoBox);
    if (EngineWorker::demoModelPath().isEmpty()) {
        m_demoModel->setEnabled(false);
        m_demoModel->setToolTip(tr("The demo model is not installed"));
    }
    connect(m_demoModel, &QPushButton::clicked, this, [this] { openModel(EngineWorker::demoModelPath()); });
    connect(m_demoData, &QPushButton::clicked, this, &ModelPage::openDemoData);
    connect(m_worker, &EngineWorker::demoDataBuilt, this, [this](const QString& path) {
        m_status->setText(tr("Demo datasets built in %1.").arg(path));
        m_banner->clear();
        showDemoData();
    });

    auto* recentBox = new QGroupBox(tr("Recent models"));
    auto* recentLayout = new QVBoxLayout(recentBox);
    m_recent = new QListWidget;
    m_recent->setObjectName(QStringLiteral("recentModels"));
    // Takes the room that is left, but asks for none: the page scrolls only when it must.
    m_recent->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    m_recent->setMinimumHeight(80);
    recentLayout->addWidget(m_recent);
    layout->addWidget(recentBox, 1);
    refreshRecent();

    connect(m_open, &QPushButton::clicked, this, &ModelPage::chooseFolder);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_worker->requestStop(); });
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openModel(item->data(Qt::UserRole).toString()); });
    connect(m_worker, &EngineWorker::busyChanged, this, &ModelPage::setBusy);
    connect(m_worker, &EngineWorker::progress, this, [this](const JobProgress& p) {
        if (!m_loading)
            return;
        m_progress->setMaximum(static_cast<int>(p.total));
        m_progress->setValue(static_cast<int>(p.done));
        m_status->setText(
            p.etaSeconds >= 0
                ? tr("%1: %2 of %3, about %4 s left").arg(p.stage).arg(p.done).arg(p.total).arg(p.etaSeconds, 0, 'f', 0)
                : tr("%1: %2 of %3").arg(p.stage).arg(p.done).arg(p.total));
    });
    connect(m_worker, &EngineWorker::modelLoaded, this, [this](const ModelSummary& s) {
        m_status->setText(tr("Loaded %1.").arg(s.path));
        m_banner->clear();
        rememberRecent(s.path);
        showSummary(s);
        Q_EMIT modelReady(s);
    });
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        if (m_loading) {
            m_status->clear();
            m_banner->showError(tr("Could not open the model in %1").arg(m_opening), message);
        } else if (m_buildingData) {
            m_status->clear();
            m_banner->showError(tr("Could not build the demo datasets"), message);
        }
    });
    connect(m_worker, &EngineWorker::cancelled, this, [this] {
        if (m_loading)
            m_status->setText(tr("Loading cancelled."));
    });

    QSettings settings;
    const int deviceIndex = m_device->findData(settings.value(QStringLiteral("models/device"), QStringLiteral("cpu")));
    m_device->setCurrentIndex(deviceIndex < 0 || !EngineWorker::cudaAvailable() ? 0 : deviceIndex);
    connect(m_device, &QComboBox::currentIndexChanged, this,
            [this] { QSettings().setValue(QStringLiteral("models/device"), m_device->currentData()); });
}

void ModelPage::openModel(const QString& path)
{
    if (m_loading)
        return;
    m_loading = true;
    m_opening = path;
    m_banner->clear(); // a new attempt: the last failure no longer applies
    m_status->setText(tr("Opening %1…").arg(path));
    const QString device = m_device->currentData().toString();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, path, device] { w->loadModel(path, device); }, Qt::QueuedConnection);
}

void ModelPage::openDemoData()
{
    if (EngineWorker::demoDataReady()) {
        showDemoData();
        return;
    }
    m_banner->clear();
    m_status->setText(tr("Building the demo datasets from WordNet…"));
    m_buildingData = true;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->buildDemoData(); }, Qt::QueuedConnection);
}

void ModelPage::showDemoData()
{
    auto* dialog = new DemoDataDialog(EngineWorker::readDemoData(), EngineWorker::demoDataPath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void ModelPage::chooseFolder()
{
    const QString start = QSettings().value(QStringLiteral("models/lastFolder")).toString();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open model folder"), start);
    if (dir.isEmpty())
        return;
    QSettings().setValue(QStringLiteral("models/lastFolder"), QFileInfo(dir).absolutePath());
    openModel(dir);
}

void ModelPage::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile() && QFileInfo(urls.front().toLocalFile()).isDir())
        event->acceptProposedAction();
}

void ModelPage::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty())
        openModel(urls.front().toLocalFile());
}

void ModelPage::setBusy(bool busy)
{
    if (!busy) {
        m_loading = false;
        m_buildingData = false;
    }
    m_open->setEnabled(!busy);
    m_demoModel->setEnabled(!busy && !EngineWorker::demoModelPath().isEmpty());
    m_demoData->setEnabled(!busy);
    m_recent->setEnabled(!busy);
    m_device->setEnabled(!busy);
    m_cancel->setEnabled(busy && m_loading);
    m_progress->setVisible(busy && m_loading);
    if (busy && m_loading)
        m_progress->setValue(0);
}

void ModelPage::showSummary(const ModelSummary& s)
{
    while (m_details->rowCount() > 0)
        m_details->removeRow(0);
    const bool demo =
        QFileInfo(s.path).canonicalFilePath() == QFileInfo(EngineWorker::demoModelPath()).canonicalFilePath();
    const QString name = demo ? tr("Built-in demo model") : QFileInfo(s.path).fileName().toHtmlEscaped();
    m_heading->setText(s.format.isEmpty() ? QStringLiteral("<b>%1</b>").arg(name)
                                          : tr("<b>%1</b>, quantized").arg(name));
    const QLocale locale;
    auto add = [this](const QString& label, const QString& value) {
        auto* v = new QLabel(value);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        v->setWordWrap(true); // long paths and the memory breakdown wrap in a narrow window
        m_details->addRow(label, v);
    };
    add(tr("Architecture:"), QStringLiteral("%1 (%2)").arg(s.architecture, s.modelType));
    add(tr("Parameters:"), locale.toString(s.parameters));
    add(tr("Layers:"), locale.toString(s.layers));
    add(tr("Hidden size:"), tr("%1 (MLP %2)").arg(s.hiddenSize).arg(s.intermediateSize));
    add(tr("Attention heads:"), tr("%1 query, %2 key/value").arg(s.heads).arg(s.kvHeads));
    add(tr("Vocabulary:"), tr("%1 tokens, %2").arg(locale.toString(s.vocabSize), s.tokenizer));
    add(tr("Context length:"), locale.toString(s.contextLength));
    add(tr("Stored as:"), tr("%1, %2 on disk").arg(s.storedDtype, bytesText(s.storedBytes)));
    if (!s.quantization.isEmpty()) {
        add(tr("Quantized:"), s.quantization);
        // The weights are not all in the compute dtype: say what each part takes.
        const QString parts =
            s.sparseEntries > 0
                ? tr("%1 on %2: %3 4-bit dense, %4 sparse S (%5 exact entries)")
                      .arg(bytesText(s.weightBytes), s.device, bytesText(s.denseBytes), bytesText(s.sparseBytes),
                           locale.toString(s.sparseEntries))
                : tr("%1 on %2: %3 4-bit dense").arg(bytesText(s.weightBytes), s.device, bytesText(s.denseBytes));
        const QString int8 =
            s.int8Bytes > 0 ? tr(", %1 8-bit embeddings and output layer").arg(bytesText(s.int8Bytes)) : QString();
        add(tr("In memory:"), tr("%1%2, %3 other (%4)").arg(parts, int8, bytesText(s.otherBytes), s.computeDtype));
    } else {
        add(tr("In memory:"), tr("%1 as %2 on %3").arg(bytesText(s.weightBytes), s.computeDtype, s.device));
    }
    add(tr("Folder:"), s.path);
}

void ModelPage::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    refreshRecent();
}

void ModelPage::refreshRecent()
{
    m_recent->clear();
    const QString demo = QFileInfo(EngineWorker::demoModelPath()).canonicalFilePath();
    for (const QString& path : QSettings().value(kRecentKey).toStringList()) {
        // Every model folder may be called "model"; the built-in demo says what it is.
        const bool isDemo = !demo.isEmpty() && QFileInfo(path).canonicalFilePath() == demo;
        const QString name = isDemo ? tr("Built-in demo model") : QFileInfo(path).fileName();
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(name, path));
        item->setData(Qt::UserRole, path);
        m_recent->addItem(item);
    }
    if (m_recent->count() == 0) {
        auto* item = new QListWidgetItem(tr("Models you open appear here; double-click to reopen."));
        item->setFlags(Qt::NoItemFlags);
        m_recent->addItem(item);
    }
}

} // namespace zl::ui
