#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace keyward {

// What went wrong, coarse enough for callers to branch on (exit codes, HTTP statuses, dialogs).
enum class ErrorKind
{
    None,
    Invalid,      // bad input from the person or a file
    NotFound,     // the thing asked for does not exist
    Conflict,     // a duplicate or a rule that refuses the change
    LimitReached, // a product's maximum number of keys, a key's maximum domains...
    Cancelled,    // the person stopped a long operation
    NotKeyward,   // the file or database is not a Keyward database
    TooNew,       // the schema was written by a newer Keyward
    ReadOnly,     // the database cannot be written
    Locked,       // another program holds a lock on the database
    Unreachable,  // the database server cannot be reached
    AuthFailed,   // the database server rejected the credentials
    Io,           // reading or writing a file failed
    Internal,     // a database error that none of the above explains
};

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString message; // one sentence a person can act on

    Error() = default;
    Error(ErrorKind k, QString m) : kind(k), message(std::move(m)) {}
};

// An expected-like result: either a value or an Error with a message. Small on purpose.
template<typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return *m_value; }
    T& value() & { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    const T& operator*() const& { return *m_value; }
    T& operator*() & { return *m_value; }
    const T* operator->() const { return &*m_value; }
    T* operator->() { return &*m_value; }

    const Error& error() const { return m_error; }
    QString errorMessage() const { return m_error.message; }
    ErrorKind errorKind() const { return ok() ? ErrorKind::None : m_error.kind; }

private:
    std::optional<T> m_value;
    Error m_error;
};

template<>
class Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_failed(true), m_error(std::move(error)) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }
    QString errorMessage() const { return m_error.message; }
    ErrorKind errorKind() const { return ok() ? ErrorKind::None : m_error.kind; }

private:
    bool m_failed = false;
    Error m_error;
};

using Status = Result<void>;

inline Error makeError(ErrorKind kind, const QString& message)
{
    return Error(kind, message);
}

} // namespace keyward
