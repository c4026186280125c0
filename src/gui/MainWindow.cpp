#include "MainWindow.h"

#include "AppSettings.h"
#include "BulkDeleteWizard.h"
#include "DatabaseChooser.h"
#include "ErrorText.h"
#include "ExportDialog.h"
#include "GenerateKeysDialog.h"
#include "ImportWizard.h"
#include "KeyDetailEditor.h"
#include "KeyFilterBar.h"
#include "KeyTableModel.h"
#include "KeysPage.h"
#include "ProductEditor.h"
#include "ProductTableModel.h"
#include "ProductsPage.h"
#include "SettingsDialog.h"
#include "Theme.h"
#include "WelcomePage.h"
#include "ui_MainWindow.h"

#include <QActionGroup>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QTableView>

namespace keyward {
namespace {

enum PageIndex
{
    ProductsIndex,
    KeysIndex,
    TrashIndex,
    WelcomeIndex
};

QString currentActor()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return QStringLiteral("app:") + (user.isEmpty() ? QStringLiteral("local") : user);
}

std::vector<qint64> idsOf(const std::vector<LicenseKey>& keys)
{
    std::vector<qint64> ids;
    ids.reserve(keys.size());
    for (const LicenseKey& k : keys)
        ids.push_back(k.id);
    return ids;
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    setWindowIcon(QIcon(QStringLiteral(":/icons/keyward.svg")));
    m_products = new ProductsPage(m_ui->pages);
    m_keys = new KeysPage(KeyFilter::Scope::Live, m_ui->pages);
    m_trash = new KeysPage(KeyFilter::Scope::Trash, m_ui->pages);
    m_welcome = new WelcomePage(m_ui->pages);
    m_ui->pages->insertWidget(ProductsIndex, m_products);
    m_ui->pages->insertWidget(KeysIndex, m_keys);
    m_ui->pages->insertWidget(TrashIndex, m_trash);
    m_ui->pages->insertWidget(WelcomeIndex, m_welcome);
    m_ui->mainSplitter->setStretchFactor(1, 1);
    m_ui->mainSplitter->setSizes({180, 1200});

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    m_loadingLabel = new QLabel(this);
    m_loadingLabel->setObjectName(QStringLiteral("loadingLabel"));
    m_databaseLabel = new QLabel(this);
    m_databaseLabel->setObjectName(QStringLiteral("databaseLabel"));
    statusBar()->addPermanentWidget(m_loadingLabel);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_databaseLabel);

    setupSidebar();
    setupActions();
    connect(m_welcome, &WelcomePage::createRequested, this, [this] { chooseDatabase(true); });
    connect(m_welcome, &WelcomePage::openRequested, this, [this] { chooseDatabase(false); });
    for (KeysPage* page : {m_keys, m_trash}) {
        connect(page, &KeysPage::selectionChanged, this, [this] {
            updateActions();
            updateStatus();
        });
        connect(page, &KeysPage::countChanged, this, &MainWindow::updateStatus);
        connect(page, &KeysPage::errorOccurred, this, &MainWindow::say);
        connect(page, &KeysPage::contextMenuWanted, this,
                [this, page](const QPoint& at) { showKeyMenu(page, at); });
    }
    connect(m_keys->editor(), &KeyDetailEditor::dirtyChanged, this, &MainWindow::updateActions);
    connect(m_keys->editor(), &KeyDetailEditor::keySaved, this, [this] { say(tr("Key saved.")); });
    connect(m_products, &ProductsPage::editRequested, this, &MainWindow::editProduct);
    connect(m_products, &ProductsPage::selectionChanged, this, &MainWindow::updateActions);
    connect(m_products, &ProductsPage::contextMenuWanted, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addAction(m_ui->actionEditProduct);
        QAction* show = menu.addAction(tr("Show its keys"));
        menu.addAction(m_ui->actionGenerate);
        menu.addSeparator();
        menu.addAction(m_ui->actionArchiveProduct);
        if (menu.exec(at) == show) {
            if (auto p = m_products->currentProduct()) {
                m_keys->filterBar()->setProductFilter(p->id);
                showSection(Section::Keys);
            }
        }
    });
    m_ui->pages->setCurrentIndex(WelcomeIndex);
    restoreLayout();
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow()
{
    // Pages drop their models before the backend they talk to goes away.
    m_products->setBackend(nullptr);
    m_keys->setBackend(nullptr);
    m_trash->setBackend(nullptr);
}

