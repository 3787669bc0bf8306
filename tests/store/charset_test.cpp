// Character set decoding against the examples of PS3.5 Annexes H and I.
#include "burnstation/store/charset.h"

#include <gtest/gtest.h>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

TEST(Charset, JapaneseIr87FromPs35H31) {
  const std::string bytes =
      "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 87", bytes, TextVr::PersonName),
            "Yamada^Tarou=山田^太郎=やまだ^たろう");
}

TEST(Charset, JapaneseKatakanaIr13WithIr87FromPs35H32) {
  const std::string bytes =
      "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J=\x1b$B$d$^$@\x1b(J^"
      "\x1b$B$?$m$&\x1b(J";
  EXPECT_EQ(decodeToUtf8("ISO 2022 IR 13\\ISO 2022 IR 87", bytes, TextVr::PersonName),
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
}

TEST(Charset, KoreanIr149FromPs35I2) {
  const std::string bytes =
      "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)"
      "C\xb1\xe6\xb5\xbf";
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 149", bytes, TextVr::PersonName),
            "Hong^Gildong=洪^吉洞=홍^길동");
}

TEST(Charset, SingleByteAndUnicodeSets) {
  EXPECT_EQ(decodeToUtf8("ISO_IR 100", "M\xfcller^J\xfcrgen", TextVr::PersonName), "Müller^Jürgen");
  EXPECT_EQ(decodeToUtf8("ISO_IR 144", "\xb8\xd2\xd0\xdd\xde\xd2", TextVr::PersonName), "Иванов");
  EXPECT_EQ(decodeToUtf8("ISO_IR 192", "Ødegård", TextVr::PersonName), "Ødegård");
  EXPECT_EQ(decodeToUtf8("GB18030", "\xcd\xf5^\xd0\xa1\xb6\xab", TextVr::PersonName), "王^小东");
  EXPECT_EQ(decodeToUtf8("", "DOE^JOHN", TextVr::PersonName), "DOE^JOHN");
  EXPECT_EQ(decodeToUtf8("ISO_IR 6", "DOE^JOHN", TextVr::PersonName), "DOE^JOHN");
}

TEST(Charset, BadInputIsAnErrorOrMarkedForDisplay) {
  EXPECT_THROW(decodeToUtf8("", "M\xfcller", TextVr::PersonName), StoreError);
  try {
    decodeToUtf8("ISO_IR 999", "X", TextVr::PersonName);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::Charset);
    EXPECT_NE(std::string(e.what()).find("ISO_IR 999"), std::string::npos);
  }
  const DecodedText shown = decodeForDisplay("", "M\xfcller", TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "M\xEF\xBF\xBDller");
  EXPECT_TRUE(decodeForDisplay("ISO_IR 100", "M\xfcller", TextVr::PersonName).exact);
}

}  // namespace
}  // namespace burnstation::store
