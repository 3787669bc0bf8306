// The folder target (see medium_target.h): what `export` writes, a file-set in a folder.
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/medium_target.h"
#include "folder_content.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

class FolderTarget : public MediumTarget {
 public:
  explicit FolderTarget(fs::path root) : root_(std::move(root)) {}

  MediumStatus check(const MediumNeed&) override {
    std::error_code ec;
    if (fs::exists(root_, ec) && !fs::is_empty(root_, ec)) {
      return {MediumState::Refused, root_.string() + " is not empty; choose an empty or new folder",
              0};
    }
    return {MediumState::Ready, {}, 0};
  }
  void write(const VolumeContent& content, const WriteProgress& progress) override {
    std::error_code ec;
    const bool existed = fs::exists(root_, ec);
    fs::create_directories(root_, ec);
    if (ec) {
      throw MediaError(MediaError::Code::Io,
                       "cannot create " + root_.string() + ": " + ec.message());
    }
    try {
      writeContentInto(content, root_, progress);
    } catch (...) {
      if (!existed) fs::remove(root_, ec);  // empty again: what was written is gone
      throw;
    }
  }
  VerificationReport verify() override { return verifyFileSetFolder(root_); }
  std::string writtenTo() const override { return root_.string(); }

 private:
  fs::path root_;
};

}  // namespace

std::unique_ptr<MediumTarget> folderTarget(fs::path root) {
  return std::make_unique<FolderTarget>(std::move(root));
}

}  // namespace burnstation::mediawriter
