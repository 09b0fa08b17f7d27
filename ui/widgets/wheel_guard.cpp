#include "widgets/wheel_guard.h"

#include "qcustomplot_include.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QScrollBar>

namespace zl::ui {

namespace {

bool isValueField(const QObject* o)
{
    return qobject_cast<const QComboBox*>(o) || qobject_cast<const QAbstractSpinBox*>(o);
}

} // namespace

bool WheelGuard::eventFilter(QObject* watched, QEvent* event)
{
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget)
        return false;
    if (event->type() == QEvent::Polish && isValueField(widget) && widget->focusPolicy() == Qt::WheelFocus) {
        widget->setFocusPolicy(Qt::StrongFocus); // the wheel would focus it, and then turn it
        return false;
    }
    if (event->type() != QEvent::Wheel)
        return false;
    const bool chart = qobject_cast<QCustomPlot*>(widget) != nullptr &&
                       !static_cast<QCustomPlot*>(widget)->interactions().testFlag(QCP::iRangeZoom);
    if (!chart && !(isValueField(widget) && !widget->hasFocus()))
        return false;
    for (auto* p = widget->parentWidget(); p; p = p->parentWidget())
        if (auto* area = qobject_cast<QAbstractScrollArea*>(p)) {
            QCoreApplication::sendEvent(area->verticalScrollBar(), event);
            return true;
        }
    return isValueField(widget); // nothing to scroll: the field keeps its value
}

} // namespace zl::ui