void MainWindow::setupSidebar()
{
    auto add = [this](const QString& text, const char* icon, const QString& name) {
        auto* item = new QListWidgetItem(QIcon(QString::fromLatin1(icon)), text, m_ui->sidebar);
        item->setData(Qt::UserRole, name);
        item->setSizeHint(QSize(0, 34));
    };
    add(tr("Products"), ":/icons/products.svg", QStringLiteral("products"));
    add(tr("Keys"), ":/icons/keys.svg", QStringLiteral("keys"));
    add(tr("Trash"), ":/icons/trash.svg", QStringLiteral("trash"));
    connect(m_ui->sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_backend || row < 0)
            return;
        m_ui->pages->setCurrentIndex(row);
        updateActions();
        updateStatus();
    });
}

void MainWindow::setupActions()
{
    auto icon = [](const char* name) {
        return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
    };
    m_ui->actionNewProduct->setIcon(icon("new-product"));
    m_ui->actionEditProduct->setIcon(icon("edit"));
    m_ui->actionArchiveProduct->setIcon(icon("archive"));
    m_ui->actionGenerate->setIcon(icon("generate"));
    m_ui->actionRevoke->setIcon(icon("revoke"));
    m_ui->actionDelete->setIcon(icon("delete"));
    m_ui->actionRestore->setIcon(icon("restore"));
    m_ui->actionExport->setIcon(icon("export"));
    m_ui->actionRefresh->setIcon(icon("refresh"));
    m_ui->actionCopyKey->setIcon(icon("copy"));
    m_ui->actionSaveKey->setIcon(icon("save"));
    m_ui->actionOpenDatabase->setIcon(icon("database"));
    m_ui->actionImport->setIcon(icon("import"));
    m_ui->actionBulkDelete->setIcon(icon("trash"));
    m_ui->actionQuit->setMenuRole(QAction::QuitRole);
    m_ui->actionAbout->setMenuRole(QAction::AboutRole);
    m_ui->actionSettings->setMenuRole(QAction::PreferencesRole);

    connect(m_ui->actionNewDatabase, &QAction::triggered, this, [this] { chooseDatabase(true); });
    connect(m_ui->actionOpenDatabase, &QAction::triggered, this, [this] { chooseDatabase(false); });
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionNewProduct, &QAction::triggered, this, &MainWindow::newProduct);
    connect(m_ui->actionEditProduct, &QAction::triggered, this, &MainWindow::editProduct);
    connect(m_ui->actionArchiveProduct, &QAction::triggered, this, &MainWindow::toggleArchived);
    connect(m_ui->actionGenerate, &QAction::triggered, this, &MainWindow::generateKeys);
    connect(m_ui->actionExport, &QAction::triggered, this, &MainWindow::exportKeys);
    connect(m_ui->actionCopyKey, &QAction::triggered, this, &MainWindow::copyKeys);
    connect(m_ui->actionDelete, &QAction::triggered, this, &MainWindow::deleteSelected);
    connect(m_ui->actionRestore, &QAction::triggered, this, &MainWindow::restoreSelected);
    connect(m_ui->actionPurge, &QAction::triggered, this, &MainWindow::purgeSelected);
    connect(m_ui->actionRevoke, &QAction::triggered, this, &MainWindow::revokeSelected);
    connect(m_ui->actionSaveKey, &QAction::triggered, m_keys->editor(), &KeyDetailEditor::save);
    connect(m_ui->actionRefresh, &QAction::triggered, this, &MainWindow::refresh);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::showSettings);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionImport, &QAction::triggered, this, &MainWindow::importKeys);
    connect(m_ui->actionBulkDelete, &QAction::triggered, this, &MainWindow::bulkDelete);
    connect(m_ui->actionFind, &QAction::triggered, this, [this] {
        if (section() == Section::Products)
            showSection(Section::Keys);
        if (KeysPage* page = currentKeysPage())
            page->focusSearch();
    });
    connect(m_ui->actionSelectAll, &QAction::triggered, this, [this] {
        if (KeysPage* page = currentKeysPage())
            page->table()->selectAll();
    });
    connect(m_ui->actionShowProducts, &QAction::triggered, this, [this] { showSection(Section::Products); });
    connect(m_ui->actionShowKeys, &QAction::triggered, this, [this] { showSection(Section::Keys); });
    connect(m_ui->actionShowTrash, &QAction::triggered, this, [this] { showSection(Section::Trash); });

    auto* themes = new QActionGroup(this);
    const std::pair<QAction*, AppSettings::Theme> choices[] = {
        {m_ui->actionThemeSystem, AppSettings::Theme::System},
        {m_ui->actionThemeLight, AppSettings::Theme::Light},
        {m_ui->actionThemeDark, AppSettings::Theme::Dark}};
    const AppSettings::Theme current = AppSettings().theme();
    for (const auto& [action, theme] : choices) {
        themes->addAction(action);
        action->setChecked(theme == current);
        connect(action, &QAction::triggered, this, [theme = theme] {
            AppSettings().setTheme(theme);
            Theme::apply(theme);
        });
    }
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_ui->menuRecent->clear();
    const QStringList recent = AppSettings().recentDatabases();
    for (const QString& entry : recent) {
        QAction* a = m_ui->menuRecent->addAction(QIcon(QStringLiteral(":/icons/database.svg")), entry);
        connect(a, &QAction::triggered, this, [this, entry] { openDatabase(entry, false); });
    }
    m_ui->menuRecent->setEnabled(!recent.isEmpty());
}

