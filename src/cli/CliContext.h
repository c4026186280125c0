#pragma once

#include "ExitCode.h"
#include "JobControl.h"
#include "Store.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <atomic>
#include <memory>

namespace keyward::cli {

// What every command shares: the --db choice, the output streams, opening the store, turning
// errors into messages and exit codes, and progress on stderr.
class CliContext
{
public:
    CliContext();

    QString databaseArgument;
    bool quiet = false;
    QTextStream out;
    QTextStream err;

    // Opens the store chosen by --db (or the default local file); prints the error and returns
    // nullptr when it cannot.
    Store* store(bool create = false);
    void closeStore() { m_store.reset(); }
    QString databaseDescription() const;

    int fail(const Error& error);
    int fail(int code, const QString& message);
    int usage(const QCommandLineParser& parser, const QString& message);
    // The end of a command group's dispatch when `sub` named none of its commands: the group's
    // help for --help (or nothing given, then exit 2), an error otherwise.
    int unknownSubcommand(const QString& group, const QString& sub, const QString& help);

    // Parses args; on --help prints help and returns ExitOk in `exitCode`, on error ExitUsage.
    bool parse(QCommandLineParser& parser, const QStringList& args, int& exitCode);

    // A JobControl that prints "label: 42% (420,000 / 1,000,000)" on stderr and stops on Ctrl+C.
    JobControl progress(const QString& label);
    void endProgress();
    static std::atomic<bool>& interrupted();

private:
    std::unique_ptr<Store> m_store;
    bool m_progressOnTty = false;
    int m_lastPercent = -1;
};

} // namespace keyward::cli
