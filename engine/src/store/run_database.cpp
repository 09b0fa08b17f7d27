// The run database (runs.h) on top of the SQLite layer (store/sqlite.h).
#include "zerolens/runs.h"

#include "store/sqlite.h"
#include "zerolens/error.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <pwd.h>
#include <sstream>
#include <string_view>
#include <unistd.h>

namespace zl {

namespace fs = std::filesystem;

namespace {

// 'ZLRD': PRAGMA application_id of a ZeroLens run database.
constexpr std::int32_t kApplicationId = 0x5A4C5244;
constexpr const char* kKind = "ZeroLens run database";

// Released steps are never edited; a schema change appends a step.
constexpr std::array<std::string_view, 1> kMigrations = {
    // 1: runs and their metric history.
    R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL DEFAULT '',
    dir TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT '',
    task TEXT NOT NULL DEFAULT '',
    config_json TEXT NOT NULL DEFAULT '{}',
    model_id TEXT NOT NULL DEFAULT '',
    mask_hash TEXT NOT NULL DEFAULT '',
    data_hash TEXT NOT NULL DEFAULT '',
    steps_done INTEGER NOT NULL DEFAULT 0,
    steps_total INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT NOT NULL DEFAULT '{}',
    error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    pid INTEGER NOT NULL DEFAULT 0,
    host TEXT NOT NULL DEFAULT '',
    pid_start INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_dir ON runs(dir);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL, -- NULL is NaN (a diverged loss): SQLite stores no NaN
    seconds REAL NOT NULL DEFAULT 0
);
CREATE INDEX metrics_run_name_step ON metrics(run_id, name, step);
)sql",
};

constexpr const char* kRunColumns = "id, name, dir, status, method, task, config_json, model_id, mask_hash, data_hash, "
                                    "steps_done, steps_total, summary_json, error, created_at, updated_at, pid, host, "
                                    "pid_start";

bool isFinalStatus(const std::string& s)
{
    return s == "finished" || s == "early-stopped" || s == "cancelled" || s == "diverged" || s == "failed";
}

std::int64_t unixNow()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

double steadySeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string hostName()
{
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0)
        return {};
    return buf.data();
}

// What /proc/<pid>/stat says of a process: its state letter and its start time
// (clock ticks since boot). The start time tells a reused pid from the process
// that created the run, e.g. after a reboot.
struct ProcStat {
    char state = '?';
    std::int64_t startTicks = 0;
};

std::optional<ProcStat> procStat(std::int64_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!in || !std::getline(in, line))
        return std::nullopt;
    // "pid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(close + 1));
    ProcStat s;
    std::string skip;
    fields >> s.state;
    // Field 22 is starttime; after ')' come fields 3 (state) .. 22.
    for (int field = 4; field < 22 && fields; ++field)
        fields >> skip;
    fields >> s.startTicks;
    if (!fields)
        return std::nullopt;
    return s;
}

std::int64_t ownStartTicks()
{
    static const std::int64_t ticks = [] {
        const auto s = procStat(::getpid());
        return s ? s->startTicks : 0;
    }();
    return ticks;
}

// True when the process that runs a "running" run on this host is gone. Only
// kill(pid, 0) failing with ESRCH, a zombie, or a pid now held by a process
// started at another time count; anything uncertain (EPERM: alive, someone
// else's) keeps the run "running".
bool processGone(std::int64_t pid, std::int64_t startTicks)
{
    if (pid <= 0)
        return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0)
        return errno == ESRCH;
    const auto s = procStat(pid);
    if (!s)
        return false;
    if (s->state == 'Z' || s->state == 'X')
        return true;
    return startTicks != 0 && s->startTicks != startTicks;
}

// Paths are stored and compared in one spelling: absolute, symlinks resolved as
// far as they exist, no trailing separator.
std::string canonicalDir(const fs::path& dir)
{
    if (dir.empty())
        return {};
    std::error_code ec;
    auto p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (ec)
        p = fs::absolute(dir, ec).lexically_normal();
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path())
        p = p.parent_path();
    return p.string();
}

} // namespace

