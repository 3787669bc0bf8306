// Burning onto pseudo-drives as onto real media: failed writes rejected and the volume
// rewritten on the next medium, media too small or of the wrong kind refused, the checksum
// manifest checked with md5sum, held instances, late arrivals and a killed service.
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
using harness::Station;

class BurnMediaTest : public JobsTest {
 protected:
  // The SOP Instance UIDs the DICOMDIR of an ISO 9660 medium references, read back with
  // xorriso and dcmdump.
  std::set<std::string> sopInstancesOn(const fs::path& medium) {
    const fs::path out = dir.path() / ("dicomdir-of-" + medium.filename().string());
    const auto extract =
        harness::runCommand({"xorriso", "-osirrox", "on", "-indev", medium.string(), "-extract",
                             "/DICOMDIR", out.string()});
    EXPECT_EQ(extract.exitCode, 0) << extract.err;
    const auto dump = harness::runCommand({"dcmdump", "-q", "+L", "+P", "0004,1511", out.string()});
    std::set<std::string> uids;
    for (std::size_t at = dump.out.find('['); at != std::string::npos;
         at = dump.out.find('[', at + 1)) {
      uids.insert(dump.out.substr(at + 1, dump.out.find(']', at) - at - 1));
    }
    return uids;
  }
  fs::path drive() const { return dir.path() / "drive"; }
  fs::path writeConfig(const std::string& text) {
    const fs::path file = dir.path() / "burnstation.toml";
    std::ofstream(file) << text;
    return file;
  }
};

TEST_F(BurnMediaTest, AWriteThatFailsRejectsTheMediumAndTheVolumeGoesOnTheNextOne) {
  receive(4);
  Station station(data());
  fs::create_directories(drive());
  const fs::path disc = drive() / "disc";
  fs::create_symlink("/dev/full", disc);  // a medium that takes no byte: ENOSPC at once
  const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive",
                                  "stdio:" + disc.string(), "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  auto job = poll([](const auto& j) {
    return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
           j["volumes"][0]["attempts"] == 1;
  });
  const std::string reason = job["volumes"][0]["reject_reason"];
  EXPECT_NE(reason.find("writing failed"), std::string::npos) << job.dump(2);
  EXPECT_NE(job["message"].get<std::string>().find("insert a blank disc"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(jobs()[0]["volumes"][0]["attempts"], 1);  // the failed medium is not tried again

  fs::remove(disc);
  std::ofstream(disc).flush();  // the clerk puts in a new, blank medium
  job = poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  ASSERT_EQ(job["state"], "done") << job.dump(2);
  EXPECT_EQ(job["volumes"][0]["attempts"], 2);
  EXPECT_EQ(job["volumes"][0]["reject_reason"], "");
  EXPECT_EQ(bs(data(), {"verify", disc.string()}).exitCode, 0);
  EXPECT_EQ(referencedFiles(disc), 4);

  // Read back through the drive (libburn), as a disc would be; one flipped byte is caught.
  const auto good = bs(data(), {"verify", "stdio:" + disc.string()});
  EXPECT_EQ(good.exitCode, 0) << good.out;
  std::smatch blocks;  // "blocks 0 to N match": damage a block inside the session
  ASSERT_TRUE(std::regex_search(good.out, blocks, std::regex("blocks 0 to ([0-9]+) match")));
  {
    std::fstream f(disc, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::stoi(blocks[1]) - 8) * 2048 + 100);
    f.put('\x5a');
  }
  const auto damaged = bs(data(), {"verify", "stdio:" + disc.string()});
  EXPECT_EQ(damaged.exitCode, 1);
  EXPECT_NE(damaged.out.find("FAILED  session_md5"), std::string::npos) << damaged.out;
}

