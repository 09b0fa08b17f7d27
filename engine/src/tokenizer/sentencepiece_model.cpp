// tokenizer.model (a SentencePiece ModelProto) for checkpoints without a
// tokenizer.json. The protobuf is read directly (libsentencepiece's bundled
// protobuf clashes with libtorch's at load time on Debian 12) and converted to
// the tokenizer.json pipeline the way transformers' LlamaConverter does it:
// BPE merges ranked by the score of the merged piece, byte fallback, "▁" for
// spaces with a dummy prefix, and BOS from the template.
#include "tokenizer/tokenizer_impl.h"

#include "io/text_file.h"
#include "tokenizer/unicode_text.h"
#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <map>

namespace zl::tok {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxModelBytes = 256u << 20;
// SentencePiece trains pieces of at most 16 characters by default; user-defined
// pieces are short strings too. Merge extraction tries every split of every
// piece, so its cost grows with the square of the piece length: one 2 MB piece
// took hours. Longer pieces are refused, and so is a total cost (sum over pieces
// of characters × bytes) far above that of real models (Llama 2: ~10^6).
constexpr std::size_t kMaxPieceBytes = 4096;
constexpr std::uint64_t kMaxExtractionCost = 1ull << 31;
const std::string kSpace = "\xE2\x96\x81"; // ▁

enum PieceType { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6 };

struct Piece {
    std::string text;
    float score = 0.0f;
    int type = kNormal;
};

struct SpModel {
    std::vector<Piece> pieces;
    int modelType = 1; // UNIGRAM
    std::int64_t unkId = 0, bosId = 1, eosId = 2;
    std::string normalizerName;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
};

// A bounds-checked reader of protobuf wire format.
class Wire {
public:
    Wire(const std::uint8_t* p, std::size_t n, const std::string& origin) : m_p(p), m_end(p + n), m_origin(origin) {}
    bool done() const { return m_p >= m_end; }

    std::uint64_t varint()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            const std::uint8_t b = *m_p++;
            v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if (!(b & 0x80))
                return v;
        }
        fail("varint longer than 10 bytes");
    }
    // Returns the field number; the wire type goes to `type`.
    int tag(int& type)
    {
        const auto t = varint();
        type = static_cast<int>(t & 7);
        return static_cast<int>(t >> 3);
    }
    Wire sub()
    {
        const auto n = varint();
        need(n);
        Wire w(m_p, static_cast<std::size_t>(n), m_origin);
        m_p += n;
        return w;
    }
    std::string bytes()
    {
        const auto n = varint();
        need(n);
        std::string s(reinterpret_cast<const char*>(m_p), static_cast<std::size_t>(n));
        m_p += n;
        return s;
    }
    float fixed32()
    {
        need(4);
        std::uint32_t u = 0;
        for (int i = 3; i >= 0; --i)
            u = (u << 8) | m_p[i];
        m_p += 4;
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
    void skip(int type)
    {
        switch (type) {
        case 0:
            varint();
            break;
        case 1:
            need(8);
            m_p += 8;
            break;
        case 2:
            sub();
            break;
        case 5:
            need(4);
            m_p += 4;
            break;
        default:
            fail("unsupported protobuf wire type " + std::to_string(type));
        }
    }
    [[noreturn]] void fail(const std::string& what) const
    {
        throw FormatError(m_origin + ": not a valid SentencePiece model (" + what + ")");
    }

private:
    void need(std::uint64_t n) const
    {
        if (n > static_cast<std::uint64_t>(m_end - m_p))
            fail("a field runs past the end of the file");
    }
    const std::uint8_t* m_p;
    const std::uint8_t* m_end;
    const std::string& m_origin;
};

