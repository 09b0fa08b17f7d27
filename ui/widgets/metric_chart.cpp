#include "widgets/metric_chart.h"

#include "qcustomplot_include.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace zl::ui {

namespace {

// Ticks at whole steps only: a readable step below 1 becomes 1, and 2.5 becomes 3.
class WholeStepTicker : public QCPAxisTicker {
protected:
    double getTickStep(const QCPRange& range) override
    {
        return std::max(1.0, std::ceil(QCPAxisTicker::getTickStep(range)));
    }
};

// ~30 redraws a second at most, however many batches arrive in between.
constexpr int kReplotIntervalMs = 33;

// Grows [lo, hi] by a margin so lines do not run along the frame; a flat series gets a band.
QCPRange padded(double lo, double hi, bool log)
{
    if (log) {
        if (hi <= lo)
            return QCPRange(lo / 1.5, hi * 1.5);
        const double f = std::pow(hi / lo, 0.06);
        return QCPRange(lo / f, hi * f);
    }
    if (hi <= lo) {
        const double band = std::abs(lo) > 0 ? std::abs(lo) * 0.1 : 1.0;
        return QCPRange(lo - band, hi + band);
    }
    const double m = (hi - lo) * 0.06;
    return QCPRange(lo - m, hi + m);
}

} // namespace

MetricChart::MetricChart(const QString& title, QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_plot = new QCustomPlot;
    m_plot->setMinimumHeight(180);
    m_plot->setNoAntialiasingOnDrag(true);
    if (!title.isEmpty()) {
        m_plot->plotLayout()->insertRow(0);
        auto* heading = new QCPTextElement(m_plot, title, QFont(font().family(), font().pointSize(), QFont::Bold));
        m_plot->plotLayout()->addElement(0, 0, heading);
    }
    m_plot->legend->setVisible(false); // shown once there is a series to name
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setIconSize(16, 8);
    // The legend in a row of its own above the axes: inside them it hides whichever
    // corner a curve happens to reach (a rising accuracy, a falling loss).
    auto* legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(title.isEmpty() ? 0 : 1);
    m_plot->plotLayout()->addElement(title.isEmpty() ? 0 : 1, 0, legendRow);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    legendRow->addElement(0, 0, m_plot->legend);
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot)); // takes the width left: the legend stays compact
    legendRow->setColumnStretchFactor(0, 0.01);
    legendRow->setMargins(QMargins(0, 0, 0, 0));
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(4);
    m_plot->legend->setMargins(QMargins(4, 0, 4, 0));
    m_plot->plotLayout()->setRowStretchFactor(title.isEmpty() ? 0 : 1, 0.001);
    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->xAxis->setTicker(QSharedPointer<WholeStepTicker>::create());
    layout->addWidget(m_plot, 1);

    auto* bottom = new QHBoxLayout;
    m_logBox = new QCheckBox(tr("Log scale"));
    m_logBox->setVisible(false);
    connect(m_logBox, &QCheckBox::toggled, this, &MetricChart::setLogScale);
    m_note = new QLabel;
    m_note->setWordWrap(true);
    m_note->setVisible(false);
    bottom->addWidget(m_logBox);
    bottom->addWidget(m_note, 1);
    layout->addLayout(bottom);

    m_replotTimer = new QTimer(this);
    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(kReplotIntervalMs);
    connect(m_replotTimer, &QTimer::timeout, this, &MetricChart::replotNow);
}

