#pragma once

namespace keyward::server {

class AdminApi;

// Admin routes of the support desk: IP states with their evidence, lifting bans, the whitelist,
// unban tickets.
class SupportAdmin
{
public:
    static void addRoutes(AdminApi& api);
};

} // namespace keyward::server
