// Character set decoding, checked against the examples of PS3.5 Annexes H (Japanese), I (Korean)
// and J/K (Chinese), plus the failure and display-fallback behaviour callers rely on.
#include "burnstation/store/charset.h"

#include <gtest/gtest.h>

#include <string>

#include "burnstation/store/store_error.h"

namespace burnstation::store {
namespace {

constexpr std::string_view kFffd = "\xEF\xBF\xBD";

// PS3.5 H.3.1.
const std::string kH31 =
    "Yamada^Tarou="
    "\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
    "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";

// PS3.5 H.3.2.
const std::string kH32 =
    "\xd4\xcf\xc0\xde^\xc0\xdb\xb3="
    "\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J="
    "\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J";

// PS3.5 I.2.
const std::string kI2 =
    "Hong^Gildong="
    "\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
    "\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf";

std::string errorMessage(std::string_view charset, std::string_view bytes, TextVr vr) {
  try {
    decodeToUtf8(charset, bytes, vr);
  } catch (const StoreError& e) {
    EXPECT_EQ(e.code(), StoreError::Code::Charset);
    return e.what();
  }
  ADD_FAILURE() << "no StoreError for \"" << charset << "\"";
  return {};
}

TEST(CharsetJapanese, Ir87FromPs35H31) {
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 87", kH31, TextVr::PersonName),
            "Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_EQ(decodeToUtf8("ISO 2022 IR 6\\ISO 2022 IR 87", kH31, TextVr::PersonName),
            "Yamada^Tarou=山田^太郎=やまだ^たろう");
}

TEST(CharsetJapanese, HalfWidthKatakanaIr13WithIr87FromPs35H32) {
  EXPECT_EQ(decodeToUtf8("ISO 2022 IR 13\\ISO 2022 IR 87", kH32, TextVr::PersonName),
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
}

TEST(CharsetJapanese, Ir159JisX0212) {
  // 鷗 is JIS X 0212 0x6C3F; the rest is JIS X 0208 (the same name pydicom tests with).
  const std::string bytes =
      "Mori^Ogai=\x1b$B?9\x1b(B^\x1b$(Dl?\x1b$B30\x1b(B="
      "\x1b$B$b$j\x1b(B^\x1b$B$*$&$,$$\x1b(B";
  EXPECT_EQ(
      decodeToUtf8("ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", bytes, TextVr::PersonName),
      "Mori^Ogai=森^鷗外=もり^おうがい");
  // 0x3021 is the first kanji of JIS X 0212, U+4E02.
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 159", "\x1b$(D0!\x1b(B", TextVr::SingleText), "丂");
}

TEST(CharsetJapanese, KatakanaDesignatedByEscapeLastsUntilADelimiter) {
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 13", "==\x1b)I\xd4\xcf\xc0\xde^\x1b)I\xc0\xdb\xb3",
                         TextVr::PersonName),
            "==ﾔﾏﾀﾞ^ﾀﾛｳ");
  // Without the second ESC ) I, G1 is back to nothing after '^'.
  EXPECT_THROW(decodeToUtf8("\\ISO 2022 IR 13", "\x1b)I\xd4^\xc0", TextVr::PersonName), StoreError);
  // The same byte is fine when IR 13 is the initial set, which puts katakana in G1.
  EXPECT_EQ(decodeToUtf8("ISO 2022 IR 13\\ISO 2022 IR 87", "\xd4^\xc0", TextVr::PersonName), "ﾔ^ﾀ");
}

TEST(CharsetJapanese, ControlCharactersAndValueDelimitersReturnToTheInitialSet) {
  // Without the reset at CR LF, "AB" would be read as a JIS X 0208 pair.
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 87", "\x1b$B;3ED\r\nAB", TextVr::SingleText), "山田\r\nAB");
  EXPECT_EQ(
      decodeToUtf8("\\ISO 2022 IR 87", "\x1b$B;3ED\x1b(B\\\x1b$BB@O:\x1b(B", TextVr::MultiValued),
      "山田\\太郎");
}

TEST(CharsetJapanese, MixedSetsInOneValue) {
  const std::string bytes = "\x1b$B$\"\x1b(Ja\x1b)I\xb1\x1b$B%\"\x1b$(DmN\x1b(J";
  EXPECT_EQ(
      decodeToUtf8("ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159", bytes, TextVr::SingleText),
      "あaｱア齩");
}

