#include "AdminRequest.h"

#include "DateParsing.h"
#include "Store.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace keyward::server {

void JsonFields::fail(const char* key, const QString& what)
{
    if (m_problem.isEmpty())
        m_problem = QStringLiteral("\"%1%2\" %3").arg(m_prefix, QLatin1String(key), what);
}

QString JsonFields::string(const char* key, bool required, int maxLength)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(key, QStringLiteral("is required."));
        return {};
    }
    if (!v.isString()) {
        fail(key, QStringLiteral("must be a string."));
        return {};
    }
    const QString s = v.toString();
    if (s.size() > maxLength) {
        fail(key, QStringLiteral("is longer than %1 characters.").arg(maxLength));
        return {};
    }
    if (required && s.trimmed().isEmpty())
        fail(key, QStringLiteral("must not be empty."));
    return s;
}

std::optional<qint64> JsonFields::integer(const char* key, qint64 minimum, qint64 maximum, bool required)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(key, QStringLiteral("is required."));
        return std::nullopt;
    }
    const double d = v.toDouble();
    if (!v.isDouble() || std::floor(d) != d || d < double(minimum) || d > double(maximum)) {
        fail(key, QStringLiteral("must be a whole number from %1 to %2.").arg(minimum).arg(maximum));
        return std::nullopt;
    }
    return qint64(d);
}

std::optional<bool> JsonFields::boolean(const char* key, bool required)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(key, QStringLiteral("is required."));
        return std::nullopt;
    }
    if (!v.isBool()) {
        fail(key, QStringLiteral("must be true or false."));
        return std::nullopt;
    }
    return v.toBool();
}

QDateTime JsonFields::time(const char* key, bool required)
{
    const QString text = string(key, required, 100);
    if (text.trimmed().isEmpty())
        return {};
    auto parsed = parseIsoDateTime(text, true);
    if (!parsed) {
        fail(key,
             QStringLiteral("must be an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T12:00:00Z)."));
        return {};
    }
    return *parsed;
}

std::vector<qint64> JsonFields::ids(const char* key, bool required)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            fail(key, QStringLiteral("is required."));
        return {};
    }
    if (!v.isArray()) {
        fail(key, QStringLiteral("must be an array of ids."));
        return {};
    }
    std::vector<qint64> out;
    const QJsonArray array = v.toArray();
    out.reserve(size_t(array.size()));
    for (const QJsonValue& item : array) {
        const double d = item.toDouble();
        if (!item.isDouble() || d < 1 || std::floor(d) != d || d > 9e15) {
            fail(key, QStringLiteral("must contain positive whole numbers only."));
            return {};
        }
        out.push_back(qint64(d));
    }
    if (required && out.empty())
        fail(key, QStringLiteral("must not be empty."));
    return out;
}

QJsonObject JsonFields::object(const char* key)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject()) {
        fail(key, QStringLiteral("must be an object."));
        return {};
    }
    return v.toObject();
}

AdminRequest::AdminRequest(ServerContext& context, Store& s, const AdminToken& t, const HttpRequestInfo& h,
                           const QStringList& a)
    : ctx(context), store(s), token(t), http(h), args(a)
{}

void AdminRequest::fail(const QString& message)
{
    if (m_problem.isEmpty())
        m_problem = message;
}

HttpReply AdminRequest::badRequest() const
{
    return HttpReply::error(400, QStringLiteral("invalid_request"), m_problem, false);
}

qint64 AdminRequest::id(int index)
{
    bool ok = false;
    const qint64 v = args.value(index).toLongLong(&ok);
    if (!ok || v < 1) {
        fail(
            QStringLiteral("\"%1\" is not an id (a positive whole number).").arg(args.value(index).left(50)));
        return 0;
    }
    return v;
}

QString AdminRequest::query(const char* name) const
{
    return http.query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded).trimmed();
}

