// Perplexity: windows are consecutive and non-overlapping, every id after a
// window's first is scored, and the value is exp(mean NLL) of those ids.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/model.h"

#include <QTest>

#include <cmath>

using namespace zl;

class TestPerplexity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesHandComputedWindows()
    {
        test::SampleCheckpoint ckpt;
        const auto model = Model::load(ckpt.dir());
        const auto ids = model->tokenizer().encode(sampleCorpus(), false);
        QVERIFY(ids.size() > 40);
        const std::int64_t context = 16;
        // Hand computation: one window at a time through logProbs.
        const auto V = static_cast<std::size_t>(model->config().vocabSize);
        double nll = 0.0;
        std::int64_t scored = 0;
        for (std::size_t b = 0; b < ids.size(); b += context) {
            const std::vector<std::int32_t> w(ids.begin() + static_cast<std::ptrdiff_t>(b),
                                              ids.begin() +
                                                  static_cast<std::ptrdiff_t>(std::min(ids.size(), b + context)));
            if (w.size() < 2)
                continue;
            const auto lp = model->logProbs({w})[0];
            for (std::size_t t = 0; t + 1 < w.size(); ++t, ++scored)
                nll -= lp[t * V + static_cast<std::size_t>(w[t + 1])];
        }
        const auto r = perplexity(*model, ids, context);
        QCOMPARE(r.scoredTokens, scored);
        const std::int64_t full = static_cast<std::int64_t>(ids.size()) / context;
        const std::int64_t rest = static_cast<std::int64_t>(ids.size()) % context;
        QCOMPARE(r.scoredTokens, full * (context - 1) + (rest >= 2 ? rest - 1 : 0));
        QVERIFY(std::abs(r.perplexity - std::exp(nll / static_cast<double>(scored))) < 1e-3 * r.perplexity);
        // A random model over this vocabulary is near-uniform: close to vocab size, never below 1.
        QVERIFY(r.perplexity > 1.0);
    }

    void unigramBaselineHandComputed()
    {
        // Counts with add-one smoothing: {0: 3, 1: 2, 2: 1} of 6. Window [0, 1, 2, 0]
        // scores ids 1, 2, 0: p = 2/6, 1/6, 3/6, so ppl = (3 · 6 · 2)^(1/3).
        const double ppl = unigramPerplexity({0, 0, 1}, {0, 1, 2, 0}, 4, 3);
        QVERIFY(std::abs(ppl - std::cbrt(36.0)) < 1e-12);
        // A second window of one id scores nothing, so the value is unchanged.
        QVERIFY(std::abs(unigramPerplexity({0, 0, 1}, {0, 1, 2, 0, 1}, 4, 3) - ppl) < 1e-12);
    }

    void rejectsBadContext()
    {
        test::SampleCheckpoint ckpt;
        const auto model = Model::load(ckpt.dir());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, perplexity(*model, {1, 2, 3}, 1));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, perplexity(*model, {1, 2, 3}, 100000));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, perplexity(*model, {1}, 8));
    }
};

QTEST_GUILESS_MAIN(TestPerplexity)
#include "test_perplexity.moc"
