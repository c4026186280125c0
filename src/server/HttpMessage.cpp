#include "HttpMessage.h"

#include <QJsonDocument>

namespace keyward::server {

QString HttpRequestInfo::bearerToken() const
{
    const QByteArray value = authorization.trimmed();
    if (value.size() < 8 || value.left(7).compare("bearer ", Qt::CaseInsensitive) != 0)
        return {};
    const QByteArray token = value.mid(7).trimmed();
    // Tokens are URL-safe base64 with a prefix; anything else is malformed, not worth a lookup.
    for (char c : token) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '-' || c == '_';
        if (!ok)
            return {};
    }
    if (token.isEmpty() || token.size() > 200)
        return {};
    return QString::fromLatin1(token);
}

HttpReply HttpReply::json(int status, const QJsonObject& object)
{
    HttpReply r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

HttpReply HttpReply::error(int status, const QString& code, const QString& message, bool publicApi)
{
    QJsonObject o{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}};
    if (publicApi) {
        o.insert(QStringLiteral("valid"), false);
        o.insert(QStringLiteral("status"), code);
    }
    return json(status, o);
}

HttpReply& HttpReply::withHeader(const QByteArray& name, const QByteArray& value)
{
    headers.append({name, value});
    return *this;
}

const char* httpReasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

QByteArray rawHttpResponse(int status, const QByteArray& json, bool close)
{
    QByteArray out;
    out.reserve(160 + json.size());
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    out += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    out += "\r\n" + json;
    return out;
}

} // namespace keyward::server
