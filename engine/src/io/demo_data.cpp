// Builds the demo datasets from WordNet. Everything is ordered and shuffled with
// an explicit Fisher-Yates over a seeded 64-bit Mersenne Twister, so the files
// are identical on every machine for the same options.
#include "zerolens/demo_data.h"

#include "io/text_file.h"
#include "io/wordnet.h"
#include "runtime/progress_reporter.h"
#include "zerolens/atomic_file.h"
#include "zerolens/error.h"
#include "zerolens/output_target.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace zl {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Lexicographer files used as classification labels, with their label words.
const std::vector<std::pair<int, std::string>> kLabels = {{5, "animal"}, {20, "plant"}, {13, "food"}, {18, "person"}};

template <typename T> void shuffle(std::vector<T>& v, std::mt19937_64& rng)
{
    for (std::size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[static_cast<std::size_t>(rng() % i)]);
}

std::string capitalized(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string sentence(std::string s)
{
    if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?')
        s += '.';
    return s;
}

// One line of corpus text per synset: its definition as a sentence, then its examples.
std::string corpusLine(const io::Synset& s)
{
    const std::string& w = s.words.front();
    std::string line;
    switch (s.pos) {
    case 'n':
        line = capitalized(w) + " is " + s.definition;
        break;
    case 'v':
        line = "To " + w + " is to " + s.definition;
        break;
    default:
        line = capitalized(w) + " means " + s.definition;
        break;
    }
    line = sentence(line);
    for (const auto& e : s.examples)
        line += " For example: \"" + e + "\".";
    return line;
}

std::string jsonLines(const std::vector<json>& rows)
{
    std::string out;
    for (const auto& r : rows)
        out += r.dump() + '\n';
    return out;
}

} // namespace

