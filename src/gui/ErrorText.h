#pragma once

#include "Result.h"

#include <QCoreApplication>

class QWidget;

namespace keyward {

// Words for errors: a translated headline per kind, with the store's own sentence as detail.
class ErrorText
{
    Q_DECLARE_TR_FUNCTIONS(ErrorText)

public:
    static QString headline(ErrorKind kind);
    // A warning box with the headline and the message; objectName "errorMessage" for tests.
    static void show(QWidget* parent, const QString& what, const Error& error);
};

} // namespace keyward
