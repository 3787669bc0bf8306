// Derived names and the checks on paths: what the index may name, what a command may
// target, and directory descriptors that neither follow links nor replace files.
#include "burnstation/store/stored_path.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "burnstation/store/store_error.h"
#include "station_harness.h"
#include "store_directory.h"

namespace burnstation::store {
namespace {

namespace fs = std::filesystem;

TEST(StoredPath, NamesAreDerivedFromAHashOfTheUid) {
  const std::string path = objectPathFor("1.2.3.4");
  EXPECT_TRUE(std::regex_match(path, std::regex("objects/([0-9a-f]{2})/\\1[0-9a-f]{30}\\.dcm")))
      << path;
  EXPECT_EQ(path, objectPathFor("1.2.3.4"));
  EXPECT_NE(path, objectPathFor("1.2.3.5"));
  // Whatever the UID holds, the name is the same shape.
  EXPECT_TRUE(std::regex_match(objectPathFor("../../etc/passwd"),
                               std::regex("objects/[0-9a-f]{2}/[0-9a-f]{32}\\.dcm")));
  EXPECT_TRUE(isObjectPathOf(path, "1.2.3.4"));
  const std::string stem = path.substr(0, path.size() - 4);
  EXPECT_TRUE(isObjectPathOf(stem + "-1.dcm", "1.2.3.4"));
  EXPECT_TRUE(isObjectPathOf(stem + "-12.dcm", "1.2.3.4"));
  EXPECT_FALSE(isObjectPathOf(stem + "-01.dcm", "1.2.3.4"));
  EXPECT_FALSE(isObjectPathOf(stem + "-.dcm", "1.2.3.4"));
  EXPECT_FALSE(isObjectPathOf(stem + "-1x.dcm", "1.2.3.4"));
  EXPECT_FALSE(isObjectPathOf(path, "1.2.3.5"));
}

TEST(StoredPath, OnlyNormalizedPathsBelowObjectsOrSetAsideAreStoredPaths) {
  struct Row {
    std::string path;
    bool stored;
  };
  const Row rows[] = {
      {"objects/ab/0123.dcm", true},
      {"set-aside/0123.4567.dcm", true},
      {"objects/ab/1.2.3.dcm", true},  // the earlier layout, until migrated
      {"objects/ab/../../etc/passwd", false},
      {"objects/../index.sqlite", false},
      {"/etc/passwd", false},
      {"objects//ab/x.dcm", false},
      {"objects/./x.dcm", false},
      {"objects/ab/x.dcm/", false},
      {"objects", false},
      {"objects/", false},
      {"quarantine/x.dcm", false},
      {"incoming/1-2.part", false},
      {"objects\\ab\\x.dcm", false},
      {std::string("objects/ab/x\0.dcm", 17), false},
      {"", false},
      {"images/1-1of1-1.iso", false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(isStoredPath(row.path), row.stored) << row.path;
  }
  EXPECT_THROW(storedFile("/data", "objects/../../etc/passwd"), StoreError);
  EXPECT_EQ(storedFile("/data", "objects/ab/x.dcm"), fs::path("/data/objects/ab/x.dcm"));
}

TEST(StoredPath, TargetsInsideTheDataDirectoryAreSeenHoweverTheyAreSpelled) {
  harness::TempDir dir;
  const fs::path data = dir.path() / "data";
  fs::create_directories(data / "objects");
  fs::create_directories(dir.path() / "other");
  fs::create_directory_symlink(data, dir.path() / "link");
  EXPECT_TRUE(isInsideDataDir(data, data));
  EXPECT_TRUE(isInsideDataDir(data / "objects", data));
  EXPECT_TRUE(isInsideDataDir(data / "objects" / "new" / "deeper", data));
  EXPECT_TRUE(isInsideDataDir(dir.path() / "other" / ".." / "data" / "x", data));
  EXPECT_TRUE(isInsideDataDir(dir.path() / "link" / "objects", data));
  EXPECT_TRUE(isInsideDataDir(data / "objects", dir.path() / "link"));
  EXPECT_FALSE(isInsideDataDir(dir.path() / "other", data));
  EXPECT_FALSE(isInsideDataDir(dir.path() / "data-export", data));  // a prefix is not a parent
  EXPECT_FALSE(isInsideDataDir(dir.path(), data));
}

TEST(StoreDirectory, LinksAreNotFollowedAndFilesAreNotReplaced) {
  harness::TempDir dir;
  fs::create_directories(dir.path() / "store" / "from");
  fs::create_directories(dir.path() / "outside");
  fs::create_directory_symlink(dir.path() / "outside", dir.path() / "store" / "linked");
  const Directory root = Directory::open(dir.path() / "store");
  EXPECT_THROW(root.child("linked", false), StoreError);
  EXPECT_THROW(root.child("linked", true), StoreError);
  EXPECT_THROW(root.child("from/../linked", true), StoreError);
  const Directory from = root.child("from", false);
  const Directory to = root.child("to/deeper", true);
  EXPECT_TRUE(fs::is_directory(dir.path() / "store" / "to" / "deeper"));

  std::ofstream(dir.path() / "store" / "to" / "deeper" / "name.dcm") << "first";
  fs::create_symlink(dir.path() / "outside" / "target",
                     dir.path() / "store" / "to" / "deeper" / "name-1.dcm");
  std::ofstream(dir.path() / "store" / "from" / "new") << "second";
  EXPECT_EQ(moveWithoutReplacing(from, "new", to, "name", ".dcm"), "name-2.dcm");
  std::ifstream first(dir.path() / "store" / "to" / "deeper" / "name.dcm");
  std::string text;
  first >> text;
  EXPECT_EQ(text, "first");
  EXPECT_TRUE(fs::is_symlink(dir.path() / "store" / "to" / "deeper" / "name-1.dcm"));
  EXPECT_FALSE(fs::exists(dir.path() / "outside" / "target"));
  EXPECT_THROW(OpenFile(to, "name-1.dcm"), StoreError);  // a link is never opened
}

}  // namespace
}  // namespace burnstation::store
