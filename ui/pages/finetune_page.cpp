#include "pages/finetune_page.h"

#include "finetune_job.h"
#include "pages/prepare_page.h"
#include "widgets/display_text.h"
#include "widgets/hint_label.h"
#include "widgets/message_banner.h"
#include "widgets/metric_chart.h"
#include "widgets/side_by_side.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace zl::ui {

namespace {

// A spin box for rates that span decades: shows 5e-4 rather than 0.00050000,
// and the arrows halve or double the value.
class RateSpinBox : public QDoubleSpinBox {
public:
    RateSpinBox()
    {
        setDecimals(12);
        setRange(0.0, 10.0);
        setKeyboardTracking(false);
    }
    QString textFromValue(double v) const override
    {
        if (v == 0.0)
            return QStringLiteral("0");
        if (std::abs(v) >= 0.01)
            return QLocale().toString(v, 'g', 4);
        const int exponent = static_cast<int>(std::floor(std::log10(std::abs(v)) + 1e-9));
        const double mantissa = v / std::pow(10.0, exponent);
        return QStringLiteral("%1e%2").arg(QLocale().toString(mantissa, 'g', 3)).arg(exponent);
    }
    double valueFromText(const QString& text) const override
    {
        bool ok = false;
        double v = QLocale().toDouble(text.trimmed(), &ok);
        if (!ok)
            v = QLocale::c().toDouble(text.trimmed(), &ok);
        return ok ? v : value();
    }
    QValidator::State validate(QString& text, int&) const override
    {
        bool ok = false;
        QLocale().toDouble(text.trimmed(), &ok);
        if (!ok)
            QLocale::c().toDouble(text.trimmed(), &ok);
        return ok ? QValidator::Acceptable : QValidator::Intermediate;
    }
    void stepBy(int steps) override { setValue(value() * std::pow(2.0, steps)); }
};

// A label that takes no room while it has nothing to say.
void showText(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QString percent(double fraction)
{
    return QLocale().toString(100.0 * fraction, 'f', 1) + QStringLiteral(" %");
}

constexpr double kMiB = 1024.0 * 1024.0;

// The visible presets per method: the engine's defaults, which the CLI uses too.
struct Preset {
    double lr;
    double eps;
};
Preset presetFor(const QString& method)
{
    zl::FinetuneMethod m = zl::FinetuneMethod::SparseZo;
    for (auto candidate : {zl::FinetuneMethod::DenseZo, zl::FinetuneMethod::FirstOrder, zl::FinetuneMethod::ZeroShot})
        if (method.toStdString() == zl::methodName(candidate))
            m = candidate;
    return {zl::defaultLearningRate(m), zl::FinetuneOptions().epsilon};
}

QStringList splitList(const QString& text)
{
    QStringList out;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}

// The run's configuration as the engine stores it (run.json, the database's
// configJson): the keys of optionsToJson in engine/src/tune/run_folder.cpp.
bool optionsFromConfig(const QJsonObject& j, FinetuneOptions& o, QString& error)
{
    if (!j.value(QStringLiteral("model")).isString() || !j.value(QStringLiteral("data")).isObject()) {
        error = FinetunePage::tr("The run's configuration names no model or dataset.");
        return false;
    }
    try {
        auto str = [&j](const char* key, const std::string& fallback) {
            const QJsonValue v = j.value(QLatin1String(key));
            return v.isString() ? v.toString().toStdString() : fallback;
        };
        auto num = [&j](const char* key, double fallback) {
            const QJsonValue v = j.value(QLatin1String(key));
            return v.isDouble() ? v.toDouble() : fallback;
        };
        auto integer = [&j](const char* key, std::int64_t fallback) {
            const QJsonValue v = j.value(QLatin1String(key));
            return v.isDouble() ? static_cast<std::int64_t>(v.toDouble()) : fallback;
        };
        o.model = str("model", {});
        o.mask = str("mask", {});
        o.quantFormat = str("quant_format", o.quantFormat);
        o.groupSize = integer("group_size", o.groupSize);
        const QJsonObject d = j.value(QStringLiteral("data")).toObject();
        o.data.path = d.value(QStringLiteral("path")).toString().toStdString();
        o.data.task.kind =
            taskKindFromName(d.value(QStringLiteral("task")).toString(QStringLiteral("classify")).toStdString());
        o.data.taskGiven = d.value(QStringLiteral("task_given")).toBool();
        o.data.task.promptTemplate = d.value(QStringLiteral("prompt")).toString().toStdString();
        for (const QJsonValue v : d.value(QStringLiteral("labels")).toArray())
            o.data.task.labels.push_back(v.toString().toStdString());
        for (const QJsonValue v : d.value(QStringLiteral("label_words")).toArray())
            o.data.task.labelWords.push_back(v.toString().toStdString());
        o.data.task.labelField = d.value(QStringLiteral("label_field")).toString(QStringLiteral("label")).toStdString();
        o.data.task.responseField = d.value(QStringLiteral("response_field")).toString().toStdString();
        o.data.devFraction = d.value(QStringLiteral("dev_fraction")).toDouble(o.data.devFraction);
        o.data.testFraction = d.value(QStringLiteral("test_fraction")).toDouble(o.data.testFraction);
        o.data.splitSeed = static_cast<std::uint64_t>(d.value(QStringLiteral("split_seed")).toDouble(0));
        o.data.maxTrain = static_cast<std::int64_t>(d.value(QStringLiteral("max_train")).toDouble(0));
        o.data.maxDev = static_cast<std::int64_t>(d.value(QStringLiteral("max_dev")).toDouble(0));
        o.data.maxTest = static_cast<std::int64_t>(d.value(QStringLiteral("max_test")).toDouble(0));
        o.data.strict = d.value(QStringLiteral("strict")).toBool();
        o.method = methodFromName(str("method", "sparse-zo"));
        o.steps = integer("steps", o.steps);
        o.batchSize = integer("batch_size", o.batchSize);
        o.learningRate = num("learning_rate", o.learningRate);
        o.schedule = scheduleFromName(str("schedule", "constant"));
        o.epsilon = num("epsilon", o.epsilon);
        o.perturbations = static_cast<int>(integer("perturbations", o.perturbations));
        o.weightDecay = num("weight_decay", o.weightDecay);
        o.gradClip = num("grad_clip", o.gradClip);
        o.beta1 = num("beta1", o.beta1);
        o.beta2 = num("beta2", o.beta2);
        o.adamEpsilon = num("adam_epsilon", o.adamEpsilon);
        o.maxLength = integer("max_length", o.maxLength);
        o.evalEvery = integer("eval_every", o.evalEvery);
        o.evalBatchSize = integer("eval_batch_size", o.evalBatchSize);
        o.earlyStopEvals = integer("early_stop_evals", o.earlyStopEvals);
        o.seed = static_cast<std::uint64_t>(num("seed", 0));
        o.outDir = str("out_dir", {});
        o.runsDatabase = str("runs_database", {});
        o.runName = str("run_name", {});
        o.exportDense = j.value(QStringLiteral("export_dense")).toBool(o.exportDense);
        o.exportDtype = str("export_dtype", o.exportDtype);
        o.device = str("device", o.device);
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

} // namespace

FinetunePage::FinetunePage(EngineWorker* worker, QWidget* parent)
    : QWidget(parent), m_worker(worker), m_confirmReplace([this](const QString& path, const QString& contents) {
          QMessageBox box(this);
          box.setIcon(QMessageBox::Warning);
          box.setWindowTitle(tr("Replace existing files?"));
          box.setText(tr("<b>%1 already exists.</b>").arg(path.toHtmlEscaped()));
          box.setInformativeText(
              tr("It holds %1.\n\nStart a new run there? Files of an earlier run in it are replaced.").arg(contents));
          box.setTextFormat(Qt::RichText);
          auto* replace = box.addButton(tr("Replace"), QMessageBox::DestructiveRole);
          box.addButton(QMessageBox::Cancel);
          box.setDefaultButton(QMessageBox::Cancel);
          box.exec();
          return box.clickedButton() == replace;
      })
{
    auto* layout = new QVBoxLayout(this);
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("finetuneBanner"));
    layout->addWidget(m_banner);
    m_top = new QBoxLayout(QBoxLayout::LeftToRight);

    // 1. Model and data
    m_dataBox = new QGroupBox(tr("1. Model and data"));
    auto* dataForm = new QFormLayout(m_dataBox);
    m_modelEdit = new QLineEdit;
    m_modelEdit->setObjectName(QStringLiteral("finetuneModelEdit"));
    m_modelEdit->setPlaceholderText(tr("A model folder"));
    auto* browseModel = new QPushButton(tr("Browse…"));
    auto* modelRow = new QHBoxLayout;
    modelRow->addWidget(m_modelEdit, 1);
    modelRow->addWidget(browseModel);
    m_modelHint = hintLabel();
    m_modelHint->setObjectName(QStringLiteral("finetuneModelHint"));
    m_maskEdit = new QLineEdit;
    m_maskEdit->setObjectName(QStringLiteral("finetuneMaskEdit"));
    m_maskEdit->setPlaceholderText(tr("Optional: a mask file (Prepare page)"));
    auto* browseMask = new QPushButton(tr("Browse…"));
    auto* maskRow = new QHBoxLayout;
    maskRow->addWidget(m_maskEdit, 1);
    maskRow->addWidget(browseMask);
    m_dataEdit = new QLineEdit;
    m_dataEdit->setObjectName(QStringLiteral("datasetEdit"));
    m_dataEdit->setPlaceholderText(tr("A dataset folder (task.json + train/dev/test) or a JSONL/CSV/TSV file"));
    auto* browseData = new QPushButton(tr("Browse…"));
    auto* browseMenu = new QMenu(browseData);
    browseMenu->addAction(tr("Folder…"), this, [this] { chooseDataset(true); });
    browseMenu->addAction(tr("File…"), this, [this] { chooseDataset(false); });
    browseData->setMenu(browseMenu);
    m_buildDemo = new QPushButton(tr("Build demo data"));
    m_buildDemo->setObjectName(QStringLiteral("finetuneBuildDemo"));
    m_buildDemo->setToolTip(tr("Builds the demo datasets (a WordNet classification task among them)"));
    auto* dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataEdit, 1);
    dataRow->addWidget(browseData);
    dataRow->addWidget(m_buildDemo);
    m_taskLabel = hintLabel();
    m_taskLabel->setObjectName(QStringLiteral("taskLabel"));
    m_template = new QLineEdit;
    m_template->setObjectName(QStringLiteral("promptTemplateEdit"));
    m_template->setPlaceholderText(tr("e.g. {sentence} It was"));
    m_template->setToolTip(tr("The prompt the model reads; {field} is replaced by that field of each row"));
    m_labels = new QLineEdit;
    m_labels->setObjectName(QStringLiteral("labelsEdit"));
    m_labels->setPlaceholderText(tr("e.g. positive, negative"));
    m_labels->setToolTip(tr("The label names as they appear in the label field, separated by commas"));
    m_labelWords = new QLineEdit;
    m_labelWords->setObjectName(QStringLiteral("labelWordsEdit"));
    m_labelWords->setPlaceholderText(tr("e.g. great, terrible"));
    m_labelWords->setToolTip(tr("One word per label, separated by commas; each follows the prompt after a space"));
    m_preview = new QTableWidget(0, 3);
    m_preview->setObjectName(QStringLiteral("datasetPreview"));
    m_preview->setHorizontalHeaderLabels({tr("Prompt"), tr("Target"), tr("Label")});
    m_preview->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_preview->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_preview->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_preview->verticalHeader()->setVisible(false);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setWordWrap(false);
    m_preview->setMinimumHeight(120);
    m_preview->setMaximumHeight(170);
    dataForm->addRow(tr("Model:"), modelRow);
    dataForm->addRow(QString(), m_modelHint);
    dataForm->addRow(tr("Mask:"), maskRow);
    dataForm->addRow(tr("Dataset:"), dataRow);
    dataForm->addRow(tr("Task:"), m_taskLabel);
    dataForm->addRow(tr("Prompt:"), m_template);
    dataForm->addRow(tr("Labels:"), m_labels);
    dataForm->addRow(tr("Label words:"), m_labelWords);
    dataForm->addRow(m_preview);
    m_top->addWidget(m_dataBox, 3);

    // 2. Method and settings
    m_methodBox = new QGroupBox(tr("2. Method"));
    auto* methodForm = new QFormLayout(m_methodBox);
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("methodCombo"));
    m_method->addItem(tr("Sparse ZO on 4 bits (SensZOQ)"), QStringLiteral("sparse-zo"));
    m_method->addItem(tr("Dense ZO, every weight (MeZO)"), QStringLiteral("dense-zo"));
    m_method->addItem(tr("First order on S (AdamW)"), QStringLiteral("fo"));
    m_method->addItem(tr("Zero-shot evaluation only"), QStringLiteral("zero-shot"));
    m_presetLabel = hintLabel();
    m_presetLabel->setObjectName(QStringLiteral("presetLabel"));
    m_presetButton = new QPushButton(tr("Use preset"));
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(m_presetLabel, 1);
    presetRow->addWidget(m_presetButton);
    const FinetuneOptions defaults;
    m_steps = new QSpinBox;
    m_steps->setObjectName(QStringLiteral("stepsSpin"));
    m_steps->setRange(1, 10000000);
    m_steps->setValue(static_cast<int>(defaults.steps));
    m_batch = new QSpinBox;
    m_batch->setObjectName(QStringLiteral("batchSpin"));
    m_batch->setRange(1, 4096);
    m_batch->setValue(static_cast<int>(defaults.batchSize));
    m_lr = new RateSpinBox;
    m_lr->setObjectName(QStringLiteral("learningRateSpin"));
    m_schedule = new QComboBox;
    m_schedule->addItem(tr("Constant"), QStringLiteral("constant"));
    m_schedule->addItem(tr("Linear decay"), QStringLiteral("linear"));
    m_schedule->addItem(tr("Cosine"), QStringLiteral("cosine"));
    m_eps = new RateSpinBox;
    m_eps->setObjectName(QStringLiteral("epsilonSpin"));
    m_eps->setToolTip(tr("Scale of the random perturbation of each zeroth-order step"));
    m_perturbations = new QSpinBox;
    m_perturbations->setRange(1, 64);
    m_perturbations->setValue(defaults.perturbations);
    m_perturbations->setToolTip(tr("Estimates averaged per step; each costs two forward passes"));
    m_weightDecay = new RateSpinBox;
    m_weightDecay->setValue(defaults.weightDecay);
    m_evalEvery = new QSpinBox;
    m_evalEvery->setObjectName(QStringLiteral("evalEverySpin"));
    m_evalEvery->setRange(1, 1000000);
    m_evalEvery->setValue(static_cast<int>(defaults.evalEvery));
    m_evalEvery->setToolTip(tr("Steps between evaluations on the dev split; a checkpoint is saved with each"));
    m_seed = new QSpinBox;
    m_seed->setObjectName(QStringLiteral("finetuneSeedSpin"));
    m_seed->setRange(0, 1 << 30);
    methodForm->addRow(tr("Method:"), m_method);
    methodForm->addRow(presetRow);
    methodForm->addRow(tr("Steps:"), m_steps);
    methodForm->addRow(tr("Batch size:"), m_batch);
    methodForm->addRow(tr("Learning rate:"), m_lr);
    methodForm->addRow(tr("Schedule:"), m_schedule);
    methodForm->addRow(tr("ε (perturbation):"), m_eps);
    methodForm->addRow(tr("Perturbations:"), m_perturbations);
    methodForm->addRow(tr("Weight decay:"), m_weightDecay);
    methodForm->addRow(tr("Evaluate every:"), m_evalEvery);
    methodForm->addRow(tr("Seed:"), m_seed);
    m_top->addWidget(m_methodBox, 2);
    layout->addLayout(m_top);

