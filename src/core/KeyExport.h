#pragma once

#include "JobControl.h"
#include "KeyExportWriter.h"
#include "KeyQuery.h"
#include "Result.h"

namespace keyward {

class KeyStore;

// Writes the keys matching a filter to a file. The file appears complete or not at all (it is
// written to a temporary file and renamed at the end), so a cancelled export leaves nothing.
class KeyExport
{
public:
    static Result<qint64> toFile(const KeyStore& keys, const KeyFilter& filter, const QString& path,
                                 ExportFormat format, const JobControl& control = {});
    // The keys of ids in that order (ids that no longer exist are left out).
    static Result<qint64> toFile(const KeyStore& keys, const std::vector<qint64>& ids, const QString& path,
                                 ExportFormat format, const JobControl& control = {});
};

} // namespace keyward
