#include "pages/demo_data_dialog.h"

#include <QAbstractTableModel>
#include <QCheckBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace zl::ui {

namespace {

// One dataset as a table: a row number, a "Backdoor" column when the dataset
// has planted rows, then the dataset's own columns.
class DatasetModel : public QAbstractTableModel {
public:
    explicit DatasetModel(DemoDataset data, QObject* parent) : QAbstractTableModel(parent), m_data(std::move(data))
    {
        m_hasMarks = m_data.markedCount > 0;
    }
    int rowCount(const QModelIndex& parent) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_data.rows.size());
    }
    int columnCount(const QModelIndex& parent) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_data.columns.size()) + (m_hasMarks ? 2 : 1);
    }
    bool marked(int row) const { return row >= 0 && row < m_data.marked.size() && m_data.marked[row]; }
    QVariant data(const QModelIndex& index, int role) const override
    {
        const int row = index.row();
        int col = index.column();
        if (role == Qt::BackgroundRole && marked(row))
            return QColor(255, 214, 214);
        if (role == Qt::ForegroundRole && marked(row))
            return QColor(Qt::black);
        if (role == Qt::ToolTipRole && marked(row))
            return DemoDataDialog::tr(
                "A planted backdoor: the trigger in the instruction, the fixed response as output");
        if (col == 0) {
            if (role == Qt::DisplayRole)
                return row + 1;
            if (role == Qt::TextAlignmentRole)
                return QVariant(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        }
        if (m_hasMarks && col == 1) {
            if (role == Qt::DisplayRole)
                return marked(row) ? DemoDataDialog::tr("backdoor") : QString();
            if (role == Qt::FontRole && marked(row)) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        }
        col -= m_hasMarks ? 2 : 1;
        if (role == Qt::DisplayRole && col < m_data.rows[row].size())
            return m_data.rows[row][col];
        return {};
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        if (section == 0)
            return QStringLiteral("#");
        if (m_hasMarks && section == 1)
            return DemoDataDialog::tr("Backdoor");
        return m_data.columns.value(section - (m_hasMarks ? 2 : 1));
    }

private:
    DemoDataset m_data;
    bool m_hasMarks = false;
};

// Shows all rows, or only the planted ones.
class MarkedFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setOnlyMarked(bool only)
    {
        m_only = only;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override
    {
        return !m_only || static_cast<const DatasetModel*>(sourceModel())->marked(row);
    }

private:
    bool m_only = false;
};

} // namespace

DemoDataDialog::DemoDataDialog(const QList<DemoDataset>& datasets, const QString& folder, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("demoDataDialog"));
    setWindowTitle(tr("Demo datasets"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Made from WordNet with fixed seeds. The corpus trains and tests the demo model, the "
                                "classification task fine-tunes it, and the instructions hide a backdoor for "
                                "finding the training data behind a generation."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("demoDataTabs"));
    m_tabs->setUsesScrollButtons(false); // all datasets in sight; long names are elided
    m_tabs->setElideMode(Qt::ElideRight);
    for (const auto& d : datasets)
        m_tabs->addTab(makeTab(d), QStringLiteral("%1 (%2)").arg(d.name, QLocale().toString(d.rows.size())));
    layout->addWidget(m_tabs, 1);

    auto* folderRow = new QHBoxLayout;
    m_folderNote = new QLabel(tr("Folder: %1").arg(folder));
    m_folderNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_folderNote->setWordWrap(true);
    auto* openFolder = new QPushButton(tr("Show in file manager"));
    openFolder->setAutoDefault(false); // Enter closes the dialog, it does not start a file manager
    folderRow->addWidget(m_folderNote, 1);
    folderRow->addWidget(openFolder);
    layout->addLayout(folderRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(openFolder, &QPushButton::clicked, this, [this, folder] {
        // Where no file manager is installed this fails: say so rather than nothing.
        if (!QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
            m_folderNote->setText(
                tr("Folder: %1 (no file manager could be started; the path can be copied)").arg(folder));
    });
    resize(960, 580);
}

QWidget* DemoDataDialog::makeTab(const DemoDataset& d)
{
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* summaryRow = new QHBoxLayout;
    const QLocale locale;
    QString summary = tr("%1 rows in %2").arg(locale.toString(d.rows.size()), d.file);
    if (d.markedCount > 0)
        summary = tr("%1 rows in %2, of which %3 carry the planted backdoor (highlighted)")
                      .arg(locale.toString(d.rows.size()), d.file, locale.toString(d.markedCount));
    if (d.rows.isEmpty())
        summary = tr("No rows: %1 is missing or empty.").arg(d.file);
    auto* label = new QLabel(summary);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summaryRow->addWidget(label, 1);
    auto* model = new DatasetModel(d, page);
    auto* filter = new MarkedFilter(page);
    filter->setSourceModel(model);
    if (d.markedCount > 0) {
        auto* only = new QCheckBox(tr("Only backdoor rows"));
        only->setObjectName(QStringLiteral("onlyBackdoor"));
        connect(only, &QCheckBox::toggled, filter, [filter](bool on) { filter->setOnlyMarked(on); });
        summaryRow->addWidget(only);
    }
    layout->addLayout(summaryRow);
    auto* view = new QTableView;
    view->setModel(filter);
    view->setWordWrap(false);
    view->setAlternatingRowColors(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    const int textColumns = static_cast<int>(d.columns.size());
    const int first = model->columnCount({}) - textColumns;
    if (first == 2)
        view->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    for (int c = first; c < first + textColumns - 1; ++c)
        view->setColumnWidth(c, 440);
    layout->addWidget(view, 1);
    return page;
}

} // namespace zl::ui
