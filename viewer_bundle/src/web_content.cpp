// Builds one volume's web content (see web_content.h): reads every instance's facts, takes or
// renders its previews, names everything on the medium and writes the generated files.
#include "burnstation/viewer_bundle/web_content.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <stdexcept>

#include "viewer_files.h"
#include "volume_view.h"
#include "web_text.h"

namespace burnstation::viewer_bundle {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSector = 2048;

void makeFolder(const fs::path& dir) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

// A stand-in of a preview's estimated size, for sizing a plan before it is rendered: sparse,
// so it costs no disk.
fs::path placeholder(const fs::path& dir, const std::string& name, std::uint64_t bytes) {
  const fs::path file = dir / name;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot write " + file.string());
  }
  ::close(fd);
  return file;
}

RenderedInstance estimated(const PreviewSource& source, const InstanceFacts& facts,
                           PreviewTier tier, const fs::path& dir, const std::string& stem) {
  const auto specs = previewSpecs(tier, facts.modality);
  RenderedInstance out;
  if (specs.empty()) return out;
  const std::uint64_t total = PreviewCache::estimatedBytes(source, tier);
  const std::uint64_t files = specs.size() * static_cast<std::uint64_t>(facts.frames);
  const std::uint64_t each = files ? total / files : 0;
  for (const auto& spec : specs) {
    for (int frame = 1; frame <= facts.frames; ++frame) {
      const std::string name = stem + spec.prefix + std::to_string(frame);
      const int longer = std::max(facts.columns, facts.rows);
      const double scale = longer > spec.size ? double(spec.size) / longer : 1.0;
      out.images.push_back({spec.prefix, frame, placeholder(dir, name, each), each,
                            static_cast<int>(facts.columns * scale),
                            static_cast<int>(facts.rows * scale)});
    }
  }
  return out;
}

}  // namespace

int SeriesView::images() const {
  int n = 0;
  for (const auto& in : instances) n += in.rendered.images.empty() ? 0 : in.facts.frames;
  return n;
}

std::string StudyView::modalities() const {
  std::string out;
  for (const auto& s : series) {
    const std::string& m = s.first().modality;
    if (m.empty() || ("\\" + out + "\\").find("\\" + m + "\\") != std::string::npos) continue;
    out += (out.empty() ? "" : "\\") + m;
  }
  return out;
}

int StudyView::instances() const {
  int n = 0;
  for (const auto& s : series) n += static_cast<int>(s.instances.size());
  return n;
}

std::string imagePath(const SeriesView& series, char prefix, int image) {
  return series.folder + "/" + numbered(prefix, image) + ".JPG";
}

WebSizes webSizes(bool web) {
  WebSizes sizes;
  if (!web) {
    sizes.perVolume = 16 * kSector;  // README.TXT, and its directory records
    return sizes;
  }
  for (const auto& f : viewerFiles()) sizes.perVolume += (f.size + kSector - 1) / kSector * kSector;
  // README.TXT, INDEX.HTM, IHE_PDI/INDEX.HTM and the folders of the three trees, with room for
  // many studies; each instance's own entries are counted per instance.
  sizes.perVolume += 96 * kSector;
  // An instance's object in VOLUME.JS (header fields, names) and its line on the series page,
  // and on average a series page and a thumbnail per instance are far less than this bound.
  sizes.perInstanceText = 3 * 1024;
  return sizes;
}

