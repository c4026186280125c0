#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli init
class InitCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
