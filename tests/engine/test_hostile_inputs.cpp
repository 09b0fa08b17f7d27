// Hostile user files (issue 7's sweep): every parser of a file a user hands the
// engine refuses it with a zl::Error subclass that names the file and the place,
// quickly, instead of crashing (stack overflow), hanging, or giving a wrong result.
// White-box where the fix lives below the public API (JSON reader, sampler).
#include "test_support.h"

#include "io/json_file.h"
#include "io/text_file.h"
#include "model/sampler.h"
#include "zerolens/checkpoint.h"
#include "zerolens/config.h"
#include "zerolens/error.h"
#include "zerolens/generation.h"
#include "zerolens/quantize.h"
#include "zerolens/tokenizer.h"
#include "zerolens/tokenizer_training.h"
#include "zerolens/training.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <future>
#include <limits>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace zl;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

SamplingOptions sampling(double temperature, double topP = 1.0, double repetitionPenalty = 1.0)
{
    SamplingOptions o;
    o.temperature = temperature;
    o.topP = topP;
    o.repetitionPenalty = repetitionPenalty;
    o.seed = 3;
    return o;
}

// Each refusal must come well within this; the fixed code needs milliseconds,
// the defects took minutes or forever. Generous because the test machine is
// shared and this is a -O1 debug build.
constexpr double kQuickSeconds = 20.0;

std::string repeat(const std::string& s, std::size_t n)
{
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

// `depth` nested arrays around a 0: [[[…0…]]].
std::string deepArray(std::size_t depth)
{
    return repeat("[", depth) + "0" + repeat("]", depth);
}

// JSON text of `j` with the string value "@@HERE@@" replaced by raw `text`: lets
// a test put a value nlohmann itself could not build or dump into a real file.
std::string withRaw(const json& j, const std::string& text)
{
    std::string s = j.dump();
    const std::string mark = "\"@@HERE@@\"";
    const auto pos = s.find(mark);
    if (pos == std::string::npos)
        throw std::logic_error("no @@HERE@@ mark");
    return s.replace(pos, mark.size(), text);
}

template <class E, class F> std::string expectError(F&& fn, const std::vector<std::string>& fragments = {})
{
    const auto start = std::chrono::steady_clock::now();
    try {
        fn();
    } catch (const E& e) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const std::string msg = e.what();
        for (const auto& f : fragments)
            if (msg.find(f) == std::string::npos)
                throw std::runtime_error("message lacks '" + f + "': " + msg);
        if (seconds > kQuickSeconds)
            throw std::runtime_error("refused only after " + std::to_string(seconds) + " s: " + msg);
        return msg;
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("wrong exception type: ") + e.what());
    }
    throw std::runtime_error("no exception; expected one containing '" +
                             (fragments.empty() ? std::string() : fragments.front()) + "'");
}

#define EXPECT_ERROR(Type, call, ...)                                                                                  \
    do {                                                                                                               \
        try {                                                                                                          \
            expectError<Type>([&] { (void)(call); } __VA_OPT__(, ) __VA_ARGS__);                                       \
        } catch (const std::runtime_error& failure) {                                                                  \
            QFAIL(failure.what());                                                                                     \
        }                                                                                                              \
    } while (false)

// Runs fn on a thread; if it has not finished within the limit (blocked in
// open() on a FIFO), opens the FIFO for writing to release it, then fails.
std::exception_ptr runUnblocking(const std::function<void()>& fn, const fs::path& fifo)
{
    std::promise<std::exception_ptr> done;
    auto result = done.get_future();
    std::thread t([&] {
        try {
            fn();
            done.set_value(nullptr);
        } catch (...) {
            done.set_value(std::current_exception());
        }
    });
    if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
        const int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
        t.join();
        throw std::runtime_error("blocked on the FIFO " + fifo.string());
    }
    t.join();
    return result.get();
}

void makeFifo(const fs::path& p)
{
    fs::remove(p);
    if (::mkfifo(p.c_str(), 0600) != 0)
        throw std::runtime_error("mkfifo failed: " + std::string(std::strerror(errno)));
}

