#pragma once

#include "ClientAddress.h"
#include "DatabaseLocation.h"
#include "IpGuard.h"
#include "RequestLog.h"
#include "RouteTable.h"
#include "ServerCaches.h"
#include "ServerConfig.h"

#include <QAtomicInt>
#include <QDateTime>

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
    ValidationPipeline* validation = nullptr;
    DbExecutor* database = nullptr; // admin requests, unban requests
    JobManager* jobs = nullptr;

    QDateTime now() const { return clock(); }
};

} // namespace keyward::server
