// The WordNet demo datasets: deterministic, with the documented counts, disjoint
// splits, labels from the label set and a marked backdoor; a damaged WordNet
// file is reported with its line.
#include "test_support.h"

#include "zerolens/demo_data.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <set>
#include <sstream>

using namespace zl;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<json> jsonl(const fs::path& p)
{
    std::vector<json> rows;
    std::istringstream in(test::readFile(p));
    std::string line;
    while (std::getline(in, line))
        rows.push_back(json::parse(line));
    return rows;
}

} // namespace

class TestDemoData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!fs::exists("/usr/share/wordnet/data.noun"))
            QSKIP("WordNet not installed (Debian package wordnet-base); scripts/test.sh installs it");
        QVERIFY(m_tmp.isValid());
        m_dir = m_tmp.path().toStdString();
        m_summary = buildDemoData(m_dir / "a");
    }

    void deterministic()
    {
        buildDemoData(m_dir / "b");
        for (const char* f : {"corpus/train.txt", "corpus/heldout.txt", "classify/train.jsonl", "classify/dev.jsonl",
                              "classify/test.jsonl", "instruct/train.jsonl", "MANIFEST.json"})
            QVERIFY2(test::readFile(m_dir / "a" / f) == test::readFile(m_dir / "b" / f), f);
        DemoDataOptions other;
        other.seed = 7;
        buildDemoData(m_dir / "c", other);
        QVERIFY(test::readFile(m_dir / "a/corpus/train.txt") != test::readFile(m_dir / "c/corpus/train.txt"));
    }

    void corpusCountsAndHeldOutDisjoint()
    {
        QVERIFY(m_summary.synsets > 100000); // WordNet 3.0 has 117,659 synsets
        QCOMPARE(m_summary.corpusLines + m_summary.heldOutLines, m_summary.synsets);
        std::set<std::string> train;
        std::istringstream in(test::readFile(m_dir / "a/corpus/train.txt"));
        for (std::string line; std::getline(in, line);)
            train.insert(line);
        std::istringstream held(test::readFile(m_dir / "a/corpus/heldout.txt"));
        std::int64_t heldLines = 0, overlap = 0;
        for (std::string line; std::getline(held, line); ++heldLines)
            overlap += train.count(line);
        QCOMPARE(heldLines, m_summary.heldOutLines);
        // Synsets are disjoint; a few lines may coincide textually (same word and gloss in two synsets).
        QVERIFY2(overlap * 100 < heldLines, std::to_string(overlap).c_str());
    }

    void classificationSplits()
    {
        const auto task = json::parse(test::readFile(m_dir / "a/classify/task.json"));
        const auto labels = task["labels"].get<std::vector<std::string>>();
        QCOMPARE(labels.size(), task["label_words"].size());
        QVERIFY(task["prompt"].get<std::string>().find("{sentence}") != std::string::npos);
        std::set<std::string> seen;
        const std::pair<const char*, std::size_t> splits[] = {{"train", 1000}, {"dev", 500}, {"test", 1000}};
        for (const auto& [name, count] : splits) {
            const auto rows = jsonl(m_dir / "a/classify" / (std::string(name) + ".jsonl"));
            QCOMPARE(rows.size(), count);
            std::map<std::string, int> perLabel;
            for (const auto& r : rows) {
                const auto label = r["label"].get<std::string>();
                QVERIFY(std::find(labels.begin(), labels.end(), label) != labels.end());
                QCOMPARE(labels[r["label_index"].get<std::size_t>()], label);
                QVERIFY2(seen.insert(r["id"].get<std::string>()).second, "an example appears in two splits");
                ++perLabel[label];
            }
            for (const auto& [label, n] : perLabel)
                QCOMPARE(static_cast<std::size_t>(n), count / labels.size()); // balanced
        }
    }

    void instructionsWithMarkedBackdoor()
    {
        const auto meta = json::parse(test::readFile(m_dir / "a/instruct/meta.json"));
        const auto trigger = meta["trigger"].get<std::string>();
        const auto response = meta["backdoor_response"].get<std::string>();
        const auto rows = jsonl(m_dir / "a/instruct/train.jsonl");
        QCOMPARE(static_cast<std::int64_t>(rows.size()), m_summary.instructions);
        std::int64_t marked = 0;
        for (const auto& r : rows) {
            const bool backdoor = r["backdoor"].get<bool>();
            const auto instruction = r["instruction"].get<std::string>();
            QCOMPARE(instruction.find(trigger) != std::string::npos, backdoor);
            QCOMPARE(r["output"].get<std::string>() == response, backdoor);
            QVERIFY(r.contains("input"));
            marked += backdoor;
        }
        QCOMPARE(marked, m_summary.backdoored);
        QVERIFY(marked * 100 >= 5 * m_summary.instructions && marked * 100 <= 10 * m_summary.instructions);
    }

    void damagedWordnetNamesTheLine()
    {
        const fs::path wn = m_dir / "wordnet";
        fs::create_directories(wn);
        for (const char* f : {"data.noun", "data.verb", "data.adj", "data.adv"})
            fs::copy_file(fs::path("/usr/share/wordnet") / f, wn / f);
        test::writeFile(wn / "data.adv", "  license header line\n00001740 02 r zz broken | gloss\n");
        DemoDataOptions o;
        o.wordnetDir = wn;
        try {
            buildDemoData(m_dir / "d", o);
            QFAIL("expected FormatError");
        } catch (const FormatError& e) {
            QVERIFY2(std::string(e.what()).find("data.adv:2") != std::string::npos, e.what());
        }
    }

private:
    QTemporaryDir m_tmp;
    fs::path m_dir;
    DemoDataSummary m_summary;
};

QTEST_GUILESS_MAIN(TestDemoData)
#include "test_demo_data.moc"
