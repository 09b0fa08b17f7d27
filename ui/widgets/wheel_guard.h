// Scrolling a page never changes a setting on the way: a wheel turned over a
// drop-down or spin box that the user has not clicked, or over a chart (ours do
// not zoom), scrolls the page around it instead. Installed once on the
// application; such fields take focus from a click or Tab, not from the wheel.
#pragma once

#include <QObject>

namespace zl::ui {

class WheelGuard : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace zl::ui
