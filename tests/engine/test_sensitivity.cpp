// Sensitivity masks: the gradient rule agrees with finite differences of the
// loss, magnitude picks the largest weights, counts and candidate sets follow
// the options, and mask files round-trip and refuse other models.
#include "test_support.h"

#include "zerolens/error.h"
#include "zerolens/model.h"
#include "zerolens/sensitivity.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::int64_t kSeqLen = 12;
constexpr std::int64_t kSequences = 2;

// Overwrites one F32 entry of a tensor in model.safetensors.
void setEntry(const fs::path& file, const std::string& tensor, std::int64_t index, float value)
{
    auto bytes = test::readFile(file);
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    const auto header = json::parse(bytes.substr(8, n));
    const auto begin = header[tensor]["data_offsets"][0].get<std::uint64_t>();
    std::memcpy(bytes.data() + 8 + n + begin + static_cast<std::uint64_t>(index) * 4, &value, 4);
    test::writeFile(file, bytes);
}

// Σ_s (dL_s/dw)² by central differences, L_s the mean NLL of window s.
double finiteDifferenceScore(const fs::path& dir, const std::vector<std::int32_t>& stream, const std::string& tensor,
                             std::int64_t index, float original)
{
    const float h = 2e-3f;
    std::vector<std::vector<std::int32_t>> windows;
    for (std::int64_t s = 0; s < kSequences; ++s)
        windows.emplace_back(stream.begin() + s * kSeqLen, stream.begin() + s * kSeqLen + kSeqLen + 1);
    auto losses = [&](float w) {
        setEntry(dir / "model.safetensors", tensor, index, w);
        const auto scores = Model::load(dir)->scoreSequences(windows);
        std::vector<double> l;
        for (const auto& sc : scores)
            l.push_back(-sc.logProbSum / static_cast<double>(sc.scored));
        return l;
    };
    const auto plus = losses(original + h);
    const auto minus = losses(original - h);
    setEntry(dir / "model.safetensors", tensor, index, original);
    double score = 0.0;
    for (std::size_t s = 0; s < plus.size(); ++s) {
        const double g = (plus[s] - minus[s]) / (2.0 * h);
        score += g * g;
    }
    return score;
}

} // namespace

