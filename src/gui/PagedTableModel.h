#pragma once

#include "Backend.h"
#include "PagedModelBase.h"

#include <QColor>
#include <QCoreApplication>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <vector>

namespace keyward {

// A table model over rows that live in the backend, for tables of any size (millions of keys):
//  - rows are read in pages on demand and kept in a small LRU page cache;
//  - data() never blocks and never changes the model: a missing row shows a placeholder and is
//    queued; one request per event-loop turn fetches the queued pages, on a lane of its own, so
//    the newest request wins while a scrollbar is dragged;
//  - the row count comes from a background count; then an optional index makes deep pages fast;
//  - after a change the old rows stay on screen until fresh ones arrive (no flicker).
// Subclasses say how to fetch and how to show a row.
template<typename Row>
class PagedTableModel : public PagedModelBase
{
public:
    static constexpr int kPageSize = 256;
    static constexpr int kMaxPages = 64;          // cache: 16,384 rows
    static constexpr int kMaxPagesPerRequest = 8; // around the newest wanted page

    explicit PagedTableModel(Backend* backend, QObject* parent = nullptr) : PagedModelBase(backend, parent)
    {
        QObject::connect(&m_loadTimer, &QTimer::timeout, this, [this] { loadWanted(); });
    }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : m_rows; }

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const qint64 pageNo = index.row() / kPageSize;
        auto it = m_pages.find(pageNo);
        if (it == m_pages.end()) {
            want(pageNo);
            return placeholder(index.column(), role);
        }
        it->lastUse = ++m_useClock;
        if (it->generation != m_generation)
            want(pageNo); // stale after a change: shown until the fresh page arrives
        const size_t at = size_t(index.row() % kPageSize);
        if (at >= it->rows.size())
            return placeholder(index.column(), role);
        return rowData(it->rows[at], index.column(), role);
    }

    // The row if it is loaded (never loads it).
    const Row* rowAt(int row) const
    {
        auto it = m_pages.constFind(row / kPageSize);
        if (it == m_pages.constEnd())
            return nullptr;
        const size_t at = size_t(row % kPageSize);
        return at < it->rows.size() ? &it->rows[at] : nullptr;
    }

    // Everything changed (another filter): empty table, then count and first rows.
    void reload()
    {
        beginResetModel();
        ++m_generation;
        m_pages.clear();
        m_wanted.clear();
        m_inflight.clear();
        m_rows = 0;
        m_countKnown = false;
        m_indexReady = false;
        endResetModel();
        want(0);
        fetchCountAndIndex();
    }

    // The rows changed in place (an edit, a deletion): keep showing them, fetch fresh ones and the
    // new count.
    void refresh()
    {
        ++m_generation;
        m_inflight.clear();
        m_indexReady = false;
        if (m_rows > 0)
            Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1));
        else
            want(0);
        fetchCountAndIndex();
    }

protected:
    virtual void fetchRows(qint64 offset, int limit, int lane, Reply<std::vector<Row>> reply) = 0;
    virtual void fetchCount(int lane, Reply<qint64> reply) = 0;
    // Optional: prepare fast deep pages for the current ordering; replies with the row count.
    virtual bool fetchIndex(int /*lane*/, Reply<qint64> /*reply*/) { return false; }
    virtual QVariant rowData(const Row& row, int column, int role) const = 0;

    virtual QVariant placeholder(int column, int role) const
    {
        if (role == Qt::DisplayRole && column == 0)
            return QCoreApplication::translate("PagedTableModel", "Loading…");
        if (role == Qt::ForegroundRole)
            return QColor(Qt::gray);
        return {};
    }

    // The order changed (sort): same rows, new positions. Persistent indexes cannot follow rows
    // that are not loaded, so they are cleared.
    void reorder()
    {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        ++m_generation;
        m_pages.clear();
        m_wanted.clear();
        m_inflight.clear();
        m_indexReady = false;
        const QModelIndexList persistent = persistentIndexList();
        changePersistentIndexList(persistent, QModelIndexList(persistent.size()));
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
        if (m_countKnown)
            requestIndex();
    }

