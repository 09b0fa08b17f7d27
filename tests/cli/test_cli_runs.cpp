// zerolens-cli runs list / show on a run database written through RunDatabase:
// the JSON agrees with the database, the text views show what a user looks for,
// and a missing run or a file that is not a run database is one error line with exit 1.
#include "test_support.h"

#include "zerolens/runs.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <sstream>
#include <unistd.h>

using namespace zl;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

} // namespace

class TestCliRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_runDir = dir() / "run-one";
        fs::create_directories(m_runDir);
        RunDatabase db(dbFile());

        RunRecord a;
        a.name = "sparse-zo classify seed 0";
        a.dir = m_runDir;
        a.method = "sparse-zo";
        a.task = "classify";
        a.configJson = R"({"steps":3,"learning_rate":0.0001,"data":{"train":"train.jsonl"}})";
        a.modelId = "tiny-llama";
        a.maskHash = "mask-1";
        a.dataHash = "data-1";
        a.stepsTotal = 3;
        m_first = db.createRun(a);
        db.appendMetrics(m_first, {{"loss", 1, 0.9, 0.5},
                                   {"loss", 2, 0.8125, 1.0},
                                   {"dev_accuracy", 2, 0.75, 1.2},
                                   {"loss", 3, 0.1 + 0.2, 1.5}}); // 0.30000000000000004: must survive exactly
        db.setProgress(m_first, 3, "");
        // The fine-tuner's summary names the best dev score; the final one comes from the metrics.
        db.finish(m_first, "finished", R"({"best_dev":{"accuracy":0.8,"loss":0.5},"best_step":2})");

        RunRecord b;
        b.name = "dense-zo generate";
        b.dir = dir() / "run-two";
        b.method = "dense-zo";
        b.task = "generate";
        b.stepsTotal = 50;
        m_second = db.createRun(b); // running in this (live) process
        db.setProgress(m_second, 7, "");
    }

    void listJson()
    {
        const auto r = test::runCli({"runs", "list", "--db", dbFile().string(), "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        QCOMPARE(j.size(), std::size_t(2));
        QCOMPARE(j[0]["id"].get<std::int64_t>(), m_second); // newest first
        QCOMPARE(j[0]["status"].get<std::string>(), std::string("running"));
        QCOMPARE(j[0]["steps_done"].get<std::int64_t>(), std::int64_t(7));
        QVERIFY(j[0]["best_dev_accuracy"].is_null());
        QCOMPARE(j[1]["id"].get<std::int64_t>(), m_first);
        QCOMPARE(j[1]["status"].get<std::string>(), std::string("finished"));
        QCOMPARE(j[1]["dir"].get<std::string>(), fs::canonical(m_runDir).string());
        QCOMPARE(j[1]["best_dev_accuracy"].get<double>(), 0.8);
        QCOMPARE(j[1]["final_dev_accuracy"].get<double>(), 0.75);
        QCOMPARE(j[1]["config"]["steps"].get<int>(), 3);
    }

    void listTable()
    {
        const auto r = test::runCli({"runs", "list", "--db", dbFile().string()});
        QCOMPARE(r.code, 0);
        const auto rows = lines(r.out);
        QCOMPARE(rows.size(), std::size_t(3));
        QVERIFY2(contains(rows[0], "STATUS") && contains(rows[0], "FOLDER"), rows[0].c_str());
        QVERIFY2(rows[1].rfind(std::to_string(m_second) + " ", 0) == 0, rows[1].c_str());
        QVERIFY2(contains(rows[1], "running") && contains(rows[1], "7/50"), rows[1].c_str());
        QVERIFY2(contains(rows[2], "finished") && contains(rows[2], "3/3") && contains(rows[2], "0.800") &&
                     contains(rows[2], "0.750") && contains(rows[2], fs::canonical(m_runDir).string()),
                 rows[2].c_str());
    }

    void showByIdAndFolder()
    {
        const auto byId = test::runCli({"runs", "show", std::to_string(m_first), "--db", dbFile().string()});
        QCOMPARE(byId.code, 0);
        QVERIFY2(contains(byId.out, "run " + std::to_string(m_first) + ": sparse-zo classify seed 0"),
                 byId.out.c_str());
        QVERIFY2(contains(byId.out, "configuration:\n{\n  \"data\": {\n    \"train\": \"train.jsonl\""),
                 byId.out.c_str()); // pretty-printed
        QVERIFY2(contains(byId.out, "dev_accuracy"), byId.out.c_str());
        QVERIFY2(contains(byId.out, "step 3"), byId.out.c_str()); // the last loss

        // The folder, spelled with a trailing slash, names the same run.
        const auto byDir = test::runCli({"runs", "show", m_runDir.string() + "/", "--db", dbFile().string()});
        QCOMPARE(byDir.code, 0);
        QCOMPARE(byDir.out, byId.out);
    }

    void showJson()
    {
        const auto r = test::runCli({"runs", "show", std::to_string(m_first), "--db", dbFile().string(), "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        QCOMPARE(j["name"].get<std::string>(), std::string("sparse-zo classify seed 0"));
        QCOMPARE(j["config"]["learning_rate"].get<double>(), 0.0001);
        QCOMPARE(j["summary"]["best_step"].get<int>(), 2);
        QCOMPARE(j["last_metrics"]["loss"]["step"].get<std::int64_t>(), std::int64_t(3));
        QCOMPARE(j["last_metrics"]["loss"]["value"].get<double>(), 0.1 + 0.2);
        QCOMPARE(j["last_metrics"]["dev_accuracy"]["value"].get<double>(), 0.75);
        QVERIFY(!j.contains("metrics"));
    }

    void showMetricsCsv()
    {
        const auto r = test::runCli({"runs", "show", std::to_string(m_first), "--db", dbFile().string(), "--metrics"});
        QCOMPARE(r.code, 0);
        const auto rows = lines(r.out);
        RunDatabase db(dbFile());
        const auto want = db.metrics(m_first);
        QCOMPARE(rows.size(), want.size() + 1);
        QCOMPARE(rows[0], std::string("name,step,value,seconds"));
        for (std::size_t i = 0; i < want.size(); ++i) {
            std::istringstream row(rows[i + 1]);
            std::string name, step, value, seconds;
            std::getline(row, name, ',');
            std::getline(row, step, ',');
            std::getline(row, value, ',');
            std::getline(row, seconds, ',');
            QCOMPARE(name, want[i].name);
            QCOMPARE(std::stoll(step), want[i].step);
            QCOMPARE(std::stod(value), want[i].value); // exact: the CSV keeps every digit
            QCOMPARE(std::stod(seconds), want[i].seconds);
        }
    }

    void missingRun()
    {
        const auto r = test::runCli({"runs", "show", "999", "--db", dbFile().string()});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err, "error: no run 999 in " + dbFile().string() + "\n");
        QVERIFY(r.out.empty());
        const auto byDir = test::runCli({"runs", "show", (dir() / "nowhere").string(), "--db", dbFile().string()});
        QCOMPARE(byDir.code, 1);
        QVERIFY2(contains(byDir.err, "no run with the folder"), byDir.err.c_str());
    }

    void garbageDatabase()
    {
        const auto garbage = dir() / "garbage.sqlite";
        const std::string bytes = "this is a text file, not a database\n" + std::string(1000, '#');
        test::writeFile(garbage, bytes);
        for (const auto& args : {std::vector<std::string>{"runs", "list", "--db", garbage.string()},
                                 std::vector<std::string>{"runs", "show", "1", "--db", garbage.string(), "--json"}}) {
            const auto r = test::runCli(args);
            QCOMPARE(r.code, 1);
            QVERIFY(r.out.empty());
            QCOMPARE(lines(r.err).size(), std::size_t(1));
            QVERIFY2(r.err.rfind("error: " + garbage.string() + " is not a ZeroLens run database", 0) == 0,
                     r.err.c_str());
        }
        QCOMPARE(test::readFile(garbage), bytes); // refused untouched
    }

    void absentDatabaseIsNotCreated()
    {
        const auto absent = dir() / "absent" / "runs.sqlite";
        const auto list = test::runCli({"runs", "list", "--db", absent.string()});
        QCOMPARE(list.code, 0);
        QCOMPARE(list.out, "no runs in " + absent.string() + "\n");
        const auto asJson = test::runCli({"runs", "list", "--db", absent.string(), "--json"});
        QCOMPARE(asJson.out, std::string("[]\n"));
        QCOMPARE(test::runCli({"runs", "show", "1", "--db", absent.string()}).code, 1);
        QVERIFY(!fs::exists(absent.parent_path()));
    }

private:
    fs::path dir() const { return fs::path(m_tmp.path().toStdString()); }
    fs::path dbFile() const { return dir() / "runs.sqlite"; }

    QTemporaryDir m_tmp;
    fs::path m_runDir;
    std::int64_t m_first = 0, m_second = 0;
};

QTEST_GUILESS_MAIN(TestCliRuns)
#include "test_cli_runs.moc"