    // 3. Run
    auto* runBox = new QGroupBox(tr("3. Run"));
    auto* runForm = new QFormLayout(runBox);
    m_runFolder = new QLineEdit;
    m_runFolder->setObjectName(QStringLiteral("runFolderEdit"));
    m_runFolder->setPlaceholderText(tr("A new folder for checkpoints and the tuned model"));
    auto* chooseFolder = new QPushButton(tr("Choose…"));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_runFolder, 1);
    folderRow->addWidget(chooseFolder);
    m_runTarget = hintLabel();
    m_runTarget->setObjectName(QStringLiteral("runFolderTarget"));
    m_start = new QPushButton(tr("Start"));
    m_start->setObjectName(QStringLiteral("startButton"));
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setToolTip(tr("Stops at the next step with a checkpoint; Resume continues from there"));
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setObjectName(QStringLiteral("resumeButton"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(QStringLiteral("stopRunButton"));
    m_stop->setToolTip(tr("Ends the run at the next step with a checkpoint; it stays resumable from the Runs page"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_start, m_pause, m_resume, m_stop})
        buttons->addWidget(b);
    buttons->addStretch();
    m_startHint = hintLabel();
    m_startHint->setObjectName(QStringLiteral("startHint"));
    m_browseButtons = {browseModel, browseMask, browseData, chooseFolder};
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("finetuneProgress"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("finetuneStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stage = hintLabel();
    m_stage->setObjectName(QStringLiteral("finetuneStage"));
    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("finetuneResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openExported = new QPushButton(tr("Open tuned model"));
    m_openExported->setVisible(false);
    runForm->addRow(tr("Run folder:"), folderRow);
    runForm->addRow(QString(), m_runTarget);
    runForm->addRow(buttons);
    runForm->addRow(m_startHint);
    runForm->addRow(m_progress);
    runForm->addRow(m_status);
    runForm->addRow(m_stage);
    runForm->addRow(m_result);
    auto* openRow = new QHBoxLayout;
    openRow->addWidget(m_openExported);
    openRow->addStretch();
    runForm->addRow(openRow);
    layout->addWidget(runBox);

    // Live charts
    auto* charts = new QGridLayout;
    m_lossChart = new MetricChart(tr("Training loss"));
    m_lossChart->setObjectName(QStringLiteral("lossChart"));
    m_lossChart->setLogScaleAvailable(true);
    m_lossChart->setAxisLabels(tr("Step"), tr("Loss"));
    m_devChart = new MetricChart(tr("Dev set"));
    m_devChart->setObjectName(QStringLiteral("devChart"));
    m_devChart->setAxisLabels(tr("Step"), tr("Accuracy (%)"), tr("Loss"));
    m_memoryChart = new MetricChart(tr("Memory"));
    m_memoryChart->setObjectName(QStringLiteral("memoryChart"));
    m_memoryChart->setAxisLabels(tr("Step"), tr("MiB"));
    m_timeChart = new MetricChart(tr("Time per step"));
    m_timeChart->setObjectName(QStringLiteral("stepTimeChart"));
    m_timeChart->setAxisLabels(tr("Step"), tr("Seconds"));
    charts->addWidget(m_lossChart, 0, 0);
    charts->addWidget(m_devChart, 0, 1);
    charts->addWidget(m_memoryChart, 1, 0);
    charts->addWidget(m_timeChart, 1, 1);
    for (MetricChart* c : {m_lossChart, m_devChart, m_memoryChart, m_timeChart})
        c->setMinimumHeight(230);
    layout->addLayout(charts);
    resetCharts();
    showText(m_stage, QString());
    showText(m_result, QString());
    showText(m_status, QString());

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(300);
    connect(m_previewTimer, &QTimer::timeout, this, &FinetunePage::requestPreview);
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &FinetunePage::showStatus);

    connect(browseModel, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), m_modelEdit->text());
        if (!dir.isEmpty())
            m_modelEdit->setText(dir);
    });
    connect(browseMask, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Mask file"), m_maskEdit->text(), tr("Mask files (*.safetensors)"));
        if (!f.isEmpty())
            m_maskEdit->setText(f);
    });
    connect(chooseFolder, &QPushButton::clicked, this, [this] {
        QFileDialog dialog(this, tr("Run folder"));
        dialog.setOption(QFileDialog::DontUseNativeDialog);
        dialog.setOption(QFileDialog::DontConfirmOverwrite);
        dialog.setAcceptMode(QFileDialog::AcceptSave);
        dialog.setFileMode(QFileDialog::AnyFile);
        dialog.setLabelText(QFileDialog::FileName, tr("New folder name:"));
        dialog.setLabelText(QFileDialog::Accept, tr("Choose"));
        const QFileInfo startAt(m_runFolder->text());
        if (QFileInfo(startAt.absolutePath()).isDir())
            dialog.setDirectory(startAt.absolutePath());
        dialog.selectFile(startAt.fileName());
        if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
            m_runFolder->setText(dialog.selectedFiles().front());
    });
    connect(m_modelEdit, &QLineEdit::textChanged, this, [this] {
        updateModelHint();
        updateButtons();
    });
    connect(m_maskEdit, &QLineEdit::textChanged, this, [this] {
        updateModelHint();
        updateButtons();
    });
    for (QLineEdit* e : {m_dataEdit, m_template, m_labels, m_labelWords})
        connect(e, &QLineEdit::textChanged, this, [this] {
            m_previewPending = true;
            m_previewTimer->start();
            suggestRunFolder();
            updateButtons();
        });
    connect(m_runFolder, &QLineEdit::textChanged, this, [this] {
        m_banner->clear();
        const QString preview = targetPreview();
        m_runTarget->setText(preview);
        m_runTarget->setVisible(!preview.isEmpty());
        updateButtons();
    });
    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        applyPreset(false);
        suggestRunFolder();
        updateModelHint();
        updateButtons();
    });
    for (QDoubleSpinBox* s : {m_lr, m_eps})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { applyPreset(false); });
    connect(m_presetButton, &QPushButton::clicked, this, [this] { applyPreset(true); });
    connect(m_buildDemo, &QPushButton::clicked, this, [this] {
        m_buildingDemo = true;
        m_buildDemo->setEnabled(false);
        showText(m_status, tr("Building the demo datasets…"));
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->buildDemoData(); }, Qt::QueuedConnection);
    });
    // A mask made or opened on the Prepare page for this model is offered here at once.
    connect(m_worker, &EngineWorker::maskComputed, this, &FinetunePage::offerMask);
    connect(m_worker, &EngineWorker::maskLoaded, this, &FinetunePage::offerMask);
    connect(m_worker, &EngineWorker::demoDataBuilt, this, [this] {
        m_buildingDemo = false;
        showText(m_status, QString());
        useDemoData();
        updateButtons();
    });
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        if (!m_buildingDemo)
            return;
        m_buildingDemo = false;
        showText(m_status, QString());
        m_banner->showError(tr("Could not build the demo datasets"), message);
        updateButtons();
    });
    connect(m_worker, &EngineWorker::datasetPreviewed, this, &FinetunePage::showPreview);
    connect(m_start, &QPushButton::clicked, this, &FinetunePage::start);
    connect(m_pause, &QPushButton::clicked, this, &FinetunePage::pause);
    connect(m_resume, &QPushButton::clicked, this, &FinetunePage::resume);
    connect(m_stop, &QPushButton::clicked, this, &FinetunePage::stop);
    connect(m_openExported, &QPushButton::clicked, this, [this] { Q_EMIT openModelRequested(m_exported); });

    applyPreset(true);
    useDemoData();
    setState(State::Idle);
}

