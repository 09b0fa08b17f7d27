#include "pages/explain_page.h"

#include "pages/prepare_page.h"
#include "ranking_model.h"
#include "widgets/display_text.h"
#include "widgets/hint_label.h"
#include "widgets/influence_heatmap.h"
#include "widgets/message_banner.h"
#include "widgets/score_histogram.h"
#include "widgets/side_by_side.h"
#include "widgets/token_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <set>

namespace zl::ui {

namespace {

// K is a power of two in practice: the arrows halve or double it.
class DimensionSpinBox : public QSpinBox {
public:
    void stepBy(int steps) override
    {
        const double v = std::ldexp(static_cast<double>(value()), steps);
        setValue(static_cast<int>(std::clamp(v, static_cast<double>(minimum()), static_cast<double>(maximum()))));
    }
};

// Rows of a two-column form on a grid. QFormLayout would do, but its height for
// a width leaves out part of word-wrapped hint rows, and in a scroll area the
// rows after them were squeezed to nothing (the Build button had no height).
class FormGrid {
public:
    explicit FormGrid(QWidget* box) : m_grid(new QGridLayout(box)) { m_grid->setColumnStretch(1, 1); }
    void add(const QString& label, QWidget* field, Qt::Alignment labelAlignment = Qt::AlignVCenter)
    {
        addLabel(label, labelAlignment);
        m_grid->addWidget(field, m_row++, 1);
    }
    void add(const QString& label, QLayout* field)
    {
        addLabel(label, Qt::AlignVCenter);
        m_grid->addLayout(field, m_row++, 1);
    }
    void span(QWidget* w)
    {
        addLabel(QString(), {});
        m_grid->addWidget(w, m_row++, 0, 1, 2);
    }
    void span(QLayout* l)
    {
        addLabel(QString(), {});
        m_grid->addLayout(l, m_row++, 0, 1, 2);
    }

private:
    void addLabel(const QString& text, Qt::Alignment alignment)
    {
        // Room the rows do not need goes below the last one, not between them.
        m_grid->setRowStretch(m_row, 0);
        m_grid->setRowStretch(m_row + 1, 1);
        if (!text.isEmpty())
            m_grid->addWidget(new QLabel(text), m_row, 0, Qt::AlignLeft | alignment);
    }
    QGridLayout* m_grid;
    int m_row = 0;
};

// Narrower than this (pixels of the page in view), the results' charts go below the table.
constexpr int kSideBySideResults = 900;

// A label that takes no room while it has nothing to say.
void showText(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString scoreText(double score)
{
    return QLocale().toString(score, 'g', 4);
}

// "4, 5" or "3-5" → {3, 4, 5}; empty when the text is not such a list or a layer is out of [0, layers).
std::vector<int> parseBlocks(const QString& text, qint64 layers)
{
    std::set<int> blocks;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList ends = part.trimmed().split(QLatin1Char('-'));
        bool okFirst = false, okLast = false;
        const int first = ends.front().trimmed().toInt(&okFirst);
        const int last = ends.size() == 2 ? ends.back().trimmed().toInt(&okLast) : first;
        if (!okFirst || (ends.size() == 2 && !okLast) || ends.size() > 2 || first > last || first < 0 ||
            (layers > 0 && last >= layers))
            return {};
        for (int b = first; b <= last; ++b)
            blocks.insert(b);
    }
    return {blocks.begin(), blocks.end()};
}

QString blocksText(const std::vector<int>& blocks)
{
    QStringList parts;
    for (int b : blocks)
        parts << QString::number(b);
    return parts.join(QStringLiteral(", "));
}

QString snippet(const std::string& text, int length = 60)
{
    const QString s = QString::fromStdString(text).simplified();
    return s.size() > length ? s.left(length - 1) + QChar(0x2026) : s;
}

} // namespace

ExplainPage::ExplainPage(EngineWorker* worker, QWidget* parent)
    : QWidget(parent), m_worker(worker), m_confirmReplace([this](const QString& path, const QString& contents) {
          QMessageBox box(this);
          box.setIcon(QMessageBox::Warning);
          box.setWindowTitle(tr("Use the existing file?"));
          box.setText(tr("<b>%1 already exists.</b>").arg(path.toHtmlEscaped()));
          box.setInformativeText(tr("It holds %1.\n\nIf it is a cache of this model, dataset and settings, building "
                                    "continues it (a complete one is just opened). Anything else is replaced.")
                                     .arg(contents));
          box.setTextFormat(Qt::RichText);
          auto* build = box.addButton(tr("Continue or replace"), QMessageBox::DestructiveRole);
          box.addButton(QMessageBox::Cancel);
          box.setDefaultButton(QMessageBox::Cancel);
          box.exec();
          return box.clickedButton() == build;
      })
{
    auto* layout = new QVBoxLayout(this);
    m_banner = new MessageBanner;
    m_banner->setObjectName(QStringLiteral("explainBanner"));
    layout->addWidget(m_banner);
    auto* intro = hintLabel();
    intro->setText(tr("Which training examples made the model say this? Build a cache of a dataset's gradients "
                      "once, then explain any generation: every example is ranked by how much it helps (or "
                      "opposes) the response."));
    layout->addWidget(intro);
    m_top = new QBoxLayout(QBoxLayout::LeftToRight);

    // 1. Cache
    m_cacheBox = new QGroupBox(tr("1. Gradient cache of the training data"));
    FormGrid cacheForm(m_cacheBox);
    m_modelLabel = hintLabel();
    m_modelLabel->setObjectName(QStringLiteral("explainModelLabel"));
    m_dataEdit = new QLineEdit;
    m_dataEdit->setObjectName(QStringLiteral("explainDatasetEdit"));
    m_dataEdit->setPlaceholderText(tr("An instruction dataset: JSONL/CSV/TSV file or folder"));
    auto* browseData = new QPushButton(tr("Browse…"));
    auto* browseMenu = new QMenu(browseData);
    browseMenu->addAction(tr("Folder…"), this, [this] { chooseDataset(true); });
    browseMenu->addAction(tr("File…"), this, [this] { chooseDataset(false); });
    browseData->setMenu(browseMenu);
    m_buildDemo = new QPushButton(tr("Build demo data"));
    m_buildDemo->setToolTip(tr("Builds the demo datasets, among them instructions with a planted backdoor"));
    auto* dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataEdit, 1);
    dataRow->addWidget(browseData);
    dataRow->addWidget(m_buildDemo);
    m_maskEdit = new QLineEdit;
    m_maskEdit->setObjectName(QStringLiteral("explainMaskEdit"));
    m_maskEdit->setPlaceholderText(tr("Optional: a mask file, for S of a full-precision model"));
    auto* browseMask = m_browseMask = new QPushButton(tr("Browse…"));
    auto* maskRow = new QHBoxLayout;
    maskRow->addWidget(m_maskEdit, 1);
    maskRow->addWidget(browseMask);
    m_tracked = new QComboBox;
    m_tracked->setObjectName(QStringLiteral("trackedCombo"));
    m_tracked->addItem(tr("The sparse set S"), QStringLiteral("sparse"));
    m_tracked->addItem(tr("All linear weights of layers"), QStringLiteral("blocks"));
    m_blocks = new QLineEdit;
    m_blocks->setObjectName(QStringLiteral("blocksEdit"));
    m_blocks->setPlaceholderText(tr("e.g. 5 or 4, 5"));
    m_blocks->setToolTip(tr("Layer numbers from 0, separated by commas; 3-5 is a range"));
    auto* trackedRow = new QHBoxLayout;
    trackedRow->addWidget(m_tracked, 1);
    trackedRow->addWidget(m_blocks);
    m_trackedHint = hintLabel();
    m_trackedHint->setObjectName(QStringLiteral("trackedHint"));
    m_k = new DimensionSpinBox;
    m_k->setObjectName(QStringLiteral("kSpin"));
    m_k->setRange(16, 1 << 24);
    m_k->setValue(static_cast<int>(GradientSettings().k));
    m_k->setToolTip(tr("Each example's gradient is compressed to K numbers (RapidGrad); larger K ranks more "
                       "faithfully and takes more disk"));
    m_exact = new QCheckBox(tr("Exact (no compression)"));
    m_exact->setObjectName(QStringLiteral("exactCheck"));
    m_exact->setToolTip(tr("Stores each gradient whole: exact scores, for small tracked sets"));
    auto* kRow = new QHBoxLayout;
    kRow->addWidget(m_k, 1);
    kRow->addWidget(m_exact);
    m_cacheEdit = new QLineEdit;
    m_cacheEdit->setObjectName(QStringLiteral("cacheFileEdit"));
    m_cacheEdit->setPlaceholderText(tr("Where the cache goes (a .db file; its vectors go beside it)"));
    auto* chooseCache = new QPushButton(tr("Choose…"));
    auto* cacheRow = new QHBoxLayout;
    cacheRow->addWidget(m_cacheEdit, 1);
    cacheRow->addWidget(chooseCache);
    m_targetHint = hintLabel();
    m_targetHint->setObjectName(QStringLiteral("cacheTargetHint"));
    m_buildButton = new QPushButton(tr("Build cache"));
    m_buildButton->setObjectName(QStringLiteral("buildCacheButton"));
    m_openCache = new QPushButton(tr("Open cache…"));
    m_openCache->setObjectName(QStringLiteral("openCacheButton"));
    m_openCache->setToolTip(tr("Open a cache built earlier for the loaded model"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(QStringLiteral("explainStopButton"));
    m_stop->setToolTip(tr("Stops the job; a cache keeps the examples done so far, and Build continues it"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_buildButton);
    buttons->addWidget(m_openCache);
    buttons->addStretch();
    m_buildHint = hintLabel();
    m_buildHint->setObjectName(QStringLiteral("buildHint"));
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("explainProgress"));
    m_progress->setVisible(false);
    m_progress->setMaximumWidth(320);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("explainStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_cacheLabel = new QLabel;
    m_cacheLabel->setObjectName(QStringLiteral("cacheInfoLabel"));
    m_cacheLabel->setWordWrap(true);
    m_cacheLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    cacheForm.add(tr("Model:"), m_modelLabel);
    cacheForm.add(tr("Dataset:"), dataRow);
    cacheForm.add(tr("Mask:"), maskRow);
    cacheForm.add(tr("Gradients of:"), trackedRow);
    cacheForm.add(QString(), m_trackedHint);
    cacheForm.add(tr("Compressed to K:"), kRow);
    cacheForm.add(tr("Cache file:"), cacheRow);
    cacheForm.add(QString(), m_targetHint);
    cacheForm.span(buttons);
    cacheForm.span(m_buildHint);
    cacheForm.span(m_cacheLabel);
    m_browseButtons = {browseData, chooseCache};
    m_top->addWidget(m_cacheBox, 1);

    // 2. Query
    m_queryBox = new QGroupBox(tr("2. Generation to explain"));
    FormGrid queryForm(m_queryBox);
    m_prompt = new QPlainTextEdit;
    m_prompt->setObjectName(QStringLiteral("explainPromptEdit"));
    m_prompt->setPlaceholderText(tr("e.g. Howdy! Define the word \"heat\"."));
    m_prompt->setMaximumHeight(80);
    m_rawPrompt = new QCheckBox(tr("Raw prompt: the model's input exactly as typed"));
    m_rawPrompt->setObjectName(QStringLiteral("rawPromptCheck"));
    m_templateHint = hintLabel();
    m_templateHint->setObjectName(QStringLiteral("templateHint"));
    m_response = new QPlainTextEdit;
    m_response->setObjectName(QStringLiteral("explainResponseEdit"));
    m_response->setPlaceholderText(tr("The response to explain"));
    m_response->setMaximumHeight(80);
    m_generate = new QCheckBox(tr("Generate it (greedy), at most"));
    m_generate->setObjectName(QStringLiteral("generateResponseCheck"));
    m_maxNewTokens = new QSpinBox;
    m_maxNewTokens->setRange(1, 1024);
    m_maxNewTokens->setValue(static_cast<int>(InfluenceQuery().maxNewTokens));
    m_maxNewTokens->setSuffix(tr(" tokens"));
    auto* generateRow = new QHBoxLayout;
    generateRow->addWidget(m_generate);
    generateRow->addWidget(m_maxNewTokens);
    generateRow->addStretch();
    m_listed = new QSpinBox;
    m_listed->setObjectName(QStringLiteral("listedSpin"));
    m_listed->setRange(1, 1000);
    m_listed->setValue(static_cast<int>(InfluenceQuery().top));
    m_listed->setToolTip(tr("How many of the most helpful and of the most opposing examples are listed"));
    m_explain = new QPushButton(tr("Explain"));
    m_explain->setObjectName(QStringLiteral("explainButton"));
    auto* explainRow = new QHBoxLayout;
    explainRow->addWidget(m_explain);
    explainRow->addStretch();
    m_queryHint = hintLabel();
    m_queryHint->setObjectName(QStringLiteral("queryHint"));
    m_savedQueries = new QComboBox;
    m_savedQueries->setObjectName(QStringLiteral("savedQueriesCombo"));
    m_savedQueries->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_savedQueries->setMinimumContentsLength(20);
    m_reopen = new QPushButton(tr("Show again"));
    m_reopen->setObjectName(QStringLiteral("reopenButton"));
    m_reopen->setToolTip(tr("Ranks the cache again for the saved query"));
    auto* savedRow = new QHBoxLayout;
    savedRow->addWidget(m_savedQueries, 1);
    savedRow->addWidget(m_reopen);
    queryForm.add(tr("Prompt:"), m_prompt, Qt::AlignTop);
    queryForm.add(QString(), m_rawPrompt);
    queryForm.add(QString(), m_templateHint);
    queryForm.add(tr("Response:"), m_response, Qt::AlignTop);
    queryForm.add(QString(), generateRow);
    queryForm.add(tr("Examples per list:"), m_listed);
    queryForm.span(explainRow);
    queryForm.span(m_queryHint);
    queryForm.add(tr("Saved queries:"), savedRow);
    m_top->addWidget(m_queryBox, 1);
    layout->addLayout(m_top);
    // What the page is doing, for every job of it: building, opening, ranking.
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_progress, 1);
    statusRow->addWidget(m_stop);
    statusRow->addWidget(m_status, 2);
    layout->addLayout(statusRow);

    // 3. Results
    m_resultsBox = new QGroupBox(tr("3. Training examples behind it"));
    auto* results = new QVBoxLayout(m_resultsBox);
    auto* tokensLabel = new QLabel(tr("Response tokens (drag over some to explain just those):"));
    tokensLabel->setWordWrap(true);
    results->addWidget(tokensLabel);
    m_responseView = new TokenView;
    m_responseView->setObjectName(QStringLiteral("responseTokens"));
    m_responseView->setSelectable(true);
    m_responseView->setPlaceholder(tr("Explain a generation to see its tokens here."));
    results->addWidget(m_responseView);
    auto* spanRow = new QHBoxLayout;
    m_spanLabel = hintLabel();
    m_spanLabel->setObjectName(QStringLiteral("spanLabel"));
    m_explainSpan = new QPushButton(tr("Explain selected tokens"));
    m_explainSpan->setObjectName(QStringLiteral("explainSpanButton"));
    m_explainAll = new QPushButton(tr("Explain whole response"));
    m_explainAll->setObjectName(QStringLiteral("explainAllButton"));
    spanRow->addWidget(m_spanLabel, 1);
    spanRow->addStretch();
    spanRow->addWidget(m_explainSpan);
    spanRow->addWidget(m_explainAll);
    results->addLayout(spanRow);

    auto* filters = new QHBoxLayout;
    m_side = new QComboBox;
    m_side->setObjectName(QStringLiteral("sideCombo"));
    m_side->addItem(tr("Both lists"), static_cast<int>(RankingFilter::Side::Both));
    m_side->addItem(tr("Helpful"), static_cast<int>(RankingFilter::Side::Helpful));
    m_side->addItem(tr("Opposing"), static_cast<int>(RankingFilter::Side::Opposing));
    m_threshold = new QSlider(Qt::Horizontal);
    m_threshold->setObjectName(QStringLiteral("thresholdSlider"));
    m_threshold->setRange(0, 100);
    m_threshold->setMaximumWidth(140);
    m_threshold->setToolTip(tr("Hides examples whose |score| is below this share of the largest one"));
    m_thresholdLabel = new QLabel;
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Search text"));
    m_search->setClearButtonEnabled(true);
    m_split = new QComboBox;
    m_split->setObjectName(QStringLiteral("splitCombo"));
    m_metaKey = new QComboBox;
    m_metaKey->setObjectName(QStringLiteral("metadataKeyCombo"));
    m_metaValue = new QLineEdit;
    m_metaValue->setObjectName(QStringLiteral("metadataValueEdit"));
    m_metaValue->setPlaceholderText(tr("= value, e.g. true"));
    m_metaValue->setMaximumWidth(130);
    // Shown once a cache has metadata, or several splits.
    m_metaKey->setVisible(false);
    m_metaValue->setVisible(false);
    m_split->setVisible(false);
    filters->addWidget(new QLabel(tr("Show:")));
    filters->addWidget(m_side);
    filters->addWidget(new QLabel(tr("|score| ≥")));
    filters->addWidget(m_threshold);
    filters->addWidget(m_thresholdLabel);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_split);
    filters->addWidget(m_metaKey);
    filters->addWidget(m_metaValue);
    results->addLayout(filters);

    m_ranking = new RankingModel(this);
    m_filter = new RankingFilter(this);
    m_filter->setSourceModel(m_ranking);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("rankingTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the engine's order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft |
                                                     Qt::AlignVCenter); // a narrow column keeps its first words
    m_table->horizontalHeader()->setSectionResizeMode(RankingModel::Example, QHeaderView::Stretch);
    m_table->setMinimumHeight(240);
    m_exampleTitle = new QLabel(tr("Click an example to read it with each token's share of its score."));
    m_exampleTitle->setObjectName(QStringLiteral("exampleTitle"));
    m_exampleTitle->setWordWrap(true);
    m_exampleTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exampleScore = hintLabel();
    m_exampleScore->setObjectName(QStringLiteral("exampleScore"));
    m_exampleView = new TokenView;
    m_exampleView->setObjectName(QStringLiteral("exampleTokens"));
    auto* exportRow = new QHBoxLayout;
    m_shownLabel = hintLabel();
    m_shownLabel->setObjectName(QStringLiteral("shownLabel"));
    m_exportCsv = new QPushButton(tr("Export CSV…"));
    m_exportCsv->setObjectName(QStringLiteral("exportRankingCsv"));
    m_exportJson = new QPushButton(tr("Export JSON…"));
    m_exportJson->setObjectName(QStringLiteral("exportRankingJson"));
    for (QPushButton* b : {m_exportCsv, m_exportJson})
        b->setToolTip(tr("Writes the examples shown in the table, in its order"));
    exportRow->addWidget(m_shownLabel, 1);
    exportRow->addStretch();
    exportRow->addWidget(m_exportCsv);
    exportRow->addWidget(m_exportJson);
    // Left: the ranked examples and the one picked; right: the charts of the same attribution.
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addLayout(exportRow);
    leftLayout->addWidget(m_exampleTitle);
    leftLayout->addWidget(m_exampleScore);
    leftLayout->addWidget(m_exampleView);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_heatmap = new InfluenceHeatmap;
    m_heatmap->setObjectName(QStringLiteral("influenceHeatmap"));
    m_histogram = new ScoreHistogram;
    m_histogram->setObjectName(QStringLiteral("scoreHistogram"));
    rightLayout->addWidget(m_heatmap, 3);
    rightLayout->addWidget(m_histogram, 2);
    auto* splitter = m_resultsSplitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({560, 440}); // the table's text needs a little more; scaled to the room there is
    results->addWidget(splitter, 1);
    layout->addWidget(m_resultsBox, 1);

    connect(browseMask, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Mask file"), m_maskEdit->text(), tr("Mask files (*.safetensors)"));
        if (!f.isEmpty())
            m_maskEdit->setText(f);
    });
    connect(chooseCache, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Cache file"), m_cacheEdit->text(),
                                                       tr("Gradient caches (*.db)"), nullptr,
                                                       QFileDialog::DontConfirmOverwrite); // asked before building
        if (!f.isEmpty())
            m_cacheEdit->setText(QFileInfo(f).suffix().isEmpty() ? f + QStringLiteral(".db") : f);
    });
    connect(m_openCache, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open gradient cache"), m_cacheEdit->text(),
                                                       tr("Gradient caches (*.db);;All files (*)"));
        if (!f.isEmpty())
            openCache(f);
    });
    connect(m_buildDemo, &QPushButton::clicked, this, [this] {
        startTask(Task::BuildingData, tr("Building the demo datasets…"));
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker] { w->buildDemoData(); }, Qt::QueuedConnection);
    });
    connect(m_worker, &EngineWorker::demoDataBuilt, this, [this] {
        if (m_task != Task::BuildingData)
            return;
        endTask();
        showText(m_status, QString());
        useDemoData();
    });
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        if (m_task == Task::BuildingData)
            onFailed(message);
    });
    connect(m_worker, &EngineWorker::busyChanged, this, &ExplainPage::setBusy);
    // Any cache setting changes the tracked-set hint, the suggested file and what Build may do.
    const auto settingsChanged = [this] {
        updateTracked();
        suggestCacheFile();
        updateButtons();
    };
    for (QLineEdit* e : {m_dataEdit, m_maskEdit, m_blocks})
        connect(e, &QLineEdit::textChanged, this, settingsChanged);
    connect(m_tracked, &QComboBox::currentIndexChanged, this, settingsChanged);
    connect(m_k, &QSpinBox::valueChanged, this, settingsChanged);
    connect(m_exact, &QCheckBox::toggled, this, settingsChanged);
    connect(m_cacheEdit, &QLineEdit::textChanged, this, [this] {
        m_banner->clear();
        updateTarget();
        updateButtons();
    });
    for (QPlainTextEdit* e : {m_prompt, m_response})
        connect(e, &QPlainTextEdit::textChanged, this, &ExplainPage::updateButtons);
    connect(m_generate, &QCheckBox::toggled, this, &ExplainPage::updateButtons);
    connect(m_buildButton, &QPushButton::clicked, this, &ExplainPage::buildCache);
    connect(m_stop, &QPushButton::clicked, this, [this] { m_worker->requestStop(); });
    connect(m_explain, &QPushButton::clicked, this, &ExplainPage::explain);
    connect(m_reopen, &QPushButton::clicked, this, [this] {
        if (m_savedQueries->currentIndex() >= 0)
            reopenQuery(m_savedQueries->currentData().toLongLong());
    });
    connect(m_responseView, &TokenView::selectionChanged, this, [this] {
        updateSpanLabel();
        updateButtons();
    });
    connect(m_explainSpan, &QPushButton::clicked, this,
            [this] { explainSpan(m_responseView->selectionBegin(), m_responseView->selectionEnd()); });
    connect(m_explainAll, &QPushButton::clicked, this,
            [this] { explainSpan(0, static_cast<int>(m_attribution.responseTokens.size())); });
    connect(m_side, &QComboBox::currentIndexChanged, this, &ExplainPage::applyFilters);
    connect(m_threshold, &QSlider::valueChanged, this, &ExplainPage::applyFilters);
    connect(m_search, &QLineEdit::textChanged, this, &ExplainPage::applyFilters);
    connect(m_split, &QComboBox::currentIndexChanged, this, &ExplainPage::applyFilters);
    connect(m_metaKey, &QComboBox::currentIndexChanged, this, &ExplainPage::applyFilters);
    connect(m_metaValue, &QLineEdit::textChanged, this, &ExplainPage::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    showExample(m_filter->data(current, RankingModel::IdRole).toLongLong());
            });
    connect(m_heatmap, &InfluenceHeatmap::exampleClicked, this, [this](qint64 id) {
        const int row = m_ranking->rowOf(id);
        const QModelIndex shown = row >= 0 ? m_filter->mapFromSource(m_ranking->index(row, 0)) : QModelIndex();
        if (shown.isValid())
            m_table->setCurrentIndex(shown); // shows it, through the selection
        else
            showExample(id);
    });
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { chooseExport(false); });
    connect(m_exportJson, &QPushButton::clicked, this, [this] { chooseExport(true); });

    newSession();

    showText(m_status, QString());
    showText(m_templateHint, QString());
    useDemoData();
    clearResults();
    showCacheInfo();
    updateTracked();
    updateButtons();
}

