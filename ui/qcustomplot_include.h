// qcustomplot.h uses Qt's keyword macros (signals, slots, emit, foreach), which
// this project turns off with QT_NO_KEYWORDS because libtorch declares a member
// named slots(). Map them to the Q_ forms for this one header only.
#pragma once

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
