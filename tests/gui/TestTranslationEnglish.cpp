#include "GuiTest.h"
#include "KeyTableModel.h"
#include "RevokeDialog.h"
#include "Translations.h"

#include <QTest>

using namespace keyward;

// English loads its plural forms: "1 device", "3 devices", never "device(s)".
class TestTranslationEnglish : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { Translations::install(QStringLiteral("en")); }

    void pluralForms()
    {
        KeyDetails d;
        Activation a;
        a.kind = ActivationKind::Uuid;
        d.activations.push_back(a);
        QVERIFY2(RevokeDialog::losses(d, QDateTime::currentDateTimeUtc())
                     .contains(QLatin1String("Access on 1 device<")),
                 qPrintable(RevokeDialog::losses(d, QDateTime::currentDateTimeUtc())));
        d.activations.push_back(a);
        d.activations.push_back(a);
        QVERIFY(RevokeDialog::losses(d, QDateTime::currentDateTimeUtc())
                    .contains(QLatin1String("Access on 3 devices<")));
        QCOMPARE(KeyTableModel::tr("Revoked (refund)"), QStringLiteral("Revoked (refund)"));
    }
};

KW_GUI_TEST_MAIN(TestTranslationEnglish)
#include "TestTranslationEnglish.moc"
