#pragma once

#include "KeyImport.h"

#include <QAbstractTableModel>

#include <vector>

namespace keyward {

// The row-level report of an import as a table: line, field, problem, value.
class ImportReportModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        LineCol,
        FieldCol,
        ProblemCol,
        ValueCol,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setProblems(std::vector<ImportProblem> problems);
    const std::vector<ImportProblem>& problems() const { return m_problems; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ImportProblem> m_problems;
};

} // namespace keyward
