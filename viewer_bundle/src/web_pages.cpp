// README.TXT, the IHE PDI pages (XHTML without scripts) and the viewer's VOLUME.JS of one
// volume (see volume_view.h and DESIGN.md).
#include <nlohmann/json.hpp>

#include "burnstation/store/counted.h"
#include "volume_view.h"
#include "web_text.h"

namespace burnstation::viewer_bundle {

namespace {

constexpr const char* kPreviewMark = "Preview &#8212; not for diagnosis";

std::string orDash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string page(const std::string& title, const std::string& css, const std::string& body) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
         "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
         "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
         "<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n"
         "<title>" +
         title + "</title>\n<style type=\"text/css\">\n" + css + "</style>\n</head>\n<body>\n" +
         body + "</body>\n</html>\n";
}

const char* kCss =
    "body{font-family:sans-serif;margin:1.5em;color:#111;background:#fff}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.5em}\n"
    "table{border-collapse:collapse}td,th{padding:.3em .8em;text-align:left;"
    "vertical-align:top;border-bottom:1px solid #ccc}\n"
    ".mark{display:inline-block;background:#8b0000;color:#fff;padding:.2em .6em;"
    "font-weight:bold}\n"
    ".thumbs a{display:inline-block;margin:2px}img{border:0}\n"
    ".nav a{margin-right:1.2em}\n";

std::string patientBlock(const VolumeView& v) {
  return "<table>\n<tr><th>Patient</th><td class=\"patient\">" + html(readableName(v.patientName)) +
         "</td></tr>\n<tr><th>Patient ID</th><td>" + html(orDash(v.patientId)) +
         "</td></tr>\n<tr><th>Birth date</th><td>" + html(orDash(v.birthDate)) +
         "</td></tr>\n<tr><th>Sex</th><td>" + html(orDash(v.sex)) +
         "</td></tr>\n<tr><th>Disc</th><td>" + std::to_string(v.facts.index) + " of " +
         std::to_string(v.facts.of) + " (" + html(v.label()) + ")</td></tr>\n</table>\n";
}

std::string studyHeading(const StudyView& study) {
  const auto& f = study.first();
  std::string text =
      orDash(f.studyDate) + " " + (f.studyDescription.empty() ? "Study" : f.studyDescription);
  if (!f.accession.empty()) text += " (accession " + f.accession + ")";
  return html(text);
}

std::string seriesTitle(const SeriesView& series) {
  const auto& f = series.first();
  std::string text = "Series " + orDash(f.seriesNumber) + " " + f.modality;
  if (!f.seriesDescription.empty()) text += " " + f.seriesDescription;
  return html(text);
}

// Links from a page at `fromRoot` ("" for the root, "../" for IHE_PDI/) to a medium path.
std::string link(const std::string& up, const std::string& mediumPath) {
  return up + mediumPath;
}

std::string seriesTable(const VolumeView& v, const std::string& up) {
  std::string out;
  for (const auto& study : v.studies) {
    out += "<h2>" + studyHeading(study) + "</h2>\n<table>\n";
    for (const auto& series : study.series) {
      out += "<tr><td>";
      if (!series.thumbnail.empty()) {
        out += "<a href=\"" + link(up, series.page) + "\"><img src=\"" +
               link(up, series.thumbnail) + "\" alt=\"" + seriesTitle(series) + "\" /></a>";
      }
      out += "</td><td><a class=\"series\" href=\"" + link(up, series.page) + "\">" +
             seriesTitle(series) + "</a><br />" +
             store::counted(series.instances.size(), "object") + ", " +
             store::counted(series.images(), "image") + "</td></tr>\n";
    }
    out += "</table>\n";
  }
  return out;
}

}  // namespace