FinetunePage::~FinetunePage() = default;

void FinetunePage::resizeEvent(QResizeEvent* event)
{
    arrangeSideBySide(m_top, this, m_dataBox, m_methodBox, event);
    QWidget::resizeEvent(event);
}

void FinetunePage::setModel(const ModelSummary& summary)
{
    m_model = summary;
    if (m_state != State::Idle)
        return; // the run keeps its model; the fields follow once it ends
    m_modelEdit->setText(summary.path);
    // The mask used with this model on the Prepare page; a 4-bit model carries S itself.
    const QString mask = summary.format.isEmpty() ? PreparePage::rememberedMask(summary.path) : QString();
    m_maskEdit->setText(QFileInfo::exists(mask) ? mask : QString());
    // A float model without a mask cannot do sparse ZO: offer what it can do.
    if (summary.format.isEmpty() && m_maskEdit->text().isEmpty() &&
        m_method->currentData().toString() == QStringLiteral("sparse-zo"))
        m_method->setCurrentIndex(m_method->findData(QStringLiteral("dense-zo")));
    else if (!summary.format.isEmpty() && m_method->currentData().toString() == QStringLiteral("dense-zo"))
        m_method->setCurrentIndex(m_method->findData(QStringLiteral("sparse-zo")));
    useDemoData();
    suggestRunFolder();
    updateModelHint();
    updateButtons();
}

