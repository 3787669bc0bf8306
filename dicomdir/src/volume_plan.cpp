// Greedy volume planning (see volume_plan.h). A study goes whole into the current volume
// when it fits; otherwise its series do, one by one; a series that does not fit the rest
// of the volume starts the next one if it fits an empty volume, and is split instance by
// instance only when it does not. If that preference would need more than one volume
// beyond the minimum, the plan is redone splitting series wherever the volume is full.
#include "burnstation/dicomdir/volume_plan.h"

#include <set>
#include <stdexcept>

namespace burnstation::dicomdir {
namespace {

constexpr std::uint64_t kMaxFileBytes =
    (std::uint64_t{1} << 32) - 1;  // ISO 9660 without multi-extent

std::uint64_t sectors(std::uint64_t bytes) {
  return (bytes + kSectorBytes - 1) / kSectorBytes;
}

// Running size of one volume under the model.
class VolumeFill {
 public:
  explicit VolumeFill(const VolumeSizeModel& m) : model_(m) {}

  std::uint64_t bytesWith(const std::vector<PlanItem>& items, std::size_t from,
                          std::size_t to) const {
    std::uint64_t files = fileSectors_, loose = looseBytes_;
    std::set<std::string> series = series_, studies = studies_;
    for (std::size_t i = from; i < to; ++i) {
      files += sectors(items[i].bytes);
      loose += model_.perFileBytes;
      if (series.insert(items[i].seriesUid).second) loose += model_.perFolderBytes;
      if (studies.insert(items[i].studyUid).second) loose += model_.perFolderBytes;
    }
    // Patient and DICOM folders: two more.
    return (files +
            sectors(model_.fixedBytes + model_.reservedBytes + 2 * model_.perFolderBytes + loose)) *
           kSectorBytes;
  }

  void add(const std::vector<PlanItem>& items, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      fileSectors_ += sectors(items[i].bytes);
      looseBytes_ += model_.perFileBytes;
      if (series_.insert(items[i].seriesUid).second) looseBytes_ += model_.perFolderBytes;
      if (studies_.insert(items[i].studyUid).second) looseBytes_ += model_.perFolderBytes;
    }
  }

  bool empty() const { return fileSectors_ == 0 && studies_.empty(); }

 private:
  const VolumeSizeModel& model_;
  std::uint64_t fileSectors_ = 0;
  std::uint64_t looseBytes_ = 0;
  std::set<std::string> series_, studies_;
};

struct Run {
  std::size_t from, to;
};

// Consecutive items sharing a study (level 0) or a series (level 1).
std::vector<Run> runs(const std::vector<PlanItem>& items, const std::vector<std::size_t>& order,
                      std::size_t from, std::size_t to, bool bySeries) {
  std::vector<Run> out;
  for (std::size_t i = from; i < to;) {
    std::size_t j = i + 1;
    const PlanItem& first = items[order[i]];
    while (j < to && (bySeries ? items[order[j]].seriesUid == first.seriesUid
                               : items[order[j]].studyUid == first.studyUid)) {
      ++j;
    }
    out.push_back({i, j});
    i = j;
  }
  return out;
}

class Planner {
 public:
  Planner(const std::vector<PlanItem>& all, std::vector<std::size_t> order, std::uint64_t capacity,
          const VolumeSizeModel& model, bool keepSeriesWhole)
      : all_(all),
        order_(std::move(order)),
        capacity_(capacity),
        model_(model),
        keepSeriesWhole_(keepSeriesWhole) {
    for (std::size_t i : order_) items_.push_back(all_[i]);
  }

  std::vector<std::vector<std::size_t>> run() {
    open();
    for (const Run& study : runs(all_, order_, 0, order_.size(), false)) {
      if (fits(study)) {
        take(study);
        continue;
      }
      if (!current_->empty() && fitsEmpty(study)) {
        // The whole study fits a medium of its own; keep it together there.
        open();
        take(study);
        continue;
      }
      for (const Run& series : runs(all_, order_, study.from, study.to, true)) placeSeries(series);
    }
    if (volumes_.back().empty()) volumes_.pop_back();
    return volumes_;
  }

