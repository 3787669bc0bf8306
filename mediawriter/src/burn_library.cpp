// libburn's process-wide state (see burn_library.h; FIELD-GUIDE §5).
#include "burn_library.h"

#include <unistd.h>

#include <chrono>
#include <cstring>

#include "burnstation/mediawriter/media_error.h"

namespace burnstation::mediawriter {

namespace {

// Submitted about a freshly grabbed drive and read back, to learn libburn's number for it.
constexpr int kMarkerCode = 0x00040002;  // libburn's code for an application's SORRY
constexpr const char* kMarkerText = "burnstation: which drive is this";

bool isFailure(const std::string& severity) {
  return severity == "SORRY" || severity == "FAILURE" || severity == "FATAL" ||
         severity == "ABORT" || severity == "MISHAP";
}

}  // namespace

BurnLibrary& BurnLibrary::instance() {
  static BurnLibrary library;
  return library;
}

BurnLibrary::BurnLibrary() {
  // libisofs first: its start sets the shared queue's severities, which must be ours.
  IsoLibrary::ensure();
  if (burn::burn_initialize() != 1) throw MediaError(MediaError::Code::Io, "libburn cannot start");
  // One queue for both libraries; libisofs' reader tells which drive a message is about.
  if (burn::burn_set_messenger(iso_get_messenger()) != 1) {
    throw MediaError(MediaError::Code::Io, "libburn cannot share libisofs' message queue");
  }
  // Only what explains a failure is kept: the image drive never reads this queue, and
  // libisofs' notes would pile up in it.
  burn::burn_msgs_set_severities(const_cast<char*>("SORRY"), const_cast<char*>("NEVER"),
                                 const_cast<char*>("burnstation: "));
}

BurnLibrary::~BurnLibrary() {
  burn::burn_finish();
}

void BurnLibrary::collectLocked(std::optional<int>* marker) {
  int code = 0, number = -1;
  char text[ISO_MSGS_MESSAGE_LEN], severity[80];
  while (iso_obtain_msgs(const_cast<char*>("ALL"), &code, &number, text, severity) == 1) {
    if (marker && code == kMarkerCode && std::strcmp(text, kMarkerText) == 0) {
      *marker = number;
      continue;
    }
    const auto owner = byNumber_.find(number);
    if (owner != byNumber_.end()) {
      owner->second->messages_.push_back({severity, text});
    } else {
      unrouted_.push_back({severity, text});
      if (unrouted_.size() > 64) unrouted_.erase(unrouted_.begin());
    }
  }
}

std::optional<std::vector<DiscoveredDrive>> BurnLibrary::scan() {
  std::lock_guard lock(mutex_);
  if (grabbed_ > 0) return std::nullopt;
  burn::burn_drive_info* infos = nullptr;
  unsigned int count = 0;
  int result;
  while ((result = burn::burn_drive_scan(&infos, &count)) == 0) usleep(100000);
  collectLocked();
  unrouted_.clear();
  std::vector<DiscoveredDrive> out;
  if (result < 0) return out;
  for (unsigned int i = 0; i < count; ++i) {
    char address[BURN_DRIVE_ADR_LEN] = {};
    if (burn::burn_drive_get_adr(&infos[i], address) <= 0) continue;
    out.push_back({address, infos[i].vendor, infos[i].product});
  }
  burn::burn_drive_info_free(infos);
  return out;
}

std::unique_ptr<BurnLibrary::Grab> BurnLibrary::grab(const std::string& address, bool load) {
  std::unique_lock lock(mutex_);
  // The device watcher may be looking into this drive just as a job takes it: the job waits
  // for that look to end rather than finding its drive "not available".
  released_.wait_for(lock, std::chrono::seconds(10), [&] { return held_.count(address) == 0; });
  collectLocked();
  unrouted_.clear();  // from here on, what is about no grabbed drive is about this grab
  burn::burn_drive_info* info = nullptr;
  if (burn::burn_drive_scan_and_grab(&info, const_cast<char*>(address.c_str()), load ? 1 : 0) !=
      1) {
    collectLocked();
    std::string why;
    for (const Message& m : unrouted_) {
      if (isFailure(m.severity)) why = m.text;
    }
    unrouted_.clear();
    throw MediaError(MediaError::Code::Io, "drive " + address + " is not available" +
                                               (why.empty() ? std::string() : ": " + why));
  }
  std::unique_ptr<Grab> grab(new Grab(*this, info, address));
  ++grabbed_;
  ++held_[address];
  burn::burn_msgs_submit(kMarkerCode, const_cast<char*>(kMarkerText), 0, const_cast<char*>("SORRY"),
                         grab->drive());
  collectLocked(&grab->number_);
  if (grab->number_) {
    byNumber_[*grab->number_] = grab.get();
    // Whatever the grab itself said about this drive before its number was known.
    for (const Message& m : unrouted_) grab->messages_.push_back(m);
  }
  unrouted_.clear();
  return grab;
}

int BurnLibrary::grabbed() {
  std::lock_guard lock(mutex_);
  return grabbed_;
}

std::string BurnLibrary::failureOf(Grab& grab) {
  std::lock_guard lock(mutex_);
  collectLocked();
  std::string why;
  for (const Message& m : grab.messages_) {
    if (isFailure(m.severity)) why = m.text;
  }
  grab.messages_.clear();
  return why;
}

void BurnLibrary::release(Grab& grab) {
  std::lock_guard lock(mutex_);
  collectLocked();
  if (grab.number_) byNumber_.erase(*grab.number_);
  burn::burn_drive_release(grab.drive(), grab.eject_ ? 1 : 0);
  burn::burn_drive_info_free(grab.info_);
  --grabbed_;
  if (--held_[grab.address_] <= 0) held_.erase(grab.address_);
  released_.notify_all();
  // What the release said belongs to no one now; the next grab must not take it as its own.
  collectLocked();
  unrouted_.clear();
}

BurnLibrary::Grab::~Grab() {
  library_.release(*this);
}

}  // namespace burnstation::mediawriter
