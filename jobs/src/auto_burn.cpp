// Auto-burn (see auto_burn.h). A rule that cannot run (its drive is gone after a reload)
// is reported once per problem, not every second.
#include "burnstation/jobs/auto_burn.h"

#include <iostream>

#include "burnstation/station/drive_choice.h"

namespace burnstation::jobs {

using namespace burnstation::station;  // jobs run what the station library decides

int AutoBurnWatch::poll(store::JobQueue& queue, const StationConfig& config) {
  int queued = 0;
  for (const AutoBurnRule& rule : config.autoBurn) {
    const ProfileSetting* profile = config.findProfile(rule.profile);
    if (!profile) continue;  // refused when the configuration was read
    std::string drive;
    try {
      drive = chooseDrive(config, rule.drive, *profile).name;
    } catch (const std::invalid_argument& e) {
      if (reported_.insert(rule.calledAe + e.what()).second) {
        std::cerr << "burnstation: auto-burn for " << rule.calledAe << ": " << e.what()
                  << std::endl;
      }
      continue;
    }
    for (const store::QuietStudy& study : queue.quietStudies(rule.calledAe, rule.quietSeconds)) {
      store::JobRequest request;
      request.patientKey = study.collectionKey;
      request.studies = {study.studyUid};
      request.profile = rule.profile;
      request.drive = drive;
      request.copies = rule.copies;
      request.requestedBy = "auto-burn for called AE " + rule.calledAe +
                            (study.burnedBefore ? " (the study grew after its first disc)" : "");
      const std::int64_t id = queue.submitAutoBurn(request, rule.calledAe, study);
      std::cerr << "burnstation: auto-burn job " << id << " queued for study " << study.studyUid
                << " (" << study.instanceUids.size() << " instance(s))" << std::endl;
      ++queued;
    }
  }
  return queued;
}

}  // namespace burnstation::jobs
