// Small building blocks the screens share: word-wrapped labels at a given size, a card a
// finger can tap, a kinetic scrolling list, action buttons, and the confirmation of a
// destructive action (verb-labelled buttons, no default button, never blocking).
#pragma once

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QString>
#include <functional>

class QVBoxLayout;

namespace burnstation::ui {

// A word-wrapped label (a name never clips: it wraps instead).
QLabel* makeLabel(const QString& text, int pointSize, QWidget* parent = nullptr,
                  const char* role = nullptr);
// A button at least one touch target in both directions; role "action" or "danger" colours it.
QPushButton* makeButton(const QString& text, QWidget* parent = nullptr, const char* role = nullptr);

// A page's layout with the touch screen's margins and gaps; its first row is the title and
// `topButton` (Back, Close, …), which the page connects.
QVBoxLayout* makePageLayout(QWidget* page, const QString& title, QPushButton* topButton);
// A message line in its role's colour ("conflict" for a problem, else "notice"), hidden
// while there is nothing to say.
void showMessage(QLabel* label, const QString& text, bool isProblem);

// A bordered card that emits tapped() on release inside it; "selected" shows it chosen.
class TapCard : public QFrame {
  Q_OBJECT
 public:
  explicit TapCard(QWidget* parent = nullptr);
  QVBoxLayout* content() const { return layout_; }
  void setSelected(bool selected);
  bool isSelected() const { return selected_; }

 signals:
  void tapped();

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QVBoxLayout* layout_;
  bool selected_ = false;
  bool pressed_ = false;
};

// A vertical list that scrolls with a flick of the finger (QScroller), its rows in `rows`.
class KineticList : public QScrollArea {
 public:
  explicit KineticList(QWidget* parent = nullptr);
  QVBoxLayout* rows() const { return rows_; }
  void clearRows();

 private:
  QVBoxLayout* rows_;
};

// Asks before a destructive action. `verb` labels the button that does it ("Cancel the
// burn"), `keep` the one that does not; neither is the default, so Enter does nothing.
void confirmDestructive(QWidget* parent, const QString& question, const QString& verb,
                        const QString& keep, std::function<void()> onConfirmed);

}  // namespace burnstation::ui
