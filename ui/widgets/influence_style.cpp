#include "widgets/influence_style.h"

#include "qcustomplot_include.h"

#include <QBoxLayout>

#include <algorithm>
#include <cmath>

namespace zl::ui {

QColor influenceColor(double fraction)
{
    const double f = std::clamp(fraction, -1.0, 1.0);
    // Orange and blue stay apart for the common kinds of colour blindness.
    const QColor end = f >= 0 ? QColor(240, 120, 20) : QColor(40, 110, 210);
    const double t = std::sqrt(std::abs(f)); // small shares stay visible
    auto mix = [t](int white, int c) { return static_cast<int>(std::lround(white + (c - white) * t)); };
    return QColor(mix(255, end.red()), mix(255, end.green()), mix(255, end.blue()));
}

QCustomPlot* addTitledPlot(QBoxLayout* layout, const QWidget* owner, const QString& title)
{
    auto* plot = new QCustomPlot;
    plot->setMinimumHeight(220);
    plot->plotLayout()->insertRow(0);
    QFont bold = owner->font();
    bold.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, bold));
    layout->addWidget(plot, 1);
    return plot;
}

} // namespace zl::ui
