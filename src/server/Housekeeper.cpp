#include "Housekeeper.h"

#include "JobManager.h"
#include "ServerContext.h"
#include "Store.h"

#include <QLoggingCategory>

namespace keyward::server {

Q_DECLARE_LOGGING_CATEGORY(lcServer)

Housekeeper::Housekeeper(ServerContext& context) : m_ctx(context)
{
    m_thread.setObjectName(QStringLiteral("housekeeper"));
}

Housekeeper::~Housekeeper()
{
    stop();
}

Status Housekeeper::start()
{
    moveToThread(&m_thread);
    m_thread.start();
    Status status;
    QMetaObject::invokeMethod(
        this,
        [&] {
            auto store = Store::open(m_ctx.location, {});
            if (!store) {
                status = store.error();
                return;
            }
            m_store = std::move(store).value();
            m_store->setClock(m_ctx.clock);
            m_store->setActor(QStringLiteral("server"));
            refresh();
            applyRetention();
            auto every = [this](int ms, void (Housekeeper::*chore)()) {
                auto* timer = new QTimer(this);
                timer->setInterval(ms);
                connect(timer, &QTimer::timeout, this, chore);
                timer->start();
                return timer;
            };
            m_refreshTimer = every(m_ctx.config.refreshMs, &Housekeeper::refresh);
            m_eventTimer = every(250, &Housekeeper::persistEvents);
            m_touchTimer = every(60'000, &Housekeeper::touchApiKeys);
            m_hourlyTimer = every(3'600'000, &Housekeeper::applyRetention);
        },
        Qt::BlockingQueuedConnection);
    if (!status)
        stop();
    return status;
}

void Housekeeper::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            persistEvents();
            touchApiKeys();
            flushRequestLog();
            delete m_refreshTimer;
            delete m_eventTimer;
            delete m_touchTimer;
            delete m_hourlyTimer;
            m_refreshTimer = m_eventTimer = m_touchTimer = m_hourlyTimer = nullptr;
            m_store.reset();
            moveToThread(m_thread.thread()); // hand ourselves back before the thread ends
            m_thread.quit();
        },
        Qt::BlockingQueuedConnection);
    m_thread.wait();
}

void Housekeeper::refreshNow()
{
    if (m_thread.isRunning())
        QMetaObject::invokeMethod(
            this, [this] { refresh(); }, Qt::BlockingQueuedConnection);
}

void Housekeeper::refresh()
{
    if (!m_store)
        return;
    const QDateTime now = m_ctx.now();
    if (auto keys = m_store->apiKeys().activeIdentities())
        m_ctx.apiKeys.replaceAll(*keys);
    else
        qCWarning(lcServer) << "cannot re-read the API keys:" << keys.errorMessage();
    if (auto products = m_store->products().list())
        m_ctx.products.replaceAll(*products);
    if (auto ranges = m_store->ips().whitelistRanges())
        m_ctx.ipGuard.setWhitelist(*ranges);
    const IpRules rules = m_ctx.ipGuard.rules();
    if (auto states =
            m_store->ips().snapshot(now, std::max({rules.blacklistWindowSeconds, rules.timeoutSeconds, 60})))
        m_ctx.ipGuard.merge(*states, now);
    else
        qCWarning(lcServer) << "cannot re-read the IP states:" << states.errorMessage();
}

void Housekeeper::persistEvents()
{
    std::vector<IpEvent> events = m_ctx.ipGuard.takeEvents();
    m_unsaved.insert(m_unsaved.end(), std::make_move_iterator(events.begin()),
                     std::make_move_iterator(events.end()));
    if (m_unsaved.empty() || !m_store)
        return;
    for (const IpEvent& e : m_unsaved)
        qCInfo(lcServer).noquote() << e.ip << e.kind << "(" << e.reason << ")"
                                   << (e.blacklisted
                                           ? QStringLiteral("blacklisted")
                                           : QStringLiteral("until ") + e.timeoutUntil.toString(Qt::ISODate));
    if (Status s = m_store->ips().record(m_unsaved); !s) {
        qCWarning(lcServer) << "IP evidence not stored yet (" << m_unsaved.size()
                            << "events kept):" << s.errorMessage();
        return;
    }
    m_unsaved.clear();
}

void Housekeeper::touchApiKeys()
{
    if (!m_store)
        return;
    const std::vector<qint64> used = m_ctx.apiKeys.takeUsed();
    if (Status s = m_store->apiKeys().touch(used, m_ctx.now()); !s)
        qCWarning(lcServer) << "cannot record API key use:" << s.errorMessage();
}

void Housekeeper::applyRetention()
{
    if (!m_store)
        return;
    const QDateTime now = m_ctx.now();
    auto removed = m_store->requestLog().purgeBefore(now.addDays(-m_ctx.config.retentionDays));
    if (!removed)
        qCWarning(lcServer) << "request log retention failed:" << removed.errorMessage();
    else if (*removed > 0)
        qCInfo(lcServer) << "request log retention: removed" << *removed << "entries older than"
                         << m_ctx.config.retentionDays << "days";
    m_ctx.ipGuard.sweep(now);
    if (m_ctx.jobs)
        m_ctx.jobs->removeExpired();
}

void Housekeeper::flushRequestLog()
{
    // Entries the HTTP threads logged after the validation workers stopped.
    std::vector<RequestLogEntry> entries = m_ctx.requestLog.take();
    if (entries.empty() || !m_store)
        return;
    if (Status s = m_store->requestLog().append(entries); !s)
        qCWarning(lcServer) << entries.size() << "request log entries lost at shutdown:" << s.errorMessage();
}

} // namespace keyward::server
