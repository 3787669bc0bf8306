// An Xvfb server for one test. Xvfb chooses a free display itself (-displayfd) and names it
// only once it accepts clients: two tests never share a display, and no client connects
// before the server is ready (a socket file alone is not readiness; CI saw "could not
// connect to display").
#pragma once

#include <gtest/gtest.h>

#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace burnstation::ui::test {

// A child process that is stopped when the test ends, however it ends.
struct Child {
  QProcess process;
  ~Child() {
    if (process.state() != QProcess::NotRunning) {
      process.kill();
      process.waitForFinished(5000);
    }
  }
};

class XvfbServer {
 public:
  // False with `why` set when Xvfb did not start or named no display within 10 s.
  bool start(const QString& screen, int dpi, QString* why) {
    const QString xvfb = QStandardPaths::findExecutable("Xvfb");
    server_.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);  // its warnings
    server_.process.start(xvfb, {"-displayfd", "1", "-screen", "0", screen, "-dpi",
                                 QString::number(dpi), "-nolisten", "tcp"});
    if (!server_.process.waitForStarted(10000)) {
      *why = "Xvfb did not start: " + server_.process.errorString();
      return false;
    }
    QByteArray said;
    for (int waited = 0; !said.contains('\n') && waited < 10000; waited += 100) {
      server_.process.waitForReadyRead(100);
      said += server_.process.readAllStandardOutput();
      if (server_.process.state() == QProcess::NotRunning) break;
    }
    bool isNumber = false;
    const int number = said.trimmed().toInt(&isNumber);
    if (!said.contains('\n') || !isNumber) {
      *why = "Xvfb named no display within 10 s (its messages are above)";
      return false;
    }
    display_ = QString(":%1").arg(number);
    return true;
  }

  QString display() const { return display_; }

  // The environment of a client of this server.
  QProcessEnvironment clientEnvironment() const {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DISPLAY", display_);
    return env;
  }

  // Runs an X client (xdotool) to its end within 10 s; its standard output, trimmed, or
  // an empty string and a test failure if it did not finish.
  QString run(const QString& program, const QStringList& args) const {
    QProcess p;
    p.setProcessEnvironment(clientEnvironment());
    p.start(program, args);
    if (!p.waitForFinished(10000)) {
      p.kill();
      p.waitForFinished(2000);
      ADD_FAILURE() << program.toStdString() << " " << args.join(' ').toStdString()
                    << " did not finish within 10 s";
      return QString();
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
  }

 private:
  Child server_;
  QString display_;
};

}  // namespace burnstation::ui::test
