#pragma once

#include "HttpCompat.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

namespace keyward::server {

// What a handler needs of a request, copied out of QtHttpServer's request (which only lives for
// the duration of the route callback) so that it can travel to worker threads.
struct HttpRequestInfo
{
    QString method; // GET, POST, ...
    QString path;
    QUrlQuery query;
    QByteArray body;
    QByteArray authorization;
    QString peerIp;   // the TCP peer
    QString clientIp; // the end user: the peer, or X-Forwarded-For from a trusted proxy
    QDateTime receivedAt;
    bool wantsClose = false;
    bool publicApi = true; // under /api/: answers carry "valid" and "status"

    // "Authorization: Bearer <token>"; empty when missing or malformed.
    QString bearerToken() const;
};

// A complete answer: status, JSON (or another body, or a file to stream) and extra headers.
struct HttpReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    compat::HeaderPairs headers;
    QString filePath; // when set, the file is streamed as the body
    QByteArray disposition;

    static HttpReply json(int status, const QJsonObject& object);
    // The one error shape: {"error": code, "message": ...}; public API answers also carry
    // "valid": false and "status": code, like every other public answer.
    static HttpReply error(int status, const QString& code, const QString& message, bool publicApi);
    HttpReply& withHeader(const QByteArray& name, const QByteArray& value);
};

// The raw bytes of a small JSON response, for answers written before QtHttpServer sees a request
// (connection cap, size limits, timeouts).
QByteArray rawHttpResponse(int status, const QByteArray& json, bool close);
const char* httpReasonPhrase(int status);

} // namespace keyward::server
