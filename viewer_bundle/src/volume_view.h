// The volume as its web content presents it: studies, series and instances with their facts,
// previews and names on the medium. Built once by web_content.cpp, read by every page writer.
#pragma once

#include <string>
#include <vector>

#include "burnstation/viewer_bundle/preview_cache.h"
#include "burnstation/viewer_bundle/web_content.h"
#include "instance_facts.h"

namespace burnstation::viewer_bundle {

struct InstanceView {
  const VolumeInstance* source = nullptr;
  InstanceFacts facts;
  int firstImage = 1;                       // the series' image number of frame 1
  RenderedInstance rendered;                // empty without previews
  int previewColumns = 0, previewRows = 0;  // of its main ('P') rendering
  std::string document;                     // PDF/D0000001.PDF
  std::string video;                        // VIDEO/V0000001.MP4
  std::string note;                         // why it has no previews, where that is worth saying
};

struct SeriesView {
  int ordinal = 0;
  std::string uid, folder, page, thumbnail;  // medium paths; thumbnail empty when none
  std::vector<PreviewSpec> presets;          // the non-thumbnail renderings that exist
  std::vector<InstanceView> instances;
  const InstanceFacts& first() const { return instances.front().facts; }
  int images() const;
};

struct StudyView {
  std::string uid;
  std::vector<SeriesView> series;
  const InstanceFacts& first() const { return series.front().first(); }
  std::string modalities() const;
  int instances() const;
};

struct VolumeView {
  VolumeFacts facts;
  std::string patientName, patientId, birthDate, sex, institution;  // UTF-8
  std::vector<StudyView> studies;
  std::string label() const { return facts.web ? "DICOM PLUS WEB" : "DICOM ONLY"; }
};

// The medium path of one rendering of one image of a series.
std::string imagePath(const SeriesView& series, char prefix, int image);

// The generated text files (web_pages.cpp).
std::string readmeText(const VolumeView& volume);
std::string indexPage(const VolumeView& volume);
std::string pdiIndexPage(const VolumeView& volume);
std::string seriesPage(const VolumeView& volume, const StudyView& study, const SeriesView& series);
std::string volumeScript(const VolumeView& volume);

}  // namespace burnstation::viewer_bundle
