#include "RequestLog.h"

#include "Database.h"
#include "SqlValues.h"

namespace keyward {
namespace {

constexpr int kColumns = 9;
constexpr size_t kRowsPerStatement = 200;

QString whereClause(const RequestLogFilter& f, QVariantList& values)
{
    QStringList terms;
    auto add = [&](const QString& term, const QVariant& value) {
        terms << term;
        values << value;
    };
    if (f.productId)
        add(QStringLiteral("product_id = ?"), *f.productId);
    if (f.keyId)
        add(QStringLiteral("key_id = ?"), *f.keyId);
    if (!f.ip.isEmpty())
        add(QStringLiteral("ip = ?"), f.ip);
    if (!f.outcome.isEmpty())
        add(QStringLiteral("outcome = ?"), f.outcome);
    if (f.from.isValid())
        add(QStringLiteral("at >= ?"), sql::time(f.from));
    if (f.to.isValid())
        add(QStringLiteral("at < ?"), sql::time(f.to));
    return terms.isEmpty() ? QString() : QStringLiteral(" WHERE ") + terms.join(QLatin1String(" AND "));
}

constexpr int kDirectRows = 16; // rows per direct statement: one statement's overhead for many rows

QByteArray insertSql(int rows)
{
    QByteArray sql("INSERT INTO request_log (at, product_id, key_id, key_hint, ip, endpoint, outcome, "
                   "http_status, detail) VALUES ");
    for (int i = 0; i < rows; ++i)
        sql += i ? ",(?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return sql;
}

void bindEntry(SqliteStatement& st, int row, const RequestLogEntry& e)
{
    const int base = row * kColumns;
    st.bindInt(base + 1, e.at.toMSecsSinceEpoch());
    st.bindOptional(base + 2, e.productId);
    st.bindOptional(base + 3, e.keyId);
    st.bindText(base + 4, e.keyHint);
    st.bindText(base + 5, e.ip);
    st.bindText(base + 6, e.endpoint);
    st.bindText(base + 7, e.outcome);
    st.bindInt(base + 8, e.httpStatus);
    st.bindText(base + 9, e.detail);
}

} // namespace

RequestLog::RequestLog(Database& db)
    : m_db(db), m_insertOne(db, QString::fromLatin1(insertSql(1))), m_direct(db, insertSql(1)),
      m_directMany(db, insertSql(kDirectRows))
{}

Status RequestLog::append(const std::vector<RequestLogEntry>& entries)
{
    if (entries.empty())
        return {};
    Transaction tx(m_db);
    if (!tx)
        return tx.error();
    if (SqliteStatement::available(m_db)) {
        if (Status s = appendDirect(entries); !s)
            return s;
        return tx.commit();
    }
    if (m_db.isSqlite()) {
        // QtSql looks every placeholder up by position, which costs quadratic time in the number
        // of placeholders: with SQLite (no round trips) one re-bound row is much faster.
        for (const RequestLogEntry& e : entries) {
            auto q = m_insertOne.run({sql::time(e.at), sql::optional(e.productId), sql::optional(e.keyId),
                                      sql::text(e.keyHint), sql::text(e.ip), e.endpoint, e.outcome,
                                      e.httpStatus, sql::text(e.detail)});
            if (!q)
                return q.error();
        }
        return tx.commit();
    }
    if (Status s = appendRows(entries); !s)
        return s;
    return tx.commit();
}

Status RequestLog::appendDirect(const std::vector<RequestLogEntry>& entries)
{
    size_t i = 0;
    if (entries.size() >= size_t(kDirectRows)) {
        if (Status s = m_directMany.prepare(); !s)
            return s;
        for (; i + kDirectRows <= entries.size(); i += kDirectRows) {
            for (int row = 0; row < kDirectRows; ++row)
                bindEntry(m_directMany, row, entries[i + size_t(row)]);
            if (Status s = m_directMany.step(); !s)
                return s;
        }
    }
    if (i == entries.size())
        return {};
    if (Status s = m_direct.prepare(); !s)
        return s;
    for (; i < entries.size(); ++i) {
        bindEntry(m_direct, 0, entries[i]);
        if (Status s = m_direct.step(); !s)
            return s;
    }
    return {};
}

Status RequestLog::appendRows(const std::vector<RequestLogEntry>& entries)
{
    static const QString row = QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t start = 0; start < entries.size(); start += kRowsPerStatement) {
        const size_t end = std::min(entries.size(), start + kRowsPerStatement);
        QString sql = QString::fromLatin1(insertSql(0));
        QVariantList values;
        values.reserve(qsizetype((end - start) * kColumns));
        for (size_t i = start; i < end; ++i) {
            const RequestLogEntry& e = entries[i];
            if (i > start)
                sql += QLatin1Char(',');
            sql += row;
            values << sql::time(e.at) << sql::optional(e.productId) << sql::optional(e.keyId)
                   << sql::text(e.keyHint) << sql::text(e.ip) << e.endpoint << e.outcome << e.httpStatus
                   << sql::text(e.detail);
        }
        if (auto q = m_db.exec(sql, values); !q)
            return q.error();
    }
    return {};
}

