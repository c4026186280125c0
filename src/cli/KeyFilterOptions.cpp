#include "KeyFilterOptions.h"

#include "DateParsing.h"
#include "Store.h"

namespace keyward::cli {

void KeyFilterOptions::addTo(QCommandLineParser& parser)
{
    parser.addOptions(
        {m_product, m_status, m_search, m_startsWith, m_expiresAfter, m_expiresBefore, m_trash});
}

bool KeyFilterOptions::anySet(const QCommandLineParser& parser) const
{
    for (const auto* o : {&m_product, &m_status, &m_search, &m_startsWith, &m_expiresAfter, &m_expiresBefore})
        if (parser.isSet(*o))
            return true;
    return false;
}

Result<KeyFilter> KeyFilterOptions::read(const QCommandLineParser& parser, Store& store) const
{
    KeyFilter filter;
    if (parser.isSet(m_product)) {
        auto product = store.products().findByName(parser.value(m_product));
        if (!product)
            return product.error();
        filter.productId = product->id;
    }
    if (parser.isSet(m_status)) {
        auto status = keyStatusFromString(parser.value(m_status));
        if (!status)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("Unknown status \"%1\"; use active, suspended, revoked or expired.")
                    .arg(parser.value(m_status)));
        filter.status = status;
    }
    if (parser.isSet(m_search) && parser.isSet(m_startsWith))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("Use either --search or --starts-with, not both."));
    if (parser.isSet(m_search)) {
        filter.text = parser.value(m_search);
    } else if (parser.isSet(m_startsWith)) {
        filter.text = parser.value(m_startsWith);
        filter.match = KeyFilter::TextMatch::Prefix;
    }
    auto date = [&](const QCommandLineOption& option, QDateTime& target) -> Status {
        if (!parser.isSet(option))
            return {};
        auto parsed = parseIsoDateTime(parser.value(option), false);
        if (!parsed)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("\"%1\" is not a date; use YYYY-MM-DD.").arg(parser.value(option)));
        target = *parsed;
        return {};
    };
    if (Status s = date(m_expiresAfter, filter.expiresFrom); !s)
        return s.error();
    if (Status s = date(m_expiresBefore, filter.expiresTo); !s)
        return s.error();
    if (parser.isSet(m_trash))
        filter.scope = KeyFilter::Scope::Trash;
    return filter;
}

} // namespace keyward::cli
