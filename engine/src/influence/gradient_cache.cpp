#include "influence/gradient_cache.h"

#include "zerolens/error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace zl::influence {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// 'ZLGC': PRAGMA application_id of a ZeroLens gradient cache.
constexpr std::int32_t kApplicationId = 0x5A4C4743;
constexpr const char* kKind = "ZeroLens gradient cache";
// The vectors file: this header, then rows of vectorLength fp16 values.
constexpr std::array<char, 8> kMagic = {'Z', 'L', 'G', 'V', 'E', 'C', '0', '1'};
constexpr std::int64_t kHeaderBytes = 64;

constexpr std::array<std::string_view, 1> kMigrations = {
    // 1: settings, examples with their vector rows, saved queries.
    R"sql(
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE examples (
    id INTEGER PRIMARY KEY,
    split TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    prompt TEXT NOT NULL,
    response TEXT NOT NULL,
    metadata TEXT NOT NULL,
    tokens BLOB NOT NULL,
    response_start INTEGER NOT NULL,
    vector_row INTEGER UNIQUE
);
CREATE TABLE queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    prompt TEXT NOT NULL,
    response TEXT NOT NULL,
    span_begin INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE query_results (
    query_id INTEGER NOT NULL REFERENCES queries(id) ON DELETE CASCADE,
    list TEXT NOT NULL,
    rank INTEGER NOT NULL,
    example_id INTEGER NOT NULL REFERENCES examples(id),
    score REAL NOT NULL,
    PRIMARY KEY (query_id, list, rank)
);
)sql",
};

std::string joinInts(const std::vector<int>& v)
{
    std::string s;
    for (const int x : v)
        s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
}

std::vector<int> splitInts(const std::string& s)
{
    std::vector<int> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto end = std::min(s.find(',', pos), s.size());
        out.push_back(std::stoi(s.substr(pos, end - pos)));
        pos = end + 1;
    }
    return out;
}

// Settings as key/value text, in a fixed order (also the order differences are named in).
std::vector<std::pair<std::string, std::string>> settingsRows(const CacheSettings& s)
{
    const auto& g = s.gradient;
    return {{"model_id", s.modelId},
            {"model_dir", s.modelDir},
            {"mask_hash", s.maskHash},
            {"tracked", g.tracked},
            {"blocks", joinInts(g.blocks)},
            {"k", std::to_string(g.k)},
            {"shuffles", std::to_string(g.shuffles)},
            {"seed", std::to_string(g.seed)},
            {"exact", g.exact ? "1" : "0"},
            {"max_length", std::to_string(g.maxLength)},
            {"dimension", std::to_string(s.dimension)},
            {"vector_length", std::to_string(s.vectorLength)},
            {"compressed", s.compressed ? "1" : "0"},
            {"dataset_fingerprint", s.datasetFingerprint},
            {"dataset_path", s.datasetPath},
            {"prompt_template", s.promptTemplate}};
}

// What each setting is called in a message, and whether a difference invalidates the vectors.
struct SettingName {
    const char* key;
    const char* words;
};
constexpr std::array<SettingName, 10> kIdentity = {{{"model_id", "model weights"},
                                                    {"mask_hash", "positions of S (mask)"},
                                                    {"tracked", "tracked parameters"},
                                                    {"blocks", "tracked blocks"},
                                                    {"k", "K"},
                                                    {"shuffles", "shuffle rounds"},
                                                    {"seed", "projection seed"},
                                                    {"exact", "exact mode"},
                                                    {"max_length", "maximum length"},
                                                    {"dataset_fingerprint", "dataset (files, split or task)"}}};

std::vector<std::int32_t> tokensFromBlob(const std::vector<std::byte>& blob)
{
    std::vector<std::int32_t> t(blob.size() / sizeof(std::int32_t));
    std::memcpy(t.data(), blob.data(), t.size() * sizeof(std::int32_t));
    return t;
}

std::uint64_t fileBytes(const fs::path& p)
{
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

[[noreturn]] void ioFail(const fs::path& file, const char* what)
{
    throw Error(file.string() + ": cannot " + what + ": " + std::strerror(errno));
}

} // namespace

fs::path GradientCache::vectorsPath(const fs::path& file)
{
    return fs::path(file.string() + ".vectors");
}

