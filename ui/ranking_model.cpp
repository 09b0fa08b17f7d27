#include "ranking_model.h"

#include "csv_field.h"
#include "widgets/influence_style.h"
#include "zerolens/influence.h"

#include <QColor>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>

#include <cmath>

namespace zl::ui {

namespace {

// One line of the table: line breaks as spaces.
QString oneLine(const QString& text)
{
    return text.simplified();
}

QString metadataSummary(const QJsonObject& metadata)
{
    QStringList parts;
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        parts << QStringLiteral("%1: %2").arg(it.key(), metadataText(it.value()));
    return parts.join(QStringLiteral(", "));
}

bool commit(QSaveFile& out, QString* error)
{
    if (out.commit())
        return true;
    if (error)
        *error = out.errorString();
    return false;
}

} // namespace

QString metadataText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

RankingModel::RankingModel(QObject* parent) : QAbstractTableModel(parent) {}

void RankingModel::setAttribution(const Attribution& a, const std::string& promptTemplate)
{
    beginResetModel();
    m_rows.clear();
    m_scale = 0.0;
    for (const auto* list : {&a.helpful, &a.opposing})
        for (const RankedExample& r : *list) {
            RankingRow row;
            row.exampleId = r.example.id;
            row.rank = r.rank;
            row.helpful = list == &a.helpful;
            row.score = r.score;
            row.prompt = QString::fromStdString(r.example.prompt);
            row.filling = QString::fromStdString(promptFilling(promptTemplate, r.example.prompt));
            row.response = QString::fromStdString(r.example.response);
            row.source = QString::fromStdString(r.example.source);
            row.line = r.example.line;
            row.split = QString::fromStdString(r.example.split);
            row.metadata = QJsonDocument::fromJson(QByteArray::fromStdString(r.example.metadata)).object();
            if (std::isfinite(r.score))
                m_scale = std::max(m_scale, std::abs(r.score));
            m_rows << row;
        }
    endResetModel();
}

void RankingModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_scale = 0.0;
    endResetModel();
}

int RankingModel::rowOf(qint64 exampleId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].exampleId == exampleId)
            return i;
    return -1;
}

int RankingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RankingModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : Columns;
}

QVariant RankingModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RankingRow& r = m_rows[index.row()];
    const int column = index.column();
    if (role == IdRole)
        return r.exampleId;
    if (role == SortRole) {
        switch (column) {
        case Rank:
            // Ascending: helpful 1, 2, …, then opposing 1, 2, …
            return r.helpful ? r.rank : (qint64(1) << 40) + r.rank;
        case Score:
            return r.score;
        case Source:
            return QStringLiteral("%1:%2").arg(r.source).arg(r.line, 10, 10, QLatin1Char('0'));
        default:
            break;
        }
        role = Qt::DisplayRole;
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Rank:
            return r.helpful ? QStringLiteral("+%1").arg(r.rank) : QStringLiteral("−%1").arg(r.rank);
        case Score:
            return QLocale().toString(r.score, 'g', 4);
        case Example:
            return QStringLiteral("%1 → %2").arg(oneLine(r.filling), oneLine(r.response));
        case Source:
            return QStringLiteral("%1:%2").arg(QFileInfo(r.source).fileName()).arg(r.line);
        case Split:
            return r.split;
        case Metadata:
            return metadataSummary(r.metadata);
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (column == Rank)
            return r.helpful ? tr("helpful #%1").arg(r.rank) : tr("opposing #%1").arg(r.rank);
        if (column == Example)
            return QStringLiteral("%1\n\n→ %2").arg(r.prompt, r.response);
        if (column == Source)
            return QStringLiteral("%1:%2").arg(r.source).arg(r.line);
        if (column == Metadata)
            return metadataSummary(r.metadata);
        return {};
    }
    if (role == Qt::TextAlignmentRole && (column == Rank || column == Score))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && column == Score && m_scale > 0)
        return influenceColor(r.score / m_scale);
    if (role == Qt::ForegroundRole && column == Score && m_scale > 0)
        return QColor(20, 20, 20); // the cell is light in every theme
    return {};
}

