// USB sticks (see usb_stick.h). libusb gives identity and hotplug; the block device comes
// from sysfs because libusb does not know what the kernel's storage driver made of a device.
#include "burnstation/mediawriter/usb_stick.h"

#include <libusb-1.0/libusb.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

constexpr std::uint8_t kMassStorageClass = 0x08;

std::string hex4(std::uint16_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", value);
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string readLine(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// Owns the libusb context, the hotplug registration and the thread that delivers events.
class LibusbHotplug : public UsbEventSource {
 public:
  ~LibusbHotplug() override {
    stop_ = true;
    if (context_ && callback_) libusb_hotplug_deregister_callback(context_, callback_);
    if (thread_.joinable()) thread_.join();
    if (context_) libusb_exit(context_);
  }

  bool start(UsbEventHandler handler, std::string& why) override {
    handler_ = std::move(handler);
    if (const int r = libusb_init(&context_); r != 0) {
      context_ = nullptr;
      why = std::string("USB is not available: ") + libusb_strerror(r);
      return false;
    }
    if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
      why = "this system's libusb cannot report USB sticks arriving and leaving";
      return false;
    }
    const int r = libusb_hotplug_register_callback(
        context_,
        static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                          LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY, &LibusbHotplug::onEvent, this, &callback_);
    if (r != LIBUSB_SUCCESS) {
      why = std::string("cannot watch USB devices: ") + libusb_strerror(r);
      return false;
    }
    thread_ = std::thread([this] {
      while (!stop_) {
        timeval tv{0, 250000};
        // The handler runs in here; whatever it throws must not end the service.
        try {
          libusb_handle_events_timeout_completed(context_, &tv, nullptr);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "burnstation: USB event not handled: %s\n", e.what());
        } catch (...) {
          std::fprintf(stderr, "burnstation: USB event not handled: unknown error\n");
        }
      }
    });
    return true;
  }

 private:
  static int LIBUSB_CALL onEvent(libusb_context*, libusb_device* device, libusb_hotplug_event event,
                                 void* self) {
    static_cast<LibusbHotplug*>(self)->deliver(device, event);
    return 0;  // stay registered
  }

  void deliver(libusb_device* device, libusb_hotplug_event event) {
    UsbStick stick;
    stick.bus = libusb_get_bus_number(device);
    std::uint8_t ports[8];
    const int count = libusb_get_port_numbers(device, ports, sizeof ports);
    for (int i = 0; i < count; ++i) {
      // Appended piecewise: GCC 12 -O3 reports "." + std::string&& as -Wrestrict (a false
      // positive).
      if (i > 0) stick.portPath += '.';
      stick.portPath += std::to_string(ports[i]);
    }
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) {
      const auto known = known_.find(stick.sysfsName());
      if (known == known_.end()) return;  // not a stick we reported
      handler_({UsbEvent::Kind::Removed, known->second});
      known_.erase(known);
      return;
    }
    libusb_device_descriptor descriptor{};
    if (libusb_get_device_descriptor(device, &descriptor) != 0 || !isMassStorage(device)) return;
    stick.vendorId = descriptor.idVendor;
    stick.productId = descriptor.idProduct;
    // Strings need the device opened, which may be refused; sysfs has them too.
    libusb_device_handle* handle = nullptr;
    if (libusb_open(device, &handle) == 0) {
      stick.manufacturer = stringOf(handle, descriptor.iManufacturer);
      stick.product = stringOf(handle, descriptor.iProduct);
      stick.serial = stringOf(handle, descriptor.iSerialNumber);
      libusb_close(handle);
    }
    known_[stick.sysfsName()] = stick;
    handler_({UsbEvent::Kind::Arrived, stick});
  }

  static bool isMassStorage(libusb_device* device) {
    libusb_config_descriptor* config = nullptr;
    if (libusb_get_active_config_descriptor(device, &config) != 0 &&
        libusb_get_config_descriptor(device, 0, &config) != 0) {
      return false;
    }
    bool storage = false;
    for (int i = 0; i < config->bNumInterfaces && !storage; ++i) {
      for (int a = 0; a < config->interface[i].num_altsetting; ++a) {
        if (config->interface[i].altsetting[a].bInterfaceClass == kMassStorageClass) storage = true;
      }
    }
    libusb_free_config_descriptor(config);
    return storage;
  }

  static std::string stringOf(libusb_device_handle* handle, std::uint8_t index) {
    if (index == 0) return {};
    unsigned char text[256] = {};
    const int n = libusb_get_string_descriptor_ascii(handle, index, text, sizeof text);
    return n > 0 ? std::string(reinterpret_cast<char*>(text), static_cast<std::size_t>(n)) : "";
  }

  libusb_context* context_ = nullptr;
  libusb_hotplug_callback_handle callback_ = 0;
  UsbEventHandler handler_;
  std::map<std::string, UsbStick> known_;  // touched only on the event thread
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Reports its image files once, as present from the start; they never leave.
class ImageSticks : public UsbEventSource {
 public:
  explicit ImageSticks(std::vector<fs::path> images) : images_(std::move(images)) {}

