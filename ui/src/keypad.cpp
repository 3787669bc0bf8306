// Keypad: see the header.
#include "keypad.h"

#include <QGridLayout>
#include <QLineEdit>

#include "kiosk_widgets.h"
#include "touch_metrics.h"

namespace burnstation::ui {

Keypad::Keypad(Keys keys, QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  const int gap = touchGapPx(this);
  grid->setSpacing(gap);
  grid->setContentsMargins(0, 0, 0, 0);
  auto addKey = [&](const QString& text, int row, int column, int span = 1) {
    QPushButton* key = makeButton(text, this);
    // Keys are as narrow as a touch target allows; the rest of the width goes to the list.
    key->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    key->setProperty("key", true);
    key->setObjectName(QStringLiteral("key_") + text);
    connect(key, &QPushButton::clicked, this, [this, text] { type(text); });
    grid->addWidget(key, row, column, 1, span);
    return key;
  };
  int row = 0;
  if (keys == Keys::Digits) {
    const QString digits = QStringLiteral("123456789");
    for (int i = 0; i < 9; ++i) addKey(digits.mid(i, 1), i / 3, i % 3);
    row = 3;
    addKey(QStringLiteral("0"), row, 1);
  } else {
    const QStringList rows = {QStringLiteral("1234567890"), QStringLiteral("QWERTYUIOP"),
                              QStringLiteral("ASDFGHJKL-"), QStringLiteral("ZXCVBNM.,/")};
    for (const QString& letters : rows) {
      for (int i = 0; i < letters.size(); ++i) addKey(letters.mid(i, 1), row, i);
      ++row;
    }
    QPushButton* space = makeButton(tr("Space"), this);
    space->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    space->setProperty("key", true);
    space->setProperty("key", true);
    space->setObjectName(QStringLiteral("key_space"));
    connect(space, &QPushButton::clicked, this, [this] { type(QStringLiteral(" ")); });
    grid->addWidget(space, row, 2, 1, 4);
  }
  QPushButton* back = makeButton(tr("⌫ Delete"), this);
  back->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  back->setProperty("key", true);
  back->setObjectName(QStringLiteral("key_backspace"));
  connect(back, &QPushButton::clicked, this, &Keypad::backspace);
  QPushButton* clearKey = makeButton(tr("Clear"), this);
  clearKey->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
  clearKey->setProperty("key", true);
  clearKey->setObjectName(QStringLiteral("key_clear"));
  connect(clearKey, &QPushButton::clicked, this, &Keypad::clear);
  if (keys == Keys::Digits) {
    grid->addWidget(clearKey, row, 0);
    grid->addWidget(back, row, 2);
  } else {
    grid->addWidget(clearKey, row, 0, 1, 2);
    grid->addWidget(back, row, 6, 1, 4);
  }
}

void Keypad::type(const QString& text) {
  if (!target_) return;
  target_->insert(text);
  emit edited();
}

void Keypad::backspace() {
  if (!target_) return;
  target_->backspace();
  emit edited();
}

void Keypad::clear() {
  if (!target_) return;
  target_->clear();
  emit edited();
}

}  // namespace burnstation::ui
