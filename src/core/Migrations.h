#pragma once

#include "Result.h"

#include <QString>

#include <vector>

namespace keyward {

class Database;

// Numbered schema migrations (src/core/migrations/NNNN_name.sql), applied in order, each in its
// own transaction, recorded in schema_migrations. Opening a database runs the pending ones.
class Migrations
{
public:
    struct Migration
    {
        int version;
        QString name;
        QString sql; // with {{PLACEHOLDERS}} for the dialect
    };

    static const std::vector<Migration>& all();
    static int latestVersion();
    static Status apply(Database& db);
    // The statements of a migration for a dialect, split and ready to run.
    static QStringList statements(const Migration& migration, bool sqlite);

private:
    static Status inspect(Database& db, bool& isEmpty, int& version);
    static Status applyOne(Database& db, const Migration& migration);
};

} // namespace keyward
