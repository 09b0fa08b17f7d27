// A secondary line of text under a field: word-wrapped, in a colour between the
// normal and the disabled text colour (secondary, still easy to read).
#pragma once

class QLabel;

namespace zl::ui {

QLabel* hintLabel();

} // namespace zl::ui