void MainWindow::openInitialDatabase(const QString& requested)
{
    if (!requested.isEmpty()) {
        openDatabase(requested,
                     !QFileInfo::exists(requested) && !requested.startsWith(QLatin1String("postgres")));
        return;
    }
    const QString last = AppSettings().lastDatabase();
    if (!last.isEmpty()) {
        openDatabase(last, false);
        return;
    }
    const QString fallback = DatabaseLocation::defaultSqlitePath();
    if (QFileInfo::exists(fallback)) {
        openDatabase(fallback, false);
        return;
    }
    chooseDatabase(true); // first run
}

void MainWindow::chooseDatabase(bool create)
{
    DatabaseChooser chooser(this);
    chooser.setObjectName(QStringLiteral("databaseChooser"));
    if (!create)
        chooser.setMode(DatabaseChooser::Mode::Open);
    if (chooser.exec() != QDialog::Accepted) {
        if (!m_backend)
            m_ui->pages->setCurrentIndex(WelcomeIndex);
        return;
    }
    openDatabase(chooser.location(), chooser.create());
}

void MainWindow::openDatabase(const QString& location, bool create, bool readOnly)
{
    auto parsed = DatabaseLocation::parse(location);
    if (!parsed) {
        handleOpenError(parsed.error(), location, create, readOnly);
        return;
    }
    if (m_keys->editor()->isDirty() && !m_keys->editor()->confirmLeave())
        return;
    LocalBackend::Options options;
    options.create = create;
    options.readOnly = readOnly;
    options.actor = currentActor();
    options.busyTimeoutMs = m_busyTimeoutMs;
    m_opening = std::make_unique<LocalBackend>(*parsed, options);
    m_loadingLabel->setText(tr("Opening %1…").arg(parsed->displayName()));
    LocalBackend* opening = m_opening.get();
    opening->open(this, [this, opening, location, create, readOnly](const Result<bool>& r) {
        if (m_opening.get() != opening)
            return;
        std::unique_ptr<LocalBackend> backend = std::move(m_opening);
        m_loadingLabel->clear();
        if (!r) {
            backend.reset();
            handleOpenError(r.error(), location, create, readOnly);
            return;
        }
        adoptBackend(std::move(backend), location);
    });
}

