#pragma once

#include "Backend.h"

#include <QWidget>

#include <optional>

class QTableView;

namespace keyward {

class ProductTableModel;

// The products table: every product with its plan, limits and live key count.
class ProductsPage : public QWidget
{
    Q_OBJECT

public:
    explicit ProductsPage(QWidget* parent = nullptr);

    void setBackend(Backend* backend);
    ProductTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // The selected product if its row is loaded.
    std::optional<Product> currentProduct() const;
    void refresh();
    void saveState() const;
    void restoreState();

Q_SIGNALS:
    void editRequested();
    void showKeysRequested(qint64 productId);
    void selectionChanged();
    void contextMenuWanted(const QPoint& globalPos);

private:
    Backend* m_backend = nullptr;
    QTableView* m_table;
    ProductTableModel* m_model = nullptr;
};

} // namespace keyward
