// Two boxes of a page side by side where the page's view has room for both,
// one above the other in a narrow window.
#pragma once

class QBoxLayout;
class QResizeEvent;
class QWidget;

namespace zl::ui {

/// Sets `row`'s direction for `page` being resized by `event`. In a scroll area
/// the page may be wider than what is in view, so the view's width counts.
void arrangeSideBySide(QBoxLayout* row, const QWidget* page, const QWidget* left, const QWidget* right,
                       const QResizeEvent* event);

} // namespace zl::ui
