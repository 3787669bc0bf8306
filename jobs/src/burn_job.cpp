// A burn job (see burn_job.h). Files that go on the medium unchanged are read straight from
// the store into the ISO stream: only the DICOMDIR, the manifest and re-encoded instances
// are made in the job's scratch folder.
#include "burnstation/jobs/burn_job.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "burnstation/dicomdir/file_set.h"
#include "burnstation/jobs/medium_wait.h"
#include "burnstation/mediawriter/checksum_manifest.h"
#include "burnstation/mediawriter/iso_volume.h"
#include "burnstation/mediawriter/media_error.h"
#include "burnstation/mediawriter/medium_target.h"
#include "burnstation/mediawriter/optical_drive.h"
#include "burnstation/mediawriter/verification.h"
#include "burnstation/station/disc_labels.h"
#include "burnstation/station/drive_choice.h"
#include "burnstation/station/medium_selection.h"
#include "burnstation/station/volume_planner.h"
#include "burnstation/store/counted.h"
#include "burnstation/store/file_modes.h"
#include "burnstation/store/store.h"
#include "burnstation/store/uid.h"

namespace burnstation::jobs {

using namespace burnstation::station;  // jobs run what the station library decides

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

class JobCancelled : public std::runtime_error {
 public:
  JobCancelled() : std::runtime_error("cancelled") {}
};

std::string discText(const store::JobVolume& v) {
  std::string text = "disc " + std::to_string(v.index) + " of " + std::to_string(v.of);
  if (v.copy > 1) text += ", copy " + std::to_string(v.copy);
  return text;
}

std::string imageName(std::int64_t job, const store::JobVolume& v) {
  char name[96];
  std::snprintf(name, sizeof name, "%lld-%dof%d-%d.iso", static_cast<long long>(job), v.index, v.of,
                v.copy);
  return name;
}

std::string firstFailure(const mediawriter::VerificationReport& report) {
  for (const auto& c : report.checks) {
    if (!c.ok) return c.name + ": " + c.detail;
  }
  return "nothing could be checked";
}

// Where a publisher with a printer would print REJECT on the refused disc (Philips
// 5.2.1.2.1.1.1). No printer driver exists yet; the refusal is logged for the admin.
void markRejected(const DriveChoice& drive, const std::string& reason) {
  std::fprintf(stderr, "burnstation: medium in %s rejected: %s\n", drive.name.c_str(),
               reason.c_str());
}

class BurnJob {
 public:
  BurnJob(store::Job job, store::JobQueue& queue, const StationConfig& config, SpaceLedger& space,
          std::stop_token stop)
      : job_(std::move(job)), queue_(queue), config_(config), space_(space), stop_(stop) {}

  void run();

 private:
  void freezeSelection(MediumSelection& medium);
  CapacityRequest capacityRequest() const;
  StationPlan planOrResume(const MediumSelection& medium, const PlanInput& input);
  void writeLabel(const store::Store& store, const MediumSelection& medium, const PlanInput& input,
                  const dicomdir::PlannedVolume& planned);
  void writeToImageDrive(const mediawriter::IsoVolumeContent& content, store::JobVolume& volume);
  void writeToDisc(mediawriter::MediumTarget& drive, const mediawriter::IsoVolumeContent& content,
                   store::JobVolume& volume);
  void waitForUsableMedium(mediawriter::MediumTarget& drive, const mediawriter::MediaNeed& need,
                           store::JobVolume& volume);
  void writeToStick(mediawriter::MediumTarget& stick, const mediawriter::IsoVolumeContent& content,
                    store::JobVolume& volume);
  void refuse(mediawriter::MediumTarget& drive, store::JobVolume& volume,
              const std::string& reason);
  MediumWait mediumWait() {
    return {stop_, [this] { checkCancel(); }, std::chrono::milliseconds(500), false, {}};
  }
  mediawriter::WriteProgress progressFor(store::JobVolume& volume);
  bool stopping() { return stop_.stop_requested() || queue_.cancelRequested(job_.id); }
  void checkCancel() {
    if (stopping()) throw JobCancelled();
  }

