// A small RAII layer over the SQLite C API: a connection, prepared statements,
// write transactions, and schema migrations keyed on PRAGMA user_version. Every
// SQLite failure becomes a zl::Error whose message names the database file and
// carries sqlite3_errmsg; a file that is not a database of the expected kind is
// a FormatError.
//
// Objects of this layer are not thread-safe: a caller that shares a Connection
// between threads serializes its use (RunDatabase holds a mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace zl::store {

class Connection {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };

    /// Opens `file` with a busy timeout of 5 s, foreign keys on and
    /// synchronous=NORMAL (durable across a crash of the process in WAL mode).
    /// `kind` names what the file should be, for messages ("ZeroLens run database").
    /// Throws Error when SQLite cannot open the file.
    Connection(const std::filesystem::path& file, std::string kind, Mode mode = Mode::ReadWriteCreate);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    const std::filesystem::path& file() const { return m_file; }
    const std::string& kind() const { return m_kind; }
    sqlite3* handle() const { return m_db; }

    /// Runs one or more SQL statements that return no rows of interest.
    void exec(const std::string& sql);
    /// Switches to write-ahead logging (readers never block the writer). Persistent in the file.
    void enableWal();
    /// rowid of the last INSERT, and rows changed by the last statement.
    std::int64_t lastInsertId() const;
    std::int64_t changes() const;

    /// Throws for an SQLite result code that is an error: FormatError when the
    /// file is not a database or is damaged, Error otherwise. `what` says what
    /// was being done ("prepare", "insert a run").
    void check(int rc, const char* what) const;
    [[noreturn]] void fail(int rc, const char* what) const;

private:
    std::filesystem::path m_file;
    std::string m_kind;
    sqlite3* m_db = nullptr;
};

/// A prepared statement. Parameters are 1-based, columns 0-based (SQLite's convention).
class Statement {
public:
    Statement(Connection& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bindInt(int index, std::int64_t value);
    /// NaN is stored as NULL (SQLite has no NaN); read it back with columnDoubleOrNan.
    Statement& bindDouble(int index, double value);
    Statement& bindText(int index, std::string_view value);
    Statement& bindBlob(int index, std::span<const std::byte> bytes);
    Statement& bindNull(int index);

    /// Runs to the next row: true when a row is available, false when done.
    bool step();
    /// Steps a statement that returns no rows (INSERT, UPDATE, DELETE).
    void run();
    /// Rewinds the statement and clears its bindings, ready to run again.
    void reset();

    bool columnIsNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    /// NULL reads as NaN.
    double columnDoubleOrNan(int column) const;
    std::string columnText(int column) const;
    std::vector<std::byte> columnBlob(int column) const;

private:
    Connection& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// BEGIN IMMEDIATE: takes the write lock at once, so two writers wait for each
/// other (busy timeout) instead of failing at their first write. Rolls back in
/// the destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Connection& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Connection& m_db;
    bool m_done = false;
};

/// What a database file is and how its tables are built. migrations[i] brings
/// the schema from version i to i + 1; the version is PRAGMA user_version.
/// Released steps are never edited, only appended to.
struct Schema {
    std::int32_t applicationId = 0; ///< PRAGMA application_id of our files
    std::span<const std::string_view> migrations;
};

/// Checks that `db` is one of ours and brings it to the newest schema version
/// (one transaction for all steps), then enables WAL. An empty database is
/// initialised. Throws FormatError, naming the file, when it is not an SQLite
/// database, when it is an SQLite database of another application (a different
/// application_id, or tables without our id), or when its version is newer than
/// migrations.size() ("…was written by a newer ZeroLens"). A refused file is not
/// modified.
void applySchema(Connection& db, const Schema& schema);

/// PRAGMA user_version of an open database.
std::int64_t schemaVersion(Connection& db);

} // namespace zl::store