void FinetunePage::offerMask(const MaskSummary& mask)
{
    const auto canonical = [](const QString& p) {
        const QString c = QFileInfo(p).canonicalFilePath();
        return c.isEmpty() ? p : c;
    };
    if (m_state != State::Idle || !m_model.format.isEmpty() || !m_maskEdit->text().isEmpty() ||
        canonical(mask.modelPath) != canonical(m_model.path))
        return;
    m_maskEdit->setText(mask.file);
    updateModelHint();
    updateButtons();
}

void FinetunePage::useDemoData()
{
    const bool ready = EngineWorker::demoDataReady();
    m_buildDemo->setVisible(!ready);
    if (ready && m_dataEdit->text().isEmpty())
        m_dataEdit->setText(EngineWorker::demoClassifyPath());
}

void FinetunePage::chooseDataset(bool folder)
{
    const QString start = m_dataEdit->text().isEmpty() ? QDir::homePath() : m_dataEdit->text();
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Dataset folder"), start)
                                : QFileDialog::getOpenFileName(this, tr("Dataset file"), start,
                                                               tr("Datasets (*.jsonl *.json *.csv *.tsv)"));
    if (!path.isEmpty())
        m_dataEdit->setText(path);
}

void FinetunePage::updateModelHint()
{
    const QString path = m_modelEdit->text().trimmed();
    m_modelInfo = path.isEmpty() ? ModelFolderInfo{tr("Choose a model folder."), {}, false}
                                 : EngineWorker::inspectModelFolder(expandPath(path));
    QString hint;
    if (!m_modelInfo.problem.isEmpty())
        hint = m_modelInfo.problem;
    else if (m_modelInfo.format.isEmpty())
        hint = m_maskEdit->text().trimmed().isEmpty()
                   ? tr("A full-precision model. Sparse ZO and first order need a mask: it is quantized to 4 bits "
                        "in memory, keeping the mask's weights as S.")
                   : tr("A full-precision model, quantized to 4 bits in memory with the mask's weights kept as S.");
    else if (m_modelInfo.carriesS)
        hint = tr("A 4-bit model (%1) with its sparse set S: what sparse ZO tunes.").arg(m_modelInfo.format);
    else
        hint = tr("A 4-bit model (%1) without S: only zero-shot evaluation.").arg(m_modelInfo.format);
    m_modelHint->setText(hint);
}

QString FinetunePage::expandPath(const QString& typed)
{
    QString path = typed.trimmed();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
        path = QDir::homePath() + path.mid(1);
    return path.isEmpty() ? QString() : QDir::cleanPath(path);
}

