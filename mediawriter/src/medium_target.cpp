// The image-file and optical-drive targets (see medium_target.h): thin wrappers that give
// writeIsoImage and OpticalDrive the common check/write/verify shape.
#include "burnstation/mediawriter/medium_target.h"

#include "burnstation/mediawriter/media_error.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

const char* spelled(MediumState state) {
  switch (state) {
    case MediumState::Ready:
      return "ready";
    case MediumState::Absent:
      return "absent";
    case MediumState::Refused:
      return "refused";
    case MediumState::Erasable:
      return "erasable";
    case MediumState::Used:
      return "used";
  }
  return "unknown";
}

void MediumTarget::erase(const WriteProgress&) {
  throw MediaError(MediaError::Code::Io, "this medium cannot be erased");
}

void MediumTarget::release(const std::string&) {}

namespace {

class ImageFileTarget : public MediumTarget {
 public:
  explicit ImageFileTarget(fs::path image) : image_(std::move(image)) {}
  MediumStatus check(const MediumNeed&) override { return {MediumState::Ready, {}, 0}; }
  void write(const VolumeContent& content, const WriteProgress& progress) override {
    writeIsoImage(content, image_, progress);
  }
  VerificationReport verify() override { return verifyIsoImage(image_); }
  std::string writtenTo() const override { return image_.string(); }

 private:
  fs::path image_;
};

MediumState stateOf(MediaCheck::Verdict verdict) {
  switch (verdict) {
    case MediaCheck::Verdict::Blank:
      return MediumState::Ready;
    case MediaCheck::Verdict::Absent:
      return MediumState::Absent;
    case MediaCheck::Verdict::Erasable:
      return MediumState::Erasable;
    case MediaCheck::Verdict::Used:
      return MediumState::Used;
    case MediaCheck::Verdict::Written:
    case MediaCheck::Verdict::Unsuitable:
    case MediaCheck::Verdict::WrongType:
    case MediaCheck::Verdict::TooSmall:
      break;
  }
  return MediumState::Refused;
}

class OpticalTarget : public MediumTarget {
 public:
  OpticalTarget(std::string address, std::function<bool()> stop) : drive_(std::move(address)) {
    if (stop) drive_.stopWhen(std::move(stop));
  }

  MediumStatus check(const MediumNeed& need) override {
    MediaCheck check;
    try {
      check = drive_.check(need);
    } catch (const MediaError& e) {
      // A drive that cannot be grabbed now (another program, a tray moving) may be later.
      return {MediumState::Absent, e.what(), 0};
    }
    MediumStatus status{stateOf(check.verdict), check.reason, check.capacityBytes};
    // The medium this target wrote or failed on keeps the reason it was given back for.
    if (status.state == MediumState::Used && !refusedBecause_.empty()) {
      status.reason = refusedBecause_;
    }
    if (status.state != MediumState::Used) refusedBecause_.clear();
    return status;
  }
  void erase(const WriteProgress& progress) override { drive_.blank(progress); }
  void write(const VolumeContent& content, const WriteProgress& progress) override {
    drive_.write(content, progress);
  }
  VerificationReport verify() override {
    VerificationReport report;
    try {
      const auto reader = drive_.openForReading();
      // A pseudo-drive's file can also be read directly, on the second core.
      const auto second = drive_.pseudo() ? openImageFile(drive_.address().substr(6)) : nullptr;
      report = verifyMedium(*reader, second.get());
    } catch (const MediaError& e) {
      report.checks.push_back({"read", false, e.what()});
    }
    return report;
  }
  void release(const std::string& refusedBecause) override {
    refusedBecause_ = refusedBecause;
    drive_.eject();
  }
  std::string writtenTo() const override { return drive_.address(); }

 private:
  OpticalDrive drive_;
  std::string refusedBecause_;
};

}  // namespace

std::unique_ptr<MediumTarget> imageFileTarget(fs::path imageFile) {
  return std::make_unique<ImageFileTarget>(std::move(imageFile));
}

std::unique_ptr<MediumTarget> opticalTarget(std::string address, std::function<bool()> stop) {
  return std::make_unique<OpticalTarget>(std::move(address), std::move(stop));
}

}  // namespace burnstation::mediawriter
