#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli product add|list|show|edit|archive|unarchive
class ProductCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
