#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class DatabaseChooser;
}

namespace keyward {

// Which database to work on: create a local file (the default in the app-data folder), open a
// file, connect to PostgreSQL, or one of the recent ones.
class DatabaseChooser : public QDialog
{
    Q_OBJECT

public:
    enum class Mode
    {
        Create,
        Open,
        Postgres
    };

    explicit DatabaseChooser(QWidget* parent = nullptr);
    ~DatabaseChooser() override;

    void setMode(Mode mode);
    Mode mode() const;
    // The database text (path or URL) and whether it should be created.
    QString location() const;
    bool create() const { return mode() == Mode::Create; }
    void setProblem(const QString& text);

    void accept() override;

private:
    void updateState();

    std::unique_ptr<Ui::DatabaseChooser> m_ui;
};

} // namespace keyward
