// Waiting for a drive that says "not ready" (a disc spinning up, a tray closing): bounded,
// and cut short by a stop, so a drive that never settles cannot hold up the service's stop.
// The clock and the sleep are passed in, so tests need no drive and no wall-clock time.
#pragma once

#include <chrono>
#include <functional>

namespace burnstation::mediawriter {

enum class Readiness { Ready, NotReady, Stopped };

struct ReadinessWait {
  using Clock = std::chrono::steady_clock;
  // Long enough for a real tray to close and a disc to spin up; a check that gives up says
  // so, and the job asks again after looking at its own stop and cancel.
  std::chrono::milliseconds limit{30'000};
  std::chrono::milliseconds step{100};
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: std::this_thread::sleep_for
};

// Asks unready() until it says no (Ready), stop() says yes (Stopped) or the limit has passed
// (NotReady). stop may be empty.
Readiness waitUntilReady(const std::function<bool()>& unready, const std::function<bool()>& stop,
                         const ReadinessWait& wait = {});

}  // namespace burnstation::mediawriter
