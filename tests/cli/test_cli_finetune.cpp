// zerolens-cli finetune end to end: a run killed with SIGKILL mid-way and run
// again ends with the same S and metric history as an uninterrupted one; the
// exported model evaluates to the accuracy the run reported; bad input gets
// one-line errors.
#include "test_support.h"

#include "zerolens/runs.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

class TestCliFinetune : public QObject {
    Q_OBJECT

private:
    test::SampleCheckpoint m_model;
    QTemporaryDir m_tmp;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

    std::vector<std::string> runArgs(const fs::path& out) const
    {
        return {"finetune",     m_model.dir().string(),
                "--mask",       tmp("mask").string(),
                "--data",       tmp("data").string(),
                "--steps",      "600",
                "--batch",      "4",
                "--lr",         "1e-3",
                "--eval-every", "25",
                "--db",         tmp("runs.sqlite").string(),
                "--json",       "--no-export",
                "--threads",    "1",
                "--out",        out.string()};
    }

    // The last line of stdout: the final result of --json.
    static json lastLine(const std::string& out)
    {
        const auto end = out.find_last_not_of('\n');
        return json::parse(out.substr(out.rfind('\n', end) == std::string::npos ? 0 : out.rfind('\n', end) + 1));
    }

    static std::int64_t latestStep(const fs::path& run)
    {
        std::error_code ec;
        if (!fs::exists(run / "checkpoints/latest", ec))
            return -1;
        const auto name = test::readFile(run / "checkpoints/latest"); // step-000000025.safetensors
        return name.size() > 14 ? std::stoll(name.substr(5, 9)) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::writeClassifyDataset(tmp("data"), 16);
        const auto r = test::runCli({"sensitivity", m_model.dir().string(), "--rule", "random", "--fraction", "0.02",
                                     "--out", tmp("mask").string()});
        QVERIFY2(r.code == 0, r.err.c_str());
    }

    void killedRunResumesToTheSameResult()
    {
        const auto whole = test::runCli(runArgs(tmp("whole")));
        QVERIFY2(whole.code == 0, whole.err.c_str());
        const auto result = lastLine(whole.out);
        QCOMPARE(result["status"].get<std::string>(), std::string("finished"));
        QVERIFY(result["test_accuracy"].get<double>() >= 0);

        QProcess p;
        QStringList args;
        for (const auto& a : runArgs(tmp("killed")))
            args << QString::fromStdString(a);
        p.start(QStringLiteral(ZL_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(latestStep(tmp("killed")) >= 100 || p.state() == QProcess::NotRunning, 120000);
        if (const auto pid = static_cast<pid_t>(p.processId()); pid > 0)
            ::kill(pid, SIGKILL);
        QVERIFY(p.state() == QProcess::NotRunning || p.waitForFinished(30000));
        const bool killed = p.exitStatus() == QProcess::CrashExit;
        if (killed) {
            const auto list = test::runCli({"runs", "list", "--json", "--db", tmp("runs.sqlite").string()});
            QVERIFY2(list.code == 0, list.err.c_str());
            QVERIFY2(list.out.find("interrupted") != std::string::npos, list.out.c_str());
        }
        const auto again = test::runCli(runArgs(tmp("killed")));
        QVERIFY2(again.code == 0, again.err.c_str());
        const auto resumed = lastLine(again.out);
        if (killed)
            QVERIFY(resumed["resumed_from"].get<std::int64_t>() >= 100);
        QCOMPARE(resumed["steps"].get<std::int64_t>(), std::int64_t{600});
        QCOMPARE(resumed["test_accuracy"].get<double>(), result["test_accuracy"].get<double>());

        auto latest = [](const fs::path& run) {
            return run / "checkpoints" / test::readFile(run / "checkpoints/latest");
        };
        QVERIFY(test::tensorData(latest(tmp("whole"))) == test::tensorData(latest(tmp("killed"))));
        RunDatabase db(tmp("runs.sqlite"));
        for (const char* metric : {"loss", "dev_accuracy", "projected_grad"}) {
            const auto a = db.metrics(result["run_id"].get<std::int64_t>(), metric);
            const auto b = db.metrics(resumed["run_id"].get<std::int64_t>(), metric);
            QVERIFY(!a.empty());
            QCOMPARE(b.size(), a.size()); // nothing lost, nothing duplicated
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(b[i].step, a[i].step);
                QCOMPARE(b[i].value, a[i].value);
            }
        }
        QCOMPARE(db.find(resumed["run_id"].get<std::int64_t>())->status, std::string("finished"));
    }

    void exportedModelEvaluatesToTheReportedAccuracy()
    {
        const auto exported = test::runCli({"runs", "export", tmp("whole").string(), "--kind", "dense", "--dtype",
                                            "F32", "--out", tmp("exported").string()});
        QVERIFY2(exported.code == 0, exported.err.c_str());
        const auto eval = test::runCli(
            {"evaluate", tmp("exported").string(), "--data", tmp("data").string(), "--split", "test", "--json"});
        QVERIFY2(eval.code == 0, eval.err.c_str());
        RunDatabase db(tmp("runs.sqlite"));
        const auto run = db.findByDir(tmp("whole"));
        QVERIFY(run);
        const auto summary = json::parse(run->summaryJson);
        QCOMPARE(json::parse(eval.out)["accuracy"].get<double>(), summary["test"]["accuracy"].get<double>());
        // The same target again is refused without --overwrite.
        const auto again = test::runCli({"runs", "export", tmp("whole").string(), "--out", tmp("exported").string()});
        QCOMPARE(again.code, 1);
    }

    void badInputGetsOneLineErrors()
    {
        auto args = runArgs(tmp("bad"));
        args[5] = tmp("missing").string(); // --data
        auto r = test::runCli(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.rfind("error: ", 0) == 0 && r.err.find("does not exist") != std::string::npos, r.err.c_str());

        args = runArgs(tmp("bad"));
        args.insert(args.end(), {"--method", "sgd"});
        QCOMPARE(test::runCli(args).code, 2);

        args = runArgs(tmp("bad"));
        args.insert(args.end(), {"--method", "dense-zo"}); // takes no mask
        r = test::runCli(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("no mask") != std::string::npos, r.err.c_str());

        test::writeFile(tmp("bad.csv"), "text,label\n\"never closed,small\n");
        r = test::runCli({"finetune", m_model.dir().string(), "--mask", tmp("mask").string(), "--data",
                          tmp("bad.csv").string(), "--labels", "small,large", "--prompt", "{text}", "--out",
                          tmp("bad").string(), "--db", tmp("runs.sqlite").string()});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.find("bad.csv:2") != std::string::npos, r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCliFinetune)
#include "test_cli_finetune.moc"
