// ScoreHistogram: how the influence scores of every cached example spread, a
// bar per bin (orange above 0: helpful, blue below: opposing), with the table's
// score threshold marked at ±t. A few examples far out in a tail are what an
// attribution usually points at, so the count axis can switch to a log scale.
#pragma once

#include <QWidget>

#include <vector>

class QCheckBox;
class QCPBars;
class QCPItemStraightLine;
class QCustomPlot;

namespace zl::ui {

class ScoreHistogram : public QWidget {
    Q_OBJECT
public:
    explicit ScoreHistogram(QWidget* parent = nullptr);

    /// Bins `scores` (non-finite ones are left out); an empty vector clears the chart.
    void setScores(const std::vector<float>& scores);
    /// Marks ±threshold; 0 hides the marks.
    void setThreshold(double threshold);
    double threshold() const { return m_threshold; }
    /// Examples counted in the bars (the finite scores).
    qint64 counted() const { return m_counted; }
    void setLogScale(bool on);

    QCustomPlot* plot() const { return m_plot; }

private:
    void rescale();

    QCustomPlot* m_plot;
    QCPBars* m_positive;
    QCPBars* m_negative;
    QCPItemStraightLine* m_low;
    QCPItemStraightLine* m_high;
    QCheckBox* m_log;
    double m_threshold = 0.0;
    double m_maxCount = 0.0;
    qint64 m_counted = 0;
};

} // namespace zl::ui
