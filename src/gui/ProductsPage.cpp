#include "ProductsPage.h"

#include "AppSettings.h"
#include "ProductTableModel.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace keyward {

ProductsPage::ProductsPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("productsPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 0);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("productTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    layout->addWidget(m_table);
    connect(m_table, &QTableView::doubleClicked, this, &ProductsPage::editRequested);
    connect(m_table, &QTableView::customContextMenuRequested, this,
            [this](const QPoint& pos) { Q_EMIT contextMenuWanted(m_table->viewport()->mapToGlobal(pos)); });
}

void ProductsPage::setBackend(Backend* backend)
{
    m_backend = backend;
    ProductTableModel* old = m_model;
    m_model = nullptr;
    if (backend) {
        m_model = new ProductTableModel(backend, this);
        m_table->setModel(m_model);
        m_table->setColumnWidth(ProductTableModel::NameCol, 200);
        m_table->setColumnWidth(ProductTableModel::FormatCol, 260);
        m_table->setColumnWidth(ProductTableModel::PlanCol, 110);
        for (int c :
             {ProductTableModel::DailyLimitCol, ProductTableModel::KeysCol, ProductTableModel::MaxKeysCol})
            m_table->setColumnWidth(c, 110);
        m_table->setColumnWidth(ProductTableModel::StateCol, 90);
        m_table->horizontalHeader()->setSortIndicator(ProductTableModel::NameCol, Qt::AscendingOrder);
        m_table->setSortingEnabled(true);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
                &ProductsPage::selectionChanged);
        connect(backend, &Backend::productsChanged, m_model, [this] { m_model->refreshAll(); });
        connect(backend, &Backend::keysChanged, m_model, [this] { m_model->refreshAll(); });
        m_model->setQuery({});
    } else {
        m_table->setModel(nullptr);
    }
    delete old;
}

std::optional<Product> ProductsPage::currentProduct() const
{
    if (!m_model)
        return std::nullopt;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->isRowSelected(current.row(), {}))
        return std::nullopt;
    const Product* p = m_model->rowAt(current.row());
    return p ? std::optional<Product>(*p) : std::nullopt;
}

void ProductsPage::refresh()
{
    if (m_model)
        m_model->refreshAll();
}

void ProductsPage::saveState() const
{
    AppSettings().setViewState(QStringLiteral("products/header"), m_table->horizontalHeader()->saveState());
}

void ProductsPage::restoreState()
{
    const QByteArray header = AppSettings().viewState(QStringLiteral("products/header"));
    if (!header.isEmpty() && m_model) {
        m_table->horizontalHeader()->restoreState(header);
        m_model->sort(m_table->horizontalHeader()->sortIndicatorSection(),
                      m_table->horizontalHeader()->sortIndicatorOrder());
    }
}

} // namespace keyward
