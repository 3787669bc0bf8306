// The DICOM Storage SCP and Verification SCP: one accept thread, one worker thread per
// association, every acknowledged instance durably in the store before its 0000.
#pragma once

#include <memory>

#include "burnstation/receiver/receiver_settings.h"

namespace burnstation::store {
class Store;
}

namespace burnstation::receiver {

class Receiver {
 public:
  Receiver(ReceiverSettings settings, store::Store& store);
  ~Receiver();  // stops and joins every thread
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  // Opens the port; throws ReceiverError. Returns the port actually bound (for port 0).
  int start();
  void stop();
  // New associations see the new settings; the port is only read by start().
  void updateSettings(const ReceiverSettings& settings);
  int activeAssociations() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace burnstation::receiver