GradientCache::GradientCache(const fs::path& file, Access access) : m_file(file), m_access(access)
{
    if (access != Access::Build && !fs::is_regular_file(file))
        throw InvalidArgument(file.string() + " does not exist or is not a file");
    const auto mode = access == Access::Build   ? store::Connection::Mode::ReadWriteCreate
                      : access == Access::Query ? store::Connection::Mode::ReadWrite
                                                : store::Connection::Mode::ReadOnly;
    m_db = std::make_unique<store::Connection>(file, kKind, mode);
    if (access == Access::Build) {
        store::applySchema(*m_db, store::Schema{kApplicationId, kMigrations});
    } else {
        // Read-only: the schema must already be ours and current.
        store::Statement id(*m_db, "PRAGMA application_id");
        if (!id.step() || id.columnInt(0) != kApplicationId || store::schemaVersion(*m_db) != 1)
            throw FormatError(file.string() + " is not a " + kKind);
    }
    const auto s = settings();
    if (!s)
        return;
    m_vectorLength = s->vectorLength;
    loadRowIndex();
    const auto vectors = vectorsPath(file);
    const auto committed = kHeaderBytes + m_rows * m_vectorLength * 2;
    if (access == Access::Build) {
        m_vectorsFd = ::open(vectors.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_vectorsFd < 0)
            ioFail(vectors, "open");
        struct stat st {};
        if (::fstat(m_vectorsFd, &st) != 0)
            ioFail(vectors, "read the size of");
        if (st.st_size < committed)
            throw FormatError(vectors.string() + " holds " + std::to_string(st.st_size) + " bytes, less than the " +
                              std::to_string(committed) + " its database records; the cache is damaged");
        // A batch killed between writing its vectors and recording them is cut off.
        if (st.st_size > committed && ::ftruncate(m_vectorsFd, committed) != 0)
            ioFail(vectors, "truncate");
        return;
    }
    m_map = std::make_unique<io::MappedFile>(vectors);
    if (static_cast<std::int64_t>(m_map->size()) < committed ||
        std::memcmp(m_map->data(), kMagic.data(), kMagic.size()) != 0)
        throw FormatError(vectors.string() + " is not the vectors file of " + file.string() +
                          " (wrong header or too short)");
}

GradientCache::~GradientCache()
{
    if (m_vectorsFd >= 0)
        ::close(m_vectorsFd);
}

std::optional<CacheSettings> GradientCache::settings() const
{
    std::map<std::string, std::string> kv;
    store::Statement st(*m_db, "SELECT key, value FROM settings");
    while (st.step())
        kv[st.columnText(0)] = st.columnText(1);
    if (kv.empty())
        return std::nullopt;
    auto get = [&](const char* key) {
        const auto it = kv.find(key);
        if (it == kv.end())
            throw FormatError(m_file.string() + ": the cache has no setting \"" + key + "\"");
        return it->second;
    };
    try {
        CacheSettings s;
        s.modelId = get("model_id");
        s.modelDir = get("model_dir");
        s.maskHash = get("mask_hash");
        s.gradient.tracked = get("tracked");
        s.gradient.blocks = splitInts(get("blocks"));
        s.gradient.k = std::stoll(get("k"));
        s.gradient.shuffles = std::stoi(get("shuffles"));
        s.gradient.seed = std::stoull(get("seed"));
        s.gradient.exact = get("exact") == "1";
        s.gradient.maxLength = std::stoll(get("max_length"));
        s.dimension = std::stoll(get("dimension"));
        s.vectorLength = std::stoll(get("vector_length"));
        s.compressed = get("compressed") == "1";
        s.datasetFingerprint = get("dataset_fingerprint");
        s.datasetPath = get("dataset_path");
        s.promptTemplate = get("prompt_template");
        if (s.vectorLength < 1)
            throw std::invalid_argument("vector length");
        return s;
    } catch (const std::logic_error&) {
        throw FormatError(m_file.string() + ": the cache's settings are damaged");
    }
}

void GradientCache::initialise(const CacheSettings& s, const std::vector<IndexedExample>& examples)
{
    store::Transaction tx(*m_db);
    m_db->exec("DELETE FROM query_results; DELETE FROM queries; DELETE FROM examples; DELETE FROM settings;");
    store::Statement put(*m_db, "INSERT INTO settings (key, value) VALUES (?, ?)");
    for (const auto& [k, v] : settingsRows(s)) {
        put.bindText(1, k).bindText(2, v).run();
        put.reset();
    }
    store::Statement add(*m_db, "INSERT INTO examples (id, split, source, line, prompt, response, metadata, tokens, "
                                "response_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& e : examples) {
        const auto& x = e.example;
        add.bindInt(1, x.id).bindText(2, x.split).bindText(3, x.source).bindInt(4, x.line);
        add.bindText(5, x.prompt).bindText(6, x.response).bindText(7, x.metadata);
        add.bindBlob(8, std::as_bytes(std::span(e.tokens))).bindInt(9, e.responseStart).run();
        add.reset();
    }
    tx.commit();
    // A fresh vectors file: just the header.
    const auto vectors = vectorsPath(m_file);
    if (m_vectorsFd < 0)
        m_vectorsFd = ::open(vectors.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_vectorsFd < 0)
        ioFail(vectors, "open");
    std::array<char, kHeaderBytes> header{};
    std::memcpy(header.data(), kMagic.data(), kMagic.size());
    std::memcpy(header.data() + 8, &s.vectorLength, sizeof(s.vectorLength));
    if (::ftruncate(m_vectorsFd, 0) != 0 || ::pwrite(m_vectorsFd, header.data(), header.size(), 0) != kHeaderBytes ||
        ::fdatasync(m_vectorsFd) != 0)
        ioFail(vectors, "write");
    m_vectorLength = s.vectorLength;
    m_rows = 0;
    m_rowExamples.clear();
}