ExplainPage::~ExplainPage() = default;

void ExplainPage::resizeEvent(QResizeEvent* event)
{
    arrangeSideBySide(m_top, this, m_cacheBox, m_queryBox, event);
    // The table and the charts side by side where both have room, the charts below in a narrow window.
    const int available =
        parentWidget() ? std::min(parentWidget()->width(), event->size().width()) : event->size().width();
    m_resultsSplitter->setOrientation(available < kSideBySideResults ? Qt::Vertical : Qt::Horizontal);
    QWidget::resizeEvent(event);
}

void ExplainPage::setModel(const ModelSummary& summary)
{
    const bool changed = summary.path != m_model.path;
    m_model = summary;
    m_modelLabel->setText(tr("%1 — the model loaded on the Model page").arg(modelTitle(summary)));
    m_modelLabel->setToolTip(summary.path);
    if (changed) {
        // The mask used with this model on the Prepare page; a 4-bit model carries S itself.
        const QString mask = summary.format.isEmpty() ? PreparePage::rememberedMask(summary.path) : QString();
        m_maskEdit->setText(QFileInfo::exists(mask) ? mask : QString());
        const bool hasS = summary.sparseEntries > 0 || !m_maskEdit->text().isEmpty();
        m_tracked->setCurrentIndex(m_tracked->findData(hasS ? QStringLiteral("sparse") : QStringLiteral("blocks")));
        // The last layer by default: its gradient is the most specific to the output, and the smallest to take.
        m_blocks->setText(QString::number(std::max<qint64>(0, summary.layers - 1)));
        if (!m_info.file.empty())
            closeCache(tr("Another model was loaded: open the cache again to use it with this one."));
    }
    updateTracked();
    suggestCacheFile();
    updateButtons();
}

