#include "ImportRowChecker.h"

#include "DateParsing.h"
#include "RecordSource.h"
#include "Validation.h"

#include <algorithm>

namespace keyward {

QString shortenedForReport(const QString& value)
{
    return value.size() > 80 ? value.left(77) + QStringLiteral("...") : value;
}

ImportRowChecker::ImportRowChecker(RecordSource& source, const ImportMapping& mapping, const Product& product,
                                   std::optional<KeyFormat> format, const QDateTime& now)
    : m_source(source), m_mapping(mapping), m_product(product), m_format(std::move(format)), m_now(now)
{}

CheckedBatch ImportRowChecker::next(size_t rows, bool stopAtRejection, const std::atomic<bool>& abort)
{
    CheckedBatch batch;
    batch.rows.reserve(rows);
    m_batch = &batch;
    SourceRecord record;
    while (batch.rows.size() < rows && !(stopAtRejection && batch.rejected > 0)) {
        if ((batch.records & 63) == 0 && abort.load(std::memory_order_relaxed))
            break;
        auto more = m_source.next(record);
        if (!more) {
            batch.error = more.error();
            batch.last = true;
            break;
        }
        if (!*more) {
            batch.last = true;
            break;
        }
        ++batch.records;
        ImportRow row;
        if (check(record, row))
            batch.rows.push_back(std::move(row));
        else
            ++batch.rejected;
    }
    batch.bytesRead = m_source.bytesRead();
    batch.totalBytes = m_source.totalBytes();
    m_batch = nullptr;
    return batch;
}

void ImportRowChecker::problem(qint64 line, const QString& field, const QString& text, const QString& value)
{
    m_rowHadProblem = true;
    m_batch->problems.push_back(ImportProblem{line, field, text, shortenedForReport(value)});
}

void ImportRowChecker::problem(qint64 line, ImportField field, const QString& text, const QString& value)
{
    problem(line, importFieldName(field), text, value);
}

QString ImportRowChecker::cell(const SourceRecord& record, ImportField field) const
{
    const int column = m_mapping.column(field);
    return column >= 0 && column < record.values.size() ? record.values.at(column).trimmed() : QString();
}

// Turns a record into a key, reporting every problem of the row; false when it is rejected.
bool ImportRowChecker::check(const SourceRecord& record, ImportRow& row)
{
    m_rowHadProblem = false;
    row = ImportRow{};
    row.line = record.line;
    if (!record.error.isEmpty()) {
        const QStringList columns = m_source.columns();
        const QString field = record.errorColumn >= 0 && record.errorColumn < columns.size()
                                  ? columns.at(record.errorColumn)
                                  : QString();
        problem(record.line, field, record.error, {});
        return false;
    }

    const QString rawKey = cell(record, ImportField::Key);
    if (rawKey.isEmpty()) {
        problem(record.line, ImportField::Key, QStringLiteral("missing required field"), {});
    } else if (m_format) {
        const KeyCheck check = m_format->check(rawKey);
        if (check.valid())
            row.key.key = check.normalized;
        else
            problem(record.line, ImportField::Key, check.codeString() + QStringLiteral(": ") + check.message,
                    rawKey);
    } else {
        QString key = rawKey;
        key.remove(QLatin1Char(' '));
        const bool printable = std::all_of(key.begin(), key.end(), [](QChar c) { return c.isPrint(); });
        if (key.size() > 200 || !printable)
            problem(record.line, ImportField::Key,
                    QStringLiteral("not a usable key (too long or control characters)"), rawKey);
        else
            row.key.key = key;
    }

    row.key.customerName = cell(record, ImportField::CustomerName);
    if (row.key.customerName.size() > 200)
        problem(record.line, ImportField::CustomerName, QStringLiteral("longer than 200 characters"),
                row.key.customerName);
    row.key.customerEmail = cell(record, ImportField::CustomerEmail);
    if (!validation::isValidEmail(row.key.customerEmail))
        problem(record.line, ImportField::CustomerEmail, QStringLiteral("not a valid email address"),
                row.key.customerEmail);
    row.key.notes = m_mapping.isMapped(ImportField::Notes)
                        ? record.values.value(m_mapping.column(ImportField::Notes))
                        : QString();
    if (row.key.notes.size() > 20000)
        problem(record.line, ImportField::Notes, QStringLiteral("longer than 20,000 characters"),
                row.key.notes);

    auto date = [&](ImportField field, bool endOfDay, QDateTime& target) {
        const QString text = cell(record, field);
        if (text.isEmpty())
            return;
        auto parsed = parseIsoDateTime(text, endOfDay);
        if (parsed)
            target = *parsed;
        else
            problem(record.line, field, QStringLiteral("not a date (use ISO 8601, e.g. 2027-01-31)"), text);
    };
    if (m_product.defaultExpiryDays)
        row.key.expiresAt = m_now.addDays(*m_product.defaultExpiryDays);
    date(ImportField::ExpiresAt, true, row.key.expiresAt);
    date(ImportField::CreatedAt, false, row.key.createdAt);

    const QString status = cell(record, ImportField::Status);
    if (!status.isEmpty()) {
        const auto parsed = keyStatusFromString(status);
        if (parsed)
            row.key.status = *parsed;
        else
            problem(record.line, ImportField::Status,
                    QStringLiteral("unknown status (active, suspended, revoked, expired)"), status);
    }
    const QString reason = cell(record, ImportField::RevokeReason);
    if (!reason.isEmpty()) {
        const auto parsed = revokeReasonFromString(reason);
        if (parsed)
            row.revokeReason = *parsed;
        else
            problem(record.line, ImportField::RevokeReason,
                    QStringLiteral("unknown reason (refund, chargeback, abuse, other)"), reason);
    }
    if (row.key.status == KeyStatus::Revoked && row.revokeReason == RevokeReason::None)
        row.revokeReason = RevokeReason::Other;

    auto number = [&](ImportField field, qint64 maximum) -> std::optional<qint64> {
        const QString text = cell(record, field);
        if (text.isEmpty())
            return std::nullopt;
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (!ok || value < 0 || value > maximum) {
            problem(record.line, field, QStringLiteral("not a whole number from 0 to %1").arg(maximum), text);
            return std::nullopt;
        }
        return value;
    };
    row.key.maxDomains = m_product.defaultMaxDomains;
    row.key.maxUuids = m_product.defaultMaxUuids;
    if (auto v = number(ImportField::MaxDomains, 1'000'000))
        row.key.maxDomains = *v == 0 ? std::nullopt : std::optional<int>(int(*v));
    if (auto v = number(ImportField::MaxUuids, 1'000'000))
        row.key.maxUuids = *v == 0 ? std::nullopt : std::optional<int>(int(*v));
    if (m_product.tokenKeys)
        row.key.tokenBalance = m_product.defaultTokens;
    if (auto v = number(ImportField::Tokens, 1'000'000'000'000'000LL))
        row.key.tokenBalance = *v;

    if (m_rowHadProblem)
        return false;
    if (const qint64 earlier = m_seen.claim(row.key.key, record.line)) {
        problem(record.line, ImportField::Key,
                QStringLiteral("duplicate of line %1 in this file").arg(earlier), rawKey);
        return false;
    }
    return true;
}

} // namespace keyward
