#include "runtime/progress_reporter.h"

#include "zerolens/error.h"

namespace zl::runtime {

ProgressReporter::ProgressReporter(EventSink* sink, std::string stage, std::int64_t total, std::stop_token stop,
                                   std::chrono::milliseconds minInterval)
    : m_sink(sink), m_stage(std::move(stage)), m_total(total), m_stop(std::move(stop)), m_minInterval(minInterval),
      m_start(Clock::now()), m_lastSent(m_start)
{
}

void ProgressReporter::checkStop() const
{
    if (m_stop.stop_requested())
        throw Cancelled();
}

double ProgressReporter::elapsedSeconds() const
{
    return std::chrono::duration<double>(Clock::now() - m_start).count();
}

void ProgressReporter::update(std::int64_t done)
{
    checkStop();
    report(done);
}

void ProgressReporter::report(std::int64_t done)
{
    if (!m_sink)
        return;
    const auto now = Clock::now();
    const bool last = m_total > 0 && done >= m_total;
    if (m_sentAny && !last && now - m_lastSent < m_minInterval)
        return;
    Progress p;
    p.stage = m_stage;
    p.done = done;
    p.total = m_total;
    p.elapsedSeconds = std::chrono::duration<double>(now - m_start).count();
    if (done > m_resumedFrom && m_total > 0)
        p.etaSeconds =
            p.elapsedSeconds * static_cast<double>(m_total - done) / static_cast<double>(done - m_resumedFrom);
    m_sink->progress(p);
    m_lastSent = now;
    m_sentAny = true;
}

} // namespace zl::runtime
