#pragma once

#include "Result.h"

#include <QSqlQuery>
#include <QVariantList>

#include <memory>

namespace keyward {

class Database;

// A statement prepared once and run many times with new values: for hot paths, where preparing
// per call would cost as much as the work (on PostgreSQL a PREPARE is a round trip). Belongs to
// one connection; destroy it before the Database.
class PreparedQuery
{
public:
    PreparedQuery(Database& db, QString sql) : m_db(db), m_sql(std::move(sql)) {}

    // Binds the values positionally and runs the statement; the query stays valid until the next run.
    Result<QSqlQuery*> run(const QVariantList& values);

private:
    Database& m_db;
    QString m_sql;
    std::unique_ptr<QSqlQuery> m_query;
};

} // namespace keyward
