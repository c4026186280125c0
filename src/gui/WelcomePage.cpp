#include "WelcomePage.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace keyward {

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomePage"));
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    auto* logo = new QLabel(this);
    logo->setPixmap(QIcon(QStringLiteral(":/icons/keyward.svg")).pixmap(96, 96));
    logo->setAlignment(Qt::AlignCenter);
    layout->addWidget(logo);
    auto* title = new QLabel(tr("<h2>No database is open</h2>"), this);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    auto* text =
        new QLabel(tr("Keyward keeps products, license keys and their history in a database: a local file "
                      "that works offline, or PostgreSQL for a team."),
                   this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMaximumWidth(520);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    auto* create = new QPushButton(tr("Create a database…"), this);
    create->setObjectName(QStringLiteral("welcomeCreateButton"));
    auto* open = new QPushButton(tr("Open a database…"), this);
    open->setObjectName(QStringLiteral("welcomeOpenButton"));
    buttons->addWidget(create);
    buttons->addWidget(open);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch(3);
    connect(create, &QPushButton::clicked, this, &WelcomePage::createRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
}

} // namespace keyward