void ExplainPage::setQuery(const QString& prompt, const QString& response, bool rawPrompt)
{
    m_prompt->setPlainText(prompt);
    m_response->setPlainText(response);
    m_rawPrompt->setChecked(rawPrompt);
    m_generate->setChecked(false);
    updateButtons();
}

void ExplainPage::useDemoData()
{
    const bool ready = EngineWorker::demoDataReady();
    m_buildDemo->setVisible(!ready);
    const QString instruct = QDir(EngineWorker::demoDataPath()).filePath(QStringLiteral("instruct"));
    if (ready && m_dataEdit->text().isEmpty() && QFileInfo(instruct).isDir())
        m_dataEdit->setText(instruct);
}

void ExplainPage::chooseDataset(bool folder)
{
    const QString start = m_dataEdit->text().isEmpty() ? QDir::homePath() : m_dataEdit->text();
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Dataset folder"), start)
                                : QFileDialog::getOpenFileName(this, tr("Dataset file"), start,
                                                               tr("Datasets (*.jsonl *.json *.csv *.tsv)"));
    if (!path.isEmpty())
        m_dataEdit->setText(path);
}

QString ExplainPage::expandPath(const QString& typed)
{
    QString path = typed.trimmed();
    if (path == QStringLiteral("~") || path.startsWith(QStringLiteral("~/")))
        path = QDir::homePath() + path.mid(1);
    return path.isEmpty() ? QString() : QDir::cleanPath(path);
}