std::string readmeText(const VolumeView& v) {
  std::string t;
  const auto line = [&t](const std::string& s = {}) { t += s + "\r\n"; };
  line("DICOM medium written by burnstation (" + v.label() + ")");
  line();
  line("Patient:      " + readableName(v.patientName));
  line("Patient ID:   " + orDash(v.patientId));
  line("Birth date:   " + orDash(v.birthDate));
  line("Disc:         " + std::to_string(v.facts.index) + " of " + std::to_string(v.facts.of) +
       " (file-set " + v.facts.fileSetId + ")");
  line("Created:      " + v.facts.created + " by station " + v.facts.station +
       (v.institution.empty() ? "" : " at " + v.institution));
  line();
  line("Studies on this disc:");
  for (const auto& study : v.studies) {
    const auto& f = study.first();
    line("  " + orDash(f.studyDate) + "  " +
         (f.studyDescription.empty() ? "-" : f.studyDescription) + "  (" + study.modalities() +
         ", " + std::to_string(study.series.size()) + " series, " +
         std::to_string(study.instances()) + " objects" +
         (f.accession.empty() ? "" : ", accession " + f.accession) + ")");
  }
  line();
  line("How to view:");
  if (v.facts.web) {
    line("  Open INDEX.HTM in a web browser (Chrome, Edge, Firefox, Safari). It lists the");
    line("  studies and series and links to the viewer (VIEWER.HTM). Nothing is installed");
    line("  and no network is used. The pictures are previews, not for diagnosis; in the");
    line("  viewer, \"Open original images\" with the DICOM folder of this disc shows the");
    line("  original images in full quality.");
  }
  line("  Medical imaging software reads the DICOM files through the DICOMDIR file");
  line("  (a DICOM PS3.10 file-set, application profile " + v.facts.applicationProfile + ").");
  line();
  line("How to check this disc:");
  line("  MD5SUMS.TXT holds the MD5 checksum of every other file on it. In the disc's top");
  line("  folder run:  md5sum -c MD5SUMS.TXT   (Linux; on macOS: md5sum from coreutils;");
  line("  on Windows PowerShell compare Get-FileHash -Algorithm MD5 with the list).");
  return t;
}

std::string indexPage(const VolumeView& v) {
  std::string body = "<h1>" + html(readableName(v.patientName)) + "</h1>\n" + patientBlock(v) +
                     "<p class=\"nav\"><a href=\"VIEWER.HTM\">Open the viewer</a> "
                     "<a href=\"IHE_PDI/INDEX.HTM\">Web pages (IHE PDI)</a> "
                     "<a href=\"README.TXT\">About this disc (README.TXT)</a></p>\n";
  if (v.facts.tier != PreviewTier::None)
    body += std::string("<p class=\"mark\">") + kPreviewMark + "</p>\n";
  body += seriesTable(v, "");
  body += "<p>Created " + html(v.facts.created) + " by " + html(v.facts.station) +
          (v.institution.empty() ? "" : ", " + html(v.institution)) + ".</p>\n";
  return page(html(readableName(v.patientName)) + " - DICOM disc", kCss, body);
}

std::string pdiIndexPage(const VolumeView& v) {
  std::string body = "<h1>" + html(readableName(v.patientName)) + "</h1>\n" + patientBlock(v) +
                     "<p class=\"nav\"><a href=\"../INDEX.HTM\">Back to the start page</a></p>\n";
  if (v.facts.tier != PreviewTier::None)
    body += std::string("<p class=\"mark\">") + kPreviewMark + "</p>\n";
  body += seriesTable(v, "../");
  return page(html(readableName(v.patientName)) + " - studies", kCss, body);
}

std::string seriesPage(const VolumeView& v, const StudyView& study, const SeriesView& series) {
  std::string body = "<h1>" + seriesTitle(series) + "</h1>\n<p>" +
                     html(readableName(v.patientName)) + ", " + studyHeading(study) +
                     "</p>\n"
                     "<p class=\"nav\"><a href=\"INDEX.HTM\">All series</a> "
                     "<a href=\"../INDEX.HTM\">Start page</a></p>\n";
  const bool withImages = series.images() > 0 && !series.thumbnail.empty();
  if (withImages) body += std::string("<p class=\"mark\">") + kPreviewMark + "</p>\n";
  const std::string folder = series.folder.substr(series.folder.find('/') + 1);  // S0000001
  body += "<div class=\"thumbs\">\n";
  for (const auto& in : series.instances) {
    for (const auto& image : in.rendered.images) {
      if (image.prefix != 'T') continue;
      const int number = in.firstImage + image.frame - 1;
      const std::string thumb = folder + "/" + numbered('T', number) + ".JPG";
      const char main = series.presets.empty() ? 'T' : series.presets.front().prefix;
      const std::string target = folder + "/" + numbered(main, number) + ".JPG";
      body += "<a href=\"" + target + "\"><img src=\"" + thumb + "\" alt=\"Image " +
              std::to_string(number) + "\" width=\"" + std::to_string(image.columns) +
              "\" height=\"" + std::to_string(image.rows) + "\" /></a>\n";
    }
  }
  body += "</div>\n<table>\n<tr><th>Object</th><th>Content</th></tr>\n";
  for (const auto& in : series.instances) {
    body += "<tr><td>" + html(orDash(in.facts.instanceNumber)) + "</td><td>";
    switch (in.facts.kind) {
      case ObjectKind::Pdf:
        body += in.document.empty() ? std::string("PDF document")
                                    : "<a href=\"../" + in.document + "\">PDF document</a>";
        break;
      case ObjectKind::Video:
        body += in.video.empty()
                    ? std::string("Video (play it from the DICOM file with a DICOM viewer)")
                    : "<a href=\"../" + in.video + "\">Video (MP4)</a>";
        break;
      case ObjectKind::StructuredReport:
        body += "<pre>" + html(in.facts.text) + "</pre>";
        break;
      default:
        body +=
            html(in.facts.kind == ObjectKind::Image
                     ? std::to_string(in.facts.columns) + " x " + std::to_string(in.facts.rows) +
                           (in.facts.frames > 1 ? ", " + std::to_string(in.facts.frames) + " frames"
                                                : "")
                     : "DICOM object");
        if (!in.note.empty()) body += " (" + html(in.note) + ")";
    }
    body += "</td></tr>\n";
  }
  body += "</table>\n";
  return page(seriesTitle(series), kCss, body);
}

