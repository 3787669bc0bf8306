// What a written disc carries besides the file-set (issue 10): README.TXT, INDEX.HTM, IHE_PDI/
// pages, the viewer and its data, previews and extracted PDFs, all covered by MD5SUMS.TXT,
// named the same in the three ISO trees, with nothing but DICOM files under DICOM/. Read back
// with xorriso (osirrox), isoinfo, md5sum and Python's XML parser; an export is the same.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "file_set_readers.h"
#include "jobs_fixture.h"

namespace burnstation {
namespace {

namespace fs = std::filesystem;

// "Yamada^Tarou=山田^太郎" in UTF-8.
const std::string kJapaneseName = "Yamada^Tarou=\xE5\xB1\xB1\xE7\x94\xB0^\xE5\xA4\xAA\xE9\x83\x8E";

std::string readFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every regular file under root, by its path relative to root.
std::set<std::string> filesUnder(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), root).generic_string());
  }
  return out;
}

class MediumContentTest : public JobsTest {
 protected:
  std::string study = testdata::newUid();

  // A CT series (with Pixel Spacing), a multi-frame ultrasound clip, an SR and a PDF of one
  // patient with a Japanese name.
  std::vector<fs::path> patient(int ctSlices = 3) {
    std::vector<fs::path> files;
    testdata::InstanceSpec spec;
    spec.patientIdBytes = "WEB-1";
    spec.patientNameBytes = kJapaneseName;
    spec.specificCharacterSet = "ISO_IR 192";
    spec.studyInstanceUid = study;
    spec.seriesInstanceUid = testdata::newUid();
    spec.seriesNumber = "2";
    for (int i = 1; i <= ctSlices; ++i) {
      spec.sopInstanceUid.clear();
      spec.instanceNumber = std::to_string(i);
      spec.seed = static_cast<unsigned>(i);
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
      withPixelSpacing(files.back(), "0.5\\0.5");
    }
    const auto other = [&](testdata::Kind kind, const std::string& series, int frames) {
      spec.kind = kind;
      spec.seriesInstanceUid = testdata::newUid();
      spec.seriesNumber = series;
      spec.instanceNumber = "1";
      spec.sopInstanceUid.clear();
      spec.frames = frames;
      spec.bitsAllocated = kind == testdata::Kind::USMultiframe ? 8 : 16;
      files.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    };
    other(testdata::Kind::USMultiframe, "3", 4);
    other(testdata::Kind::SR, "4", 1);
    other(testdata::Kind::EncapsulatedPDF, "5", 1);
    return files;
  }

  static void withPixelSpacing(const fs::path& file, const char* spacing) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good());
    ASSERT_TRUE(ff.loadAllDataIntoMemory().good());  // it is written over in place
    ASSERT_TRUE(ff.getDataset()->putAndInsertString(DCM_PixelSpacing, spacing).good());
    ASSERT_TRUE(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
  }

  // Noise in the pixels, so their previews are as large as those of real images (the
  // factory's patterns compress to almost nothing).
  static void withNoise(const fs::path& file, unsigned seed) {
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good());
    ASSERT_TRUE(ff.loadAllDataIntoMemory().good());
    Uint16 rows = 0, columns = 0;
    ff.getDataset()->findAndGetUint16(DCM_Rows, rows);
    ff.getDataset()->findAndGetUint16(DCM_Columns, columns);
    std::vector<Uint16> pixels(std::size_t{rows} * columns);
    for (auto& p : pixels) {
      seed = seed * 1103515245u + 12345u;
      p = static_cast<Uint16>((seed >> 16) & 0x0FFF);
    }
    ASSERT_TRUE(ff.getDataset()
                    ->putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size())
                    .good());
    ASSERT_TRUE(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
  }

  fs::path config(const std::string& profileLines = {}) {
    const fs::path file = dir.path() / "station.toml";
    std::ofstream(file) << "[station]\nfree_space_reserve = \"50M\"\n"
                           "[acceptance]\nany_called_ae = true\n"
                        << profileLines;
    return file;
  }

  // Burns the patient to the image drive and extracts the ISO with osirrox.
  fs::path burnAndExtract(harness::Station& station, const fs::path& cfg,
                          const std::string& profile = "cd") {
    const auto burned = bs(data(),
                           {"burn", "--patient", "WEB-1", "--profile", profile, "--drive", "images",
                            "--wait", "--json", "--config", cfg.string()},
                           kBurnSeconds + 30);
    EXPECT_EQ(burned.exitCode, 0) << burned.out << burned.err << station.log();
    for (const auto& e : fs::directory_iterator(data() / "images")) {
      if (e.path().extension() == ".iso") iso = e.path();
    }
    EXPECT_FALSE(iso.empty());
    const fs::path out = dir.path() / "disc";
    const auto x =
        harness::runCommand({"osirrox", "-indev", iso.string(), "-extract", "/", out.string()});
    EXPECT_EQ(x.exitCode, 0) << x.err;
    return out;
  }

  fs::path iso;
};