void ExplainPage::updateTracked()
{
    const bool blocks = m_tracked->currentData().toString() == QStringLiteral("blocks");
    m_blocks->setVisible(blocks);
    const qint64 perLayer = m_model.layers > 0 ? m_model.linearEntries / m_model.layers : 0;
    qint64 dimension = 0; // D, where the page can know it
    QString what;
    if (blocks) {
        const auto chosen = parseBlocks(m_blocks->text(), m_model.layers);
        dimension = perLayer * static_cast<qint64>(chosen.size());
        what = chosen.empty() ? tr("Type layer numbers from 0 to %1.").arg(std::max<qint64>(0, m_model.layers - 1))
                              : tr("Every weight of the q, k, v, o, gate, up and down projections of layer(s) %1.")
                                    .arg(blocksText(chosen));
    } else if (m_model.sparseEntries > 0) {
        dimension = m_model.sparseEntries;
        what = tr("The weights this 4-bit model keeps exact: what sparse fine-tuning changes.");
    } else if (!m_maskEdit->text().trimmed().isEmpty()) {
        what = tr("The mask's weights; the model is quantized to 4 bits in memory, as for fine-tuning.");
    } else {
        what = m_model.format.isEmpty()
                   ? tr("A full-precision model has no S: choose a mask, or the weights of some layers.")
                   : tr("This 4-bit model has no S: choose the weights of some layers.");
    }
    const qint64 stored = m_exact->isChecked() || (dimension > 0 && dimension <= m_k->value())
                              ? dimension
                              : static_cast<qint64>(m_k->value());
    if (dimension > 0)
        what += QLatin1Char(' ') + tr("D = %1 gradient entries per example; %2 stored per example.")
                                       .arg(number(dimension), bytesText(static_cast<quint64>(stored) * 2));
    m_trackedHint->setText(what);
}

void ExplainPage::suggestCacheFile()
{
    if (m_task != Task::None)
        return;
    if (!m_cacheEdit->text().isEmpty() && m_cacheEdit->text() != m_suggestedCache)
        return; // the user's own choice
    const QString dataPath = expandPath(m_dataEdit->text());
    if (dataPath.isEmpty() || m_model.path.isEmpty())
        return;
    const QString demoInstruct = QDir(EngineWorker::demoDataPath()).filePath(QStringLiteral("instruct"));
    const QString dataName = QFileInfo(dataPath).absoluteFilePath() == QFileInfo(demoInstruct).absoluteFilePath()
                                 ? QStringLiteral("demo-instruct")
                                 : QFileInfo(dataPath).completeBaseName();
    const QString modelName = m_model.isDemo ? QStringLiteral("demo-model") : QFileInfo(m_model.path).fileName();
    const bool blocks = m_tracked->currentData().toString() == QStringLiteral("blocks");
    QString tracked = QStringLiteral("sparse");
    if (blocks) {
        QStringList parts;
        for (int b : parseBlocks(m_blocks->text(), m_model.layers))
            parts << QString::number(b);
        tracked = QStringLiteral("layers") + parts.join(QLatin1Char('-'));
    }
    const QString k = m_exact->isChecked() ? QStringLiteral("exact") : QStringLiteral("k%1").arg(m_k->value());
    // The same model, data and settings name the same file: building again continues or reuses it.
    m_suggestedCache = QDir(QDir::home().filePath(QStringLiteral("ZeroLens/caches")))
                           .filePath(QStringLiteral("%1_%2_%3_%4.db").arg(modelName, dataName, tracked, k));
    m_cacheEdit->setText(m_suggestedCache);
}