SpModel parse(const std::string& data, const std::string& origin)
{
    SpModel m;
    Wire top(reinterpret_cast<const std::uint8_t*>(data.data()), data.size(), origin);
    while (!top.done()) {
        int type = 0;
        const int field = top.tag(type);
        if (field == 1 && type == 2) {
            Wire w = top.sub();
            Piece p;
            while (!w.done()) {
                int t = 0;
                const int f = w.tag(t);
                if (f == 1 && t == 2)
                    p.text = w.bytes();
                else if (f == 2 && t == 5)
                    p.score = w.fixed32();
                else if (f == 3 && t == 0)
                    p.type = static_cast<int>(w.varint());
                else
                    w.skip(t);
            }
            m.pieces.push_back(std::move(p));
        } else if (field == 2 && type == 2) {
            Wire w = top.sub();
            while (!w.done()) {
                int t = 0;
                const int f = w.tag(t);
                if (t != 0) {
                    w.skip(t);
                    continue;
                }
                const auto v = static_cast<std::int64_t>(w.varint());
                if (f == 3)
                    m.modelType = static_cast<int>(v);
                else if (f == 40)
                    m.unkId = v; // not narrowed: 2^32 + 1 must not become 1
                else if (f == 41)
                    m.bosId = v;
                else if (f == 42)
                    m.eosId = v;
            }
        } else if (field == 3 && type == 2) {
            Wire w = top.sub();
            while (!w.done()) {
                int t = 0;
                const int f = w.tag(t);
                if (f == 1 && t == 2)
                    m.normalizerName = w.bytes();
                else if (f == 3 && t == 0)
                    m.addDummyPrefix = w.varint() != 0;
                else if (f == 4 && t == 0)
                    m.removeExtraWhitespaces = w.varint() != 0;
                else
                    w.skip(t);
            }
        } else {
            top.skip(type);
        }
    }
    if (m.pieces.empty())
        top.fail("no pieces");
    std::uint64_t cost = 0;
    for (std::size_t i = 0; i < m.pieces.size(); ++i) {
        const auto& p = m.pieces[i];
        if (firstInvalidUtf8(p.text) != std::string::npos)
            top.fail("piece #" + std::to_string(i) + " is not valid UTF-8");
        if (p.text.size() > kMaxPieceBytes)
            top.fail("piece #" + std::to_string(i) + " is " + std::to_string(p.text.size()) +
                     " bytes long; pieces over " + std::to_string(kMaxPieceBytes) + " bytes are refused");
        cost += static_cast<std::uint64_t>(p.text.size()) * p.text.size();
    }
    if (cost > kMaxExtractionCost)
        top.fail("its pieces are too long in total to derive BPE merges from in reasonable time");
    return m;
}

// transformers' SentencePieceExtractor: every split of a piece into two pieces
// of the vocabulary is a merge, ranked by the merged piece's score.
json extractMerges(const SpModel& m, const std::map<std::string, std::int64_t>& vocab)
{
    struct Merge {
        std::string left, right;
        float score;
        std::int64_t leftId, rightId;
    };
    std::vector<Merge> merges;
    for (const auto& p : m.pieces) {
        const auto chars = utf8Chars(p.text);
        std::vector<Merge> local;
        std::string left;
        for (std::size_t i = 1; i < chars.size(); ++i) {
            left += chars[i - 1];
            const std::string right = p.text.substr(left.size());
            const auto l = vocab.find(left), r = vocab.find(right);
            if (l != vocab.end() && r != vocab.end())
                local.push_back({left, right, p.score, l->second, r->second});
        }
        std::sort(local.begin(), local.end(), [](const Merge& a, const Merge& b) {
            return a.leftId != b.leftId ? a.leftId < b.leftId : a.rightId < b.rightId;
        });
        merges.insert(merges.end(), local.begin(), local.end());
    }
    std::stable_sort(merges.begin(), merges.end(), [](const Merge& a, const Merge& b) { return a.score > b.score; });
    json out = json::array();
    for (const auto& mg : merges)
        out.push_back(json::array({mg.left, mg.right}));
    return out;
}