TEST_F(BurnMediaTest, AMediumTooSmallIsRefusedBeforeAnythingIsWritten) {
  receive(150);  // about 2.4 MB
  const fs::path config =
      writeConfig("[[drive]]\nname = \"tiny\"\naddress = \"stdio:" + (drive() / "disc").string() +
                  "\"\nmedia = \"cd\"\ncapacity = \"1M\"\n");
  fs::create_directories(drive());
  Station station(data(), config);
  const auto listed = nlohmann::json::parse(
      bs(data(), {"drives", "--config", config.string(), "--json"}).out)["drives"];
  ASSERT_EQ(listed.size(), 3u) << listed.dump(2);  // no burner and no stick on test machines
  EXPECT_EQ(listed[2]["kind"], "usb");
  EXPECT_NE(listed[2]["media"]["status"], "usable");
  EXPECT_EQ(listed[0]["name"], "tiny");
  EXPECT_EQ(listed[0]["media"]["status"], "blank");
  EXPECT_EQ(listed[0]["media"]["capacity_bytes"], 1'000'000);
  EXPECT_EQ(listed[1]["name"], "images");

  // A CD drive cannot take a DVD profile: refused before anything is queued.
  const auto dvd = bs(data(), {"burn", "--config", config.string(), "--patient", "JOB-1",
                               "--profile", "dvd", "--drive", "tiny"});
  EXPECT_NE(dvd.exitCode, 0);
  EXPECT_NE(dvd.err.find("drive tiny takes CDs; profile \"dvd\" needs a DVD"), std::string::npos)
      << dvd.err;
  // Named by its address, it is still the configured drive, with its media kind.
  const auto byAddress =
      bs(data(), {"burn", "--config", config.string(), "--patient", "JOB-1", "--profile", "dvd",
                  "--drive", "stdio:" + (drive() / "disc").string()});
  EXPECT_NE(byAddress.err.find("drive tiny takes CDs"), std::string::npos) << byAddress.err;

  // Planned for a 700 MB disc, the volume needs more than this drive's 1 MB medium.
  const auto queued =
      bs(data(), {"burn", "--config", config.string(), "--patient", "JOB-1", "--profile", "cd",
                  "--drive", "tiny", "--capacity", "700M", "--json"});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  const auto job = poll([](const auto& j) { return j["state"] == "waiting_for_media"; });
  const std::string reason = job["volumes"][0]["reject_reason"];
  EXPECT_NE(reason.find("the medium holds 1 MB, this disc needs"), std::string::npos)
      << job.dump(2);
  EXPECT_EQ(job["volumes"][0]["attempts"], 0);
  EXPECT_FALSE(fs::exists(drive() / "disc") && fs::file_size(drive() / "disc") > 0);
  EXPECT_EQ(bs(data(), {"cancel", std::to_string(job["id"].get<int>())}).exitCode, 0);
  EXPECT_EQ(poll([](const auto& j) { return j["state"] == "cancelled"; })["state"], "cancelled");
}