WebContent buildWebContent(const VolumeFacts& facts, const std::vector<VolumeInstance>& instances,
                           PreviewCache& previews, PreviewUse use, const fs::path& workDir,
                           const VideoRewrap& video) {
  makeFolder(workDir);
  WebContent content;
  VolumeView view;
  view.facts = facts;
  const fs::path estimates = workDir / "estimates";
  std::map<std::string, std::size_t> studyIndex;
  std::map<std::string, std::pair<std::size_t, std::size_t>> seriesIndex;
  int seriesCount = 0, documents = 0, videos = 0, placeholders = 0;
  for (const auto& in : instances) {
    InstanceView iv;
    iv.source = &in;
    try {
      iv.facts = readInstanceFacts(in.file);
    } catch (const std::exception& e) {
      // The file still goes on the medium; the pages say what could not be read.
      iv.facts.modality = in.modality;
      iv.note = e.what();
    }
    if (view.patientName.empty() && view.patientId.empty()) {
      view.patientName = iv.facts.patientName;
      view.patientId = iv.facts.patientId;
      view.birthDate = iv.facts.birthDate;
      view.sex = iv.facts.sex;
    }
    if (view.institution.empty()) view.institution = iv.facts.institution;
    auto [study, newStudy] = studyIndex.emplace(in.studyUid, view.studies.size());
    if (newStudy) view.studies.push_back({in.studyUid, {}});
    StudyView& sv = view.studies[study->second];
    auto [series, newSeries] =
        seriesIndex.emplace(in.seriesUid, std::make_pair(study->second, sv.series.size()));
    if (newSeries) {
      SeriesView s;
      s.ordinal = ++seriesCount;
      s.uid = in.seriesUid;
      s.folder = "IHE_PDI/" + numbered('S', s.ordinal);
      s.page = s.folder + ".HTM";
      sv.series.push_back(std::move(s));
    }
    auto& target = view.studies[series->second.first].series[series->second.second];
    iv.firstImage = 1;
    if (!target.instances.empty()) {
      const auto& last = target.instances.back();
      iv.firstImage = last.firstImage + last.facts.frames;
    }
    if (facts.web && facts.tier != PreviewTier::None && iv.facts.kind == ObjectKind::Image) {
      const PreviewSource source{in.file, in.studyUid, in.sopInstanceUid, iv.facts.modality};
      try {
        if (use == PreviewUse::Render) {
          iv.rendered = previews.ensure(source, facts.tier);
        } else if (auto found = previews.lookup(source, facts.tier)) {
          iv.rendered = std::move(*found);
        } else {
          makeFolder(estimates);
          iv.rendered = estimated(source, iv.facts, facts.tier, estimates,
                                  std::to_string(++placeholders) + "_");
          content.exact = false;
        }
      } catch (const PreviewError& e) {
        // Shown without previews, with the reason; a store too full to keep them must not
        // stop the medium either.
        iv.note = std::string("no preview: ") + e.what();
      }
      for (const auto& image : iv.rendered.images) {
        if (image.prefix != 'T' && image.frame == 1) {
          iv.previewColumns = image.columns;
          iv.previewRows = image.rows;
          break;
        }
      }
    }
    if (facts.web && iv.facts.kind == ObjectKind::Pdf) {
      makeFolder(workDir / "PDF");
      const std::string name = numbered('D', documents + 1) + ".PDF";
      if (extractPdf(in.file, workDir / "PDF" / name)) {
        iv.document = "PDF/" + name;
        ++documents;
      }
    }
    if (facts.web && iv.facts.kind == ObjectKind::Video && video) {
      makeFolder(workDir / "VIDEO");
      const std::string name = numbered('V', videos + 1) + ".MP4";
      if (video(in.file, workDir / "VIDEO" / name)) {
        iv.video = "VIDEO/" + name;
        ++videos;
      }
    }
    target.instances.push_back(std::move(iv));
  }

  // Files that go on the medium: generated ones from workDir, previews from the cache.
  const auto add = [&content](std::string mediumPath, fs::path source) {
    content.files.push_back({std::move(mediumPath), std::move(source)});
  };
  const auto generate = [&](const std::string& mediumPath, const std::string& text) {
    const fs::path file = workDir / mediumPath;
    makeFolder(file.parent_path());
    writeWorkFile(file, text);
    add(mediumPath, file);
  };
  generate("README.TXT", readmeText(view));
  if (!facts.web) return content;

  for (auto& study : view.studies) {
    for (auto& series : study.series) {
      bool hasPreset[128] = {};
      const InstanceView* middle = nullptr;
      int images = 0;
      for (const auto& in : series.instances)
        images += in.rendered.images.empty() ? 0 : in.facts.frames;
      int seen = 0;
      for (const auto& in : series.instances) {
        for (const auto& image : in.rendered.images) {
          const int number = in.firstImage + image.frame - 1;
          add(imagePath(series, image.prefix, number), image.file);
          hasPreset[static_cast<unsigned char>(image.prefix) & 0x7F] = true;
        }
        if (!in.rendered.images.empty()) {
          seen += in.facts.frames;
          if (!middle && seen >= (images + 1) / 2) middle = &in;
        }
      }
      if (middle) {
        for (const auto& image : middle->rendered.images) {
          if (image.prefix == 'T' && image.frame == 1) {
            series.thumbnail = series.folder + "/THUMB.JPG";
            add(series.thumbnail, image.file);
            break;
          }
        }
      }
      for (const auto& spec : previewSpecs(facts.tier, series.first().modality)) {
        if (spec.prefix != 'T' && hasPreset[static_cast<unsigned char>(spec.prefix)]) {
          series.presets.push_back(spec);
        }
      }
      generate(series.page, seriesPage(view, study, series));
    }
  }
  for (const auto& in : view.studies) {
    for (const auto& series : in.series) {
      for (const auto& i : series.instances) {
        if (!i.document.empty()) add(i.document, workDir / i.document);
        if (!i.video.empty()) add(i.video, workDir / i.video);
      }
    }
  }
  generate("INDEX.HTM", indexPage(view));
  generate("IHE_PDI/INDEX.HTM", pdiIndexPage(view));
  for (const auto& f : viewerFiles()) {
    generate(f.mediumPath, std::string(reinterpret_cast<const char*>(f.data), f.size));
  }
  generate("VIEWER/VOLUME.JS", volumeScript(view));
  return content;
}

}  // namespace burnstation::viewer_bundle
