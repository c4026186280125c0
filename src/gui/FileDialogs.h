#pragma once

#include <QString>

class QWidget;

namespace keyward {

// File dialogs with an objectName, so that tests drive them like any other dialog (the static
// QFileDialog functions create nameless ones). Native dialogs are used where the platform has them.
class FileDialogs
{
public:
    // The chosen file, or empty when cancelled.
    static QString open(QWidget* parent, const QString& objectName, const QString& title,
                        const QString& start, const QString& filters);
    static QString save(QWidget* parent, const QString& objectName, const QString& title,
                        const QString& start, const QString& filters);
};

} // namespace keyward