TEST(CharsetJapanese, InvalidInputNamesTheCharacterSet) {
  EXPECT_NE(errorMessage("\\ISO 2022 IR 87", "\x1b$B;", TextVr::SingleText).find("ISO 2022 IR 87"),
            std::string::npos);
  EXPECT_NE(errorMessage("\\ISO 2022 IR 87", "A\x1b%GB", TextVr::SingleText).find("escape"),
            std::string::npos);
  // No IR 13 declared, so a byte >= 0x80 means nothing.
  EXPECT_THROW(decodeToUtf8("\\ISO 2022 IR 87", "\xd4", TextVr::SingleText), StoreError);
  // 0x7E7E is not a JIS X 0208 character.
  EXPECT_THROW(decodeToUtf8("\\ISO 2022 IR 87", "\x1b$B~~\x1b(B", TextVr::SingleText), StoreError);
  EXPECT_NE(errorMessage("\\ISO 2022 IR 87\\ISO 2022 IR 999", "A", TextVr::SingleText)
                .find("ISO 2022 IR 999"),
            std::string::npos);
}

TEST(CharsetOthers, KoreanIr149FromPs35I2) {
  EXPECT_EQ(decodeToUtf8("\\ISO 2022 IR 149", kI2, TextVr::PersonName),
            "Hong^Gildong=洪^吉洞=홍^길동");
}

