// Renders engine events in the terminal: a one-line progress bar with ETA on
// stderr, or JSON lines on stderr when --json is given (stdout stays the result).
#pragma once

#include "zerolens/events.h"

namespace zl::cli {

class ProgressPrinter : public EventSink {
public:
    explicit ProgressPrinter(bool json);
    ~ProgressPrinter() override;
    void progress(const Progress& p) override;
    void metric(const Metric& m) override;
    void log(LogLevel level, const std::string& message) override;
    /// Ends the progress line, if one is open.
    void finish();

private:
    bool m_json;
    bool m_tty;
    bool m_lineOpen = false;
};

} // namespace zl::cli
