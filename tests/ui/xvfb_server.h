// An Xvfb server for one test, on a display nobody uses. Xvfb names it (-displayfd) only once
// it accepts clients, so no client connects before the server is ready: a socket file alone
// is not readiness (CI saw "could not connect to display"); nor is the number alone, so a
// probe client has to connect too.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QThread>

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
  // False with `why` set when Xvfb did not start or said no display within 10 s.
  bool start(const QString& screen, int dpi, QString* why) {
    // A display number nobody uses (no lock file, no socket), chosen here: Xvfb's own choice
    // (-displayfd without a number) unlinks another server's socket file while it looks, so
    // two tests starting at once broke each other's display :0.
    int number = 100 + static_cast<int>(getpid() % 800);
    for (int attempt = 0; attempt < 5; ++attempt, ++number) {
      while (QFileInfo::exists(QStringLiteral("/tmp/.X%1-lock").arg(number)) ||
             QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(number)))
        ++number;
      if (startOn(number, screen, dpi, why)) return true;
    }
    return false;
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
  // Xvfb on :number; -displayfd makes it write the number once it accepts clients.
  bool startOn(int number, const QString& screen, int dpi, QString* why) {
    const QString xvfb = QStandardPaths::findExecutable("Xvfb");
    server_.process.setProcessChannelMode(QProcess::ForwardedErrorChannel);  // its warnings
    server_.process.start(
        xvfb, {QStringLiteral(":%1").arg(number), "-displayfd", "1", "-screen", "0", screen, "-dpi",
               QString::number(dpi), "-nolisten", "tcp", "-noreset", "-ac"});
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
    if (!said.contains('\n') || said.trimmed().toInt() != number) {
      *why = QStringLiteral("Xvfb did not open display :%1 within 10 s (its messages are above)")
                 .arg(number);
      server_.process.kill();
      server_.process.waitForFinished(5000);
      return false;
    }
    display_ = QStringLiteral(":%1").arg(number);
    // A client that connects and goes: CI once saw a kiosk refused right after Xvfb said it
    // was ready. With -noreset the probe's leaving does not reset the server under the next.
    const QString xdotool = QStandardPaths::findExecutable("xdotool");
    for (int waited = 0; waited < 10000; waited += 200) {
      QProcess probe;
      probe.setProcessEnvironment(clientEnvironment());
      probe.start(xdotool, {"getdisplaygeometry"});
      if (probe.waitForFinished(5000) && probe.exitStatus() == QProcess::NormalExit &&
          probe.exitCode() == 0)
        return true;
      QThread::msleep(200);
    }
    *why = QStringLiteral("Xvfb on :%1 accepted no client within 10 s").arg(number);
    return false;
  }

  Child server_;
  QString display_;
};

}  // namespace burnstation::ui::test
