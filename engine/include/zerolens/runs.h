// The run database: every fine-tuning run with its configuration, the identity
// of its model, mask and data, its status, and its whole metric history, in one
// SQLite file (WAL mode) shared by the GUI and the CLI. Metrics are written in
// batches, one transaction each, so a kill -9 loses at most the last unflushed
// batch; a run whose process died shows as "interrupted".
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zl {

/// One metric value of a run: training metrics per step ("loss", "lr", ...),
/// evaluation metrics per eval ("dev_loss", "dev_accuracy"), memory samples.
struct MetricPoint {
    std::string name;
    std::int64_t step = 0;
    double value = 0.0;
    double seconds = 0.0; ///< wall time since the run started (summed over resumes)
};

struct RunRecord {
    std::int64_t id = 0;
    std::string name;          ///< short label, e.g. "sparse-zo classify seed 0"
    std::filesystem::path dir; ///< the run folder (checkpoints, exports)
    /// "running", "finished", "early-stopped", "cancelled", "diverged", "failed",
    /// or "interrupted" (stored "running" but its process is gone).
    std::string status;
    std::string method;     ///< "sparse-zo", "dense-zo", "fo", "zero-shot"
    std::string task;       ///< "classify" or "generate"
    std::string configJson; ///< the full configuration (FinetuneOptions as JSON)
    std::string modelId;    ///< modelIdentity() of the model
    std::string maskHash;   ///< fingerprint of S's positions (empty without S)
    std::string dataHash;   ///< fingerprint of the dataset files
    std::int64_t stepsDone = 0;
    std::int64_t stepsTotal = 0;
    std::string summaryJson;    ///< final or latest results (dev/test metrics), "{}" when none
    std::string error;          ///< message of a failed run
    std::int64_t createdAt = 0; ///< Unix seconds
    std::int64_t updatedAt = 0;
    std::int64_t pid = 0; ///< process that runs it while "running"
};

/// One connection to the file. Its methods may be called from several threads
/// (they are serialized); other processes may open the same file at the same time.
/// markRunning, setProgress, finish and appendMetrics throw InvalidArgument for an
/// id with no run; any SQLite failure throws Error naming the file.
class RunDatabase {
public:
    /// $ZL_RUNS_DB if set, else $XDG_DATA_HOME/zerolens/runs.sqlite (default
    /// ~/.local/share/zerolens/runs.sqlite).
    static std::filesystem::path defaultPath();

    /// Opens or creates the database (and its folder), migrating an older schema.
    /// Throws FormatError when the file is not a ZeroLens run database or comes
    /// from a newer version, Error when SQLite fails (message names the file).
    explicit RunDatabase(const std::filesystem::path& file);
    ~RunDatabase();
    RunDatabase(const RunDatabase&) = delete;
    RunDatabase& operator=(const RunDatabase&) = delete;

    const std::filesystem::path& path() const;

    /// Inserts a run (id, createdAt, updatedAt and pid are filled in) and returns its id.
    /// An empty status means "running"; `dir` is stored canonical. Ids are never reused.
    std::int64_t createRun(const RunRecord& run);
    /// The run whose folder is `dir` (canonical paths compared), if any.
    std::optional<RunRecord> findByDir(const std::filesystem::path& dir) const;
    std::optional<RunRecord> find(std::int64_t id) const;
    /// All runs, newest first.
    std::vector<RunRecord> list() const;

    /// Marks a run as running again in this process (resume), with its step count
    /// as given now (a resume may extend the run).
    void markRunning(std::int64_t id, std::int64_t stepsTotal);
    /// An empty summaryJson keeps the stored summary.
    void setProgress(std::int64_t id, std::int64_t stepsDone, const std::string& summaryJson);
    /// Final status ("finished", "early-stopped", "cancelled", "diverged" or "failed";
    /// anything else throws InvalidArgument), summary (empty keeps the stored one) and error message.
    void finish(std::int64_t id, const std::string& status, const std::string& summaryJson,
                const std::string& error = {});
    /// Removes a run and its metrics (not its folder).
    void remove(std::int64_t id);

    /// Appends metric points (one transaction). A NaN value is stored and read back as NaN.
    void appendMetrics(std::int64_t id, const std::vector<MetricPoint>& points);
    /// Deletes the metrics of steps after `step`: a resumed run recomputes them.
    void truncateMetricsAfter(std::int64_t id, std::int64_t step);
    /// Metric history, ordered by step (then by write order); all names when `name` is empty.
    std::vector<MetricPoint> metrics(std::int64_t id, const std::string& name = {}) const;
    /// Names of the metrics a run has, sorted.
    std::vector<std::string> metricNames(std::int64_t id) const;

    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

/// Buffers metric points and writes them in batches: every `maxPoints` points or
/// `maxSeconds` seconds, whichever comes first, and on flush() / destruction.
class MetricWriter {
public:
    MetricWriter(RunDatabase& db, std::int64_t runId, std::size_t maxPoints = 256, double maxSeconds = 1.0);
    ~MetricWriter(); ///< flushes; errors are swallowed here (call flush() to see them)
    MetricWriter(const MetricWriter&) = delete;
    MetricWriter& operator=(const MetricWriter&) = delete;

    void add(MetricPoint point);
    void flush();

private:
    RunDatabase& m_db;
    std::int64_t m_runId;
    std::size_t m_maxPoints;
    double m_maxSeconds;
    std::vector<MetricPoint> m_pending;
    double m_lastFlush = 0.0;
};

} // namespace zl
