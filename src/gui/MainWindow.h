#pragma once

#include "Backend.h"
#include "LocalBackend.h"

#include <QMainWindow>

#include <memory>

namespace Ui {
class MainWindow;
}

class QLabel;

namespace keyward {

class KeysPage;
class ProductsPage;
class WelcomePage;

// The main window: a sidebar (Products, Keys, Trash), the page of the section, menus, toolbar and
// a status bar with counts. It owns the backend of the open database; everything it shows comes
// from that backend asynchronously, so the window never waits on the database.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Section
    {
        Products,
        Keys,
        Trash
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens `requested` (a path or URL; empty: the last or the default database), or asks.
    void openInitialDatabase(const QString& requested);
    void openDatabase(const QString& location, bool create, bool readOnly = false);

    Backend* backend() const { return m_backend.get(); }
    ProductsPage* productsPage() const { return m_products; }
    KeysPage* keysPage() const { return m_keys; }
    KeysPage* trashPage() const { return m_trash; }
    const std::vector<Product>& productList() const { return m_productList; }
    void showSection(Section section);
    Section section() const;
    // For tests: how long to wait for another program's lock when opening.
    void setBusyTimeout(int ms) { m_busyTimeoutMs = ms; }

public Q_SLOTS:
    void chooseDatabase(bool create = false);
    void newProduct();
    void editProduct();
    void toggleArchived();
    void generateKeys();
    void exportKeys();
    void copyKeys();
    void deleteSelected();
    void restoreSelected();
    void purgeSelected();
    void revokeSelected();
    void refresh();
    void showSettings();
    void showAbout();
    void importKeys();
    void bulkDelete();

Q_SIGNALS:
    void databaseOpened();
    void databaseFailed(const QString& message);
    void productsLoaded();
    void statusMessage(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void setupActions();
    void setupSidebar();
    void adoptBackend(std::unique_ptr<LocalBackend> backend, const QString& location);
    void handleOpenError(const Error& error, const QString& location, bool create, bool readOnly);
    void closeDatabase();
    void loadProducts();
    void updateActions();
    void updateStatus();
    void rebuildRecentMenu();
    void saveLayout() const;
    void restoreLayout();
    void say(const QString& message);
    KeysPage* currentKeysPage() const;
    void showKeyMenu(KeysPage* page, const QPoint& at);
    void changeKeys(const std::function<void(const std::vector<qint64>&)>& act);

    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<LocalBackend> m_backend;
    std::unique_ptr<LocalBackend> m_opening;
    QString m_location;
    ProductsPage* m_products;
    KeysPage* m_keys;
    KeysPage* m_trash;
    WelcomePage* m_welcome;
    QLabel* m_countLabel;
    QLabel* m_loadingLabel;
    QLabel* m_databaseLabel;
    std::vector<Product> m_productList;
    int m_busyTimeoutMs = 5000;
};

} // namespace keyward
