#pragma once

#include <QWidget>

namespace keyward {

// What the window shows while no database is open: a short explanation and the ways to open one.
class WelcomePage : public QWidget
{
    Q_OBJECT

public:
    explicit WelcomePage(QWidget* parent = nullptr);

Q_SIGNALS:
    void createRequested();
    void openRequested();
};

} // namespace keyward
