// USB sticks without USB hardware (none exists on test machines): the admin allowlist, the
// sysfs walk from a USB device to its disk and first partition on a fake sysfs tree laid
// out like the kernel's, events from an injected source, and libusb's own hotplug watcher
// started and stopped on a machine without devices.
#include "burnstation/mediawriter/usb_stick.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "station_harness.h"

namespace burnstation::mediawriter {
namespace {

namespace fs = std::filesystem;

UsbStick sanDisk(const std::string& serial = "4C530001230101117312") {
  UsbStick stick;
  stick.bus = 1;
  stick.portPath = "2.4";
  stick.vendorId = 0x0781;
  stick.productId = 0x5581;
  stick.serial = serial;
  return stick;
}

TEST(UsbAllowlist, AnEmptyListAllowsEveryStick) {
  EXPECT_TRUE(allowedByList(sanDisk(), {}));
}

TEST(UsbAllowlist, VendorAndProductInHexMatchInEitherCase) {
  EXPECT_TRUE(allowedByList(sanDisk(), {"0781:5581"}));
  EXPECT_TRUE(allowedByList(sanDisk(), {"1234:0001", "0781:5581"}));
  UsbStick kingston = sanDisk();
  kingston.vendorId = 0x0951;
  kingston.productId = 0x16BE;
  EXPECT_TRUE(allowedByList(kingston, {"0951:16BE"}));
  EXPECT_TRUE(allowedByList(kingston, {"0951:16be"}));
  EXPECT_FALSE(allowedByList(kingston, {"0781:5581"}));
  // Decimal is not hex: 5581 decimal is 0x15cd.
  UsbStick other = sanDisk();
  other.productId = 5581;
  EXPECT_FALSE(allowedByList(other, {"0781:5581"}));
}

TEST(UsbAllowlist, ASerialEntryAllowsOnlyThatStick) {
  const std::vector<std::string> list = {"0781:5581:4C530001230101117312"};
  EXPECT_TRUE(allowedByList(sanDisk(), list));
  EXPECT_FALSE(allowedByList(sanDisk("4C530001230101117399"), list));
  EXPECT_FALSE(allowedByList(sanDisk(""), list));
  UsbStick otherProduct = sanDisk();
  otherProduct.productId = 0x5580;
  EXPECT_FALSE(allowedByList(otherProduct, list));
}

TEST(UsbAllowlist, MalformedEntriesAllowNothing) {
  // A list with only bad entries is not empty, so it must not fall back to "allow all".
  for (const char* entry : {"", "0781", "0781:", "garbage", "0781-5581", "07815581"}) {
    EXPECT_FALSE(allowedByList(sanDisk(), {entry})) << entry;
  }
}

// A sysfs tree the way the kernel lays out a stick at bus 1, port 2.4: the device under
// /sys/devices, a symlink to it in /sys/bus/usb/devices, the SCSI disk below its interface.
class FakeSysfs {
 public:
  explicit FakeSysfs(const fs::path& root) : root_(root) {
    fs::create_directories(root_ / "bus/usb/devices");
    fs::create_directories(root_ / "block");
  }

  const fs::path& root() const { return root_; }

  // The USB device with its identity files; returns its directory.
  fs::path addDevice(const std::string& name) {
    const fs::path device = root_ / "devices/pci0000:00/0000:00:14.0/usb1/1-2" / name;
    fs::create_directories(device / (name + ":1.0"));
    write(device / "idVendor", "0781");
    write(device / "idProduct", "5581");
    write(device / "manufacturer", "SanDisk");
    write(device / "product", "Cruzer Blade");
    write(device / "serial", "4C530001230101117312");
    fs::create_directory_symlink(fs::relative(device, root_ / "bus/usb/devices"),
                                 root_ / "bus/usb/devices" / name);
    return device;
  }

  // The disk the storage driver made; sectors are 512-byte units, as in sysfs.
  fs::path addDisk(const fs::path& device, const std::string& disk, std::uint64_t sectors) {
    const std::string interface = device.filename().string() + ":1.0";
    const fs::path block = device / interface / "host3/target3:0:0/3:0:0:0/block" / disk;
    fs::create_directories(block);
    write(block / "size", std::to_string(sectors));
    write(block / "removable", "1");
    write(block / "dev", "8:16");
    fs::create_directories(block / "holders");  // other directories a disk has
    fs::create_directory_symlink(fs::relative(block, root_ / "block"), root_ / "block" / disk);
    return block;
  }

  void addPartition(const fs::path& disk, const std::string& name, std::uint64_t sectors) {
    fs::create_directories(disk / name);
    write(disk / name / "partition", "1");
    write(disk / name / "size", std::to_string(sectors));
  }