private:
    struct Page
    {
        std::vector<Row> rows;
        quint64 generation = 0;
        mutable quint64 lastUse = 0;
    };

    void want(qint64 pageNo) const
    {
        if (m_inflight.contains(pageNo))
            return;
        m_wanted.insert(pageNo);
        m_lastWanted = pageNo;
        if (!m_loadTimer.isActive())
            const_cast<QTimer&>(m_loadTimer).start();
    }

    void loadWanted()
    {
        if (m_wanted.isEmpty())
            return;
        // One request covers what is wanted now and what the request it replaces was fetching,
        // kept to a window around the newest wish.
        QSet<qint64> pages = m_wanted;
        pages.unite(m_inflight);
        m_wanted.clear();
        std::vector<qint64> sorted(pages.begin(), pages.end());
        std::sort(sorted.begin(), sorted.end(), [this](qint64 a, qint64 b) {
            return std::abs(a - m_lastWanted) < std::abs(b - m_lastWanted);
        });
        if (sorted.size() > size_t(kMaxPagesPerRequest))
            sorted.resize(kMaxPagesPerRequest);
        const auto [lo, hi] = std::minmax_element(sorted.begin(), sorted.end());
        qint64 first = *lo;
        qint64 last = *hi;
        if (last - first + 1 > kMaxPagesPerRequest)
            first = last - kMaxPagesPerRequest + 1;
        QSet<qint64> dropped = m_inflight;
        m_inflight.clear();
        for (qint64 p = first; p <= last; ++p) {
            m_inflight.insert(p);
            dropped.remove(p);
        }
        // Pages left out may be on screen: let the view ask for them again.
        for (qint64 p : std::as_const(dropped))
            emitPageChanged(p);
        setLoading(true);
        const quint64 generation = m_generation;
        fetchRows(first * kPageSize, int((last - first + 1) * kPageSize), m_pageLane,
                  [this, generation, first, last](const Result<std::vector<Row>>& result) {
                      onRows(generation, first, last, result);
                  });
    }

    void onRows(quint64 generation, qint64 first, qint64 last, const Result<std::vector<Row>>& result)
    {
        if (generation != m_generation)
            return;
        if (!result) {
            if (result.errorKind() != ErrorKind::Cancelled) {
                for (qint64 p = first; p <= last; ++p)
                    m_inflight.remove(p);
                Q_EMIT errorOccurred(result.errorMessage());
            }
            setLoading(!m_inflight.isEmpty() || !m_countKnown);
            return;
        }
        const std::vector<Row>& rows = *result;
        for (qint64 p = first; p <= last; ++p) {
            m_inflight.remove(p);
            const size_t from = size_t((p - first) * kPageSize);
            if (from >= rows.size() && p != first)
                break;
            Page page;
            page.generation = generation;
            page.lastUse = ++m_useClock;
            const size_t to = std::min(rows.size(), from + size_t(kPageSize));
            if (from < to)
                page.rows.assign(rows.begin() + qsizetype(from), rows.begin() + qsizetype(to));
            m_pages.insert(p, std::move(page));
        }
        evict();
        const qint64 end = first * kPageSize + qint64(rows.size());
        if (!m_countKnown) {
            // Before the count arrives, show what we have; a short first page is the whole table.
            if (first == 0 && qint64(rows.size()) < (last + 1) * kPageSize) {
                setRows(end);
                m_countKnown = true;
                Q_EMIT countChanged(m_rows);
            } else if (end > m_rows) {
                setRows(end);
            }
        }
        const int top = int(first * kPageSize);
        const int bottom = int(std::min<qint64>(m_rows, (last + 1) * kPageSize)) - 1;
        if (bottom >= top) {
            Q_EMIT dataChanged(index(top, 0), index(bottom, columnCount() - 1));
            Q_EMIT rowsLoaded(top, bottom);
        }
        setLoading(!m_inflight.isEmpty() || !m_countKnown);
    }

    void fetchCountAndIndex()
    {
        setLoading(true);
        const quint64 generation = m_generation;
        fetchCount(m_countLane, [this, generation](const Result<qint64>& count) {
            if (generation != m_generation)
                return;
            if (!count) {
                if (count.errorKind() != ErrorKind::Cancelled)
                    Q_EMIT errorOccurred(count.errorMessage());
                return;
            }
            setRows(*count);
            m_countKnown = true;
            Q_EMIT countChanged(m_rows);
            setLoading(!m_inflight.isEmpty());
            requestIndex();
        });
    }

    void requestIndex()
    {
        const quint64 generation = m_generation;
        fetchIndex(m_countLane, [this, generation](const Result<qint64>& rows) {
            if (generation != m_generation || !rows)
                return;
            m_indexReady = true;
            Q_EMIT indexReady();
        });
    }

    void setRows(qint64 rows)
    {
        const int n = int(std::min<qint64>(rows, std::numeric_limits<int>::max()));
        if (n > m_rows) {
            beginInsertRows({}, m_rows, n - 1);
            m_rows = n;
            endInsertRows();
        } else if (n < m_rows) {
            beginRemoveRows({}, n, m_rows - 1);
            m_rows = n;
            for (auto it = m_pages.begin(); it != m_pages.end();) {
                if (it.key() * kPageSize >= n)
                    it = m_pages.erase(it);
                else
                    ++it;
            }
            endRemoveRows();
        }
    }

    void evict()
    {
        while (m_pages.size() > kMaxPages) {
            auto oldest = m_pages.begin();
            for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
                if (it->lastUse < oldest->lastUse)
                    oldest = it;
            }
            m_pages.erase(oldest);
        }
    }

    void emitPageChanged(qint64 pageNo)
    {
        const int top = int(pageNo * kPageSize);
        const int bottom = int(std::min<qint64>(m_rows, (pageNo + 1) * kPageSize)) - 1;
        if (bottom >= top)
            Q_EMIT dataChanged(index(top, 0), index(bottom, columnCount() - 1));
    }

    QHash<qint64, Page> m_pages;
    mutable QSet<qint64> m_wanted;
    mutable qint64 m_lastWanted = 0;
    mutable quint64 m_useClock = 0;
    QSet<qint64> m_inflight;
    quint64 m_generation = 0;
};

} // namespace keyward
