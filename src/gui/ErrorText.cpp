#include "ErrorText.h"

#include <QMessageBox>

namespace keyward {

QString ErrorText::headline(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return {};
    case ErrorKind::Invalid:
        return tr("Some input is not valid.");
    case ErrorKind::NotFound:
        return tr("It no longer exists.");
    case ErrorKind::Conflict:
        return tr("The change conflicts with the stored data.");
    case ErrorKind::LimitReached:
        return tr("A limit was reached.");
    case ErrorKind::Cancelled:
        return tr("Cancelled; nothing was changed.");
    case ErrorKind::NotKeyward:
        return tr("This is not a Keyward database.");
    case ErrorKind::TooNew:
        return tr("The database was written by a newer Keyward.");
    case ErrorKind::ReadOnly:
        return tr("The database is read-only.");
    case ErrorKind::Locked:
        return tr("The database is locked by another program.");
    case ErrorKind::Unreachable:
        return tr("The database server cannot be reached.");
    case ErrorKind::AuthFailed:
        return tr("The database server rejected the login.");
    case ErrorKind::Io:
        return tr("A file could not be read or written.");
    case ErrorKind::Internal:
        return tr("The database reported an error.");
    }
    return {};
}

void ErrorText::show(QWidget* parent, const QString& what, const Error& error)
{
    QMessageBox box(QMessageBox::Warning, what, headline(error.kind), QMessageBox::Ok, parent);
    box.setObjectName(QStringLiteral("errorMessage"));
    box.setInformativeText(error.message);
    box.exec();
}

} // namespace keyward
