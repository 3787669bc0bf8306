// RAII ownership of SQLite handles; the only place in the project that touches sqlite3*.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace burnstation::store {

class SqliteDb;

// A prepared statement; reset and re-bound between uses.
class Statement {
 public:
  Statement(SqliteDb& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bindNull(int index);
  Statement& bindBlob(int index, std::string_view bytes);

  // Returns true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();
  void reset();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  bool isNull(int column) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  SqliteDb(const std::filesystem::path& file, Mode mode);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(std::string_view sql);
  std::int64_t lastInsertRowId() const;
  int changes() const;  // rows changed by the last statement
  // Throws StoreError(Database) naming what failed, with SQLite's message.
  [[noreturn]] void fail(std::string_view what) const;

  sqlite3* raw() const { return db_; }

 private:
  void open(const char* name, int flags, const std::filesystem::path& file);

  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction, ROLLBACK unless commit() was called.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db);
  ~Transaction();
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace burnstation::store
