#include "widgets/influence_heatmap.h"

#include "qcustomplot_include.h"
#include "widgets/influence_style.h"

#include <QLabel>
#include <QLocale>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace zl::ui {

namespace {

// influenceColor as a QCustomPlot gradient over [-max, max].
QCPColorGradient influenceGradient()
{
    QCPColorGradient g;
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    QMap<double, QColor> stops;
    for (int i = -10; i <= 10; ++i)
        stops.insert((i + 10) / 20.0, influenceColor(i / 10.0));
    g.setColorStops(stops);
    return g;
}

// A token as an axis label: visible whitespace, short.
QString tokenLabel(const QString& token)
{
    QString t = token;
    t.replace(QLatin1Char('\n'), QChar(0x21B5));
    t.replace(QLatin1Char('\t'), QChar(0x21E5));
    return t.size() > 14 ? t.left(13) + QChar(0x2026) : t;
}

constexpr int kMaxLabels = 40;       // token labels; more would overlap
constexpr int kMaxColumnLabels = 16; // example labels, each a few characters wide

} // namespace

InfluenceHeatmap::InfluenceHeatmap(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = addTitledPlot(layout, this, tr("Influence of each response token"));
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setGradient(influenceGradient());
    m_map->setInterpolate(false);
    m_scale = new QCPColorScale(m_plot);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setGradient(influenceGradient());
    m_scale->setBarWidth(10);
    m_scale->setLabel(tr("influence"));
    m_plot->plotLayout()->addElement(1, 1, m_scale);
    m_map->setColorScale(m_scale);
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_plot->yAxis->setRangeReversed(true); // the first token at the top, as it reads
    m_plot->xAxis->setLabel(tr("Examples: + helpful, − opposing ranks"));
    m_plot->yAxis->setLabel(tr("Response tokens"));
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setSubTicks(false);
        axis->grid()->setVisible(false);
    }
    m_split = new QCPItemStraightLine(m_plot);
    m_split->setPen(QPen(QColor(60, 60, 60), 1.5));
    m_current = new QCPItemRect(m_plot);
    m_current->setPen(QPen(QColor(20, 20, 20), 2.0));
    m_current->setBrush(Qt::NoBrush);
    m_current->setVisible(false);
    m_note = new QLabel;
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const qint64 id = exampleAt(event->position().toPoint());
        if (id >= 0)
            Q_EMIT exampleClicked(id);
    });
    connect(m_plot, &QCustomPlot::mouseMove, this, &InfluenceHeatmap::onMouseMove);
    clear(QString());
}

