// tokenizer.model support: a SentencePiece BPE model trained here with Debian's
// spm_train must encode exactly as spm_encode (the reference implementation)
// does; damaged model files give a FormatError.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/tokenizer.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace zl;

namespace {

QString str(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

class TestSentencePieceModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("spm_train")).isEmpty())
            QSKIP("spm_train not installed (Debian package sentencepiece); scripts/test.sh installs it");
        QVERIFY(m_tmp.isValid());
        m_dir = m_tmp.path().toStdString();
        // A training corpus with mixed scripts, so the model needs byte fallback for rarer characters.
        std::string corpus;
        const auto texts = nlohmann::json::parse(test::readFile(test::dataDir() / "tokenizer_texts.json"));
        for (int i = 0; i < 20; ++i) {
            corpus += sampleCorpus();
            for (const auto& t : texts)
                corpus += t.get<std::string>().substr(0, 40) + "\n";
        }
        test::writeFile(m_dir / "corpus.txt", corpus);
        QProcess train;
        train.setWorkingDirectory(m_tmp.path());
        train.start(QStringLiteral("spm_train"),
                    {QStringLiteral("--input=corpus.txt"), QStringLiteral("--model_prefix=tokenizer"),
                     QStringLiteral("--vocab_size=600"), QStringLiteral("--model_type=bpe"),
                     QStringLiteral("--byte_fallback=true"), QStringLiteral("--character_coverage=0.98"),
                     QStringLiteral("--remove_extra_whitespaces=false"), QStringLiteral("--split_digits=true"),
                     QStringLiteral("--normalization_rule_name=identity"), QStringLiteral("--minloglevel=2")});
        QVERIFY(train.waitForFinished(120000));
        QVERIFY2(train.exitCode() == 0, train.readAllStandardError().constData());
    }

    void encodesLikeSpmEncode()
    {
        const auto texts = nlohmann::json::parse(test::readFile(test::dataDir() / "tokenizer_texts.json"));
        const auto tok = Tokenizer::fromModelDir(m_dir); // no tokenizer.json there: uses tokenizer.model
        QVERIFY(QString::fromStdString(tok.description()).startsWith(QStringLiteral("tokenizer.model")));
        int compared = 0;
        for (const auto& t : texts) {
            const auto text = t.get<std::string>();
            if (text.find_first_of("\r\n") != std::string::npos || text.find_first_not_of(' ') == std::string::npos)
                continue; // spm_encode reads one text per line
            if (text.find("<s>") != std::string::npos)
                continue; // Hugging Face (and we) match special-token strings in text; SentencePiece never does
            QProcess enc;
            enc.start(QStringLiteral("spm_encode"),
                      {str("--model=" + (m_dir / "tokenizer.model").string()), QStringLiteral("--output_format=id")});
            enc.write(QByteArray::fromStdString(text + "\n"));
            enc.closeWriteChannel();
            QVERIFY(enc.waitForFinished(30000));
            std::vector<std::int32_t> want;
            for (const auto& part : QString::fromUtf8(enc.readAllStandardOutput())
                                        .simplified()
                                        .split(QLatin1Char(' '), Qt::SkipEmptyParts))
                want.push_back(part.toInt());
            const auto got = tok.encode(text, false);
            QVERIFY2(got == want, ("text " + nlohmann::json(text).dump()).c_str());
            QCOMPARE(tok.encode(text, true).front(), *tok.bosId());
            QCOMPARE(tok.decode(got), text);
            ++compared;
        }
        QVERIFY(compared >= 12);
    }

    void damagedModelIsAFormatError()
    {
        const auto good = test::readFile(m_dir / "tokenizer.model");
        QTemporaryDir tmp;
        const std::filesystem::path bad = tmp.path().toStdString() + "/tokenizer.model";
        test::writeFile(bad, good.substr(0, good.size() / 3));
        QVERIFY_THROWS_EXCEPTION(FormatError, Tokenizer::fromFile(bad));
        test::writeFile(bad, std::string("\x0a\xff\xff\xff\xff\x0f garbage", 12));
        QVERIFY_THROWS_EXCEPTION(FormatError, Tokenizer::fromFile(bad));
        test::writeFile(bad, "");
        QVERIFY_THROWS_EXCEPTION(FormatError, Tokenizer::fromFile(bad));
    }

private:
    QTemporaryDir m_tmp;
    std::filesystem::path m_dir;
};

QTEST_GUILESS_MAIN(TestSentencePieceModel)
#include "test_sentencepiece_model.moc"
