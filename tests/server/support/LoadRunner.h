#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>

// Sends many requests at once from the test's event loop: `total` copies of a raw request over
// `connections` keep-alive connections (each sends its share one after another), spread
// round-robin over the given ports. Returns how many answers had each status (0: no answer).
class LoadRunner
{
public:
    static QMap<int, int> run(const QList<quint16>& ports, const QByteArray& request, int total,
                              int connections, int timeoutMs = 120000);
};
