#pragma once

#include "KeyQuery.h"
#include "Product.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <vector>

namespace Ui {
class KeyFilterBar;
}

namespace keyward {

// The filter above a key table: text (substring, or key prefix on the index), product, status and
// an expiry range. Typing is debounced so a table of millions is not queried per keystroke.
class KeyFilterBar : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kTypingDelayMs = 300;

    explicit KeyFilterBar(QWidget* parent = nullptr);
    ~KeyFilterBar() override;

    KeyFilter filter() const;
    void setProducts(const std::vector<Product>& products);
    void focusSearch();
    void clear();
    // Shows only the keys of one product (0: all products).
    void setProductFilter(qint64 productId);

Q_SIGNALS:
    void filterChanged();

private:
    void changed();

    std::unique_ptr<Ui::KeyFilterBar> m_ui;
    QTimer m_typing;
    bool m_updating = false;
};

} // namespace keyward
