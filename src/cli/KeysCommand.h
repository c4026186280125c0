#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli keys list|show|revoke|delete|restore|purge
class KeysCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
