// Screen 3, Medium: the profiles the admin allows (GET /config "profiles"), each with the
// plan's answer before anything is written ("fits on 1 CD", "needs 3 CDs or 1 DVD", the
// images a profile cannot hold and why), and the number of copies.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QWidget>
#include <map>

class QLabel;
class QPushButton;

namespace burnstation::ui {

class KineticList;
class TapCard;

class MediumScreen : public QWidget {
  Q_OBJECT
 public:
  explicit MediumScreen(QWidget* parent = nullptr);

  void setProfiles(const QJsonArray& profiles);
  void setPlan(const QString& profile, const QJsonObject& plan);
  void setPlanError(const QString& profile, const QString& error);
  void selectProfile(const QString& profile);
  QString profile() const { return selected_; }
  QJsonObject plan() const;
  QJsonObject profileObject() const;
  int copies() const { return copies_; }
  void setCopies(int copies);

 signals:
  void back();
  void next();

 private:
  struct Choice {
    QJsonObject profile;
    TapCard* card = nullptr;
    QLabel* answer = nullptr;
    QJsonObject plan;
    bool planned = false;
  };
  void refreshAnswers();

  KineticList* list_;
  QLabel* copiesLabel_;
  QPushButton* next_;
  std::map<QString, Choice> choices_;
  QString selected_;
  int copies_ = 1;
};

// "fits on 1 CD", "needs 3 CDs", "needs 3 CDs or 1 DVD" from the plans known so far.
QString planAnswer(const QJsonObject& profile, const QJsonObject& plan,
                   const QString& betterAlternative);

}  // namespace burnstation::ui
