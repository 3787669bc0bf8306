// `burnstation-kiosk --screenshots DIR [--size WxH]`: every screen with the demonstration
// data, rendered to PNG files with QWidget::grab() and no service (the README's pictures).
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <functional>

namespace burnstation::ui {

class KioskWindow;

// Calls `visit` with the window showing each screen in turn and the screen's file name.
void tourScreens(KioskWindow& window, const std::function<void(const QString& name)>& visit);

// Writes DIR/<name>.png for every screen at `size`; returns the files, or throws
// std::runtime_error with the reason a file could not be written.
QStringList writeScreenshots(const QString& dir, QSize size);

}  // namespace burnstation::ui
