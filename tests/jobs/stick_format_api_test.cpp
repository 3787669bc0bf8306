// POST /sticks/{id}/format: through the router with the service's real device watcher given
// an exFAT image as its stick (BURNSTATION_TEST_STICKS), and through curl on the socket of a
// real service where a burn job waits on the refused stick and then writes to it once the
// clerk has had it formatted. mkfs.exfat makes the sticks; file(1) and fsck.fat judge them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

#include "api_curl.h"
#include "burnstation/jobs/api_routes.h"
#include "burnstation/jobs/device_watcher.h"
#include "burnstation/mediawriter/fat_volume.h"
#include "burnstation/store/store.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The watcher reads the variable when it starts; nothing else should see it.
struct TestSticks {
  explicit TestSticks(const fs::path& image) {
    ::setenv("BURNSTATION_TEST_STICKS", image.c_str(), 1);
  }
  ~TestSticks() { ::unsetenv("BURNSTATION_TEST_STICKS"); }
};

void makeExFat(const fs::path& image) {
  ASSERT_EQ(harness::runCommand({"truncate", "-s", "64M", image.string()}).exitCode, 0);
  const auto r = harness::runCommand({"mkfs.exfat", image.string()});
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
}

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The stick's entry in a drives document, or null.
nlohmann::json stickIn(const nlohmann::json& drives, const std::string& id) {
  for (const auto& d : drives["drives"]) {
    if (d.value("id", "") == id) return d;
  }
  return nullptr;
}

class StickFormatRoutesTest : public JobsTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(makeExFat(stick()));
    fs::create_directories(data());
    store = std::make_unique<store::Store>(
        store::StoreOptions{data(), 0, store::DuplicatePolicy::KeepStored},
        store::Store::Access::Service);
    config.dataDir = data();
    config.receiver.aeTitle = "CT-Desk 2";
    {
      TestSticks sticks(stick());
      watcher = std::make_unique<jobs::DeviceWatcher>(config);
      watcher->start();
    }
    context.config = [this] { return config; };
    context.store = store.get();
    context.formatStick = [this](const std::string& id, bool force, auto report) {
      return watcher->formatStick(id, force, std::move(report));
    };
    jobs::addPatientRoutes(router, context);  // GET /drives
    jobs::addStickRoutes(router, context);
  }
  void TearDown() override { watcher.reset(); }

  fs::path stick() const { return dir.path() / "stick.img"; }

  jobs::ApiResponse call(const std::string& method, const std::string& path,
                         const std::string& body = {}) {
    jobs::ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.peer = {4242, 1000, 1000, "kiosk"};
    return router.dispatch(request);
  }
  jobs::ApiResponse format(const std::string& body, const std::string& id = "stick.img") {
    return call("POST", "/sticks/" + id + "/format", body);
  }
  static std::string errorOf(const jobs::ApiResponse& r) {
    return nlohmann::json::parse(r.body).value("error", "");
  }
  // The stick's row in GET /drives once its status is wanted and its reason contains
  // `because` (a failure after 30 s).
  nlohmann::json stickOnceItIs(const std::string& wanted, const std::string& because = "") {
    nlohmann::json row;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      const auto drives = call("GET", "/drives");
      row = stickIn(nlohmann::json::parse(drives.body), "stick.img");
      if (!row.is_null() && row["media"]["status"] == wanted &&
          row["media"]["reason"].get<std::string>().find(because) != std::string::npos)
        return row;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the stick did not become " << wanted << " (" << because
                  << "): " << row.dump(2);
    return row;
  }

  station::StationConfig config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<jobs::DeviceWatcher> watcher;
  jobs::ApiContext context;
  jobs::ApiRouter router;
};

TEST_F(StickFormatRoutesTest, TheWatcherShowsTheExFatStickRefusedWithAnId) {
  const auto row = stickOnceItIs("refused");
  EXPECT_NE(row["media"]["reason"].get<std::string>().find("exFAT"), std::string::npos) << row;
  EXPECT_EQ(row["kind"], "usb");
  EXPECT_EQ(row["media"]["formattable"], true) << row;  // a format would mend it
}