std::vector<std::string> GradientCache::differences(const CacheSettings& wanted) const
{
    const auto have = settings();
    if (!have)
        return {};
    std::map<std::string, std::string> a, b;
    for (const auto& [k, v] : settingsRows(*have))
        a[k] = v;
    for (const auto& [k, v] : settingsRows(wanted))
        b[k] = v;
    std::vector<std::string> out;
    for (const auto& n : kIdentity)
        if (a[n.key] != b[n.key])
            out.push_back(std::string(n.words) + ": cached \"" + a[n.key].substr(0, 24) + "\", now \"" +
                          b[n.key].substr(0, 24) + "\"");
    return out;
}

std::int64_t GradientCache::exampleCount() const
{
    store::Statement st(*m_db, "SELECT count(*) FROM examples");
    st.step();
    return st.columnInt(0);
}

std::vector<std::int64_t> GradientCache::pendingExamples() const
{
    std::vector<std::int64_t> ids;
    store::Statement st(*m_db, "SELECT id FROM examples WHERE vector_row IS NULL ORDER BY id");
    while (st.step())
        ids.push_back(st.columnInt(0));
    return ids;
}

IndexedExample GradientCache::example(std::int64_t id) const
{
    store::Statement st(*m_db, "SELECT split, source, line, prompt, response, metadata, tokens, response_start "
                               "FROM examples WHERE id = ?");
    st.bindInt(1, id);
    if (!st.step())
        throw InvalidArgument("the cache has no example " + std::to_string(id));
    IndexedExample e;
    e.example = {
        id, st.columnText(0), st.columnText(1), st.columnInt(2), st.columnText(3), st.columnText(4), st.columnText(5)};
    e.tokens = tokensFromBlob(st.columnBlob(6));
    e.responseStart = st.columnInt(7);
    return e;
}