TEST_F(MediumContentTest, ADiscCarriesTheWebContentBesideTheFileSetAndTheManifestCoversIt) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  const fs::path disc = burnAndExtract(station, cfg);

  for (const char* f : {"README.TXT", "INDEX.HTM", "VIEWER.HTM", "VIEWER/VOLUME.JS",
                        "IHE_PDI/INDEX.HTM", "MD5SUMS.TXT", "DICOMDIR", "PDF/D0000001.PDF"}) {
    EXPECT_TRUE(fs::is_regular_file(disc / f)) << f;
  }
  const auto files = filesUnder(disc);
  for (const auto& f : files) {
    // Nothing runs by itself, nothing is executable, nothing but DICOM under DICOM/.
    EXPECT_NE(f, "AUTORUN.INF");
    EXPECT_EQ(fs::status(disc / f).permissions() & fs::perms::owner_exec, fs::perms::none) << f;
    if (f.rfind("DICOM/", 0) == 0) {
      const std::string head = readFile(disc / f).substr(128, 4);
      EXPECT_EQ(head, "DICM") << f << " is not a DICOM file";
    }
  }
  // The PDF is the document itself, outside DICOM/ and IHE_PDI/.
  EXPECT_EQ(readFile(disc / "PDF/D0000001.PDF").substr(0, 5), "%PDF-");

  // md5sum (coreutils) checks every file but the manifest itself.
  const auto check = harness::runCommand(
      {"sh", "-c", "cd '" + disc.string() + "' && md5sum --quiet -c MD5SUMS.TXT"});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
  std::set<std::string> listed;
  std::istringstream manifest(readFile(disc / "MD5SUMS.TXT"));
  for (std::string line; std::getline(manifest, line);) listed.insert(line.substr(34));
  std::set<std::string> expected = files;
  expected.erase("MD5SUMS.TXT");
  EXPECT_EQ(listed, expected);

  // README.TXT: CRLF lines, the patient, disc 1 of 1, how to open and check it.
  const std::string readme = readFile(disc / "README.TXT");
  EXPECT_EQ(readme.find("\n"), readme.find("\r\n") + 1);
  EXPECT_EQ(std::regex_search(readme, std::regex("[^\r]\n")), false);
  for (const char* text : {"WEB-1", "1970-01-01", "1 of 1", "INDEX.HTM", "md5sum -c MD5SUMS.TXT",
                           "DICOM PLUS WEB", "STD-GEN-CD"}) {
    EXPECT_NE(readme.find(text), std::string::npos) << text << "\n" << readme;
  }
  EXPECT_NE(readme.find("\xE5\xB1\xB1\xE7\x94\xB0"), std::string::npos);  // 山田, UTF-8

  // The file-set is still one every reader accepts.
  expectReadersAccept(disc, 6);
}

