#pragma once

namespace keyward::server {

class AdminApi;

// Admin routes for server-side jobs: generate keys, export keys, progress, cancel, download.
class JobsAdmin
{
public:
    static void addRoutes(AdminApi& api);
};

} // namespace keyward::server