void FinetunePage::applyPreset(bool force)
{
    const QString method = m_method->currentData().toString();
    const Preset p = presetFor(method);
    const bool zo = method == QStringLiteral("sparse-zo") || method == QStringLiteral("dense-zo");
    // Fields that still hold the previous method's preset follow the new method.
    const Preset old = presetFor(m_presetMethod);
    const bool untouched = m_presetMethod.isEmpty() || (m_lr->value() == old.lr && m_eps->value() == old.eps);
    if (force || (untouched && m_presetMethod != method)) {
        m_presetMethod = method;
        const QSignalBlocker b1(m_lr), b2(m_eps);
        m_lr->setValue(p.lr);
        m_eps->setValue(p.eps);
    }
    if (m_lr->value() != p.lr || m_eps->value() != p.eps)
        m_presetMethod.clear();
    const QString lr = static_cast<RateSpinBox*>(m_lr)->textFromValue(p.lr);
    const QString eps = static_cast<RateSpinBox*>(m_eps)->textFromValue(p.eps);
    const bool atPreset = m_lr->value() == p.lr && (!zo || m_eps->value() == p.eps);
    if (method == QStringLiteral("zero-shot"))
        m_presetLabel->setText(tr("Evaluates the model on the dev and test splits; nothing is trained."));
    else
        m_presetLabel->setText(zo ? tr("Preset: learning rate %1, ε %2").arg(lr, eps)
                                  : tr("Preset: learning rate %1 (AdamW)").arg(lr));
    m_presetButton->setVisible(method != QStringLiteral("zero-shot"));
    m_presetButton->setEnabled(!atPreset && m_state == State::Idle);
}

void FinetunePage::suggestRunFolder()
{
    if (m_state != State::Idle)
        return;
    if (!m_runFolder->text().isEmpty() && m_runFolder->text() != m_suggestedFolder)
        return; // the user's own choice
    QString dataName = QFileInfo(expandPath(m_dataEdit->text())).completeBaseName();
    if (QFileInfo(expandPath(m_dataEdit->text())).absoluteFilePath() ==
        QFileInfo(EngineWorker::demoClassifyPath()).absoluteFilePath())
        dataName = QStringLiteral("demo-classify");
    QString name = m_method->currentData().toString();
    if (!dataName.isEmpty())
        name += QLatin1Char('-') + dataName;
    name += QLatin1Char('-') + QDate::currentDate().toString(QStringLiteral("yyyy-MM-dd"));
    const QDir base(QDir::home().filePath(QStringLiteral("ZeroLens/runs")));
    QString candidate = base.filePath(name);
    for (int i = 2; QFileInfo::exists(candidate) && i < 1000; ++i)
        candidate = base.filePath(QStringLiteral("%1-%2").arg(name).arg(i));
    m_suggestedFolder = candidate;
    m_runFolder->setText(candidate);
}

QString FinetunePage::targetProblem() const
{
    const QString typed = m_runFolder->text().trimmed();
    if (typed.isEmpty())
        return tr("Choose a run folder.");
    const QString path = expandPath(typed);
    if (QDir::isRelativePath(path))
        return tr("Type a full path (starting with /), or use Choose….");
    const auto check = EngineWorker::checkTarget(path, true, expandPath(m_modelEdit->text()));
    return check.refusal.isEmpty() ? QString() : tr("Cannot be used: %1").arg(plainError(check.refusal).text);
}

QString FinetunePage::targetPreview() const
{
    if (m_runFolder->text().trimmed().isEmpty())
        return QString();
    if (const QString problem = targetProblem(); !problem.isEmpty())
        return problem;
    const QString path = expandPath(m_runFolder->text());
    const auto check = EngineWorker::checkTarget(path, true, expandPath(m_modelEdit->text()));
    if (check.needsConfirmation)
        return tr("%1 exists (%2); you will be asked before a new run replaces it.").arg(path, check.contents);
    return QFileInfo::exists(path) ? tr("Writes into the empty folder %1.").arg(path)
                                   : tr("Creates the folder %1.").arg(path);
}

void FinetunePage::requestPreview()
{
    const QString path = expandPath(m_dataEdit->text());
    m_taskFromFile = !path.isEmpty() && QFileInfo(path).isDir() &&
                     QFileInfo::exists(QDir(path).filePath(QStringLiteral("task.json")));
    for (QLineEdit* e : {m_template, m_labels, m_labelWords})
        e->setReadOnly(m_taskFromFile);
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        m_previewPending = false;
        m_shownPreview = DatasetPreview();
        m_shownPreview.error = path.isEmpty() ? tr("Choose a dataset.") : tr("%1 does not exist.").arg(path);
        m_preview->setRowCount(0);
        m_taskLabel->setText(m_shownPreview.error);
        updateButtons();
        return;
    }
    const FinetuneOptions o = currentOptions();
    const int request = ++m_previewRequest;
    m_previewPending = true;
    m_taskLabel->setText(tr("Reading %1…").arg(path));
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, options = o.data, request] { w->previewDataset(options, request); },
        Qt::QueuedConnection);
}

void FinetunePage::showPreview(int request, const DatasetPreview& p)
{
    if (request != m_previewRequest)
        return; // an answer to an older path
    m_previewPending = false;
    m_shownPreview = p;
    m_preview->setRowCount(0);
    if (!p.error.isEmpty()) {
        m_taskLabel->setText(plainError(p.error).text);
        updateButtons();
        return;
    }
    if (m_taskFromFile) {
        // The task comes from task.json: show it in the fields, read-only.
        const QSignalBlocker b1(m_template), b2(m_labels), b3(m_labelWords);
        m_template->setText(p.promptTemplate);
        m_labels->setText(p.labels.join(QStringLiteral(", ")));
        QStringList words;
        for (const QString& w : p.labelWords)
            words << w.trimmed();
        m_labelWords->setText(words.join(QStringLiteral(", ")));
    }
    const QString kind = p.kind == QStringLiteral("classify")
                             ? tr("Classification into %n label(s)", nullptr, static_cast<int>(p.labels.size()))
                             : tr("Generation");
    QString text = tr("%1%2: %3 train, %4 dev, %5 test examples")
                       .arg(kind, m_taskFromFile ? tr(" (from task.json)") : QString())
                       .arg(QLocale().toString(p.train), QLocale().toString(p.dev), QLocale().toString(p.test));
    if (!p.warnings.isEmpty())
        text += QStringLiteral(" · ") + tr("%n row(s) skipped", nullptr, static_cast<int>(p.warnings.size()));
    m_taskLabel->setText(text);
    m_taskLabel->setToolTip(p.warnings.mid(0, 20).join(QLatin1Char('\n')));
    m_preview->setRowCount(static_cast<int>(p.rows.size()));
    for (int r = 0; r < p.rows.size(); ++r)
        for (int c = 0; c < 3 && c < p.rows[r].size(); ++c) {
            auto* item = new QTableWidgetItem(p.rows[r][c]);
            item->setToolTip(p.rows[r][c]);
            m_preview->setItem(r, c, item);
        }
    updateButtons();
}

