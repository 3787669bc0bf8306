// burnstation-kiosk: the clerks' and admins' touchscreen, a client of the service's local
// API. `--screenshots DIR` renders every screen with demonstration data instead.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QScreen>
#include <QStandardPaths>
#include <cstdio>
#include <exception>

#include "kiosk_style.h"
#include "kiosk_window.h"
#include "screenshot_tour.h"

namespace {

// --socket, else $BURNSTATION_API_SOCKET, else the installed service's socket, else the
// single-user service's (<data_dir>/api.sock under ~/.local/share/burnstation).
QString defaultSocket() {
  const QString env = qEnvironmentVariable("BURNSTATION_API_SOCKET");
  if (!env.isEmpty()) return env;
  if (QFileInfo(QStringLiteral("/run/burnstation")).isDir())
    return QStringLiteral("/run/burnstation/api.sock");
  QString data = qEnvironmentVariable("XDG_DATA_HOME");
  if (data.isEmpty()) data = QDir::homePath() + QStringLiteral("/.local/share");
  return data + QStringLiteral("/burnstation/api.sock");
}

}  // namespace

int main(int argc, char** argv) {
  // Screenshots need no display at all.
  for (int i = 1; i < argc; ++i)
    if (qstrcmp(argv[i], "--screenshots") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("burnstation-kiosk"));
  burnstation::ui::applyKioskStyle(app);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "The burnstation kiosk: burn patients' images by touch."));
  parser.addHelpOption();
  QCommandLineOption socket(QStringLiteral("socket"),
                            QApplication::translate("main", "The service's local API socket."),
                            QStringLiteral("PATH"), defaultSocket());
  QCommandLineOption screenshots(
      QStringLiteral("screenshots"),
      QApplication::translate("main", "Render every screen with demonstration data into DIR."),
      QStringLiteral("DIR"));
  QCommandLineOption size(QStringLiteral("size"),
                          QApplication::translate("main", "Screenshot size (default 1280x800)."),
                          QStringLiteral("WxH"), QStringLiteral("1280x800"));
  parser.addOptions({socket, screenshots, size});
  parser.process(app);

  if (parser.isSet(screenshots)) {
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    const int w = wh.value(0).toInt();
    const int h = wh.value(1).toInt();
    if (wh.size() != 2 || w < 320 || h < 240 || w > 8192 || h > 8192) {
      std::fprintf(stderr, "burnstation-kiosk: --size wants WIDTHxHEIGHT, e.g. 1024x600\n");
      return 2;
    }
    try {
      for (const QString& file :
           burnstation::ui::writeScreenshots(parser.value(screenshots), QSize(w, h)))
        std::printf("%s\n", qPrintable(file));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "burnstation-kiosk: %s\n", e.what());
      return 1;
    }
    return 0;
  }

  burnstation::ui::KioskWindow window(parser.value(socket));
  // Under cage the full-screen window fills the output; on bare X without a window manager
  // nobody places it, so it is given the screen's geometry first.
  if (QScreen* screen = QGuiApplication::primaryScreen()) window.setGeometry(screen->geometry());
  window.showFullScreen();
  window.start();
  return app.exec();
}
