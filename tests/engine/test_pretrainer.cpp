// First-order training: the loss falls, a run resumed from its checkpoint ends
// where an uninterrupted one does, a stop saves a checkpoint, and a checkpoint
// of a different run is refused.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/model.h"
#include "zerolens/tokenizer_training.h"
#include "zerolens/training.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>

using namespace zl;
namespace fs = std::filesystem;

namespace {

class LossLog : public EventSink {
public:
    std::vector<double> losses;
    int stopAfter = -1;
    std::stop_source* stop = nullptr;
    void metric(const Metric& m) override
    {
        if (m.name != "loss")
            return;
        losses.push_back(m.value);
        if (stop && static_cast<int>(losses.size()) == stopAfter)
            stop->request_stop();
    }
};

} // namespace

class TestPretrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_dir = m_tmp.path().toStdString();
        std::string corpus;
        for (int i = 0; i < 12; ++i)
            corpus += sampleCorpus();
        test::writeFile(m_dir / "corpus.txt", corpus);
        test::writeFile(m_dir / "heldout.txt", sampleCorpus());
        BpeTrainingOptions bpe;
        bpe.vocabSize = 300;
        test::writeFile(m_dir / "tokenizer.json", trainByteLevelBpe(corpus, bpe));
        test::writeFile(m_dir / "arch.json", nlohmann::json{{"hidden_size", 32},
                                                            {"intermediate_size", 64},
                                                            {"num_hidden_layers", 2},
                                                            {"num_attention_heads", 4},
                                                            {"num_key_value_heads", 2},
                                                            {"max_position_embeddings", 64},
                                                            {"tie_word_embeddings", true}}
                                                 .dump());
    }

    void lossFallsAndModelLoads()
    {
        LossLog log;
        const auto r = pretrain(options("falls", 40), &log);
        QCOMPARE(r.steps, std::int64_t{40});
        QCOMPARE(log.losses.size(), std::size_t{40});
        // From ~ln(300) = 5.7 at random init; 40 AdamW steps on repeated text must cut it clearly.
        QVERIFY2(log.losses.back() < log.losses.front() - 1.0,
                 (std::to_string(log.losses.front()) + " -> " + std::to_string(log.losses.back())).c_str());
        QVERIFY(r.evalLoss > 0 && r.evalLoss < log.losses.front());
        const auto model = Model::load(m_dir / "falls");
        QCOMPARE(model->config().vocabSize, std::int64_t{300});
        QVERIFY(model->config().tieWordEmbeddings);
    }

    void resumedRunEqualsUninterrupted()
    {
        LossLog straight;
        pretrain(options("straight", 12), &straight);

        // Interrupted after 5 steps by a stop request, then resumed to 12.
        LossLog first;
        std::stop_source stop;
        first.stop = &stop;
        first.stopAfter = 5;
        QVERIFY_THROWS_EXCEPTION(Cancelled, pretrain(options("resumed", 12), &first, stop.get_token()));
        QVERIFY(fs::exists(m_dir / "resumed/training/latest"));
        LossLog second;
        const auto r = pretrain(options("resumed", 12), &second);
        QCOMPARE(r.resumedFrom, std::int64_t{5});
        QCOMPARE(second.losses.size(), std::size_t{7});
        // Same batches, same weights and optimizer moments: only float
        // summation order could differ, so 1e-5 relative is ample.
        for (std::size_t i = 0; i < second.losses.size(); ++i) {
            const double want = straight.losses[5 + i];
            QVERIFY2(std::abs(second.losses[i] - want) <= 1e-5 * std::abs(want),
                     (std::to_string(second.losses[i]) + " vs " + std::to_string(want)).c_str());
        }
        QCOMPARE(test::readFile(m_dir / "resumed/model.safetensors").size(),
                 test::readFile(m_dir / "straight/model.safetensors").size());
    }

    void checkpointOfAnotherRunIsRefused()
    {
        pretrain(options("other", 2));
        auto o = options("other", 4);
        o.seed = 99;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, pretrain(o));
    }

    void badOptionsAreRejected()
    {
        auto o = options("bad", 5);
        o.seqLen = 1000; // beyond max_position_embeddings
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, pretrain(o));
        o = options("bad", 5);
        o.learningRate = -1;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, pretrain(o));
    }

private:
    PretrainOptions options(const std::string& out, std::int64_t steps) const
    {
        PretrainOptions o;
        o.corpus = m_dir / "corpus.txt";
        o.heldOut = m_dir / "heldout.txt";
        o.architecture = m_dir / "arch.json";
        o.tokenizer = m_dir / "tokenizer.json";
        o.outDir = m_dir / out;
        o.steps = steps;
        o.batchSize = 4;
        o.seqLen = 32;
        o.learningRate = 1e-2;
        o.warmupSteps = 2;
        o.evalEvery = 4;
        o.checkpointEvery = 3;
        return o;
    }

    QTemporaryDir m_tmp;
    fs::path m_dir;
};

QTEST_GUILESS_MAIN(TestPretrainer)
#include "test_pretrainer.moc"