// A SentencePiece ModelProto in protobuf wire format, as spm_train writes it.
std::string varint(std::uint64_t v)
{
    std::string s;
    do {
        std::uint8_t b = v & 0x7F;
        v >>= 7;
        if (v)
            b |= 0x80;
        s += static_cast<char>(b);
    } while (v);
    return s;
}
std::string lengthDelimited(int field, const std::string& body)
{
    return varint(static_cast<std::uint64_t>(field) << 3 | 2) + varint(body.size()) + body;
}
struct SpPiece {
    std::string text;
    float score;
    int type; // 1 normal, 2 unknown, 3 control
};
std::string sentencePieceModel(const std::vector<SpPiece>& pieces)
{
    std::string model;
    for (const auto& p : pieces) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &p.score, 4);
        std::string score = varint(2 << 3 | 5);
        for (int i = 0; i < 4; ++i)
            score += static_cast<char>((bits >> (8 * i)) & 0xFF);
        model += lengthDelimited(1, lengthDelimited(1, p.text) + score + varint(3 << 3 | 0) +
                                        varint(static_cast<std::uint64_t>(p.type)));
    }
    // trainer_spec { model_type: BPE (2) }
    model += lengthDelimited(2, varint(3 << 3 | 0) + varint(2));
    return model;
}

// Replaces the header of a safetensors file by `header` (raw JSON text).
std::string withHeader(const std::string& file, const std::string& header)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(file[static_cast<std::size_t>(i)]);
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
    return out + header + file.substr(8 + n);
}

json headerOf(const std::string& file)
{
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | static_cast<unsigned char>(file[static_cast<std::size_t>(i)]);
    return json::parse(file.substr(8, n));
}

} // namespace

class TestHostileInputs : public QObject {
    Q_OBJECT

    // One sample checkpoint (config.json, model.safetensors, byte-level
    // tokenizer.json) from the shared writer; tests copy what they break.
    std::unique_ptr<test::SampleCheckpoint> m_ckpt;
    json m_tokenizer;
    std::unique_ptr<QTemporaryDir> m_tmp;
    int m_counter = 0;

    fs::path freshDir()
    {
        const fs::path d = fs::path(m_tmp->path().toStdString()) / ("case" + std::to_string(m_counter++));
        fs::create_directories(d);
        return d;
    }
    // A folder holding only tokenizer.json with `text`.
    fs::path tokenizerDir(const std::string& text)
    {
        const auto d = freshDir();
        test::writeFile(d / "tokenizer.json", text);
        return d;
    }
    // A copy of the sample checkpoint, to break one file of.
    fs::path checkpointCopy()
    {
        const auto d = freshDir();
        fs::copy(m_ckpt->dir(), d, fs::copy_options::recursive);
        return d;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ckpt = std::make_unique<test::SampleCheckpoint>();
        m_tokenizer = json::parse(test::readFile(m_ckpt->dir() / "tokenizer.json"));
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        // The fixture itself loads: every failure below is the hostile change.
        (void)inspectCheckpoint(m_ckpt->dir());
        (void)Tokenizer::fromModelDir(m_ckpt->dir());
    }

    // --- 1. Crashes: deep nesting -------------------------------------------------

    void jsonDepthLimitIsExact()
    {
        using io::kMaxJsonDepth;
        QCOMPARE(io::parseJson(deepArray(kMaxJsonDepth), "x.json").is_array(), true);
        EXPECT_ERROR(FormatError, io::parseJson(deepArray(kMaxJsonDepth + 1), "x.json"),
                     {"x.json", "nested deeper than 128", "line 1"});
        // Brackets inside strings (also after escaped quotes) are not nesting.
        const std::string inString = "{\"a\": \"\\\"" + repeat("[", 1000) + "\"}";
        QCOMPARE(io::parseJson(inString, "x.json")["a"].get<std::string>().size(), std::size_t{1001});
    }

