#include "ProductStore.h"

#include "AuditLog.h"
#include "Database.h"
#include "SqlValues.h"
#include "StoreContext.h"

#include <QJsonObject>

namespace keyward {
namespace {

const QString kColumns = QStringLiteral(
    "id, name, key_pattern, key_prefix, alphabet, check_symbol, weak_format_allowed, default_expiry_days, "
    "default_max_domains, default_max_uuids, token_keys, default_tokens, plan, daily_limit, max_keys, "
    "archived, "
    "created_at, updated_at");

Product readProduct(const QSqlQuery& q)
{
    Product p;
    p.id = q.value(0).toLongLong();
    p.name = q.value(1).toString();
    p.keyPattern = q.value(2).toString();
    p.keyPrefix = q.value(3).toString();
    p.alphabet = q.value(4).toString();
    p.checkSymbol = q.value(5).toInt() != 0;
    p.weakFormatAllowed = q.value(6).toInt() != 0;
    p.defaultExpiryDays = sql::toOptionalInt(q.value(7));
    p.defaultMaxDomains = sql::toOptionalInt(q.value(8));
    p.defaultMaxUuids = sql::toOptionalInt(q.value(9));
    p.tokenKeys = q.value(10).toInt() != 0;
    p.defaultTokens = q.value(11).toLongLong();
    p.plan = planFromString(q.value(12).toString()).value_or(Plan::Free);
    p.dailyLimitOverride = sql::toOptionalInt64(q.value(13));
    p.maxKeys = sql::toOptionalInt64(q.value(14));
    p.archived = q.value(15).toInt() != 0;
    p.createdAt = sql::toTime(q.value(16));
    p.updatedAt = sql::toTime(q.value(17));
    return p;
}

// The editable columns, in the order of kColumns after id and before the times.
QVariantList editableValues(const Product& p)
{
    return {p.name.trimmed(),
            p.keyPattern,
            sql::text(p.keyPrefix),
            p.alphabet,
            sql::flag(p.checkSymbol),
            sql::flag(p.weakFormatAllowed),
            sql::optional(p.defaultExpiryDays),
            sql::optional(p.defaultMaxDomains),
            sql::optional(p.defaultMaxUuids),
            sql::flag(p.tokenKeys),
            p.defaultTokens,
            planToString(p.plan),
            sql::optional(p.dailyLimitOverride),
            sql::optional(p.maxKeys),
            sql::flag(p.archived)};
}

QJsonObject describe(const Product& p)
{
    return {{QStringLiteral("name"), p.name},
            {QStringLiteral("format"), QString(p.keyPrefix + p.keyPattern)},
            {QStringLiteral("plan"), planToString(p.plan)},
            {QStringLiteral("archived"), p.archived}};
}

} // namespace

Result<std::vector<Product>> ProductStore::select(const QString& where, const QVariantList& values) const
{
    auto q = m_ctx.db.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM products ") + where,
                           values);
    if (!q)
        return q.error();
    std::vector<Product> out;
    while (q->next())
        out.push_back(readProduct(*q));
    return out;
}

Status ProductStore::checkNameFree(const QString& name, qint64 exceptId) const
{
    auto n = m_ctx.db.scalar(
        QStringLiteral("SELECT COUNT(*) FROM products WHERE lower(name) = lower(?) AND id <> ?"),
        {name.trimmed(), exceptId});
    if (!n)
        return n.error();
    if (*n > 0)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("A product named \"%1\" already exists.").arg(name.trimmed()));
    return {};
}

Result<Product> ProductStore::create(Product product)
{
    if (Status s = product.validate(); !s)
        return s.error();
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    if (Status s = checkNameFree(product.name, 0); !s)
        return s.error();

    const QDateTime now = m_ctx.now();
    QVariantList values = editableValues(product);
    values << sql::time(now) << sql::time(now);
    auto q = m_ctx.db.exec(
        QStringLiteral(
            "INSERT INTO products (name, key_pattern, key_prefix, alphabet, check_symbol, "
            "weak_format_allowed, "
            "default_expiry_days, default_max_domains, default_max_uuids, token_keys, default_tokens, "
            "plan, daily_limit, max_keys, archived, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        values);
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::Internal, QStringLiteral("The new product's id was not returned."));
    product.id = q->value(0).toLongLong();
    q->finish();
    product.name = product.name.trimmed();
    product.createdAt = product.updatedAt = now;
    if (Status s =
            m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("product.create"), QStringLiteral("product"),
                               QString::number(product.id), describe(product));
        !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return product;
}

Status ProductStore::update(const Product& product)
{
    if (Status s = product.validate(); !s)
        return s;
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    if (Status s = checkNameFree(product.name, product.id); !s)
        return s;
    const QDateTime now = m_ctx.now();
    QVariantList values = editableValues(product);
    values << sql::time(now) << product.id;
    auto q = m_ctx.db.exec(
        QStringLiteral(
            "UPDATE products SET name = ?, key_pattern = ?, key_prefix = ?, alphabet = ?, check_symbol = ?, "
            "weak_format_allowed = ?, default_expiry_days = ?, default_max_domains = ?, "
            "default_max_uuids = ?, token_keys = ?, default_tokens = ?, plan = ?, daily_limit = ?, "
            "max_keys = ?, archived = ?, updated_at = ? WHERE id = ?"),
        values);
    if (!q)
        return q.error();
    if (q->numRowsAffected() == 0)
        return makeError(ErrorKind::NotFound, QStringLiteral("The product no longer exists."));
    if (Status s =
            m_ctx.audit.record(now, m_ctx.actor, QStringLiteral("product.update"), QStringLiteral("product"),
                               QString::number(product.id), describe(product));
        !s)
        return s;
    return tx.commit();
}

Result<Product> ProductStore::find(qint64 id) const
{
    auto r = select(QStringLiteral("WHERE id = ?"), {id});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound, QStringLiteral("There is no product with id %1.").arg(id));
    return r->front();
}

