#include "DatabaseChooser.h"

#include "AppSettings.h"
#include "DatabaseLocation.h"
#include "ui_DatabaseChooser.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>

namespace keyward {

DatabaseChooser::DatabaseChooser(QWidget* parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::DatabaseChooser>())
{
    m_ui->setupUi(this);
    m_ui->problemLabel->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_ui->problemLabel->setVisible(false);
    const QString defaultPath = QDir::toNativeSeparators(DatabaseLocation::defaultSqlitePath());
    m_ui->createPathEdit->setText(defaultPath);
    m_ui->openPathEdit->setText(QFileInfo::exists(DatabaseLocation::defaultSqlitePath()) ? defaultPath
                                                                                         : QString());
    const QStringList recent = AppSettings().recentDatabases();
    for (const QString& entry : recent) {
        auto* item = new QListWidgetItem(entry, m_ui->recentList);
        item->setIcon(QIcon(QStringLiteral(":/icons/database.svg")));
    }
    m_ui->recentCaption->setVisible(!recent.isEmpty());
    m_ui->recentList->setVisible(!recent.isEmpty());
    if (QFileInfo::exists(DatabaseLocation::defaultSqlitePath()))
        setMode(Mode::Open);

    connect(m_ui->createBrowseButton, &QToolButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("New database"), m_ui->createPathEdit->text(),
                                         tr("Keyward database (*.db);;All files (*)"));
        if (!path.isEmpty())
            m_ui->createPathEdit->setText(QDir::toNativeSeparators(path));
    });
    connect(m_ui->openBrowseButton, &QToolButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open database"), m_ui->openPathEdit->text(),
                                         tr("Keyward database (*.db);;All files (*)"));
        if (!path.isEmpty()) {
            m_ui->openPathEdit->setText(QDir::toNativeSeparators(path));
            setMode(Mode::Open);
        }
    });
    connect(m_ui->recentList, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QString text = item->text();
        if (text.startsWith(QLatin1String("postgres"), Qt::CaseInsensitive)) {
            m_ui->postgresUrlEdit->setText(text);
            setMode(Mode::Postgres);
        } else {
            m_ui->openPathEdit->setText(text);
            setMode(Mode::Open);
        }
    });
    connect(m_ui->recentList, &QListWidget::itemDoubleClicked, this, [this] { accept(); });
    for (QRadioButton* r : {m_ui->createRadio, m_ui->openRadio, m_ui->postgresRadio})
        connect(r, &QRadioButton::toggled, this, &DatabaseChooser::updateState);
    for (QLineEdit* e : {m_ui->createPathEdit, m_ui->openPathEdit, m_ui->postgresUrlEdit})
        connect(e, &QLineEdit::textChanged, this, &DatabaseChooser::updateState);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &DatabaseChooser::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
}

DatabaseChooser::~DatabaseChooser() = default;

void DatabaseChooser::setMode(Mode mode)
{
    (mode == Mode::Create ? m_ui->createRadio
     : mode == Mode::Open ? m_ui->openRadio
                          : m_ui->postgresRadio)
        ->setChecked(true);
}

DatabaseChooser::Mode DatabaseChooser::mode() const
{
    if (m_ui->openRadio->isChecked())
        return Mode::Open;
    if (m_ui->postgresRadio->isChecked())
        return Mode::Postgres;
    return Mode::Create;
}

QString DatabaseChooser::location() const
{
    switch (mode()) {
    case Mode::Create:
        return QDir::fromNativeSeparators(m_ui->createPathEdit->text().trimmed());
    case Mode::Open:
        return QDir::fromNativeSeparators(m_ui->openPathEdit->text().trimmed());
    case Mode::Postgres:
        return m_ui->postgresUrlEdit->text().trimmed();
    }
    return {};
}

void DatabaseChooser::setProblem(const QString& text)
{
    m_ui->problemLabel->setText(text);
    m_ui->problemLabel->setVisible(!text.isEmpty());
}

void DatabaseChooser::updateState()
{
    const Mode m = mode();
    m_ui->createPathEdit->setEnabled(m == Mode::Create);
    m_ui->createBrowseButton->setEnabled(m == Mode::Create);
    m_ui->openPathEdit->setEnabled(m == Mode::Open);
    m_ui->openBrowseButton->setEnabled(m == Mode::Open);
    m_ui->postgresUrlEdit->setEnabled(m == Mode::Postgres);
    QPushButton* ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setText(m == Mode::Create ? tr("&Create") : m == Mode::Open ? tr("&Open") : tr("&Connect"));
    ok->setEnabled(!location().isEmpty());
    setProblem({});
}

void DatabaseChooser::accept()
{
    const QString text = location();
    if (mode() == Mode::Create && QFileInfo::exists(text)) {
        setProblem(tr("%1 already exists. Open it instead, or choose another name.")
                       .arg(QDir::toNativeSeparators(text)));
        return;
    }
    if (mode() == Mode::Open && !QFileInfo::exists(text)) {
        setProblem(tr("There is no file %1.").arg(QDir::toNativeSeparators(text)));
        return;
    }
    if (auto parsed = DatabaseLocation::parse(text); !parsed) {
        setProblem(parsed.errorMessage());
        return;
    }
    QDialog::accept();
}

} // namespace keyward
