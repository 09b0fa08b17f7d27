// The Explain page's table of ranked training examples. RankingModel holds the
// examples an attribution listed (the helpful list, then the opposing one);
// RankingFilter is the table's view of it: which side, a minimum |score|, a
// text search, a split and a metadata key = value. The rows shown can be
// written as CSV or JSON.
#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QVector>

#include <string>

namespace zl {
struct Attribution;
}

namespace zl::ui {

struct RankingRow {
    qint64 exampleId = 0;
    qint64 rank = 0; ///< 1 = most helpful (or most opposing, in that list)
    bool helpful = true;
    double score = 0.0;
    QString prompt, response;
    QString filling; ///< what filled the cache's prompt template (the prompt in brief)
    QString source;
    qint64 line = 0;
    QString split;
    QJsonObject metadata;
};

/// A metadata value as the filter and the table write it: true, 3, text.
QString metadataText(const QJsonValue& value);

class RankingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Rank is +n in the helpful list, −n in the opposing one (as the heatmap's columns).
    enum Column { Rank, Score, Example, Source, Split, Metadata, Columns };
    /// Numbers for sorting (score, rank, line), text otherwise.
    static constexpr int SortRole = Qt::UserRole;
    /// The example id of a row.
    static constexpr int IdRole = Qt::UserRole + 1;

    explicit RankingModel(QObject* parent = nullptr);

    /// The attribution's listed examples; `promptTemplate` is the cache's (the table shows what filled it).
    void setAttribution(const Attribution& attribution, const std::string& promptTemplate);
    void clear();
    const QVector<RankingRow>& rows() const { return m_rows; }
    /// Row of an example, or -1.
    int rowOf(qint64 exampleId) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<RankingRow> m_rows;
    double m_scale = 0.0; ///< the largest |score| listed: scales the score cells' colour
};

class RankingFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Side { Both, Helpful, Opposing };

    explicit RankingFilter(QObject* parent = nullptr);

    void setSide(Side side);
    /// Rows with |score| below this are hidden.
    void setThreshold(double minimumMagnitude);
    /// Case-insensitive, in the prompt, the response and the source.
    void setText(const QString& text);
    /// Empty: every split.
    void setSplit(const QString& split);
    /// Rows whose metadata has `key` (any value when `value` is empty, else equal
    /// to it, case-insensitively); an empty key turns this off.
    void setMetadata(const QString& key, const QString& value);

    /// The rows shown, in the order shown.
    QVector<RankingRow> shownRows() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Side m_side = Side::Both;
    double m_threshold = 0.0;
    QString m_text, m_split, m_key, m_value;
};

/// Writes `rows` to `file` as CSV, whole or not at all. False with `error` set on failure.
bool writeRankingCsv(const QString& file, const QVector<RankingRow>& rows, QString* error);
/// Writes {"query": query, "examples": [...]} to `file` as JSON, whole or not at all.
bool writeRankingJson(const QString& file, const QJsonObject& query, const QVector<RankingRow>& rows, QString* error);

} // namespace zl::ui
