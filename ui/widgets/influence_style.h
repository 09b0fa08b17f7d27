// What the influence widgets share: the colour of a score (orange helps,
// blue opposes) and a titled QCustomPlot that fills its widget.
#pragma once

#include <QColor>
#include <QString>

class QBoxLayout;
class QCustomPlot;
class QWidget;

namespace zl::ui {

/// Colour of an influence share in [-1, 1]: white at 0, orange towards +1
/// (helps the generation), blue towards -1 (opposes it).
QColor influenceColor(double fraction);

/// A plot with a bold title row (in `owner`'s font), added to `layout` with stretch.
QCustomPlot* addTitledPlot(QBoxLayout* layout, const QWidget* owner, const QString& title);

} // namespace zl::ui