class RunDatabase::Impl {
public:
    explicit Impl(const fs::path& file) : path(file), host(hostName())
    {
        if (file.empty())
            throw InvalidArgument("the run database path is empty");
        if (file.has_parent_path()) {
            std::error_code ec;
            fs::create_directories(file.parent_path(), ec);
            if (ec)
                throw Error(file.parent_path().string() +
                            ": cannot create the folder of the run database: " + ec.message());
        }
        db.emplace(file, kKind);
        store::applySchema(*db, store::Schema{kApplicationId, kMigrations});
    }

    RunRecord read(const store::Statement& st) const
    {
        RunRecord r;
        r.id = st.columnInt(0);
        r.name = st.columnText(1);
        r.dir = st.columnText(2);
        r.status = st.columnText(3);
        r.method = st.columnText(4);
        r.task = st.columnText(5);
        r.configJson = st.columnText(6);
        r.modelId = st.columnText(7);
        r.maskHash = st.columnText(8);
        r.dataHash = st.columnText(9);
        r.stepsDone = st.columnInt(10);
        r.stepsTotal = st.columnInt(11);
        r.summaryJson = st.columnText(12);
        r.error = st.columnText(13);
        r.createdAt = st.columnInt(14);
        r.updatedAt = st.columnInt(15);
        r.pid = st.columnInt(16);
        if (r.status == "running" && st.columnText(17) == host && processGone(r.pid, st.columnInt(18)))
            r.status = "interrupted";
        return r;
    }

    std::optional<RunRecord> findWhere(const std::string& where, const std::function<void(store::Statement&)>& bind)
    {
        store::Statement st(*db, std::string("SELECT ") + kRunColumns + " FROM runs WHERE " + where);
        bind(st);
        if (!st.step())
            return std::nullopt;
        return read(st);
    }

    [[noreturn]] void noSuchRun(std::int64_t id) const
    {
        throw InvalidArgument("no run " + std::to_string(id) + " in " + path.string());
    }

    void requireChanged(std::int64_t id) const
    {
        if (db->changes() == 0)
            noSuchRun(id);
    }

    fs::path path;
    std::string host;
    std::optional<store::Connection> db;
    std::mutex mutex;
};

fs::path RunDatabase::defaultPath()
{
    if (const char* env = std::getenv("ZL_RUNS_DB"); env != nullptr && *env != '\0')
        return env;
    fs::path data;
    // The XDG spec says a relative XDG_DATA_HOME is invalid and to be ignored.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && fs::path(xdg).is_absolute())
        data = xdg;
    else {
        const char* home = std::getenv("HOME");
        if (home == nullptr || *home == '\0') {
            const passwd* pw = ::getpwuid(::getuid());
            home = pw != nullptr ? pw->pw_dir : nullptr;
        }
        if (home == nullptr)
            throw Error("cannot find the home folder for the run database: set HOME or ZL_RUNS_DB");
        data = fs::path(home) / ".local" / "share";
    }
    return data / "zerolens" / "runs.sqlite";
}

RunDatabase::RunDatabase(const fs::path& file) : m_impl(std::make_unique<Impl>(file)) {}

RunDatabase::~RunDatabase() = default;

const fs::path& RunDatabase::path() const
{
    return m_impl->path;
}

