// The one wait for a usable medium, against a scripted target: each change of state or
// reason is told once, a rewritable disc is erased only where the profile allows it, and a
// stop of the service ends a wait at once, not at the next poll.
#include "burnstation/jobs/medium_wait.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace burnstation::jobs {
namespace {

using mediawriter::MediumState;
using mediawriter::MediumStatus;
using namespace std::chrono_literals;

// Answers check() from a script; the last answer repeats.
class ScriptedTarget : public mediawriter::MediumTarget {
 public:
  explicit ScriptedTarget(std::vector<MediumStatus> script) : script_(std::move(script)) {}
  MediumStatus check(const mediawriter::MediumNeed&) override {
    ++checks;
    if (erased && !script_.empty() && script_.front().state == MediumState::Erasable) {
      return {MediumState::Ready, {}, 0};
    }
    const MediumStatus status = script_[std::min(next_, script_.size() - 1)];
    ++next_;
    return status;
  }
  void erase(const mediawriter::WriteProgress&) override { erased = true; }
  void write(const mediawriter::VolumeContent&, const mediawriter::WriteProgress&) override {}
  mediawriter::VerificationReport verify() override { return {}; }
  std::string writtenTo() const override { return "scripted"; }

  int checks = 0;
  bool erased = false;

 private:
  std::vector<MediumStatus> script_;
  std::size_t next_ = 0;
};

struct Told {
  MediumStatus status;
  bool first;
};

TEST(MediumWait, EachChangeIsToldOnce) {
  ScriptedTarget target({{MediumState::Absent, "insert a USB stick", 0},
                         {MediumState::Absent, "insert a USB stick", 0},
                         {MediumState::Refused, "the stick is formatted NTFS", 0},
                         {MediumState::Refused, "the stick is formatted NTFS", 0},
                         {MediumState::Absent, "insert a USB stick", 0},
                         {MediumState::Ready, {}, 0}});
  std::vector<Told> told;
  MediumWait how;
  how.poll = 1ms;
  const MediumStatus ready = waitForMedium(target, {}, how, [&](const MediumStatus& s, bool first) {
    told.push_back({s, first});
  });
  EXPECT_TRUE(ready.ready());
  EXPECT_EQ(target.checks, 6);
  ASSERT_EQ(told.size(), 3u);
  EXPECT_EQ(told[0].status.state, MediumState::Absent);
  EXPECT_TRUE(told[0].first);
  EXPECT_EQ(told[1].status.state, MediumState::Refused);
  EXPECT_EQ(told[1].status.reason, "the stick is formatted NTFS");
  EXPECT_FALSE(told[1].first);
  EXPECT_EQ(told[2].status.state, MediumState::Absent);
}

TEST(MediumWait, ARewritableDiscIsErasedOnlyWhenTheProfileAllowsIt) {
  const MediumStatus erasable{MediumState::Erasable, "the CD-RW holds data", 0};
  {
    ScriptedTarget target({erasable});
    MediumWait how;
    how.poll = 1ms;
    how.mayErase = true;
    int erasing = 0;
    how.erasing = [&] { ++erasing; };
    int told = 0;
    EXPECT_TRUE(waitForMedium(target, {}, how, [&](const MediumStatus&, bool) { ++told; }).ready());
    EXPECT_TRUE(target.erased);
    EXPECT_EQ(erasing, 1);
    EXPECT_EQ(told, 0);
  }
  {
    ScriptedTarget target({erasable});
    MediumWait how;
    how.poll = 1ms;
    int polls = 0;
    how.checkCancel = [&] {
      if (++polls > 3) throw std::runtime_error("cancelled");
    };
    std::vector<std::string> reasons;
    EXPECT_THROW(waitForMedium(target, {}, how,
                               [&](const MediumStatus& s, bool) { reasons.push_back(s.reason); }),
                 std::runtime_error);
    EXPECT_FALSE(target.erased);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0], "the CD-RW holds data; this profile does not allow erasing it");
  }
}

TEST(MediumWait, AStopEndsTheWaitWithoutWaitingForTheNextPoll) {
  ScriptedTarget target({{MediumState::Absent, "insert a blank disc", 0}});
  std::stop_source stop;
  MediumWait how;
  how.stop = stop.get_token();
  how.poll = 1h;  // only the stop can end the wait in time
  how.checkCancel = [&] {
    if (stop.stop_requested()) throw std::runtime_error("stopped");
  };
  std::promise<void> toldOnce;
  auto waiting = std::async(std::launch::async, [&] {
    waitForMedium(target, {}, how, [&](const MediumStatus&, bool) { toldOnce.set_value(); });
  });
  ASSERT_EQ(toldOnce.get_future().wait_for(10s), std::future_status::ready);
  const auto stopped = std::chrono::steady_clock::now();
  stop.request_stop();
  ASSERT_EQ(waiting.wait_for(10s), std::future_status::ready) << "the wait ignored the stop";
  EXPECT_THROW(waiting.get(), std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - stopped, 5s);
}

}  // namespace
}  // namespace burnstation::jobs