class TestSensitivity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_corpus = fs::path(m_tmp.path().toStdString()) / "corpus.txt";
        std::string line = sampleCorpus();
        std::replace(line.begin(), line.end(), '\n', ' '); // one document, so windows are easy to rebuild here
        test::writeFile(m_corpus, line + "\n");
    }

    void gradientRuleAgreesWithFiniteDifferences()
    {
        SensitivityOptions o;
        o.corpus = m_corpus;
        o.sequences = kSequences;
        o.seqLen = kSeqLen;
        o.include = {"v_proj"};
        o.fraction = 3.0 / (2 * 16 * 32); // three entries of the two 16 × 32 v_proj matrices
        const auto mask = computeSensitivityMask(m_ckpt.dir(), o);
        QCOMPARE(mask.selected(), std::int64_t{3});
        const auto tok = Tokenizer::fromModelDir(m_ckpt.dir());
        auto stream = tok.encode(test::readFile(m_corpus).substr(0, test::readFile(m_corpus).size() - 1), false);
        stream.push_back(*tok.eosId());

        double weakestSelected = 1e300;
        for (const auto& [name, idx] : mask.indices)
            for (auto i : idx)
                weakestSelected = std::min(weakestSelected,
                                           finiteDifferenceScore(m_ckpt.dir(), stream, name, i,
                                                                 m_ckpt.weights.at(name)[static_cast<std::size_t>(i)]));
        // No unselected entry may score clearly higher than the weakest selected one.
        std::mt19937 rng(5);
        double strongestOther = 0.0;
        for (int k = 0; k < 25; ++k) {
            const std::string name = "model.layers." + std::to_string(rng() % 2) + ".self_attn.v_proj.weight";
            const auto i = static_cast<std::int64_t>(rng() % (16 * 32));
            const auto& sel = mask.indices.at(name);
            if (std::binary_search(sel.begin(), sel.end(), i))
                continue;
            strongestOther =
                std::max(strongestOther, finiteDifferenceScore(m_ckpt.dir(), stream, name, i,
                                                               m_ckpt.weights.at(name)[static_cast<std::size_t>(i)]));
        }
        QVERIFY(weakestSelected > 0.0);
        // Central differences with h = 2e-3 in fp32 are accurate to a few percent here.
        QVERIFY2(weakestSelected >= 0.95 * strongestOther,
                 (std::to_string(weakestSelected) + " < " + std::to_string(strongestOther)).c_str());
    }

    void partialMasksAreTheMaskOfTheSequencesSoFar()
    {
        SensitivityOptions o;
        o.corpus = m_corpus;
        o.sequences = 3;
        o.seqLen = 16;
        o.fraction = 0.01;
        o.partialEverySeconds = 0; // after every sequence but the last
        std::vector<std::pair<std::int64_t, SensitivityMask>> partials;
        o.onPartialMask = [&](const SensitivityMask& m, std::int64_t done) { partials.emplace_back(done, m); };
        computeSensitivityMask(m_ckpt.dir(), o);
        QCOMPARE(partials.size(), std::size_t{2});
        // The windows are consecutive from the corpus start, so the partial after n
        // sequences is the whole mask of a run with n sequences.
        o.onPartialMask = nullptr;
        for (const auto& [done, partial] : partials) {
            o.sequences = done;
            QCOMPARE(partial.sequences, done);
            QCOMPARE(partial.indices, computeSensitivityMask(m_ckpt.dir(), o).indices);
        }
    }

    void emptyOrShortCorpusIsNamed()
    {
        SensitivityOptions o;
        o.corpus = fs::path(m_tmp.path().toStdString()) / "blank.txt";
        test::writeFile(o.corpus, " \n\n");
        o.sequences = kSequences;
        o.seqLen = kSeqLen;
        try {
            computeSensitivityMask(m_ckpt.dir(), o);
            QFAIL("a blank corpus was accepted");
        } catch (const InvalidArgument& e) {
            QVERIFY2(std::string(e.what()).find("blank.txt holds no text") != std::string::npos, e.what());
        }
        test::writeFile(o.corpus, "A few words.\n");
        try {
            computeSensitivityMask(m_ckpt.dir(), o);
            QFAIL("a corpus too short for the sequences was accepted");
        } catch (const InvalidArgument& e) {
            QVERIFY2(std::string(e.what()).find("sequences of") != std::string::npos, e.what());
        }
    }

    void magnitudePicksLargestWeightsGlobally()
    {
        SensitivityOptions o;
        o.rule = MaskRule::Magnitude;
        o.fraction = 0.01;
        const auto mask = computeSensitivityMask(m_ckpt.dir(), o);
        std::vector<float> all;
        for (const auto& [name, w] : m_ckpt.weights)
            if (mask.shapes.count(name))
                for (float x : w)
                    all.push_back(std::abs(x));
        QCOMPARE(mask.candidates, static_cast<std::int64_t>(all.size()));
        const auto k = static_cast<std::size_t>(std::llround(0.01 * static_cast<double>(all.size())));
        QCOMPARE(static_cast<std::size_t>(mask.selected()), k);
        std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k - 1), all.end(), std::greater<>());
        const float threshold = all[k - 1];
        for (const auto& [name, idx] : mask.indices)
            for (auto i : idx)
                QVERIFY(std::abs(m_ckpt.weights.at(name)[static_cast<std::size_t>(i)]) >= threshold);
        QVERIFY(!mask.shapes.count("model.embed_tokens.weight"));
        QVERIFY(!mask.shapes.count("model.layers.0.input_layernorm.weight"));
    }

    void perMatrixAndRandomRules()
    {
        SensitivityOptions o;
        o.rule = MaskRule::Random;
        o.fraction = 0.05;
        o.perMatrix = true;
        o.include = {"gate_proj", "up_proj"};
        o.seed = 3;
        const auto a = computeSensitivityMask(m_ckpt.dir(), o);
        QCOMPARE(a.indices.size(), std::size_t{4});
        for (const auto& [name, idx] : a.indices) {
            QVERIFY(name.find("gate_proj") != std::string::npos || name.find("up_proj") != std::string::npos);
            QCOMPARE(static_cast<double>(idx.size()), std::round(0.05 * 64 * 32));
        }
        QCOMPARE(computeSensitivityMask(m_ckpt.dir(), o).indices, a.indices);
        o.seed = 4;
        QVERIFY(computeSensitivityMask(m_ckpt.dir(), o).indices != a.indices);
        o.include = {"attention"};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, computeSensitivityMask(m_ckpt.dir(), o));
    }

    void maskFileRoundTripAndChecks()
    {
        SensitivityOptions o;
        o.rule = MaskRule::Magnitude;
        const auto mask = computeSensitivityMask(m_ckpt.dir(), o);
        QTemporaryDir tmp;
        const fs::path file = tmp.path().toStdString() + "/mask.safetensors";
        saveMask(mask, file);
        const auto info = inspectCheckpoint(m_ckpt.dir());
        const auto back = loadMask(file, &info);
        QCOMPARE(back.indices, mask.indices);
        QCOMPARE(back.rule, std::string("magnitude"));
        QCOMPARE(back.modelId, modelIdentity(info));

        // A mask naming anything but a decoder-block projection is refused on load.
        SensitivityMask bogus = mask;
        bogus.indices = {{"model.layers.x.mlp.up_proj.weight", {0}}};
        bogus.shapes = {{"model.layers.x.mlp.up_proj.weight", {2, 2}}};
        saveMask(bogus, file, {true, {}});
        QVERIFY_THROWS_EXCEPTION(FormatError, loadMask(file));

        test::SampleCheckpoint other(SampleModelSpec{.numLayers = 3, .seed = 2});
        const auto otherInfo = inspectCheckpoint(other.dir());
        QVERIFY_THROWS_EXCEPTION(FormatError, loadMask(file, &otherInfo));
        // A model file is not a mask.
        QVERIFY_THROWS_EXCEPTION(FormatError, loadMask(m_ckpt.dir() / "model.safetensors"));
        // An index past the end of its matrix is caught.
        auto bytes = test::readFile(file);
        const auto pos = bytes.size() - 8;
        const std::int64_t huge = 1 << 30;
        std::memcpy(bytes.data() + pos, &huge, 8);
        test::writeFile(file, bytes);
        QVERIFY_THROWS_EXCEPTION(FormatError, loadMask(file));
    }

private:
    test::SampleCheckpoint m_ckpt;
    QTemporaryDir m_tmp;
    fs::path m_corpus;
};

QTEST_GUILESS_MAIN(TestSensitivity)
#include "test_sensitivity.moc"
