#include "Store.h"

namespace keyward {

Store::Store(std::unique_ptr<Database> db)
    : m_db(std::move(db)), m_audit(*m_db), m_context{*m_db, m_audit}, m_products(m_context),
      m_keys(m_context), m_apiKeys(m_context), m_adminTokens(m_context), m_ips(m_context),
      m_tickets(m_context, m_ips), m_quota(*m_db), m_requestLog(*m_db)
{}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const DatabaseLocation& location, const Database::Options& options)
{
    auto db = Database::open(location, options);
    if (!db)
        return db.error();
    return std::unique_ptr<Store>(new Store(std::move(db).value()));
}

} // namespace keyward
