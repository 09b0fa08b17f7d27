#include "widgets/hint_label.h"

#include <QLabel>
#include <QPalette>

namespace zl::ui {

QLabel* hintLabel()
{
    auto* label = new QLabel;
    label->setWordWrap(true);
    QPalette p = label->palette();
    const QColor normal = p.color(QPalette::Active, QPalette::WindowText);
    const QColor faint = p.color(QPalette::Disabled, QPalette::WindowText);
    p.setColor(QPalette::WindowText, QColor((normal.red() + faint.red()) / 2, (normal.green() + faint.green()) / 2,
                                            (normal.blue() + faint.blue()) / 2));
    label->setPalette(p);
    return label;
}

} // namespace zl::ui
