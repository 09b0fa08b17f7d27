// zerolens-cli end to end on a sample checkpoint: JSON outputs agree with the
// engine, errors are one line with a non-zero exit code.
#include "test_support.h"

#include "zerolens/demo.h"
#include "zerolens/generation.h"
#include "zerolens/model.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTest>

#include <csignal>

using namespace zl;
using nlohmann::json;

namespace {

test::CliRun cli(const std::vector<std::string>& args)
{
    return test::runCli(args);
}

std::string q(const std::filesystem::path& p)
{
    return p.string();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void infoJson()
    {
        const auto r = cli({"info", q(m_ckpt.dir()), "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        QCOMPARE(j["architecture"].get<std::string>(), std::string("LlamaForCausalLM"));
        QCOMPARE(j["layers"].get<int>(), 2);
        QVERIFY(j["parameters"].get<std::int64_t>() > 0);
    }

    void tokenizeMatchesEngine()
    {
        const std::string text = "The quick brown fox, 2024!";
        const auto r = cli({"tokenize", q(m_ckpt.dir()), "--text", text, "--json"});
        QCOMPARE(r.code, 0);
        const auto ids = json::parse(r.out)["ids"].get<std::vector<std::int32_t>>();
        QCOMPARE(ids, Tokenizer::fromModelDir(m_ckpt.dir()).encode(text, true));
    }

    void generateMatchesEngine()
    {
        const auto r = cli({"generate", q(m_ckpt.dir()), "--prompt", "The fox", "--max-new-tokens", "12", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        const auto model = Model::load(m_ckpt.dir());
        SamplingOptions o;
        o.temperature = 0.0;
        o.maxNewTokens = 12;
        const auto want = generate(*model, "The fox", o);
        QCOMPARE(j["prompt_ids"].get<std::vector<std::int32_t>>(), want.promptIds);
        QCOMPARE(j["ids"].get<std::vector<std::int32_t>>(), want.ids);
        QCOMPARE(j["text"].get<std::string>(), want.text);
    }

    void perplexityJson()
    {
        QTemporaryDir tmp;
        const auto file = std::filesystem::path(tmp.path().toStdString()) / "text.txt";
        test::writeFile(file, sampleCorpus());
        const auto r = cli({"perplexity", q(m_ckpt.dir()), q(file), "--context", "32", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        const auto model = Model::load(m_ckpt.dir());
        const auto want = perplexity(*model, model->tokenizer().encode(sampleCorpus(), false), 32);
        QCOMPARE(j["tokens"].get<std::int64_t>(), want.scoredTokens);
        QVERIFY(std::abs(j["perplexity"].get<double>() - want.perplexity) < 1e-6 * want.perplexity);
    }

    void perplexityPerLineWithUnigramBaseline()
    {
        QTemporaryDir tmp;
        const auto file = std::filesystem::path(tmp.path().toStdString()) / "lines.txt";
        test::writeFile(file, "The fox runs.\nThe dog sleeps in the sun.\n\nWhere is the fox?\n");
        const auto r = cli({"perplexity", q(m_ckpt.dir()), q(file), "--context", "64", "--lines", "--unigram-from",
                            q(file), "--json"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        // Three documents, each encoded alone and closed by EOS, all in one window.
        const auto tok = Tokenizer::fromModelDir(m_ckpt.dir());
        const auto n = tok.encode("The fox runs.", false).size() +
                       tok.encode("The dog sleeps in the sun.", false).size() +
                       tok.encode("Where is the fox?", false).size() + 3;
        QCOMPARE(j["tokens"].get<std::size_t>(), n - 1);
        QVERIFY(j["unigram_perplexity"].get<double>() > 1.0);
    }

    void benchForwardPrintsJson()
    {
        const auto r = cli({"bench", "forward", q(m_ckpt.dir()), "--batch", "2", "--seq", "8", "--iterations", "1"});
        QCOMPARE(r.code, 0);
        const auto j = json::parse(r.out);
        QVERIFY(j["tokens_per_second"].get<double>() > 0);
        QCOMPARE(j["batch"].get<int>(), 2);
        // The output projection is part of what a decode step reads: vocabulary × hidden floats here.
        const auto cfg = json::parse(test::readFile(m_ckpt.dir() / "config.json"));
        const auto projection = j["decode_output_projection_bytes"].get<std::uint64_t>();
        QCOMPARE(projection, cfg["vocab_size"].get<std::uint64_t>() * cfg["hidden_size"].get<std::uint64_t>() * 4);
        QVERIFY(j["decode_weight_bytes"].get<std::uint64_t>() > projection);
        QVERIFY(j["decode_fraction_of_memory_bandwidth"].get<double>() > 0);
    }

    void pretrainSurvivesKillNineAndResumes()
    {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        std::string corpus;
        for (int i = 0; i < 10; ++i)
            corpus += sampleCorpus();
        test::writeFile(dir / "corpus.txt", corpus);
        test::writeFile(dir / "arch.json", R"({"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64})");
        QCOMPARE(cli({"train-tokenizer", "--corpus", q(dir / "corpus.txt"), "--out", q(dir / "tokenizer.json"),
                      "--vocab-size", "300"})
                     .code,
                 0);
        const std::vector<std::string> args{"pretrain",
                                            "--corpus",
                                            q(dir / "corpus.txt"),
                                            "--config",
                                            q(dir / "arch.json"),
                                            "--tokenizer",
                                            q(dir / "tokenizer.json"),
                                            "--out",
                                            q(dir / "model"),
                                            "--steps",
                                            "100000",
                                            "--batch",
                                            "2",
                                            "--seq-len",
                                            "16",
                                            "--checkpoint-every",
                                            "3",
                                            "--json"};
        QStringList list;
        for (const auto& a : args)
            list << QString::fromStdString(a);
        QProcess p;
        p.start(QStringLiteral(ZL_CLI_PATH), list);
        QVERIFY(p.waitForStarted());
        // Kill -9 while it is writing checkpoints every few milliseconds.
        QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(dir / "model/training/latest"), 60000);
        QTest::qWait(300);
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(10000));
        // The newest complete checkpoint is intact: a rerun resumes from it and finishes.
        const auto latest = test::readFile(dir / "model/training/latest");
        const auto step = std::stoll(latest.substr(latest.find('-') + 1));
        auto resume = args;
        resume[10] = std::to_string(step + 3);
        const auto r = cli(resume);
        QVERIFY2(r.code == 0, r.err.c_str());
        const auto j = json::parse(r.out);
        QCOMPARE(j["resumed_from"].get<std::int64_t>(), step);
        QCOMPARE(j["steps"].get<std::int64_t>(), step + 3);
    }

    void demoRunsOnTheShippedModel()
    {
        if (!findDemoModel())
            QSKIP("the demo model is not installed");
        const auto r = cli({"demo", "--prompt", "A dog is"});
        QVERIFY2(r.code == 0, r.err.c_str());
        QVERIFY(r.out.find("Demo model") != std::string::npos);
        QVERIFY(r.out.find("A dog is") != std::string::npos);
    }

    void sensitivityQuantizeAndInfo()
    {
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        auto r = cli({"sensitivity", q(m_ckpt.dir()), "--rule", "magnitude", "--fraction", "0.01", "--out",
                      q(dir / "mask.safetensors"), "--json"});
        QVERIFY2(r.code == 0, r.err.c_str());
        const auto mask = json::parse(r.out);
        QCOMPARE(mask["rule"].get<std::string>(), std::string("magnitude"));
        r = cli({"mask-info", q(dir / "mask.safetensors"), "--model", q(m_ckpt.dir()), "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(json::parse(r.out)["selected"].get<std::int64_t>(), mask["selected"].get<std::int64_t>());
        r = cli({"quantize", q(m_ckpt.dir()), "--format", "nf4", "--group-size", "32", "--mask",
                 q(dir / "mask.safetensors"), "--out", q(dir / "q"), "--json"});
        QVERIFY2(r.code == 0, r.err.c_str());
        QCOMPARE(json::parse(r.out)["sparse_entries"].get<std::int64_t>(), mask["selected"].get<std::int64_t>());
        r = cli({"info", q(dir / "q"), "--json"});
        QCOMPARE(r.code, 0);
        QCOMPARE(json::parse(r.out)["quantization"]["format"].get<std::string>(), std::string("nf4"));
        QCOMPARE(json::parse(r.out)["quantization"]["embedding_format"].get<std::string>(), std::string("float"));
        // 8-bit embeddings and lm_head: reported apart in the quantize output, info and bench.
        r = cli({"quantize", q(m_ckpt.dir()), "--group-size", "32", "--embeddings", "int8", "--out", q(dir / "q8"),
                 "--json"});
        QVERIFY2(r.code == 0, r.err.c_str());
        const auto report = json::parse(r.out);
        const auto cfg = json::parse(test::readFile(m_ckpt.dir() / "config.json"));
        const auto vocab = cfg["vocab_size"].get<std::uint64_t>(), hidden = cfg["hidden_size"].get<std::uint64_t>();
        const std::uint64_t perMatrix = vocab * hidden + vocab * (hidden / 32) * 4; // values and per-group scales
        QCOMPARE(report["int8_bytes"].get<std::uint64_t>(), 2 * perMatrix);
        QVERIFY(report["embedding_rms_error"].get<double>() > 0.0);
        r = cli({"info", q(dir / "q8"), "--json"});
        QCOMPARE(r.code, 0);
        const auto info = json::parse(r.out);
        QCOMPARE(info["quantization"]["embedding_format"].get<std::string>(), std::string("int8"));
        QCOMPARE(info["bytes_by_part"]["int8"].get<std::uint64_t>(), 2 * perMatrix);
        r = cli({"bench", "forward", q(dir / "q8"), "--batch", "1", "--seq", "8", "--iterations", "1"});
        QVERIFY2(r.code == 0, r.err.c_str());
        QCOMPARE(json::parse(r.out)["decode_output_projection_bytes"].get<std::uint64_t>(), perMatrix);
        r = cli({"quantize", q(m_ckpt.dir()), "--embeddings", "int6", "--out", q(dir / "q6")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.find("--embeddings") != std::string::npos);
        // The gradient rule without a corpus is a one-line usage error.
        r = cli({"sensitivity", q(m_ckpt.dir()), "--out", q(dir / "m2.safetensors")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.find("--corpus") != std::string::npos);
    }

    void errorsAreOneLineWithNonZeroExit()
    {
        auto r = cli({"info", "/nonexistent/folder"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.rfind("error: ", 0) == 0);
        QCOMPARE(std::count(r.err.begin(), r.err.end(), '\n'), 1L);

        r = cli({"generate", q(m_ckpt.dir()), "--prompt", "x", "--top-p", "2"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.rfind("error: ", 0) == 0 && r.err.find("top-p") != std::string::npos);
        QCOMPARE(std::count(r.err.begin(), r.err.end(), '\n'), 1L);

        r = cli({"perplexity", q(m_ckpt.dir())});
        QVERIFY(r.code != 0); // missing FILE: usage error from the parser

        r = cli({"frobnicate"});
        QVERIFY(r.code != 0);
    }

private:
    test::SampleCheckpoint m_ckpt;
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