void GradientCache::appendVectors(const std::vector<std::int64_t>& ids, const std::vector<std::uint16_t>& halves)
{
    if (halves.size() != ids.size() * static_cast<std::size_t>(m_vectorLength))
        throw InvalidArgument("vectors do not match their examples");
    const auto vectors = vectorsPath(m_file);
    const auto offset = kHeaderBytes + m_rows * m_vectorLength * 2;
    const auto* bytes = reinterpret_cast<const char*>(halves.data());
    std::size_t done = 0;
    const auto total = halves.size() * sizeof(std::uint16_t);
    while (done < total) {
        const auto n =
            ::pwrite(m_vectorsFd, bytes + done, total - done, static_cast<off_t>(offset) + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            ioFail(vectors, "write");
        done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(m_vectorsFd) != 0)
        ioFail(vectors, "sync");
    store::Transaction tx(*m_db);
    store::Statement set(*m_db, "UPDATE examples SET vector_row = ? WHERE id = ? AND vector_row IS NULL");
    for (std::size_t i = 0; i < ids.size(); ++i) {
        set.bindInt(1, m_rows + static_cast<std::int64_t>(i)).bindInt(2, ids[i]).run();
        if (m_db->changes() != 1)
            throw InvalidArgument("example " + std::to_string(ids[i]) + " is cached already or does not exist");
        set.reset();
    }
    tx.commit();
    m_rows += static_cast<std::int64_t>(ids.size());
    m_rowExamples.insert(m_rowExamples.end(), ids.begin(), ids.end());
}

void GradientCache::loadRowIndex()
{
    store::Statement st(*m_db, "SELECT id, vector_row FROM examples WHERE vector_row IS NOT NULL ORDER BY vector_row");
    m_rowExamples.clear();
    while (st.step()) {
        if (st.columnInt(1) != static_cast<std::int64_t>(m_rowExamples.size()))
            throw FormatError(m_file.string() + ": the cache's vector rows are not contiguous; the cache is damaged");
        m_rowExamples.push_back(st.columnInt(0));
    }
    m_rows = static_cast<std::int64_t>(m_rowExamples.size());
}

const std::uint16_t* GradientCache::vectors() const
{
    if (!m_map)
        throw InvalidArgument("the cache is not open for reading vectors");
    return reinterpret_cast<const std::uint16_t*>(m_map->data() + kHeaderBytes);
}

std::int64_t GradientCache::rowOf(std::int64_t exampleId) const
{
    store::Statement st(*m_db, "SELECT vector_row FROM examples WHERE id = ?");
    st.bindInt(1, exampleId);
    if (!st.step() || st.columnIsNull(0))
        throw InvalidArgument("example " + std::to_string(exampleId) + " has no cached gradient");
    return st.columnInt(0);
}

std::int64_t GradientCache::saveQuery(const Attribution& a, const std::vector<float>& vector)
{
    const json detail = {
        {"response_tokens", a.responseTokens}, {"token_scores", a.tokenScores}, {"column_ids", a.columnIds}};
    store::Transaction tx(*m_db);
    store::Statement q(*m_db, "INSERT INTO queries (prompt, response, span_begin, span_end, vector, detail) "
                              "VALUES (?, ?, ?, ?, ?, ?)");
    q.bindText(1, a.prompt).bindText(2, a.response).bindInt(3, a.spanBegin).bindInt(4, a.spanEnd);
    q.bindBlob(5, std::as_bytes(std::span(vector))).bindText(6, detail.dump()).run();
    const auto id = m_db->lastInsertId();
    store::Statement r(*m_db,
                       "INSERT INTO query_results (query_id, list, rank, example_id, score) VALUES (?, ?, ?, ?, ?)");
    for (const auto* list : {&a.helpful, &a.opposing})
        for (const auto& e : *list) {
            r.bindInt(1, id).bindText(2, list == &a.helpful ? "helpful" : "opposing").bindInt(3, e.rank);
            r.bindInt(4, e.example.id).bindDouble(5, e.score).run();
            r.reset();
        }
    tx.commit();
    return id;
}

std::vector<Attributor::SavedQuery> GradientCache::queries() const
{
    std::vector<Attributor::SavedQuery> out;
    store::Statement st(*m_db,
                        "SELECT id, created, prompt, response, span_begin, span_end FROM queries ORDER BY id DESC");
    while (st.step())
        out.push_back(
            {st.columnInt(0), st.columnText(1), st.columnText(2), st.columnText(3), st.columnInt(4), st.columnInt(5)});
    return out;
}

GradientCache::StoredQuery GradientCache::query(std::int64_t id) const
{
    store::Statement st(*m_db, "SELECT created, prompt, response, span_begin, span_end, vector, detail FROM queries "
                               "WHERE id = ?");
    st.bindInt(1, id);
    if (!st.step())
        throw InvalidArgument("the cache has no saved query " + std::to_string(id));
    StoredQuery q;
    q.query = {id, st.columnText(0), st.columnText(1), st.columnText(2), st.columnInt(3), st.columnInt(4)};
    const auto blob = st.columnBlob(5);
    q.vector.resize(blob.size() / sizeof(float));
    std::memcpy(q.vector.data(), blob.data(), q.vector.size() * sizeof(float));
    if (static_cast<std::int64_t>(q.vector.size()) != m_vectorLength)
        throw FormatError(m_file.string() + ": saved query " + std::to_string(id) + " has a vector of the wrong size");
    try {
        const auto detail = json::parse(st.columnText(6));
        q.responseTokens = detail.at("response_tokens").get<std::vector<std::string>>();
        q.tokenScores = detail.at("token_scores").get<std::vector<std::vector<float>>>();
        q.columnIds = detail.at("column_ids").get<std::vector<std::int64_t>>();
    } catch (const json::exception&) {
        throw FormatError(m_file.string() + ": saved query " + std::to_string(id) + " is damaged");
    }
    return q;
}

CacheInfo GradientCache::info() const
{
    CacheInfo i;
    i.file = m_file;
    i.vectorsFile = vectorsPath(m_file);
    if (const auto s = settings()) {
        i.modelId = s->modelId;
        i.modelDir = s->modelDir;
        i.maskHash = s->maskHash;
        i.gradient = s->gradient;
        i.dimension = s->dimension;
        i.vectorLength = s->vectorLength;
        i.compressed = s->compressed;
        i.datasetFingerprint = s->datasetFingerprint;
        i.datasetPath = s->datasetPath;
        i.promptTemplate = s->promptTemplate;
    }
    i.examples = exampleCount();
    i.cached = m_rows;
    i.bytesOnDisk = fileBytes(m_file) + fileBytes(m_file.string() + "-wal") + fileBytes(i.vectorsFile);
    store::Statement q(*m_db, "SELECT count(*) FROM queries");
    q.step();
    i.queries = q.columnInt(0);
    store::Statement keys(*m_db, "SELECT DISTINCT j.key FROM examples, json_each(examples.metadata) AS j ORDER BY 1");
    while (keys.step())
        i.metadataKeys.push_back(keys.columnText(0));
    return i;
}

} // namespace zl::influence
