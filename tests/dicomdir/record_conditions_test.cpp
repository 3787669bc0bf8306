// Every leaf record type we write, and every Type 1C key condition of the table in
// record_conditions.cpp, made true by an instance made in code: the instance goes through
// the real service, `burnstation export` writes the file-set, and dciodvfy (dicom3tools,
// which nobody here wrote) must find no error in the DICOMDIR.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <set>

#include "burnstation/dicomdir/file_set.h"
#include "dicom_factory.h"
#include "record_conditions.h"
#include "station_harness.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;
using harness::Station;
using harness::TempDir;
using testdata::InstanceSpec;
using testdata::Kind;

struct Case {
  const char* name;
  Kind kind;
  const char* recordType;
  std::function<void(InstanceSpec&)> adjust = [](InstanceSpec&) {};
  // A key the condition makes required, and the value the record must hold ("" for any).
  const char* key = "";
  std::function<std::string(const InstanceSpec&)> expected = [](const InstanceSpec&) {
    return std::string();
  };
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

std::string dumpOf(const fs::path& dicomdir, const char* key = nullptr) {
  std::vector<std::string> argv = {"dcmdump", "-q"};
  if (key != nullptr) argv.insert(argv.end(), {"+P", key});
  argv.push_back(dicomdir.string());
  return harness::runCommand(argv).out;
}

// The first value of the key in the dump, without dcmdump's brackets.
std::string firstValue(const std::string& dump) {
  const auto open = dump.find('[');
  const auto close = dump.find(']', open);
  return open == std::string::npos ? std::string() : dump.substr(open + 1, close - open - 1);
}

class RecordConditions : public ::testing::TestWithParam<Case> {};

TEST_P(RecordConditions, DciodvfyFindsNoErrorInTheDicomdir) {
  const Case& c = GetParam();
  TempDir dir;
  InstanceSpec spec;
  spec.kind = c.kind;
  spec.patientIdBytes = "COND-1";
  spec.sopInstanceUid = testdata::newUid();
  c.adjust(spec);
  const fs::path file = testdata::writeInstance(spec, dir.path() / "sent");

  Station station(dir.path() / "data");
  ASSERT_EQ(harness::testScuStatuses(station.port(), {file}, {"--raw"}).at(file.string()), "0000");
  const auto patients = harness::patientsJson(station.dataDir());
  ASSERT_EQ(patients["patients"].size(), 1u) << patients.dump(2);
  const fs::path out = dir.path() / "medium";
  const auto exported = harness::burnstation(
      {"export", "--data-dir", station.dataDir().string(), "--to", out.string(), "--patient",
       patients["patients"][0]["key"].get<std::string>(), "--profile", "cd"});
  ASSERT_EQ(exported.exitCode, 0) << exported.out << exported.err;

  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(out);
  ASSERT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
  ASSERT_EQ(check.entries.size(), 1u);
  EXPECT_EQ(check.entries[0].recordType, c.recordType);

  const auto dciodvfy = harness::runCommand({"dciodvfy", (out / "DICOMDIR").string()});
  const std::string report = dciodvfy.out + dciodvfy.err;
  EXPECT_EQ(report.find("Error"), std::string::npos) << report << dumpOf(out / "DICOMDIR");

  // Records carry the title's concept modifiers at most, never the document's findings.
  EXPECT_EQ(dumpOf(out / "DICOMDIR").find("[CONTAINS]"), std::string::npos);

  if (*c.key != '\0') {
    const std::string dump = dumpOf(out / "DICOMDIR", c.key);
    EXPECT_NE(dump.find(std::string("(") + c.key + ")"), std::string::npos)
        << c.key << " missing:\n"
        << dumpOf(out / "DICOMDIR");
    const std::string expected = c.expected(spec);
    if (!expected.empty()) {
      EXPECT_EQ(firstValue(dump), expected) << dump;
    }
  }
}

const Case kCases[] = {
    // PATIENT, STUDY and SERIES come with every case; IMAGE with this one.
    {"Image", Kind::CT, "IMAGE"},
    {"UnverifiedReport", Kind::SR, "SR DOCUMENT"},
    // Verification DateTime is the most recent observer's, not the last one's.
    {"VerifiedReport", Kind::SR, "SR DOCUMENT",
     [](InstanceSpec& s) {
       s.verificationDateTimes = {"20260103081000.5", "20260102101500", "2026010309"};
     },
     "0040,a030", [](const InstanceSpec&) { return std::string("2026010309"); }},
    // Only the title's HAS CONCEPT MOD items go into the record, not the findings.
    {"ReportWithAModifiedTitle", Kind::SR, "SR DOCUMENT",
     [](InstanceSpec& s) { s.conceptModifier = true; }, "0040,a730",
     [](const InstanceSpec&) { return std::string("HAS CONCEPT MOD"); }},
    {"KeyObjectSelection", Kind::KOS, "KEY OBJECT DOC"},
    {"KeyObjectSelectionWithAModifiedTitle", Kind::KOS, "KEY OBJECT DOC",
     [](InstanceSpec& s) { s.conceptModifier = true; }, "0040,a730",
     [](const InstanceSpec&) { return std::string("HAS CONCEPT MOD"); }},
    {"PresentationWithReferencedSeries", Kind::GSPS, "PRESENTATION", [](InstanceSpec&) {},
     "0008,1115"},
    {"PresentationWithBlending", Kind::BlendingPresentation, "PRESENTATION", [](InstanceSpec&) {},
     "0070,0402"},
    {"EncapsulatedPdf", Kind::EncapsulatedPDF, "ENCAP DOC"},
    {"EncapsulatedCda", Kind::EncapsulatedCDA, "ENCAP DOC", [](InstanceSpec&) {}, "0040,e001",
     [](const InstanceSpec&) { return std::string("2.25.1234567890^TEST-CDA-1"); }},
    {"EncapsulatedCdaWithoutItsIdentifier", Kind::EncapsulatedCDA, "ENCAP DOC",
     [](InstanceSpec& s) { s.omitHl7InstanceIdentifier = true; }, "0040,e001",
     [](const InstanceSpec& s) { return s.sopInstanceUid; }},
    {"RawData", Kind::RawData, "RAW DATA"},
    {"Waveform", Kind::Waveform, "WAVEFORM"},
    {"Spectroscopy", Kind::Spectroscopy, "SPECTROSCOPY", [](InstanceSpec&) {}, "0008,9092"},
    {"Registration", Kind::Registration, "REGISTRATION"},
    {"Fiducials", Kind::Fiducials, "FIDUCIAL"},
    {"RtDose", Kind::RTDose, "RT DOSE"},
    {"RtStructureSet", Kind::RTStructureSet, "RT STRUCTURE SET"},
    {"RtPlan", Kind::RTPlan, "RT PLAN"},
    {"RtTreatmentRecord", Kind::RTTreatmentRecord, "RT TREAT RECORD"},
    {"ValueMap", Kind::ValueMap, "VALUE MAP"},
    {"Stereometric", Kind::Stereometric, "STEREOMETRIC"},
    {"Surface", Kind::Surface, "SURFACE"},
    {"PrivateClass", Kind::PrivateClass, "PRIVATE", [](InstanceSpec&) {}, "0004,1432"},
    {"ColorPalette", Kind::ColorPalette, "PALETTE"},
    {"HangingProtocol", Kind::HangingProtocol, "HANGING PROTOCOL"},
};

INSTANTIATE_TEST_SUITE_P(EveryRecordType, RecordConditions, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Each condition of the table is made true by one of the cases above.
TEST(RecordConditionTable, EveryConditionHasACase) {
  std::set<std::string> tested;
  for (const Case& c : kCases) {
    if (*c.key != '\0') tested.insert(std::string(c.recordType) + " " + c.key);
  }
  for (const dicomdir::ConditionalKey& key : dicomdir::conditionalKeys()) {
    char tag[16];
    std::snprintf(tag, sizeof tag, "%04x,%04x", key.tag.getGroup(), key.tag.getElement());
    EXPECT_TRUE(tested.count(std::string(key.recordType) + " " + tag))
        << key.recordType << " " << tag << " (" << key.condition << ") has no case";
  }
}

TEST(RecordConditionTable, TheLatestDateTimeIsTheMostRecentNotTheLongest) {
  const std::vector<std::string> times = {"20260103081000.5", "20260102101500", "2026010309 ",
                                          "2026", "20251231235959.999999+0100"};
  EXPECT_EQ(dicomdir::latestDateTime(times), "2026010309");
  EXPECT_EQ(dicomdir::latestDateTime({}), "");
  const std::vector<std::string> fraction = {"20260103081000.5", "20260103081000.45"};
  EXPECT_EQ(dicomdir::latestDateTime(fraction), "20260103081000.5");
}

}  // namespace
}  // namespace burnstation
