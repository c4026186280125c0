#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class TokenTopUpDialog;
}

namespace keyward {

// How many tokens to add to a token key, and why.
class TokenTopUpDialog : public QDialog
{
    Q_OBJECT

public:
    TokenTopUpDialog(qint64 balance, QWidget* parent = nullptr);
    ~TokenTopUpDialog() override;

    qint64 amount() const;
    QString note() const;

private:
    std::unique_ptr<Ui::TokenTopUpDialog> m_ui;
};

} // namespace keyward
