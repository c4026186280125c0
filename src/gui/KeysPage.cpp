#include "KeysPage.h"

#include "AppSettings.h"
#include "KeyDetailEditor.h"
#include "KeyFilterBar.h"
#include "KeyTableModel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace keyward {

KeysPage::KeysPage(KeyFilter::Scope scope, QWidget* parent) : QWidget(parent), m_scope(scope)
{
    const bool trash = scope == KeyFilter::Scope::Trash;
    setObjectName(trash ? QStringLiteral("trashPage") : QStringLiteral("keysPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    m_filterBar = new KeyFilterBar(this);
    m_filterBar->setObjectName(trash ? QStringLiteral("trashFilterBar") : QStringLiteral("keyFilterBar"));
    layout->addWidget(m_filterBar);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(trash ? QStringLiteral("trashSplitter") : QStringLiteral("keysSplitter"));
    m_splitter->setChildrenCollapsible(false);
    auto* tableBox = new QWidget(m_splitter);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    m_hint = new QLabel(tableBox);
    m_hint->setObjectName(QStringLiteral("emptyHint"));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setVisible(false);
    tableLayout->addWidget(m_hint);
    m_table = new QTableView(tableBox);
    m_table->setObjectName(trash ? QStringLiteral("trashTable") : QStringLiteral("keyTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    tableLayout->addWidget(m_table);
    m_splitter->addWidget(tableBox);
    if (!trash) {
        m_editor = new KeyDetailEditor(m_splitter);
        m_editor->setObjectName(QStringLiteral("keyEditor"));
        m_splitter->addWidget(m_editor);
        m_splitter->setStretchFactor(0, 3);
        m_splitter->setStretchFactor(1, 1);
        m_splitter->setSizes({1000, 430});
    }
    layout->addWidget(m_splitter, 1);

    connect(m_filterBar, &KeyFilterBar::filterChanged, this, [this] {
        if (m_model)
            m_model->setFilter(m_filterBar->filter());
    });
    connect(m_table, &QTableView::customContextMenuRequested, this,
            [this](const QPoint& pos) { Q_EMIT contextMenuWanted(m_table->viewport()->mapToGlobal(pos)); });
}

KeysPage::~KeysPage() = default;

void KeysPage::setBackend(Backend* backend)
{
    m_backend = backend;
    if (m_editor)
        m_editor->setBackend(backend);
    rebuildModel();
}

void KeysPage::rebuildModel()
{
    KeyTableModel* old = m_model;
    m_model = nullptr;
    if (m_backend) {
        m_model = new KeyTableModel(m_backend, m_scope, this);
        m_table->setModel(m_model);
        // The header asks its selection model whether each column is fully selected, which walks
        // every row: seconds per paint with a million selected rows. It highlights nothing, so it
        // gets a selection model of its own that stays empty.
        m_table->horizontalHeader()->setSelectionModel(
            new QItemSelectionModel(m_model, m_table->horizontalHeader()));
        const bool trash = m_scope == KeyFilter::Scope::Trash;
        const QFontMetrics fm(m_table->font());
        const QFontMetrics mono(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_table->setColumnWidth(KeyTableModel::KeyCol,
                                mono.horizontalAdvance(QStringLiteral("PHOTO-XXXXX-XXXXX-XXXXX-XXXXX")) + 16);
        m_table->setColumnWidth(KeyTableModel::ProductCol, 120);
        m_table->setColumnWidth(KeyTableModel::StatusCol, 120);
        m_table->setColumnWidth(KeyTableModel::CustomerCol, 140);
        m_table->setColumnWidth(KeyTableModel::EmailCol, 200);
        for (int c : {KeyTableModel::ExpiresCol, KeyTableModel::CreatedCol, KeyTableModel::ChangedCol})
            m_table->setColumnWidth(c, fm.horizontalAdvance(QStringLiteral("2030-12-31")) + 28);
        m_table->setColumnWidth(KeyTableModel::TokensCol, 80);
        // Newest first; the trash shows what was deleted last first.
        m_table->horizontalHeader()->setSortIndicator(
            trash ? KeyTableModel::ChangedCol : KeyTableModel::CreatedCol, Qt::DescendingOrder);
        m_model->sort(m_table->horizontalHeader()->sortIndicatorSection(), Qt::DescendingOrder);
        m_table->setSortingEnabled(true);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &KeysPage::selectionChanged);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &KeysPage::currentRowChanged);
        connect(m_model, &PagedModelBase::countChanged, this, [this] {
            updateHint();
            Q_EMIT countChanged();
        });
        connect(m_model, &PagedModelBase::loadingChanged, this, &KeysPage::countChanged);
        connect(m_model, &PagedModelBase::rowsLoaded, this, [this] { syncEditor(); });
        connect(m_model, &PagedModelBase::errorOccurred, this, &KeysPage::errorOccurred);
        connect(m_backend, &Backend::keysChanged, m_model, [this] { m_model->refresh(); });
        m_model->setFilter(m_filterBar->filter());
    } else {
        m_table->setModel(nullptr);
    }
    delete old;
    updateHint();
}

void KeysPage::setProducts(const std::vector<Product>& products)
{
    m_filterBar->setProducts(products);
}

void KeysPage::updateHint()
{
    const bool empty = m_model && m_model->isCountKnown() && m_model->totalRows() == 0;
    const KeyFilter f = m_filterBar->filter();
    const bool filtered =
        !f.text.isEmpty() || f.productId || f.status || f.expiresFrom.isValid() || f.expiresTo.isValid();
    if (!empty) {
        m_hint->setVisible(false);
        return;
    }
    if (filtered)
        m_hint->setText(tr("No keys match the filter."));
    else if (m_scope == KeyFilter::Scope::Trash)
        m_hint->setText(tr("The trash is empty. Deleted keys wait here until you restore or purge them."));
    else
        m_hint->setText(tr("No keys yet. Create a product (Ctrl+N), then generate keys for it (Ctrl+G) or "
                           "import them (Ctrl+I)."));
    m_hint->setVisible(true);
}

qint64 KeysPage::selectedCount() const
{
    if (!m_model)
        return 0;
    qint64 n = 0;
    for (const QItemSelectionRange& r : m_table->selectionModel()->selection())
        n += r.height();
    return n;
}

void KeysPage::withSelectedKeys(std::function<void(const std::vector<LicenseKey>&)> use)
{
    if (!m_model)
        return;
    std::vector<RowRange> ranges;
    bool allLoaded = true;
    std::vector<LicenseKey> loaded;
    for (const QItemSelectionRange& r : m_table->selectionModel()->selection()) {
        ranges.push_back({r.top(), r.height()});
        for (int row = r.top(); allLoaded && row <= r.bottom(); ++row) {
            if (const LicenseKey* k = m_model->rowAt(row))
                loaded.push_back(*k);
            else
                allLoaded = false;
        }
    }
    if (allLoaded) {
        use(loaded);
        return;
    }
    m_backend->keysInRows(m_model->filter(), m_model->keySort(), ranges, kMaxSelectionRows, this,
                          [this, use = std::move(use)](const Result<std::vector<LicenseKey>>& keys) {
                              if (!keys) {
                                  Q_EMIT errorOccurred(keys.errorMessage());
                                  return;
                              }
                              use(*keys);
                          });
}

void KeysPage::currentRowChanged(const QModelIndex& current, const QModelIndex& previous)
{
    if (!m_editor || m_revertingSelection)
        return;
    const LicenseKey* next = current.isValid() ? m_model->rowAt(current.row()) : nullptr;
    if (m_editor->isDirty() && (!next || next->id != m_editor->keyId()) && !m_editor->confirmLeave()) {
        m_revertingSelection = true;
        m_table->selectionModel()->setCurrentIndex(previous, QItemSelectionModel::ClearAndSelect |
                                                                 QItemSelectionModel::Rows);
        m_revertingSelection = false;
        return;
    }
    m_wantedRow = current.isValid() ? current.row() : -1;
    syncEditor();
}

void KeysPage::syncEditor()
{
    if (!m_editor || m_wantedRow < 0 || !m_model)
        return;
    if (const LicenseKey* key = m_model->rowAt(m_wantedRow)) {
        m_editor->showKey(key->id);
        m_wantedRow = -1;
    }
}

void KeysPage::focusSearch()
{
    m_filterBar->focusSearch();
}

void KeysPage::refresh()
{
    if (m_model)
        m_model->refresh();
    if (m_editor && m_editor->keyId() && !m_editor->isDirty()) {
        const qint64 id = m_editor->keyId();
        m_editor->clear();
        m_editor->showKey(id);
    }
}

void KeysPage::saveState(const QString& prefix) const
{
    AppSettings settings;
    settings.setViewState(prefix + QStringLiteral("/header"), m_table->horizontalHeader()->saveState());
    settings.setViewState(prefix + QStringLiteral("/splitter"), m_splitter->saveState());
}

void KeysPage::restoreState(const QString& prefix)
{
    AppSettings settings;
    const QByteArray header = settings.viewState(prefix + QStringLiteral("/header"));
    if (!header.isEmpty() && m_model) {
        m_table->horizontalHeader()->restoreState(header);
        // The saved sort indicator decides the order.
        m_model->sort(m_table->horizontalHeader()->sortIndicatorSection(),
                      m_table->horizontalHeader()->sortIndicatorOrder());
    }
    const QByteArray splitter = settings.viewState(prefix + QStringLiteral("/splitter"));
    if (!splitter.isEmpty())
        m_splitter->restoreState(splitter);
}

} // namespace keyward
