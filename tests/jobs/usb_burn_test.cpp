// Burning to USB sticks through the service: a FAT32 image made by mkfs.vfat stands in for
// the stick (`--drive usb:IMAGE`, as stdio: does for discs); the service mounts it (fusefat
// where the kernel has no vfat), and mtools, which are not ours, read the result back.
#include <gtest/gtest.h>

#include <fstream>

#include "file_set_readers.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;

class UsbBurnTest : public JobsTest {
 protected:
  void SetUp() override {
    if (!fs::exists("/dev/fuse") && !vfatInKernel()) {
      GTEST_SKIP() << "neither /dev/fuse nor the vfat module: no FAT filesystem can be mounted";
    }
  }
  static bool vfatInKernel() {
    std::ifstream in("/proc/filesystems");
    return std::string(std::istreambuf_iterator<char>(in), {}).find("vfat") != std::string::npos;
  }
  fs::path stick() const { return dir.path() / "stick.img"; }
  void makeFat32() {
    const auto r = harness::runCommand(
        {"mkfs.vfat", "-C", "-F", "32", "-n", "STICK", stick().string(), "40000"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  // The stick's whole tree copied out by mtools.
  fs::path readBack(const std::string& name) {
    const fs::path out = dir.path() / name;
    fs::create_directories(out);
    const auto r = harness::runCommand({"env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-s", "-n", "-i",
                                        stick().string(), "::/*", out.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    return out;
  }
  nlohmann::json burnToStick() {
    const auto r = bs(data(),
                      {"burn", "--patient", "JOB-1", "--profile", "usb", "--drive",
                       "usb:" + stick().string(), "--wait", "--json"},
                      kBurnSeconds);
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    return r.exitCode == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
  }
};

TEST_F(UsbBurnTest, AFileSetIsWrittenToAStickAndStudiesAreAddedLater) {
  receive(4);
  makeFat32();
  {
    Station station(data());
    const auto job = burnToStick();
    EXPECT_EQ(job["state"], "done");
    EXPECT_NE(job["message"].get<std::string>().find("can be removed"), std::string::npos);
  }
  const fs::path first = readBack("first");
  expectReadersAccept(first, 4);
  const auto md5 = harness::runCommand(
      {"sh", "-c", "cd '" + first.string() + "' && md5sum --strict -c MD5SUMS.TXT"});
  EXPECT_EQ(md5.exitCode, 0) << md5.out << md5.err;
  const auto fsck = harness::runCommand({"fsck.fat", "-n", stick().string()});
  EXPECT_EQ(fsck.exitCode, 0) << fsck.out << fsck.err;  // the FAT itself is sound

  // A second study of the same patient arrives; burning again adds it to the stick (FSU).
  {
    Station station(data());
    ASSERT_EQ(harness::storescu(station.port(), instances(3, 10)).exitCode, 0);
    const auto job = burnToStick();
    EXPECT_EQ(job["state"], "done");
  }
  const fs::path second = readBack("second");
  expectReadersAccept(second, 7);
  const auto md5Again = harness::runCommand(
      {"sh", "-c", "cd '" + second.string() + "' && md5sum --strict -c MD5SUMS.TXT"});
  EXPECT_EQ(md5Again.exitCode, 0) << md5Again.out << md5Again.err;
}

TEST_F(UsbBurnTest, SticksThatCannotTakeThePatientAreRefusedWithTheReason) {
  receive(2);
  // A stick formatted exFAT: only its boot sector matters to the check.
  {
    std::ofstream out(stick(), std::ios::binary);
    std::string sector(512, '\0');
    sector.replace(3, 8, "EXFAT   ");
    sector[510] = '\x55';
    sector[511] = '\xaa';
    out << sector << std::string(1 << 20, '\0');
  }
  Station station(data());
  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "usb", "--drive",
                                  "usb:" + stick().string(), "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  auto job = poll([](const auto& j) {
    return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
           j["volumes"][0]["reject_reason"] != "";
  });
  EXPECT_NE(job["volumes"][0]["reject_reason"].get<std::string>().find("exFAT"), std::string::npos)
      << job.dump(2);

  // Cancelled before the stick changes: a job still waiting would take the FAT32 stick
  // itself (it retries the drive), and the other patient's burn would then wait forever.
  ASSERT_EQ(bs(data(), {"cancel", std::to_string(job["id"].get<int>())}).exitCode, 0);
  ASSERT_EQ(poll([](const auto& j) { return j["state"] == "cancelled"; })["state"], "cancelled");
  // The clerk brings a FAT32 stick that already holds another patient's file-set.
  fs::remove(stick());
  makeFat32();
  {
    testdata::InstanceSpec other;
    other.patientIdBytes = "OTHER-9";
    other.patientNameBytes = "OTHER^PATIENT";
    other.studyInstanceUid = testdata::newUid();
    ASSERT_EQ(
        harness::storescu(station.port(), {testdata::writeInstance(other, dir.path() / "other")})
            .exitCode,
        0);
    const auto r = bs(data(),
                      {"burn", "--patient", "OTHER-9", "--profile", "usb", "--drive",
                       "usb:" + stick().string(), "--wait"},
                      kBurnSeconds);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  }
  const auto again = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "usb", "--drive",
                                 "usb:" + stick().string(), "--json"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  nlohmann::json refused;
  for (int i = 0; i < 300 && refused.is_null(); ++i) {
    const auto all = jobs();
    if (all.empty()) break;
    const auto& last = all.back();
    if (last["state"] == "waiting_for_media" && !last["volumes"].empty() &&
        !last["volumes"][0]["reject_reason"].get<std::string>().empty()) {
      refused = last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(refused.is_null()) << jobs().dump(2);
  EXPECT_NE(refused["volumes"][0]["reject_reason"].get<std::string>().find("another patient"),
            std::string::npos)
      << refused.dump(2);
  // The other patient's stick is untouched: still exactly its one instance.
  expectReadersAccept(readBack("other"), 1);
}

}  // namespace
}  // namespace burnstation