std::string volumeScript(const VolumeView& v) {
  using nlohmann::json;
  json studies = json::array();
  for (const auto& study : v.studies) {
    const auto& sf = study.first();
    json seriesList = json::array();
    for (const auto& series : study.series) {
      const auto& f = series.first();
      json presets = json::array();
      for (const auto& p : series.presets) {
        json preset{{"name", p.window.name.empty() ? std::string("Own window") : p.window.name},
                    {"prefix", std::string(1, p.prefix)}};
        if (p.window.fixed) {
          preset["center"] = p.window.center;
          preset["width"] = p.window.width;
        }
        presets.push_back(preset);
      }
      json instances = json::array();
      for (const auto& in : series.instances) {
        const auto& i = in.facts;
        json header = json::array();
        for (const auto& [name, value] : i.header) header.push_back({name, value});
        json o{{"number", i.instanceNumber},
               {"uid", in.source->sopInstanceUid},
               {"sopClass", i.sopClassUid},
               {"kind", toString(i.kind)},
               {"file", in.source->mediumPath},
               {"transferSyntax", i.transferSyntaxUid},
               {"rows", i.rows},
               {"columns", i.columns},
               {"frames", i.frames},
               {"firstImage", in.firstImage},
               {"previewColumns", in.previewColumns},
               {"previewRows", in.previewRows},
               {"header", header}};
        if (i.pixelSpacing) o["pixelSpacing"] = {i.pixelSpacing->first, i.pixelSpacing->second};
        if (i.frameTimeMs > 0) o["frameTimeMs"] = i.frameTimeMs;
        if (i.window) o["window"] = {{"center", i.window->first}, {"width", i.window->second}};
        if (!i.text.empty()) o["text"] = i.text;
        if (!in.document.empty()) o["document"] = in.document;
        if (!in.video.empty()) o["video"] = in.video;
        if (!in.note.empty()) o["note"] = in.note;
        instances.push_back(o);
      }
      seriesList.push_back({{"ordinal", series.ordinal},
                            {"uid", series.uid},
                            {"number", f.seriesNumber},
                            {"modality", f.modality},
                            {"description", f.seriesDescription},
                            {"folder", series.folder},
                            {"page", series.page},
                            {"thumbnail", series.thumbnail},
                            {"presets", presets},
                            {"instances", instances}});
    }
    studies.push_back({{"uid", study.uid},
                       {"date", sf.studyDate},
                       {"time", sf.studyTime},
                       {"description", sf.studyDescription},
                       {"accession", sf.accession},
                       {"modalities", study.modalities()},
                       {"series", seriesList}});
  }
  const json volume{
      {"format", 1},
      {"disc",
       {{"index", v.facts.index},
        {"of", v.facts.of},
        {"fileSetId", v.facts.fileSetId},
        {"label", v.label()}}},
      {"created", v.facts.created},
      {"institution", v.institution},
      {"station", v.facts.station},
      {"tier", toString(v.facts.tier)},
      {"patient",
       {{"name", v.patientName}, {"id", v.patientId}, {"birthDate", v.birthDate}, {"sex", v.sex}}},
      {"studies", studies}};
  // ensure_ascii: every non-ASCII character as \uXXXX (file:// gives scripts no charset);
  // replace: an undecodable byte must not stop the disc.
  return "burnstationVolume(" + volume.dump(-1, ' ', true, json::error_handler_t::replace) + ");\n";
}

}  // namespace burnstation::viewer_bundle
