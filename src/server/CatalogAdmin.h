#pragma once

namespace keyward::server {

class AdminApi;

// Admin routes for products, their API keys, license keys and activations.
class CatalogAdmin
{
public:
    static void addRoutes(AdminApi& api);
};

} // namespace keyward::server
