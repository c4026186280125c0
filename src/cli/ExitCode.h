#pragma once

#include "Result.h"

namespace keyward::cli {

// Documented in docs/cli.md; scripts rely on them, so they never change meaning.
enum ExitCode
{
    ExitOk = 0,
    ExitInvalidKey = 1,  // check: the key is not valid for the format
    ExitUsage = 2,       // bad command line or invalid value
    ExitDatabase = 3,    // the database cannot be opened or written (missing, not Keyward, locked...)
    ExitNotFound = 4,    // a product or key does not exist
    ExitRefused = 5,     // a rule refused the change (duplicate, limit reached, already revoked...)
    ExitIo = 6,          // a file could not be read or written
    ExitCancelled = 130, // interrupted (Ctrl+C); nothing was changed
};

inline int exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return ExitOk;
    case ErrorKind::Invalid:
        return ExitUsage;
    case ErrorKind::NotFound:
        return ExitNotFound;
    case ErrorKind::Conflict:
    case ErrorKind::LimitReached:
        return ExitRefused;
    case ErrorKind::Cancelled:
        return ExitCancelled;
    case ErrorKind::Io:
        return ExitIo;
    case ErrorKind::NotKeyward:
    case ErrorKind::TooNew:
    case ErrorKind::ReadOnly:
    case ErrorKind::Locked:
    case ErrorKind::Unreachable:
    case ErrorKind::AuthFailed:
    case ErrorKind::Internal:
        return ExitDatabase;
    }
    return ExitDatabase;
}

} // namespace keyward::cli
