#pragma once

namespace keyward::server {

class AdminApi;

// Admin routes that report: usage per product per day, the request log, the audit log; and the
// admin tokens themselves (owner only).
class ReportsAdmin
{
public:
    static void addRoutes(AdminApi& api);
};

} // namespace keyward::server