TEST_F(MediumContentTest, NamesAreTheSameInThePrimaryRockRidgeAndJolietTrees) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  burnAndExtract(station, cfg);
  const auto names = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> argv{"isoinfo", "-i", iso.string(), "-f"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto r = harness::runCommand(argv);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    std::set<std::string> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      // The primary tree spells version numbers (";1") and an empty extension (".").
      if (const auto semi = line.find(';'); semi != std::string::npos) line.erase(semi);
      if (!line.empty() && line.back() == '.') line.pop_back();
      out.insert(line);
    }
    return out;
  };
  const auto primary = names({});
  const auto rockRidge = names({"-R"});
  const auto joliet = names({"-J"});
  EXPECT_TRUE(primary.count("/INDEX.HTM"));
  EXPECT_TRUE(primary.count("/IHE_PDI/INDEX.HTM"));
  EXPECT_TRUE(primary.count("/VIEWER/VOLUME.JS"));
  EXPECT_EQ(primary, rockRidge);
  EXPECT_EQ(primary, joliet);
  for (const auto& name : primary) {
    EXPECT_TRUE(std::regex_match(
        name, std::regex("(/[A-Z0-9_]{1,8})*(/[A-Z0-9_]{1,8}(\\.[A-Z0-9_]{1,3})?)")))
        << name << " is not an ISO 9660 8.3 upper-case name";
  }
}

TEST_F(MediumContentTest, PagesAreXhtmlWithoutScriptsAndNamesAreEscapedAsAscii) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  const fs::path disc = burnAndExtract(station, cfg);

  std::vector<fs::path> pages{disc / "INDEX.HTM"};
  for (const auto& e : fs::directory_iterator(disc / "IHE_PDI")) {
    if (e.path().extension() == ".HTM") pages.push_back(e.path());
  }
  ASSERT_EQ(pages.size(), 1u + 1u + 4u);  // INDEX.HTM, IHE_PDI/INDEX.HTM, a page per series
  const std::regex link("(?:href|src)=\"([^\"]+)\"");
  for (const auto& page : pages) {
    const std::string text = readFile(page);
    // Well-formed XML (an independent parser), no script, no event handler attribute.
    const auto parsed = harness::runCommand(
        {"/usr/bin/python3", "-c", "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])",
         page.string()});
    EXPECT_EQ(parsed.exitCode, 0) << page << parsed.err;
    EXPECT_EQ(text.find("<script"), std::string::npos) << page;
    EXPECT_FALSE(std::regex_search(text, std::regex("\\son[a-z]+=", std::regex::icase))) << page;
    // Every local link and image is a file on the disc, by the exact name.
    for (auto it = std::sregex_iterator(text.begin(), text.end(), link);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1];
      EXPECT_TRUE(fs::is_regular_file(page.parent_path() / target)) << page << " -> " << target;
    }
  }
  // The patient's name on the start page: Japanese as character references, in ASCII.
  const std::string index = readFile(disc / "INDEX.HTM");
  EXPECT_NE(index.find("Yamada Tarou (&#x5C71;&#x7530; &#x592A;&#x90CE;)"), std::string::npos)
      << index;
  // Every generated text file is ASCII (file:// gives scripts no charset); VOLUME.JS escapes.
  for (const char* f : {"INDEX.HTM", "IHE_PDI/INDEX.HTM", "VIEWER/VOLUME.JS", "VIEWER.HTM"}) {
    for (unsigned char c : readFile(disc / f)) {
      ASSERT_LT(c, 0x80) << f << " holds a non-ASCII byte";
    }
  }
  const std::string volume = readFile(disc / "VIEWER/VOLUME.JS");
  EXPECT_EQ(volume.rfind("burnstationVolume(", 0), 0u);
  EXPECT_NE(volume.find("\\u5c71\\u7530"), std::string::npos);
  EXPECT_NE(volume.find("\"pixelSpacing\":[0.5,0.5]"), std::string::npos);
  EXPECT_NE(volume.find("\"kind\":\"sr\""), std::string::npos);
  EXPECT_NE(volume.find("\"document\":\"PDF/D0000001.PDF\""), std::string::npos);
}

