// The wait for a usable medium (see medium_wait.h).
#include "burnstation/jobs/medium_wait.h"

#include <condition_variable>
#include <mutex>
#include <optional>

namespace burnstation::jobs {

using mediawriter::MediumState;
using mediawriter::MediumStatus;

mediawriter::MediumStatus waitForMedium(mediawriter::MediumTarget& target,
                                        const mediawriter::MediumNeed& need, const MediumWait& how,
                                        const MediumWaitReport& report) {
  std::optional<MediumStatus> last;
  std::mutex mutex;
  std::condition_variable_any wake;  // only a stop request wakes it before the poll interval
  for (;;) {
    if (how.checkCancel) how.checkCancel();
    MediumStatus status = target.check(need);
    if (status.state == MediumState::Erasable && how.mayErase) {
      if (how.erasing) how.erasing();
      target.erase({});
      continue;
    }
    if (status.ready()) return status;
    if (status.state == MediumState::Erasable) {
      status.reason += "; this profile does not allow erasing it";
    }
    if (!last || !(*last == status)) {
      report(status, !last.has_value());
      last = status;
    }
    std::unique_lock lock(mutex);
    wake.wait_for(lock, how.stop, how.poll, [] { return false; });
  }
}

}  // namespace burnstation::jobs
