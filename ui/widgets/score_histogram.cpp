#include "widgets/score_histogram.h"

#include "qcustomplot_include.h"
#include "widgets/influence_style.h"

#include <QCheckBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace zl::ui {

namespace {

constexpr int kBins = 60;
// On a log axis a bar starts here, so a bin of one example still shows.
constexpr double kLogBase = 0.5;

} // namespace

ScoreHistogram::ScoreHistogram(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = addTitledPlot(layout, this, tr("Scores of all training examples"));
    m_positive = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_negative = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_positive->setBrush(influenceColor(0.8));
    m_positive->setPen(QPen(influenceColor(1.0).darker(120)));
    m_negative->setBrush(influenceColor(-0.8));
    m_negative->setPen(QPen(influenceColor(-1.0).darker(120)));
    m_plot->xAxis->setLabel(tr("Influence score"));
    m_plot->yAxis->setLabel(tr("Examples"));
    for (QCPItemStraightLine** line : {&m_low, &m_high}) {
        *line = new QCPItemStraightLine(m_plot);
        (*line)->setPen(QPen(QColor(60, 60, 60), 1.2, Qt::DashLine));
        (*line)->setVisible(false);
    }
    m_log = new QCheckBox(tr("Log scale"));
    m_log->setToolTip(tr("Shows bins of a few examples, far out in the tails, beside bins of hundreds"));
    connect(m_log, &QCheckBox::toggled, this, &ScoreHistogram::setLogScale);
    layout->addWidget(m_log);
    setScores({});
}

void ScoreHistogram::setScores(const std::vector<float>& scores)
{
    float scale = 0.0f;
    m_counted = 0;
    for (float s : scores)
        if (std::isfinite(s)) {
            scale = std::max(scale, std::abs(s));
            ++m_counted;
        }
    m_positive->data()->clear();
    m_negative->data()->clear();
    m_maxCount = 0.0;
    if (m_counted > 0) {
        // Symmetric bins: 0 is a bin edge, so a bar is all helpful or all opposing.
        const double half = scale > 0 ? static_cast<double>(scale) : 1.0;
        const double width = 2.0 * half / kBins;
        std::vector<double> counts(kBins, 0.0);
        for (float s : scores)
            if (std::isfinite(s))
                ++counts[std::clamp(static_cast<int>(std::floor((s + half) / width)), 0, kBins - 1)];
        for (int b = 0; b < kBins; ++b) {
            if (counts[b] == 0)
                continue; // an empty bin has no bar, on a log axis none reaching down to 0
            const double center = -half + (b + 0.5) * width;
            (center >= 0 ? m_positive : m_negative)->addData(center, counts[b]);
            m_maxCount = std::max(m_maxCount, counts[b]);
        }
        m_positive->setWidth(width);
        m_negative->setWidth(width);
        m_plot->xAxis->setRange(-half * 1.05, half * 1.05);
    }
    rescale();
}

void ScoreHistogram::setThreshold(double threshold)
{
    m_threshold = std::max(0.0, threshold);
    m_low->point1->setCoords(-m_threshold, 0);
    m_low->point2->setCoords(-m_threshold, 1);
    m_high->point1->setCoords(m_threshold, 0);
    m_high->point2->setCoords(m_threshold, 1);
    m_low->setVisible(m_threshold > 0);
    m_high->setVisible(m_threshold > 0);
    m_plot->replot();
}

void ScoreHistogram::setLogScale(bool on)
{
    if (m_log->isChecked() != on)
        m_log->setChecked(on);
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_positive->setBaseValue(on ? kLogBase : 0.0);
    m_negative->setBaseValue(on ? kLogBase : 0.0);
    rescale();
}

void ScoreHistogram::rescale()
{
    const bool log = m_log->isChecked();
    const double top = std::max(m_maxCount, 1.0);
    m_plot->yAxis->setRange(log ? kLogBase : 0.0, log ? top * 2.0 : top * 1.08);
    m_plot->replot();
}

} // namespace zl::ui