void InfluenceHeatmap::setData(const QStringList& tokens, const std::vector<std::vector<float>>& values,
                               const QVector<qint64>& columnIds, int helpful)
{
    m_tokens = tokens;
    m_values = values;
    m_ids = columnIds;
    m_helpful = helpful;
    const int rows = static_cast<int>(tokens.size()), columns = static_cast<int>(columnIds.size());
    if (rows == 0 || columns == 0 || values.size() != static_cast<std::size_t>(rows)) {
        clear(tr("No token-wise scores for this query."));
        return;
    }
    float scale = 0.0f;
    m_map->data()->setSize(columns, rows);
    m_map->data()->setRange(QCPRange(0, columns - 1), QCPRange(0, rows - 1));
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c) {
            const float v = c < static_cast<int>(values[r].size()) ? values[r][c] : 0.0f;
            m_map->data()->setCell(c, r, std::isfinite(v) ? v : 0.0);
            if (std::isfinite(v))
                scale = std::max(scale, std::abs(v));
        }
    const double s = scale > 0 ? scale : 1.0;
    m_map->setDataRange(QCPRange(-s, s)); // symmetric: white is exactly 0
    m_map->setVisible(true);
    m_scale->setVisible(true);

    // Many columns: ranks 1, 5, 10, … of each list, so the labels do not overlap
    // (nor the helpful list's last one the opposing list's first).
    auto columnTicks = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < columns; ++c) {
        const int rank = c < helpful ? c + 1 : c - helpful + 1;
        if (columns <= kMaxColumnLabels || rank == 1 || (rank % 5 == 0 && c != helpful - 1))
            columnTicks->addTick(c, columnLabel(c));
    }
    m_plot->xAxis->setTicker(columnTicks);
    auto rowTicks = QSharedPointer<QCPAxisTickerText>::create();
    const int rowStep = std::max(1, (rows + kMaxLabels - 1) / kMaxLabels);
    for (int r = 0; r < rows; r += rowStep)
        rowTicks->addTick(r, tokenLabel(tokens[r]));
    m_plot->yAxis->setTicker(rowTicks);
    m_plot->xAxis->setRange(-0.5, columns - 0.5);
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
    m_split->point1->setCoords(helpful - 0.5, 0);
    m_split->point2->setCoords(helpful - 0.5, 1);
    m_split->setVisible(helpful > 0 && helpful < columns);
    m_current->setVisible(false);
    // Room for every token's row, within reason.
    m_plot->setMinimumHeight(std::clamp(rows * 14 + 110, 220, 720));
    m_note->setText(tr("Orange: the example helps the token (training on it makes the token likelier); blue: it "
                       "opposes it. Hover over a cell for its value; click it to read the example."));
    m_plot->replot();
}

void InfluenceHeatmap::clear(const QString& note)
{
    m_tokens.clear();
    m_values.clear();
    m_ids.clear();
    m_helpful = 0;
    m_map->data()->clear();
    m_map->setVisible(false);
    m_scale->setVisible(false);
    m_split->setVisible(false);
    m_current->setVisible(false);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->setMinimumHeight(220);
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_plot->replot();
}

void InfluenceHeatmap::setCurrentExample(qint64 exampleId)
{
    const int column = static_cast<int>(m_ids.indexOf(exampleId));
    m_current->setVisible(column >= 0);
    if (column >= 0) {
        m_current->topLeft->setCoords(column - 0.5, -0.5);
        m_current->bottomRight->setCoords(column + 0.5, rowCount() - 0.5);
    }
    m_plot->replot();
}

std::pair<int, int> InfluenceHeatmap::cellAt(const QPoint& plotPos) const
{
    if (m_ids.isEmpty() || !m_plot->axisRect()->rect().contains(plotPos))
        return {-1, -1};
    const int column = static_cast<int>(std::lround(m_plot->xAxis->pixelToCoord(plotPos.x())));
    const int row = static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(plotPos.y())));
    if (column < 0 || column >= columnCount() || row < 0 || row >= rowCount())
        return {-1, -1};
    return {row, column};
}

qint64 InfluenceHeatmap::exampleAt(const QPoint& plotPos) const
{
    const auto [row, column] = cellAt(plotPos);
    return row >= 0 ? m_ids.at(column) : -1;
}

QString InfluenceHeatmap::columnLabel(int column) const
{
    return column < m_helpful ? QStringLiteral("+%1").arg(column + 1)
                              : QStringLiteral("−%1").arg(column - m_helpful + 1);
}

void InfluenceHeatmap::onMouseMove(QMouseEvent* event)
{
    const auto [row, column] = cellAt(event->position().toPoint());
    if (row < 0) {
        QToolTip::hideText();
        return;
    }
    const float v = column < static_cast<int>(m_values[row].size()) ? m_values[row][column] : 0.0f;
    const QString side =
        column < m_helpful ? tr("helpful #%1").arg(column + 1) : tr("opposing #%1").arg(column - m_helpful + 1);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("Token «%1», example %2 (%3)\ninfluence %4")
                           .arg(tokenLabel(m_tokens[row]))
                           .arg(m_ids[column])
                           .arg(side, QLocale().toString(v, 'g', 3)),
                       m_plot);
}

} // namespace zl::ui
