#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli export
class ExportCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