FinetuneOptions FinetunePage::currentOptions() const
{
    FinetuneOptions o;
    o.model = expandPath(m_modelEdit->text()).toStdString();
    o.mask = expandPath(m_maskEdit->text()).toStdString();
    o.data.path = expandPath(m_dataEdit->text()).toStdString();
    if (!m_taskFromFile) {
        // A file without task.json: the task is what the fields say.
        const QStringList labels = splitList(m_labels->text());
        o.data.taskGiven = !m_template->text().trimmed().isEmpty() || !labels.isEmpty();
        o.data.task.promptTemplate = m_template->text().toStdString();
        for (const QString& l : labels)
            o.data.task.labels.push_back(l.toStdString());
        for (const QString& w : splitList(m_labelWords->text()))
            o.data.task.labelWords.push_back(QStringLiteral(" %1").arg(w).toStdString());
        o.data.task.kind =
            labels.isEmpty() && !o.data.task.promptTemplate.empty() ? TaskKind::Generate : TaskKind::Classify;
    }
    o.method = methodFromName(m_method->currentData().toString().toStdString());
    o.steps = m_steps->value();
    o.batchSize = m_batch->value();
    o.learningRate = m_lr->value();
    o.schedule = scheduleFromName(m_schedule->currentData().toString().toStdString());
    o.epsilon = m_eps->value();
    o.perturbations = m_perturbations->value();
    o.weightDecay = m_weightDecay->value();
    o.evalEvery = m_evalEvery->value();
    o.seed = static_cast<std::uint64_t>(m_seed->value());
    o.outDir = expandPath(m_runFolder->text()).toStdString();
    // Named after its folder, so runs of the same method and seed tell apart in the Runs page.
    o.runName = QFileInfo(expandPath(m_runFolder->text())).fileName().toStdString();
    o.device = m_model.device.isEmpty() ? std::string("cpu") : m_model.device.toStdString();
    return o;
}

QString FinetunePage::inputProblem() const
{
    if (!m_modelInfo.problem.isEmpty())
        return m_modelInfo.problem;
    const QString method = m_method->currentData().toString();
    const QString mask = expandPath(m_maskEdit->text());
    if (!mask.isEmpty() && !QFileInfo(mask).isFile())
        return tr("The mask %1 does not exist.").arg(mask);
    if (method == QStringLiteral("sparse-zo") || method == QStringLiteral("fo")) {
        if (m_modelInfo.format.isEmpty() && mask.isEmpty())
            return tr("Sparse training needs the set S: choose a mask (Prepare page), or a 4-bit model with S.");
        if (!m_modelInfo.format.isEmpty() && !m_modelInfo.carriesS)
            return tr("This 4-bit model has no S to train; quantize it with a mask on the Prepare page.");
    }
    if (method == QStringLiteral("dense-zo") && !m_modelInfo.format.isEmpty())
        return tr("Dense ZO changes every weight of a full-precision model; choose the original model.");
    if (m_dataEdit->text().trimmed().isEmpty())
        return tr("Choose a dataset.");
    if (m_previewPending)
        return tr("Reading the dataset…");
    if (!m_shownPreview.error.isEmpty())
        return plainError(m_shownPreview.error).text;
    return targetProblem();
}

void FinetunePage::updateButtons()
{
    const bool idle = m_state == State::Idle;
    const QString problem = idle ? inputProblem() : QString();
    m_start->setEnabled(idle && problem.isEmpty() && !m_buildingDemo);
    m_start->setToolTip(problem);
    m_startHint->setText(problem);
    m_startHint->setVisible(!problem.isEmpty());
    m_pause->setEnabled(m_state == State::Running);
    m_resume->setEnabled(m_state == State::Paused);
    m_stop->setEnabled(m_state == State::Running || m_state == State::Paused);
    m_buildDemo->setEnabled(idle && !m_buildingDemo);
    for (QPushButton* b : std::as_const(m_browseButtons))
        b->setEnabled(idle);
    // While a run goes, the line under the folder would describe a start that is not coming.
    m_runTarget->setVisible(idle && !m_runTarget->text().isEmpty());
    const QString method = m_method->currentData().toString();
    const bool zo = method == QStringLiteral("sparse-zo") || method == QStringLiteral("dense-zo");
    const bool trains = method != QStringLiteral("zero-shot");
    // The settings of a run stay as they were when it started.
    for (QWidget* w : std::initializer_list<QWidget*>{m_modelEdit, m_maskEdit, m_dataEdit, m_method, m_runFolder})
        w->setEnabled(idle);
    for (QWidget* w : std::initializer_list<QWidget*>{m_template, m_labels, m_labelWords})
        w->setEnabled(idle && !m_taskFromFile);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_steps, m_batch, m_lr, m_schedule, m_weightDecay, m_evalEvery, m_seed})
        w->setEnabled(idle && trains);
    m_eps->setEnabled(idle && zo);
    m_perturbations->setEnabled(idle && zo);
    m_presetButton->setEnabled(idle && m_presetMethod != method);
}

void FinetunePage::setState(State state)
{
    m_state = state;
    const bool active = state == State::Running || state == State::Pausing || state == State::Stopping;
    if (active && !m_tick->isActive())
        m_tick->start();
    if (!active)
        m_tick->stop();
    m_progress->setVisible(state != State::Idle || m_step > 0);
    updateButtons();
}

void FinetunePage::resetCharts()
{
    m_lossChart->clearSeries();
    m_lossChart->addSeries(QStringLiteral("loss"), tr("loss"), QColor(31, 119, 180, 110), MetricChart::Axis::Left,
                           MetricChart::Style::Dots);
    m_lossChart->addSeries(QStringLiteral("loss_avg"), tr("smoothed"), QColor(31, 119, 180), MetricChart::Axis::Left,
                           MetricChart::Style::Line, 2.2);
    m_devChart->clearSeries();
    m_devChart->addSeries(QStringLiteral("dev_accuracy"), tr("accuracy (%)"), QColor(44, 160, 44),
                          MetricChart::Axis::Left, MetricChart::Style::LineAndDots, 2.0);
    m_devChart->addSeries(QStringLiteral("dev_loss"), tr("loss (right axis)"), QColor(214, 39, 40),
                          MetricChart::Axis::Right, MetricChart::Style::LineAndDots, 1.5);
    m_memoryChart->clearSeries();
    m_memoryChart->addSeries(QStringLiteral("rss_bytes"), tr("resident"), QColor(148, 103, 189),
                             MetricChart::Axis::Left, MetricChart::Style::Line, 2.0);
    m_memoryChart->addSeries(QStringLiteral("peak_rss_bytes"), tr("peak"), QColor(255, 127, 14),
                             MetricChart::Axis::Left, MetricChart::Style::Line, 1.5);
    m_memoryChart->clearReferenceLine();
    m_timeChart->clearSeries();
    m_timeChart->addSeries(QStringLiteral("step_seconds"), tr("seconds per step"), QColor(140, 86, 75),
                           MetricChart::Axis::Left, MetricChart::Style::Line, 1.5);
}