std::optional<qint64> AdminRequest::queryInteger(const char* name, qint64 minimum, qint64 maximum)
{
    const QString text = query(name);
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < minimum || v > maximum) {
        fail(QStringLiteral("The query parameter \"%1\" must be a whole number from %2 to %3.")
                 .arg(QLatin1String(name))
                 .arg(minimum)
                 .arg(maximum));
        return std::nullopt;
    }
    return v;
}

QDateTime AdminRequest::queryTime(const char* name, bool endOfDay)
{
    const QString text = query(name);
    if (text.isEmpty())
        return {};
    auto parsed = parseIsoDateTime(text, endOfDay);
    if (!parsed) {
        fail(QStringLiteral("The query parameter \"%1\" must be an ISO 8601 date or time.")
                 .arg(QLatin1String(name)));
        return {};
    }
    return *parsed;
}

void AdminRequest::paging(qint64& offset, int& limit)
{
    offset = queryInteger("offset", 0, qint64(1) << 50).value_or(0);
    limit = int(queryInteger("limit", 1, 1000).value_or(50));
}

namespace {

void applyFilterValues(KeyFilter& f, const QString& status, const QString& match, const QString& scope,
                       AdminRequest& r)
{
    if (!status.isEmpty()) {
        f.status = keyStatusFromString(status);
        if (!f.status)
            r.fail(QStringLiteral("\"%1\" is not a key status (active, suspended, revoked, expired).")
                       .arg(status));
    }
    if (match == QLatin1String("prefix"))
        f.match = KeyFilter::TextMatch::Prefix;
    else if (!match.isEmpty() && match != QLatin1String("substring"))
        r.fail(QStringLiteral("match is \"substring\" or \"prefix\"."));
    if (scope == QLatin1String("trash"))
        f.scope = KeyFilter::Scope::Trash;
    else if (scope == QLatin1String("all"))
        f.scope = KeyFilter::Scope::All;
    else if (!scope.isEmpty() && scope != QLatin1String("live"))
        r.fail(QStringLiteral("scope is \"live\", \"trash\" or \"all\"."));
}

} // namespace

KeyFilter AdminRequest::keyFilter()
{
    KeyFilter f;
    if (auto product = queryInteger("product_id", 1, qint64(1) << 50))
        f.productId = product;
    f.expiresFrom = queryTime("expires_from", false);
    f.expiresTo = queryTime("expires_to", false);
    f.text = query("q").left(200);
    applyFilterValues(f, query("status"), query("match"), query("scope"), *this);
    return f;
}

KeyFilter AdminRequest::keyFilter(const QJsonObject& object)
{
    KeyFilter f;
    JsonFields in(object, m_problem, QStringLiteral("filter."));
    f.productId = in.integer("product_id", 1, qint64(1) << 50);
    const QString from = in.string("expires_from", false, 100);
    const QString to = in.string("expires_to", false, 100);
    if (!from.isEmpty()) {
        auto t = parseIsoDateTime(from, false);
        if (!t)
            fail(QStringLiteral("\"filter.expires_from\" must be an ISO 8601 date or time."));
        else
            f.expiresFrom = *t;
    }
    if (!to.isEmpty()) {
        auto t = parseIsoDateTime(to, false);
        if (!t)
            fail(QStringLiteral("\"filter.expires_to\" must be an ISO 8601 date or time."));
        else
            f.expiresTo = *t;
    }
    f.text = in.string("q", false, 200);
    applyFilterValues(f, in.string("status", false, 20), in.string("match", false, 20),
                      in.string("scope", false, 20), *this);
    return f;
}

const QJsonObject& AdminRequest::body()
{
    if (m_bodyRead)
        return m_body;
    m_bodyRead = true;
    if (http.body.trimmed().isEmpty())
        return m_body;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(http.body, &error);
    if (error.error != QJsonParseError::NoError)
        fail(QStringLiteral("The body is not valid JSON (%1 at offset %2).")
                 .arg(error.errorString())
                 .arg(error.offset));
    else if (!doc.isObject())
        fail(QStringLiteral("The body must be a JSON object."));
    else
        m_body = doc.object();
    return m_body;
}

} // namespace keyward::server