QVariant RankingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rank:
        return tr("Rank");
    case Score:
        return tr("Score");
    case Example:
        return tr("Example: prompt → response");
    case Source:
        return tr("Source");
    case Split:
        return tr("Split");
    case Metadata:
        return tr("Metadata");
    default:
        return {};
    }
}

RankingFilter::RankingFilter(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(RankingModel::SortRole);
}

void RankingFilter::setSide(Side side)
{
    m_side = side;
    invalidateFilter();
}

void RankingFilter::setThreshold(double minimumMagnitude)
{
    m_threshold = minimumMagnitude;
    invalidateFilter();
}

void RankingFilter::setText(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void RankingFilter::setSplit(const QString& split)
{
    m_split = split;
    invalidateFilter();
}

void RankingFilter::setMetadata(const QString& key, const QString& value)
{
    m_key = key;
    m_value = value.trimmed();
    invalidateFilter();
}

bool RankingFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    const auto* model = qobject_cast<const RankingModel*>(sourceModel());
    if (!model || sourceRow >= model->rows().size())
        return false;
    const RankingRow& r = model->rows()[sourceRow];
    if ((m_side == Side::Helpful && !r.helpful) || (m_side == Side::Opposing && r.helpful))
        return false;
    if (std::abs(r.score) < m_threshold)
        return false;
    if (!m_split.isEmpty() && r.split != m_split)
        return false;
    if (!m_key.isEmpty()) {
        if (!r.metadata.contains(m_key))
            return false;
        if (!m_value.isEmpty() && metadataText(r.metadata.value(m_key)).compare(m_value, Qt::CaseInsensitive) != 0)
            return false;
    }
    if (!m_text.isEmpty() && !r.prompt.contains(m_text, Qt::CaseInsensitive) &&
        !r.response.contains(m_text, Qt::CaseInsensitive) && !r.source.contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

QVector<RankingRow> RankingFilter::shownRows() const
{
    const auto* model = qobject_cast<const RankingModel*>(sourceModel());
    QVector<RankingRow> rows;
    if (!model)
        return rows;
    for (int i = 0; i < rowCount(); ++i)
        rows << model->rows()[mapToSource(index(i, 0)).row()];
    return rows;
}

bool writeRankingCsv(const QString& file, const QVector<RankingRow>& rows, QString* error)
{
    QSaveFile out(file); // a temporary sibling renamed over the target on commit
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    out.write("list,rank,score,example_id,split,source,line,prompt,response,metadata\n");
    for (const RankingRow& r : rows)
        out.write((r.helpful ? QByteArray("helpful") : QByteArray("opposing")) + ',' + QByteArray::number(r.rank) +
                  ',' + QByteArray::number(r.score, 'g', 9) + ',' + QByteArray::number(r.exampleId) + ',' +
                  csvField(r.split) + ',' + csvField(r.source) + ',' + QByteArray::number(r.line) + ',' +
                  csvField(r.prompt) + ',' + csvField(r.response) + ',' +
                  csvField(QString::fromUtf8(QJsonDocument(r.metadata).toJson(QJsonDocument::Compact))) + '\n');
    return commit(out, error);
}

bool writeRankingJson(const QString& file, const QJsonObject& query, const QVector<RankingRow>& rows, QString* error)
{
    QJsonArray examples;
    for (const RankingRow& r : rows)
        examples.append(
            QJsonObject{{QStringLiteral("list"), r.helpful ? QStringLiteral("helpful") : QStringLiteral("opposing")},
                        {QStringLiteral("rank"), r.rank},
                        {QStringLiteral("score"), r.score},
                        {QStringLiteral("example_id"), r.exampleId},
                        {QStringLiteral("split"), r.split},
                        {QStringLiteral("source"), r.source},
                        {QStringLiteral("line"), r.line},
                        {QStringLiteral("prompt"), r.prompt},
                        {QStringLiteral("response"), r.response},
                        {QStringLiteral("metadata"), r.metadata}});
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    out.write(QJsonDocument(QJsonObject{{QStringLiteral("query"), query}, {QStringLiteral("examples"), examples}})
                  .toJson(QJsonDocument::Indented));
    return commit(out, error);
}

} // namespace zl::ui
