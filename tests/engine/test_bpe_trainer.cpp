// The BPE trainer writes a tokenizer.json that loads, round-trips any text
// losslessly, respects the vocabulary size and is deterministic.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/tokenizer.h"
#include "zerolens/tokenizer_training.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace zl;

class TestBpeTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void trainsLoadsAndRoundTrips()
    {
        std::string corpus;
        for (int i = 0; i < 5; ++i)
            corpus += sampleCorpus();
        BpeTrainingOptions o;
        o.vocabSize = 320;
        const auto text = trainByteLevelBpe(corpus, o);
        QCOMPARE(trainByteLevelBpe(corpus, o), text); // deterministic
        QTemporaryDir tmp;
        const auto file = std::filesystem::path(tmp.path().toStdString()) / "tokenizer.json";
        test::writeFile(file, text);
        const auto tok = Tokenizer::fromFile(file);
        QCOMPARE(tok.vocabSize(), std::int64_t{320});
        QCOMPARE(tok.token(*tok.bosId()), std::string("<s>"));
        QCOMPARE(tok.token(*tok.eosId()), std::string("</s>"));
        // Merges compress the training text well below one token per byte.
        const auto ids = tok.encode(corpus, false);
        QVERIFY2(static_cast<double>(corpus.size()) / static_cast<double>(ids.size()) > 2.0,
                 std::to_string(ids.size()).c_str());
        // Any text, seen or not, decodes back to itself.
        const auto texts = nlohmann::json::parse(test::readFile(test::dataDir() / "tokenizer_texts.json"));
        for (const auto& t : texts) {
            const auto s = t.get<std::string>();
            if (s.find("<s>") != std::string::npos)
                continue; // contains the special-token string itself
            QCOMPARE(tok.decode(tok.encode(s, true), true), s);
        }
    }

    void rejectsBadInput()
    {
        BpeTrainingOptions o;
        o.vocabSize = 100;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, trainByteLevelBpe("abc", o));
        o.vocabSize = 300;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, trainByteLevelBpe("bad \xff utf8", o));
    }
};

QTEST_GUILESS_MAIN(TestBpeTrainer)
#include "test_bpe_trainer.moc"
