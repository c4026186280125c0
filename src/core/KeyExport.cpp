#include "KeyExport.h"

#include "KeyFileWriter.h"
#include "KeyStore.h"

namespace keyward {
namespace {

template<typename Produce>
Result<qint64> writeFile(const QString& path, ExportFormat format, qint64 total, const JobControl& control,
                         Produce produce)
{
    auto file = KeyFileWriter::open(path, format);
    if (!file)
        return file.error();
    KeyFileWriter& writer = **file;
    Status s = produce([&](const LicenseKey& key) -> Status {
        if (control.cancelled())
            return makeError(ErrorKind::Cancelled,
                             QStringLiteral("The export was cancelled; no file was written."));
        if (Status w = writer.write(key); !w)
            return w;
        if (writer.written() % 1000 == 0)
            control.report(writer.written(), total);
        return {};
    });
    if (!s)
        return s.error(); // the temporary file is discarded
    if (Status c = writer.commit(); !c)
        return c.error();
    control.report(writer.written(), total);
    return writer.written();
}

} // namespace

Result<qint64> KeyExport::toFile(const KeyStore& keys, const KeyFilter& filter, const QString& path,
                                 ExportFormat format, const JobControl& control)
{
    auto total = keys.count(filter);
    if (!total)
        return total.error();
    return writeFile(
        path, format, *total, control,
        [&](const std::function<Status(const LicenseKey&)>& write) { return keys.forEach(filter, write); });
}

Result<qint64> KeyExport::toFile(const KeyStore& keys, const std::vector<qint64>& ids, const QString& path,
                                 ExportFormat format, const JobControl& control)
{
    return writeFile(
        path, format, qint64(ids.size()), control,
        [&](const std::function<Status(const LicenseKey&)>& write) { return keys.forEach(ids, write); });
}

} // namespace keyward
