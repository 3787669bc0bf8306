// The demonstration documents: see the header.
#include "demonstration.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace burnstation::ui::demonstration {

namespace {
QJsonObject parse(const char* json) {
  return QJsonDocument::fromJson(json).object();
}
}  // namespace

QJsonObject config() {
  return parse(R"json({
    "station": {"ae_title": "BURNSTATION", "port": 11112},
    "kiosk": {"idle_seconds": 120},
    "profiles": [{"name": "cd", "medium": "STD-GEN-CD", "viewer": true},
                 {"name": "dvd", "medium": "STD-GEN-DVD-JPEG", "viewer": true},
                 {"name": "usb", "medium": "STD-GEN-USB-JPEG", "viewer": true}],
    "auto_burn": [{"called_ae_title": "ER_BURN", "profile": "cd", "drive": "", "copies": 1,
                   "quiet_seconds": 120}],
    "drives": [{"name": "burner1", "address": "/dev/sr0", "media": "any"}],
    "remotes": [{"ae_title": "CT_SCANNER", "host": "10.0.0.21", "port": 104},
                {"ae_title": "PACS", "host": "pacs.example.org", "port": 11112}],
    "usb": {"allowlist": ["0781:5581"]}
  })json");
}

QJsonObject patients() {
  return parse(R"json({"patients": [
    {"key": "P-1001", "patient_id": "P-1001", "patient_name": "山田^太郎=ヤマダ^タロウ",
     "birth_date": "19640312", "sex": "M", "instances": 1210, "bytes": 640000000,
     "arriving": true, "conflicts": [],
     "studies": [
       {"study_uid": "1.2.3.1", "date": "20261202", "description": "CT Thorax mit KM",
        "modalities": ["CT"], "series": 3, "instances": 1200, "bytes": 630000000},
       {"study_uid": "1.2.3.2", "date": "20261120", "description": "Röntgen Thorax p.a.",
        "modalities": ["CR"], "series": 1, "instances": 10, "bytes": 10000000}]},
    {"key": "P-2002", "patient_id": "P-2002", "patient_name": "Müller-Lüdenscheidt^Jürgen",
     "birth_date": "19521130", "sex": "M", "instances": 420, "bytes": 1900000000,
     "conflicts": [],
     "studies": [
       {"study_uid": "1.2.4.1", "date": "20261201", "description": "MRT Knie rechts",
        "modalities": ["MR"], "series": 8, "instances": 420, "bytes": 1900000000}]},
    {"key": "P-3003#2", "patient_id": "P-3003", "patient_name": "Dubois^Hélène",
     "birth_date": "19881105", "sex": "F", "instances": 24, "bytes": 52000000,
     "conflicts": ["Patient ID P-3003 also arrived with the name DUBOIS^HELENA, born 1988-11-15"],
     "conflict_details": [{"id": "same-id:P-3003", "kind": "same-id", "with": "P-3003",
       "text": "Patient ID P-3003 also arrived with the name DUBOIS^HELENA, born 1988-11-15",
       "acknowledged": false}],
     "studies": [
       {"study_uid": "1.2.5.1", "date": "20261129", "description": "Mammographie",
        "modalities": ["MG"], "series": 1, "instances": 24, "bytes": 52000000}]}
  ]})json");
}

QJsonObject setAside() {
  return parse(R"json({"set_aside": [
    {"id": 7, "sop_instance_uid": "1.2.4.1.7", "sop_class_uid": "1.2.840.10008.5.1.4.1.1.4",
     "sent_for": "P-2002", "stored_in": "P-2002",
     "reason": "the SOP Instance UID is already stored with other content",
     "calling_ae": "MR_KNEE", "received": "2026-12-02T07:30:00+01:00", "bytes": 520000}]})json");
}

QJsonObject plan(const QString& profile) {
  if (profile == QLatin1String("cd"))
    return parse(R"json({"profile": "cd", "volumes": [
      {"index": 1, "of": 3, "bytes": 690000000}, {"index": 2, "of": 3, "bytes": 690000000},
      {"index": 3, "of": 3, "bytes": 560000000}], "unplaceable": []})json");
  if (profile == QLatin1String("dvd"))
    return parse(R"json({"profile": "dvd", "volumes": [{"index": 1, "of": 1, "bytes": 1950000000}],
      "unplaceable": [{"sop_instance_uid": "1.2.4.1.9",
                       "reason": "its transfer syntax (MPEG-4) is not allowed on STD-GEN-DVD-JPEG"}]})json");
  return parse(R"json({"profile": "usb", "volumes": [{"index": 1, "of": 1, "bytes": 1950000000}],
    "unplaceable": []})json");
}

QJsonObject twoDiscJob() {
  return parse(R"json({"id": 42, "state": "waiting_for_media", "patient_key": "P-1001",
    "patient_name": "山田^太郎=ヤマダ^タロウ", "patient_id": "P-1001",
    "profile": "cd", "copies": 1, "created": "2026-12-02T07:01:00+01:00",
    "updated": "2026-12-02T07:06:10+01:00", "message": "",
    "volumes": [
      {"index": 1, "of": 2, "copy": 1, "state": "done", "bytes_written": 690000000,
       "bytes_total": 690000000, "reject_reason": ""},
      {"index": 2, "of": 2, "copy": 1, "state": "waiting_for_media", "bytes_written": 0,
       "bytes_total": 560000000, "reject_reason": ""}]})json");
}

QJsonObject rejectedDiscJob() {
  return parse(R"json({"id": 43, "state": "waiting_for_media", "patient_key": "P-2002",
    "patient_name": "Müller-Lüdenscheidt^Jürgen", "patient_id": "P-2002",
    "profile": "dvd", "copies": 2, "created": "2026-12-02T07:10:00+01:00",
    "updated": "2026-12-02T07:12:40+01:00", "message": "",
    "volumes": [
      {"index": 1, "of": 1, "copy": 1, "state": "writing", "bytes_written": 1170000000,
       "bytes_total": 1950000000, "bytes_per_second": 11000000, "eta_seconds": 71,
       "reject_reason": ""},
      {"index": 1, "of": 1, "copy": 2, "state": "waiting_for_media", "bytes_written": 0,
       "bytes_total": 1950000000,
       "reject_reason": "the DVD in burner2 already holds data (a closed session)"}]})json");
}

QJsonObject usbDoneJob() {
  return parse(R"json({"id": 44, "state": "done", "patient_key": "P-3003#2",
    "patient_name": "Dubois^Hélène", "patient_id": "P-3003", "profile": "usb",
    "copies": 1, "created": "2026-12-02T07:20:00+01:00",
    "updated": "2026-12-02T07:21:30+01:00", "message": "",
    "volumes": [{"index": 1, "of": 1, "copy": 1, "state": "done", "bytes_written": 52000000,
                 "bytes_total": 52000000, "reject_reason": ""}]})json");
}

QJsonObject jobs() {
  QJsonObject failed = parse(R"json({"id": 41, "state": "failed", "patient_key": "P-2002",
    "patient_name": "Müller-Lüdenscheidt^Jürgen", "patient_id": "P-2002",
    "profile": "cd", "copies": 1, "created": "2026-12-02T06:40:00+01:00",
    "updated": "2026-12-02T06:44:00+01:00",
    "message": "verification failed: 3 files differ from the store", "volumes": []})json");
  return QJsonObject{
      {QStringLiteral("jobs"), QJsonArray{twoDiscJob(), rejectedDiscJob(), usbDoneJob(), failed}}};
}

}  // namespace burnstation::ui::demonstration