std::int64_t RunDatabase::createRun(const RunRecord& run)
{
    const std::string status = run.status.empty() ? "running" : run.status;
    if (status != "running" && !isFinalStatus(status))
        throw InvalidArgument("a new run cannot have the status '" + status + "'");
    std::scoped_lock lock(m_impl->mutex);
    auto& db = *m_impl->db;
    const auto now = unixNow();
    store::Statement st(db, "INSERT INTO runs (name, dir, status, method, task, config_json, model_id, mask_hash, "
                            "data_hash, steps_done, steps_total, summary_json, error, created_at, updated_at, pid, "
                            "host, pid_start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                            "?14, ?15, ?16, ?17)");
    st.bindText(1, run.name)
        .bindText(2, canonicalDir(run.dir))
        .bindText(3, status)
        .bindText(4, run.method)
        .bindText(5, run.task)
        .bindText(6, run.configJson.empty() ? "{}" : run.configJson)
        .bindText(7, run.modelId)
        .bindText(8, run.maskHash)
        .bindText(9, run.dataHash)
        .bindInt(10, run.stepsDone)
        .bindInt(11, run.stepsTotal)
        .bindText(12, run.summaryJson.empty() ? "{}" : run.summaryJson)
        .bindText(13, run.error)
        .bindInt(14, now)
        .bindInt(15, ::getpid())
        .bindText(16, m_impl->host)
        .bindInt(17, ownStartTicks());
    st.run();
    return db.lastInsertId();
}

std::optional<RunRecord> RunDatabase::findByDir(const fs::path& dir) const
{
    const auto canonical = canonicalDir(dir);
    if (canonical.empty())
        return std::nullopt;
    std::scoped_lock lock(m_impl->mutex);
    // A folder reused by a later run (after the first was removed) names the newest.
    return m_impl->findWhere("dir = ?1 ORDER BY id DESC LIMIT 1",
                             [&](store::Statement& st) { st.bindText(1, canonical); });
}

std::optional<RunRecord> RunDatabase::find(std::int64_t id) const
{
    std::scoped_lock lock(m_impl->mutex);
    return m_impl->findWhere("id = ?1", [&](store::Statement& st) { st.bindInt(1, id); });
}