TEST_F(StickFormatRoutesTest, RefusedUntilTheAdminAllowsItAndTheClerkConfirms) {
  stickOnceItIs("refused");
  const std::string before = bytesOf(stick());
  const auto closed = format(R"({"confirm": true})");
  EXPECT_EQ(closed.status, jobs::http::kForbidden) << closed.body;
  EXPECT_NE(errorOf(closed).find("allow_format"), std::string::npos) << closed.body;

  config.usbAllowFormat = true;
  for (const std::string body : {"", "{}", R"({"confirm": false})", R"({"confirm": "yes"})"}) {
    const auto unconfirmed = format(body);
    EXPECT_EQ(unconfirmed.status, jobs::http::kBadRequest) << body << ": " << unconfirmed.body;
  }
  EXPECT_NE(errorOf(format("")).find("the clerk must confirm"), std::string::npos);
  EXPECT_NE(errorOf(format("{}")).find("the clerk must confirm"), std::string::npos);
  EXPECT_EQ(format(R"({"confirm": true, "force": 1})").status, jobs::http::kBadRequest);
  // Only sticks the watcher found: not another file, not a path.
  for (const std::string id : {"other.img", "sda", ".stick.img", "stick.img.."}) {
    EXPECT_EQ(format(R"({"confirm": true})", id).status, jobs::http::kNotFound) << id;
  }
  for (const std::string id : {"..", "%2Fdev%2Fsda", "stick.img%00"}) {  // the router's 400
    EXPECT_EQ(format(R"({"confirm": true})", id).status, jobs::http::kBadRequest) << id;
  }
  EXPECT_TRUE(bytesOf(stick()) == before) << "a refused request changed the stick";
}

