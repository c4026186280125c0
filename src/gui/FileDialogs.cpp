#include "FileDialogs.h"

#include <QFileDialog>
#include <QFileInfo>

namespace keyward {
namespace {

QString choose(QWidget* parent, const QString& objectName, const QString& title, const QString& start,
               const QString& filters, QFileDialog::AcceptMode mode)
{
    QFileDialog dialog(parent, title, QString(), filters);
    dialog.setObjectName(objectName);
    dialog.setAcceptMode(mode);
    dialog.setFileMode(mode == QFileDialog::AcceptOpen ? QFileDialog::ExistingFile : QFileDialog::AnyFile);
    // `start` is a folder, or a file (existing or proposed) in the folder to show.
    const QFileInfo info(start);
    if (info.isDir()) {
        dialog.setDirectory(start);
    } else if (!start.isEmpty()) {
        dialog.setDirectory(info.absolutePath());
        dialog.selectFile(info.fileName());
    }
    if (dialog.exec() != QDialog::Accepted)
        return {};
    return dialog.selectedFiles().value(0);
}

} // namespace

QString FileDialogs::open(QWidget* parent, const QString& objectName, const QString& title,
                          const QString& start, const QString& filters)
{
    return choose(parent, objectName, title, start, filters, QFileDialog::AcceptOpen);
}

QString FileDialogs::save(QWidget* parent, const QString& objectName, const QString& title,
                          const QString& start, const QString& filters)
{
    return choose(parent, objectName, title, start, filters, QFileDialog::AcceptSave);
}

} // namespace keyward