TEST_F(MediumContentTest, AnExportedFolderHoldsTheFilesADiscOfItHolds) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  const fs::path disc = burnAndExtract(station, cfg);
  const fs::path folder = dir.path() / "export";
  const auto exported = bs(data(), {"export", "--patient", "WEB-1", "--profile", "cd", "--to",
                                    folder.string(), "--config", cfg.string()});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  EXPECT_EQ(filesUnder(folder), filesUnder(disc));
  const auto check = harness::runCommand(
      {"sh", "-c", "cd '" + folder.string() + "' && md5sum --quiet -c MD5SUMS.TXT"});
  EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
}

TEST_F(MediumContentTest, AProfileWithoutTheViewerWritesReadmeOnlyAndSaysDicomOnly) {
  const fs::path cfg =
      config("[[profile]]\nname = \"cd-plain\"\nmedium = \"STD-GEN-CD\"\nviewer = false\n");
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  const fs::path disc = burnAndExtract(station, cfg, "cd-plain");
  for (const auto& f : filesUnder(disc)) {
    EXPECT_TRUE(f == "README.TXT" || f == "MD5SUMS.TXT" || f == "DICOMDIR" ||
                f.rfind("DICOM/", 0) == 0)
        << f;
  }
  EXPECT_NE(readFile(disc / "README.TXT").find("DICOM ONLY"), std::string::npos);
}

TEST_F(MediumContentTest, PreviewsGoOnTheDiscAndThePlanIsExactOnceTheyAreRendered) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), patient()).exitCode, 0);
  const auto plan = [&] {
    const auto r = bs(data(), {"plan", "--patient", "WEB-1", "--profile", "cd", "--json",
                               "--config", cfg.string()});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto before = plan();
  EXPECT_EQ(before["preview"], "full");
  EXPECT_FALSE(before["volumes"][0]["exact"].get<bool>()) << "previews are estimated";
  const fs::path disc = burnAndExtract(station, cfg);

  // The CT series (ordinal 1): thumbnail, soft tissue, lung and bone of each slice, and the
  // series' thumbnail; the ultrasound clip (2): every frame.
  for (int image = 1; image <= 3; ++image) {
    for (char prefix : {'T', 'P', 'L', 'B'}) {
      char name[32];
      std::snprintf(name, sizeof name, "IHE_PDI/S0000001/%c%07d.JPG", prefix, image);
      ASSERT_TRUE(fs::is_regular_file(disc / name)) << name;
      EXPECT_EQ(readFile(disc / name).substr(0, 3), "\xFF\xD8\xFF") << name << " is no JPEG";
    }
  }
  EXPECT_TRUE(fs::is_regular_file(disc / "IHE_PDI/S0000001/THUMB.JPG"));
  EXPECT_TRUE(fs::is_regular_file(disc / "IHE_PDI/S0000002/P0000004.JPG"));
  EXPECT_FALSE(fs::exists(disc / "IHE_PDI/S0000002/L0000001.JPG"));  // presets are CT's
  EXPECT_FALSE(fs::exists(disc / "IHE_PDI/S0000003"));               // the SR has no pixels

  // Kept with the store, the previews make the plan exact. The job's own plan is the image
  // to the byte; `plan` run later makes its own DICOMDIR, whose length may differ by a few
  // bytes (one sector of the image at most).
  const auto job = jobs()[0];
  EXPECT_EQ(job["volumes"][0]["bytes_total"].get<std::uint64_t>(), fs::file_size(iso));
  const auto after = plan();
  EXPECT_TRUE(after["volumes"][0]["exact"].get<bool>()) << after.dump(2);
  const std::uint64_t planned = after["volumes"][0]["bytes"];
  EXPECT_LE(std::max(planned, fs::file_size(iso)) - std::min(planned, fs::file_size(iso)), 2048u);
}

