// The shared building blocks: see the header.
#include "kiosk_widgets.h"

#include <QHBoxLayout>
#include <QMessageBox>
#include <QMouseEvent>
#include <QScroller>
#include <QStyle>
#include <QVBoxLayout>

#include "touch_metrics.h"

namespace burnstation::ui {

QLabel* makeLabel(const QString& text, int pointSize, QWidget* parent, const char* role) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  QFont font = label->font();
  font.setPointSize(pointSize);
  label->setFont(font);
  if (role) label->setProperty("role", role);
  return label;
}

QPushButton* makeButton(const QString& text, QWidget* parent, const char* role) {
  auto* button = new QPushButton(text, parent);
  const int target = touchTargetPx(parent);
  button->setMinimumSize(target, target);
  button->setAutoDefault(false);
  button->setFocusPolicy(Qt::NoFocus);  // the search field keeps the scanner's keystrokes
  if (role) button->setProperty("role", role);
  return button;
}

QVBoxLayout* makePageLayout(QWidget* page, const QString& title, QPushButton* topButton) {
  const int gap = touchGapPx(page);
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(gap, gap, gap, gap);
  layout->setSpacing(gap);
  auto* top = new QHBoxLayout;
  top->addWidget(makeLabel(title, kTitlePointSize, page), 1);
  top->addWidget(topButton);
  layout->addLayout(top);
  return layout;
}

void showMessage(QLabel* label, const QString& text, bool isProblem) {
  label->setText(text);
  label->setProperty("role", isProblem ? "conflict" : "notice");
  label->style()->unpolish(label);  // the style sheet picks the colour by role
  label->style()->polish(label);
  label->setVisible(!text.isEmpty());
}

TapCard::TapCard(QWidget* parent) : QFrame(parent), layout_(new QVBoxLayout(this)) {
  setProperty("card", true);
  setProperty("selected", false);
  const int gap = touchGapPx(this);
  layout_->setContentsMargins(gap, gap, gap, gap);
  layout_->setSpacing(gap / 2);
  setMinimumHeight(touchTargetPx(this));
}

void TapCard::setSelected(bool selected) {
  selected_ = selected;
  setProperty("selected", selected);
  style()->unpolish(this);
  style()->polish(this);
}

void TapCard::mousePressEvent(QMouseEvent* event) {
  pressed_ = event->button() == Qt::LeftButton;
  event->accept();
}

void TapCard::mouseReleaseEvent(QMouseEvent* event) {
  if (pressed_ && rect().contains(event->position().toPoint())) emit tapped();
  pressed_ = false;
  event->accept();
}

KineticList::KineticList(QWidget* parent) : QScrollArea(parent) {
  auto* inner = new QWidget;
  rows_ = new QVBoxLayout(inner);
  rows_->setSpacing(touchGapPx(this));
  rows_->addStretch(1);
  setWidget(inner);
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  QScroller::grabGesture(viewport(), QScroller::LeftMouseButtonGesture);
}

void KineticList::clearRows() {
  while (rows_->count() > 1) {
    QLayoutItem* item = rows_->takeAt(0);
    if (QWidget* row = item->widget()) {
      // Out of the tree at once (a tap on it may still be on the stack: deleted later).
      row->hide();
      row->setParent(nullptr);
      row->deleteLater();
    }
    delete item;
  }
}

void confirmDestructive(QWidget* parent, const QString& question, const QString& verb,
                        const QString& keep, std::function<void()> onConfirmed) {
  auto* box = new QMessageBox(parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setIcon(QMessageBox::Warning);
  box->setText(question);
  QPushButton* yes = box->addButton(verb, QMessageBox::DestructiveRole);
  QPushButton* no = box->addButton(keep, QMessageBox::RejectRole);
  for (QPushButton* b : {yes, no}) {
    b->setAutoDefault(false);
    b->setDefault(false);
    b->setMinimumSize(touchTargetPx(parent), touchTargetPx(parent));
  }
  box->setDefaultButton(static_cast<QPushButton*>(nullptr));
  box->setEscapeButton(no);
  box->setObjectName(QStringLiteral("confirmDestructive"));
  QObject::connect(box, &QMessageBox::buttonClicked, box,
                   [yes, onConfirmed = std::move(onConfirmed)](QAbstractButton* clicked) {
                     if (clicked == yes && onConfirmed) onConfirmed();
                   });
  box->open();
}

}  // namespace burnstation::ui