Result<Product> ProductStore::findByName(const QString& name) const
{
    auto r = select(QStringLiteral("WHERE lower(name) = lower(?)"), {name.trimmed()});
    if (!r)
        return r.error();
    if (r->empty())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("There is no product named \"%1\".").arg(name.trimmed()));
    return r->front();
}

Result<std::vector<Product>> ProductStore::list(bool includeArchived) const
{
    return select(includeArchived ? QStringLiteral("ORDER BY lower(name)")
                                  : QStringLiteral("WHERE archived = 0 ORDER BY lower(name)"),
                  {});
}

QString ProductStore::where(const ProductQuery& query, QVariantList& values) const
{
    QStringList terms;
    if (!query.includeArchived)
        terms << QStringLiteral("archived = 0");
    if (!query.text.trimmed().isEmpty()) {
        const QString text = sql::escapeLike(query.text.trimmed());
        terms << QStringLiteral("name %1 ? ESCAPE '\\'").arg(m_ctx.db.ilike());
        values << QString(QLatin1Char('%') + text + QLatin1Char('%'));
    }
    return terms.isEmpty() ? QString()
                           : QStringLiteral("WHERE ") + terms.join(QLatin1String(" AND ")) + QLatin1Char(' ');
}

Result<std::vector<Product>> ProductStore::page(const ProductQuery& query, qint64 offset, int limit) const
{
    QVariantList values;
    const QString filter = where(query, values);
    QString column;
    switch (query.sort) {
    case ProductQuery::Column::Name:
        column = QStringLiteral("lower(name)");
        break;
    case ProductQuery::Column::Plan:
        column = QStringLiteral("plan");
        break;
    case ProductQuery::Column::CreatedAt:
        column = QStringLiteral("created_at");
        break;
    case ProductQuery::Column::UpdatedAt:
        column = QStringLiteral("updated_at");
        break;
    }
    const QString direction =
        query.order == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    values << limit << offset;
    return select(filter + QStringLiteral("ORDER BY %1 %2, id %2 LIMIT ? OFFSET ?").arg(column, direction),
                  values);
}

Result<qint64> ProductStore::count(const ProductQuery& query) const
{
    QVariantList values;
    const QString filter = where(query, values);
    return m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM products ") + filter, values);
}

Result<qint64> ProductStore::liveKeyCount(qint64 productId) const
{
    return m_ctx.db.scalar(
        QStringLiteral("SELECT COUNT(*) FROM license_keys WHERE product_id = ? AND deleted_at IS NULL"),
        {productId});
}

Status ProductStore::remove(qint64 id)
{
    Transaction tx(m_ctx.db);
    if (!tx)
        return tx.error();
    auto product = find(id);
    if (!product)
        return product.error();
    auto keys =
        m_ctx.db.scalar(QStringLiteral("SELECT COUNT(*) FROM license_keys WHERE product_id = ?"), {id});
    if (!keys)
        return keys.error();
    if (*keys > 0)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("\"%1\" still has %2 keys (the trash included); purge them or archive the "
                           "product instead.")
                .arg(product->name)
                .arg(*keys));
    // API keys and usage counters go with it (ON DELETE CASCADE).
    if (auto q = m_ctx.db.exec(QStringLiteral("DELETE FROM products WHERE id = ?"), {id}); !q)
        return q.error();
    if (Status s = m_ctx.audit.record(m_ctx.now(), m_ctx.actor, QStringLiteral("product.delete"),
                                      QStringLiteral("product"), QString::number(id), describe(*product));
        !s)
        return s;
    return tx.commit();
}

} // namespace keyward
