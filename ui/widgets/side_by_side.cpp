#include "widgets/side_by_side.h"

#include <QBoxLayout>
#include <QResizeEvent>
#include <QWidget>

#include <algorithm>

namespace zl::ui {

void arrangeSideBySide(QBoxLayout* row, const QWidget* page, const QWidget* left, const QWidget* right,
                       const QResizeEvent* event)
{
    const int width = event->size().width();
    const int available = page->parentWidget() ? std::min(page->parentWidget()->width(), width) : width;
    const int sideBySide = left->minimumSizeHint().width() + right->minimumSizeHint().width() +
                           2 * page->layout()->contentsMargins().left() + row->spacing();
    row->setDirection(available < sideBySide ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
}

} // namespace zl::ui
