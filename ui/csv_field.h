// One field of a CSV file (RFC 4180), for the Runs and Explain pages' exports.
#pragma once

#include <QByteArray>
#include <QString>

namespace zl::ui {

/// `s` as UTF-8, quoted when it holds a separator, a quote or a line break.
QByteArray csvField(const QString& s);

} // namespace zl::ui
