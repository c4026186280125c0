#pragma once

#include "Backend.h"

#include <QDialog>

#include <memory>

namespace Ui {
class RevokeDialog;
}

namespace keyward {

// Asks for the reason to revoke a key and shows what the customer loses before anything happens.
class RevokeDialog : public QDialog
{
    Q_OBJECT

public:
    RevokeDialog(const KeyDetails& details, QWidget* parent = nullptr);
    ~RevokeDialog() override;

    RevokeReason reason() const;
    QString note() const;
    // What revoking takes away, as HTML list items (for the dialog and its test).
    static QString losses(const KeyDetails& details, const QDateTime& now);

private:
    std::unique_ptr<Ui::RevokeDialog> m_ui;
};

} // namespace keyward