void ExplainPage::updateTarget()
{
    const QString path = expandPath(m_cacheEdit->text());
    QString text;
    if (!path.isEmpty() && QDir::isRelativePath(path)) {
        text = tr("Type a full path (starting with /), or use Choose….");
    } else if (!path.isEmpty()) {
        const auto check = EngineWorker::checkTarget(path, false, m_model.path, {expandPath(m_dataEdit->text())},
                                                     QStringLiteral("cache file"));
        if (!check.refusal.isEmpty())
            text = tr("Cannot be used: %1").arg(plainError(check.refusal).text);
        else if (check.needsConfirmation)
            text = tr("%1 exists (%2). A cache of this model, dataset and settings there is continued or reused; "
                      "you will be asked before anything else is replaced.")
                       .arg(path, check.contents);
        else
            text = tr("Creates %1, with the vectors in %2 beside it.")
                       .arg(path, QFileInfo(path).fileName() + QStringLiteral(".vectors"));
    }
    showText(m_targetHint, text);
}

QString ExplainPage::buildProblem() const
{
    if (m_model.path.isEmpty())
        return tr("Open a model on the Model page first.");
    const QString dataPath = expandPath(m_dataEdit->text());
    if (dataPath.isEmpty())
        return tr("Choose a dataset.");
    if (!QFileInfo::exists(dataPath))
        return tr("%1 does not exist.").arg(dataPath);
    const bool blocks = m_tracked->currentData().toString() == QStringLiteral("blocks");
    const QString mask = expandPath(m_maskEdit->text());
    if (blocks) {
        if (parseBlocks(m_blocks->text(), m_model.layers).empty())
            return tr("Type the layers whose weights to track, from 0 to %1 (e.g. %1).")
                .arg(std::max<qint64>(0, m_model.layers - 1));
    } else if (m_model.format.isEmpty()) {
        if (mask.isEmpty())
            return tr("The sparse set S of a full-precision model comes from a mask: choose one (Prepare page), or "
                      "track the weights of some layers.");
        if (!QFileInfo(mask).isFile())
            return tr("The mask %1 does not exist.").arg(mask);
    } else if (m_model.sparseEntries <= 0) {
        return tr("This 4-bit model has no S: track the weights of some layers.");
    }
    const QString cache = expandPath(m_cacheEdit->text());
    if (cache.isEmpty())
        return tr("Choose a cache file.");
    if (QDir::isRelativePath(cache))
        return tr("Type a full path for the cache file (starting with /), or use Choose….");
    const auto check =
        EngineWorker::checkTarget(cache, false, m_model.path, {dataPath, mask}, QStringLiteral("cache file"));
    if (!check.refusal.isEmpty())
        return tr("The cache file cannot be used: %1").arg(plainError(check.refusal).text);
    return QString();
}

QString ExplainPage::queryProblem() const
{
    if (m_info.file.empty())
        return tr("Build or open a cache first (1.).");
    if (m_prompt->toPlainText().trimmed().isEmpty())
        return tr("Type a prompt.");
    if (!m_generate->isChecked() && m_response->toPlainText().isEmpty())
        return tr("Type the response to explain, or let the model generate it.");
    return QString();
}

InfluenceModel ExplainPage::influenceModel() const
{
    InfluenceModel m;
    m.dir = m_model.path.toStdString();
    if (m_tracked->currentData().toString() == QStringLiteral("sparse") && m_model.format.isEmpty())
        m.mask = expandPath(m_maskEdit->text()).toStdString();
    m.device = m_model.device.isEmpty() ? std::string("cpu") : m_model.device.toStdString();
    return m;
}

CacheBuildOptions ExplainPage::buildOptions() const
{
    CacheBuildOptions o;
    o.model = influenceModel();
    o.data.path = expandPath(m_dataEdit->text()).toStdString();
    if (m_tracked->currentData().toString() == QStringLiteral("blocks")) {
        o.gradient.tracked = "blocks";
        o.gradient.blocks = parseBlocks(m_blocks->text(), m_model.layers);
    }
    o.gradient.k = m_k->value();
    o.gradient.exact = m_exact->isChecked();
    o.out = expandPath(m_cacheEdit->text()).toStdString();
    return o;
}

void ExplainPage::startTask(Task task, const QString& status)
{
    m_task = task;
    m_banner->clear();
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    if (!status.isEmpty()) // a quick job keeps the line of the last one
        showText(m_status, status);
    updateButtons();
}

void ExplainPage::endTask()
{
    m_task = Task::None;
    m_progress->setVisible(false);
    updateTarget(); // the cache file may exist now
    updateButtons();
}

void ExplainPage::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

bool ExplainPage::buildCache()
{
    if (m_task != Task::None || !buildProblem().isEmpty())
        return false;
    CacheBuildOptions o = buildOptions();
    const QString path = QString::fromStdString(o.out.string());
    m_cacheEdit->setText(path);
    const auto check = EngineWorker::checkTarget(
        path, false, m_model.path, {QString::fromStdString(o.data.path.string())}, QStringLiteral("cache file"));
    if (check.needsConfirmation) {
        if (!m_confirmReplace(path, check.contents)) {
            showText(m_status, tr("Nothing was built: %1 is unchanged.").arg(path));
            return false;
        }
        o.overwrite = true;
    }
    if (o.out.has_parent_path())
        QDir().mkpath(QString::fromStdString(o.out.parent_path().string()));
    m_buildJob = QSharedPointer<CacheBuildJob>(new CacheBuildJob(std::move(o)), &QObject::deleteLater);
    CacheBuildJob* job = m_buildJob.data();
    connect(job, &CacheBuildJob::progress, this, &ExplainPage::showProgress);
    connect(job, &CacheBuildJob::log, this, &ExplainPage::onBuildLog);
    connect(job, &CacheBuildJob::finished, this, &ExplainPage::onBuilt);
    connect(job, &CacheBuildJob::cancelled, this, &ExplainPage::onCancelled);
    connect(job, &CacheBuildJob::failed, this, &ExplainPage::onFailed);
    closeCache(QString());
    m_dataWarnings.clear();
    startTask(Task::Building, tr("Reading the dataset and preparing the model…"));
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, j = m_buildJob] {
            w->runTask([j](std::stop_token stop, const std::shared_ptr<const Model>& model) { j->run(stop, model); });
        },
        Qt::QueuedConnection);
    return true;
}

void ExplainPage::openCache(const QString& file)
{
    if (m_task != Task::None || m_model.path.isEmpty())
        return;
    closeCache(QString());
    m_cacheEdit->setText(file);
    startTask(Task::Opening, tr("Opening %1…").arg(file));
    const InfluenceModel model = influenceModel();
    const std::filesystem::path cache = file.toStdString();
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, s = m_session, model, cache] {
            w->runTask([&](std::stop_token stop, const std::shared_ptr<const Model>& loaded) {
                s->open(stop, loaded, model, cache);
            });
        },
        Qt::QueuedConnection);
}

void ExplainPage::showProgress(const QString& stage, qint64 done, qint64 total, double eta, double rate)
{
    if (m_task == Task::None)
        return;
    if (total > 0) {
        m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, INT_MAX)));
        m_progress->setValue(static_cast<int>(std::min<qint64>(done, INT_MAX)));
    } else {
        m_progress->setRange(0, 0);
    }
    QString text = total > 0 ? tr("%1: %2 of %3").arg(stage, number(done), number(total)) : stage;
    if (rate > 0)
        text += QStringLiteral(" · ") + tr("%1 examples/s").arg(QLocale().toString(rate, 'f', 1));
    if (eta >= 0 && done < total)
        text += QStringLiteral(" · ") + tr("about %1 left").arg(durationText(eta));
    showText(m_status, text);
}

void ExplainPage::onBuildLog(int level, const QString& text)
{
    if (level == static_cast<int>(LogLevel::Warning))
        m_dataWarnings << text;
    else if (level == static_cast<int>(LogLevel::Info))
        showText(m_status, text);
}

