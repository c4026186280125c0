#include "ImportReportModel.h"

#include <QLocale>

namespace keyward {

void ImportReportModel::setProblems(std::vector<ImportProblem> problems)
{
    beginResetModel();
    m_problems = std::move(problems);
    endResetModel();
}

int ImportReportModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_problems.size());
}

int ImportReportModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImportReportModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_problems.size()))
        return {};
    const ImportProblem& p = m_problems[size_t(index.row())];
    if (role == Qt::TextAlignmentRole && index.column() == LineCol)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == ProblemCol)
        return p.problem;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case LineCol:
        return QLocale().toString(p.line);
    case FieldCol:
        return p.field.isEmpty() ? tr("(row)") : p.field;
    case ProblemCol:
        return p.problem;
    case ValueCol:
        return p.value;
    default:
        return {};
    }
}

QVariant ImportReportModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LineCol:
        return tr("Line");
    case FieldCol:
        return tr("Field");
    case ProblemCol:
        return tr("Problem");
    case ValueCol:
        return tr("Value");
    default:
        return {};
    }
}

} // namespace keyward