  store::Job job_;
  store::JobQueue& queue_;
  const StationConfig& config_;
  SpaceLedger& space_;
  std::stop_token stop_;
  DriveChoice drive_;
  ProfileSetting profile_;
  fs::path scratch_;
  std::string summary_;  // patient and studies, for the medium-created events
};

void BurnJob::freezeSelection(MediumSelection& medium) {
  const auto held = queue_.heldInstances(job_.id);
  if (held.empty()) return;  // a job queued without a list takes the selection as it is now
  std::set<std::string> wanted;
  for (const auto& h : held) wanted.insert(h.sopInstanceUid);
  store::Selection kept = medium.selection;
  kept.instances.clear();
  std::vector<dicomdir::MediaForm> forms;
  for (std::size_t i = 0; i < medium.selection.instances.size(); ++i) {
    const auto& in = medium.selection.instances[i];
    if (wanted.erase(in.sopInstanceUid)) {
      kept.instances.push_back(in);
      forms.push_back(medium.forms[i]);
    }
  }
  if (!wanted.empty()) {
    throw std::runtime_error(store::counted(wanted.size(), "instance") +
                             (wanted.size() == 1 ? " of this job is" : " of this job are") +
                             " no longer in the store, e.g. " + *wanted.begin());
  }
  medium.selection = std::move(kept);
  medium.forms = std::move(forms);
}

CapacityRequest BurnJob::capacityRequest() const {
  CapacityRequest asked;
  if (job_.request.capacity > 0) asked.requested = job_.request.capacity;
  asked.drive = drive_.capacity;
  return asked;
}

StationPlan BurnJob::planOrResume(const MediumSelection& medium, const PlanInput& input) {
  const auto held = queue_.heldInstances(job_.id);
  std::map<std::string, int> volumeOf;
  for (const auto& h : held) {
    if (h.volume > 0) volumeOf[h.sopInstanceUid] = h.volume;
  }
  const auto previous = queue_.job(job_.id);
  if (!volumeOf.empty() && previous && !previous->volumes.empty() &&
      volumeOf.size() == input.items.size()) {
    // Resuming after a restart: the same volumes, so discs already written stay valid.
    StationPlan resumed;
    dicomdir::VolumePlan& plan = resumed.plan;
    const int count = previous->volumes.front().of;
    plan.volumes.resize(static_cast<std::size_t>(count));
    for (int v = 0; v < count; ++v) {
      plan.volumes[static_cast<std::size_t>(v)].index = v + 1;
      plan.volumes[static_cast<std::size_t>(v)].of = count;
    }
    for (std::size_t i = 0; i < input.items.size(); ++i) {
      const auto found = volumeOf.find(input.items[i].sopInstanceUid);
      if (found == volumeOf.end() || found->second > count) return {};
      plan.volumes[static_cast<std::size_t>(found->second - 1)].items.push_back(i);
    }
    for (const auto& v : previous->volumes) {
      plan.volumes[static_cast<std::size_t>(v.index - 1)].bytes = v.bytesTotal;
    }
    for (const auto& v : plan.volumes) resumed.sizes.push_back({v.bytes, false, v.bytes});
    return resumed;
  }
  // The plan `plan` shows for this selection, made by the same planner with the same model
  // (re-encoded files at their upper bounds), so both agree on the number of discs. Sized
  // in the temporary directory as `plan` does: the data directory may be full, and the job
  // is then refused by its reservation with that reason.
  const StationPlan planned = planVolumesFor(
      medium, input, mediumCapacity(medium, capacityRequest()),
      exactVolumeSizer(medium, input, config_.receiver.aeTitle, fs::temp_directory_path()));
  const dicomdir::VolumePlan& plan = planned.plan;
  if (!plan.unplaceable.empty()) {
    throw std::runtime_error(store::printableUid(plan.unplaceable.front().sopInstanceUid) +
                             " cannot be placed: " + plan.unplaceable.front().reason);
  }
  std::vector<store::HeldInstance> assignment;
  for (const auto& v : plan.volumes) {
    for (std::size_t item : v.items)
      assignment.push_back({input.items[item].sopInstanceUid, v.index});
  }
  queue_.assignVolumes(job_.id, assignment);
  std::vector<store::JobVolume> volumes;
  for (int copy = 1; copy <= job_.request.copies; ++copy) {
    for (std::size_t v = 0; v < plan.volumes.size(); ++v) {
      store::JobVolume jv;
      jv.index = plan.volumes[v].index;
      jv.of = plan.volumes[v].of;
      jv.copy = copy;
      jv.state = store::JobState::Queued;
      jv.bytesTotal = planned.sizes[v].bytes;
      volumes.push_back(jv);
    }
  }
  queue_.setVolumes(job_.id, volumes);
  return planned;
}

mediawriter::WriteProgress BurnJob::progressFor(store::JobVolume& volume) {
  const auto started = Clock::now();
  auto last = started - std::chrono::seconds(1);
  return [this, &volume, started, last](std::uint64_t written, std::uint64_t total) mutable {
    const auto now = Clock::now();
    if (now - last < std::chrono::milliseconds(400) && written != total) return true;
    last = now;
    const double seconds = std::chrono::duration<double>(now - started).count();
    volume.bytesWritten = written;
    volume.bytesTotal = total;
    volume.bytesPerSecond = seconds > 0.2 ? static_cast<double>(written) / seconds : 0;
    volume.etaSeconds = volume.bytesPerSecond > 0
                            ? static_cast<std::int64_t>(static_cast<double>(total - written) /
                                                        volume.bytesPerSecond)
                            : -1;
    queue_.updateVolume(job_.id, volume);
    return !stopping();
  };
}

// A label that cannot be drawn costs the clerk a printed label, not the disc: logged only.
void BurnJob::writeLabel(const store::Store& store, const MediumSelection& medium,
                         const PlanInput& input, const dicomdir::PlannedVolume& planned) {
  const fs::path png = labelPath(config_.dataDir, job_.id, planned.index, planned.of);
  try {
    fs::create_directories(png.parent_path());
    store::makePrivate(png.parent_path());
    const auto drawn = mediawriter::renderDiscLabel(
        labelFor(store, medium, input, planned, config_.receiver.aeTitle), png);
    store::makePrivate(png);  // it carries the patient's name
    if (drawn.unknownGlyphs > 0) {
      std::fprintf(stderr, "burnstation: label %s: %d character(s) have no font\n", png.c_str(),
                   drawn.unknownGlyphs);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "burnstation: no label for job %lld: %s\n",
                 static_cast<long long>(job_.id), e.what());
  }
}

void BurnJob::writeToImageDrive(const mediawriter::IsoVolumeContent& content,
                                store::JobVolume& volume) {
  const fs::path image = config_.dataDir / "images" / imageName(job_.id, volume);
  const auto target = mediawriter::imageFileTarget(image);
  volume.state = store::JobState::Writing;
  volume.target = target->writtenTo();
  queue_.setState(job_.id, store::JobState::Writing, "writing " + discText(volume));
  target->write(content, progressFor(volume));
  store::makePrivate(image);
  if (!config_.jobs.verify) return;
  volume.state = store::JobState::Verifying;
  queue_.updateVolume(job_.id, volume);
  queue_.setState(job_.id, store::JobState::Verifying, "checking " + discText(volume));
  const auto report = target->verify();
  if (!report.ok()) {
    // An image file is not a medium to change: the disk under it is failing.
    throw std::runtime_error("the image of " + discText(volume) +
                             " does not read back as written: " + firstFailure(report));
  }
}

void BurnJob::writeToStick(mediawriter::MediumTarget& stick,
                           const mediawriter::IsoVolumeContent& content, store::JobVolume& volume) {
  const std::string copy = volume.copy > 1 ? " (copy " + std::to_string(volume.copy) + ")" : "";
  const auto told = [&](const mediawriter::MediumStatus& status, bool) {
    volume.state = store::JobState::WaitingForMedia;
    // No stick is not a refusal: there is nothing to take out.
    volume.rejectReason = status.state == mediawriter::MediumState::Absent ? "" : status.reason;
    queue_.updateVolume(job_.id, volume);
    queue_.setState(job_.id, store::JobState::WaitingForMedia,
                    "USB stick" + copy + ": " + status.reason);
  };
  for (;;) {
    waitForMedium(stick, {}, mediumWait(), told);
    volume.state = store::JobState::Writing;
    queue_.updateVolume(job_.id, volume);
    queue_.setState(job_.id, store::JobState::Writing, "writing the USB stick" + copy);
    try {
      stick.write(content, progressFor(volume));
    } catch (const mediawriter::MediaError& e) {
      // This stick cannot take the volume (full, another patient's): the wait reports why.
      if (e.code() == mediawriter::MediaError::Code::Refused) continue;
      throw;
    }
    const mediawriter::VerificationReport report = stick.verify();
    if (!report.ok()) {
      throw mediawriter::MediaError(
          mediawriter::MediaError::Code::Io,
          "the stick does not read back as written (" + firstFailure(report) + ")");
    }
    break;
  }
  volume.target = stick.writtenTo();
  volume.bytesWritten = volume.bytesTotal;
  volume.rejectReason.clear();
  queue_.setState(job_.id, store::JobState::Writing,
                  "the stick" + copy + " is written and checked; it can be removed");
}

void BurnJob::refuse(mediawriter::MediumTarget& drive, store::JobVolume& volume,
                     const std::string& reason) {
  markRejected(drive_, reason);
  drive.release(reason);
  volume.state = store::JobState::WaitingForMedia;
  volume.rejectReason = reason;
  queue_.updateVolume(job_.id, volume);
  queue_.setState(job_.id, store::JobState::WaitingForMedia,
                  discText(volume) + ": " + reason + "; insert a blank disc");
}

void BurnJob::waitForUsableMedium(mediawriter::MediumTarget& drive,
                                  const mediawriter::MediaNeed& need, store::JobVolume& volume) {
  MediumWait how = mediumWait();
  how.mayErase = profile_.blankRewritable;
  how.erasing = [&] {
    queue_.setState(job_.id, store::JobState::Writing,
                    "erasing the rewritable disc for " + discText(volume));
  };
  waitForMedium(drive, need, how, [&](const mediawriter::MediumStatus& status, bool) {
    // Absent media is not refused: there is nothing to eject or mark. A refused disc taken
    // out leaves nothing to take out either, so its reason goes (the kiosk would otherwise
    // keep saying "already written — take it out" to a clerk facing an empty drive).
    if (status.state == mediawriter::MediumState::Absent) {
      volume.state = store::JobState::WaitingForMedia;
      volume.rejectReason.clear();
      queue_.updateVolume(job_.id, volume);
      queue_.setState(job_.id, store::JobState::WaitingForMedia,
                      discText(volume) + ": insert a blank disc");
      return;
    }
    // The medium this job just wrote or failed on: its reason is already on the volume.
    if (status.state == mediawriter::MediumState::Used && !volume.rejectReason.empty()) return;
    refuse(drive, volume, status.reason);
  });
}

void BurnJob::writeToDisc(mediawriter::MediumTarget& drive,
                          const mediawriter::IsoVolumeContent& content, store::JobVolume& volume) {
  mediawriter::MediaNeed need;
  need.bytes = mediawriter::isoImageBytes(content);
  need.family = discFamilyFor(profile_);
  need.pseudoFamily = discFamilyOf(drive_.media);
  // A pseudo-drive's medium is as big as configured, else as --capacity says.
  need.pseudoCapacity = drive_.capacity.value_or(job_.request.capacity);
  for (;;) {
    waitForUsableMedium(drive, need, volume);
    ++volume.attempts;
    volume.state = store::JobState::Writing;
    volume.target = drive.writtenTo();
    queue_.setState(job_.id, store::JobState::Writing, "writing " + discText(volume));
    try {
      drive.write(content, progressFor(volume));
    } catch (const mediawriter::MediaError& e) {
      if (e.code() == mediawriter::MediaError::Code::Cancelled) throw;
      refuse(drive, volume, std::string("writing failed: ") + e.what());
      continue;  // the same volume on the next medium
    }
    if (!config_.jobs.verify) {
      drive.release();
      return;
    }
    volume.state = store::JobState::Verifying;
    queue_.updateVolume(job_.id, volume);
    queue_.setState(job_.id, store::JobState::Verifying, "checking " + discText(volume));
    const mediawriter::VerificationReport report = drive.verify();
    if (report.ok()) {
      drive.release();
      volume.rejectReason.clear();
      return;
    }
    refuse(drive, volume, "the disc does not read back as written (" + firstFailure(report) + ")");
  }
}

void BurnJob::run() {
  scratch_ = config_.dataDir / "scratch" / ("job-" + std::to_string(job_.id));
  struct RemoveScratch {
    fs::path path;
    ~RemoveScratch() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } removeScratch{scratch_};
  // Re-encoded instances and DICOMDIRs hold patient data like the store does.
  fs::create_directories(scratch_);
  store::makePrivate(scratch_.parent_path());
  store::makePrivate(scratch_);
  const ProfileSetting* profile = config_.findProfile(job_.request.profile);
  if (!profile)
    throw std::runtime_error("profile \"" + job_.request.profile + "\" is no longer configured");
  profile_ = *profile;
  drive_ = chooseDrive(config_, job_.request.drive, profile_);

  // The runner reads through its own connection: the receiver owns the service's one.
  const store::Store store({config_.dataDir, 0, store::DuplicatePolicy::KeepStored},
                           store::Store::Access::ReadOnly);
  MediumSelection medium = resolveMediumSelection(config_, store, job_.request.patientKey,
                                                  job_.request.studies, job_.request.profile);
  freezeSelection(medium);
  if (const std::string unwritable = unwritableSummary(medium); !unwritable.empty()) {
    throw std::runtime_error(unwritable);
  }
  summary_ = "patient " + medium.selection.patientId + " (" + medium.selection.patientName + ")";

  // The previews this medium gets, rendered now where the background has not yet (so the
  // plan sizes them exactly).
  choosePreviewTier(medium, mediumCapacity(medium, capacityRequest()));
  renderMissingPreviews(medium, [this] { checkCancel(); });

  // Planned before re-encoding, with the upper bounds `plan` uses; the re-encoded files are
  // no larger than that.
  PlanInput input = planInputFor(medium);
  const StationPlan jobPlan = planOrResume(medium, input);
  const dicomdir::VolumePlan& plan = jobPlan.plan;
  if (plan.volumes.empty()) throw std::runtime_error("the job's plan cannot be taken up again");

  // Scratch holds what the plan says: re-encoded copies at their upper bounds, DICOMDIRs and
  // manifests; the image drive also keeps the image of every volume and copy still to write.
  ScratchNeed scratchNeed =
      scratchNeedFor(jobPlan, input, medium, job_.request.copies, drive_.kind == DriveKind::Image);
  if (drive_.kind == DriveKind::Image) {
    if (const auto current = queue_.job(job_.id)) {
      for (const auto& v : current->volumes) {
        if (v.state != store::JobState::Done) continue;  // its image is already there
        const std::uint64_t bytes = jobPlan.sizes[static_cast<std::size_t>(v.index - 1)].bytes;
        scratchNeed.images -= std::min(scratchNeed.images, bytes);
      }
    }
  }
  const std::uint64_t need = scratchNeed.total();
  if (std::string why = space_.reserve(config_.dataDir, need, config_.freeSpaceReserve);
      !why.empty()) {
    throw std::runtime_error(why);
  }
  struct Release {
    SpaceLedger& ledger;
    std::uint64_t bytes;
    ~Release() { ledger.release(bytes); }
  } release{space_, need};

  reencodeIntoScratch(medium, scratch_ / "reencoded", config_.receiver.aeTitle);
  input = planInputFor(medium);  // the same items, now at their real sizes
  fs::create_directories(config_.dataDir / "images");
  store::makePrivate(config_.dataDir / "images");

  std::unique_ptr<mediawriter::MediumTarget> optical;
  if (drive_.kind == DriveKind::Optical) {
    // A drive that never settles and an erase end when the job is cancelled or the service stops.
    optical = mediawriter::opticalTarget(drive_.address, [this] { return stopping(); });
  }
  std::unique_ptr<mediawriter::MediumTarget> stick;
  if (drive_.kind == DriveKind::Usb) {
    if (plan.volumes.size() > 1) {
      throw std::runtime_error("a USB job writes one file-set per stick; this selection needs " +
                               std::to_string(plan.volumes.size()) +
                               " (choose fewer studies or a larger --capacity)");
    }
    std::vector<std::size_t> indexes;
    for (std::size_t item : plan.volumes.front().items)
      indexes.push_back(input.selectionIndex[item]);
    mediawriter::StickSource source;
    if (drive_.address != kUsbDriveName) source.pseudo = drive_.address;
    source.allowlist = config_.usbAllowlist;
    source.mountParent = config_.dataDir / "mnt";
    // A stick that holds this patient's file-set already gets the studies added (FSU).
    stick =
        mediawriter::stickTarget(std::move(source), [this, &medium, indexes](const fs::path& root) {
          dicomdir::updateFileSet(medium.selection, indexes, medium.forms, root,
                                  config_.receiver.aeTitle);
        });
  }
  std::map<int, mediawriter::IsoVolumeContent> contents;  // copies share their volume's content
  const auto current = queue_.job(job_.id);
  std::vector<store::JobVolume> volumes =
      current ? current->volumes : std::vector<store::JobVolume>{};
  for (store::JobVolume& volume : volumes) {
    if (volume.state == store::JobState::Done) continue;  // written before a restart
    checkCancel();
    const auto& planned = plan.volumes[static_cast<std::size_t>(volume.index - 1)];
    volume.bytesWritten = 0;
    std::string fileSetId;
    if (!contents.count(volume.index)) {
      // Every copy of this volume is the same file-set, also after a restart.
      const std::string id =
          queue_.keepFileSetId(job_.id, volume.index, dicomdir::newFileSetId(volume.index));
      contents[volume.index] = volumeContentFor(medium, input, planned,
                                                scratch_ / ("VOL" + std::to_string(volume.index)),
                                                config_.receiver.aeTitle, true, id);
      if (profile_.label && !stick) writeLabel(store, medium, input, planned);
    }
    const auto& content = contents[volume.index];
    if (stick) {
      writeToStick(*stick, content, volume);
    } else {
      fileSetId = ", volume " + content.volumeId;
      if (optical) {
        writeToDisc(*optical, content, volume);
      } else {
        writeToImageDrive(content, volume);
      }
    }
    volume.state = store::JobState::Done;
    queue_.updateVolume(job_.id, volume);
    queue_.recordMedium(
        job_.id,
        summary_ + ", " + store::counted(planned.items.size(), "instance") + ", " +
            discText(volume) + fileSetId + ", drive " + drive_.name + " (" + volume.target +
            "), requested by " +
            (job_.request.requestedBy.empty() ? std::string("unknown") : job_.request.requestedBy));
  }
  std::string message = stick ? store::counted(job_.request.copies, "stick") +
                                    " written and verified; the last one can be removed"
                              : store::counted(plan.volumes.size(), "disc") + " x " +
                                    store::counted(job_.request.copies, "copy", "copies") +
                                    " written" + (config_.jobs.verify ? " and verified" : "");
  // Instances of these studies may also have arrived while the job ran.
  const MediumSelection now = resolveMediumSelection(config_, store, job_.request.patientKey,
                                                     job_.request.studies, job_.request.profile);
  const int lateArrivals = static_cast<int>(now.selection.instances.size()) -
                           static_cast<int>(medium.selection.instances.size());
  if (lateArrivals > 0) {
    message += "; " + store::counted(lateArrivals, "instance") +
               " arrived after the job was queued and " + (lateArrivals == 1 ? "is" : "are") +
               " not on these discs";
  }
  queue_.setState(job_.id, store::JobState::Done, message);
}

}  // namespace