TEST_F(BurnMediaTest, EveryMediumCarriesAManifestThatMd5sumAccepts) {
  receive(5);
  Station station(data());
  const auto r = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--wait", "--json"},
                    kBurnSeconds);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const fs::path image = nlohmann::json::parse(r.out)["volumes"][0]["target"].get<std::string>();
  const fs::path tree = dir.path() / "extracted";
  const auto extract = harness::runCommand(
      {"xorriso", "-osirrox", "on", "-indev", image.string(), "-extract", "/", tree.string()});
  ASSERT_EQ(extract.exitCode, 0) << extract.err;
  const auto md5sum = harness::runCommand(
      {"sh", "-c", "cd '" + tree.string() + "' && md5sum --strict -c MD5SUMS.TXT"});
  EXPECT_EQ(md5sum.exitCode, 0) << md5sum.out << md5sum.err;
  // DICOMDIR and the five instances, nothing left out; the web content is checked too.
  std::istringstream checked(md5sum.out);
  int fileSet = 0, web = 0;
  for (std::string line; std::getline(checked, line);) {
    (line.rfind("DICOM", 0) == 0 ? fileSet : web) += 1;
  }
  EXPECT_EQ(fileSet, 6) << md5sum.out;
  EXPECT_GT(web, 3) << md5sum.out;  // README.TXT, INDEX.HTM, VIEWER.HTM, ...
  EXPECT_NE(md5sum.out.find("DICOMDIR: OK"), std::string::npos);
  expectReadersAccept(tree, 5);  // the burned file-set, as the file-set tests read theirs

  // A changed file on the medium is caught by md5sum too.
  fs::permissions(tree / "DICOMDIR", fs::perms::owner_write, fs::perm_options::add);
  { std::ofstream(tree / "DICOMDIR", std::ios::app) << "x"; }
  EXPECT_NE(harness::runCommand({"sh", "-c",
                                 "cd '" + tree.string() +
                                     "' && md5sum -c --quiet "
                                     "MD5SUMS.TXT"})
                .exitCode,
            0);

  // The medium is on record: patient, disc, drive and who asked for it.
  const std::string event =
      harness::queryIndex(data(), "SELECT detail FROM events WHERE kind = 'medium_created'");
  EXPECT_NE(event.find("patient JOB-1"), std::string::npos) << event;
  EXPECT_NE(event.find("disc 1 of 1"), std::string::npos) << event;
  EXPECT_NE(event.find("drive images"), std::string::npos) << event;
  EXPECT_NE(event.find("(command line)"), std::string::npos) << event;
}

TEST_F(BurnMediaTest, ARefusedDiscTakenOutLeavesNoReasonToTakeItOut) {
  receive(2);
  fs::create_directories(drive());
  const fs::path disc = drive() / "disc";
  std::ofstream(disc) << std::string(4096, 'x');  // written: refused
  Station station(data());
  ASSERT_EQ(bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--drive",
                        "stdio:" + disc.string()})
                .exitCode,
            0);
  auto job = poll([](const auto& j) {
    return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
           j["volumes"][0]["reject_reason"] != "";
  });
  // The clerk takes it out and the drive is empty (the folder goes with the file): the
  // volume no longer carries the refusal, which the kiosk shows as "take it out".
  fs::rename(drive(), dir.path() / "taken-out");
  job = poll([](const auto& j) {
    return j["state"] == "waiting_for_media" && j["volumes"][0]["reject_reason"] == "";
  });
  EXPECT_NE(job["message"].get<std::string>().find("insert a blank disc"), std::string::npos)
      << job.dump(2);
  fs::create_directories(drive());
  std::ofstream(disc).flush();
  job = poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  EXPECT_EQ(job["state"], "done") << job.dump(2);
}

TEST_F(BurnMediaTest, HeldInstancesAreNotReplacedAndLateArrivalsAreNotAdded) {
  receive(3);
  const fs::path config = writeConfig("[station]\nduplicates = \"replace\"\n");
  fs::create_directories(drive());
  const fs::path disc = drive() / "disc";
  std::ofstream(disc) << std::string(4096, 'x');  // written: the job waits, holding its files
  Station station(data(), config);
  const auto queued = bs(data(), {"burn", "--config", config.string(), "--patient", "JOB-1",
                                  "--profile", "cd", "--drive", "stdio:" + disc.string()});
  ASSERT_EQ(queued.exitCode, 0) << queued.err;
  poll([](const auto& j) { return j["state"] == "waiting_for_media"; });

  // The same instance again from another AE: with "replace" it would be swapped, but a job
  // holds it. A new instance of the same patient arrives too.
  const fs::path first = sent[0];
  ASSERT_EQ(harness::runCommand({"storescu", "-aet", "OTHER_AE", "-aec", "BURNSTATION", "127.0.0.1",
                                 station.portText(), first.string()})
                .exitCode,
            0);
  ASSERT_EQ(harness::storescu(station.port(), instances(1, 100)).exitCode, 0);
  EXPECT_EQ(harness::queryIndex(data(),
                                "SELECT count(*) FROM events WHERE detail LIKE "
                                "'%a burn job holds it%'"),
            "1");
  EXPECT_EQ(harness::queryIndex(data(),
                                "SELECT count(*) FROM instances WHERE calling_ae = "
                                "'OTHER_AE'"),
            "0");

  fs::resize_file(disc, 0);
  const auto job =
      poll([](const auto& j) { return j["state"] == "done" || j["state"] == "failed"; });
  ASSERT_EQ(job["state"], "done") << job.dump(2);
  EXPECT_NE(job["message"].get<std::string>().find(
                "1 instance arrived after the job was queued and is not on these discs"),
            std::string::npos)
      << job["message"];
  EXPECT_EQ(referencedFiles(disc), 3);
}

