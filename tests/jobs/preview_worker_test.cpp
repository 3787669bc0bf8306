// The service renders a received study's previews in the background once it has gone quiet:
// storescu sends, the real service renders, the index and the files say what was done.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "dicom_factory.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

// A station whose previews are rendered two seconds after a study has gone quiet.
std::filesystem::path quietConfig(const std::filesystem::path& dir) {
  const auto file = dir / "station.toml";
  std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                         "[acceptance]\nany_called_ae = true\n"
                         "[previews]\nquiet_seconds = 2\n";
  return file;
}

// Polls until condition holds; false after deadlineSeconds.
bool within(int deadlineSeconds, const std::function<bool()>& condition) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(deadlineSeconds);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return condition();
}

class PreviewWorkerTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  std::string study = testdata::newUid();

  fs::path instance(testdata::Kind kind, int number,
                    const std::string& ts = "1.2.840.10008.1.2.1") {
    testdata::InstanceSpec spec;
    spec.kind = kind;
    spec.studyInstanceUid = study;
    spec.instanceNumber = std::to_string(number);
    spec.seed = static_cast<unsigned>(number);
    spec.transferSyntax = ts;
    return testdata::writeInstance(spec, dir.path() / "sent");
  }
  std::string index(const std::string& sql) { return harness::queryIndex(data(), sql); }
  std::size_t previewFiles() {
    return harness::filesEndingWith(data() / "previews", ".jpg").size();
  }
};

TEST_F(PreviewWorkerTest, QuietStudyIsRenderedInTheBackground) {
  harness::Station station(data(), quietConfig(dir.path()));
  const std::vector<fs::path> sent = {
      instance(testdata::Kind::CT, 1), instance(testdata::Kind::CT, 2),
      instance(testdata::Kind::CT, 3), instance(testdata::Kind::SR, 4)};
  ASSERT_EQ(harness::storescu(station.port(), sent).exitCode, 0);
  // JPEG 2000, sent as it is: stored, but this station cannot render it.
  const fs::path j2k = instance(testdata::Kind::CT, 5, "1.2.840.10008.1.2.4.90");
  ASSERT_EQ(harness::storescu(station.port(), {j2k}, {"-R", "-xv"}).exitCode, 0);

  const std::string done =
      "SELECT count(*) FROM previews WHERE study_uid = '" + study + "' AND instances = ";
  ASSERT_TRUE(within(60, [&] { return index(done + "5") == "3"; }))  // full, light, thumbnails
      << station.log();
  // The built-in profiles are "auto", so every tier: three CT images with T 128 (shared by
  // the tiers), P/L/B 512 (full) and P 256 (light) each; the SR has none.
  EXPECT_EQ(previewFiles(), 15u);
  EXPECT_EQ(harness::filesEndingWith(data() / "previews", ".part").size(), 0u);
  EXPECT_EQ(index("SELECT count(*) FROM preview_failures WHERE study_uid = '" + study + "'"), "1");
  EXPECT_TRUE(harness::eventAppears(data(), "preview-failed", "JPEG 2000"));
  EXPECT_NE(station.log().find("previews of study " + study + " ready"), std::string::npos);
  // Private like the rest of the store.
  EXPECT_EQ(fs::status(data() / "previews").permissions() & fs::perms::all,
            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);

  // The study grows: only the new instance is rendered, the failure is not tried again.
  const auto firstFile = harness::filesEndingWith(data() / "previews", ".jpg").front();
  const auto firstTime = fs::last_write_time(firstFile);
  ASSERT_EQ(harness::storescu(station.port(), {instance(testdata::Kind::CT, 6)}).exitCode, 0);
  ASSERT_TRUE(within(60, [&] { return index(done + "6") == "3"; })) << station.log();
  EXPECT_EQ(previewFiles(), 20u);
  EXPECT_EQ(fs::last_write_time(firstFile), firstTime);
  EXPECT_EQ(index("SELECT count(*) FROM events WHERE kind = 'preview-failed'"), "1");
  EXPECT_EQ(station.stop(), 0);
}

}  // namespace
}  // namespace burnstation