TEST(CharsetOthers, ChineseFromPs35JAndK) {
  // PS3.5 J (GB18030) and K (ISO 2022 IR 58, GB 2312 in G1).
  EXPECT_EQ(decodeToUtf8("GB18030", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", TextVr::PersonName),
            "Wang^XiaoDong=王^小东=");
  EXPECT_EQ(
      decodeToUtf8("\\ISO 2022 IR 58",
                   "Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab=", TextVr::PersonName),
      "Zhang^XiaoDong=张^小东=");
  EXPECT_EQ(decodeToUtf8("GBK", "\xcd\xf5^\xd0\xa1\xb6\xab", TextVr::PersonName), "王^小东");
}

TEST(CharsetOthers, SingleByteSets) {
  EXPECT_EQ(decodeToUtf8("ISO_IR 100", "M\xfcller^J\xfcrgen", TextVr::PersonName), "Müller^Jürgen");
  EXPECT_EQ(decodeToUtf8("ISO_IR 100 ", "Fran\xe7oise", TextVr::PersonName), "Françoise");
  EXPECT_EQ(
      decodeToUtf8("ISO_IR 144", "\xb8\xd2\xd0\xdd\xde\xd2^\xb8\xd2\xd0\xdd", TextVr::PersonName),
      "Иванов^Иван");
  EXPECT_EQ(decodeToUtf8("ISO_IR 126", "\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2", TextVr::PersonName),
            "Διονυσιος");
  EXPECT_EQ(decodeToUtf8("ISO_IR 13", "\xd4\xcf\xc0\xde", TextVr::PersonName), "ﾔﾏﾀﾞ");
}

TEST(CharsetOthers, UnicodeAndDefaultRepertoire) {
  EXPECT_EQ(decodeToUtf8("ISO_IR 192", "Ødegård^Åse=王", TextVr::PersonName), "Ødegård^Åse=王");
  EXPECT_EQ(decodeToUtf8("", "DOE^JOHN", TextVr::PersonName), "DOE^JOHN");
  EXPECT_EQ(decodeToUtf8("ISO_IR 6", "DOE^JOHN", TextVr::PersonName), "DOE^JOHN");
  // Padding is the caller's business.
  EXPECT_EQ(decodeToUtf8("ISO_IR 100", "DOE ", TextVr::PersonName), "DOE ");
}

TEST(CharsetErrors, UnknownTermAndInvalidBytesThrow) {
  EXPECT_NE(errorMessage("ISO_IR 999", "X", TextVr::PersonName).find("ISO_IR 999"),
            std::string::npos);
  EXPECT_THROW(decodeToUtf8("", "M\xfcller", TextVr::PersonName), StoreError);
  EXPECT_THROW(decodeToUtf8("ISO_IR 6", "M\xfcller", TextVr::PersonName), StoreError);
  EXPECT_THROW(decodeToUtf8("ISO_IR 192", "M\xfcller", TextVr::PersonName), StoreError);
}

TEST(CharsetDisplay, ExactWhenDecodable) {
  const DecodedText shown = decodeForDisplay("\\ISO 2022 IR 87", kH31, TextVr::PersonName);
  EXPECT_TRUE(shown.exact);
  EXPECT_EQ(shown.utf8, "Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_TRUE(decodeForDisplay("ISO_IR 100", "M\xfcller", TextVr::PersonName).exact);
}

TEST(CharsetDisplay, DefaultRepertoireReplacesHighBytes) {
  const DecodedText shown = decodeForDisplay("", "M\xfcller^J\xfcrgen", TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "M" + std::string(kFffd) + "ller^J" + std::string(kFffd) + "rgen");
}

TEST(CharsetDisplay, UnknownCharacterSetKeepsAscii) {
  const DecodedText shown = decodeForDisplay("ISO_IR 999", "DOE^J\xf6rg", TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "DOE^J" + std::string(kFffd) + "rg");
}

TEST(CharsetDisplay, BadUtf8LosesOnlyTheBadBytes) {
  const DecodedText shown = decodeForDisplay("ISO_IR 192", "J\xc3\xbcrgen\xff", TextVr::SingleText);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "Jürgen" + std::string(kFffd));
}

TEST(CharsetDisplay, JapaneseLosesOnlyTheBadCharacters) {
  // H.3.1 cut inside its last character.
  const std::string cut = kH31.substr(0, kH31.size() - 4);
  const DecodedText shown = decodeForDisplay("\\ISO 2022 IR 87", cut, TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "Yamada^Tarou=山田^太郎=やまだ^たろ" + std::string(kFffd));

  const DecodedText kana =
      decodeForDisplay("ISO 2022 IR 13\\ISO 2022 IR 87", "\xd4\xcf\x80^\xc0", TextVr::PersonName);
  EXPECT_FALSE(kana.exact);
  EXPECT_EQ(kana.utf8, "ﾔﾏ" + std::string(kFffd) + "^ﾀ");

  // 0x7E7E is not a JIS X 0208 character; its neighbours still decode.
  const DecodedText undefined =
      decodeForDisplay("\\ISO 2022 IR 87", "A\x1b$B;3~~ED\x1b(BZ", TextVr::SingleText);
  EXPECT_FALSE(undefined.exact);
  EXPECT_EQ(undefined.utf8, "A山" + std::string(kFffd) + "田Z");
}

TEST(CharsetDisplay, OneBadComponentSparesTheOthers) {
  // Cut inside the last character of PS3.5 I.2.
  const std::string cut = kI2.substr(0, kI2.size() - 1);
  const DecodedText shown = decodeForDisplay("\\ISO 2022 IR 149", cut, TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8.rfind("Hong^Gildong=洪^吉洞=홍^", 0), 0u) << shown.utf8;
  EXPECT_NE(shown.utf8.find(kFffd), std::string::npos);
}

TEST(CharsetDisplay, UnknownEscapeCostsOnlyItself) {
  // "やまだ" holds the byte '^' inside a pair ("$^"), which must not be taken for a delimiter.
  const std::string bytes = "\x1b$B$d$^$@\x1b(B^\x1b%GX";
  const DecodedText shown = decodeForDisplay("\\ISO 2022 IR 87", bytes, TextVr::PersonName);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "やまだ^" + std::string(kFffd) + "X");
}

TEST(CharsetDisplay, Gb18030CharacterEndingInBackslashSurvives) {
  // 嘰 is 87 5C in GB18030: its second byte is the value delimiter's.
  EXPECT_EQ(decodeToUtf8("GB18030", "\x87\x5c\\\xcd\xf5", TextVr::MultiValued), "嘰\\王");
  const DecodedText shown =
      decodeForDisplay("GB18030", "\x87\x5c\\\xcd\xf5\xff", TextVr::MultiValued);
  EXPECT_FALSE(shown.exact);
  EXPECT_EQ(shown.utf8, "嘰\\王" + std::string(kFffd));
}

}  // namespace
}  // namespace burnstation::store