bool FinetunePage::start()
{
    if (m_state != State::Idle || !inputProblem().isEmpty())
        return false;
    m_banner->clear();
    FinetuneOptions o = currentOptions();
    const QString path = QString::fromStdString(o.outDir.string());
    m_runFolder->setText(path);
    const auto check = EngineWorker::checkTarget(path, true, QString::fromStdString(o.model.string()));
    if (!check.refusal.isEmpty()) {
        const auto e = plainError(check.refusal);
        m_banner->showMessage(MessageBanner::Kind::Error, tr("The run cannot be saved in %1").arg(path), e.text,
                              e.details);
        return false;
    }
    if (check.needsConfirmation) {
        if (!m_confirmReplace(path, check.contents)) {
            showText(m_status, tr("Nothing was started: %1 is unchanged.").arg(path));
            return false;
        }
        o.overwrite = true;
    }
    resetCharts();
    launch(std::move(o), false);
    return true;
}

void FinetunePage::launch(FinetuneOptions options, bool resuming)
{
    m_runOptions = options;
    m_runOptions.overwrite = false; // a resume continues; it never starts over
    showText(m_result, QString());
    m_openExported->setVisible(false);
    showText(m_stage, QString());
    m_step = resuming ? m_step : 0;
    m_stepCount = options.steps;
    m_eta = -1;
    if (!resuming) {
        m_lastDevAccuracy = -1;
        m_lastDevStep = -1;
    }
    m_elapsed.start();
    m_job = QSharedPointer<FinetuneJob>(new FinetuneJob(std::move(options)), &QObject::deleteLater);
    FinetuneJob* job = m_job.data();
    connect(job, &FinetuneJob::metricsBatch, this, &FinetunePage::onMetrics);
    connect(job, &FinetuneJob::progress, this, &FinetunePage::onProgress);
    connect(job, &FinetuneJob::dataLoaded, this, &FinetunePage::onDataLoaded);
    connect(job, &FinetuneJob::log, this, &FinetunePage::onLog);
    connect(job, &FinetuneJob::finished, this, &FinetunePage::onFinished);
    connect(job, &FinetuneJob::cancelled, this, &FinetunePage::onCancelled);
    connect(job, &FinetuneJob::failed, this, &FinetunePage::onFailed);
    m_progress->setRange(0, 0);
    showText(m_status, resuming ? tr("Resuming in %1…").arg(QString::fromStdString(m_runOptions.outDir.string()))
                                : tr("Starting in %1…").arg(QString::fromStdString(m_runOptions.outDir.string())));
    setState(State::Running);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, j = m_job] { w->runFinetune(j); }, Qt::QueuedConnection);
    Q_EMIT runStarted(QString::fromStdString(m_runOptions.outDir.string()));
}

void FinetunePage::pause()
{
    if (m_state != State::Running)
        return;
    setState(State::Pausing);
    showText(m_status, tr("Pausing after this step (saving a checkpoint)…"));
    m_worker->requestStop();
}

void FinetunePage::resume()
{
    if (m_state != State::Paused)
        return;
    m_banner->clear();
    launch(m_runOptions, true);
}

void FinetunePage::stop()
{
    if (m_state == State::Paused) {
        setState(State::Idle);
        showText(m_status, tr("Stopped at step %1. The run can be resumed from the Runs page.").arg(m_step));
        m_progress->setVisible(false);
        return;
    }
    if (m_state != State::Running && m_state != State::Pausing)
        return;
    setState(State::Stopping);
    showText(m_status, tr("Stopping after this step (saving a checkpoint)…"));
    m_worker->requestStop();
}

bool FinetunePage::resumeRun(const QString& dir, const QString& configJson)
{
    if (m_state != State::Idle) {
        m_banner->showMessage(MessageBanner::Kind::Warning, tr("A run is in progress"),
                              tr("Stop it before resuming another one."));
        return false;
    }
    m_banner->clear();
    FinetuneOptions o;
    QString error;
    const QJsonObject config = QJsonDocument::fromJson(configJson.toUtf8()).object();
    if (!optionsFromConfig(config, o, error)) {
        m_banner->showMessage(MessageBanner::Kind::Error, tr("Could not resume the run in %1").arg(dir), error);
        return false;
    }
    o.outDir = dir.toStdString();
    o.overwrite = false;
    // Show the run's settings, so what runs is what the page says.
    {
        const QSignalBlocker b0(m_modelEdit), b1(m_maskEdit), b2(m_dataEdit), b3(m_runFolder), b4(m_method), b5(m_lr),
            b6(m_eps);
        m_modelEdit->setText(QString::fromStdString(o.model.string()));
        m_maskEdit->setText(QString::fromStdString(o.mask.string()));
        m_dataEdit->setText(QString::fromStdString(o.data.path.string()));
        m_runFolder->setText(dir);
        m_method->setCurrentIndex(m_method->findData(QString::fromStdString(methodName(o.method))));
        m_lr->setValue(o.learningRate);
        m_eps->setValue(o.epsilon);
    }
    m_steps->setValue(static_cast<int>(o.steps));
    m_batch->setValue(static_cast<int>(o.batchSize));
    m_schedule->setCurrentIndex(m_schedule->findData(QString::fromStdString(scheduleName(o.schedule))));
    m_perturbations->setValue(o.perturbations);
    m_weightDecay->setValue(o.weightDecay);
    m_evalEvery->setValue(static_cast<int>(o.evalEvery));
    m_seed->setValue(static_cast<int>(o.seed));
    m_runTarget->setText(tr("Resumes the run in %1.").arg(dir));
    m_runTarget->setVisible(true);
    updateModelHint();
    applyPreset(false);
    m_previewTimer->start();
    resetCharts();
    m_step = 0;
    launch(std::move(o), true);
    return true;
}

void FinetunePage::onMetrics(const QVector<MetricSample>& samples)
{
    // Grouped per series, so each chart takes one batch per name.
    QHash<QString, QPair<QVector<double>, QVector<double>>> bySeries;
    for (const MetricSample& s : samples) {
        if (s.name == QStringLiteral("inference_rss_bytes")) {
            // Measured by the run: the process with the model loaded and evaluated, before training.
            m_memoryChart->setReferenceLine(
                s.value / kMiB, tr("inference: %1").arg(QLocale().formattedDataSize(static_cast<qint64>(s.value))));
            continue;
        }
        double value = s.value;
        if (s.name == QStringLiteral("rss_bytes") || s.name == QStringLiteral("peak_rss_bytes"))
            value /= kMiB;
        else if (s.name == QStringLiteral("dev_accuracy")) {
            m_lastDevAccuracy = s.value;
            m_lastDevStep = s.step;
            value *= 100.0;
        }
        if (s.name == QStringLiteral("loss"))
            m_step = std::max(m_step, s.step);
        auto& series = bySeries[s.name];
        series.first << static_cast<double>(s.step);
        series.second << value;
    }
    for (auto it = bySeries.cbegin(); it != bySeries.cend(); ++it) {
        for (MetricChart* chart : {m_lossChart, m_devChart, m_memoryChart, m_timeChart})
            if (chart->hasSeries(it.key()))
                chart->append(it.key(), it.value().first, it.value().second);
    }
    showStatus();
}

