// `plan` and a burn agree on the number of discs: both go through the station's one planner.
// Before, the burn re-encoded first and planned on the real sizes, `plan` on upper bounds,
// so near a boundary `plan` promised two discs and the burn wrote one (or the other way).
#include <gtest/gtest.h>

#include <fstream>

#include "dicom_factory.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

class PlanAgreementTest : public ::testing::Test {
 protected:
  harness::TempDir dir;
  fs::path data() const { return dir.path() / "data"; }
  // No previews: this test is about re-encoded files' upper bounds. (With "auto" a smaller
  // medium gets lighter previews, and previews not rendered yet are estimated by `plan`
  // while the burn renders them first.)
  fs::path config() const {
    const fs::path file = dir.path() / "station.toml";
    std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                           "[acceptance]\nany_called_ae = true\n"
                           "[[profile]]\nname = \"cd\"\nmedium = \"STD-GEN-CD\"\npreview = \"none\"\n";
    return file;
  }

  // Implicit VR Little Endian, which no media profile allows: every one is re-encoded.
  std::vector<fs::path> implicitVrInstances(int count) {
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "AGREE-1";
    spec.patientNameBytes = "PLAN^AGREEMENT";
    spec.studyInstanceUid = testdata::newUid();
    spec.transferSyntax = "1.2.840.10008.1.2";
    spec.rows = 256;
    spec.columns = 256;
    std::vector<fs::path> files;
    for (int i = 0; i < count; ++i) {
      spec.sopInstanceUid.clear();
      spec.seed = static_cast<unsigned>(i);
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    }
    return files;
  }

  nlohmann::json plan(const std::vector<std::string>& extra) {
    std::vector<std::string> args{"plan",    "--patient", "AGREE-1", "--profile",
                                  "cd",      "--json",    "--config", config().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = bs(data(), args);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
};

TEST_F(PlanAgreementTest, PlanAndBurnNeedTheSameNumberOfDiscsNearACapacityBoundary) {
  harness::Station station(data(), config());
  ASSERT_EQ(harness::storescu(station.port(), implicitVrInstances(6)).exitCode, 0);

  // On a large medium everything is one volume; its upper bound is what the model needs.
  const nlohmann::json whole = plan({"--capacity", "700M"});
  ASSERT_EQ(whole["volumes"].size(), 1u) << whole.dump(2);
  EXPECT_FALSE(whole["volumes"][0]["exact"].get<bool>());
  EXPECT_EQ(whole["volumes"][0]["transcoded"], 6);
  const std::uint64_t upper = whole["volumes"][0]["upper_bound_bytes"];
  // Two sectors less: by the upper bounds it needs two volumes, though the re-encoded files
  // (about half their upper bound) would fit one.
  const std::string capacity = std::to_string(upper - 2 * 2048);
  const nlohmann::json planned = plan({"--capacity", capacity});
  ASSERT_EQ(planned["volumes"].size(), 2u) << planned.dump(2);

  const auto burned =
      bs(data(), {"burn", "--patient", "AGREE-1", "--profile", "cd", "--capacity", capacity,
                  "--drive", "images", "--wait", "--json", "--config", config().string()});
  ASSERT_EQ(burned.exitCode, 0) << burned.err << burned.out << station.log();
  const nlohmann::json job = nlohmann::json::parse(burned.out);
  ASSERT_FALSE(job["volumes"].empty()) << job.dump(2);
  EXPECT_EQ(job["volumes"][0]["of"], planned["volumes"].size()) << job.dump(2);
  EXPECT_EQ(job["volumes"].size(), planned["volumes"].size());
  // Each written volume is within what the plan said it would take at most.
  for (const auto& v : job["volumes"]) {
    const int index = v["index"];
    EXPECT_LE(v["bytes_total"].get<std::uint64_t>(),
              planned["volumes"][index - 1]["bytes"].get<std::uint64_t>())
        << v.dump(2);
  }
}

TEST_F(PlanAgreementTest, AUsbPlanWithoutACapacityIsOneVolumeSizedWhenTheStickIsIn) {
  harness::Station station(data());
  ASSERT_EQ(harness::storescu(station.port(), implicitVrInstances(2)).exitCode, 0);
  const auto r = bs(data(), {"plan", "--patient", "AGREE-1", "--profile", "usb", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["capacity_source"], "stick");
  EXPECT_EQ(doc["volumes"].size(), 1u);
  const auto text = bs(data(), {"plan", "--patient", "AGREE-1", "--profile", "usb"});
  EXPECT_NE(text.out.find("one file-set per stick"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace burnstation
