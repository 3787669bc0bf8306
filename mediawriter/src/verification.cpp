// Read-back verification (see verification.h). The MD5s compared are the ones libisofs
// recorded when the image was made; the data is read again from the image itself.
#include "burnstation/mediawriter/verification.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <set>

#include "burnstation/dicomdir/file_set.h"
#include "iso_handles.h"

namespace burnstation::mediawriter {

namespace fs = std::filesystem;

namespace {

struct Md5 {
  void* context = nullptr;
  Md5() { iso_md5_start(&context); }
  ~Md5() {
    if (context) {
      char ignored[16];
      iso_md5_end(&context, ignored);
    }
  }
  void add(const char* data, int length) {
    iso_md5_compute(context, const_cast<char*>(data), length);
  }
  std::array<char, 16> finish() {
    std::array<char, 16> digest{};
    iso_md5_end(&context, digest.data());
    context = nullptr;
    return digest;
  }
};

// MD5 of blocks [start, end) of the image file, read past the page cache where it can be.
bool sessionMd5(const fs::path& image, uint32_t start, uint32_t end, std::array<char, 16>& out) {
  const int fd = ::open(image.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  Md5 md5;
  std::vector<char> buffer(64 * 2048);
  off_t position = static_cast<off_t>(start) * 2048;
  const off_t last = static_cast<off_t>(end) * 2048;
  bool ok = true;
  while (position < last) {
    const auto want = static_cast<std::size_t>(std::min<off_t>(buffer.size(), last - position));
    const ssize_t n = ::pread(fd, buffer.data(), want, position);
    if (n <= 0) {
      ok = false;
      break;
    }
    md5.add(buffer.data(), static_cast<int>(n));
    position += n;
  }
  ::close(fd);
  out = md5.finish();
  return ok;
}

// Walks the tree: checks every file's recorded MD5 and collects the paths of all files.
void walk(IsoImage* image, IsoDir* dir, const std::string& path, std::set<std::string>& files,
          int& checked, std::vector<std::string>& bad) {
  IsoDirIter* raw = nullptr;
  if (iso_dir_get_children(dir, &raw) < 0) return;
  DirIter iter(raw);
  IsoNode* node = nullptr;
  while (iso_dir_iter_next(iter.get(), &node) == 1) {
    const std::string name = path + "/" + iso_node_get_name(node);
    if (iso_node_get_type(node) == LIBISO_DIR) {
      walk(image, reinterpret_cast<IsoDir*>(node), name, files, checked, bad);
      continue;
    }
    if (iso_node_get_type(node) != LIBISO_FILE) continue;
    files.insert(name.substr(1));
    auto* file = reinterpret_cast<IsoFile*>(node);
    char recorded[16];
    if (iso_file_get_md5(image, file, recorded, 0) != 1) {
      bad.push_back(name + ": no MD5 recorded");
      continue;
    }
    IsoStream* stream = iso_file_get_stream(file);
    if (iso_stream_open(stream) < 0) {
      bad.push_back(name + ": unreadable");
      continue;
    }
    Md5 md5;
    std::vector<char> buffer(65536);
    int n;
    while ((n = iso_stream_read(stream, buffer.data(), buffer.size())) > 0)
      md5.add(buffer.data(), n);
    iso_stream_close(stream);
    auto digest = md5.finish();
    if (n < 0 || !iso_md5_match(recorded, digest.data())) {
      bad.push_back(name + (n < 0 ? ": read error" : ": MD5 mismatch"));
    }
    ++checked;
  }
}

std::string readWholeFile(IsoImage* image, const std::string& path) {
  IsoNode* node = nullptr;
  if (iso_image_path_to_node(image, path.c_str(), &node) != 1 ||
      iso_node_get_type(node) != LIBISO_FILE) {
    return {};
  }
  IsoStream* stream = iso_file_get_stream(reinterpret_cast<IsoFile*>(node));
  if (iso_stream_open(stream) < 0) return {};
  std::string bytes;
  std::vector<char> buffer(65536);
  int n;
  while ((n = iso_stream_read(stream, buffer.data(), buffer.size())) > 0)
    bytes.append(buffer.data(), n);
  iso_stream_close(stream);
  return bytes;
}

}  // namespace

VerificationReport verifyIsoImage(const fs::path& imagePath) {
  IsoLibrary::ensure();
  VerificationReport report;
  IsoDataSource* rawSource = nullptr;
  if (iso_data_source_new_from_file(fs::absolute(imagePath).c_str(), &rawSource) < 0) {
    report.checks.push_back({"image", false, "cannot open " + imagePath.string()});
    return report;
  }
  DataSource source(rawSource);
  IsoReadOpts* rawOptions = nullptr;
  check(iso_read_opts_new(&rawOptions, 0), "cannot create read options");
  ReadOptions options(rawOptions);
  iso_read_opts_set_no_aaip(rawOptions, 0);  // MD5 records live in AAIP
  iso_read_opts_set_no_md5(rawOptions, 2);
  IsoImage* rawImage = nullptr;
  check(iso_image_new("verify", &rawImage), "cannot create an image");
  Image image(rawImage);
  IsoReadImageFeatures* rawFeatures = nullptr;
  const int imported = iso_image_import(image.get(), source.get(), options.get(), &rawFeatures);
  Features features(rawFeatures);
  if (imported < 0) {
    report.checks.push_back(
        {"image", false,
         std::string("not a readable ISO 9660 image: ") + iso_error_to_msg(imported)});
    return report;
  }
  const char* volumeId = iso_image_get_volume_id(image.get());
  report.checks.push_back(
      {"image", true, std::string("ISO 9660 volume ") + (volumeId ? volumeId : "")});

  uint32_t start = 0, end = 0;
  char recorded[16];
  if (iso_image_get_session_md5(image.get(), &start, &end, recorded, 0) != 1) {
    report.checks.push_back({"session_md5", false, "no session MD5 recorded in the image"});
  } else {
    std::array<char, 16> actual{};
    const bool read = sessionMd5(imagePath, start, end, actual);
    const bool match = read && iso_md5_match(recorded, actual.data());
    report.checks.push_back(
        {"session_md5", match,
         match ? "blocks " + std::to_string(start) + " to " + std::to_string(end) + " match"
               : (read ? "MD5 mismatch: the medium differs from what was written"
                       : "the image is shorter than its session")});
  }

  std::set<std::string> files;
  int checked = 0;
  std::vector<std::string> bad;
  walk(image.get(), iso_image_get_root(image.get()), "", files, checked, bad);
  report.checks.push_back({"file_md5", bad.empty(),
                           bad.empty() ? std::to_string(checked) + " file(s) match their MD5"
                                       : std::to_string(bad.size()) + " bad: " + bad.front()});

  const std::string dicomdirBytes = readWholeFile(image.get(), "/DICOMDIR");
  if (dicomdirBytes.empty()) {
    report.checks.push_back({"file_set", false, "no DICOMDIR at the root of the image"});
    return report;
  }
  char temp[] = "/tmp/burnstation-verify-XXXXXX";
  if (!::mkdtemp(temp)) {
    report.checks.push_back({"file_set", false, "cannot make a temporary folder"});
    return report;
  }
  const fs::path dicomdirCopy = fs::path(temp) / "DICOMDIR";
  std::ofstream(dicomdirCopy, std::ios::binary) << dicomdirBytes;
  std::string missing;
  std::size_t referenced = 0;
  try {
    for (const auto& id : dicomdir::referencedFileIds(dicomdirCopy)) {
      ++referenced;
      if (!files.count(dicomdir::toPath(id))) missing = dicomdir::toPath(id);
    }
  } catch (const std::exception& e) {
    missing = e.what();
  }
  std::error_code ignored;
  fs::remove_all(temp, ignored);
  report.checks.push_back({"file_set", missing.empty() && referenced + 1 == files.size(),
                           missing.empty()
                               ? std::to_string(referenced) + " referenced file(s), " +
                                     std::to_string(files.size() - 1 - referenced) + " unreferenced"
                               : "referenced but absent: " + missing});
  return report;
}

VerificationReport verifyFileSetFolder(const fs::path& root) {
  VerificationReport report;
  const dicomdir::FileSetCheck check = dicomdir::checkFileSet(root);
  report.checks.push_back({"file_set", check.ok(),
                           check.ok() ? std::to_string(check.entries.size()) +
                                            " referenced file(s) present and matching"
                                      : check.problems.front()});
  return report;
}

}  // namespace burnstation::mediawriter