void FinetunePage::onProgress(const QString& stage, qint64 done, qint64 total, double eta)
{
    if (total == m_stepCount && total > 0) {
        m_step = std::max(m_step, done);
        m_eta = eta;
        m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
        m_progress->setValue(static_cast<int>(std::min<qint64>(done, INT_MAX)));
        showText(m_stage, QString());
    } else {
        // Loading, evaluation, export: said below the status line.
        showText(m_stage, total > 0 ? tr("%1: %2 of %3").arg(stage).arg(done).arg(total) : stage);
    }
    showStatus();
}

void FinetunePage::onDataLoaded(const FinetuneDataInfo& info)
{
    m_dataWarnings = info.warnings;
    if (!info.warnings.isEmpty())
        m_banner->showMessage(
            MessageBanner::Kind::Warning,
            tr("%n row(s) of the dataset were skipped", nullptr, static_cast<int>(info.warnings.size())),
            tr("They could not be read as examples; the run uses the other %1.").arg(QLocale().toString(info.train)),
            info.warnings.mid(0, 50).join(QLatin1Char('\n')));
}

void FinetunePage::onLog(int level, const QString& text)
{
    if (level == static_cast<int>(LogLevel::Warning)) {
        if (m_dataWarnings.contains(text))
            return; // a skipped row, already counted in the dataset's banner
        // The engine's advice is in plain words already (flat or diverging loss).
        m_banner->showMessage(MessageBanner::Kind::Warning, tr("The run needs attention"), text);
    } else if (level == static_cast<int>(LogLevel::Info)) {
        showText(m_stage, text);
    }
}

void FinetunePage::showStatus()
{
    if (m_state == State::Idle || m_state == State::Paused)
        return;
    QString text;
    if (m_step > 0 || m_progress->maximum() > 0)
        text = tr("Step %1 of %2").arg(QLocale().toString(m_step), QLocale().toString(m_stepCount));
    else
        text = tr("Loading the model and evaluating it before the first step…");
    text += QStringLiteral(" · ") + tr("%1 elapsed").arg(durationText(static_cast<double>(m_elapsed.elapsed()) / 1000));
    if (m_eta >= 0 && m_step < m_stepCount)
        text += QStringLiteral(" · ") + tr("about %1 left").arg(durationText(m_eta));
    if (m_lastDevAccuracy >= 0)
        text +=
            QStringLiteral(" · ") + tr("dev accuracy %1 at step %2").arg(percent(m_lastDevAccuracy)).arg(m_lastDevStep);
    if (m_state == State::Pausing)
        text += QStringLiteral(" · ") + tr("pausing…");
    else if (m_state == State::Stopping)
        text += QStringLiteral(" · ") + tr("stopping…");
    showText(m_status, text);
}

void FinetunePage::onFinished(const FinetuneResult& r)
{
    const QString dir = QString::fromStdString(r.runDir.string());
    m_job.reset();
    m_progress->setRange(0, 1);
    m_progress->setValue(1);
    showText(m_stage, QString());
    setState(State::Idle);
    const QString how = r.status == "early-stopped" ? tr("Stopped early (the dev score stopped improving)")
                        : r.status == "diverged"    ? tr("The loss diverged; the last good checkpoint is kept")
                                                    : tr("Finished");
    showText(m_status, tr("%1 after %2 steps in %3, %4 per step.")
                           .arg(how)
                           .arg(r.steps)
                           .arg(durationText(static_cast<double>(m_elapsed.elapsed()) / 1000))
                           .arg(tr("%1 s").arg(QLocale().toString(r.secondsPerStep, 'f', 2))));
    QStringList parts;
    if (r.zeroShotDev.accuracy >= 0)
        parts << tr("Before tuning: dev accuracy %1.").arg(percent(r.zeroShotDev.accuracy));
    if (r.dev.accuracy >= 0)
        parts << tr("Tuned (best step %1): dev accuracy %2, test accuracy %3.")
                     .arg(r.bestStep)
                     .arg(percent(r.dev.accuracy), r.test.accuracy >= 0 ? percent(r.test.accuracy) : tr("not run"));
    else if (r.dev.loss >= 0)
        parts << tr("Dev loss %1, test loss %2.")
                     .arg(QLocale().toString(r.dev.loss, 'f', 3), QLocale().toString(r.test.loss, 'f', 3));
    if (r.peakRssBytes > 0)
        parts << tr("Peak memory %1.").arg(QLocale().formattedDataSize(static_cast<qint64>(r.peakRssBytes)));
    const QString exported = QDir(dir).filePath(QStringLiteral("model"));
    if (QFileInfo::exists(QDir(exported).filePath(QStringLiteral("config.json")))) {
        m_exported = exported;
        parts << tr("The tuned model is in %1.").arg(exported);
        m_openExported->setVisible(true);
    } else {
        parts << tr("Checkpoints are in %1.").arg(dir);
    }
    showText(m_result, parts.join(QLatin1Char(' ')));
    // The next run gets a fresh suggestion instead of the folder just used.
    if (m_runFolder->text() == m_suggestedFolder)
        m_runFolder->clear();
    suggestRunFolder();
    Q_EMIT runEnded(dir);
}

void FinetunePage::onCancelled()
{
    m_job.reset();
    const QString dir = QString::fromStdString(m_runOptions.outDir.string());
    showText(m_stage, QString());
    if (m_state == State::Pausing) {
        setState(State::Paused);
        showText(m_status, tr("Paused at step %1 with a checkpoint. Resume continues from there.").arg(m_step));
    } else {
        setState(State::Idle);
        showText(m_status,
                 tr("Stopped at step %1 with a checkpoint. The run can be resumed from the Runs page.").arg(m_step));
        if (m_runFolder->text() == m_suggestedFolder)
            m_runFolder->clear();
        suggestRunFolder();
    }
    Q_EMIT runEnded(dir);
}

void FinetunePage::onFailed(const QString& message)
{
    m_job.reset();
    const QString dir = QString::fromStdString(m_runOptions.outDir.string());
    showText(m_stage, QString());
    m_progress->setVisible(false);
    setState(State::Idle);
    showText(m_status, QString());
    m_banner->showError(tr("The run in %1 stopped with an error").arg(dir), message);
    Q_EMIT runEnded(dir);
}

} // namespace zl::ui