void ExplainPage::onBuilt(const CacheBuildResult& r)
{
    m_buildJob.reset();
    endTask();
    openCache(QString::fromStdString(r.info.file.string()));
    if (r.computed == 0)
        m_builtText = tr("All %Ln example(s) were cached already.", nullptr, static_cast<int>(r.resumed));
    else if (r.resumed == 0)
        m_builtText =
            tr("Cached %Ln example(s) in %1.", nullptr, static_cast<int>(r.computed)).arg(durationText(r.seconds));
    else
        m_builtText =
            tr("Cached %Ln more example(s) in %1; %2 were cached already.", nullptr, static_cast<int>(r.computed))
                .arg(durationText(r.seconds), number(r.resumed));
    if (!m_dataWarnings.isEmpty())
        m_banner->showMessage(
            MessageBanner::Kind::Warning,
            tr("%Ln row(s) of the dataset were skipped", nullptr, static_cast<int>(m_dataWarnings.size())),
            tr("They could not be read as examples; the cache holds the other %1.").arg(number(r.info.examples)),
            m_dataWarnings.mid(0, 50).join(QLatin1Char('\n')));
}

void ExplainPage::onOpened(const CacheInfo& info, const std::vector<Attributor::SavedQuery>& saved)
{
    m_info = info;
    endTask();
    showText(m_status, m_builtText); // what the build just did, if it led here
    m_builtText.clear();
    showCacheInfo();
    showSavedQueries(saved);
    clearResults();
    // Whether a typed prompt is wrapped in the examples' template.
    const QString templ = QString::fromStdString(info.promptTemplate);
    static const QRegularExpression field(QStringLiteral("\\{[^{}]+\\}"));
    const QString firstField = field.match(templ).captured(0);
    showText(m_templateHint, templ.isEmpty()
                                 ? tr("The cache's examples use their prompts as written; so does yours.")
                                 : tr("Your prompt fills %1 of the examples' prompt template (hover to see it), unless "
                                      "Raw is ticked.")
                                       .arg(firstField.isEmpty() ? tr("the place") : firstField));
    m_templateHint->setToolTip(templ);
    m_metaKey->clear();
    m_metaKey->addItem(tr("Any metadata"), QString());
    for (const auto& key : info.metadataKeys)
        m_metaKey->addItem(QString::fromStdString(key), QString::fromStdString(key));
    m_metaKey->setVisible(!info.metadataKeys.empty());
    m_metaValue->setVisible(!info.metadataKeys.empty());
    updateButtons();
    Q_EMIT cacheOpened(QString::fromStdString(info.file.string()));
}

void ExplainPage::showCacheInfo()
{
    if (m_info.file.empty()) {
        m_cacheLabel->setText(tr("No cache is open."));
        return;
    }
    const auto& g = m_info.gradient;
    const QString tracked = g.tracked == "blocks" ? tr("all linear weights of layer(s) %1").arg(blocksText(g.blocks))
                                                  : tr("the sparse set S");
    const QString stored =
        m_info.compressed
            ? tr("compressed from D = %1 to K = %2").arg(number(m_info.dimension), number(m_info.vectorLength))
            : tr("stored exactly (D = %1, not compressed)").arg(number(m_info.dimension));
    QString text = tr("<b>%1</b>: %2 examples, %3 on disk. Gradients of %4, %5.")
                       .arg(QFileInfo(QString::fromStdString(m_info.file.string())).fileName().toHtmlEscaped(),
                            number(m_info.examples), bytesText(m_info.bytesOnDisk), tracked, stored);
    if (!m_info.complete())
        text += QLatin1Char(' ') + tr("Only %1 of them are cached.").arg(number(m_info.cached));
    m_cacheLabel->setText(text);
    m_cacheLabel->setToolTip(QString::fromStdString(m_info.file.string()));
}

void ExplainPage::showSavedQueries(const std::vector<Attributor::SavedQuery>& saved)
{
    const QSignalBlocker block(m_savedQueries);
    m_savedQueries->clear();
    // Newest first.
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        const QDateTime created = QDateTime::fromString(QString::fromStdString(it->created), Qt::ISODate);
        QString text =
            QStringLiteral("%1 · %2 → %3")
                .arg(created.isValid() ? QLocale().toString(created.toLocalTime(), QLocale::ShortFormat)
                                       : QString::fromStdString(it->created),
                     snippet(promptFilling(m_info.promptTemplate, it->prompt), 40), snippet(it->response, 40));
        m_savedQueries->addItem(text, static_cast<qlonglong>(it->id));
        m_savedQueries->setItemData(m_savedQueries->count() - 1,
                                    QStringLiteral("%1\n→ %2 (tokens %3–%4)")
                                        .arg(QString::fromStdString(it->prompt), QString::fromStdString(it->response))
                                        .arg(it->spanBegin)
                                        .arg(it->spanEnd),
                                    Qt::ToolTipRole);
    }
    m_savedQueries->setPlaceholderText(tr("None yet"));
    // An empty list shows "None yet"; a filled one starts at the newest query.
    m_savedQueries->setCurrentIndex(m_savedQueries->count() > 0 ? 0 : -1);
}

void ExplainPage::closeCache(const QString& why)
{
    if (m_info.file.empty())
        return;
    newSession();
    m_info = CacheInfo();
    showSavedQueries({});
    showText(m_templateHint, QString());
    clearResults();
    showCacheInfo();
    if (!why.isEmpty())
        showText(m_status, why);
    if (m_task == Task::Opening || m_task == Task::Explaining || m_task == Task::Example || m_task == Task::Reopening)
        endTask(); // its answer went with the old session
    updateButtons();
}

void ExplainPage::newSession()
{
    // The old session, with its attributor, goes once no queued task holds it;
    // what it still reports is no longer this page's business.
    if (m_session)
        disconnect(m_session.data(), nullptr, this, nullptr);
    m_session = QSharedPointer<ExplainSession>(new ExplainSession, &QObject::deleteLater);
    connect(m_session.data(), &ExplainSession::progress, this,
            [this](const QString& stage, qint64 done, qint64 total, double eta) {
                showProgress(stage, done, total, eta, -1.0);
            });
    connect(m_session.data(), &ExplainSession::opened, this, &ExplainPage::onOpened);
    connect(m_session.data(), &ExplainSession::attributed, this, &ExplainPage::onAttributed);
    connect(m_session.data(), &ExplainSession::exampleTokensReady, this, &ExplainPage::onExampleTokens);
    connect(m_session.data(), &ExplainSession::cancelled, this, &ExplainPage::onCancelled);
    connect(m_session.data(), &ExplainSession::failed, this, &ExplainPage::onFailed);
}

void ExplainPage::clearResults()
{
    m_attribution = Attribution();
    m_example = ExampleTokens();
    m_responseView->setTokens({});
    m_ranking->clear();
    m_exampleTitle->setText(tr("Click an example to read it with each token's share of its score."));
    showText(m_exampleScore, QString());
    m_exampleView->setTokens({});
    m_exampleView->setPlaceholder(QString());
    m_heatmap->clear(tr("After Explain: each response token's influence on each listed example."));
    m_histogram->setScores({});
    m_scoreScale = 0.0;
    {
        const QSignalBlocker block(m_split);
        m_split->clear();
        m_split->addItem(tr("All splits"), QString());
    }
    updateSpanLabel();
    applyFilters();
}

bool ExplainPage::explain()
{
    if (!queryProblem().isEmpty())
        return false;
    InfluenceQuery q;
    q.prompt = m_prompt->toPlainText().toStdString();
    q.rawPrompt = m_rawPrompt->isChecked();
    q.generate = m_generate->isChecked();
    q.response = q.generate ? std::string() : m_response->toPlainText().toStdString();
    q.maxNewTokens = m_maxNewTokens->value();
    return runQuery(std::move(q));
}