void MetricChart::addSeries(const QString& key, const QString& label, const QColor& color, Axis axis, Style style,
                            double width)
{
    QCPGraph* g = m_graphs.value(key);
    if (!g) {
        g = m_plot->addGraph(m_plot->xAxis, axis == Axis::Right ? m_plot->yAxis2 : m_plot->yAxis);
        m_graphs.insert(key, g);
        m_order << key;
    }
    g->setName(label);
    g->setPen(QPen(color, style == Style::Dots ? 1.0 : width));
    g->setLineStyle(style == Style::Dots ? QCPGraph::lsNone : QCPGraph::lsLine);
    if (style != Style::Line)
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, style == Style::Dots ? 3 : 5));
    else
        g->setScatterStyle(QCPScatterStyle());
    // Thousands of points in a line: QCustomPlot thins them to what the pixels can show.
    g->setAdaptiveSampling(true);
    if (axis == Axis::Right) {
        m_plot->yAxis2->setVisible(true);
        m_plot->yAxis2->setTickLabels(true);
    }
    m_plot->legend->setVisible(true);
    scheduleReplot();
}

void MetricChart::clearSeries()
{
    m_plot->clearGraphs();
    m_graphs.clear();
    m_order.clear();
    m_plot->legend->setVisible(false);
    m_plot->yAxis2->setVisible(false);
    scheduleReplot();
}

void MetricChart::clearData()
{
    for (QCPGraph* g : std::as_const(m_graphs))
        g->data()->clear();
    scheduleReplot();
}

void MetricChart::append(const QString& key, const QVector<double>& x, const QVector<double>& y)
{
    QCPGraph* g = m_graphs.value(key);
    if (!g || x.isEmpty())
        return;
    // Already sorted when steps come in order, which QCustomPlot then appends without a sort.
    const bool sorted = std::is_sorted(x.begin(), x.end()) &&
                        (g->data()->isEmpty() || x.front() >= g->data()->at(g->data()->size() - 1)->key);
    g->addData(x, y, sorted);
    scheduleReplot();
}

void MetricChart::append(const QString& key, double x, double y)
{
    append(key, QVector<double>{x}, QVector<double>{y});
}

int MetricChart::pointCount(const QString& key) const
{
    const QCPGraph* g = m_graphs.value(key);
    return g ? g->data()->size() : 0;
}

int MetricChart::totalPoints() const
{
    int n = 0;
    for (const QCPGraph* g : std::as_const(m_graphs))
        n += g->data()->size();
    return n;
}

double MetricChart::lastValue(const QString& key) const
{
    const QCPGraph* g = m_graphs.value(key);
    if (!g || g->data()->isEmpty())
        return std::numeric_limits<double>::quiet_NaN();
    return (g->data()->constEnd() - 1)->value;
}

void MetricChart::setAxisLabels(const QString& x, const QString& y, const QString& y2)
{
    m_plot->xAxis->setLabel(x);
    m_plot->yAxis->setLabel(y);
    m_plot->yAxis2->setLabel(y2);
    scheduleReplot();
}

void MetricChart::setLogScaleAvailable(bool available)
{
    m_logBox->setVisible(available);
    if (!available)
        setLogScale(false);
}