TEST_F(StickFormatRoutesTest, AConfirmedFormatMakesTheStickUsable) {
  config.usbAllowFormat = true;
  stickOnceItIs("refused");
  const auto started = format(R"({"confirm": true})");
  ASSERT_EQ(started.status, jobs::http::kAccepted) << started.body;
  const auto row = nlohmann::json::parse(started.body);
  EXPECT_EQ(row["id"], "stick.img");
  EXPECT_EQ(row["media"]["status"], "formatting");

  EXPECT_EQ(stickOnceItIs("usable")["media"]["formattable"], false);
  EXPECT_EQ(mediawriter::checkFilesystem(stick()).kind, mediawriter::FatKind::Fat32);
  const auto file = harness::runCommand({"file", "-b", stick().string()});
  EXPECT_NE(file.out.find("FAT (32 bit)"), std::string::npos) << file.out;
  EXPECT_NE(file.out.find("CT-DESK2"), std::string::npos) << file.out;  // the station's label
  const auto fsck = harness::runCommand({"fsck.vfat", "-n", stick().string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;
  EXPECT_TRUE(harness::eventAppears(data(), "stick-format-requested", "kiosk"));
  EXPECT_TRUE(harness::eventAppears(data(), "stick-formatted", "FAT32"));

  // Usable now: formatting again needs force, which erases it again.
  std::ofstream(dir.path() / "keep.txt") << "on the stick\n";
  ASSERT_EQ(harness::runCommand({"env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-i", stick().string(),
                                 (dir.path() / "keep.txt").string(), "::/KEEP.TXT"})
                .exitCode,
            0);
  ASSERT_EQ(harness::runCommand(
                {"env", "MTOOLS_SKIP_CHECK=1", "mdir", "-b", "-i", stick().string(), "::/KEEP.TXT"})
                .exitCode,
            0);
  const auto again = format(R"({"confirm": true})");
  EXPECT_EQ(again.status, jobs::http::kConflict) << again.body;
  EXPECT_NE(errorOf(again).find("already FAT"), std::string::npos) << again.body;
  EXPECT_TRUE(harness::eventAppears(data(), "stick-format-refused", "already FAT"));
  const auto forced = format(R"({"confirm": true, "force": true})");
  ASSERT_EQ(forced.status, jobs::http::kAccepted) << forced.body;
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  bool erased = false;
  while (!erased && Clock::now() < deadline) {
    // Gone, and a sound FAT again (not a stick caught halfway through mkfs.vfat).
    erased = harness::runCommand({"env", "MTOOLS_SKIP_CHECK=1", "mdir", "-b", "-i",
                                  stick().string(), "::/KEEP.TXT"})
                     .exitCode != 0 &&
             harness::runCommand({"fsck.vfat", "-n", stick().string()}).exitCode == 0;
    if (!erased) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(erased) << "a forced format left the stick's files";
  stickOnceItIs("usable");
}

TEST_F(StickFormatRoutesTest, AStickOnlyTheAllowlistRefusesIsNotFormatted) {
  config.usbAllowFormat = true;
  config.usbAllowlist = {"0781:5581"};  // the test stick is 0000:0001
  watcher->updateConfig(config);        // as the service's reload does
  // No format makes an unlisted stick allowed, so the kiosk is told not to offer one.
  EXPECT_EQ(stickOnceItIs("refused", "allowed sticks")["media"]["formattable"], false);
  const std::string before = bytesOf(stick());
  const auto refused = format(R"({"confirm": true})");
  EXPECT_EQ(refused.status, jobs::http::kForbidden) << refused.body;
  EXPECT_NE(errorOf(refused).find("allowed sticks"), std::string::npos) << refused.body;
  EXPECT_TRUE(bytesOf(stick()) == before);
}

TEST_F(StickFormatRoutesTest, AStickOpenOnThisComputerIsNotFormatted) {
  config.usbAllowFormat = true;
  if (!fs::exists("/dev/fuse") ||
      harness::runCommand({"sh", "-c", "command -v fusefat && command -v fusermount"}).exitCode) {
    GTEST_SKIP() << "no /dev/fuse or fusefat: the stick cannot be opened by another program";
  }
  ASSERT_EQ(harness::runCommand({"mkfs.vfat", "-F", "32", stick().string()}).exitCode, 0);
  const fs::path mountPoint = dir.path() / "open";
  fs::create_directories(mountPoint);
  const auto mounted =
      harness::runCommand({"fusefat", "-o", "rw+", stick().string(), mountPoint.string()});
  if (mounted.exitCode != 0) GTEST_SKIP() << "fusefat cannot mount here: " << mounted.err;
  struct Unmount {
    fs::path point;
    ~Unmount() { harness::runCommand({"fusermount", "-u", "-z", point.string()}); }
  } unmount{mountPoint};
  const std::string bootSector = bytesOf(stick()).substr(0, 512);  // mkfs gives a new serial
  const auto refused = format(R"({"confirm": true, "force": true})");
  EXPECT_EQ(refused.status, jobs::http::kConflict) << refused.body;
  EXPECT_NE(errorOf(refused).find("open on this computer"), std::string::npos) << refused.body;
  EXPECT_TRUE(bytesOf(stick()).substr(0, 512) == bootSector) << "the open stick was formatted";
}

// The whole way: a clerk's burn to an exFAT stick waits with the reason; the kiosk asks the
// service (curl on its socket) to format the stick; the same job then writes the patient to
// it, and the event stream showed the stick refused, then usable.
class StickFormatServiceTest : public JobsTest {
 protected:
  fs::path stick() const { return dir.path() / "stick.img"; }
  fs::path socket() const { return data() / "api.sock"; }
  fs::path configFile(bool allowFormat) {
    const fs::path file = dir.path() / "burnstation.toml";
    std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                           "[acceptance]\nany_called_ae = true\n"
                           "[usb]\nallow_format = "
                        << (allowFormat ? "true" : "false") << "\n";
    return file;
  }
};

TEST_F(StickFormatServiceTest, AJobWaitingOnAnExFatStickWritesItOnceTheClerkHadItFormatted) {
  if (!fs::exists("/dev/fuse")) {
    std::ifstream in("/proc/filesystems");
    if (std::string(std::istreambuf_iterator<char>(in), {}).find("vfat") == std::string::npos) {
      GTEST_SKIP() << "neither /dev/fuse nor the vfat module: no FAT filesystem can be mounted";
    }
  }
  receive(2);
  ASSERT_NO_FATAL_FAILURE(makeExFat(stick()));
  TestSticks sticks(stick());
  harness::Station station(data(), configFile(true));

  // The event stream, open before anything changes (curl ends it at its --max-time).
  const fs::path stream = dir.path() / "events.txt";
  std::thread events([&] {
    harness::runCommand({"curl", "-q", "-sS", "-N", "--max-time", "40", "--unix-socket",
                         socket().string(), "-o", stream.string(), "http://localhost/events"});
  });
  struct Join {
    std::thread& t;
    ~Join() { t.join(); }
  } joinEvents{events};

  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "usb", "--drive",
                                  "usb:" + stick().string(), "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  const auto waiting = poll([](const auto& j) {
    return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
           j["volumes"][0]["reject_reason"] != "";
  });
  ASSERT_NE(waiting["volumes"][0]["reject_reason"].get<std::string>().find("exFAT"),
            std::string::npos)
      << waiting.dump(2);

  const auto drives = harness::apiCall(socket(), "GET", "/drives");
  ASSERT_EQ(drives.status, 200) << drives.body;
  const auto row = stickIn(drives.json(), "stick.img");
  ASSERT_FALSE(row.is_null()) << drives.body;
  EXPECT_EQ(row["media"]["status"], "refused") << row;

  const auto unconfirmed =
      harness::apiCall(socket(), "POST", "/sticks/stick.img/format", nlohmann::json::object());
  EXPECT_EQ(unconfirmed.status, 400) << unconfirmed.body;
  const auto started = harness::apiCall(socket(), "POST", "/sticks/stick.img/format",
                                        nlohmann::json{{"confirm", true}});
  ASSERT_EQ(started.status, 202) << started.body << station.log();

  const auto done = poll([](const auto& j) { return j["state"] == "done"; });
  EXPECT_EQ(done["state"], "done") << done.dump(2) << station.log();
  const auto fsck = harness::runCommand({"fsck.vfat", "-n", stick().string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;
  const auto dicomdir = harness::runCommand(
      {"env", "MTOOLS_SKIP_CHECK=1", "mdir", "-b", "-i", stick().string(), "::/DICOMDIR"});
  EXPECT_EQ(dicomdir.exitCode, 0) << dicomdir.out << dicomdir.err;

  // The stream told of the stick: refused first, usable later.
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  std::size_t refusedAt = std::string::npos, usableAt = std::string::npos;
  while (Clock::now() < deadline) {
    const std::string text = bytesOf(stream);
    refusedAt = text.find("\"status\":\"refused\"");
    usableAt =
        refusedAt == std::string::npos ? refusedAt : text.find("\"status\":\"usable\"", refusedAt);
    if (usableAt != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(usableAt, std::string::npos) << bytesOf(stream);
  EXPECT_TRUE(harness::eventAppears(data(), "stick-formatted", "asked by"));
  station.stop();
}

TEST_F(StickFormatServiceTest, AServiceThatDoesNotAllowFormattingLeavesTheStickAlone) {
  ASSERT_NO_FATAL_FAILURE(makeExFat(stick()));
  const std::string before = bytesOf(stick());
  TestSticks sticks(stick());
  harness::Station station(data(), configFile(false));
  const auto refused = harness::apiCall(socket(), "POST", "/sticks/stick.img/format",
                                        nlohmann::json{{"confirm", true}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.error().find("allow_format"), std::string::npos) << refused.body;
  EXPECT_TRUE(bytesOf(stick()) == before);
}

}  // namespace
}  // namespace burnstation
