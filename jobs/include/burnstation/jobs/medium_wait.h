// The one wait for a usable medium, whatever the medium (disc, stick): it polls the target's
// typed state, erases a rewritable disc where the profile allows, tells the job once per
// change of state or reason (so "insert ..." and a refusal are each recorded once), and
// ends at once on a cancel or a stop of the service.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>

#include "burnstation/mediawriter/medium_target.h"

namespace burnstation::jobs {

struct MediumWait {
  std::stop_token stop;               // the service stopping: wakes the wait at once
  std::function<void()> checkCancel;  // throws to end the wait (cancel, stop)
  std::chrono::milliseconds poll{500};
  bool mayErase = false;          // the profile allows erasing rewritable discs
  std::function<void()> erasing;  // told before an erase starts
};

// Called with what is in place when it is not usable, once per change; first is true for
// the first call of a wait.
using MediumWaitReport = std::function<void(const mediawriter::MediumStatus& status, bool first)>;

// Returns once target.check(need) is Ready, with that status.
mediawriter::MediumStatus waitForMedium(mediawriter::MediumTarget& target,
                                        const mediawriter::MediumNeed& need, const MediumWait& how,
                                        const MediumWaitReport& report);

}  // namespace burnstation::jobs
