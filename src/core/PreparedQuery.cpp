#include "PreparedQuery.h"

#include "Database.h"

#include <QSqlError>

namespace keyward {

Result<QSqlQuery*> PreparedQuery::run(const QVariantList& values)
{
    if (!m_query) {
        auto query = std::make_unique<QSqlQuery>(m_db.connection());
        query->setForwardOnly(true);
        if (!query->prepare(m_sql))
            return m_db.translate(query->lastError(), QStringLiteral("preparing a query"));
        m_query = std::move(query);
    }
    m_query->finish();
    for (int i = 0; i < values.size(); ++i)
        m_query->bindValue(i, values.at(i));
    if (!m_query->exec()) {
        Error error = m_db.translate(m_query->lastError(), QStringLiteral("running a query"));
        m_query.reset(); // prepared again next time (e.g. after the server dropped the connection)
        return error;
    }
    return m_query.get();
}

} // namespace keyward
