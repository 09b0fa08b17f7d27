// InfluenceHeatmap: RapidIn's token-wise view of a generation. One row per
// response token, one column per listed training example (the helpful list,
// then the opposing one); a cell is the influence of that token alone on that
// example, in influenceColor's colours, symmetric around 0 (QCustomPlot colour
// map). Hovering a cell tells its token, example and value; clicking it picks
// the example.
#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QCPItemStraightLine;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace zl::ui {

class InfluenceHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit InfluenceHeatmap(QWidget* parent = nullptr);

    /// values[row][column]; `columnIds` names each column's example, the first
    /// `helpful` columns are the helpful list.
    void setData(const QStringList& tokens, const std::vector<std::vector<float>>& values,
                 const QVector<qint64>& columnIds, int helpful);
    /// Empties the map and says why under it.
    void clear(const QString& note);
    int rowCount() const { return static_cast<int>(m_tokens.size()); }
    int columnCount() const { return static_cast<int>(m_ids.size()); }
    /// Frames the column of this example (the one shown beside the table); -1 for none.
    void setCurrentExample(qint64 exampleId);
    /// The example of the column under a widget position of the plot, or -1.
    qint64 exampleAt(const QPoint& plotPos) const;

    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    void exampleClicked(qint64 exampleId);

private:
    void onMouseMove(QMouseEvent* event);
    /// (row, column) of the cell under a plot position; -1s outside.
    std::pair<int, int> cellAt(const QPoint& plotPos) const;
    QString columnLabel(int column) const;

    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPItemStraightLine* m_split;
    QCPItemRect* m_current;
    QLabel* m_note;
    QStringList m_tokens;
    QVector<qint64> m_ids;
    std::vector<std::vector<float>> m_values;
    int m_helpful = 0;
};

} // namespace zl::ui
