#pragma once

#include <QAbstractButton>
#include <QApplication>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <memory>

// Helpers for tests that drive real widgets on the offscreen platform.
namespace guitest {

// Runs `act` on the visible top-level widget named `name` as soon as it appears: for dialogs
// opened with exec(), which block the caller. Set it up before triggering the dialog. The
// returned flag says whether the dialog appeared.
inline std::shared_ptr<bool> onDialog(const QString& name, std::function<void(QWidget*)> act,
                                      int timeoutMs = 20000)
{
    auto seen = std::make_shared<bool>(false);
    auto* timer = new QTimer;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, [=] {
        for (QWidget* w : QApplication::topLevelWidgets()) {
            if (w->isVisible() && w->objectName() == name) {
                timer->stop();
                timer->deleteLater();
                *seen = true;
                act(w);
                return;
            }
        }
        if (clock->elapsed() > timeoutMs) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
    return seen;
}

// The button of a dialog whose text (without '&') is `text`.
inline QAbstractButton* button(QWidget* dialog, const QString& text)
{
    for (QAbstractButton* b : dialog->findChildren<QAbstractButton*>()) {
        QString t = b->text();
        t.remove(QLatin1Char('&'));
        if (t == text)
            return b;
    }
    return nullptr;
}

// Answers the file dialog named `name` (see FileDialogs) with `path`, as a person choosing it would.
inline std::shared_ptr<bool> onFileDialog(const QString& name, const QString& path)
{
    return onDialog(name, [path](QWidget* w) {
        auto* dialog = qobject_cast<QFileDialog*>(w);
        if (!dialog)
            return;
        // Typed into the name field, as a person would: selectFile() of a file that does not exist
        // yet keeps a proposed name in some Qt versions.
        const QFileInfo info(path);
        dialog->setDirectory(info.absolutePath());
        if (auto* nameEdit = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
            nameEdit->setText(info.fileName());
        else
            dialog->selectFile(path);
        static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept() checks the choice like the button
    });
}

// Settings and the default database in folders of their own, so tests run in parallel and never
// touch the real ones. Call before QApplication exists.
inline void isolate(QTemporaryDir& dir)
{
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(dir.filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(dir.filePath(QStringLiteral("data"))));
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

} // namespace guitest

// A main() for GUI tests: isolated settings, a QApplication named like the app.
#define KW_GUI_TEST_MAIN(TestClass)                                                                          \
    int main(int argc, char** argv)                                                                          \
    {                                                                                                        \
        QTemporaryDir isolation;                                                                             \
        guitest::isolate(isolation);                                                                         \
        QApplication app(argc, argv);                                                                        \
        QApplication::setOrganizationName(QStringLiteral("Keyward"));                                        \
        QApplication::setApplicationName(QStringLiteral("Keyward"));                                         \
        TestClass test;                                                                                      \
        return QTest::qExec(&test, argc, argv);                                                              \
    }