TEST_F(MediumContentTest, AutoTakesTheRichestPreviewsThatNeedNoMoreDiscs) {
  const fs::path cfg = config(
      "[[profile]]\nname = \"cd-light\"\nmedium = \"STD-GEN-CD\"\npreview = \"light\"\n"
      "[[profile]]\nname = \"cd-full\"\nmedium = \"STD-GEN-CD\"\npreview = \"full\"\n");
  harness::Station station(data(), cfg);
  testdata::InstanceSpec spec;
  spec.patientIdBytes = "WEB-1";
  spec.studyInstanceUid = study;
  spec.seriesInstanceUid = testdata::newUid();
  spec.rows = spec.columns = 512;
  std::vector<fs::path> slices;
  for (int i = 1; i <= 6; ++i) {
    spec.sopInstanceUid.clear();
    spec.instanceNumber = std::to_string(i);
    spec.seed = static_cast<unsigned>(i);
    slices.push_back(testdata::writeInstance(spec, dir.path() / "sent"));
    withNoise(slices.back(), static_cast<unsigned>(i));
  }
  ASSERT_EQ(harness::storescu(station.port(), slices).exitCode, 0);
  // Rendered once (an export renders what is missing), so the fixed tiers' sizes are exact.
  ASSERT_EQ(bs(data(), {"export", "--patient", "WEB-1", "--profile", "cd-full", "--to",
                        (dir.path() / "x").string(), "--config", cfg.string()})
                .exitCode,
            0);
  ASSERT_EQ(bs(data(), {"export", "--patient", "WEB-1", "--profile", "cd-light", "--to",
                        (dir.path() / "y").string(), "--config", cfg.string()})
                .exitCode,
            0);
  const auto plan = [&](const std::string& profile, const std::string& capacity) {
    std::vector<std::string> args{"plan",  "--patient", "WEB-1",    "--profile",
                                  profile, "--json",    "--config", cfg.string()};
    if (!capacity.empty()) args.insert(args.end(), {"--capacity", capacity});
    const auto r = bs(data(), args);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const std::uint64_t light = plan("cd-light", "")["volumes"][0]["bytes"];
  const std::uint64_t full = plan("cd-full", "")["volumes"][0]["bytes"];
  ASSERT_GT(full, light + 1'500'000) << "three 512 px windows outweigh one at 256 px";
  EXPECT_EQ(plan("cd", "")["preview"], "full");  // a CD has room for everything
  // Between the two: full previews would need a second disc, light ones fit on one.
  const auto between = plan("cd", std::to_string((light + full) / 2));
  EXPECT_EQ(between["preview"], "light") << between.dump(2);
  EXPECT_EQ(between["volumes"].size(), 1u) << between.dump(2);
}

// The browser checks (tests/viewer_bundle/browser) on what the station wrote: the viewer and
// the IHE PDI pages in chromium and firefox-esr from file://, with their file restrictions on.
class MediumInBrowsersTest : public MediumContentTest {
 protected:
  // Five 512 x 512 CT slices (a 100-pixel measurement fits a preview; the checks scroll
  // several images), a 4-frame clip, an SR and a PDF.
  std::vector<fs::path> largerPatient() {
    auto files = patient(5);
    for (int i = 0; i < 5; ++i) {
      DcmFileFormat ff;
      EXPECT_TRUE(ff.loadFile(files[static_cast<std::size_t>(i)].c_str()).good());
      EXPECT_TRUE(ff.loadAllDataIntoMemory().good());
      DcmDataset& d = *ff.getDataset();
      d.putAndInsertUint16(DCM_Rows, 512);
      d.putAndInsertUint16(DCM_Columns, 512);
      std::vector<Uint16> pixels(512 * 512);
      for (std::size_t k = 0; k < pixels.size(); ++k) {
        // A ramp and a disc, different per slice, so each preview differs from the next.
        const int x = static_cast<int>(k % 512), y = static_cast<int>(k / 512);
        const int r = (x - 256) * (x - 256) + (y - 256) * (y - 256);
        pixels[k] =
            static_cast<Uint16>((x * 4 + (r < (60 + 40 * i) * (60 + 40 * i) ? 1500 : 0)) & 0x0FFF);
      }
      EXPECT_TRUE(d.putAndInsertUint16Array(DCM_PixelData, pixels.data(), pixels.size()).good());
      EXPECT_TRUE(
          ff.saveFile(files[static_cast<std::size_t>(i)].c_str(), EXS_LittleEndianExplicit).good());
    }
    return files;
  }

  fs::path expectations() {
    const nlohmann::json expect{{"patientName", kJapaneseName},
                                {"seriesCount", 4},
                                {"disc", {{"index", 1}, {"of", 1}}},
                                {"ct",
                                 {{"series", 1},
                                  {"images", 5},
                                  {"presets", {"P", "L", "B"}},
                                  {"pixelSpacing", {0.5, 0.5}},
                                  {"columns", 512},
                                  {"header", {"Patient's Name"}}}},
                                {"multiframe", {{"series", 2}, {"frames", 4}}},
                                {"sr", {{"series", 3}, {"text", "No abnormality seen."}}},
                                {"pdf", {{"series", 4}}},
                                {"originals", {{"series", 1}, {"folder", "DICOM"}}}};
    const fs::path file = dir.path() / "expect.json";
    std::ofstream(file) << expect.dump();
    return file;
  }

  // node SCRIPT --root ROOT --expect FILE --screenshots ARTIFACTS/NAME, both browsers.
  void browse(const std::string& script, const fs::path& root, const std::string& name) {
    const fs::path browser = fs::path(BURNSTATION_SOURCE_DIR) / "tests/viewer_bundle/browser";
    ASSERT_TRUE(fs::exists(browser / "node_modules"))
        << "run npm ci in " << browser << " (the test command does)";
    const fs::path shots = fs::path(BURNSTATION_BINARY_DIR) / "artifacts/viewer" / name;
    fs::create_directories(shots);
    const auto r = harness::runCommand(
        {"sh", "-c",
         "cd '" + browser.string() + "' && exec node " + script + " --root '" + root.string() +
             "' --expect '" + expectations().string() + "' --screenshots '" + shots.string() + "'"},
        {}, 280);
    EXPECT_EQ(r.exitCode, 0) << script << " on " << root << ":\n" << r.out << r.err;
  }
};

TEST_F(MediumInBrowsersTest, ADiscOpensInChromiumAndFirefoxFromFile) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), largerPatient()).exitCode, 0);
  const fs::path disc = burnAndExtract(station, cfg);
  browse("check_web.mjs", disc, "disc-web");
  browse("check_viewer.mjs", disc, "disc-viewer");
}

TEST_F(MediumInBrowsersTest, AnExportedFolderOpensInChromiumAndFirefoxFromFile) {
  const fs::path cfg = config();
  harness::Station station(data(), cfg);
  ASSERT_EQ(harness::storescu(station.port(), largerPatient()).exitCode, 0);
  const fs::path folder = dir.path() / "export";
  const auto exported = bs(data(), {"export", "--patient", "WEB-1", "--profile", "cd", "--to",
                                    folder.string(), "--config", cfg.string()});
  ASSERT_EQ(exported.exitCode, 0) << exported.err;
  browse("check_web.mjs", folder, "export-web");
  browse("check_viewer.mjs", folder, "export-viewer");
}

}  // namespace
}  // namespace burnstation