  bool start(UsbEventHandler handler, std::string&) override {
    int number = 0;
    for (const fs::path& image : images_) {
      std::error_code ec;
      if (!fs::is_regular_file(image, ec)) continue;
      UsbStick stick;
      stick.portPath = std::to_string(++number);
      stick.productId = static_cast<std::uint16_t>(number);
      stick.manufacturer = "Test";
      stick.product = "image stick";
      stick.blockDevice = image;
      stick.partition = image;
      stick.sizeBytes = fs::file_size(image, ec);
      handler({UsbEvent::Kind::Arrived, stick});
    }
    return true;
  }

 private:
  std::vector<fs::path> images_;
};

}  // namespace

std::unique_ptr<UsbEventSource> imageSticks(const std::vector<fs::path>& images) {
  return std::make_unique<ImageSticks>(images);
}

std::string stickIdOf(const std::string& address) {
  return fs::path(address).filename().string();
}

std::string UsbStick::describe() const {
  std::string name = manufacturer;
  if (!product.empty()) name += (name.empty() ? "" : " ") + product;
  if (name.empty()) name = "USB stick";
  name += " (" + hex4(vendorId) + ":" + hex4(productId);
  // Decimal units, as the stick's packaging states them; a small stick in MB, not "0 GB".
  if (sizeBytes >= 999'500'000)
    name += ", " + std::to_string((sizeBytes + 500'000'000) / 1'000'000'000) + " GB";
  else if (sizeBytes > 0)
    name += ", " + std::to_string((sizeBytes + 500'000) / 1'000'000) + " MB";
  return name + ")";
}

std::unique_ptr<UsbEventSource> libusbHotplug() {
  return std::make_unique<LibusbHotplug>();
}

bool allowedByList(const UsbStick& stick, const std::vector<std::string>& allowlist) {
  if (allowlist.empty()) return true;
  const std::string id = hex4(stick.vendorId) + ":" + hex4(stick.productId);
  for (const std::string& entry : allowlist) {
    const std::string e = lower(entry);
    if (e == id) return true;
    if (e.size() > 10 && e.substr(0, 9) == id && entry.substr(10) == stick.serial) return true;
  }
  return false;
}

bool mapToBlockDevice(UsbStick& stick, const fs::path& sysfsRoot, const fs::path& devRoot) {
  const fs::path device = sysfsRoot / "bus/usb/devices" / stick.sysfsName();
  std::error_code ec;
  if (!fs::exists(device, ec)) return false;
  if (stick.serial.empty()) stick.serial = readLine(device / "serial");
  if (stick.manufacturer.empty()) stick.manufacturer = readLine(device / "manufacturer");
  if (stick.product.empty()) stick.product = readLine(device / "product");
  // The storage driver hangs the disk below the interface: .../host*/target*/*/block/sdX.
  for (auto it = fs::recursive_directory_iterator(
           device, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it.depth() > 8) it.disable_recursion_pending();
    if (it->path().filename() != "block" || !it->is_directory(ec)) continue;
    for (const auto& disk : fs::directory_iterator(it->path(), ec)) {
      const std::string name = disk.path().filename().string();
      stick.blockDevice = devRoot / name;
      stick.partition = stick.blockDevice;  // a "superfloppy" without a partition table
      std::uint64_t sectors = 0;
      try {
        sectors = std::stoull(readLine(disk.path() / "size"));
      } catch (const std::exception&) {
      }
      for (const char* suffix : {"1", "p1"}) {
        const fs::path first = disk.path() / (name + suffix);
        if (fs::exists(first / "partition", ec)) {
          stick.partition = devRoot / (name + suffix);
          try {
            sectors = std::stoull(readLine(first / "size"));
          } catch (const std::exception&) {
          }
          break;
        }
      }
      stick.sizeBytes = sectors * 512;  // sysfs counts 512-byte sectors whatever the device's
      return true;
    }
  }
  return false;
}

struct UsbSticks::State {
  std::mutex mutex;
  std::map<std::string, UsbStick> sticks;
  std::uint64_t changes = 0;
};

UsbSticks::UsbSticks(std::unique_ptr<UsbEventSource> source, fs::path sysfsRoot, fs::path devRoot)
    : state_(std::make_shared<State>()),
      source_(std::move(source)),
      sysfsRoot_(std::move(sysfsRoot)),
      devRoot_(std::move(devRoot)) {
  std::weak_ptr<State> state = state_;
  watching_ = source_->start(
      [state](const UsbEvent& event) {
        const auto s = state.lock();
        if (!s) return;
        std::lock_guard lock(s->mutex);
        if (event.kind == UsbEvent::Kind::Arrived) {
          s->sticks[event.stick.sysfsName()] = event.stick;
        } else {
          s->sticks.erase(event.stick.sysfsName());
        }
        ++s->changes;
      },
      problem_);
}

UsbSticks::~UsbSticks() {
  source_.reset();  // stops events before the state goes
}

std::vector<UsbStick> UsbSticks::present() {
  std::vector<UsbStick> out;
  {
    std::lock_guard lock(state_->mutex);
    for (const auto& [name, stick] : state_->sticks) out.push_back(stick);
  }
  for (UsbStick& stick : out) mapToBlockDevice(stick, sysfsRoot_, devRoot_);
  return out;
}

std::uint64_t UsbSticks::changes() {
  std::lock_guard lock(state_->mutex);
  return state_->changes;
}

}  // namespace burnstation::mediawriter
