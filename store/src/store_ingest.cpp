// Durable ingest: fsync the received file, decide new/duplicate/conflict, rename it into
// place and commit its rows. Only after this returns may the receiver answer 0000.
#include <filesystem>
#include <optional>

#include "burnstation/store/charset.h"
#include "burnstation/store/collection_key.h"
#include "burnstation/store/file_modes.h"
#include "burnstation/store/job_queue.h"
#include "burnstation/store/store.h"
#include "burnstation/store/store_error.h"
#include "burnstation/store/stored_path.h"
#include "burnstation/store/uid.h"
#include "content_hash.h"
#include "durable_file.h"
#include "index_rows.h"
#include "sqlite_db.h"
#include "store_directory.h"
#include "store_layout.h"

namespace burnstation::store {

namespace fs = std::filesystem;

namespace {

// Removes the temporary file on every path out of ingest() unless it was moved.
class TemporaryFile {
 public:
  TemporaryFile(const Directory& incoming, std::string name)
      : incoming_(incoming), name_(std::move(name)) {}
  ~TemporaryFile() {
    if (!moved_) removeFile(incoming_, name_);
  }
  const std::string& name() const { return name_; }
  fs::path path() const { return incoming_.path() / name_; }
  void markMoved() { moved_ = true; }

 private:
  const Directory& incoming_;
  std::string name_;
  bool moved_ = false;
};

std::string decoded(const InstanceHeader& h, const IngestSource& source, const std::string& raw,
                    TextVr vr) {
  const std::string& charset =
      h.specificCharacterSet.empty() ? source.assumeCharset : h.specificCharacterSet;
  return decodeForDisplay(charset, raw, vr).utf8;
}

struct StoredRow {
  std::string hash;
  std::string collectionKey;
  std::string path;
};

std::optional<StoredRow> findStored(SqliteDb& db, const std::string& sopInstanceUid) {
  Statement query(db,
                  "SELECT i.content_hash, c.key, i.path FROM instances i "
                  "JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id "
                  "JOIN collections c ON c.id = st.collection_id WHERE i.sop_instance_uid = ?");
  query.bind(1, sopInstanceUid);
  if (!query.step()) return std::nullopt;
  return StoredRow{query.text(0), query.text(1), query.text(2)};
}

// The folder (opened without following links) and the name of a file the index names.
std::pair<Directory, std::string> openStored(const Directory& data, const std::string& relative) {
  if (!isStoredPath(relative)) storedFile(data.path(), relative);  // throws, naming the path
  const fs::path path(relative);
  return {data.child(path.parent_path().generic_string(), false), path.filename().string()};
}

}  // namespace

void insertEvent(SqliteDb& db, const std::string& kind, const std::string& detail,
                 const IngestSource& source) {
  Statement insert(db,
                   "INSERT INTO events(time, kind, calling_ae, called_ae, peer, detail) "
                   "VALUES(?,?,?,?,?,?)");
  insert.bind(1, isoNow())
      .bind(2, kind)
      .bind(3, source.callingAe)
      .bind(4, source.calledAe)
      .bind(5, source.peerAddress)
      .bind(6, detail)
      .run();
}

void insertInstanceRows(SqliteDb& db, const IndexedInstance& in) {
  const InstanceHeader& h = in.header;
  const std::string now = isoNow();

  Statement collection(
      db,
      "INSERT INTO collections(key, patient_id, id_generated, issuer, patient_name, "
      "name_normalised, patient_name_raw, specific_charset, birth_date, sex, created) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET "
      "birth_date = CASE WHEN collections.birth_date = '' THEN excluded.birth_date "
      "ELSE collections.birth_date END, "
      "sex = CASE WHEN collections.sex = '' THEN excluded.sex ELSE collections.sex END "
      "RETURNING id");
  collection.bind(1, in.key.key)
      .bind(2, in.key.patientId)
      .bind(3, static_cast<std::int64_t>(in.key.idGenerated))
      .bind(4, in.key.issuer)
      .bind(5, in.key.nameUtf8)
      .bind(6, in.key.nameNormalised)
      .bindBlob(7, h.patientName)
      .bind(8, h.specificCharacterSet)
      .bind(9, h.patientBirthDate)
      .bind(10, h.patientSex)
      .bind(11, now);
  if (!collection.step()) db.fail("cannot record the patient collection");
  const std::int64_t collectionId = collection.integer(0);
  collection.reset();

  Statement study(db,
                  "INSERT INTO studies(collection_id, study_uid, study_date, study_time, study_id, "
                  "accession, description) VALUES(?,?,?,?,?,?,?) "
                  "ON CONFLICT(collection_id, study_uid) DO UPDATE SET study_uid = study_uid "
                  "RETURNING id");
  study.bind(1, collectionId)
      .bind(2, h.studyInstanceUid)
      .bind(3, h.studyDate)
      .bind(4, h.studyTime)
      .bind(5, decoded(h, in.source, h.studyId, TextVr::MultiValued))
      .bind(6, decoded(h, in.source, h.accessionNumber, TextVr::MultiValued))
      .bind(7, decoded(h, in.source, h.studyDescription, TextVr::MultiValued));
  if (!study.step()) db.fail("cannot record the study");
  const std::int64_t studyId = study.integer(0);
  study.reset();

  Statement series(db,
                   "INSERT INTO series(study_id, series_uid, modality, series_number, description) "
                   "VALUES(?,?,?,?,?) ON CONFLICT(study_id, series_uid) DO UPDATE SET "
                   "series_uid = series_uid RETURNING id");
  series.bind(1, studyId)
      .bind(2, h.seriesInstanceUid)
      .bind(3, h.modality)
      .bind(4, h.seriesNumber)
      .bind(5, decoded(h, in.source, h.seriesDescription, TextVr::MultiValued));
  if (!series.step()) db.fail("cannot record the series");
  const std::int64_t seriesId = series.integer(0);
  series.reset();

  Statement instance(db,
                     "INSERT INTO instances(series_id, sop_instance_uid, sop_class_uid, "
                     "transfer_syntax, path, size, dataset_offset, content_hash, instance_number, "
                     "specific_charset, calling_ae, called_ae, peer, received_at, record_keys, "
                     "uid_note) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  instance.bind(1, seriesId)
      .bind(2, h.sopInstanceUid)
      .bind(3, h.sopClassUid)
      .bind(4, h.transferSyntaxUid)
      .bind(5, in.relativePath)
      .bind(6, static_cast<std::int64_t>(in.size))
      .bind(7, static_cast<std::int64_t>(h.datasetOffset))
      .bind(8, in.contentHash)
      .bind(9, h.instanceNumber)
      .bind(10, h.specificCharacterSet)
      .bind(11, in.source.callingAe)
      .bind(12, in.source.calledAe)
      .bind(13, in.source.peerAddress)
      .bind(14, now)
      .bindBlob(15, h.recordKeys)
      .bind(16, in.uidNote)
      .run();
}

IngestResult Store::ingest(const fs::path& temporaryFile, const InstanceHeader& header,
                           const IngestSource& source) {
  if (access_ == Access::ReadOnly) {
    throw StoreError(StoreError::Code::Io, "the store is open read-only");
  }
  if (!resumeWriting()) {
    std::error_code ignored;
    fs::remove(temporaryFile, ignored);  // never acknowledged: nothing to keep
    throw StoreError(StoreError::Code::NoSpace, "the store is read-only until space returns");
  }
  if (temporaryFile.parent_path() != dirs_->incoming.path()) {
    throw StoreError(StoreError::Code::Io, "received file " + temporaryFile.string() +
                                               " is not in the store's incoming folder");
  }
  TemporaryFile temp(dirs_->incoming, temporaryFile.filename().string());
  // Names and rows come from these UIDs: they are refused here too, whoever calls.
  const UidScreen uids = screenInstanceUids(header);
  if (uids.refused()) throw StoreError(StoreError::Code::Parse, uids.refusal);
  makePrivate(temp.path());  // whatever the umask it was created under
  std::uint64_t size = 0;
  std::string hash;
  {
    // Hashing, fsync and the rename run outside the lock so parallel associations overlap
    // their I/O; only the decision and the index commit are serialised.
    const OpenFile received(dirs_->incoming, temp.name());
    size = received.size();
    hash = hashOpenFileFrom(received.fd(), temp.path(), header.datasetOffset);
    received.sync();
  }
  const CollectionKey key = collectionKeyFor(header, source.assumeCharset);
  const std::string& uid = header.sopInstanceUid;

  std::unique_lock lock(writeMutex_);
  // The same UID arriving twice at once is decided one after the other.
  inFlightChanged_.wait(lock, [&] { return inFlight_.count(uid) == 0; });
  if (findStored(*db_, uid)) {
    IngestResult result = ingestLocked(temp.path(), header, source, hash, size);
    if (result.outcome != IngestOutcome::DuplicateKept) temp.markMoved();
    return result;
  }
  inFlight_.insert(uid);
  struct Release {
    Store& store;
    const std::string& uid;
    std::unique_lock<std::mutex>& lock;
    ~Release() {
      if (!lock.owns_lock()) lock.lock();  // an exception may come while unlocked
      store.inFlight_.erase(uid);
      store.inFlightChanged_.notify_all();
    }
  } release{*this, uid, lock};
  lock.unlock();

  // The name comes from a hash of the UID, never from its bytes; a file already there
  // (another UID with the same digest, or anything planted) keeps its name.
  const fs::path derived(objectPathFor(uid));
  const Directory bucket = dirs_->objects.child(derived.parent_path().filename().string(), true);
  const std::string name = moveWithoutReplacing(dirs_->incoming, temp.name(), bucket,
                                                derived.stem().string(), layout::kObjectSuffix);
  temp.markMoved();
  const std::string relative = derived.parent_path().generic_string() + "/" + name;

  lock.lock();
  try {
    Transaction tx(*db_);
    insertInstanceRows(*db_,
                       IndexedInstance{header, key, source, relative, size, hash, uids.unusual});
    insertEvent(*db_, "received", uid + " for " + key.key, source);
    if (!uids.unusual.empty()) insertEvent(*db_, "unusual-uid", uids.unusual, source);
    tx.commit();
  } catch (...) {
    // Not indexed means not acknowledged: the file must not linger to be re-indexed later.
    removeFile(bucket, name);
    throw;
  }
  IngestResult result{IngestOutcome::Stored, key.key, bucket.path() / name};
  result.unusualUid = !uids.unusual.empty();
  return result;
}

bool heldByActiveJob(SqliteDb& db, const std::string& uid) {
  Statement q(db,
              "SELECT 1 FROM job_instances h JOIN jobs j ON j.id = h.job_id WHERE "
              "h.sop_instance_uid = ? AND j.state NOT IN " +
                  terminalStatesSql() + " LIMIT 1");
  q.bind(1, uid);
  return q.step();
}

IngestResult Store::ingestLocked(const fs::path& temp, const InstanceHeader& header,
                                 const IngestSource& source, const std::string& hash,
                                 std::uint64_t size) {
  const CollectionKey key = collectionKeyFor(header, source.assumeCharset);
  IngestResult result;
  result.collectionKey = key.key;

  // Called with the lock held, for a UID that is already stored.
  const std::string tempName = temp.filename().string();
  if (const auto stored = findStored(*db_, header.sopInstanceUid)) {
    const fs::path storedPath = storedFile(options_.dataDir, stored->path);
    if (stored->hash == hash && stored->collectionKey == key.key) {
      result.file = storedPath;
      // A queued or running job planned with the stored file's size and reads it by path.
      const bool held = heldByActiveJob(*db_, header.sopInstanceUid);
      if (options_.duplicates == DuplicatePolicy::KeepStored || held) {
        result.outcome = IngestOutcome::DuplicateKept;
        insertEvent(
            *db_, "duplicate",
            "kept stored copy of " + header.sopInstanceUid + (held ? " (a burn job holds it)" : ""),
            source);
        return result;
      }
      // Same content: only the File Meta (sender, time) differs, so replacing is safe. The
      // one place a stored file is replaced.
      const auto [folder, name] = openStored(dirs_->data, stored->path);
      moveReplacing(dirs_->incoming, tempName, folder, name);
      result.outcome = IngestOutcome::DuplicateReplaced;
      Transaction tx(*db_);
      Statement update(*db_,
                       "UPDATE instances SET calling_ae = ?, called_ae = ?, peer = ?, size = ? "
                       "WHERE sop_instance_uid = ?");
      update.bind(1, source.callingAe)
          .bind(2, source.calledAe)
          .bind(3, source.peerAddress)
          .bind(4, static_cast<std::int64_t>(size))
          .bind(5, header.sopInstanceUid)
          .run();
      insertEvent(*db_, "duplicate", "replaced stored copy of " + header.sopInstanceUid, source);
      tx.commit();
      return result;
    }
    // Same UID, other content or other patient: never overwrite, keep it for the admin.
    const std::string reason =
        stored->collectionKey != key.key
            ? "SOP Instance UID already stored for patient " + stored->collectionKey
            : "SOP Instance UID already stored with different content";
    const std::string aside = moveWithoutReplacing(
        dirs_->incoming, tempName, dirs_->setAside,
        uidDigest(header.sopInstanceUid) + "." + hash.substr(0, 16), layout::kObjectSuffix);
    const std::string relative = std::string(layout::kSetAsideDir) + "/" + aside;
    result.outcome = IngestOutcome::SetAside;
    result.file = dirs_->setAside.path() / aside;
    Transaction tx(*db_);
    Statement insert(*db_,
                     "INSERT INTO set_aside(sop_instance_uid, sop_class_uid, path, size, "
                     "content_hash, collection_key, reason, calling_ae, received_at) "
                     "VALUES(?,?,?,?,?,?,?,?,?)");
    insert.bind(1, header.sopInstanceUid)
        .bind(2, header.sopClassUid)
        .bind(3, relative)
        .bind(4, static_cast<std::int64_t>(size))
        .bind(5, hash)
        .bind(6, key.key)
        .bind(7, reason)
        .bind(8, source.callingAe)
        .bind(9, isoNow())
        .run();
    insertEvent(*db_, "conflict", header.sopInstanceUid + ": " + reason, source);
    tx.commit();
    return result;
  }

  throw StoreError(
      StoreError::Code::Inconsistent,
      "ingestLocked called for an instance that is not stored: " + header.sopInstanceUid);
}

}  // namespace burnstation::store
