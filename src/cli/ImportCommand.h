#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli import FILE --product NAME ...
class ImportCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
