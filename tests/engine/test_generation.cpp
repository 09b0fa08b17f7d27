// Generation: the KV-cache path equals full recomputation, streaming delivers
// exactly the final text, sampling is seeded, stop strings and cancellation work.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/generation.h"

#include <QTest>

#include <algorithm>

using namespace zl;

class TestGeneration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { m_model = Model::load(m_ckpt.dir()); }

    void greedyWithCacheEqualsFullRecomputation()
    {
        SamplingOptions o;
        o.temperature = 0.0;
        o.maxNewTokens = 80; // past the KV cache's first capacity (64 positions), so it grows once
        o.stopAtEos = false;
        const auto r = generate(*m_model, "The fox", o);
        QCOMPARE(r.ids.size(), std::size_t{80});
        // Recompute every step from scratch with the uncached forward pass.
        std::vector<std::int32_t> seq = r.promptIds;
        const auto V = static_cast<std::size_t>(m_model->config().vocabSize);
        for (std::size_t step = 0; step < r.ids.size(); ++step) {
            const auto lp = m_model->logProbs({seq})[0];
            const auto row = lp.begin() + static_cast<std::ptrdiff_t>((seq.size() - 1) * V);
            const auto best =
                static_cast<std::int32_t>(std::max_element(row, row + static_cast<std::ptrdiff_t>(V)) - row);
            QCOMPARE(r.ids[step], best);
            seq.push_back(best);
        }
    }

    void streamingConcatenatesToText()
    {
        SamplingOptions o;
        o.temperature = 1.0;
        o.maxNewTokens = 40;
        o.seed = 7;
        std::string streamed;
        const auto r = generate(*m_model, "Numbers like", o, [&](std::int32_t, std::string_view piece) {
            streamed += piece;
            return false;
        });
        QCOMPARE(streamed, r.text);
        QCOMPARE(r.text, m_model->tokenizer().decode(r.ids, true));
    }

    void seedMakesSamplingReproducible()
    {
        SamplingOptions o;
        o.temperature = 0.9;
        o.topK = 50;
        o.topP = 0.9;
        o.repetitionPenalty = 1.2;
        o.maxNewTokens = 20;
        o.stopAtEos = false;
        o.seed = 11;
        const auto a = generate(*m_model, "The dog", o);
        const auto b = generate(*m_model, "The dog", o);
        QCOMPARE(a.ids, b.ids);
        o.seed = 12;
        const auto c = generate(*m_model, "The dog", o);
        QVERIFY(a.ids != c.ids);
    }

    void stopStringEndsGeneration()
    {
        SamplingOptions o;
        o.temperature = 0.0;
        o.maxNewTokens = 30;
        o.stopAtEos = false;
        const auto full = generate(*m_model, "The", o);
        QVERIFY(full.text.size() > 6);
        const std::string stop = full.text.substr(3, 2);
        o.stopStrings = {stop};
        std::string streamed;
        const auto r = generate(*m_model, "The", o, [&](std::int32_t, std::string_view p) {
            streamed += p;
            return false;
        });
        QCOMPARE(r.stopReason, std::string("stop_string"));
        QCOMPARE(r.text, full.text.substr(0, full.text.find(stop)));
        QCOMPARE(streamed, r.text);
    }

    void cancelStopsBetweenTokens()
    {
        SamplingOptions o;
        o.maxNewTokens = 200;
        o.stopAtEos = false;
        std::stop_source stop;
        int tokens = 0;
        const auto r = generate(
            *m_model, "The", o,
            [&](std::int32_t, std::string_view) {
                if (++tokens == 5)
                    stop.request_stop();
                return false;
            },
            stop.get_token());
        QCOMPARE(r.stopReason, std::string("cancelled"));
        QVERIFY(r.ids.size() >= 5 && r.ids.size() < 200);
    }

    void invalidOptionsRejected()
    {
        SamplingOptions o;
        o.topP = 0.0;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, generate(*m_model, "x", o));
        o = {};
        o.temperature = -1;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, generate(*m_model, "x", o));
    }

private:
    test::SampleCheckpoint m_ckpt;
    std::shared_ptr<Model> m_model;
};

QTEST_GUILESS_MAIN(TestGeneration)
#include "test_generation.moc"