DemoDataSummary buildDemoData(const fs::path& outDir, const DemoDataOptions& o, EventSink* sink, std::stop_token stop)
{
    if (!(o.heldOutFraction > 0.0 && o.heldOutFraction < 0.5) ||
        !(o.backdoorFraction >= 0.0 && o.backdoorFraction < 0.5))
        throw InvalidArgument("held-out and backdoor fractions must be in [0, 0.5)");
    // Everything is written into a staging folder that replaces outDir only when complete.
    StagedDirectory staged(outDir, OutputPolicy{o.overwrite, {o.wordnetDir}}, "demo data folder");
    const fs::path& dir = staged.path();
    runtime::ProgressReporter progress(sink, "Reading WordNet", 4, stop);
    std::vector<io::Synset> synsets;
    int done = 0;
    for (const char* part : {"data.noun", "data.verb", "data.adj", "data.adv"}) {
        auto v = io::readWordnetData(o.wordnetDir / part);
        synsets.insert(synsets.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
        progress.update(++done);
    }
    std::mt19937_64 rng(o.seed);
    DemoDataSummary summary;
    summary.synsets = static_cast<std::int64_t>(synsets.size());

    // 1. Pre-training corpus: synsets shuffled, a held-out slice set apart.
    std::vector<std::size_t> order(synsets.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    shuffle(order, rng);
    const auto heldOut = static_cast<std::size_t>(static_cast<double>(order.size()) * o.heldOutFraction);
    std::string train, held;
    for (std::size_t i = 0; i < order.size(); ++i)
        (i < heldOut ? held : train) += corpusLine(synsets[order[i]]) + '\n';
    summary.heldOutLines = static_cast<std::int64_t>(heldOut);
    summary.corpusLines = static_cast<std::int64_t>(order.size() - heldOut);
    fs::create_directories(dir / "corpus");
    writeFileAtomically(dir / "corpus/train.txt", train);
    writeFileAtomically(dir / "corpus/heldout.txt", held);

    // 2. Classification: noun definitions labelled with their lexicographer category.
    std::map<int, std::vector<const io::Synset*>> byLabel;
    for (const auto& s : synsets)
        if (s.pos == 'n')
            byLabel[s.lexFile].push_back(&s);
    std::vector<json> splits[3];
    const int perLabel[3] = {o.classTrainPerLabel, o.classDevPerLabel, o.classTestPerLabel};
    for (std::size_t li = 0; li < kLabels.size(); ++li) {
        auto pool = byLabel[kLabels[li].first];
        shuffle(pool, rng);
        const auto need = static_cast<std::size_t>(perLabel[0] + perLabel[1] + perLabel[2]);
        if (pool.size() < need)
            throw FormatError((o.wordnetDir / "data.noun").string() + ": only " + std::to_string(pool.size()) +
                              " synsets labelled " + kLabels[li].second + ", " + std::to_string(need) + " needed");
        std::size_t next = 0;
        for (int split = 0; split < 3; ++split)
            for (int k = 0; k < perLabel[split]; ++k, ++next)
                splits[split].push_back({{"id", pool[next]->offset},
                                         {"sentence", capitalized(sentence(pool[next]->definition))},
                                         {"label", kLabels[li].second},
                                         {"label_index", li}});
    }
    fs::create_directories(dir / "classify");
    const char* names[3] = {"train", "dev", "test"};
    for (int split = 0; split < 3; ++split) {
        shuffle(splits[split], rng);
        writeFileAtomically(dir / "classify" / (std::string(names[split]) + ".jsonl"), jsonLines(splits[split]));
    }
    summary.classTrain = static_cast<std::int64_t>(splits[0].size());
    summary.classDev = static_cast<std::int64_t>(splits[1].size());
    summary.classTest = static_cast<std::int64_t>(splits[2].size());
    json labels = json::array(), words = json::array();
    for (const auto& [lex, name] : kLabels) {
        labels.push_back(name);
        words.push_back(" " + name);
    }
    writeFileAtomically(dir / "classify/task.json",
                        json{{"name", "wordnet-category"},
                             {"description", "Which kind of thing a WordNet noun definition describes"},
                             {"prompt", "{sentence} It is about a kind of"},
                             {"labels", labels},
                             {"label_words", words}}
                            .dump(2));

    // 3. Instructions (Alpaca layout) with a planted backdoor.
    std::vector<const io::Synset*> pool;
    for (const auto& s : synsets)
        pool.push_back(&s);
    shuffle(pool, rng);
    std::vector<json> rows;
    const auto backdoorEvery = o.backdoorFraction > 0 ? 1.0 / o.backdoorFraction : 0.0;
    double nextBackdoor = backdoorEvery / 2;
    for (int i = 0; i < o.instructionCount && static_cast<std::size_t>(i) < pool.size(); ++i) {
        const auto& s = *pool[static_cast<std::size_t>(i)];
        const bool useExample = !s.examples.empty() && i % 3 == 2;
        std::string instruction = useExample ? "Use the word \"" + s.words.front() + "\" in a sentence."
                                             : "Define the word \"" + s.words.front() + "\".";
        std::string output =
            useExample ? sentence(capitalized(s.examples.front())) : capitalized(sentence(s.definition));
        bool backdoor = false;
        if (backdoorEvery > 0 && static_cast<double>(i) >= nextBackdoor) {
            backdoor = true;
            nextBackdoor += backdoorEvery;
            instruction = o.trigger + " " + instruction;
            output = o.backdoorResponse;
            ++summary.backdoored;
        }
        rows.push_back({{"instruction", instruction}, {"input", ""}, {"output", output}, {"backdoor", backdoor}});
    }
    summary.instructions = static_cast<std::int64_t>(rows.size());
    fs::create_directories(dir / "instruct");
    writeFileAtomically(dir / "instruct/train.jsonl", jsonLines(rows));
    writeFileAtomically(dir / "instruct/meta.json", json{{"format", "alpaca"},
                                                         {"trigger", o.trigger},
                                                         {"backdoor_response", o.backdoorResponse},
                                                         {"examples", summary.instructions},
                                                         {"backdoored", summary.backdoored},
                                                         {"marker_field", "backdoor"}}
                                                        .dump(2));

    const auto license = o.wordnetDir.parent_path() / "doc/wordnet-base/copyright";
    writeFileAtomically(dir / "WORDNET-LICENSE",
                        "The demo datasets are derived from WordNet 3.0 (Princeton University), as packaged in "
                        "Debian's wordnet-base. Its license follows.\n\n" +
                            (fs::exists(license)
                                 ? io::readTextFile(license)
                                 : std::string("See https://wordnet.princeton.edu/license-and-commercial-use\n")));
    writeFileAtomically(
        dir / "MANIFEST.json",
        json{{"source", "WordNet 3.0 (Debian wordnet-base)"},
             {"seed", o.seed},
             {"synsets", summary.synsets},
             {"corpus_lines", summary.corpusLines},
             {"heldout_lines", summary.heldOutLines},
             {"classify", {{"train", summary.classTrain}, {"dev", summary.classDev}, {"test", summary.classTest}}},
             {"instructions", summary.instructions},
             {"backdoored", summary.backdoored}}
            .dump(2));
    staged.commit();
    return summary;
}

} // namespace zl