void MetricChart::setLogScale(bool on)
{
    m_logScale = on;
    if (m_logBox->isChecked() != on)
        m_logBox->setChecked(on);
    if (on) {
        m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    } else {
        m_plot->yAxis->setScaleType(QCPAxis::stLinear);
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    scheduleReplot();
}

void MetricChart::setReferenceLine(double y, const QString& label)
{
    if (!m_reference) {
        m_reference = new QCPItemStraightLine(m_plot);
        m_reference->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
        m_referenceLabel = new QCPItemText(m_plot);
        m_referenceLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        m_referenceLabel->setColor(QColor(70, 70, 70));
        m_referenceLabel->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        m_referenceLabel->position->setTypeY(QCPItemPosition::ptPlotCoords);
    }
    m_referenceY = y;
    m_hasReference = true;
    m_reference->point1->setCoords(0, y);
    m_reference->point2->setCoords(1, y);
    m_referenceLabel->setText(label);
    m_referenceLabel->position->setCoords(0.99, y);
    m_reference->setVisible(true);
    m_referenceLabel->setVisible(true);
    scheduleReplot();
}

void MetricChart::clearReferenceLine()
{
    m_hasReference = false;
    if (m_reference) {
        m_reference->setVisible(false);
        m_referenceLabel->setVisible(false);
    }
    scheduleReplot();
}

void MetricChart::setNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void MetricChart::scheduleReplot()
{
    if (!m_replotTimer->isActive())
        m_replotTimer->start();
}

void MetricChart::replotNow()
{
    m_replotTimer->stop();
    rescale();
    ++m_replots;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricChart::rescale() const
{
    // The axes follow the data (and the reference line), so a live run stays in view.
    bool anyX = false, anyLeft = false, anyRight = false;
    QCPRange x, left, right;
    for (const QCPGraph* g : std::as_const(m_graphs)) {
        if (g->data()->isEmpty())
            continue;
        bool found = false;
        const QCPRange kr = g->getKeyRange(found);
        if (found) {
            x = anyX ? QCPRange(std::min(x.lower, kr.lower), std::max(x.upper, kr.upper)) : kr;
            anyX = true;
        }
        const bool onRight = g->valueAxis() == m_plot->yAxis2;
        const auto sign = !onRight && m_logScale ? QCP::sdPositive : QCP::sdBoth;
        const QCPRange vr = g->getValueRange(found, sign);
        if (!found)
            continue;
        QCPRange& r = onRight ? right : left;
        bool& any = onRight ? anyRight : anyLeft;
        r = any ? QCPRange(std::min(r.lower, vr.lower), std::max(r.upper, vr.upper)) : vr;
        any = true;
    }
    if (m_hasReference && (!m_logScale || m_referenceY > 0)) {
        left = anyLeft ? QCPRange(std::min(left.lower, m_referenceY), std::max(left.upper, m_referenceY))
                       : QCPRange(m_referenceY, m_referenceY);
        anyLeft = true;
    }
    if (anyX) {
        // A little room at both ends, so a point on the first or last step is drawn whole.
        const double span = std::max(x.upper - x.lower, 2.0);
        m_plot->xAxis->setRange(x.lower - span * 0.02, std::max(x.upper, x.lower + 2.0) + span * 0.02);
    }
    if (anyLeft)
        m_plot->yAxis->setRange(padded(left.lower, left.upper, m_logScale));
    if (anyRight)
        m_plot->yAxis2->setRange(padded(right.lower, right.upper, false));
}

QSize MetricChart::exportSize(int width, int height) const
{
    return QSize(width > 0 ? width : std::max(800, m_plot->width()),
                 height > 0 ? height : std::max(500, m_plot->height()));
}

bool MetricChart::paintVector(QPaintDevice* device, const QSize& size) const
{
    QCPPainter painter;
    if (!painter.begin(device))
        return false;
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    m_plot->toPainter(&painter, size.width(), size.height());
    painter.end();
    return true;
}

bool MetricChart::savePng(const QString& file, int width, int height) const
{
    const QSize size = exportSize(width, height);
    rescale();
    const QPixmap pixmap = m_plot->toPixmap(size.width(), size.height());
    QSaveFile out(file);
    return out.open(QIODevice::WriteOnly) && pixmap.save(&out, "PNG") && out.commit();
}

bool MetricChart::saveSvg(const QString& file, int width, int height) const
{
    const QSize size = exportSize(width, height);
    rescale();
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    QSvgGenerator svg;
    svg.setOutputDevice(&out);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(tr("ZeroLens chart"));
    return paintVector(&svg, size) && out.commit();
}

bool MetricChart::savePdf(const QString& file, int width, int height) const
{
    const QSize size = exportSize(width, height);
    rescale();
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    {
        QPdfWriter pdf(&out);
        pdf.setCreator(QStringLiteral("ZeroLens"));
        pdf.setResolution(72); // one pixel of the chart per point of the page
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF());
        if (!paintVector(&pdf, size))
            return false;
    }
    return out.commit();
}

} // namespace zl::ui