std::string SpaceLedger::reserve(const fs::path& dataDir, std::uint64_t bytes,
                                 std::uint64_t floor) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  const auto space = fs::space(dataDir, ec);
  if (ec) return "cannot see the free space of " + dataDir.string() + ": " + ec.message();
  const std::uint64_t available = space.available > reserved_ ? space.available - reserved_ : 0;
  if (available < bytes + floor) {
    return "not enough free space in " + dataDir.string() + ": the job needs about " +
           std::to_string(bytes / 1'000'000) + " MB and the store keeps " +
           std::to_string(floor / 1'000'000) + " MB free for receiving; " +
           std::to_string(available / 1'000'000) + " MB are available";
  }
  reserved_ += bytes;
  return {};
}

void SpaceLedger::release(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  reserved_ -= std::min(reserved_, bytes);
}

void runBurnJob(store::Job job, store::JobQueue& queue, const StationConfig& config,
                SpaceLedger& space, std::stop_token stop) {
  const std::int64_t id = job.id;
  const auto interrupted = [&] {
    if (!stop.stop_requested()) return false;
    queue.setState(id, store::JobState::Queued,
                   "interrupted by a stop of the service; it resumes when the service starts");
    return true;
  };
  try {
    BurnJob(std::move(job), queue, config, space, stop).run();
  } catch (const JobCancelled&) {
    if (!interrupted()) queue.setState(id, store::JobState::Cancelled, "cancelled by request");
  } catch (const mediawriter::MediaError& e) {
    const bool cancelled = e.code() == mediawriter::MediaError::Code::Cancelled;
    if (cancelled && interrupted()) return;
    queue.setState(id, cancelled ? store::JobState::Cancelled : store::JobState::Failed,
                   cancelled ? "cancelled by request" : e.what());
  } catch (const std::exception& e) {
    queue.setState(id, store::JobState::Failed, e.what());
  } catch (...) {
    queue.setState(id, store::JobState::Failed, "stopped by an unknown error");
  }
}

}  // namespace burnstation::jobs
