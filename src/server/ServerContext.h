#pragma once

#include "ClientAddress.h"
#include "ConnectionBalancer.h"
#include "DatabaseLocation.h"
#include "IpGuard.h"
#include "RequestLog.h"
#include "RouteTable.h"
#include "ServerCaches.h"
#include "ServerConfig.h"

#include <QAtomicInt>
#include <QDateTime>
#include <QMutex>

#include <functional>

namespace keyward::server {

class DbExecutor;
class JobManager;
class ValidationPipeline;

// What every part of the running server shares. Built once by Server; the members are
// thread-safe (or immutable after start-up).
struct ServerContext
{
    ServerConfig config;
    DatabaseLocation location;
    std::function<QDateTime()> clock = [] { return QDateTime::currentDateTimeUtc(); };
    ClientAddress clientAddress;
    IpGuard ipGuard;
    ApiKeyCache apiKeys;
    ProductCache products;
    RequestLogBuffer requestLog; // entries answered in the HTTP threads; written by the validation workers
    RouteTable routes;
    QAtomicInt openConnections;
    ConnectionBalancer balancer;
    // SQLite: one writer at a time among this process's connections (SQLite's own wait for its
    // write lock sleeps for milliseconds). Taken around the public API's short write transactions.
    QMutex sqliteWriter;
    ValidationPipeline* validation = nullptr;
    DbExecutor* database = nullptr; // admin requests, unban requests
    JobManager* jobs = nullptr;

    QDateTime now() const { return clock(); }
};

} // namespace keyward::server
