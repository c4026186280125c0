#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli apikey create|list|revoke: the bearer tokens a product's apps send to keywardd.
class ApiKeyCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
