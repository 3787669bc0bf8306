// GET /jobs/{id}/labels/{volume}: the label PNG the burn job drew for a volume, for a
// reprint. The file's path is built only from the job's number and the volume's numbers as
// the queue knows them, never from the request's text.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

#include "burnstation/station/disc_labels.h"
#include "burnstation/station/drive_choice.h"
#include "burnstation/store/counted.h"
#include "job_resources.h"

namespace burnstation::jobs {

namespace {

// A label is a few hundred kilobytes; anything far larger is not one of ours.
constexpr off_t kMaxLabelBytes = 64 * 1024 * 1024;

class OpenLabel {
 public:
  explicit OpenLabel(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) {}
  ~OpenLabel() {
    if (fd_ >= 0) ::close(fd_);
  }
  OpenLabel(const OpenLabel&) = delete;
  OpenLabel& operator=(const OpenLabel&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// The file's bytes; nullopt when there is no such file.
std::optional<std::string> readLabel(const std::filesystem::path& path) {
  const OpenLabel file(path);
  if (file.fd() < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("the label " + path.filename().string() + " cannot be read");
  }
  struct stat st {};
  if (::fstat(file.fd(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxLabelBytes) {
    throw std::runtime_error("the label " + path.filename().string() + " is not a label image");
  }
  std::string bytes;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(file.fd(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw std::runtime_error("the label " + path.filename().string() + " cannot be read");
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > static_cast<std::size_t>(kMaxLabelBytes)) {
      throw std::runtime_error("the label " + path.filename().string() + " is not a label image");
    }
  }
  return bytes;
}

// Seconds since an ISO 8601 time with offset as the queue writes it
// ("2026-12-02T06:27:56.123+01:00"); nullopt when it cannot be read.
std::optional<double> secondsSince(const std::string& iso) {
  std::tm t{};
  int consumed = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &t.tm_year, &t.tm_mon, &t.tm_mday,
                  &t.tm_hour, &t.tm_min, &t.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  const std::size_t zone = iso.find_first_of("+-Z", static_cast<std::size_t>(consumed));
  long offset = 0;
  if (zone != std::string::npos && iso[zone] != 'Z') {
    int hours = 0, minutes = 0;
    if (std::sscanf(iso.c_str() + zone + 1, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
    offset = (iso[zone] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
  }
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  const std::time_t utc = ::timegm(&t) - offset;
  return std::difftime(std::time(nullptr), utc);
}

}  // namespace

ApiResponse jobLabel(ApiContext& context, const ApiRequest& request) {
  const std::int64_t id = jobIdParam(request);
  const station::StationConfig config = context.config();
  store::JobQueue queue(config.dataDir);
  const store::Job job = existingJob(queue, id);
  const std::string text = request.params.count("volume") ? request.params.at("volume") : "";
  if (job.volumes.empty()) {
    throw ApiError(http::kNotFound,
                   "job " + std::to_string(id) + " has not been planned yet, so it has no labels");
  }
  const int volumes = job.volumes.front().of;
  const auto volume = wholeNumberParam(text, volumes);
  if (!volume) {
    throw ApiError(http::kNotFound, "job " + std::to_string(id) + " has " +
                                        store::counted(volumes, "disc") + "; there is no disc \"" +
                                        shownParam(text) + "\"");
  }
  const int index = static_cast<int>(*volume);
  if (auto png = readLabel(station::labelPath(config.dataDir, id, index, volumes))) {
    return ApiResponse::bytes(std::move(*png), "image/png");
  }
  const std::string which =
      "the label of disc " + std::to_string(index) + " of " + std::to_string(volumes);
  if (const station::ProfileSetting* profile = config.findProfile(job.request.profile);
      profile && !profile->label) {
    throw ApiError(http::kNotFound,
                   which + " was never drawn: profile \"" + profile->name + "\" draws no labels");
  } else if (profile && station::isUsbProfile(*profile)) {
    throw ApiError(http::kNotFound, which + " was never drawn: USB sticks get no printed label");
  }
  bool written = false;
  for (const store::JobVolume& v : job.volumes) {
    written = written || (v.index == index && v.state == store::JobState::Done);
  }
  const auto age = secondsSince(job.updated);
  const double keep = config.jobs.keepImagesHours * 3600.0;
  if (store::isTerminal(job.state) && written && age && *age >= keep) {
    throw ApiError(http::kNotFound, which + " was removed after " +
                                        std::to_string(config.jobs.keepImagesHours) +
                                        " hours, as finished jobs' labels are");
  }
  if (!written && !store::isTerminal(job.state)) {
    throw ApiError(http::kNotFound,
                   which + " is not drawn yet; it is drawn before the disc is written");
  }
  throw ApiError(http::kNotFound, which + " was " +
                                      (written ? "not kept (the service's log says why)"
                                               : "never drawn: the disc was not written"));
}

}  // namespace burnstation::jobs
