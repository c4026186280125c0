#pragma once

#include <QAbstractTableModel>
#include <QTimer>

namespace keyward {

class Backend;

// The signals and plumbing that PagedTableModel<Row> shares across row types (moc cannot handle
// class templates).
class PagedModelBase : public QAbstractTableModel
{
    Q_OBJECT

public:
    explicit PagedModelBase(Backend* backend, QObject* parent = nullptr);

    Backend* backend() const { return m_backend; }
    qint64 totalRows() const { return m_rows; }
    bool isCountKnown() const { return m_countKnown; }
    bool isIndexReady() const { return m_indexReady; }
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    void countChanged(qint64 rows); // the total is known (again)
    void loadingChanged(bool loading);
    void indexReady(); // pages at any offset are now fast
    void rowsLoaded(int first, int last);
    void errorOccurred(const QString& message);

protected:
    void setLoading(bool loading);

    Backend* m_backend;
    int m_pageLane;
    // Counts and index builds share a lane: a new count (the rows changed) stops a running build.
    int m_countLane;
    QTimer m_loadTimer;
    int m_rows = 0;
    bool m_countKnown = false;
    bool m_indexReady = false;
    bool m_loading = false;
};

} // namespace keyward
