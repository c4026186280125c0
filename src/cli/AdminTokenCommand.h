#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli admin-token create|list|revoke: tokens for keywardd's admin API.
class AdminTokenCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