bool ExplainPage::explainSpan(int begin, int end)
{
    if (m_attribution.responseTokens.empty() || begin < 0 || end <= begin ||
        end > static_cast<int>(m_attribution.responseTokens.size()))
        return false;
    InfluenceQuery q = m_query;
    q.response = m_attribution.response; // what was explained, generated or typed
    q.generate = false;
    const bool whole = begin == 0 && end == static_cast<int>(m_attribution.responseTokens.size());
    q.spanBegin = whole ? -1 : begin;
    q.spanEnd = whole ? -1 : end;
    return runQuery(std::move(q));
}

bool ExplainPage::runQuery(InfluenceQuery query)
{
    if (m_task != Task::None || m_info.file.empty())
        return false;
    m_wantedExample = 0;
    query.top = m_listed->value();
    query.tokenwise = true;
    query.save = true; // a saved query is what per-token views of an example need
    m_query = query;
    startTask(Task::Explaining,
              query.generate ? tr("Generating the response, then ranking the examples…") : tr("Ranking the examples…"));
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, s = m_session, query] {
            w->runTask([&](std::stop_token stop, const std::shared_ptr<const Model>&) { s->attribute(stop, query); });
        },
        Qt::QueuedConnection);
    return true;
}

bool ExplainPage::reopenQuery(qint64 queryId)
{
    if (m_task != Task::None || m_info.file.empty())
        return false;
    m_wantedExample = 0;
    startTask(Task::Reopening, tr("Ranking the examples for the saved query…"));
    const qint64 top = m_listed->value();
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, s = m_session, queryId, top] {
            w->runTask(
                [&](std::stop_token stop, const std::shared_ptr<const Model>&) { s->reopen(stop, queryId, top); });
        },
        Qt::QueuedConnection);
    return true;
}

void ExplainPage::onAttributed(const Attribution& a, const std::vector<Attributor::SavedQuery>& saved)
{
    const bool reopened = m_task == Task::Reopening;
    endTask();
    m_attribution = a;
    m_example = ExampleTokens();
    showSavedQueries(saved);
    const int count = static_cast<int>(a.responseTokens.size());
    QStringList tokens;
    for (const auto& t : a.responseTokens)
        tokens << QString::fromStdString(t);
    m_responseView->setTokens(tokens);
    const bool whole = a.spanBegin <= 0 && a.spanEnd >= count;
    if (!whole)
        m_responseView->setSelection(static_cast<int>(a.spanBegin), static_cast<int>(a.spanEnd));
    // What a span rerun sends: the model's input and the response as explained now.
    m_query.prompt = a.prompt;
    m_query.rawPrompt = true;
    m_query.response = a.response;
    m_query.generate = false;
    if (reopened)
        setQuery(QString::fromStdString(a.prompt), QString::fromStdString(a.response), true);
    else if (m_generate->isChecked())
        m_response->setPlainText(QString::fromStdString(a.response));

    m_ranking->setAttribution(a, m_info.promptTemplate);
    std::set<QString> splits;
    for (const RankingRow& r : m_ranking->rows())
        splits.insert(r.split);
    {
        const QSignalBlocker block(m_split);
        const QString current = m_split->currentData().toString();
        m_split->clear();
        m_split->addItem(tr("All splits"), QString());
        for (const QString& s : splits)
            m_split->addItem(s, s);
        m_split->setCurrentIndex(std::max(0, m_split->findData(current)));
        m_split->setVisible(splits.size() > 1);
        m_table->setColumnHidden(RankingModel::Split, splits.size() <= 1); // one split says nothing
    }
    m_scoreScale = 0.0;
    for (float s : a.scores)
        if (std::isfinite(s))
            m_scoreScale = std::max(m_scoreScale, static_cast<double>(std::abs(s)));
    m_histogram->setScores(a.scores);
    QVector<qint64> ids(a.columnIds.begin(), a.columnIds.end());
    m_heatmap->setData(tokens, a.tokenScores, ids, static_cast<int>(a.helpful.size()));
    applyFilters();
    updateSpanLabel();
    showText(m_status, tr("Ranked %1 examples in %2 s (%3 GB/s).")
                           .arg(number(static_cast<qint64>(a.scores.size())),
                                QLocale().toString(a.scoringSeconds, 'f', 2), QLocale().toString(a.scanGBps, 'f', 1)));
    Q_EMIT attributionShown(a.queryId);
    // The most helpful example at once: a first answer without another click.
    if (m_filter->rowCount() > 0)
        m_table->setCurrentIndex(m_filter->index(0, 0));
}

void ExplainPage::showExample(qint64 exampleId)
{
    if (m_attribution.queryId <= 0 || exampleId <= 0)
        return;
    m_wantedExample = exampleId;
    if (m_task != Task::None)
        return; // shown when the example being read has arrived (onExampleTokens)
    startTask(Task::Example, QString());
    const qint64 queryId = m_attribution.queryId;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, s = m_session, queryId, exampleId] {
            w->runTask([&](std::stop_token stop, const std::shared_ptr<const Model>&) {
                s->exampleTokens(stop, queryId, exampleId);
            });
        },
        Qt::QueuedConnection);
}

void ExplainPage::onExampleTokens(qint64 queryId, const ExampleTokens& t)
{
    endTask();
    if (queryId != m_attribution.queryId)
        return; // for a query no longer shown
    m_example = t;
    const CachedExample& e = t.example;
    const int row = m_ranking->rowOf(e.id);
    const QString place = row >= 0
                              ? (m_ranking->rows()[row].helpful ? tr("helpful #%1").arg(m_ranking->rows()[row].rank)
                                                                : tr("opposing #%1").arg(m_ranking->rows()[row].rank))
                              : QString();
    m_exampleTitle->setText(tr("<b>Example %1</b> %2 · %3:%4 · %5")
                                .arg(e.id)
                                .arg(place.isEmpty() ? QString() : QStringLiteral("(%1)").arg(place))
                                .arg(QFileInfo(QString::fromStdString(e.source)).fileName().toHtmlEscaped())
                                .arg(e.line)
                                .arg(QString::fromStdString(e.split)));
    QString scores = tr("Score %1 · Σ token scores %2").arg(scoreText(t.score), scoreText(t.tokenSum));
    if (!e.metadata.empty() && e.metadata != "{}")
        scores += QStringLiteral(" · ") + QString::fromStdString(e.metadata);
    showText(m_exampleScore,
             scores + QLatin1Char('\n') + tr("Orange tokens push the score up, blue ones down; hover for the value."));
    QStringList tokens;
    for (const auto& s : t.tokens)
        tokens << QString::fromStdString(s);
    m_exampleView->setTokens(tokens);
    m_exampleView->setScores(QVector<float>(t.tokenScores.begin(), t.tokenScores.end()));
    m_exampleView->setDivider(static_cast<int>(t.responseStart), tr("response ▸"));
    m_heatmap->setCurrentExample(e.id);
    updateResponseColours();
    Q_EMIT exampleShown(e.id);
    if (m_wantedExample > 0 && m_wantedExample != e.id) // another row was clicked meanwhile
        showExample(m_wantedExample);
}

void ExplainPage::updateResponseColours()
{
    // The response's tokens coloured by the shown example's influence on each.
    const auto column = std::find(m_attribution.columnIds.begin(), m_attribution.columnIds.end(), m_example.example.id);
    if (column == m_attribution.columnIds.end() ||
        m_attribution.tokenScores.size() != m_attribution.responseTokens.size()) {
        m_responseView->setScores({});
        return;
    }
    const auto c = static_cast<std::size_t>(column - m_attribution.columnIds.begin());
    QVector<float> scores;
    for (const auto& row : m_attribution.tokenScores)
        scores << (c < row.size() ? row[c] : 0.0f);
    m_responseView->setScores(scores);
}

void ExplainPage::onCancelled()
{
    const bool building = m_task == Task::Building;
    m_buildJob.reset();
    endTask();
    showText(m_status, building ? tr("Stopped. The examples cached so far are kept; Build continues from there.")
                                : tr("Stopped."));
}

