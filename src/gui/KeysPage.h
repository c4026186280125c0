#pragma once

#include "Backend.h"

#include <QWidget>

#include <functional>

class QLabel;
class QSplitter;
class QTableView;

namespace keyward {

class KeyDetailEditor;
class KeyFilterBar;
class KeyTableModel;

// A key table with its filter bar: the live keys with the detail editor beside them, or the trash.
// Works on tables of any size: selections are kept as row ranges and resolved in the backend.
class KeysPage : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxSelectionRows = 1'000'000;

    KeysPage(KeyFilter::Scope scope, QWidget* parent = nullptr);
    ~KeysPage() override;

    void setBackend(Backend* backend);
    void setProducts(const std::vector<Product>& products);
    KeyFilter::Scope scope() const { return m_scope; }
    KeyTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    KeyFilterBar* filterBar() const { return m_filterBar; }
    KeyDetailEditor* editor() const { return m_editor; }
    QSplitter* splitter() const { return m_splitter; }

    qint64 selectedCount() const;
    // The selected keys (loaded from the backend when not on screen), at most kMaxSelectionRows.
    void withSelectedKeys(std::function<void(const std::vector<LicenseKey>&)> use);
    void focusSearch();
    void refresh();
    void saveState(const QString& prefix) const;
    void restoreState(const QString& prefix);

Q_SIGNALS:
    void selectionChanged();
    void countChanged();
    void contextMenuWanted(const QPoint& globalPos);
    void errorOccurred(const QString& message);

private:
    void rebuildModel();
    void currentRowChanged(const QModelIndex& current, const QModelIndex& previous);
    void syncEditor();
    void updateHint();

    KeyFilter::Scope m_scope;
    Backend* m_backend = nullptr;
    KeyFilterBar* m_filterBar;
    QTableView* m_table;
    QLabel* m_hint;
    QSplitter* m_splitter;
    KeyDetailEditor* m_editor = nullptr;
    KeyTableModel* m_model = nullptr;
    int m_wantedRow = -1;
    bool m_revertingSelection = false;
};

} // namespace keyward
