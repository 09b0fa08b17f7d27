// zerolens-cli under hostile use: out-of-range numbers, bad text, a FIFO or a
// folder where a file belongs, a full disk, existing targets, and Ctrl+C or
// kill -9 in the middle of a write. Each ends in one "error:" line and an exit
// code below 128 (130 for Ctrl+C), and never leaves a partial or damaged target.
#include "test_support.h"

#include "zerolens/checkpoint.h"
#include "zerolens/error.h"

#include <QProcess>
#include <QTest>

#include <csignal>
#include <map>
#include <sys/resource.h>
#include <sys/stat.h>

using namespace zl;
namespace fs = std::filesystem;

namespace {

std::string q(const fs::path& p)
{
    return p.string();
}

// Progress lines may come first on stderr; the failure itself is the last line, and the only "error:" one.
bool isCleanError(const test::CliRun& r)
{
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n')
        err.pop_back();
    const auto lastLine = err.substr(err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1);
    return r.code > 0 && r.code < 128 && lastLine.rfind("error: ", 0) == 0 &&
           err.find("error: ") == err.size() - lastLine.size() && err.find("internal error") == std::string::npos;
}

std::map<std::string, std::string> snapshot(const fs::path& dir)
{
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? test::readFile(e.path()) : "<dir>";
    return files;
}

bool hasStagingLeftovers(const fs::path& dir)
{
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".partial-") != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestCliSafety : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
    }

    void numbersOutOfRange_data()
    {
        // Arguments separated by '|'; {model} stands for the sample model folder.
        QTest::addColumn<QString>("args");
        QTest::newRow("max-new-tokens -1") << QStringLiteral("generate|{model}|--prompt|x|--max-new-tokens|-1");
        QTest::newRow("context 0") << QStringLiteral("perplexity|{model}|{model}/config.json|--context|0");
        QTest::newRow("fraction 1.5") << QStringLiteral(
            "sensitivity|{model}|--rule|magnitude|--fraction|1.5|--out|/tmp/zl-never-written");
        QTest::newRow("fraction 0") << QStringLiteral(
            "sensitivity|{model}|--rule|magnitude|--fraction|0|--out|/tmp/zl-never-written");
        QTest::newRow("group-size 3") << QStringLiteral("quantize|{model}|--group-size|3|--out|/tmp/zl-never-written");
        QTest::newRow("group-size 2000000")
            << QStringLiteral("quantize|{model}|--group-size|2000000|--out|/tmp/zl-never-written");
        QTest::newRow("temperature nan") << QStringLiteral("generate|{model}|--prompt|x|--temperature|nan");
        QTest::newRow("batch 0") << QStringLiteral("bench|forward|{model}|--batch|0");
        QTest::newRow("context beyond the model")
            << QStringLiteral("perplexity|{model}|{model}/config.json|--context|100000");
        QTest::newRow("not a number") << QStringLiteral("generate|{model}|--prompt|x|--seed|abc");
    }

    void numbersOutOfRange()
    {
        QFETCH(QString, args);
        std::vector<std::string> v;
        for (const auto& a : args.split(QLatin1Char('|')))
            v.push_back(a.toStdString());
        for (auto& a : v)
            if (const auto at = a.find("{model}"); at != std::string::npos)
                a.replace(at, 7, q(m_ckpt.dir()));
        const auto r = test::runCli(v);
        QVERIFY2(isCleanError(r), (std::to_string(r.code) + " " + r.err).c_str());
        QVERIFY(!fs::exists("/tmp/zl-never-written"));
    }

    void defaultContextFitsTheModel()
    {
        // The sample model has 256 positions; the default window must fit it.
        test::writeFile(root() / "text.txt", "The fox runs. The dog sleeps.\n");
        const auto r = test::runCli({"perplexity", q(m_ckpt.dir()), q(root() / "text.txt"), "--json"});
        QVERIFY2(r.code == 0, r.err.c_str());
    }

    void badTextAndFileKinds()
    {
        // Through a file: QProcess would turn invalid UTF-8 in an argument into U+FFFD.
        test::writeFile(root() / "bad.txt", "ok \xff\xfe bad");
        auto r = test::runCli({"tokenize", q(m_ckpt.dir()), "--file", q(root() / "bad.txt")});
        QVERIFY2(isCleanError(r), r.err.c_str());
        QVERIFY(r.err.find("UTF-8") != std::string::npos);

        test::writeFile(root() / "nul.txt", std::string("a\0b", 3));
        r = test::runCli({"tokenize", q(m_ckpt.dir()), "--file", q(root() / "nul.txt"), "--json"});
        QVERIFY2(r.code == 0 || isCleanError(r), r.err.c_str());

        QCOMPARE(::mkfifo((root() / "fifo").c_str(), 0600), 0);
        r = test::runCli({"tokenize", q(m_ckpt.dir()), "--file", q(root() / "fifo")});
        QVERIFY2(isCleanError(r), r.err.c_str());
        r = test::runCli({"perplexity", q(m_ckpt.dir()), q(root())});
        QVERIFY2(isCleanError(r), r.err.c_str());

        // A model folder whose config.json is a FIFO: refused, not a hang.
        const fs::path copy = root() / "fifo-model";
        fs::copy(m_ckpt.dir(), copy, fs::copy_options::recursive);
        fs::remove(copy / "config.json");
        QCOMPARE(::mkfifo((copy / "config.json").c_str(), 0600), 0);
        r = test::runCli({"info", q(copy)});
        QVERIFY2(isCleanError(r), r.err.c_str());
    }

    void fullDiskLeavesNoPartialOutput()
    {
        // A file-size limit in the child makes writes fail as a full disk would.
        const auto limit = [] {
            std::signal(SIGXFSZ, SIG_IGN);
            rlimit small{4096, 4096};
            ::setrlimit(RLIMIT_FSIZE, &small);
        };
        const auto r =
            test::runCli({"quantize", q(m_ckpt.dir()), "--group-size", "16", "--out", q(root() / "q4")}, limit);
        QVERIFY2(isCleanError(r), r.err.c_str());
        QVERIFY(!fs::exists(root() / "q4"));
        QVERIFY(!hasStagingLeftovers(root()));
    }

    void existingTargetsAreRefusedThenReplacedWithOverwrite()
    {
        const fs::path out = root() / "q4";
        fs::create_directories(out);
        test::writeFile(out / "config.json", "{\"a previous model\": true}");
        const auto before = snapshot(out);
        const std::vector<std::string> quantize{"quantize", q(m_ckpt.dir()), "--group-size", "16", "--out", q(out)};
        auto r = test::runCli(quantize);
        QVERIFY2(isCleanError(r), r.err.c_str());
        QVERIFY(r.err.find("--overwrite") != std::string::npos);
        QCOMPARE(snapshot(out), before);
        auto replace = quantize;
        replace.push_back("--overwrite");
        r = test::runCli(replace);
        QVERIFY2(r.code == 0, r.err.c_str());
        QVERIFY(inspectCheckpoint(out).config.quantization.format == "int4");

        // The model folder itself, even with --overwrite.
        const auto model = snapshot(m_ckpt.dir());
        r = test::runCli({"quantize", q(m_ckpt.dir()), "--out", q(m_ckpt.dir()), "--overwrite"});
        QVERIFY2(isCleanError(r), r.err.c_str());
        QCOMPARE(snapshot(m_ckpt.dir()), model);

        // A mask onto an existing file, then with --overwrite.
        test::writeFile(root() / "mask.safetensors", "mine");
        const std::vector<std::string> mask{"sensitivity", q(m_ckpt.dir()), "--rule",
                                            "magnitude",   "--out",         q(root() / "mask.safetensors")};
        r = test::runCli(mask);
        QVERIFY2(isCleanError(r), r.err.c_str());
        QCOMPARE(test::readFile(root() / "mask.safetensors"), std::string("mine"));
        auto maskOverwrite = mask;
        maskOverwrite.push_back("--overwrite");
        QCOMPARE(test::runCli(maskOverwrite).code, 0);

        // pretrain onto an existing model folder that holds no training run of its own.
        test::writeFile(root() / "corpus.txt", sampleCorpus());
        test::writeFile(root() / "arch.json", R"({"hidden_size": 32, "intermediate_size": 64,
            "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
            "max_position_embeddings": 64})");
        r = test::runCli({"pretrain", "--corpus", q(root() / "corpus.txt"), "--config", q(root() / "arch.json"),
                          "--tokenizer", q(m_ckpt.dir() / "tokenizer.json"), "--out", q(out), "--steps", "2", "--batch",
                          "2", "--seq-len", "16"});
        QVERIFY2(isCleanError(r), r.err.c_str());
        QVERIFY(inspectCheckpoint(out).config.quantization.format == "int4");

        // train-tokenizer onto an existing file.
        r = test::runCli({"train-tokenizer", "--corpus", q(root() / "corpus.txt"), "--out", q(out / "config.json"),
                          "--vocab-size", "300"});
        QVERIFY2(isCleanError(r), r.err.c_str());
    }

    void interruptedWritesLeaveNoPartialTarget_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("delayMs");
        for (int sig : {SIGINT, SIGKILL})
            for (int delay : {0, 40, 120, 250})
                QTest::addRow("%s after %d ms", sig == SIGINT ? "SIGINT" : "SIGKILL", delay) << sig << delay;
    }

    void interruptedWritesLeaveNoPartialTarget()
    {
        QFETCH(int, signal);
        QFETCH(int, delayMs);
        const fs::path out = root() / "q4";
        QProcess p;
        p.start(QStringLiteral(ZL_CLI_PATH),
                {QStringLiteral("quantize"), QString::fromStdString(q(bigModel())), QStringLiteral("--group-size"),
                 QStringLiteral("32"), QStringLiteral("--out"), QString::fromStdString(q(out))});
        QVERIFY(p.waitForStarted());
        // Counted from the start of quantizing (libtorch takes a moment to load), so the signal lands midway.
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("Quantizing"), 60000);
        QTest::qWait(delayMs);
        if (const auto pid = static_cast<pid_t>(p.processId()); pid > 0) // 0 once finished: never kill(0, …)
            ::kill(pid, signal);
        QVERIFY(p.state() == QProcess::NotRunning || p.waitForFinished(60000));
        // Either no target at all, or a complete one that loads.
        if (fs::exists(out))
            QCOMPARE(inspectCheckpoint(out).config.quantization.format, std::string("int4"));
        if (signal == SIGINT && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 130)
            QVERIFY(!fs::exists(out));
        if (signal == SIGINT)
            QVERIFY(!hasStagingLeftovers(root()));
        // A staging folder left by kill -9 is removed by the next run.
        const auto again =
            test::runCli({"quantize", q(bigModel()), "--group-size", "32", "--out", q(out), "--overwrite"});
        QVERIFY2(again.code == 0, again.err.c_str());
        QVERIFY(!hasStagingLeftovers(root()));
    }

private:
    fs::path root() const { return fs::path(m_tmp->path().toStdString()); }
    // Large enough that quantizing takes a noticeable moment, so signals land midway.
    const fs::path& bigModel()
    {
        if (!m_big) {
            SampleModelSpec spec;
            spec.hiddenSize = 256;
            spec.intermediateSize = 704;
            spec.numLayers = 6;
            m_big = std::make_unique<test::SampleCheckpoint>(spec);
            m_bigDir = m_big->dir();
        }
        return m_bigDir;
    }

    test::SampleCheckpoint m_ckpt;
    std::unique_ptr<test::SampleCheckpoint> m_big;
    fs::path m_bigDir;
    std::unique_ptr<QTemporaryDir> m_tmp; // a fresh folder per test function
};

QTEST_GUILESS_MAIN(TestCliSafety)
#include "test_cli_safety.moc"