std::vector<RunRecord> RunDatabase::list() const
{
    std::scoped_lock lock(m_impl->mutex);
    store::Statement st(*m_impl->db,
                        std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY created_at DESC, id DESC");
    std::vector<RunRecord> runs;
    while (st.step())
        runs.push_back(m_impl->read(st));
    return runs;
}

void RunDatabase::markRunning(std::int64_t id, std::int64_t stepsTotal)
{
    std::scoped_lock lock(m_impl->mutex);
    store::Statement st(*m_impl->db, "UPDATE runs SET status = 'running', error = '', pid = ?2, host = ?3, "
                                     "pid_start = ?4, updated_at = ?5, steps_total = ?6 WHERE id = ?1");
    st.bindInt(1, id)
        .bindInt(2, ::getpid())
        .bindText(3, m_impl->host)
        .bindInt(4, ownStartTicks())
        .bindInt(5, unixNow())
        .bindInt(6, stepsTotal);
    st.run();
    m_impl->requireChanged(id);
}

void RunDatabase::setProgress(std::int64_t id, std::int64_t stepsDone, const std::string& summaryJson)
{
    std::scoped_lock lock(m_impl->mutex);
    // An empty summary keeps the stored one: progress can be reported between evaluations.
    store::Statement st(*m_impl->db, "UPDATE runs SET steps_done = ?2, summary_json = CASE WHEN ?3 = '' THEN "
                                     "summary_json ELSE ?3 END, updated_at = ?4 WHERE id = ?1");
    st.bindInt(1, id).bindInt(2, stepsDone).bindText(3, summaryJson).bindInt(4, unixNow());
    st.run();
    m_impl->requireChanged(id);
}

void RunDatabase::finish(std::int64_t id, const std::string& status, const std::string& summaryJson,
                         const std::string& error)
{
    if (!isFinalStatus(status))
        throw InvalidArgument("'" + status +
                              "' is not a final run status (finished, early-stopped, cancelled, diverged or failed)");
    std::scoped_lock lock(m_impl->mutex);
    store::Statement st(*m_impl->db, "UPDATE runs SET status = ?2, summary_json = CASE WHEN ?3 = '' THEN "
                                     "summary_json ELSE ?3 END, error = ?4, updated_at = ?5 WHERE id = ?1");
    st.bindInt(1, id).bindText(2, status).bindText(3, summaryJson).bindText(4, error).bindInt(5, unixNow());
    st.run();
    m_impl->requireChanged(id);
}

void RunDatabase::remove(std::int64_t id)
{
    std::scoped_lock lock(m_impl->mutex);
    auto& db = *m_impl->db;
    store::Transaction tx(db);
    store::Statement(db, "DELETE FROM metrics WHERE run_id = ?1").bindInt(1, id).run();
    store::Statement(db, "DELETE FROM runs WHERE id = ?1").bindInt(1, id).run();
    tx.commit();
}

void RunDatabase::appendMetrics(std::int64_t id, const std::vector<MetricPoint>& points)
{
    if (points.empty())
        return;
    std::scoped_lock lock(m_impl->mutex);
    auto& db = *m_impl->db;
    store::Transaction tx(db);
    {
        store::Statement exists(db, "SELECT 1 FROM runs WHERE id = ?1");
        if (!exists.bindInt(1, id).step())
            m_impl->noSuchRun(id);
    }
    store::Statement st(db, "INSERT INTO metrics (run_id, name, step, value, seconds) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const auto& p : points) {
        st.bindInt(1, id).bindText(2, p.name).bindInt(3, p.step).bindDouble(4, p.value).bindDouble(5, p.seconds);
        st.run();
        st.reset();
    }
    tx.commit();
}

void RunDatabase::truncateMetricsAfter(std::int64_t id, std::int64_t step)
{
    std::scoped_lock lock(m_impl->mutex);
    store::Statement st(*m_impl->db, "DELETE FROM metrics WHERE run_id = ?1 AND step > ?2");
    st.bindInt(1, id).bindInt(2, step).run();
}

std::vector<MetricPoint> RunDatabase::metrics(std::int64_t id, const std::string& name) const
{
    std::scoped_lock lock(m_impl->mutex);
    // rowid keeps the order in which points of one step were written.
    store::Statement st(*m_impl->db, name.empty() ? "SELECT name, step, value, seconds FROM metrics WHERE run_id = ?1 "
                                                    "ORDER BY step, rowid"
                                                  : "SELECT name, step, value, seconds FROM metrics WHERE run_id = ?1 "
                                                    "AND name = ?2 ORDER BY step, rowid");
    st.bindInt(1, id);
    if (!name.empty())
        st.bindText(2, name);
    std::vector<MetricPoint> points;
    while (st.step())
        points.push_back(MetricPoint{st.columnText(0), st.columnInt(1), st.columnDoubleOrNan(2), st.columnDouble(3)});
    return points;
}

std::vector<std::string> RunDatabase::metricNames(std::int64_t id) const
{
    std::scoped_lock lock(m_impl->mutex);
    store::Statement st(*m_impl->db, "SELECT DISTINCT name FROM metrics WHERE run_id = ?1 ORDER BY name");
    st.bindInt(1, id);
    std::vector<std::string> names;
    while (st.step())
        names.push_back(st.columnText(0));
    return names;
}

MetricWriter::MetricWriter(RunDatabase& db, std::int64_t runId, std::size_t maxPoints, double maxSeconds)
    : m_db(db), m_runId(runId), m_maxPoints(maxPoints == 0 ? 1 : maxPoints), m_maxSeconds(maxSeconds),
      m_lastFlush(steadySeconds())
{
    m_pending.reserve(m_maxPoints);
}

MetricWriter::~MetricWriter()
{
    try {
        flush();
    } catch (...) { // NOLINT(bugprone-empty-catch): documented; flush() reports errors to callers who ask
    }
}

void MetricWriter::add(MetricPoint point)
{
    m_pending.push_back(std::move(point));
    if (m_pending.size() >= m_maxPoints || steadySeconds() - m_lastFlush >= m_maxSeconds)
        flush();
}

void MetricWriter::flush()
{
    // On failure the points stay pending, so a later flush can still write them.
    m_db.appendMetrics(m_runId, m_pending);
    m_pending.clear();
    m_lastFlush = steadySeconds();
}

} // namespace zl
