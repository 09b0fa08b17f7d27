#include "store/sqlite.h"

#include "zerolens/error.h"

#include <sqlite3.h>

#include <climits>
#include <cmath>
#include <limits>

namespace zl::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string describe(sqlite3* db, int rc)
{
    // sqlite3_errmsg describes the most recent failure of this connection; for a
    // result code that did not come from it (or no handle at all), use errstr.
    if (db != nullptr && sqlite3_errcode(db) == rc)
        return sqlite3_errmsg(db);
    return sqlite3_errstr(rc);
}

} // namespace

Connection::Connection(const std::filesystem::path& file, std::string kind, Mode mode)
    : m_file(file), m_kind(std::move(kind))
{
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    const int rc = sqlite3_open_v2(m_file.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = describe(m_db, rc);
        sqlite3_close(m_db); // allocated even when opening failed
        m_db = nullptr;
        throw Error(m_file.string() + ": cannot open the " + m_kind + ": " + message);
    }
    try {
        sqlite3_extended_result_codes(m_db, 1);
        check(sqlite3_busy_timeout(m_db, kBusyTimeoutMs), "set the busy timeout");
        // Connection settings only: none of them reads or writes the file, so a
        // foreign file is not touched before applySchema has looked at it.
        exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
    } catch (...) {
        sqlite3_close(m_db); // no destructor runs for a constructor that throws
        m_db = nullptr;
        throw;
    }
}

Connection::~Connection()
{
    // Statements are RAII too and finalized before their connection, so close_v2
    // has nothing left to defer; it never fails on a valid handle.
    sqlite3_close_v2(m_db);
}

void Connection::fail(int rc, const char* what) const
{
    const std::string message = describe(m_db, rc);
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        throw FormatError(m_file.string() + " is not a " + m_kind + " (SQLite: " + message + ")");
    case SQLITE_CORRUPT:
        throw FormatError(m_file.string() + ": the " + m_kind + " is damaged (SQLite: " + message + ")");
    default:
        throw Error(m_file.string() + ": cannot " + what + ": " + message);
    }
}

void Connection::check(int rc, const char* what) const
{
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail(rc, what);
}

void Connection::exec(const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err); // the same text as sqlite3_errmsg, which fail() reads
    check(rc, "run SQL");
}

void Connection::enableWal()
{
    Statement st(*this, "PRAGMA journal_mode = WAL");
    while (st.step()) {
    }
}

std::int64_t Connection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

std::int64_t Connection::changes() const
{
    return sqlite3_changes(m_db);
}

Statement::Statement(Connection& db, std::string_view sql) : m_db(db)
{
    if (sql.size() > static_cast<std::size_t>(INT_MAX))
        throw InvalidArgument("SQL statement too long");
    db.check(sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr),
             "prepare a statement");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bindInt(int index, std::int64_t value)
{
    m_db.check(sqlite3_bind_int64(m_stmt, index, value), "bind a value");
    return *this;
}

Statement& Statement::bindDouble(int index, double value)
{
    m_db.check(std::isnan(value) ? sqlite3_bind_null(m_stmt, index) : sqlite3_bind_double(m_stmt, index, value),
               "bind a value");
    return *this;
}

Statement& Statement::bindText(int index, std::string_view value)
{
    m_db.check(sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
               "bind a value");
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::byte> bytes)
{
    m_db.check(sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT), "bind a value");
    return *this;
}

Statement& Statement::bindNull(int index)
{
    m_db.check(sqlite3_bind_null(m_stmt, index), "bind a value");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db.fail(rc, "run a statement");
}

void Statement::run()
{
    while (step()) {
    }
}

void Statement::reset()
{
    // reset returns the error of the last step, which step() already reported.
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

double Statement::columnDoubleOrNan(int column) const
{
    return columnIsNull(column) ? std::numeric_limits<double>::quiet_NaN() : columnDouble(column);
}

std::string Statement::columnText(int column) const
{
    const auto* text = sqlite3_column_text(m_stmt, column);
    if (text == nullptr)
        return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::vector<std::byte> Statement::columnBlob(int column) const
{
    const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(m_stmt, column));
    return data ? std::vector<std::byte>(data, data + sqlite3_column_bytes(m_stmt, column)) : std::vector<std::byte>{};
}

Transaction::Transaction(Connection& db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done)
        sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr); // may already be rolled back by SQLite
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

std::int64_t schemaVersion(Connection& db)
{
    Statement st(db, "PRAGMA user_version");
    return st.step() ? st.columnInt(0) : 0;
}

namespace {

struct SchemaState {
    std::int64_t applicationId = 0;
    std::int64_t version = 0;
    std::int64_t objects = 0; ///< tables, indexes, views, triggers
};

SchemaState readState(Connection& db)
{
    SchemaState s;
    {
        // The first read of the file: a file that is not SQLite fails here (NOTADB).
        Statement st(db, "PRAGMA application_id");
        s.applicationId = st.step() ? st.columnInt(0) : 0;
    }
    s.version = schemaVersion(db);
    Statement st(db, "SELECT count(*) FROM sqlite_master");
    s.objects = st.step() ? st.columnInt(0) : 0;
    return s;
}

void validate(const Connection& db, const Schema& schema, const SchemaState& s)
{
    const auto name = db.file().string();
    if (s.applicationId != schema.applicationId) {
        if (s.applicationId != 0)
            throw FormatError(name + " is not a " + db.kind() +
                              " (it is an SQLite database of another application, id " +
                              std::to_string(s.applicationId) + ")");
        if (s.objects != 0 || s.version != 0)
            throw FormatError(name + " is not a " + db.kind() +
                              " (it is an SQLite database of another application: it holds tables ZeroLens did not "
                              "make)");
    }
    const auto known = static_cast<std::int64_t>(schema.migrations.size());
    if (s.version > known)
        throw FormatError(name + " was written by a newer ZeroLens (schema version " + std::to_string(s.version) +
                          "; this version reads up to " + std::to_string(known) + "): update ZeroLens to open it");
    if (s.version < 0)
        throw FormatError(name + ": the " + db.kind() + " has an invalid schema version " + std::to_string(s.version));
}

} // namespace

void applySchema(Connection& db, const Schema& schema)
{
    const auto target = static_cast<std::int64_t>(schema.migrations.size());
    auto s = readState(db);
    if (s.applicationId != schema.applicationId || s.version != target) {
        validate(db, schema, s);
        Transaction tx(db);
        // Another process may have migrated between the read and the write lock.
        s = readState(db);
        validate(db, schema, s);
        for (auto v = s.version; v < target; ++v)
            db.exec(std::string(schema.migrations[static_cast<std::size_t>(v)]));
        // Pragmas take no parameters; both values are integers we format ourselves.
        db.exec("PRAGMA user_version = " + std::to_string(target) +
                "; PRAGMA application_id = " + std::to_string(schema.applicationId) + ";");
        tx.commit();
    }
    db.enableWal();
}

} // namespace zl::store
