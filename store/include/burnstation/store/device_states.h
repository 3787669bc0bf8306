// Drive and USB stick state, as the service's device watcher last saw it, for readers that
// must not grab a burner themselves (`drives`, the kiosk's API): one row per drive or stick.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace burnstation::store {

class SqliteDb;

struct DeviceState {
  std::string name;         // "images", a [[drive]] name, a discovered burner's name, "usb"
  std::string address;      // libburn address, images folder, stick partition
  std::string kind;         // "image", "optical", "usb"
  bool discovered = false;  // a burner libburn found that no [[drive]] names
  std::string mediaStatus;  // "blank", "absent", "written", "busy", "usable", ...
  std::string mediaType;
  std::uint64_t capacityBytes = 0;
  std::string reason;  // why the medium is refused or the drive unavailable
  // A stick refused only for its filesystem, which a format to FAT32 would mend; not one the
  // allowlist refuses, which no format makes allowed.
  bool formattable = false;
  std::string updated;  // ISO 8601 with offset; set when written
};

class DeviceStates {
 public:
  // The service creates the table (Store does); readers need an existing database.
  explicit DeviceStates(const std::filesystem::path& dataDir);
  ~DeviceStates();
  DeviceStates(const DeviceStates&) = delete;
  DeviceStates& operator=(const DeviceStates&) = delete;

  // The whole list at once, in one transaction: readers never see half of it.
  void replace(const std::vector<DeviceState>& devices);
  // In the order they were written.
  std::vector<DeviceState> all();

 private:
  std::unique_ptr<SqliteDb> db_;
};

// The table, for the store's schema migration.
void createDeviceTable(SqliteDb& db);

}  // namespace burnstation::store
