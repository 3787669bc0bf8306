// `burnstation admin-pin`: the PIN from standard input twice, refused when short or
// mismatched, only for root or the data directory's owner, stored as an argon2id hash only,
// beside a running service too; and a lockout the service recorded outlives its restart.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <fstream>
#include <iterator>

#include "burnstation/store/admin_pin.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

class AdminPinCommandTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  // As a package installs it: the directory exists, the service may never have run.
  void SetUp() override { fs::create_directories(data()); }

  // `printf INPUT | burnstation admin-pin --data-dir DATA`, optionally as another user.
  harness::CommandResult adminPin(const std::string& input, const std::string& asUser = {}) {
    std::string script = "printf '" + input + "' | ";
    if (!asUser.empty()) script += "setpriv --reuid=" + asUser + " --regid=nogroup --clear-groups ";
    script += "'" + harness::burnstationExe() + "' admin-pin --data-dir '" + data().string() + "'";
    return harness::runCommand({"sh", "-c", script});
  }

  std::string sql(const std::string& query) {
    const auto r = harness::runCommand({"sqlite3", (data() / "index.sqlite").string(), query});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }

  std::string indexBytes() {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(data().string() + "/index.sqlite" + suffix, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
  }
};

TEST_F(AdminPinCommandTest, SetsThePinAsAnArgon2idHashOnly) {
  const auto r = adminPin("8675309\\n8675309\\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("admin PIN set"), std::string::npos) << r.out;
  EXPECT_EQ(sql("SELECT substr(pin_hash, 1, 10) FROM admin"), "$argon2id$\n");
  EXPECT_EQ(indexBytes().find("8675309"), std::string::npos);
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'admin-pin-set'"), "1\n");
  store::AdminPin pin(data());
  EXPECT_EQ(pin.check("8675309", {}, "test", std::chrono::system_clock::now()).outcome,
            store::PinOutcome::Accepted);
}

TEST_F(AdminPinCommandTest, ShortPinsAndMismatchesAreRefusedWithOneLine) {
  ASSERT_EQ(adminPin("123456\\n123456\\n").exitCode, 0);
  const std::string before = sql("SELECT pin_hash FROM admin");

  const auto shortPin = adminPin("12345\\n12345\\n");
  EXPECT_NE(shortPin.exitCode, 0);
  EXPECT_NE(shortPin.err.find("at least 6 digits"), std::string::npos) << shortPin.err;
  EXPECT_EQ(std::count(shortPin.err.begin(), shortPin.err.end(), '\n'), 1) << shortPin.err;

  const auto letters = adminPin("12345a\\n12345a\\n");
  EXPECT_NE(letters.exitCode, 0);
  EXPECT_NE(letters.err.find("digits only"), std::string::npos) << letters.err;

  const auto mismatch = adminPin("1234567\\n7654321\\n");
  EXPECT_NE(mismatch.exitCode, 0);
  EXPECT_NE(mismatch.err.find("differ"), std::string::npos) << mismatch.err;

  const auto once = adminPin("1234567\\n");
  EXPECT_NE(once.exitCode, 0);
  EXPECT_NE(once.err.find("twice"), std::string::npos) << once.err;

  const auto onTheCommandLine =
      harness::burnstation({"admin-pin", "1234567", "--data-dir", data().string()});
  EXPECT_NE(onTheCommandLine.exitCode, 0);

  EXPECT_EQ(sql("SELECT pin_hash FROM admin"), before);
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE kind = 'admin-pin-set'"), "1\n");
}

TEST_F(AdminPinCommandTest, OnlyRootOrTheDataDirectoryOwnerMaySetIt) {
  ASSERT_EQ(adminPin("123456\\n123456\\n").exitCode, 0);
  // nobody can reach the directory, but does not own it.
  fs::permissions(dir.path(), fs::perms(0755));
  fs::permissions(data(), fs::perms(0755));
  const auto nobody = adminPin("999999\\n999999\\n", "nobody");
  EXPECT_NE(nobody.exitCode, 0);
  EXPECT_NE(nobody.err.find("can only be set by root (the owner of"), std::string::npos)
      << nobody.err;
  EXPECT_NE(nobody.err.find("not by nobody"), std::string::npos) << nobody.err;
  // nor when it cannot even look inside it.
  fs::permissions(data(), fs::perms(0750));
  const auto shut = adminPin("999999\\n999999\\n", "nobody");
  EXPECT_NE(shut.exitCode, 0);
  EXPECT_NE(shut.err.find("can only be set by root"), std::string::npos) << shut.err;
  store::AdminPin pin(data());
  EXPECT_EQ(pin.check("123456", {}, "test", std::chrono::system_clock::now()).outcome,
            store::PinOutcome::Accepted);
}

TEST_F(AdminPinCommandTest, RootActsAsTheOwnerSoTheServiceCanStillWriteItsIndex) {
  const passwd* nobody = ::getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  // A data directory of the service's user (nobody here).
  fs::permissions(dir.path(), fs::perms(0755));
  ASSERT_EQ(::chown(data().c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  ASSERT_EQ(adminPin("123456\\n123456\\n", "nobody").exitCode, 0);
  // As root now: every file of the index stays nobody's.
  const auto r = adminPin("654321\\n654321\\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (const auto& entry : fs::directory_iterator(data())) {
    struct stat st {};
    ASSERT_EQ(::lstat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, nobody->pw_uid) << entry.path();
  }
  EXPECT_NE(sql("SELECT detail FROM events WHERE kind = 'admin-pin-set' ORDER BY id DESC LIMIT 1")
                .find("root"),
            std::string::npos);
}

TEST_F(AdminPinCommandTest, WorksBesideARunningServiceAndTheLockoutOutlivesItsRestart) {
  harness::Station station(data());
  const auto set = adminPin("246810\\n246810\\n");
  ASSERT_EQ(set.exitCode, 0) << set.err;
  {
    // What the service's API records for five wrong PINs (the same store code).
    store::AdminPin pin(data());
    for (int i = 0; i < 5; ++i)
      pin.check("000000", {}, "mallory", std::chrono::system_clock::now());
  }
  EXPECT_EQ(station.stop(), 0);
  harness::Station restarted(data());
  store::AdminPin pin(data());
  EXPECT_EQ(pin.check("246810", {}, "alice", std::chrono::system_clock::now()).outcome,
            store::PinOutcome::Locked);
  // The admin's way out: a new PIN, set while the service runs, ends the lockout.
  ASSERT_EQ(adminPin("1357911\\n1357911\\n").exitCode, 0);
  EXPECT_EQ(pin.check("1357911", {}, "alice", std::chrono::system_clock::now()).outcome,
            store::PinOutcome::Accepted);
}

TEST_F(AdminPinCommandTest, UsageListsIt) {
  const auto help = harness::burnstation({"--help"});
  EXPECT_NE(help.out.find("\nburnstation admin-pin [--config FILE] [--data-dir DIR]"),
            std::string::npos);
}

}  // namespace
}  // namespace burnstation
