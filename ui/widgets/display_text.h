// How the pages write sizes and durations for people: "10.3 MiB", "12:30".
#pragma once

#include <QString>

namespace zl::ui {

/// Bytes in the user's locale, e.g. "10.3 MiB".
QString bytesText(quint64 bytes);
/// "0:07", "12:30", "1:02:03".
QString durationText(double seconds);

} // namespace zl::ui