void MainWindow::handleOpenError(const Error& error, const QString& location, bool create, bool readOnly)
{
    Q_EMIT databaseFailed(error.message);
    QMessageBox box(QMessageBox::Warning, tr("Cannot open the database"), ErrorText::headline(error.kind),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("openError"));
    box.setInformativeText(error.message);
    QPushButton* retry = nullptr;
    QPushButton* openReadOnly = nullptr;
    if (error.kind == ErrorKind::Locked)
        retry = box.addButton(tr("Try again"), QMessageBox::AcceptRole);
    if ((error.kind == ErrorKind::Locked || error.kind == ErrorKind::ReadOnly) && !readOnly)
        openReadOnly = box.addButton(tr("Open read-only"), QMessageBox::AcceptRole);
    QPushButton* another = box.addButton(tr("Choose another database…"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == retry && retry)
        openDatabase(location, create, readOnly);
    else if (box.clickedButton() == openReadOnly && openReadOnly)
        openDatabase(location, false, true);
    else if (box.clickedButton() == another)
        chooseDatabase(create);
    else if (!m_backend)
        m_ui->pages->setCurrentIndex(WelcomeIndex);
}

void MainWindow::adoptBackend(std::unique_ptr<LocalBackend> backend, const QString& location)
{
    closeDatabase();
    m_backend = std::move(backend);
    m_location = location;
    AppSettings settings;
    settings.setLastDatabase(location);
    settings.addRecentDatabase(location);
    rebuildRecentMenu();
    connect(m_backend.get(), &Backend::productsChanged, this, &MainWindow::loadProducts);
    m_products->setBackend(m_backend.get());
    m_keys->setBackend(m_backend.get());
    m_trash->setBackend(m_backend.get());
    m_products->restoreState();
    m_keys->restoreState(QStringLiteral("keys"));
    m_trash->restoreState(QStringLiteral("trash"));
    loadProducts();
    const QString name = m_backend->displayName();
    setWindowTitle(
        tr("%1 — Keyward")
            .arg(m_backend->location().isSqlite() ? QFileInfo(m_backend->location().path).fileName() : name));
    m_databaseLabel->setText(m_backend->isReadOnly() ? tr("%1 (read-only)").arg(name) : name);
    m_databaseLabel->setToolTip(name);
    if (m_ui->sidebar->currentRow() < 0)
        m_ui->sidebar->setCurrentRow(KeysIndex);
    else
        m_ui->pages->setCurrentIndex(m_ui->sidebar->currentRow());
    updateActions();
    updateStatus();
    Q_EMIT databaseOpened();
}

void MainWindow::closeDatabase()
{
    if (!m_backend)
        return;
    saveLayout();
    m_products->setBackend(nullptr);
    m_keys->setBackend(nullptr);
    m_trash->setBackend(nullptr);
    m_backend.reset();
    m_productList.clear();
}

void MainWindow::loadProducts()
{
    if (!m_backend)
        return;
    m_backend->products(this, [this](const Result<std::vector<Product>>& products) {
        if (!products) {
            say(products.errorMessage());
            return;
        }
        m_productList = *products;
        m_keys->setProducts(m_productList);
        m_trash->setProducts(m_productList);
        updateActions();
        Q_EMIT productsLoaded();
    });
}

MainWindow::Section MainWindow::section() const
{
    switch (m_ui->pages->currentIndex()) {
    case ProductsIndex:
        return Section::Products;
    case TrashIndex:
        return Section::Trash;
    default:
        return Section::Keys;
    }
}

void MainWindow::showSection(Section s)
{
    if (!m_backend)
        return;
    m_ui->sidebar->setCurrentRow(s == Section::Products ? ProductsIndex
                                 : s == Section::Keys   ? KeysIndex
                                                        : TrashIndex);
}

KeysPage* MainWindow::currentKeysPage() const
{
    if (!m_backend)
        return nullptr;
    switch (m_ui->pages->currentIndex()) {
    case KeysIndex:
        return m_keys;
    case TrashIndex:
        return m_trash;
    default:
        return nullptr;
    }
}

void MainWindow::updateActions()
{
    const bool open = m_backend != nullptr;
    const bool writable = open && !m_backend->isReadOnly();
    const Section s = section();
    KeysPage* page = currentKeysPage();
    const qint64 selected = page ? page->selectedCount() : 0;
    const bool haveProducts = !m_productList.empty();
    const std::optional<Product> product =
        s == Section::Products ? m_products->currentProduct() : std::nullopt;
    m_ui->actionExport->setEnabled(open);
    m_ui->actionNewProduct->setEnabled(writable);
    m_ui->actionEditProduct->setEnabled(open && product.has_value());
    m_ui->actionArchiveProduct->setEnabled(writable && product.has_value());
    m_ui->actionArchiveProduct->setText(product && product->archived ? tr("Un&archive product")
                                                                     : tr("&Archive product"));
    m_ui->actionGenerate->setEnabled(writable && haveProducts);
    m_ui->actionCopyKey->setEnabled(page && selected > 0);
    m_ui->actionSelectAll->setEnabled(page != nullptr);
    m_ui->actionFind->setEnabled(open);
    m_ui->actionRefresh->setEnabled(open);
    m_ui->actionDelete->setEnabled(writable && page == m_keys && selected > 0);
    m_ui->actionRevoke->setEnabled(writable && page == m_keys && selected == 1);
    m_ui->actionSaveKey->setEnabled(writable && page == m_keys && m_keys->editor()->isDirty());
    m_ui->actionRestore->setEnabled(writable && page == m_trash && selected > 0);
    m_ui->actionPurge->setEnabled(writable && page == m_trash && selected > 0);
    m_ui->actionImport->setEnabled(writable && haveProducts);
    m_ui->actionBulkDelete->setEnabled(writable);
    for (QAction* a : {m_ui->actionShowProducts, m_ui->actionShowKeys, m_ui->actionShowTrash})
        a->setEnabled(open);
    m_ui->sidebar->setEnabled(open);
}

void MainWindow::updateStatus()
{
    const QLocale locale;
    KeysPage* page = currentKeysPage();
    if (!m_backend) {
        m_countLabel->clear();
        m_databaseLabel->setText(tr("No database open"));
        return;
    }
    QString text;
    bool loading = false;
    if (page && page->model()) {
        const KeyTableModel* model = page->model();
        loading = model->isLoading();
        const QString rows =
            model->isCountKnown() ? locale.toString(model->totalRows()) : QStringLiteral("…");
        text = page == m_trash ? tr("%1 keys in the trash").arg(rows) : tr("%1 keys").arg(rows);
        const qint64 selected = page->selectedCount();
        if (selected > 0)
            text += QStringLiteral(" · ") + tr("%1 selected").arg(locale.toString(selected));
    } else if (m_products->model()) {
        text = tr("%n product(s)", nullptr, int(m_products->model()->totalRows()));
    }
    m_countLabel->setText(text);
    m_loadingLabel->setText(loading ? tr("Loading…") : QString());
}

void MainWindow::say(const QString& message)
{
    statusBar()->showMessage(message, 8000);
    Q_EMIT statusMessage(message);
}

void MainWindow::newProduct()
{
    if (!m_backend)
        return;
    ProductEditor editor(m_backend.get(), std::nullopt, this);
    editor.setObjectName(QStringLiteral("productEditor"));
    if (editor.exec() == QDialog::Accepted) {
        say(tr("Product \"%1\" created.").arg(editor.saved().name));
        showSection(Section::Products);
    }
}

void MainWindow::editProduct()
{
    const auto product = m_products->currentProduct();
    if (!m_backend || !product)
        return;
    ProductEditor editor(m_backend.get(), product, this);
    editor.setObjectName(QStringLiteral("productEditor"));
    if (editor.exec() == QDialog::Accepted)
        say(tr("Product \"%1\" saved.").arg(editor.saved().name));
}

void MainWindow::toggleArchived()
{
    auto product = m_products->currentProduct();
    if (!m_backend || !product)
        return;
    product->archived = !product->archived;
    const bool archived = product->archived;
    m_backend->updateProduct(*product, this, [this, archived](const Result<Product>& r) {
        if (!r) {
            ErrorText::show(this, tr("Archive product"), r.error());
            return;
        }
        say(archived ? tr("\"%1\" is archived.").arg(r->name) : tr("\"%1\" is active again.").arg(r->name));
        updateActions();
    });
}

void MainWindow::generateKeys()
{
    if (!m_backend || m_productList.empty())
        return;
    // The product in view: selected, filtered by, or of the key being edited.
    qint64 productId = 0;
    if (auto p = section() == Section::Products ? m_products->currentProduct() : std::nullopt)
        productId = p->id;
    else if (auto f = m_keys->filterBar()->filter(); f.productId)
        productId = *f.productId;
    else if (const auto& details = m_keys->editor()->details())
        productId = details->key.productId;
    GenerateKeysDialog dialog(m_backend.get(), m_productList, productId, this);
    dialog.setObjectName(QStringLiteral("generateDialog"));
    connect(&dialog, &GenerateKeysDialog::generated, this, [this](qint64, qint64 count) {
        say(tr("%1 keys generated.").arg(QLocale().toString(count)));
        showSection(Section::Keys);
    });
    dialog.exec();
}

void MainWindow::exportKeys()
{
    if (!m_backend)
        return;
    KeysPage* page = currentKeysPage() ? currentKeysPage() : m_keys;
    if (!page->model())
        return;
    auto open = [this, page](const std::vector<LicenseKey>& selected) {
        const KeyTableModel* model = page->model();
        ExportDialog dialog(m_backend.get(), model->filter(), model->isCountKnown() ? model->totalRows() : -1,
                            idsOf(selected), this);
        dialog.setObjectName(QStringLiteral("exportDialog"));
        dialog.exec();
    };
    if (page->selectedCount() > 0 && currentKeysPage())
        page->withSelectedKeys(open);
    else
        open({});
}

void MainWindow::copyKeys()
{
    KeysPage* page = currentKeysPage();
    if (!page || page->selectedCount() == 0)
        return;
    page->withSelectedKeys([this](const std::vector<LicenseKey>& keys) {
        QStringList lines;
        lines.reserve(qsizetype(keys.size()));
        for (const LicenseKey& k : keys)
            lines << k.key;
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
        say(tr("%n key(s) copied.", nullptr, int(lines.size())));
    });
}

void MainWindow::changeKeys(const std::function<void(const std::vector<qint64>&)>& act)
{
    KeysPage* page = currentKeysPage();
    if (!page || page->selectedCount() == 0)
        return;
    page->withSelectedKeys([act](const std::vector<LicenseKey>& keys) { act(idsOf(keys)); });
}

void MainWindow::deleteSelected()
{
    if (currentKeysPage() != m_keys || m_keys->selectedCount() == 0)
        return;
    const qint64 count = m_keys->selectedCount();
    QMessageBox box(QMessageBox::Question, tr("Delete keys"),
                    tr("Move %n key(s) to the trash?", nullptr, int(count)), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("confirmTrash"));
    box.setInformativeText(tr("They stop validating at once. You can restore them from the Trash."));
    QPushButton* yes = box.addButton(tr("Move to trash"), QMessageBox::AcceptRole);
    box.addButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes)
        return;
    changeKeys([this](const std::vector<qint64>& ids) {
        m_backend->trashKeys(ids, this, [this](const Result<qint64>& r) {
            if (!r) {
                ErrorText::show(this, tr("Delete keys"), r.error());
                return;
            }
            m_keys->table()->clearSelection();
            m_keys->editor()->clear();
            say(tr("%n key(s) moved to the trash.", nullptr, int(*r)));
        });
    });
}