TEST_F(BurnMediaTest, AServiceKilledMidJobResumesWithoutRewritingFinishedDiscs) {
  receive(40);
  fs::create_directories(drive());
  const fs::path disc = drive() / "disc";
  std::string jobId;
  fs::path firstDisc = drive() / "first";
  {
    Station station(data());
    // About 200 KB less than the whole selection needs with its web content: two discs.
    const auto whole = bs(data(), {"plan", "--patient", "JOB-1", "--profile", "cd", "--json"});
    ASSERT_EQ(whole.exitCode, 0) << whole.err;
    const std::uint64_t wholeBytes = nlohmann::json::parse(whole.out)["volumes"][0]["bytes"];
    const auto queued = bs(data(), {"burn", "--patient", "JOB-1", "--profile", "cd", "--capacity",
                                    std::to_string(wholeBytes - 200'000), "--drive",
                                    "stdio:" + disc.string(), "--json"});
    ASSERT_EQ(queued.exitCode, 0) << queued.err;
    const auto job = poll([](const auto& j) {
      return j["state"] == "waiting_for_media" && !j["volumes"].empty() &&
             j["volumes"][0]["state"] == "done";
    });
    ASSERT_GE(job["volumes"].size(), 2u);
    station.kill();  // as a power cut would
  }
  fs::rename(disc, firstDisc);                         // the clerk takes disc 1 out
  EXPECT_EQ(jobs()[0]["state"], "waiting_for_media");  // what the killed service left

  Station again(data());
  // Each disc the job fills is taken out, as the clerk would; the job asks for the next.
  std::vector<fs::path> media{firstDisc};
  nlohmann::json job;
  for (int i = 0; i < 600; ++i) {
    job = jobs()[0];
    if (job["state"] == "done" || job["state"] == "failed") break;
    if (job["state"] == "waiting_for_media" && fs::exists(disc) && fs::file_size(disc) > 0) {
      media.push_back(drive() / ("disc" + std::to_string(media.size() + 1)));
      fs::rename(disc, media.back());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(job["state"], "done") << job.dump(2) << again.log();
  if (fs::exists(disc)) media.push_back(disc);
  EXPECT_EQ(job["volumes"][0]["attempts"], 1);
  ASSERT_EQ(media.size(), job["volumes"].size());
  // Disc 1 was not written again: no medium after the restart holds any of its instances,
  // and every instance is on exactly one disc.
  const std::set<std::string> first = sopInstancesOn(firstDisc);
  EXPECT_FALSE(first.empty());
  std::set<std::string> all = first;
  std::size_t total = first.size();
  for (std::size_t i = 1; i < media.size(); ++i) {
    const std::set<std::string> later = sopInstancesOn(media[i]);
    for (const std::string& uid : later) {
      EXPECT_EQ(first.count(uid), 0u) << uid << " of disc 1 written again on " << media[i];
    }
    all.insert(later.begin(), later.end());
    total += later.size();
  }
  EXPECT_EQ(total, 40u);
  EXPECT_EQ(all.size(), 40u);
}

}  // namespace
}  // namespace burnstation