Result<std::vector<RequestLogEntry>> RequestLog::list(const RequestLogFilter& filter, qint64 offset,
                                                      int limit) const
{
    QVariantList values;
    const QString where = whereClause(filter, values);
    values << limit << offset;
    auto q = m_db.exec(
        QStringLiteral("SELECT id, at, product_id, key_id, key_hint, ip, endpoint, outcome, http_status, "
                       "detail FROM request_log") +
            where + QStringLiteral(" ORDER BY at DESC, id DESC LIMIT ? OFFSET ?"),
        values);
    if (!q)
        return q.error();
    std::vector<RequestLogEntry> out;
    while (q->next()) {
        RequestLogEntry e;
        e.id = q->value(0).toLongLong();
        e.at = sql::toTime(q->value(1));
        e.productId = sql::toOptionalInt64(q->value(2));
        e.keyId = sql::toOptionalInt64(q->value(3));
        e.keyHint = q->value(4).toString();
        e.ip = q->value(5).toString();
        e.endpoint = q->value(6).toString();
        e.outcome = q->value(7).toString();
        e.httpStatus = q->value(8).toInt();
        e.detail = q->value(9).toString();
        out.push_back(std::move(e));
    }
    return out;
}

Result<qint64> RequestLog::count(const RequestLogFilter& filter) const
{
    QVariantList values;
    const QString where = whereClause(filter, values);
    return m_db.scalar(QStringLiteral("SELECT COUNT(*) FROM request_log") + where, values);
}

Result<qint64> RequestLog::purgeBefore(const QDateTime& before)
{
    // In chunks, so a first purge of months of logs does not hold the write lock for long.
    qint64 total = 0;
    for (;;) {
        auto q = m_db.exec(
            QStringLiteral("DELETE FROM request_log WHERE id IN (SELECT id FROM request_log WHERE at < ? "
                           "ORDER BY at LIMIT 10000)"),
            {sql::time(before)});
        if (!q)
            return q.error();
        const int removed = q->numRowsAffected();
        total += std::max(0, removed);
        if (removed < 10000)
            return total;
    }
}

void RequestLogBuffer::add(RequestLogEntry entry)
{
    QMutexLocker lock(&m_mutex);
    m_entries.push_back(std::move(entry));
}

void RequestLogBuffer::add(std::vector<RequestLogEntry>& entries)
{
    QMutexLocker lock(&m_mutex);
    if (m_entries.empty())
        m_entries.swap(entries);
    else
        m_entries.insert(m_entries.end(), std::make_move_iterator(entries.begin()),
                         std::make_move_iterator(entries.end()));
    entries.clear();
}

std::vector<RequestLogEntry> RequestLogBuffer::take()
{
    QMutexLocker lock(&m_mutex);
    std::vector<RequestLogEntry> out;
    out.swap(m_entries);
    return out;
}

size_t RequestLogBuffer::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_entries.size();
}

} // namespace keyward
