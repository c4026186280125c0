#include "BackendJob.h"
#include "GenerateKeysDialog.h"
#include "GuiTest.h"
#include "LocalBackend.h"
#include "ProductEditor.h"
#include "RevokeDialog.h"
#include "Store.h"
#include "UtcTime.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace keyward;

// The product editor's live format feedback and refusals, a cancelled generation storing
// nothing, and what the revoke dialog says the customer loses.
class TestDialogs : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<LocalBackend> m_backend;
    Product m_product;

    QString text(QWidget* d, const char* name) { return d->findChild<QLabel*>(QLatin1String(name))->text(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString path = m_dir.filePath(QStringLiteral("dialogs.db"));
        {
            Database::Options o;
            o.create = true;
            auto store = Store::open(DatabaseLocation::sqlite(path), o);
            QVERIFY(store);
            Product p;
            p.name = QStringLiteral("Existing");
            auto created = (*store)->products().create(p);
            QVERIFY(created);
            m_product = *created;
        }
        m_backend = std::make_unique<LocalBackend>(
            DatabaseLocation::sqlite(path), LocalBackend::Options{false, false, QStringLiteral("app:test")});
        bool opened = false;
        m_backend->open(this, [&](const Result<bool>& r) { opened = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(opened, 20000);
    }

    void cleanupTestCase() { m_backend.reset(); }

    void productEditorShowsFormatFeedback()
    {
        ProductEditor editor(m_backend.get(), std::nullopt);
        auto* pattern = editor.findChild<QLineEdit*>(QStringLiteral("patternEdit"));
        auto* prefix = editor.findChild<QLineEdit*>(QStringLiteral("prefixEdit"));
        auto* test = editor.findChild<QLineEdit*>(QStringLiteral("testKeyEdit"));
        auto* weak = editor.findChild<QCheckBox*>(QStringLiteral("weakCheck"));
        QPushButton* save =
            editor.findChild<QDialogButtonBox*>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Save);

        prefix->setText(QStringLiteral("GAME-"));
        QVERIFY(text(&editor, "sampleLabel").startsWith(QLatin1String("GAME-")));
        QCOMPARE(text(&editor, "sampleLabel").size(), QStringLiteral("GAME-XXXXX-XXXXX-XXXXX-XXXXX").size());
        QVERIFY(text(&editor, "entropyLabel").startsWith(QLatin1String("100.0 bits")));
        QVERIFY(save->isEnabled());

        // The check codes of the reference service, on the test field.
        test->setText(QStringLiteral("GAME-ABCDE"));
        QVERIFY(text(&editor, "testResultLabel").startsWith(QLatin1String("L3n7")));
        test->setText(QStringLiteral("GAME-ABCDE-ABCDE-ABCDE-ABCD!"));
        QVERIFY(text(&editor, "testResultLabel").startsWith(QLatin1String("C4r5")));
        test->setText(QStringLiteral("GAME-ABCDE-ABCDEXABCDE-ABCDE"));
        QVERIFY2(text(&editor, "testResultLabel").startsWith(QLatin1String("P477")),
                 qPrintable(text(&editor, "testResultLabel")));
        test->setText(QStringLiteral("game-abcde-abcde-abcde-abcdo"));
        QCOMPARE(text(&editor, "testResultLabel"), QStringLiteral("Valid: GAME-ABCDE-ABCDE-ABCDE-ABCD0"));

        // Under 64 bits: refused unless the vendor allows weak formats.
        pattern->setText(QStringLiteral("XXXX-XXXX"));
        QVERIFY(text(&editor, "entropyLabel").contains(QLatin1String("too easy to guess")));
        QVERIFY(!save->isEnabled());
        weak->setChecked(true);
        QVERIFY(save->isEnabled());
    }

    void productEditorKeepsTheDialogOpenWhenRefused()
    {
        ProductEditor editor(m_backend.get(), std::nullopt);
        editor.show();
        editor.findChild<QLineEdit*>(QStringLiteral("nameEdit"))->setText(QStringLiteral("existing"));
        editor.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!text(&editor, "problemLabel").isEmpty(), 20000);
        QVERIFY(text(&editor, "problemLabel").contains(QLatin1String("already")));
        QVERIFY(editor.isVisible());
        QCOMPARE(editor.result(), int(QDialog::Rejected));
        editor.findChild<QLineEdit*>(QStringLiteral("nameEdit"))->setText(QStringLiteral("Brand New"));
        editor.accept();
        QTRY_COMPARE_WITH_TIMEOUT(editor.result(), int(QDialog::Accepted), 20000);
        QCOMPARE(editor.saved().name, QStringLiteral("Brand New"));
    }

    void cancelledGenerationStoresNothing()
    {
        GenerateKeysDialog dialog(m_backend.get(), {m_product}, m_product.id);
        dialog.show();
        dialog.findChild<QSpinBox*>(QStringLiteral("countSpin"))->setValue(3'000'000);
        auto* generate = dialog.findChild<QPushButton*>(QStringLiteral("generateButton"));
        QTest::mouseClick(generate, Qt::LeftButton);
        QVERIFY(dialog.isRunning());
        QCOMPARE(generate->text(), QStringLiteral("&Stop"));
        // Stop once some keys are written (inside the still-open transaction).
        auto* bar = dialog.findChild<QProgressBar*>(QStringLiteral("progressBar"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() > 0, 60000);
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 60000);
        QCOMPARE(text(&dialog, "statusLabel"), QStringLiteral("Stopped. No keys were stored."));
        QVERIFY(dialog.generatedKeys().isEmpty());
        qint64 count = -1;
        m_backend->keyCount(KeyFilter{}, 0, this, [&](const Result<qint64>& r) { count = r ? *r : -2; });
        QTRY_VERIFY_WITH_TIMEOUT(count != -1, 20000);
        QCOMPARE(count, 0);
    }

    void revokeDialogNamesTheLosses()
    {
        KeyDetails d;
        d.key.key = QStringLiteral("ABCDE-ABCDE-ABCDE-ABCDE");
        d.key.tokenBalance = 1500;
        const QDateTime now = utcDateTime(QDate(2027, 1, 1), QTime(0, 0));
        d.key.expiresAt = now.addDays(30);
        Activation a;
        a.kind = ActivationKind::Domain;
        a.value = QStringLiteral("shop.example.com");
        d.activations.push_back(a);
        a.kind = ActivationKind::Uuid;
        a.value = QStringLiteral("123e4567-e89b-12d3-a456-426614174000");
        d.activations.push_back(a);
        const QString losses = RevokeDialog::losses(d, now);
        QVERIFY(losses.contains(QLatin1String("shop.example.com")));
        QVERIFY(losses.contains(QLatin1String("1 device")));
        QVERIFY(losses.contains(QLatin1String("1,500 unused tokens")));
        QVERIFY(losses.contains(QLatin1String("30 day(s) left")));
    }
};

KW_GUI_TEST_MAIN(TestDialogs)
#include "TestDialogs.moc"
