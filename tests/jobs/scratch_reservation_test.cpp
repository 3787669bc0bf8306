// A burn job reserves in its data directory what its plan says it will write there: the
// re-encoded files at their upper bounds, DICOMDIRs and manifests, and the images. The old
// reservation (a quarter of the stored bytes and 64 MB) was smaller than the re-encoded
// files of a large Implicit VR study: the job started, filled the disk and failed half-way.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "jobs_fixture.h"
#include "small_filesystem.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

// A file of exactly bytes, so that the filesystem keeps as much free as the test says.
void ballast(const fs::path& file, std::uint64_t bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::posix_fallocate(fd, 0, static_cast<off_t>(bytes)), 0);
  ::close(fd);
}

TEST(ScratchReservationTest, AJobWhoseReencodedFilesWouldFillTheDiskIsRefusedAtOnce) {
  harness::TempDir dir;
  harness::SmallFilesystem disk(dir.path() / "disk", "700M");
  const fs::path data = disk.path() / "data";
  const fs::path config = dir.path() / "station.toml";
  std::ofstream(config) << "[station]\nfree_space_reserve = \"1M\"\n"
                           "[acceptance]\nany_called_ae = true\n";
  harness::Station station(data, config);

  // 60 Implicit VR images of 2 MB: every one is re-encoded for the medium.
  testdata::InstanceSpec spec;
  spec.patientIdBytes = "BIG-1";
  spec.patientNameBytes = "SCRATCH^RESERVE";
  spec.studyInstanceUid = testdata::newUid();
  spec.transferSyntax = "1.2.840.10008.1.2";
  spec.rows = 1024;
  spec.columns = 1024;
  std::vector<fs::path> files;
  for (int i = 0; i < 60; ++i) {
    spec.sopInstanceUid.clear();
    spec.seed = static_cast<unsigned>(i);
    files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
  }
  ASSERT_EQ(harness::storescu(station.port(), files).exitCode, 0);
  const auto patients = harness::patientsJson(data);
  ASSERT_EQ(patients["patients"].size(), 1u);
  const std::uint64_t stored = patients["patients"][0]["bytes"];

  // Free space above what the old reservation asked (a quarter, 64 MB, one image, the 1 MB
  // floor) but below what the job writes: the re-encoded copies and the image.
  const std::uint64_t oldReservation = stored / 4 + 64'000'000 + stored + 1'000'000;
  const std::uint64_t written = 2 * stored;
  ASSERT_LT(oldReservation + 10'000'000, written);
  const std::uint64_t keepFree = oldReservation + 10'000'000;
  ASSERT_GT(disk.freeBytes(), keepFree);
  ballast(disk.path() / "ballast", disk.freeBytes() - keepFree);

  const auto burned = bs(data, {"burn", "--patient", "BIG-1", "--profile", "cd", "--drive",
                                "images", "--wait", "--json"});
  EXPECT_EQ(burned.exitCode, 1) << burned.err;
  const auto job = nlohmann::json::parse(burned.out);
  EXPECT_EQ(job["state"], "failed") << job.dump(2);
  const std::string message = job["message"];
  EXPECT_NE(message.find("not enough free space"), std::string::npos) << message;
  EXPECT_NE(message.find("the job needs about"), std::string::npos) << message;
  // Refused before anything was written: no re-encoded file, no image.
  EXPECT_TRUE(harness::filesEndingWith(data / "images", ".iso").empty());
  for (const auto& v : job["volumes"]) EXPECT_EQ(v["bytes_written"], 0) << v.dump(2);
  EXPECT_TRUE(harness::filesEndingWith(data / "scratch", ".dcm").empty());
}

}  // namespace
}  // namespace burnstation
