// The run database: runs and metrics survive in a real SQLite file; a file that
// is not ours (text, another application's database, a newer schema) is refused
// untouched; a run whose process died shows as "interrupted"; batched metric
// writes lose at most the unflushed batch when the process dies.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/runs.h"

#include <QTest>

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <limits>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace zl;
namespace fs = std::filesystem;

namespace {

RunRecord sampleRun(const std::string& name, const fs::path& dir = {})
{
    RunRecord r;
    r.name = name;
    r.dir = dir;
    r.method = "sparse-zo";
    r.task = "classify";
    r.configJson = R"({"steps":100,"seed":0})";
    r.modelId = "model-123";
    r.maskHash = "mask-abc";
    r.dataHash = "data-def";
    r.stepsTotal = 100;
    return r;
}

// Runs `body` in a forked child that ends with _exit (no destructors, no flush),
// and returns the child's pid after it has been reaped. The child exits 0 when
// `body` returned, 1 when it threw.
pid_t inChild(const std::function<void()>& body)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            body();
        } catch (...) {
            ::_exit(1);
        }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return pid;
}

// Runs SQL on a database file through the SQLite API, bypassing RunDatabase.
void rawExec(const fs::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string message = err != nullptr ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

std::int64_t rawInt(const fs::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    std::int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

std::string rawText(const fs::path& file, const std::string& sql)
{
    sqlite3* db = nullptr;
    sqlite3_open(file.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    std::string v;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

// The message of the FormatError that opening `file` throws; empty if it opens.
std::string openError(const fs::path& file)
{
    try {
        RunDatabase db(file);
    } catch (const FormatError& e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestRunDatabase : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { m_tmp = std::make_unique<QTemporaryDir>(); }

    void createListFind()
    {
        const auto runDir = dir() / "run-a";
        fs::create_directories(runDir);
        RunDatabase db(dbFile());
        QCOMPARE(db.path(), dbFile());
        QVERIFY(db.list().empty());

        const auto before = static_cast<std::int64_t>(std::time(nullptr));
        const auto a = db.createRun(sampleRun("first", runDir));
        const auto b = db.createRun(sampleRun("second", dir() / "run-b")); // folder not created yet
        QVERIFY(a > 0 && b > a);

        const auto runs = db.list();
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(runs[0].id, b); // newest first
        QCOMPARE(runs[1].id, a);

        const auto r = db.find(a);
        QVERIFY(r.has_value());
        QCOMPARE(r->name, std::string("first"));
        QCOMPARE(r->dir, fs::canonical(runDir));
        QCOMPARE(r->status, std::string("running"));
        QCOMPARE(r->method, std::string("sparse-zo"));
        QCOMPARE(r->task, std::string("classify"));
        QCOMPARE(r->configJson, std::string(R"({"steps":100,"seed":0})"));
        QCOMPARE(r->modelId, std::string("model-123"));
        QCOMPARE(r->maskHash, std::string("mask-abc"));
        QCOMPARE(r->dataHash, std::string("data-def"));
        QCOMPARE(r->stepsDone, std::int64_t(0));
        QCOMPARE(r->stepsTotal, std::int64_t(100));
        QCOMPARE(r->summaryJson, std::string("{}"));
        QCOMPARE(r->pid, std::int64_t(::getpid()));
        QVERIFY(r->createdAt >= before && r->createdAt <= before + 60);
        QCOMPARE(r->updatedAt, r->createdAt);
        QVERIFY(!db.find(b + 100).has_value());

        // findByDir compares canonical paths: a trailing slash, "..", a symlink.
        QCOMPARE(db.findByDir(runDir.string() + "/")->id, a);
        QCOMPARE(db.findByDir(runDir / ".." / "run-a")->id, a);
        fs::create_directory_symlink(runDir, dir() / "link");
        QCOMPARE(db.findByDir(dir() / "link")->id, a);
        QCOMPARE(db.findByDir(dir() / "run-b")->id, b);
        QVERIFY(!db.findByDir(dir() / "run-c").has_value());
        QVERIFY(!db.findByDir({}).has_value());
    }

    void updatesAndRemove()
    {
        RunDatabase db(dbFile());
        const auto id = db.createRun(sampleRun("r", dir() / "r"));
        db.setProgress(id, 40, R"({"dev":{"accuracy":0.5}})");
        QCOMPARE(db.find(id)->stepsDone, std::int64_t(40));
        db.setProgress(id, 50, ""); // an empty summary keeps the stored one
        QCOMPARE(db.find(id)->stepsDone, std::int64_t(50));
        QCOMPARE(db.find(id)->summaryJson, std::string(R"({"dev":{"accuracy":0.5}})"));

        db.finish(id, "failed", R"({"x":1})", "out of memory");
        auto r = db.find(id);
        QCOMPARE(r->status, std::string("failed"));
        QCOMPARE(r->error, std::string("out of memory"));
        QCOMPARE(r->summaryJson, std::string(R"({"x":1})"));

        db.markRunning(id, 2500); // resume clears the error and may extend the run
        r = db.find(id);
        QCOMPARE(r->status, std::string("running"));
        QVERIFY(r->error.empty());
        QCOMPARE(r->stepsTotal, std::int64_t{2500});

        QVERIFY_THROWS_EXCEPTION(InvalidArgument, db.finish(id, "done", "{}"));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, db.finish(id + 1, "finished", "{}"));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, db.setProgress(id + 1, 1, "{}"));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, db.markRunning(id + 1, 10));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, db.appendMetrics(id + 1, {{"loss", 1, 1.0, 0.0}}));

        db.appendMetrics(id, {{"loss", 1, 2.0, 0.1}});
        const auto other = db.createRun(sampleRun("other"));
        db.appendMetrics(other, {{"loss", 1, 3.0, 0.1}});
        db.remove(id);
        QVERIFY(!db.find(id).has_value());
        QVERIFY(db.metrics(id).empty());
        QCOMPARE(db.metrics(other).size(), std::size_t(1));
        QCOMPARE(rawInt(dbFile(), "SELECT count(*) FROM metrics"), std::int64_t(1));
        // Ids are never reused, so a removed run's id cannot name a new one.
        QVERIFY(db.createRun(sampleRun("later")) > other);
    }

    void metricsOrderAndTruncate()
    {
        RunDatabase db(dbFile());
        const auto id = db.createRun(sampleRun("m"));
        const auto other = db.createRun(sampleRun("other"));
        db.appendMetrics(id, {{"loss", 3, 0.7, 3.0}, {"lr", 3, 1e-4, 3.0}, {"loss", 1, 0.9, 1.0}});
        db.appendMetrics(id, {{"loss", 2, 0.8, 2.0},
                              {"dev_accuracy", 2, 0.6, 2.5},
                              {"loss", 4, std::numeric_limits<double>::quiet_NaN(), 4.0}});
        db.appendMetrics(other, {{"loss", 10, 5.0, 1.0}});

        const auto all = db.metrics(id);
        QCOMPARE(all.size(), std::size_t(6));
        for (std::size_t i = 1; i < all.size(); ++i)
            QVERIFY(all[i - 1].step <= all[i].step);
        QCOMPARE(all[0].name, std::string("loss"));
        QCOMPARE(all[0].step, std::int64_t(1));
        // Within a step, points keep the order they were written in.
        QCOMPARE(all[3].name, std::string("loss"));
        QCOMPARE(all[4].name, std::string("lr"));

        const auto loss = db.metrics(id, "loss");
        QCOMPARE(loss.size(), std::size_t(4));
        QCOMPARE(loss[1].step, std::int64_t(2));
        QCOMPARE(loss[1].value, 0.8);
        QCOMPARE(loss[1].seconds, 2.0);
        QVERIFY(std::isnan(loss[3].value)); // a diverged loss comes back as NaN
        QCOMPARE(db.metricNames(id), (std::vector<std::string>{"dev_accuracy", "loss", "lr"}));

        db.truncateMetricsAfter(id, 2);
        const auto kept = db.metrics(id);
        QCOMPARE(kept.size(), std::size_t(3));
        for (const auto& p : kept)
            QVERIFY(p.step <= 2);
        QCOMPARE(db.metricNames(id), (std::vector<std::string>{"dev_accuracy", "loss"}));
        QCOMPARE(db.metrics(other).size(), std::size_t(1)); // other runs keep theirs
    }

    void migratesEmptyFile()
    {
        test::writeFile(dbFile(), "");
        {
            RunDatabase db(dbFile());
            db.createRun(sampleRun("r"));
        }
        QCOMPARE(rawInt(dbFile(), "PRAGMA user_version"), std::int64_t(1));
        QVERIFY(rawInt(dbFile(), "PRAGMA application_id") != 0);
        QCOMPARE(rawText(dbFile(), "PRAGMA journal_mode"), std::string("wal"));
        // Reopening an up-to-date database keeps its runs.
        RunDatabase again(dbFile());
        QCOMPARE(again.list().size(), std::size_t(1));
    }

    void createsFolder()
    {
        const auto file = dir() / "a" / "b" / "runs.sqlite";
        RunDatabase db(file);
        QVERIFY(fs::is_regular_file(file));
    }

    void refusesTextFile()
    {
        const std::string text = "step,loss\n1,0.5\n2,0.4\n" + std::string(2000, 'x') + "\n";
        test::writeFile(dbFile(), text);
        const auto message = openError(dbFile());
        QVERIFY2(contains(message, dbFile().string()), message.c_str());
        QVERIFY2(contains(message, "is not a ZeroLens run database"), message.c_str());
        QCOMPARE(test::readFile(dbFile()), text);
        // A short file, below SQLite's header size, too.
        test::writeFile(dbFile(), "hello\n");
        QVERIFY(contains(openError(dbFile()), "is not a ZeroLens run database"));
        QCOMPARE(test::readFile(dbFile()), std::string("hello\n"));
    }

    void refusesForeignDatabase()
    {
        rawExec(dbFile(), "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x')");
        const auto bytes = test::readFile(dbFile());
        const auto message = openError(dbFile());
        QVERIFY2(contains(message, dbFile().string() + " is not a ZeroLens run database"), message.c_str());
        QCOMPARE(test::readFile(dbFile()), bytes);
        QCOMPARE(rawText(dbFile(), "PRAGMA journal_mode"), std::string("delete")); // not switched to WAL

        const auto other = dir() / "other.sqlite";
        rawExec(other, "PRAGMA application_id = 1234");
        QVERIFY(contains(openError(other), "is not a ZeroLens run database"));
    }

    void refusesNewerVersion()
    {
        {
            RunDatabase db(dbFile());
            db.createRun(sampleRun("r"));
        }
        rawExec(dbFile(), "PRAGMA user_version = 99");
        const auto message = openError(dbFile());
        QVERIFY2(contains(message, dbFile().string() + " was written by a newer ZeroLens"), message.c_str());
        QCOMPARE(rawInt(dbFile(), "PRAGMA user_version"), std::int64_t(99));
        QCOMPARE(rawInt(dbFile(), "SELECT count(*) FROM runs"), std::int64_t(1));
    }

    void deadProcessIsInterrupted()
    {
        // The child opens its own connection (SQLite connections must not cross a
        // fork), creates a run and exits without finish().
        const auto file = dbFile();
        const pid_t child = inChild([&] {
            RunDatabase db(file);
            db.createRun(sampleRun("dies", dir() / "dies"));
        });
        QVERIFY(child > 0); // reaped: kill(pid, 0) now fails with ESRCH

        RunDatabase db(file);
        const auto dead = db.findByDir(dir() / "dies");
        QVERIFY(dead.has_value());
        QCOMPARE(dead->pid, std::int64_t(child));
        QCOMPARE(dead->status, std::string("interrupted"));
        QCOMPARE(db.find(dead->id)->status, std::string("interrupted"));
        QCOMPARE(db.list().front().status, std::string("interrupted"));

        const auto alive = db.createRun(sampleRun("alive"));
        QCOMPARE(db.find(alive)->status, std::string("running"));

        // Only pids of this host are judged: the same dead pid elsewhere stays "running".
        rawExec(file, "UPDATE runs SET host = 'another-host' WHERE id = " + std::to_string(dead->id));
        QCOMPARE(db.find(dead->id)->status, std::string("running"));

        // Back on this host it is interrupted; finish() and a resume change that.
        rawExec(file, "UPDATE runs SET host = (SELECT host FROM runs WHERE id = " + std::to_string(alive) +
                          ") WHERE id = " + std::to_string(dead->id));
        QCOMPARE(db.find(dead->id)->status, std::string("interrupted"));
        db.finish(dead->id, "cancelled", "{}");
        QCOMPARE(db.find(dead->id)->status, std::string("cancelled"));
        // Resumed by this process: running again.
        db.markRunning(dead->id, dead->stepsTotal);
        QCOMPARE(db.find(dead->id)->status, std::string("running"));
        QCOMPARE(db.find(dead->id)->pid, std::int64_t(::getpid()));
    }

    void metricWriterBatches()
    {
        RunDatabase db(dbFile());
        RunDatabase reader(dbFile()); // another connection, as the GUI would have
        const auto id = db.createRun(sampleRun("w"));
        {
            MetricWriter w(db, id, 10, 1e9);
            for (int i = 0; i < 9; ++i)
                w.add({"loss", i, 1.0 / (i + 1), 0.0});
            QCOMPARE(reader.metrics(id).size(), std::size_t(0));
            w.add({"loss", 9, 0.1, 0.0});
            QCOMPARE(reader.metrics(id).size(), std::size_t(10));
            w.add({"loss", 10, 0.05, 0.0});
            QCOMPARE(reader.metrics(id).size(), std::size_t(10));
            w.flush();
            QCOMPARE(reader.metrics(id).size(), std::size_t(11));
            w.add({"loss", 11, 0.04, 0.0});
        } // the destructor flushes
        QCOMPARE(reader.metrics(id).size(), std::size_t(12));

        // By time: a point added once maxSeconds have passed writes the whole batch.
        const auto timed = db.createRun(sampleRun("timed"));
        MetricWriter w(db, timed, 1000, 0.2);
        w.add({"loss", 0, 1.0, 0.0});
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        w.add({"loss", 1, 1.0, 0.3});
        QCOMPARE(reader.metrics(timed).size(), std::size_t(2));
    }

    void killedWriterLosesOnlyUnflushed()
    {
        const auto file = dbFile();
        std::int64_t id = 0;
        {
            RunDatabase db(file);
            id = db.createRun(sampleRun("killed"));
        }
        // No connection is open in this process across the fork.
        const pid_t child = inChild([&] {
            RunDatabase db(file);
            MetricWriter w(db, id, 10, 1e9);
            for (int i = 0; i < 25; ++i)
                w.add({"loss", i, 0.5, 0.1 * i});
            ::_exit(0); // like kill -9: no destructor, no final flush
        });
        QVERIFY(child > 0);
        RunDatabase db(file);
        const auto points = db.metrics(id);
        QCOMPARE(points.size(), std::size_t(20));
        QCOMPARE(points.back().step, std::int64_t(19));
    }

    void concurrentWritersWait()
    {
        // Two processes writing batches at once: BEGIN IMMEDIATE and the busy
        // timeout make each wait for the other instead of failing "database is locked".
        const auto file = dbFile();
        std::int64_t id = 0;
        {
            RunDatabase db(file);
            id = db.createRun(sampleRun("shared"));
        }
        const auto writeBatches = [&](const std::string& name) {
            RunDatabase db(file);
            for (int b = 0; b < 100; ++b) {
                std::vector<MetricPoint> batch;
                for (int i = 0; i < 10; ++i)
                    batch.push_back({name, b * 10 + i, 1.0, 0.0});
                db.appendMetrics(id, batch);
            }
        };
        const pid_t pid = ::fork();
        if (pid == 0) {
            try {
                writeBatches("child");
            } catch (...) {
                ::_exit(1);
            }
            ::_exit(0);
        }
        writeBatches("parent");
        int status = 0;
        ::waitpid(pid, &status, 0);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        RunDatabase db(file);
        QCOMPARE(db.metrics(id, "child").size(), std::size_t(1000));
        QCOMPARE(db.metrics(id, "parent").size(), std::size_t(1000));
    }

    void walConnectionsSeeEachOther()
    {
        RunDatabase a(dbFile());
        RunDatabase b(dbFile());
        const auto id = a.createRun(sampleRun("shared"));
        QCOMPARE(b.find(id)->name, std::string("shared"));
        b.appendMetrics(id, {{"loss", 1, 0.5, 0.1}});
        QCOMPARE(a.metrics(id).size(), std::size_t(1));
        b.finish(id, "finished", R"({"dev":{"accuracy":0.75}})");
        QCOMPARE(a.find(id)->status, std::string("finished"));
        QCOMPARE(rawText(dbFile(), "PRAGMA journal_mode"), std::string("wal"));
    }

    void defaultPathFollowsEnvironment()
    {
        const auto saved = [](const char* name) -> std::optional<std::string> {
            const char* v = std::getenv(name);
            return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
        };
        const auto runsDb = saved("ZL_RUNS_DB"), xdg = saved("XDG_DATA_HOME"), home = saved("HOME");

        ::setenv("ZL_RUNS_DB", "/x/my.sqlite", 1);
        QCOMPARE(RunDatabase::defaultPath(), fs::path("/x/my.sqlite"));
        ::unsetenv("ZL_RUNS_DB");
        ::setenv("XDG_DATA_HOME", "/data", 1);
        QCOMPARE(RunDatabase::defaultPath(), fs::path("/data/zerolens/runs.sqlite"));
        ::setenv("XDG_DATA_HOME", "relative", 1); // invalid per the XDG spec: ignored
        ::setenv("HOME", "/home/someone", 1);
        QCOMPARE(RunDatabase::defaultPath(), fs::path("/home/someone/.local/share/zerolens/runs.sqlite"));

        const auto restore = [](const char* name, const std::optional<std::string>& v) {
            if (v)
                ::setenv(name, v->c_str(), 1);
            else
                ::unsetenv(name);
        };
        restore("ZL_RUNS_DB", runsDb);
        restore("XDG_DATA_HOME", xdg);
        restore("HOME", home);
    }

private:
    fs::path dir() const { return fs::path(m_tmp->path().toStdString()); }
    fs::path dbFile() const { return dir() / "runs.sqlite"; }

    std::unique_ptr<QTemporaryDir> m_tmp; // a fresh folder per test function
};

QTEST_GUILESS_MAIN(TestRunDatabase)
#include "test_run_database.moc"
