#include "CliContext.h"

#include <QCoreApplication>

#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace keyward::cli {

CliContext::CliContext() : out(stdout), err(stderr)
{
    out.setEncoding(QStringConverter::Utf8);
    err.setEncoding(QStringConverter::Utf8);
    m_progressOnTty = ::isatty(STDERR_FILENO) == 1;
}

std::atomic<bool>& CliContext::interrupted()
{
    static std::atomic<bool> flag{false};
    return flag;
}

QString CliContext::databaseDescription() const
{
    return databaseArgument.isEmpty() ? DatabaseLocation::defaultSqlitePath() : databaseArgument;
}

Store* CliContext::store(bool create)
{
    if (m_store)
        return m_store.get();
    QString text = databaseArgument;
    if (text.isEmpty())
        text = qEnvironmentVariable("KEYWARD_DB", DatabaseLocation::defaultSqlitePath());
    auto location = DatabaseLocation::parse(text);
    if (!location) {
        fail(ExitUsage, location.errorMessage());
        return nullptr;
    }
    Database::Options options;
    options.create = create;
    options.busyTimeoutMs = qEnvironmentVariableIntValue("KEYWARD_BUSY_TIMEOUT_MS") > 0
                                ? qEnvironmentVariableIntValue("KEYWARD_BUSY_TIMEOUT_MS")
                                : 5000;
    auto opened = Store::open(*location, options);
    if (!opened) {
        // Opening problems are all "database" problems for the exit code, even a missing file.
        fail(ExitDatabase, opened.errorMessage());
        return nullptr;
    }
    m_store = std::move(opened).value();
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) {
        const passwd* entry = ::getpwuid(::getuid());
        user = entry ? QString::fromLocal8Bit(entry->pw_name) : QStringLiteral("unknown");
    }
    m_store->setActor(QStringLiteral("cli:") + user);
    return m_store.get();
}

int CliContext::fail(const Error& error)
{
    return fail(exitCodeFor(error.kind), error.message);
}

int CliContext::fail(int code, const QString& message)
{
    err << "keyward-cli: " << message << Qt::endl;
    return code;
}

int CliContext::usage(const QCommandLineParser& parser, const QString& message)
{
    Q_UNUSED(parser)
    err << "keyward-cli: " << message << Qt::endl << "Run with --help for the options." << Qt::endl;
    return ExitUsage;
}

int CliContext::unknownSubcommand(const QString& group, const QString& sub, const QString& help)
{
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h")) {
        out << help;
        return sub.isEmpty() ? ExitUsage : ExitOk;
    }
    err << "keyward-cli: unknown " << group << " command \"" << sub << "\".\n" << help;
    return ExitUsage;
}

bool CliContext::parse(QCommandLineParser& parser, const QStringList& args, int& exitCode)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        exitCode = usage(parser, parser.errorText());
        return false;
    }
    if (parser.isSet(help)) {
        out << parser.helpText();
        out.flush();
        exitCode = ExitOk;
        return false;
    }
    return true;
}

JobControl CliContext::progress(const QString& label)
{
    JobControl control;
    control.cancel = &interrupted();
    m_lastPercent = -1;
    if (quiet)
        return control;
    control.progress = [this, label](qint64 done, qint64 total) {
        const int percent = total > 0 ? int(done * 100 / total) : 100;
        // On a terminal redraw one line; in a log write a line per 10%.
        if (m_progressOnTty) {
            if (percent == m_lastPercent)
                return;
            err << '\r' << label << ": " << percent << "% (" << QLocale::system().toString(done) << " / "
                << QLocale::system().toString(total) << ")";
            err.flush();
        } else if (percent / 10 != m_lastPercent / 10 || done == total) {
            if (percent == m_lastPercent)
                return;
            err << label << ": " << percent << "% (" << done << " / " << total << ")" << Qt::endl;
        } else {
            return;
        }
        m_lastPercent = percent;
    };
    return control;
}

void CliContext::endProgress()
{
    if (!quiet && m_progressOnTty && m_lastPercent >= 0)
        err << Qt::endl;
    m_lastPercent = -1;
}

} // namespace keyward::cli