 private:
  static void write(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text << "\n";
  }
  fs::path root_;
};

TEST(UsbBlockDevice, AStickIsMappedToItsDiskAndFirstPartition) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  const fs::path disk = sysfs.addDisk(sysfs.addDevice("1-2.4"), "sdb", 30031872);
  sysfs.addPartition(disk, "sdb2", 2048);
  sysfs.addPartition(disk, "sdb1", 30029824);
  UsbStick stick = sanDisk();
  stick.serial.clear();
  ASSERT_TRUE(mapToBlockDevice(stick, sysfs.root(), "/dev"));
  EXPECT_EQ(stick.blockDevice, fs::path("/dev/sdb"));
  EXPECT_EQ(stick.partition, fs::path("/dev/sdb1"));
  EXPECT_EQ(stick.sizeBytes, 30029824ull * 512);
  // Without libusb_open (no write access to /dev/bus/usb) the strings come from sysfs.
  EXPECT_EQ(stick.manufacturer, "SanDisk");
  EXPECT_EQ(stick.product, "Cruzer Blade");
  EXPECT_EQ(stick.serial, "4C530001230101117312");
  EXPECT_EQ(stick.describe(), "SanDisk Cruzer Blade (0781:5581, 15 GB)");
}

TEST(UsbStickDescription, SaysTheSizeAsThePackagingDoes) {
  UsbStick stick = sanDisk();
  stick.manufacturer = "SanDisk";
  stick.product = "Cruzer Blade";
  stick.sizeBytes = 256'000'000;
  EXPECT_EQ(stick.describe(), "SanDisk Cruzer Blade (0781:5581, 256 MB)");
  stick.sizeBytes = 999'600'000;
  EXPECT_EQ(stick.describe(), "SanDisk Cruzer Blade (0781:5581, 1 GB)");
  stick.sizeBytes = 0;  // a reader with no medium in it
  EXPECT_EQ(stick.describe(), "SanDisk Cruzer Blade (0781:5581)");
}

TEST(UsbBlockDevice, StringsFromLibusbAreKept) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  sysfs.addPartition(sysfs.addDisk(sysfs.addDevice("1-2.4"), "sdc", 4096), "sdc1", 2048);
  UsbStick stick = sanDisk("FROMLIBUSB");
  stick.manufacturer = "Kingston";
  ASSERT_TRUE(mapToBlockDevice(stick, sysfs.root(), "/dev"));
  EXPECT_EQ(stick.manufacturer, "Kingston");
  EXPECT_EQ(stick.serial, "FROMLIBUSB");
  EXPECT_EQ(stick.partition, fs::path("/dev/sdc1"));
}

TEST(UsbBlockDevice, AStickWithoutPartitionTableIsUsedWhole) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  sysfs.addDisk(sysfs.addDevice("1-2.4"), "sdb", 8192);
  UsbStick stick = sanDisk();
  ASSERT_TRUE(mapToBlockDevice(stick, sysfs.root(), dir.path() / "dev"));
  EXPECT_EQ(stick.blockDevice, dir.path() / "dev/sdb");
  EXPECT_EQ(stick.partition, dir.path() / "dev/sdb");
  EXPECT_EQ(stick.sizeBytes, 8192ull * 512);
}

TEST(UsbBlockDevice, NoDiskYetOrNoDeviceIsNotMapped) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  sysfs.addDevice("1-2.4");  // the kernel has not finished its SCSI scan
  UsbStick stick = sanDisk();
  EXPECT_FALSE(mapToBlockDevice(stick, sysfs.root(), "/dev"));
  EXPECT_TRUE(stick.partition.empty());
  UsbStick elsewhere = sanDisk();
  elsewhere.portPath = "3";
  EXPECT_FALSE(mapToBlockDevice(elsewhere, sysfs.root(), "/dev"));
  EXPECT_TRUE(elsewhere.blockDevice.empty());
}

TEST(UsbBlockDevice, EachStickGetsItsOwnDisk) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  sysfs.addPartition(sysfs.addDisk(sysfs.addDevice("1-2.4"), "sdb", 4096), "sdb1", 4000);
  sysfs.addPartition(sysfs.addDisk(sysfs.addDevice("1-2.1"), "sdc", 8192), "sdc1", 8000);
  UsbStick first = sanDisk();
  UsbStick second = sanDisk();
  second.portPath = "2.1";
  ASSERT_TRUE(mapToBlockDevice(first, sysfs.root(), "/dev"));
  ASSERT_TRUE(mapToBlockDevice(second, sysfs.root(), "/dev"));
  EXPECT_EQ(first.partition, fs::path("/dev/sdb1"));
  EXPECT_EQ(second.partition, fs::path("/dev/sdc1"));
}

// Events injected by the test, as libusb would deliver them from its event thread.
class InjectedEvents : public UsbEventSource {
 public:
  bool start(UsbEventHandler handler, std::string& why) override {
    if (!refusal.empty()) {
      why = refusal;
      return false;
    }
    handler_ = std::move(handler);
    return true;
  }
  void arrive(const UsbStick& stick) { handler_({UsbEvent::Kind::Arrived, stick}); }
  void remove(const UsbStick& stick) { handler_({UsbEvent::Kind::Removed, stick}); }

