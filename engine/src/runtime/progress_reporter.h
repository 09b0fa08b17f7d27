// Turns "unit i of n done" into throttled Progress events with an ETA, and
// checks for a stop request between units of work.
#pragma once

#include "zerolens/events.h"

#include <chrono>
#include <stop_token>
#include <string>

namespace zl::runtime {

class ProgressReporter {
public:
    /// `sink` may be null. Events are sent at most every `minInterval`, plus the
    /// first and the last unit.
    ProgressReporter(EventSink* sink, std::string stage, std::int64_t total, std::stop_token stop,
                     std::chrono::milliseconds minInterval = std::chrono::milliseconds(200));

    /// Records that `done` units are complete and throws Cancelled if a stop was requested.
    void update(std::int64_t done);
    /// Records progress without checking for a stop (for jobs that save state before stopping).
    void report(std::int64_t done);
    /// Throws Cancelled if a stop was requested.
    void checkStop() const;
    /// Units already done before this run (a resumed job); the ETA counts only newer ones.
    void setResumedFrom(std::int64_t done) { m_resumedFrom = done; }
    double elapsedSeconds() const;
    EventSink* sink() const { return m_sink; }

private:
    using Clock = std::chrono::steady_clock;
    EventSink* m_sink;
    std::string m_stage;
    std::int64_t m_total;
    std::stop_token m_stop;
    std::chrono::milliseconds m_minInterval;
    Clock::time_point m_start;
    Clock::time_point m_lastSent;
    bool m_sentAny = false;
    std::int64_t m_resumedFrom = 0;
};

} // namespace zl::runtime
