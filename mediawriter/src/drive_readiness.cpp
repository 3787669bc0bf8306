// Bounded wait for a drive to settle (see drive_readiness.h).
#include "burnstation/mediawriter/drive_readiness.h"

#include <thread>

namespace burnstation::mediawriter {

Readiness waitUntilReady(const std::function<bool()>& unready, const std::function<bool()>& stop,
                         const ReadinessWait& wait) {
  const auto deadline = wait.now() + wait.limit;
  for (;;) {
    if (!unready()) return Readiness::Ready;
    if (stop && stop()) return Readiness::Stopped;
    if (wait.now() >= deadline) return Readiness::NotReady;
    if (wait.sleep) {
      wait.sleep(wait.step);
    } else {
      std::this_thread::sleep_for(wait.step);
    }
  }
}

}  // namespace burnstation::mediawriter
