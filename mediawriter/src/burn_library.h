// The one owner of libburn's process-wide state: starting the library, scanning the bus,
// grabbing and releasing drives, and its message queue. libburn keeps one queue for the
// whole process, so two drives burning at once would take each other's messages; here
// every message is read with the number of the drive it is about (libburn shares libisofs'
// queue, whose reader returns that number) and goes to the grab of that drive alone.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "burnstation/mediawriter/optical_drive.h"
#include "iso_handles.h"

namespace burnstation::mediawriter {

class BurnLibrary {
 public:
  class Grab;

  // Started on first use, finished at exit.
  static BurnLibrary& instance();

  // The burners on the bus; nullopt while a drive is grabbed (libburn refuses to scan then).
  std::optional<std::vector<DiscoveredDrive>> scan();

  // Throws MediaError with libburn's reason when the drive cannot be had.
  std::unique_ptr<Grab> grab(const std::string& address, bool load);

  // Grabs held by this process right now.
  int grabbed();

 private:
  struct Message {
    std::string severity;
    std::string text;
  };
  BurnLibrary();
  ~BurnLibrary();
  // Reads the whole queue, each message to the grab of its drive. Holds mutex_.
  void collectLocked(std::optional<int>* marker = nullptr);
  void release(Grab& grab);
  std::string failureOf(Grab& grab);

  std::mutex mutex_;
  std::condition_variable released_;
  std::map<std::string, int> held_;  // addresses grabbed in this process, and how often
  std::map<int, Grab*> byNumber_;    // libburn's drive number -> the grab it belongs to
  std::vector<Message> unrouted_;    // about no grabbed drive (a failed grab's own reasons)
  int grabbed_ = 0;
};

// A grabbed drive, released (and ejected if asked) when it goes out of scope.
class BurnLibrary::Grab {
 public:
  ~Grab();
  Grab(const Grab&) = delete;
  Grab& operator=(const Grab&) = delete;
  burn::burn_drive* drive() const { return info_[0].drive; }
  void ejectOnRelease() { eject_ = true; }
  // The last failure libburn reported about this drive since the previous call, "" if none.
  std::string failure() { return library_.failureOf(*this); }

 private:
  friend class BurnLibrary;
  Grab(BurnLibrary& library, burn::burn_drive_info* info, std::string address)
      : library_(library), address_(std::move(address)), info_(info) {}
  BurnLibrary& library_;
  std::string address_;
  burn::burn_drive_info* info_;
  std::optional<int> number_;
  std::vector<Message> messages_;  // guarded by the library's mutex
  bool eject_ = false;
};

}  // namespace burnstation::mediawriter