void ExplainPage::onFailed(const QString& message)
{
    const Task task = m_task;
    m_buildJob.reset();
    m_builtText.clear();
    endTask();
    showText(m_status, QString());
    QString title;
    switch (task) {
    case Task::BuildingData:
        title = tr("Could not build the demo datasets");
        break;
    case Task::Building:
        title = tr("Could not build the cache");
        break;
    case Task::Opening:
        title = tr("Could not open the cache %1").arg(m_cacheEdit->text());
        break;
    case Task::Explaining:
        title = tr("Could not explain the generation");
        break;
    case Task::Example:
        title = tr("Could not read the example");
        break;
    case Task::Reopening:
        title = tr("Could not show the saved query");
        break;
    case Task::None:
        return;
    }
    m_banner->showError(title, message);
}

void ExplainPage::applyFilters()
{
    const double fraction = m_threshold->value() / 100.0;
    const double threshold = fraction * m_scoreScale;
    m_filter->setSide(static_cast<RankingFilter::Side>(m_side->currentData().toInt()));
    m_filter->setThreshold(threshold);
    m_filter->setText(m_search->text());
    m_filter->setSplit(m_split->currentData().toString());
    m_filter->setMetadata(m_metaKey->currentData().toString(), m_metaValue->text());
    m_metaValue->setEnabled(!m_metaKey->currentData().toString().isEmpty());
    m_histogram->setThreshold(threshold);
    m_thresholdLabel->setText(m_scoreScale > 0 ? scoreText(threshold)
                                               : QStringLiteral("%1 %").arg(m_threshold->value()));
    const int shown = m_filter->rowCount(), listed = m_ranking->rowCount();
    showText(m_shownLabel, listed == 0 ? QString()
                                       : tr("Showing %1 of %2 listed examples (the most helpful and opposing of %3).")
                                             .arg(shown)
                                             .arg(listed)
                                             .arg(number(static_cast<qint64>(m_attribution.scores.size()))));
    updateButtons();
}

void ExplainPage::updateSpanLabel()
{
    const int count = static_cast<int>(m_attribution.responseTokens.size());
    if (count == 0) {
        showText(m_spanLabel, QString());
        return;
    }
    const int b = m_responseView->selectionBegin(), e = m_responseView->selectionEnd();
    const bool whole = m_attribution.spanBegin <= 0 && m_attribution.spanEnd >= count;
    QString text = whole ? tr("Explained: the whole response (%Ln token(s)).", nullptr, count)
                         : tr("Explained: tokens %1–%2 of %3.")
                               .arg(m_attribution.spanBegin + 1)
                               .arg(m_attribution.spanEnd)
                               .arg(count);
    if (e > b && (b != m_attribution.spanBegin || e != m_attribution.spanEnd))
        text += QLatin1Char(' ') + tr("Selected: tokens %1–%2.").arg(b + 1).arg(e);
    showText(m_spanLabel, text);
}

void ExplainPage::updateButtons()
{
    const bool idle = m_task == Task::None && !m_busy;
    const QString build = buildProblem();
    m_buildButton->setEnabled(idle && build.isEmpty());
    m_buildButton->setToolTip(build);
    showText(m_buildHint, m_task == Task::None ? build : QString());
    m_openCache->setEnabled(idle && !m_model.path.isEmpty());
    m_stop->setEnabled(m_task == Task::Building || m_task == Task::Opening || m_task == Task::Explaining);
    m_stop->setVisible(m_task != Task::None);
    // The cache's settings stay as they were while it is built or opened.
    for (QWidget* w : std::initializer_list<QWidget*>{m_dataEdit, m_tracked, m_blocks, m_k, m_cacheEdit})
        w->setEnabled(m_task == Task::None);
    m_exact->setEnabled(m_task == Task::None);
    m_k->setEnabled(m_task == Task::None && !m_exact->isChecked());
    m_maskEdit->setEnabled(m_task == Task::None && m_tracked->currentData().toString() == QStringLiteral("sparse") &&
                           m_model.format.isEmpty());
    m_targetHint->setVisible(m_task == Task::None && !m_targetHint->text().isEmpty());
    for (QPushButton* b : std::as_const(m_browseButtons))
        b->setEnabled(m_task == Task::None);
    m_browseMask->setEnabled(m_task == Task::None && m_maskEdit->isEnabled());
    m_buildDemo->setEnabled(idle);
    const QString query = queryProblem();
    m_explain->setEnabled(idle && query.isEmpty());
    m_explain->setToolTip(query);
    showText(m_queryHint, m_info.file.empty() || m_task != Task::None ? QString() : query);
    m_response->setReadOnly(m_generate->isChecked());
    m_maxNewTokens->setEnabled(m_generate->isChecked());
    const int count = static_cast<int>(m_attribution.responseTokens.size());
    const int b = m_responseView->selectionBegin(), e = m_responseView->selectionEnd();
    const bool span = e > b && (b != m_attribution.spanBegin || e != m_attribution.spanEnd);
    m_explainSpan->setVisible(count > 0);
    m_explainAll->setVisible(count > 0);
    m_explainSpan->setEnabled(idle && count > 0 && span);
    m_explainAll->setEnabled(idle && count > 0 && (m_attribution.spanBegin > 0 || m_attribution.spanEnd < count));
    m_reopen->setEnabled(idle && m_savedQueries->count() > 0);
    m_exportCsv->setEnabled(m_filter->rowCount() > 0);
    m_exportJson->setEnabled(m_filter->rowCount() > 0);
}

QJsonObject ExplainPage::queryJson() const
{
    return QJsonObject{{QStringLiteral("cache"), QString::fromStdString(m_info.file.string())},
                       {QStringLiteral("model"), m_model.path},
                       {QStringLiteral("query_id"), static_cast<qint64>(m_attribution.queryId)},
                       {QStringLiteral("prompt"), QString::fromStdString(m_attribution.prompt)},
                       {QStringLiteral("response"), QString::fromStdString(m_attribution.response)},
                       {QStringLiteral("span_begin"), static_cast<qint64>(m_attribution.spanBegin)},
                       {QStringLiteral("span_end"), static_cast<qint64>(m_attribution.spanEnd)},
                       {QStringLiteral("examples_scored"), static_cast<qint64>(m_attribution.scores.size())},
                       {QStringLiteral("min_abs_score"), m_threshold->value() / 100.0 * m_scoreScale}};
}

bool ExplainPage::exportRows(const QString& file, bool json)
{
    QString error;
    const auto rows = m_filter->shownRows();
    const bool ok = json ? writeRankingJson(file, queryJson(), rows, &error) : writeRankingCsv(file, rows, &error);
    if (ok)
        showText(m_status, tr("Wrote %Ln example(s) to %1.", nullptr, static_cast<int>(rows.size())).arg(file));
    else
        m_banner->showMessage(MessageBanner::Kind::Error, tr("Could not write %1").arg(file), error);
    return ok;
}

bool ExplainPage::exportCsv(const QString& file)
{
    return exportRows(file, false);
}

bool ExplainPage::exportJson(const QString& file)
{
    return exportRows(file, true);
}

void ExplainPage::chooseExport(bool json)
{
    // The dialog adds the suffix itself, so its overwrite question names the real file.
    QFileDialog dialog(this, json ? tr("Export ranking as JSON") : tr("Export ranking as CSV"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setFileMode(QFileDialog::AnyFile);
    dialog.setDefaultSuffix(json ? QStringLiteral("json") : QStringLiteral("csv"));
    dialog.setNameFilter(json ? tr("JSON files (*.json)") : tr("CSV files (*.csv)"));
    dialog.setDirectory(QDir::homePath());
    dialog.selectFile(QStringLiteral("ranking-query-%1").arg(m_attribution.queryId));
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        exportRows(dialog.selectedFiles().front(), json);
}

} // namespace zl::ui
