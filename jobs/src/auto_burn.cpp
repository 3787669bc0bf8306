// Auto-burn (see auto_burn.h). A rule that cannot run (its drive is gone after a reload)
// is reported once per problem, not every second.
#include "burnstation/jobs/auto_burn.h"

#include <iostream>

#include "burnstation/station/drive_choice.h"

namespace burnstation::jobs {

using namespace burnstation::station;  // jobs run what the station library decides

void AutoBurnWatch::report(const std::string& calledAe, const std::string& text) {
  if (reported_.insert(calledAe + text).second) {
    std::cerr << "burnstation: auto-burn for " << calledAe << ": " << text << std::endl;
  }
}

int AutoBurnWatch::poll(store::JobQueue& queue, const StationConfig& config,
                        DeviceWatcher& devices) {
  int queued = 0;
  for (const AutoBurnRule& rule : config.autoBurn) {
    const ProfileSetting* profile = config.findProfile(rule.profile);
    if (!profile) continue;  // refused when the configuration was read
    DriveChoice drive;
    try {
      drive = chooseDrive(config, rule.drive, *profile, devices);
    } catch (const std::invalid_argument& e) {
      report(rule.calledAe, e.what());
      continue;
    }
    // Said whenever the drive a rule burns to changes, so a switch is never silent.
    const std::string recorded = recordedDrive(drive);
    if (chosen_[rule.calledAe] != recorded) {
      chosen_[rule.calledAe] = recorded;
      std::string text = "burning to drive " + drive.name;
      if (rule.drive.empty() && drive.kind == DriveKind::Image) {
        text += " (no burner was found; the rule names no drive)";
      }
      std::cerr << "burnstation: auto-burn for " << rule.calledAe << ": " << text << std::endl;
    }
    if (drive.kind == DriveKind::Optical) {
      for (const store::DeviceState& d : devices.devices()) {
        const bool same = d.name == drive.name || d.address == drive.address;
        // A drive in use by a job is fine; one that cannot be had is worth saying.
        if (same && d.mediaStatus == "unavailable") {
          report(rule.calledAe, "drive " + drive.name + " is unavailable (" + d.reason +
                                    "); its jobs wait until it is back");
        }
      }
    }
    for (const store::QuietStudy& study : queue.quietStudies(rule.calledAe, rule.quietSeconds)) {
      store::JobRequest request;
      request.patientKey = study.collectionKey;
      request.studies = {study.studyUid};
      request.profile = rule.profile;
      request.drive = recorded;
      request.copies = rule.copies;
      request.requestedBy = "auto-burn for called AE " + rule.calledAe +
                            (study.burnedBefore ? " (the study grew after its first disc)" : "");
      const std::int64_t id = queue.submitAutoBurn(request, rule.calledAe, study);
      std::cerr << "burnstation: auto-burn job " << id << " queued for study " << study.studyUid
                << " (" << study.instanceUids.size() << " instance(s)) to drive " << drive.name
                << std::endl;
      ++queued;
    }
  }
  return queued;
}

}  // namespace burnstation::jobs