  std::string refusal;

 private:
  UsbEventHandler handler_;
};

TEST(UsbEvents, AnArrivalAndARemovalReachTheListOfSticks) {
  harness::TempDir dir;
  FakeSysfs sysfs(dir.path() / "sys");
  sysfs.addPartition(sysfs.addDisk(sysfs.addDevice("1-2.4"), "sdb", 4096), "sdb1", 4000);
  auto source = std::make_unique<InjectedEvents>();
  InjectedEvents& events = *source;
  UsbSticks sticks(std::move(source), sysfs.root(), "/dev");
  ASSERT_TRUE(sticks.watching());
  EXPECT_TRUE(sticks.present().empty());
  const std::uint64_t before = sticks.changes();

  events.arrive(sanDisk());
  const auto present = sticks.present();
  ASSERT_EQ(present.size(), 1u);
  EXPECT_EQ(present[0].vendorId, 0x0781);
  EXPECT_EQ(present[0].partition, fs::path("/dev/sdb1"));  // mapped when asked
  EXPECT_GT(sticks.changes(), before);

  const std::uint64_t afterArrival = sticks.changes();
  events.remove(sanDisk());
  EXPECT_TRUE(sticks.present().empty());
  EXPECT_GT(sticks.changes(), afterArrival);
}

TEST(UsbEvents, RepeatedArrivalsAndUnknownRemovalsAreHarmless) {
  // libusb's ENUMERATE may report a device twice, or a departure without an arrival.
  auto source = std::make_unique<InjectedEvents>();
  InjectedEvents& events = *source;
  harness::TempDir dir;
  UsbSticks sticks(std::move(source), dir.path() / "no-sys", "/dev");
  events.arrive(sanDisk());
  events.arrive(sanDisk());
  EXPECT_EQ(sticks.present().size(), 1u);
  UsbStick other = sanDisk();
  other.portPath = "1";
  events.remove(other);
  ASSERT_EQ(sticks.present().size(), 1u);
  EXPECT_TRUE(sticks.present()[0].partition.empty());  // no disk in this sysfs
}

TEST(UsbEvents, ASourceThatCannotWatchSaysWhy) {
  auto source = std::make_unique<InjectedEvents>();
  source->refusal = "this system's libusb cannot report USB sticks arriving and leaving";
  UsbSticks sticks(std::move(source));
  EXPECT_FALSE(sticks.watching());
  EXPECT_EQ(sticks.problem(), "this system's libusb cannot report USB sticks arriving and leaving");
  EXPECT_TRUE(sticks.present().empty());
}

// A source whose own thread keeps delivering until it is destroyed.
class BusyEvents : public UsbEventSource {
 public:
  ~BusyEvents() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  bool start(UsbEventHandler handler, std::string&) override {
    thread_ = std::thread([this, handler = std::move(handler)] {
      UsbStick stick = sanDisk();
      for (unsigned n = 0; !stop_; ++n) {
        handler({n % 2 ? UsbEvent::Kind::Removed : UsbEvent::Kind::Arrived, stick});
        ++delivered;
      }
    });
    return true;
  }
  std::atomic<unsigned> delivered{0};

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(UsbEvents, TheListCanGoWhileEventsAreStillArriving) {
  auto source = std::make_unique<BusyEvents>();
  BusyEvents& events = *source;
  auto sticks = std::make_unique<UsbSticks>(std::move(source));
  // Events that stop arriving fail the test instead of spinning it forever.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (events.delivered < 1000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_GE(events.delivered, 1000u);
  EXPECT_LE(sticks->present().size(), 1u);
  sticks.reset();  // must stop the source before its state goes (ASan catches a use after free)
}

TEST(UsbHotplug, LibusbStartsAndStopsOnAMachineWithoutUsb) {
  // Debian's libusb has hotplug (through udev); in a container it starts and reports no
  // sticks. Where it cannot watch, it must say why instead of failing later.
  std::atomic<int> arrivals{0};
  std::atomic<int> strayRemovals{0};
  std::string why;
  bool started = false;
  {
    auto hotplug = libusbHotplug();
    started = hotplug->start(
        [&](const UsbEvent& event) {
          if (event.kind == UsbEvent::Kind::Arrived) {
            ++arrivals;
          } else if (arrivals == 0) {
            ++strayRemovals;
          }
        },
        why);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a turn of its event thread
  }  // the destructor stops the event thread and releases libusb
  if (started) {
    EXPECT_TRUE(why.empty()) << why;
    EXPECT_EQ(strayRemovals, 0);
    if (!fs::exists("/dev/bus/usb")) {
      EXPECT_EQ(arrivals, 0);
    }
  } else {
    EXPECT_FALSE(why.empty());
  }
}

TEST(UsbHotplug, AWatcherNeverStartedIsDestroyedCleanly) {
  EXPECT_NO_FATAL_FAILURE(libusbHotplug().reset());
}

}  // namespace
}  // namespace burnstation::mediawriter
