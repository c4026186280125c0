#pragma once

#include "AdminTokenStore.h"
#include "ApiKeyStore.h"
#include "AuditLog.h"
#include "DailyQuota.h"
#include "Database.h"
#include "IpStore.h"
#include "KeyStore.h"
#include "ProductStore.h"
#include "RequestLog.h"
#include "StoreContext.h"
#include "TicketStore.h"

#include <memory>

namespace keyward {

// The Keyward store on one connection: products, keys and the audit log over one Database.
// Use it from the thread that opened it.
class Store
{
public:
    static Result<std::unique_ptr<Store>> open(const DatabaseLocation& location,
                                               const Database::Options& options = {});
    ~Store();

    Database& database() { return *m_db; }
    ProductStore& products() { return m_products; }
    KeyStore& keys() { return m_keys; }
    AuditLog& audit() { return m_audit; }
    ApiKeyStore& apiKeys() { return m_apiKeys; }
    AdminTokenStore& adminTokens() { return m_adminTokens; }
    IpStore& ips() { return m_ips; }
    TicketStore& tickets() { return m_tickets; }
    DailyQuota& quota() { return m_quota; }
    RequestLog& requestLog() { return m_requestLog; }
    const StoreContext& context() const { return m_context; }

    // Who the audit log names for changes made through this store ("cli:alice", "app:bob"...).
    void setActor(const QString& actor) { m_context.actor = actor; }
    void setClock(std::function<QDateTime()> clock) { m_context.clock = std::move(clock); }
    QDateTime now() const { return m_context.now(); }

private:
    explicit Store(std::unique_ptr<Database> db);

    std::unique_ptr<Database> m_db;
    AuditLog m_audit;
    StoreContext m_context;
    ProductStore m_products;
    KeyStore m_keys; // holds a prepared query: destroyed before the connection
    ApiKeyStore m_apiKeys;
    AdminTokenStore m_adminTokens;
    IpStore m_ips;
    TicketStore m_tickets;
    DailyQuota m_quota; // prepared queries too
    RequestLog m_requestLog;
};

} // namespace keyward