json toTokenizerJson(const SpModel& m, const std::string& origin)
{
    if (m.modelType != 2)
        throw FormatError(origin +
                          ": only BPE SentencePiece models are supported (Llama-family models use BPE); this "
                          "one is of type " +
                          std::to_string(m.modelType) + " (1 = unigram)");
    const auto n = static_cast<std::int64_t>(m.pieces.size());
    if (m.unkId < 0 || m.unkId >= n)
        throw FormatError(origin + ": unk_id " + std::to_string(m.unkId) + " is outside the " + std::to_string(n) +
                          " pieces");
    if (m.normalizerName != "identity" && !m.normalizerName.empty() &&
        m.normalizerName.find("nfkc") == std::string::npos)
        throw FormatError(origin + ": normalization rule \"" + m.normalizerName + "\" is not supported");

    std::map<std::string, std::int64_t> vocab;
    json vocabJson = json::object();
    json added = json::array();
    bool hasBytes = false;
    for (std::int64_t i = 0; i < n; ++i) {
        const auto& p = m.pieces[static_cast<std::size_t>(i)];
        vocab.emplace(p.text, i);
        vocabJson[p.text] = i;
        hasBytes = hasBytes || p.type == kByte;
        if (p.type == kControl || p.type == kUnknown || p.type == kUserDefined)
            added.push_back({{"id", i},
                             {"content", p.text},
                             {"single_word", false},
                             {"lstrip", false},
                             {"rstrip", false},
                             {"normalized", false},
                             {"special", p.type != kUserDefined}});
    }
    json normalizers = json::array();
    if (m.normalizerName.find("nfkc") != std::string::npos)
        normalizers.push_back({{"type", "NFKC"}});
    if (m.removeExtraWhitespaces) {
        normalizers.push_back({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}});
        normalizers.push_back({{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}});
    }
    if (m.addDummyPrefix)
        normalizers.push_back({{"type", "Prepend"}, {"prepend", kSpace}});
    normalizers.push_back({{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", kSpace}});
    json decoders = json::array({{{"type", "Replace"}, {"pattern", {{"String", kSpace}}}, {"content", " "}},
                                 {{"type", "ByteFallback"}},
                                 {{"type", "Fuse"}}});
    if (m.addDummyPrefix)
        decoders.push_back({{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}});
    json post = nullptr;
    if (m.bosId >= 0 && m.bosId < n) {
        const auto& bos = m.pieces[static_cast<std::size_t>(m.bosId)].text;
        post = {{"type", "TemplateProcessing"},
                {"single",
                 {{{"SpecialToken", {{"id", bos}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                {"special_tokens", {{bos, {{"id", bos}, {"ids", {m.bosId}}, {"tokens", {bos}}}}}}};
    }
    return {{"added_tokens", added},
            {"normalizer", {{"type", "Sequence"}, {"normalizers", normalizers}}},
            {"pre_tokenizer", nullptr},
            {"post_processor", post},
            {"decoder", {{"type", "Sequence"}, {"decoders", decoders}}},
            {"model",
             {{"type", "BPE"},
              {"unk_token", m.pieces[static_cast<std::size_t>(m.unkId)].text},
              {"fuse_unk", true},
              {"byte_fallback", hasBytes},
              {"vocab", vocabJson},
              {"merges", extractMerges(m, vocab)}}}};
}

} // namespace

std::unique_ptr<Tokenizer::Impl> loadSentencePieceModel(const std::filesystem::path& file)
{
    const std::string origin = file.string();
    std::string data;
    try {
        data = io::readTextFile(file, kMaxModelBytes); // refuses FIFOs and devices without blocking
    } catch (const InvalidArgument& e) {
        throw FormatError(e.what());
    }
    const auto model = parse(data, origin);
    return loadHfTokenizer(toTokenizerJson(model, origin), origin, file.parent_path(), "tokenizer.model");
}

} // namespace zl::tok
