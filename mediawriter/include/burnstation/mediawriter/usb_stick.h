// USB sticks: libusb reports mass-storage devices arriving and leaving (with vendor,
// product, serial), sysfs maps a device to its block device and first partition, and an
// admin allowlist decides which sticks the clerk may use. Events come through
// UsbEventSource so tests can inject them (no USB device exists on test machines).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace burnstation::mediawriter {

struct UsbStick {
  int bus = 0;
  std::string portPath;  // e.g. "1.4": the sysfs name is "<bus>-<portPath>"
  std::uint16_t vendorId = 0;
  std::uint16_t productId = 0;
  std::string manufacturer;
  std::string product;
  std::string serial;
  std::filesystem::path blockDevice;  // /dev/sdb, once mapped
  std::filesystem::path partition;    // /dev/sdb1, or the whole device without a partition table
  std::uint64_t sizeBytes = 0;

  std::string sysfsName() const { return std::to_string(bus) + "-" + portPath; }
  std::string describe() const;  // "SanDisk Cruzer (0781:5581, 16 GB)"
};

struct UsbEvent {
  enum class Kind { Arrived, Removed };
  Kind kind = Kind::Arrived;
  UsbStick stick;
};
using UsbEventHandler = std::function<void(const UsbEvent&)>;

class UsbEventSource {
 public:
  virtual ~UsbEventSource() = default;
  // Calls handler for every stick present now and every arrival and removal after, until
  // the source is destroyed. Returns false (with why) when events cannot be had.
  virtual bool start(UsbEventHandler handler, std::string& why) = 0;
};

// libusb hotplug, filtered to mass-storage devices (interface class 08h). Owns the context
// and its event thread.
std::unique_ptr<UsbEventSource> libusbHotplug();

// Image files standing in for sticks (bus 0, vendor 0000, product 1, 2, ...): the service
// gets them from BURNSTATION_TEST_STICKS so tests can format and burn without USB. Only
// regular files; a block device named here is ignored, so no test can reach a real disk.
std::unique_ptr<UsbEventSource> imageSticks(const std::vector<std::filesystem::path>& images);

// How the local API names a stick (POST /sticks/{id}/format): the file name of the row's
// address, "sdb1" for /dev/sdb1, or the USB port ("1-1.4") before the kernel made a disk.
std::string stickIdOf(const std::string& address);

// "VVVV:PPPP" or "VVVV:PPPP:SERIAL" entries; an empty list allows every stick.
bool allowedByList(const UsbStick& stick, const std::vector<std::string>& allowlist);

// Fills blockDevice, partition and sizeBytes from sysfs (sysfsRoot is "/sys" but for tests).
// Returns false when the device has no block device (yet: the kernel needs a moment).
bool mapToBlockDevice(UsbStick& stick, const std::filesystem::path& sysfsRoot = "/sys",
                      const std::filesystem::path& devRoot = "/dev");

// The sticks present now, kept up to date from an event source.
class UsbSticks {
 public:
  explicit UsbSticks(std::unique_ptr<UsbEventSource> source,
                     std::filesystem::path sysfsRoot = "/sys",
                     std::filesystem::path devRoot = "/dev");
  ~UsbSticks();
  UsbSticks(const UsbSticks&) = delete;
  UsbSticks& operator=(const UsbSticks&) = delete;

  bool watching() const { return watching_; }
  const std::string& problem() const { return problem_; }  // why not watching
  // Present sticks, each mapped to its block device where the kernel has made one.
  std::vector<UsbStick> present();
  // Counts arrivals and removals, so a waiting job notices a new stick.
  std::uint64_t changes();

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::unique_ptr<UsbEventSource> source_;
  std::filesystem::path sysfsRoot_;
  std::filesystem::path devRoot_;
  bool watching_ = false;
  std::string problem_;
};

}  // namespace burnstation::mediawriter
