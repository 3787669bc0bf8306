// A drive that stays "not ready" is waited for only so long, and a stop ends the wait at
// once (fault 9 of issue 9: the wait had no bound and blocked the service's stop). The
// clock is the test's own: no drive, no wall-clock time.
#include "burnstation/mediawriter/drive_readiness.h"

#include <gtest/gtest.h>

namespace burnstation::mediawriter {
namespace {

using namespace std::chrono_literals;

struct FakeTime {
  ReadinessWait::Clock::time_point now{};
  int sleeps = 0;
  ReadinessWait wait() {
    ReadinessWait w;
    w.limit = 30s;
    w.step = 100ms;
    w.now = [this] { return now; };
    w.sleep = [this](std::chrono::milliseconds d) {
      now += d;
      ++sleeps;
    };
    return w;
  }
};

TEST(DriveReadiness, ADriveThatNeverSettlesIsGivenUpOnAfterTheLimit) {
  FakeTime time;
  int asked = 0;
  const auto result = waitUntilReady(
      [&] {
        ++asked;
        return true;
      },
      {}, time.wait());
  EXPECT_EQ(result, Readiness::NotReady);
  EXPECT_EQ(time.sleeps, 300);  // 30 s in 100 ms steps, then no more
  EXPECT_EQ(asked, 301);
}

TEST(DriveReadiness, AStopEndsTheWaitAtOnce) {
  FakeTime time;
  bool stop = false;
  int asked = 0;
  const auto result = waitUntilReady(
      [&] {
        if (++asked == 3) stop = true;  // the service is told to stop meanwhile
        return true;
      },
      [&] { return stop; }, time.wait());
  EXPECT_EQ(result, Readiness::Stopped);
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(time.sleeps, 2);
}

TEST(DriveReadiness, ADriveThatSettlesIsReady) {
  FakeTime time;
  int asked = 0;
  const auto result =
      waitUntilReady([&] { return ++asked < 5; }, [] { return false; }, time.wait());
  EXPECT_EQ(result, Readiness::Ready);
  EXPECT_EQ(asked, 5);
}

}  // namespace
}  // namespace burnstation::mediawriter
