#include "PagedModelBase.h"

#include "Backend.h"

namespace keyward {

PagedModelBase::PagedModelBase(Backend* backend, QObject* parent)
    : QAbstractTableModel(parent), m_backend(backend), m_pageLane(backend->newLane()),
      m_countLane(backend->newLane())
{
    m_loadTimer.setSingleShot(true);
    m_loadTimer.setInterval(0);
}

void PagedModelBase::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace keyward
