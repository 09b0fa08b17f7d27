// MetricChart: a line chart of metric series over steps (QCustomPlot), built
// for streams: points are appended in batches and the chart redraws at most
// ~30 times a second (QCustomPlot's queued replot), however fast they come.
// Optional: a log-scale y toggle, a right-hand axis for a second kind of value,
// a labelled horizontal reference line, and export to PNG, SVG and PDF.
#pragma once

#include <QColor>
#include <QHash>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QLabel;
class QTimer;

namespace zl::ui {

class MetricChart : public QWidget {
    Q_OBJECT
public:
    explicit MetricChart(const QString& title = QString(), QWidget* parent = nullptr);

    enum class Axis { Left, Right };
    enum class Style { Line, Dots, LineAndDots };

    /// Adds a series, or restyles the one with this key. `label` shows in the legend.
    void addSeries(const QString& key, const QString& label, const QColor& color, Axis axis = Axis::Left,
                   Style style = Style::Line, double width = 1.5);
    bool hasSeries(const QString& key) const { return m_graphs.contains(key); }
    QStringList seriesKeys() const { return m_order; }
    /// Removes every series (and its points).
    void clearSeries();
    /// Removes the points of every series, keeping the series.
    void clearData();

    /// Appends points in step order (older steps are allowed, they are sorted in).
    void append(const QString& key, const QVector<double>& x, const QVector<double>& y);
    void append(const QString& key, double x, double y);
    /// Points of a series (0 for an unknown key).
    int pointCount(const QString& key) const;
    int totalPoints() const;
    /// The last value of a series; NaN when it has none.
    double lastValue(const QString& key) const;

    void setAxisLabels(const QString& x, const QString& y, const QString& y2 = QString());
    /// Shows a "Log scale" check box for the left axis (values ≤ 0 are then not drawn).
    void setLogScaleAvailable(bool available);
    void setLogScale(bool on);
    bool logScale() const { return m_logScale; }
    /// A horizontal dashed line at `y` (left axis) with `label` above its right end.
    void setReferenceLine(double y, const QString& label);
    void clearReferenceLine();
    bool hasReferenceLine() const { return m_hasReference; }
    /// A line under the chart, e.g. "No points yet"; empty hides it.
    void setNote(const QString& note);

    /// Writes the chart as it looks (at least 800×500 pixels) to `file`,
    /// atomically: a crash leaves the old file or none. False on failure.
    bool savePng(const QString& file, int width = 0, int height = 0) const;
    bool saveSvg(const QString& file, int width = 0, int height = 0) const;
    bool savePdf(const QString& file, int width = 0, int height = 0) const;

    QCustomPlot* plot() const { return m_plot; }
    /// Replots now instead of at the next tick (tests, exports).
    void replotNow();
    /// Redraws requested so far; appends in one tick count once.
    int replotCount() const { return m_replots; }

private:
    /// Draws the chart as vectors (no pixmap caching) onto an SVG or PDF device.
    bool paintVector(QPaintDevice* device, const QSize& size) const;
    void scheduleReplot();
    void rescale() const;
    QSize exportSize(int width, int height) const;

    QCustomPlot* m_plot;
    QCheckBox* m_logBox;
    QLabel* m_note;
    QTimer* m_replotTimer;
    QHash<QString, QCPGraph*> m_graphs;
    QStringList m_order;
    QCPItemStraightLine* m_reference = nullptr;
    QCPItemText* m_referenceLabel = nullptr;
    double m_referenceY = 0.0;
    bool m_hasReference = false;
    bool m_logScale = false;
    int m_replots = 0;
};

} // namespace zl::ui
