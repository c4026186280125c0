#pragma once

#include "Result.h"

#include <QStringList>

namespace keyward {

// License keys given as a list, to act on them all (bulk delete, restore): pasted text or a file.
// A file is either the key column of a CSV/JSON file (found like an import's key column) or a
// plain list with one key per line.
class KeyListReader
{
public:
    // Keys separated by line breaks, commas, semicolons, tabs or spaces; blanks are left out.
    static QStringList fromText(const QString& text);
    static Result<QStringList> fromFile(const QString& path);
};

} // namespace keyward