    void deepConfigJsonIsRefused()
    {
        // 100k levels in a key nobody reads: once a stack overflow in dump()/copy.
        const auto d = checkpointCopy();
        const auto original = json::parse(test::readFile(d / "config.json"));
        auto cfg = original;
        cfg["unused"] = "@@HERE@@";
        const std::string deepUnused = withRaw(cfg, deepArray(100000));
        test::writeFile(d / "config.json", deepUnused);
        EXPECT_ERROR(FormatError, inspectCheckpoint(d), {"config.json", "nested deeper"});
        // quantize pretty-printed such a config without end, after writing the weights.
        const auto out = d.parent_path() / (d.filename().string() + "-quantized");
        EXPECT_ERROR(FormatError, quantizeModel(d, out, QuantizeOptions{}), {"config.json", "nested deeper"});
        QVERIFY(!fs::exists(out / "model.safetensors"));
        // The same in a key that is read (its error message used to dump the value).
        cfg = original;
        cfg["vocab_size"] = "@@HERE@@";
        test::writeFile(d / "config.json", withRaw(cfg, repeat("{\"a\":", 100000) + "1" + repeat("}", 100000)));
        EXPECT_ERROR(FormatError, ModelConfig::fromFile(d / "config.json"), {"config.json", "nested deeper"});
    }