 private:
  void open() {
    volumes_.emplace_back();
    fill_.emplace_back(model_);
    current_ = &fill_.back();
  }
  bool fits(const Run& r) const { return current_->bytesWith(items_, r.from, r.to) <= capacity_; }
  bool fitsEmpty(const Run& r) const {
    return VolumeFill(model_).bytesWith(items_, r.from, r.to) <= capacity_;
  }
  void take(const Run& r) {
    current_->add(items_, r.from, r.to);
    for (std::size_t i = r.from; i < r.to; ++i) volumes_.back().push_back(order_[i]);
  }
  void placeSeries(const Run& series) {
    if (fits(series)) return take(series);
    if (keepSeriesWhole_ && fitsEmpty(series)) {
      open();
      return take(series);
    }
    for (std::size_t i = series.from; i < series.to; ++i) {
      const Run one{i, i + 1};
      if (!fits(one)) open();
      take(one);
    }
  }

  const std::vector<PlanItem>& all_;
  std::vector<std::size_t> order_;
  std::vector<PlanItem> items_;  // items in planning order, indexed like order_
  std::uint64_t capacity_;
  const VolumeSizeModel& model_;
  bool keepSeriesWhole_;
  std::vector<std::vector<std::size_t>> volumes_;
  std::vector<VolumeFill> fill_;
  VolumeFill* current_ = nullptr;
};

}  // namespace

VolumePlan planVolumes(const std::vector<PlanItem>& items, std::uint64_t capacityBytes,
                       const VolumeSizeModel& model) {
  VolumePlan plan;
  plan.capacityBytes = capacityBytes / kSectorBytes * kSectorBytes;
  const std::uint64_t fixed = VolumeFill(model).bytesWith(items, 0, 0);
  if (plan.capacityBytes <= fixed) {
    throw std::invalid_argument("a capacity of " + std::to_string(capacityBytes) +
                                " bytes cannot hold a volume's fixed content (" +
                                std::to_string(fixed) + " bytes)");
  }
  std::vector<std::size_t> placeable;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const PlanItem& item = items[i];
    if (item.bytes > kMaxFileBytes) {
      plan.unplaceable.push_back(
          {item.sopInstanceUid, "file of 4 GiB or more (ISO 9660 and FAT32 limit)"});
    } else if (VolumeFill(model).bytesWith(items, i, i + 1) > plan.capacityBytes) {
      plan.unplaceable.push_back({item.sopInstanceUid, "larger than the medium (" +
                                                           std::to_string(item.bytes) + " bytes)"});
    } else {
      placeable.push_back(i);
      total += sectors(item.bytes) * kSectorBytes + model.perFileBytes;
    }
  }
  if (placeable.empty()) return plan;
  const std::uint64_t usable = plan.capacityBytes - fixed;
  plan.minimumVolumes = static_cast<int>((total + usable - 1) / usable);

  auto volumes = Planner(items, placeable, plan.capacityBytes, model, true).run();
  if (static_cast<int>(volumes.size()) > plan.minimumVolumes + 1) {
    volumes = Planner(items, placeable, plan.capacityBytes, model, false).run();
  }
  const int count = static_cast<int>(volumes.size());
  for (int v = 0; v < count; ++v) {
    PlannedVolume volume;
    volume.index = v + 1;
    volume.of = count;
    volume.items = volumes[static_cast<std::size_t>(v)];
    VolumeFill fill(model);
    std::vector<PlanItem> mine;
    std::set<std::string> studies;
    for (std::size_t i : volume.items) {
      mine.push_back(items[i]);
      studies.insert(items[i].studyUid);
      if (items[i].transcoded) ++volume.transcoded;
    }
    volume.bytes = fill.bytesWith(mine, 0, mine.size());
    volume.studies = static_cast<int>(studies.size());
    plan.volumes.push_back(std::move(volume));
  }
  return plan;
}

}  // namespace burnstation::dicomdir
