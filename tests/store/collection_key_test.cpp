// Collection keys: name normalisation and generated Patient IDs (Philips Table 19).
#include "burnstation/store/collection_key.h"

#include <gtest/gtest.h>

namespace burnstation::store {
namespace {

TEST(CollectionKey, NamesCompareAfterTrimmingPaddingAndCase) {
  EXPECT_EQ(normalisePersonName("Doe^John^^ "), "DOE^JOHN");
  EXPECT_EQ(normalisePersonName("DOE ^JOHN"), "DOE^JOHN");
  EXPECT_EQ(normalisePersonName("Yamada^Tarou=山田^太郎="), "YAMADA^TAROU=山田^太郎");
  EXPECT_NE(normalisePersonName("DOE^JOHN"), normalisePersonName("DOE^JANE"));
}

TEST(CollectionKey, SamePatientSameKeyOtherNameOtherKey) {
  InstanceHeader a;
  a.patientId = "123";
  a.patientIdPresent = true;
  a.patientName = "DOE^JOHN";
  InstanceHeader b = a;
  b.patientName = "doe^john^";
  InstanceHeader c = a;
  c.patientName = "DOE^JANE";
  EXPECT_EQ(collectionKeyFor(a).key, collectionKeyFor(b).key);
  EXPECT_NE(collectionKeyFor(a).key, collectionKeyFor(c).key);
  EXPECT_EQ(collectionKeyFor(a).key.rfind("123~", 0), 0u);
  InstanceHeader issued = a;
  issued.issuerOfPatientId = "HOSPITAL_B";
  EXPECT_NE(collectionKeyFor(a).key, collectionKeyFor(issued).key);
}

TEST(CollectionKey, MissingIdComesFromAccessionThenStudyUid) {
  InstanceHeader h;
  h.patientName = "NOID^ALICE";
  h.accessionNumber = "A77 ";
  h.studyInstanceUid = "1.2.3.4";
  const CollectionKey fromAccession = collectionKeyFor(h);
  EXPECT_TRUE(fromAccession.idGenerated);
  EXPECT_EQ(fromAccession.patientId, "ACC-A77");
  h.accessionNumber.clear();
  const CollectionKey fromStudy = collectionKeyFor(h);
  EXPECT_TRUE(fromStudy.idGenerated);
  EXPECT_EQ(fromStudy.patientId.rfind("STUDY-", 0), 0u);
  h.studyInstanceUid = "1.2.3.5";
  EXPECT_NE(collectionKeyFor(h).patientId, fromStudy.patientId);
}

TEST(CollectionKey, UndeclaredLatin1UsesTheSendersAssumedCharset) {
  InstanceHeader h;
  h.patientId = "9";
  h.patientName = "M\xfcller^Hans";
  EXPECT_EQ(collectionKeyFor(h, "ISO_IR 100").nameUtf8, "Müller^Hans");
  EXPECT_NE(collectionKeyFor(h).nameUtf8, "Müller^Hans");
}

}  // namespace
}  // namespace burnstation::store
