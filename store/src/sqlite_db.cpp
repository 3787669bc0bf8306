// SQLite wrappers (see sqlite_db.h); per-connection pragmas from FIELD-GUIDE §7.
#include "sqlite_db.h"

#include <sqlite3.h>

#include <cstdio>

#include "burnstation/store/store_error.h"

namespace burnstation::store {

namespace {

// A file: URI for sqlite3_open_v2; '%', '?' and '#' would otherwise end or change the path.
std::string fileUri(const std::filesystem::path& file, const char* query) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(file).string()) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri + query;
}

bool walIsEmpty(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file.string() + "-wal", ec);
  return ec || size == 0;
}

}  // namespace

SqliteDb::SqliteDb(const std::filesystem::path& file, Mode mode) {
  open(
      file.c_str(),
      (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
          SQLITE_OPEN_NOMUTEX,
      file);
  // The destructor does not run for a constructor that throws; a retried open on a full
  // disk must not leak a handle each time.
  try {
    if (mode == Mode::ReadOnly && sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr,
                                               nullptr, nullptr) != SQLITE_OK) {
      // A reader needs the -shm file, and creating it needs a free block: on a full disk the
      // open fails. With no WAL content to miss, the database file alone is the whole truth.
      if (!walIsEmpty(file)) fail("cannot read the index " + file.string());
      sqlite3_close_v2(db_);
      db_ = nullptr;
      open(fileUri(file, "?immutable=1").c_str(),
           SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, file);
    }
    // The C API waits 0 ms by default, which turns every concurrent writer into an error.
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA foreign_keys=ON");
    if (mode == Mode::ReadWrite) {
      exec("PRAGMA journal_mode=WAL");
      // FULL: a commit survives power loss, which a 0000 C-STORE status promises.
      exec("PRAGMA synchronous=FULL");
    }
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

void SqliteDb::open(const char* name, int flags, const std::filesystem::path& file) {
  if (sqlite3_open_v2(name, &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(StoreError::Code::Database,
                     "cannot open the index " + file.string() + ": " + message);
  }
  // The -wal and -shm files stay when the last connection closes, with their blocks: a
  // service restarted on a full disk can then still open (and read) the index, and small
  // writes such as events fit in the WAL's existing frames.
  int persist = 1;
  sqlite3_file_control(db_, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
}

SqliteDb::~SqliteDb() {
  sqlite3_close_v2(db_);
}

void SqliteDb::exec(std::string_view sql) {
  char* error = nullptr;
  if (const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
      rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError(rc == SQLITE_FULL ? StoreError::Code::NoSpace : StoreError::Code::Database,
                     "index statement failed: " + message);
  }
}

std::int64_t SqliteDb::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int SqliteDb::changes() const {
  return sqlite3_changes(db_);
}

void SqliteDb::fail(std::string_view what) const {
  // A full disk is a resource problem the sender can retry (A700), not a broken index.
  const StoreError::Code code =
      sqlite3_errcode(db_) == SQLITE_FULL ? StoreError::Code::NoSpace : StoreError::Code::Database;
  throw StoreError(code, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Statement::Statement(SqliteDb& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.raw(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    db.fail("cannot prepare index statement");
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("cannot bind a value");
  }
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("cannot bind a value");
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("index statement failed");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(SqliteDb& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // A failed rollback leaves SQLite to roll back on close; nothing better to do here.
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace burnstation::store
