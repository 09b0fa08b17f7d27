// The gradient cache on disk: an SQLite database (settings that make the vectors
// valid, the indexed training examples with their tokens, saved queries) and a
// sidecar file CACHE.db.vectors holding one fp16 vector per example, row after
// row. Why a sidecar: retrieval streams every vector once per query, which must
// run at memory bandwidth; SQLite would copy each blob through its page cache,
// while a memory map hands the scan the bytes in place. SQLite keeps what must
// be transactional: the example index and the count of committed rows.
//
// Crash safety of a build: a batch's vectors are appended and synced first, then
// one transaction records their rows and the new row count. Bytes past the
// committed count (a batch killed in flight) are cut off when the cache is next
// opened for building, so a rerun neither recomputes nor duplicates an example.
#pragma once

#include "io/mapped_file.h"
#include "store/sqlite.h"
#include "zerolens/influence.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace zl::influence {

/// Everything a cache's vectors depend on.
struct CacheSettings {
    std::string modelId, modelDir, maskHash;
    GradientSettings gradient;
    std::int64_t dimension = 0, vectorLength = 0;
    bool compressed = false;
    std::string datasetFingerprint, datasetPath, promptTemplate;
};

/// An example as indexed: what the user sees, and the tokens the model saw.
struct IndexedExample {
    CachedExample example;
    std::vector<std::int32_t> tokens; ///< prompt + response as forwarded (truncated to maxLength)
    std::int64_t responseStart = 0;   ///< index of the first response token in `tokens`
};

class GradientCache {
public:
    /// Build: creates the file or opens an existing cache read-write and cuts
    /// the vectors file back to its committed rows. Query: maps the committed
    /// vectors and may save queries. Read: read-only (settings and counts).
    /// Throws FormatError for a file that is not a ZeroLens gradient cache.
    enum class Access { Build, Query, Read };
    GradientCache(const std::filesystem::path& file, Access access);
    ~GradientCache();
    GradientCache(const GradientCache&) = delete;
    GradientCache& operator=(const GradientCache&) = delete;

    static std::filesystem::path vectorsPath(const std::filesystem::path& file);

    /// Settings of an initialised cache; nullopt for a new, empty one.
    std::optional<CacheSettings> settings() const;
    /// Records the settings and the examples (ids 1..n in order) in one transaction.
    void initialise(const CacheSettings& settings, const std::vector<IndexedExample>& examples);
    /// "what: cached X, now Y" for each setting that differs.
    std::vector<std::string> differences(const CacheSettings& wanted) const;

    std::int64_t exampleCount() const;
    std::int64_t rowCount() const { return m_rows; }
    /// Examples without a vector, in id order.
    std::vector<std::int64_t> pendingExamples() const;
    IndexedExample example(std::int64_t id) const;
    /// Appends one vector per id (ids.size() × vectorLength fp16 values, as raw
    /// bits), durably, and records them.
    void appendVectors(const std::vector<std::int64_t>& ids, const std::vector<std::uint16_t>& halves);

    /// Read access: the committed vectors (rowCount() × vectorLength fp16) and
    /// the example id of each row.
    const std::uint16_t* vectors() const;
    const std::vector<std::int64_t>& rowExamples() const { return m_rowExamples; }
    /// The row of an example's vector; throws InvalidArgument when it has none.
    std::int64_t rowOf(std::int64_t exampleId) const;

    struct StoredQuery {
        Attributor::SavedQuery query;
        std::vector<float> vector;
        std::vector<std::string> responseTokens;
        std::vector<std::vector<float>> tokenScores;
        std::vector<std::int64_t> columnIds;
    };
    std::int64_t saveQuery(const Attribution& attribution, const std::vector<float>& vector);
    std::vector<Attributor::SavedQuery> queries() const;
    StoredQuery query(std::int64_t id) const;

    CacheInfo info() const;

private:
    void loadRowIndex();
    std::filesystem::path m_file;
    Access m_access;
    std::unique_ptr<store::Connection> m_db;
    std::int64_t m_rows = 0, m_vectorLength = 0;
    std::vector<std::int64_t> m_rowExamples;
    std::unique_ptr<io::MappedFile> m_map;
    int m_vectorsFd = -1;
};

} // namespace zl::influence