void MainWindow::restoreSelected()
{
    if (currentKeysPage() != m_trash)
        return;
    changeKeys([this](const std::vector<qint64>& ids) {
        m_backend->restoreKeys(ids, this, [this](const Result<qint64>& r) {
            if (!r) {
                ErrorText::show(this, tr("Restore keys"), r.error());
                return;
            }
            m_trash->table()->clearSelection();
            say(tr("%n key(s) restored.", nullptr, int(*r)));
        });
    });
}

void MainWindow::purgeSelected()
{
    if (currentKeysPage() != m_trash || m_trash->selectedCount() == 0)
        return;
    const qint64 count = m_trash->selectedCount();
    QMessageBox box(QMessageBox::Warning, tr("Delete forever"),
                    tr("Delete %n key(s) forever?", nullptr, int(count)), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("confirmPurge"));
    box.setInformativeText(
        tr("This cannot be undone: the keys, their domains and devices are removed from the "
           "database. The audit log keeps a record that they were purged."));
    QPushButton* yes = box.addButton(tr("Delete forever"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes)
        return;
    changeKeys([this](const std::vector<qint64>& ids) {
        m_backend->purgeKeys(ids, this, [this](const Result<qint64>& r) {
            if (!r) {
                ErrorText::show(this, tr("Delete forever"), r.error());
                return;
            }
            m_trash->table()->clearSelection();
            say(tr("%n key(s) deleted forever.", nullptr, int(*r)));
        });
    });
}

void MainWindow::revokeSelected()
{
    if (currentKeysPage() == m_keys && m_keys->editor()->keyId())
        m_keys->editor()->revoke();
}

void MainWindow::refresh()
{
    if (!m_backend)
        return;
    m_products->refresh();
    m_keys->refresh();
    m_trash->refresh();
    loadProducts();
}

void MainWindow::showKeyMenu(KeysPage* page, const QPoint& at)
{
    QMenu menu(this);
    menu.addAction(m_ui->actionCopyKey);
    if (page == m_keys) {
        menu.addAction(m_ui->actionRevoke);
        menu.addSeparator();
        menu.addAction(m_ui->actionDelete);
        menu.addAction(m_ui->actionBulkDelete);
    } else {
        menu.addAction(m_ui->actionRestore);
        menu.addAction(m_ui->actionPurge);
    }
    menu.addSeparator();
    if (page == m_keys)
        menu.addAction(m_ui->actionImport);
    menu.addAction(m_ui->actionExport);
    menu.exec(at);
}

void MainWindow::showSettings()
{
    SettingsDialog dialog(this);
    dialog.setObjectName(QStringLiteral("settingsDialog"));
    if (dialog.exec() == QDialog::Accepted) {
        const AppSettings::Theme theme = AppSettings().theme();
        m_ui->actionThemeSystem->setChecked(theme == AppSettings::Theme::System);
        m_ui->actionThemeLight->setChecked(theme == AppSettings::Theme::Light);
        m_ui->actionThemeDark->setChecked(theme == AppSettings::Theme::Dark);
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Keyward"),
        tr("<h3>Keyward %1</h3><p>Self-hosted license keys: generate, import, manage and validate "
           "keys on your own machines.</p><p>GPL-3.0-or-later.</p>")
            .arg(QStringLiteral(KEYWARD_VERSION)));
}

void MainWindow::importKeys()
{
    if (!m_backend || m_productList.empty())
        return;
    // The product in view, as for generating keys.
    qint64 productId = 0;
    if (auto p = section() == Section::Products ? m_products->currentProduct() : std::nullopt)
        productId = p->id;
    else if (auto f = m_keys->filterBar()->filter(); f.productId)
        productId = *f.productId;
    ImportWizard wizard(m_backend.get(), m_productList, productId, this);
    wizard.setObjectName(QStringLiteral("importWizard"));
    connect(&wizard, &ImportWizard::imported, this, [this](qint64, qint64 count) {
        say(tr("%Ln key(s) imported.", nullptr, int(count)));
        showSection(Section::Keys);
    });
    wizard.exec();
}

void MainWindow::bulkDelete()
{
    if (!m_backend || !m_keys->model())
        return;
    auto open = [this](const std::vector<LicenseKey>& selected) {
        const KeyTableModel* model = m_keys->model();
        BulkDeleteWizard wizard(m_backend.get(), m_productList, model->filter(),
                                model->isCountKnown() ? model->totalRows() : -1, idsOf(selected), this);
        wizard.setObjectName(QStringLiteral("bulkDeleteWizard"));
        connect(&wizard, &BulkDeleteWizard::trashed, this, [this](qint64 count) {
            m_keys->table()->clearSelection();
            m_keys->editor()->clear();
            say(tr("%Ln key(s) moved to the trash.", nullptr, int(count)));
        });
        connect(&wizard, &BulkDeleteWizard::restored, this,
                [this](qint64 count) { say(tr("%Ln key(s) restored.", nullptr, int(count))); });
        wizard.exec();
    };
    // The selection counts only on the Keys page, where it is visible.
    if (currentKeysPage() == m_keys && m_keys->selectedCount() > 0)
        m_keys->withSelectedKeys(open);
    else
        open({});
}

void MainWindow::saveLayout() const
{
    AppSettings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    settings.setViewState(QStringLiteral("main/splitter"), m_ui->mainSplitter->saveState());
    if (m_backend) {
        m_products->saveState();
        m_keys->saveState(QStringLiteral("keys"));
        m_trash->saveState(QStringLiteral("trash"));
    }
}

void MainWindow::restoreLayout()
{
    AppSettings settings;
    if (!settings.windowGeometry().isEmpty()) {
        restoreGeometry(settings.windowGeometry());
    } else if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        // First start: most of the screen, centred.
        const QRect available = screen->availableGeometry();
        resize(available.size() * 0.85);
        move(available.center() - rect().center());
    }
    if (!settings.windowState().isEmpty())
        restoreState(settings.windowState());
    const QByteArray splitter = settings.viewState(QStringLiteral("main/splitter"));
    if (!splitter.isEmpty())
        m_ui->mainSplitter->restoreState(splitter);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_keys->editor()->isDirty() && !m_keys->editor()->confirmLeave()) {
        event->ignore();
        return;
    }
    saveLayout();
    event->accept();
}

} // namespace keyward
