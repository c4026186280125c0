#pragma once

#include "AuditLog.h"
#include "Database.h"
#include "KeyStore.h"
#include "ProductStore.h"
#include "StoreContext.h"

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
};

} // namespace keyward
