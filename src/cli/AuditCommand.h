#pragma once

#include <QStringList>

namespace keyward::cli {

class CliContext;

// keyward-cli audit
class AuditCommand
{
public:
    static int run(CliContext& cli, const QStringList& args);
};

} // namespace keyward::cli
