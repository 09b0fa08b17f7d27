// Events that long-running engine work streams to its caller: progress, metrics
// and log lines. The engine never starts threads to deliver them; they are called
// on the thread doing the work, so a sink must be cheap and thread-safe if shared.
#pragma once

#include <cstdint>
#include <string>

namespace zl {

/// Progress of one stage of a job. `done` and `total` count units of that stage
/// (tensors, tokens, windows...); total is 0 when unknown.
struct Progress {
    std::string stage;
    std::int64_t done = 0;
    std::int64_t total = 0;
    double elapsedSeconds = 0.0;
    double etaSeconds = -1.0; ///< negative when unknown
};

/// A named scalar measured during a job (e.g. "loss", "tokens_per_second").
struct Metric {
    std::string name;
    double value = 0.0;
    std::int64_t step = 0;
};

enum class LogLevel { Debug, Info, Warning };

/// Receives the events of a job. All methods have empty defaults.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void progress(const Progress& /*p*/) {}
    virtual void metric(const Metric& /*m*/) {}
    virtual void log(LogLevel /*level*/, const std::string& /*message*/) {}
};

} // namespace zl