    void deepTokenizerJsonIsRefused()
    {
        for (const char* key : {"normalizer", "decoder", "post_processor", "pre_tokenizer"}) {
            auto j = m_tokenizer;
            j[key] = "@@HERE@@";
            const auto d = tokenizerDir(withRaw(j, repeat("{\"type\":", 100000) + "1" + repeat("}", 100000)));
            EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(d), {"tokenizer.json", "nested deeper"});
        }
        auto j = m_tokenizer;
        j["model"]["merges"] = "@@HERE@@";
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(withRaw(j, deepArray(100000)))),
                     {"tokenizer.json", "nested deeper"});
    }

    void deepSequencePreTokenizersAreRefusedQuickly()
    {
        // 100k levels crashed, 20k levels took quadratic time copying each level.
        for (std::size_t levels : {std::size_t{100000}, std::size_t{20000}}) {
            auto j = m_tokenizer;
            j["pre_tokenizer"] = "@@HERE@@";
            const std::string seq = repeat(R"({"type":"Sequence","pretokenizers":[)", levels) +
                                    R"({"type":"ByteLevel","add_prefix_space":false})" + repeat("]}", levels);
            EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(withRaw(j, seq))),
                         {"tokenizer.json", "nested deeper"});
        }
        // Legitimate nesting still works and means the same as no nesting.
        auto j = m_tokenizer;
        j["pre_tokenizer"] = "@@HERE@@";
        const std::string seq = repeat(R"({"type":"Sequence","pretokenizers":[)", 30) +
                                R"({"type":"ByteLevel","add_prefix_space":false})" + repeat("]}", 30);
        const auto nested = Tokenizer::fromModelDir(tokenizerDir(withRaw(j, seq)));
        const auto plain = Tokenizer::fromModelDir(m_ckpt->dir());
        const std::string text = "Hello world, 123 tokens!";
        QCOMPARE(nested.encode(text, true), plain.encode(text, true));
    }

    void deepArchitectureJsonIsRefused()
    {
        // pretrain / bench train copy and dump the architecture JSON.
        const auto d = freshDir();
        json arch = {{"hidden_size", 32},
                     {"intermediate_size", 64},
                     {"num_hidden_layers", 1},
                     {"num_attention_heads", 4},
                     {"unused", "@@HERE@@"}};
        test::writeFile(d / "arch.json", withRaw(arch, deepArray(100000)));
        EXPECT_ERROR(FormatError, benchTrain(d / "arch.json", 100, 1, 4, 1), {"arch.json", "nested deeper"});
        test::writeFile(d / "corpus.txt", "some text\nmore text\n");
        PretrainOptions o;
        o.corpus = d / "corpus.txt";
        o.architecture = d / "arch.json";
        o.tokenizer = m_ckpt->dir() / "tokenizer.json";
        o.outDir = d / "out";
        o.steps = 1;
        EXPECT_ERROR(FormatError, pretrain(o), {"arch.json", "nested deeper"});
    }

    // --- 2. Hangs -------------------------------------------------------------------

    void catastrophicSplitPatternIsAnError()
    {
        // (a+)+$ backtracks exponentially on "aaa…ab". Without a match limit it
        // ran for hours; with PCRE2's limit treated as "no match", the inverted
        // Split dropped the whole text.
        auto j = m_tokenizer;
        j["pre_tokenizer"] = {
            {"type", "Sequence"},
            {"pretokenizers",
             {{{"type", "Split"}, {"pattern", {{"Regex", "(a+)+$"}}}, {"behavior", "Removed"}, {"invert", true}},
              {{"type", "ByteLevel"}, {"add_prefix_space", false}}}}};
        const auto tok = Tokenizer::fromModelDir(tokenizerDir(j.dump()));
        QVERIFY(!tok.encode("aaaa", false).empty()); // cheap text: the pattern works
        EXPECT_ERROR(FormatError, tok.encode(std::string(1 << 20, 'a') + "b", false),
                     {"tokenizer.json", "(a+)+$", "too expensive"});
        // A legitimate pattern that backtracks once over the rest of the text
        // (Llama 3's \s*[\r\n]+ on a long run of spaces) is not "too expensive":
        // the limit grows with the text.
        j["pre_tokenizer"] = {{"type", "Sequence"},
                              {"pretokenizers",
                               {{{"type", "Split"},
                                 {"pattern",
                                  {{"Regex", R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?)"
                                             R"([^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}}},
                                 {"behavior", "Isolated"},
                                 {"invert", false}},
                                {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"use_regex", false}}}}};
        const auto llama3 = Tokenizer::fromModelDir(tokenizerDir(j.dump()));
        QVERIFY(!llama3.encode(std::string(3 << 20, ' ') + "x", false).empty());
        // Long but ordinary text through the real split pattern stays within the limits.
        const auto plain = Tokenizer::fromModelDir(m_ckpt->dir());
        QVERIFY(!plain.encode(repeat("hello world ", 20000), false).empty());
        QVERIFY(!plain.encode(std::string(200000, 'x'), false).empty());
        QVERIFY(!plain.encode(std::string(200000, ' ') + "x", false).empty());
    }

    void hugeSentencePiecePieceIsRefused()
    {
        const std::vector<SpPiece> good = {{"<unk>", 0, 2},         {"<s>", 0, 3}, {"</s>", 0, 3},
                                           {"\xE2\x96\x81", -1, 1}, {"a", -2, 1},  {"aa", -3, 1}};
        const auto d = freshDir();
        test::writeFile(d / "tokenizer.model", sentencePieceModel(good));
        const auto tok = Tokenizer::fromFile(d / "tokenizer.model"); // the hand-written proto is valid
        QVERIFY(!tok.encode("aaaa", false).empty());
        // One 2 MB piece: merge extraction tried every split (O(n²)) and hung.
        auto bad = good;
        bad.push_back({std::string(2 << 20, 'a'), -4, 1});
        test::writeFile(d / "tokenizer.model", sentencePieceModel(bad));
        EXPECT_ERROR(FormatError, Tokenizer::fromFile(d / "tokenizer.model"),
                     {"tokenizer.model", "piece #6", "bytes long"});
    }

    void fifoInsteadOfFileIsRefusedWithoutBlocking()
    {
        const auto check = [](const std::function<void()>& fn, const fs::path& fifo) {
            makeFifo(fifo);
            const auto error = runUnblocking(fn, fifo);
            QVERIFY2(error, "a FIFO was accepted");
            try {
                std::rethrow_exception(error);
            } catch (const FormatError& e) {
                QVERIFY2(std::string(e.what()).find("not a regular file") != std::string::npos, e.what());
                QVERIFY2(std::string(e.what()).find(fifo.filename().string()) != std::string::npos, e.what());
            } catch (const std::exception& e) {
                QFAIL((std::string("not a FormatError: ") + e.what()).c_str());
            }
        };
        {
            const auto d = checkpointCopy();
            check([&] { inspectCheckpoint(d); }, d / "model.safetensors");
        }
        {
            const auto d = checkpointCopy();
            check([&] { inspectCheckpoint(d); }, d / "config.json");
        }
        {
            const auto d = checkpointCopy();
            check([&] { Tokenizer::fromModelDir(d); }, d / "tokenizer.json");
        }
        {
            const auto d = freshDir();
            check([&] { Tokenizer::fromFile(d / "tokenizer.model"); }, d / "tokenizer.model");
        }
        {
            // Plain text inputs (corpora) get the same treatment, as InvalidArgument.
            const auto d = freshDir();
            makeFifo(d / "corpus.txt");
            const auto error = runUnblocking([&] { io::readTextFile(d / "corpus.txt"); }, d / "corpus.txt");
            QVERIFY_THROWS_EXCEPTION(InvalidArgument, std::rethrow_exception(error));
        }
        // A folder where a file is expected.
        const auto d = freshDir();
        fs::create_directory(d / "config.json");
        EXPECT_ERROR(FormatError, ModelConfig::fromFile(d / "config.json"), {"config.json", "folder"});
    }

    // --- 3. Slow: size limits ---------------------------------------------------------

    void oversizedConfigJsonIsRefusedBeforeParsing()
    {
        // 273 MB once took 70 s and 3.5 GB; anything over the limit is refused unread.
        const auto d = checkpointCopy();
        auto cfg = json::parse(test::readFile(d / "config.json"));
        cfg["padding"] = std::string(io::kMaxSmallJsonBytes, 'x');
        test::writeFile(d / "config.json", cfg.dump());
        EXPECT_ERROR(FormatError, inspectCheckpoint(d), {"config.json", "larger than 16 MiB"});
        EXPECT_ERROR(InvalidArgument, io::readTextFile(d / "config.json", 1000), {"larger than"});
        EXPECT_ERROR(FormatError, ModelConfig::fromJson(cfg.dump(), "config.json"), {"config.json", "larger than"});
    }

    // --- 4. Wrong results ---------------------------------------------------------------

    void duplicateTensorNameIsRefused()
    {
        const auto d = checkpointCopy();
        const auto file = test::readFile(d / "model.safetensors");
        const json header = headerOf(file);
        const std::string name = "model.norm.weight";
        QVERIFY(header.contains(name));
        // The same name again, pointing at another tensor's bytes of equal size:
        // last-one-wins would quietly load different weights.
        std::string other;
        for (const auto& [k, v] : header.items())
            if (k != name && k != "__metadata__" && v["shape"] == header[name]["shape"])
                other = k;
        QVERIFY(!other.empty());
        const std::string text = header.dump();
        const std::string dup = "\"" + name + "\":" + header[other].dump() + ",";
        test::writeFile(d / "model.safetensors", withHeader(file, "{" + dup + text.substr(1)));
        EXPECT_ERROR(FormatError, inspectCheckpoint(d), {"model.safetensors", name, "twice"});
    }

    void ropeScalingWithoutTypeIsRefused()
    {
        auto j = test::tinyLlamaConfig();
        j["rope_scaling"] = {{"factor", 8.0}};
        EXPECT_ERROR(FormatError, ModelConfig::fromJson(j.dump(), "config.json"),
                     {"config.json", "rope_scaling", "rope_type"});
        j["rope_scaling"] = {{"rope_type", "default"}};
        QCOMPARE(static_cast<int>(ModelConfig::fromJson(j.dump(), "config.json").ropeScaling.kind),
                 static_cast<int>(RopeScaling::Kind::None));
        j["rope_scaling"] = nullptr;
        QCOMPARE(static_cast<int>(ModelConfig::fromJson(j.dump(), "config.json").ropeScaling.kind),
                 static_cast<int>(RopeScaling::Kind::None));
    }

    void tokenIdsOutOfRangeAreRefused()
    {
        // 2^32 + 5 was read as int32 5 and replaced byte token 5.
        const std::uint64_t wraps = (1ull << 32) + 5;
        auto j = m_tokenizer;
        j["added_tokens"][0]["id"] = wraps;
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(j.dump())),
                     {"tokenizer.json", "added_tokens[0]", "4294967301"});
        j["added_tokens"][0]["id"] = -1;
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(j.dump())), {"added_tokens[0]", "-1"});
        j = m_tokenizer;
        j["model"]["vocab"]["a"] = wraps;
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(j.dump())), {"model.vocab", "4294967301"});
        j = m_tokenizer;
        j["post_processor"]["special_tokens"]["<s>"]["ids"] = {wraps};
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(j.dump())), {"post_processor", "4294967301"});
        auto cfg = test::tinyLlamaConfig();
        cfg["eos_token_id"] = wraps;
        EXPECT_ERROR(FormatError, ModelConfig::fromJson(cfg.dump(), "config.json"), {"eos_token_id", "4294967301"});
        cfg["eos_token_id"] = {2, wraps};
        EXPECT_ERROR(FormatError, ModelConfig::fromJson(cfg.dump(), "config.json"), {"eos_token_id"});
        cfg.erase("eos_token_id");
        cfg["bos_token_id"] = wraps;
        EXPECT_ERROR(FormatError, ModelConfig::fromJson(cfg.dump(), "config.json"), {"bos_token_id"});
    }

    void samplingOptionsAreValidated()
    {
        const auto bad = [](auto change) {
            SamplingOptions o;
            change(o);
            return o;
        };
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        const std::vector<SamplingOptions> refused = {
            bad([&](auto& o) { o.temperature = nan; }),
            bad([&](auto& o) { o.temperature = -1e-300; }),
            bad([&](auto& o) { o.temperature = inf; }),
            bad([&](auto& o) { o.topP = nan; }),
            bad([&](auto& o) { o.topP = 0.0; }),
            bad([&](auto& o) { o.topP = 1.5; }),
            bad([&](auto& o) { o.topK = -1; }),
            bad([&](auto& o) { o.repetitionPenalty = nan; }),
            bad([&](auto& o) { o.repetitionPenalty = inf; }),
            bad([&](auto& o) { o.repetitionPenalty = 0.0; }),
            bad([&](auto& o) { o.maxNewTokens = -1; }),
        };
        for (const auto& o : refused) {
            QVERIFY_THROWS_EXCEPTION(InvalidArgument, validate(o));
            QVERIFY_THROWS_EXCEPTION(InvalidArgument, model::Sampler{o}); // not only through generate()
        }
    }

    void tinyTemperatureIsGreedyNotNaN()
    {
        // 1e-300 became 0 in float: logits / 0 gave NaN probabilities.
        const std::vector<float> logits = {1.0f, 3.0f, 2.5f, -4.0f};
        for (double t : {1e-300, 1e-10, kGreedyBelowTemperature / 2}) {
            model::Sampler s(sampling(t));
            for (int i = 0; i < 20; ++i) {
                auto l = logits;
                QCOMPARE(s.next(l, {}), 1);
            }
        }
        // Just above the greedy threshold, sampling runs in double and stays finite:
        // a gap of 0.5 / 1e-5 makes anything but the argmax vanishingly unlikely.
        model::Sampler s(sampling(kGreedyBelowTemperature * 2, 0.9));
        for (int i = 0; i < 20; ++i) {
            auto l = logits;
            QCOMPARE(s.next(l, {}), 1);
        }
        // A huge repetition penalty on every token is still a choice, not NaN.
        model::Sampler p(sampling(1.0, 1.0, 1e300));
        auto l = logits;
        const auto id = p.next(l, {0, 1, 2, 3});
        QVERIFY(id >= 0 && id < 4);
    }

    void emptyTrainingCorpusIsRefused()
    {
        // Wrote a tokenizer without merges and printed "-nan bytes per token".
        BpeTrainingOptions o;
        o.vocabSize = 300;
        EXPECT_ERROR(InvalidArgument, trainByteLevelBpe("", o), {"empty"});
        EXPECT_ERROR(InvalidArgument, trainByteLevelBpe(" \n\t\n  \r\n", o), {"whitespace"});
        QVERIFY(!trainByteLevelBpe("some text some text", o).empty());
    }

    // --- 5. Messages: no "internal error" from nlohmann ----------------------------------

    void wrongTypesInConfigNameTheKey()
    {
        const std::vector<std::pair<json, std::vector<std::string>>> cases = {
            {{{"hidden_size", "64"}}, {"\"hidden_size\"", "integer", "the string \"64\""}},
            {{{"hidden_size", {{"a", 1}}}}, {"\"hidden_size\"", "an object"}},
            {{{"model_type", 5}}, {"\"model_type\"", "must be a string"}},
            {{{"rms_norm_eps", "small"}}, {"\"rms_norm_eps\"", "number"}},
            {{{"tie_word_embeddings", "yes"}}, {"\"tie_word_embeddings\"", "true or false"}},
            {{{"rope_scaling", {{"type", 3}}}}, {"rope_scaling", "\"type\"", "string"}},
            {{{"quantization_config", {{"quant_method", 1}}}}, {"\"quant_method\"", "string"}},
            {{{"bos_token_id", "1"}}, {"\"bos_token_id\"", "integer"}},
        };
        for (const auto& [change, fragments] : cases) {
            auto j = test::tinyLlamaConfig();
            j.update(change);
            auto expected = fragments;
            expected.insert(expected.begin(), "config.json");
            EXPECT_ERROR(FormatError, ModelConfig::fromJson(j.dump(), "config.json"), expected);
        }
        EXPECT_ERROR(FormatError, ModelConfig::fromJson("{\"a\": [1, 2,", "config.json"),
                     {"config.json", "not valid JSON", "line 1, column"});
    }

    void wrongTypesInTokenizerNameTheKey()
    {
        struct Case {
            std::function<void(json&)> change;
            std::vector<std::string> fragments;
        };
        const std::vector<Case> cases = {
            {[](json& j) { j["normalizer"] = 5; }, {"normalizer", "must be an object"}},
            {[](json& j) {
                 j["pre_tokenizer"] = {{"type", 7}};
             },
             {"pre_tokenizer", "\"type\"", "string"}},
            {[](json& j) {
                 j["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", "no"}};
             },
             {"pre_tokenizer", "\"add_prefix_space\"", "true or false"}},
            {[](json& j) {
                 j["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", 1}}}};
             },
             {"pre_tokenizer.pattern", "\"Regex\"", "string"}},
            {[](json& j) {
                 j["decoder"] = {{"type", "Strip"}, {"start", -1}};
             },
             {"decoder", "\"start\"", "-1"}},
            {[](json& j) {
                 j["decoder"] = {{"type", "Sequence"}, {"decoders", "x"}};
             },
             {"decoder", "\"decoders\"", "array"}},
            {[](json& j) { j["model"]["byte_fallback"] = "yes"; }, {"model", "\"byte_fallback\""}},
            {[](json& j) { j["model"]["merges"] = 3; }, {"\"merges\"", "array"}},
            {[](json& j) { j["added_tokens"][0]["content"] = 5; }, {"added_tokens[0]", "\"content\""}},
            {[](json& j) {
                 j["added_tokens"] = {{{"content", "x"}}};
             },
             {"added_tokens[0]", "\"id\""}},
            {[](json& j) { j["post_processor"]["special_tokens"]["<s>"]["ids"] = {"x"}; },
             {"post_processor", "the string \"x\""}},
            {[](json& j) {
                 j["post_processor"] = {{"type", "BertProcessing"}, {"cls", 1}};
             },
             {"post_processor", "\"cls\""}},
        };
        for (const auto& c : cases) {
            auto j = m_tokenizer;
            c.change(j);
            auto expected = c.fragments;
            expected.insert(expected.begin(), "tokenizer.json");
            EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(tokenizerDir(j.dump())), expected);
        }
        // tokenizer_config.json is read through the same reader.
        auto d = tokenizerDir(m_tokenizer.dump());
        test::writeFile(d / "tokenizer_config.json", "{\"bos_token\": ");
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(d), {"tokenizer_config.json", "not valid JSON"});
        test::writeFile(d / "tokenizer_config.json", R"({"bos_token": {"content": 5}})");
        EXPECT_ERROR(FormatError, Tokenizer::fromModelDir(d), {"tokenizer_config.json", "\"content\""});
    }

    void brokenShardIndexIsAFormatError()
    {
        test::SampleCheckpoint sharded({.shards = 2});
        const auto index = sharded.dir() / "model.safetensors.index.json";
        auto j = json::parse(test::readFile(index));
        const std::string text = j.dump();
        // A tensor listed twice in weight_map, with two different shards.
        const std::string key = j["weight_map"].begin().key();
        const std::string open = "\"weight_map\":{";
        std::string dup = text;
        dup.insert(text.find(open) + open.size(), "\"" + key + "\":\"x.safetensors\",");
        test::writeFile(index, dup);
        EXPECT_ERROR(FormatError, inspectCheckpoint(sharded.dir()), {"index.json", key, "twice"});
        test::writeFile(index, "[" + text);
        EXPECT_ERROR(FormatError, inspectCheckpoint(sharded.dir()), {"index.json", "not valid JSON"});
    }
};

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "test_hostile_inputs.moc"
