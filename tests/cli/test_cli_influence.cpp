// zerolens-cli cache build / cache info / attribute end to end: a build killed
// with SIGKILL and run again writes the same rows and vectors as an
// uninterrupted one; attribute's JSON carries ranked examples with source line,
// metadata and text; bad input gets one-line errors with the documented codes.
#include "test_support.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

class TestCliInfluence : public QObject {
    Q_OBJECT

private:
    test::SampleCheckpoint m_model;
    QTemporaryDir m_tmp;

    fs::path tmp(const std::string& name) const { return fs::path(m_tmp.path().toStdString()) / name; }

    std::vector<std::string> buildArgs(const fs::path& out, const std::string& data = "data.jsonl") const
    {
        return {"cache",
                "build",
                m_model.dir().string(),
                "--mask",
                tmp("mask").string(),
                "--group-size",
                "8",
                "--data",
                tmp(data).string(),
                "--k",
                "64",
                "--batch",
                "1",
                "--threads",
                "1",
                "--json",
                "--out",
                out.string()};
    }

    std::vector<std::string> attributeArgs(std::vector<std::string> extra) const
    {
        std::vector<std::string> a = {"attribute",    m_model.dir().string(),
                                      "--mask",       tmp("mask").string(),
                                      "--group-size", "8",
                                      "--cache",      tmp("whole.db").string(),
                                      "--threads",    "1"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::writeInstructDataset(tmp("data.jsonl"), 400, 10);
        const auto r = test::runCli({"sensitivity", m_model.dir().string(), "--rule", "random", "--fraction", "0.05",
                                     "--out", tmp("mask").string()});
        QVERIFY2(r.code == 0, r.err.c_str());
    }

    void killedBuildResumesToTheSameCache()
    {
        const auto whole = test::runCli(buildArgs(tmp("whole.db")));
        QVERIFY2(whole.code == 0, whole.err.c_str());
        const auto info = json::parse(whole.out);
        QCOMPARE(info["cached"].get<std::int64_t>(), std::int64_t{400});
        QVERIFY(info["complete"].get<bool>());
        const auto rowBytes = 2 * info["vector_length"].get<std::int64_t>();

        QProcess p;
        QStringList args;
        for (const auto& a : buildArgs(tmp("killed.db")))
            args << QString::fromStdString(a);
        p.start(QStringLiteral(ZL_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        const auto vectors = tmp("killed.db.vectors");
        auto size = [&] {
            std::error_code ec;
            const auto n = fs::file_size(vectors, ec);
            return ec ? std::int64_t{0} : static_cast<std::int64_t>(n);
        };
        QTRY_VERIFY_WITH_TIMEOUT(size() >= 64 + 50 * rowBytes || p.state() == QProcess::NotRunning, 120000);
        if (const auto pid = static_cast<pid_t>(p.processId()); pid > 0)
            ::kill(pid, SIGKILL);
        QVERIFY(p.state() == QProcess::NotRunning || p.waitForFinished(30000));
        const bool killed = p.exitStatus() == QProcess::CrashExit;

        const auto again = test::runCli(buildArgs(tmp("killed.db")));
        QVERIFY2(again.code == 0, again.err.c_str());
        const auto resumed = json::parse(again.out);
        if (killed)
            QVERIFY(resumed["resumed"].get<std::int64_t>() >= 50);
        QCOMPARE(resumed["resumed"].get<std::int64_t>() + resumed["computed"].get<std::int64_t>(), std::int64_t{400});
        // Rows are appended in example order, so the files are equal byte for byte.
        QVERIFY(test::readFile(vectors) == test::readFile(tmp("whole.db.vectors")));
    }

    void attributeRanksExamplesWithTheirSources()
    {
        const auto r = test::runCli(attributeArgs(
            {"--prompt", "Howdy! Describe the ant 0.", "--response", "I am a little teapot.", "--top", "5", "--json"}));
        QVERIFY2(r.code == 0, r.err.c_str());
        const auto j = json::parse(r.out);
        QCOMPARE(j["helpful"].size(), std::size_t{5});
        QCOMPARE(j["opposing"].size(), std::size_t{5});
        QCOMPARE(j["examples_scored"].get<std::int64_t>(), std::int64_t{400});
        const auto& top = j["helpful"][0];
        for (const char* key : {"id", "score", "source", "line", "metadata", "prompt", "response", "split"})
            QVERIFY2(top.contains(key), key);
        QVERIFY(top["metadata"].contains("backdoor"));
        QVERIFY(top["line"].get<std::int64_t>() >= 1);
        QVERIFY(j["prompt"].get<std::string>().find("### Instruction:\nHowdy!") != std::string::npos);
        QVERIFY(j["helpful"][0]["score"].get<double>() >= j["helpful"][4]["score"].get<double>());
        QVERIFY(j["opposing"][0]["score"].get<double>() <= j["opposing"][4]["score"].get<double>());
        const auto tokens = j["response_tokens"].size();
        QCOMPARE(j["token_scores"]["scores"].size(), tokens);
        const auto id = j["query_id"].get<std::int64_t>();

        // A span of the response, and a saved query reopened with one example's token shares.
        const auto span = test::runCli(attributeArgs({"--prompt", "Howdy! Describe the ant 0.", "--response",
                                                      "I am a little teapot.", "--tokens", "0:2", "--json"}));
        QVERIFY2(span.code == 0, span.err.c_str());
        QVERIFY(json::parse(span.out)["span"] == json::array({0, 2}));
        const auto reopened =
            test::runCli(attributeArgs({"--query", std::to_string(id), "--example", "3", "--top", "5", "--json"}));
        QVERIFY2(reopened.code == 0, reopened.err.c_str());
        const auto again = json::parse(reopened.out);
        QVERIFY(again["helpful"][0]["id"] == j["helpful"][0]["id"]);
        const auto& detail = again["example_tokens"];
        QCOMPARE(detail["scores"].size(), detail["tokens"].size());
        QVERIFY(std::abs(detail["score"].get<double>() - detail["token_sum"].get<double>()) <
                1e-2 * (1 + std::abs(detail["score"].get<double>())));

        const auto info = test::runCli({"cache", "info", tmp("whole.db").string(), "--json"});
        QVERIFY2(info.code == 0, info.err.c_str());
        QVERIFY(json::parse(info.out)["queries"].get<std::int64_t>() >= 2);
    }

    void badInputGetsOneLineErrors()
    {
        auto expectError = [](const test::CliRun& r, int code, const std::string& words) {
            QVERIFY2(r.code == code, (std::to_string(r.code) + ": " + r.err).c_str());
            // Progress lines may come first; the error is one line, the last.
            const auto last = r.err.rfind("error: ");
            QVERIFY2(last != std::string::npos && (last == 0 || r.err[last - 1] == '\n') &&
                         r.err.find('\n', last) == r.err.size() - 1 && r.err.find(words, last) != std::string::npos,
                     r.err.c_str());
        };
        expectError(test::runCli({"cache", "info", tmp("missing.db").string()}), 1, "does not exist");
        expectError(test::runCli({"cache", "info", tmp("data.jsonl").string()}), 1, "not");
        expectError(test::runCli(attributeArgs({"--prompt", "x", "--response", "y", "--tokens", "5:99"})), 1,
                    "not inside the response");
        expectError(test::runCli(attributeArgs({"--prompt", "x", "--response", "y", "--tokens", "3"})), 1, "I:J");
        expectError(test::runCli(attributeArgs({"--prompt", "x", "--response", "y", "--generate"})), 2, "excludes");
        expectError(test::runCli(attributeArgs({})), 1, "--prompt");
        expectError(test::runCli(attributeArgs({"--query", "999"})), 1, "no saved query 999");
        // Another K on an existing cache is refused and the cache left as it was.
        const auto before = test::readFile(tmp("whole.db.vectors"));
        auto args = buildArgs(tmp("whole.db"));
        *(std::find(args.begin(), args.end(), "--k") + 1) = "32";
        expectError(test::runCli(args), 1, "K: cached \"64\", now \"32\"");
        QVERIFY(test::readFile(tmp("whole.db.vectors")) == before);
        test::writeFile(tmp("notes.txt"), "mine\n");
        expectError(test::runCli(buildArgs(tmp("notes.txt"))), 1, "not a ZeroLens gradient cache");
        QCOMPARE(test::readFile(tmp("notes.txt")), std::string("mine\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliInfluence)
#include "test_cli_influence.moc"
