#pragma once

#include "AdminTokenStore.h"
#include "HttpMessage.h"
#include "KeyQuery.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>
#include <vector>

namespace keyward {
class Store;
}

namespace keyward::server {

struct ServerContext;

// Typed fields of a JSON object; the first problem is kept (as a message for a 400) and every
// later read returns an empty value, so a handler reads everything and checks once.
class JsonFields
{
public:
    JsonFields(const QJsonObject& object, QString& problem, const QString& prefix = {})
        : m_object(object), m_problem(problem), m_prefix(prefix)
    {}

    bool has(const char* key) const { return m_object.contains(QLatin1String(key)); }
    QString string(const char* key, bool required = false, int maxLength = 1000);
    // null gives nullopt; absent gives nullopt too (check has() for PATCH semantics).
    std::optional<qint64> integer(const char* key, qint64 minimum, qint64 maximum, bool required = false);
    std::optional<bool> boolean(const char* key, bool required = false);
    // ISO 8601; a plain date means the end of that day (UTC). null or absent: an invalid QDateTime.
    QDateTime time(const char* key, bool required = false);
    std::vector<qint64> ids(const char* key, bool required = false);
    QJsonObject object(const char* key);

private:
    void fail(const char* key, const QString& what);

    const QJsonObject& m_object;
    QString& m_problem;
    QString m_prefix;
};

// One admin request in the executor thread: the store, who asks (the token), the request, and
// readers for path, query and body values that turn problems into one clear 400.
class AdminRequest
{
public:
    AdminRequest(ServerContext& context, Store& store, const AdminToken& token, const HttpRequestInfo& http,
                 const QStringList& args);

    ServerContext& ctx;
    Store& store;
    const AdminToken& token;
    const HttpRequestInfo& http;
    const QStringList& args;

    // A path parameter that must be a positive whole number.
    qint64 id(int index = 0);
    QString arg(int index = 0) const { return args.value(index); }
    QString query(const char* name) const;
    std::optional<qint64> queryInteger(const char* name, qint64 minimum, qint64 maximum);
    QDateTime queryTime(const char* name, bool endOfDay);
    void paging(qint64& offset, int& limit);
    // The key filter from query parameters, or from a JSON object ("filter" of bulk operations).
    KeyFilter keyFilter();
    KeyFilter keyFilter(const QJsonObject& object);

    // The JSON body as an object (an empty body is an empty object).
    const QJsonObject& body();
    JsonFields fields() { return JsonFields(body(), m_problem); }

    void fail(const QString& message);
    bool failed() const { return !m_problem.isEmpty(); }
    HttpReply badRequest() const;

private:
    QString m_problem;
    QJsonObject m_body;
    bool m_bodyRead = false;
};

} // namespace keyward::server
