<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AuditText</name>
    <message numerus="yes">
        <source>Moved to the trash with %Ln other key(s)</source>
        <translation><numerusform>Mit %Ln weiteren Schlüssel in den Papierkorb verschoben</numerusform><numerusform>Mit %Ln weiteren Schlüsseln in den Papierkorb verschoben</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Restored from the trash with %Ln other key(s)</source>
        <translation><numerusform>Mit %Ln weiteren Schlüssel aus dem Papierkorb wiederhergestellt</numerusform><numerusform>Mit %Ln weiteren Schlüsseln aus dem Papierkorb wiederhergestellt</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Deleted forever with %Ln other key(s)</source>
        <translation><numerusform>Mit %Ln weiteren Schlüssel endgültig gelöscht</numerusform><numerusform>Mit %Ln weiteren Schlüsseln endgültig gelöscht</numerusform></translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>customer name</source>
        <translation>Kundenname</translation>
    </message>
    <message>
        <source>email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>expiry</source>
        <translation>Ablauf</translation>
    </message>
    <message>
        <source>max. domains</source>
        <translation>max. Domains</translation>
    </message>
    <message>
        <source>max. devices</source>
        <translation>max. Geräte</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Reinstated</source>
        <translation>Wieder freigegeben</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Revoked (%1)</source>
        <translation>Gesperrt (%1)</translation>
    </message>
    <message>
        <source>Moved to the trash</source>
        <translation>In den Papierkorb verschoben</translation>
    </message>
    <message>
        <source>Restored from the trash</source>
        <translation>Aus dem Papierkorb wiederhergestellt</translation>
    </message>
    <message>
        <source>Deleted forever</source>
        <translation>Endgültig gelöscht</translation>
    </message>
    <message>
        <source>Domain %1 bound</source>
        <translation>Domain %1 gebunden</translation>
    </message>
    <message>
        <source>Domain %1 freed</source>
        <translation>Domain %1 freigegeben</translation>
    </message>
    <message>
        <source>Device %1 bound</source>
        <translation>Gerät %1 gebunden</translation>
    </message>
    <message>
        <source>Device %1 freed</source>
        <translation>Gerät %1 freigegeben</translation>
    </message>
    <message>
        <source>Topped up %1 tokens (balance %2)</source>
        <translation>%1 Tokens aufgeladen (Guthaben %2)</translation>
    </message>
    <message>
        <source>Spent %1 tokens (balance %2)</source>
        <translation>%1 Tokens verbraucht (Guthaben %2)</translation>
    </message>
    <message>
        <source>Generated %1 keys</source>
        <translation>%1 Schlüssel erzeugt</translation>
    </message>
    <message>
        <source>Imported keys</source>
        <translation>Schlüssel importiert</translation>
    </message>
    <message>
        <source>Product created</source>
        <translation>Produkt angelegt</translation>
    </message>
    <message>
        <source>Product changed</source>
        <translation>Produkt geändert</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
</context>
<context>
    <name>DatabaseChooser</name>
    <message>
        <source>Choose a database</source>
        <translation>Datenbank wählen</translation>
    </message>
    <message>
        <source>Keyward keeps your products, license keys and their history in one database. Work on a local file (nothing leaves this computer), or on a PostgreSQL database your team shares.</source>
        <translation>Keyward speichert Ihre Produkte, Lizenzschlüssel und ihren Verlauf in einer Datenbank. Arbeiten Sie mit einer lokalen Datei (nichts verlässt diesen Rechner) oder mit einer PostgreSQL-Datenbank, die Ihr Team teilt.</translation>
    </message>
    <message>
        <source>&amp;Create a new local database</source>
        <translation>Neue lokale Datenbank &amp;anlegen</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>&amp;Open a database file</source>
        <translation>Datenbankdatei ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Connect to a &amp;PostgreSQL database</source>
        <translation>Mit einer &amp;PostgreSQL-Datenbank verbinden</translation>
    </message>
    <message>
        <source>postgresql://user:password@host:5432/database</source>
        <translation>postgresql://benutzer:passwort@host:5432/datenbank</translation>
    </message>
    <message>
        <source>&amp;Recent databases</source>
        <translation>&amp;Zuletzt verwendete Datenbanken</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Some input is not valid.</source>
        <translation>Eine Eingabe ist ungültig.</translation>
    </message>
    <message>
        <source>It no longer exists.</source>
        <translation>Das gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>The change conflicts with the stored data.</source>
        <translation>Die Änderung widerspricht den gespeicherten Daten.</translation>
    </message>
    <message>
        <source>A limit was reached.</source>
        <translation>Eine Grenze wurde erreicht.</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed.</source>
        <translation>Abgebrochen; nichts wurde geändert.</translation>
    </message>
    <message>
        <source>This is not a Keyward database.</source>
        <translation>Das ist keine Keyward-Datenbank.</translation>
    </message>
    <message>
        <source>The database was written by a newer Keyward.</source>
        <translation>Die Datenbank stammt von einem neueren Keyward.</translation>
    </message>
    <message>
        <source>The database is read-only.</source>
        <translation>Die Datenbank ist schreibgeschützt.</translation>
    </message>
    <message>
        <source>The database is locked by another program.</source>
        <translation>Die Datenbank ist von einem anderen Programm gesperrt.</translation>
    </message>
    <message>
        <source>The database server cannot be reached.</source>
        <translation>Der Datenbankserver ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>The database server rejected the login.</source>
        <translation>Der Datenbankserver hat die Anmeldung abgelehnt.</translation>
    </message>
    <message>
        <source>A file could not be read or written.</source>
        <translation>Eine Datei konnte nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>The database reported an error.</source>
        <translation>Die Datenbank meldet einen Fehler.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export keys</source>
        <translation>Schlüssel exportieren</translation>
    </message>
    <message>
        <source>Which keys</source>
        <translation>Welche Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <source>CSV (spreadsheets, re-import)</source>
        <translation>CSV (Tabellen, erneuter Import)</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>F&amp;ile</source>
        <translation>D&amp;atei</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
</context>
<context>
    <name>GenerateKeysDialog</name>
    <message>
        <source>Generate keys</source>
        <translation>Schlüssel erzeugen</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>&amp;Produkt</translation>
    </message>
    <message>
        <source>&amp;Number of keys</source>
        <translation>&amp;Anzahl der Schlüssel</translation>
    </message>
    <message>
        <source>Use another &amp;format for these keys</source>
        <translation>Für diese Schlüssel ein anderes &amp;Format verwenden</translation>
    </message>
    <message>
        <source>P&amp;attern</source>
        <translation>&amp;Muster</translation>
    </message>
    <message>
        <source>prefix</source>
        <translation>Präfix</translation>
    </message>
    <message>
        <source>Looks like</source>
        <translation>Sieht so aus</translation>
    </message>
    <message>
        <source>Terms</source>
        <translation>Bedingungen</translation>
    </message>
    <message>
        <source>E&amp;xpiry</source>
        <translation>&amp;Ablauf</translation>
    </message>
    <message>
        <source>Product default</source>
        <translation>Vorgabe des Produkts</translation>
    </message>
    <message>
        <source>Never expires</source>
        <translation>Läuft nie ab</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>Läuft ab am</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <source>Max. &amp;domains</source>
        <translation>Max. &amp;Domains</translation>
    </message>
    <message>
        <source>0 means no limit</source>
        <translation>0 bedeutet ohne Grenze</translation>
    </message>
    <message>
        <source>Max. de&amp;vices</source>
        <translation>Max. &amp;Geräte</translation>
    </message>
    <message>
        <source>&amp;Tokens</source>
        <translation>&amp;Tokens</translation>
    </message>
    <message>
        <source>&amp;Customer</source>
        <translation>&amp;Kunde</translation>
    </message>
    <message>
        <source>name (optional)</source>
        <translation>Name (optional)</translation>
    </message>
    <message>
        <source>email (optional)</source>
        <translation>E-Mail (optional)</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>N&amp;otizen</translation>
    </message>
    <message>
        <source>Also &amp;write them to</source>
        <translation>Auch &amp;schreiben nach</translation>
    </message>
    <message>
        <source>keys.csv or keys.json</source>
        <translation>schluessel.csv oder schluessel.json</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Save as &amp;CSV…</source>
        <translation>Als &amp;CSV speichern…</translation>
    </message>
    <message>
        <source>Save as &amp;JSON…</source>
        <translation>Als &amp;JSON speichern…</translation>
    </message>
    <message>
        <source>Cop&amp;y keys</source>
        <translation>Schlüssel kop&amp;ieren</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Erzeugen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>KeyDetailEditor</name>
    <message>
        <source>Select a key to see its details, domains, devices and history.</source>
        <translation>Wählen Sie einen Schlüssel, um Details, Domains, Geräte und Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>No key selected</source>
        <translation>Kein Schlüssel ausgewählt</translation>
    </message>
    <message>
        <source>Copy the key</source>
        <translation>Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Ausgesetzt</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Customer &amp;name</source>
        <translation>Kunden&amp;name</translation>
    </message>
    <message>
        <source>&amp;Email</source>
        <translation>&amp;E-Mail</translation>
    </message>
    <message>
        <source>customer@example.com</source>
        <translation>kunde@example.com</translation>
    </message>
    <message>
        <source>E&amp;xpires</source>
        <translation>&amp;Läuft ab</translation>
    </message>
    <message>
        <source>Never expires</source>
        <translation>Läuft nie ab</translation>
    </message>
    <message>
        <source>yyyy-MM-dd HH:mm</source>
        <translation>yyyy-MM-dd HH:mm</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Max. &amp;domains</source>
        <translation>Max. &amp;Domains</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Ohne Grenze</translation>
    </message>
    <message>
        <source>Max. de&amp;vices</source>
        <translation>Max. &amp;Geräte</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>&amp;Top up…</source>
        <translation>&amp;Aufladen…</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>N&amp;otizen</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Domains &amp;&amp; devices</source>
        <translation>Domains &amp;&amp; Geräte</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>Domains</translation>
    </message>
    <message>
        <source>shop.example.com</source>
        <translation>shop.example.com</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Devices (UUIDs)</source>
        <translation>Geräte (UUIDs)</translation>
    </message>
    <message>
        <source>123e4567-e89b-12d3-a456-426614174000</source>
        <translation>123e4567-e89b-12d3-a456-426614174000</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>&amp;Revoke…</source>
        <translation>&amp;Sperren…</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
</context>
<context>
    <name>KeyFilterBar</name>
    <message>
        <source>Search keys, customers, emails, notes</source>
        <translation>Schlüssel, Kunden, E-Mails, Notizen durchsuchen</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>enthält</translation>
    </message>
    <message>
        <source>key starts with</source>
        <translation>Schlüssel beginnt mit</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Ausgesetzt</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Expires from</source>
        <translation>Läuft ab ab</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <source>until</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Show all keys again</source>
        <translation>Wieder alle Schlüssel zeigen</translation>
    </message>
    <message>
        <source>"Contains" reads every key; "key starts with" and "email starts with" use an index and are instant on any number of keys.</source>
        <translation>„enthält“ liest jeden Schlüssel; „Schlüssel beginnt mit“ und „E-Mail beginnt mit“ nutzen einen Index und sind bei jeder Anzahl von Schlüsseln sofort fertig.</translation>
    </message>
    <message>
        <source>email starts with</source>
        <translation>E-Mail beginnt mit</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Keyward</source>
        <translation>Keyward</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produkte</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Werkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;New database…</source>
        <translation>&amp;Neue Datenbank…</translation>
    </message>
    <message>
        <source>Create a new local database</source>
        <translation>Neue lokale Datenbank anlegen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>&amp;Open database…</source>
        <translation>Datenbank ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open another database</source>
        <translation>Andere Datenbank öffnen</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <source>&amp;Export keys…</source>
        <translation>Schlüssel &amp;exportieren…</translation>
    </message>
    <message>
        <source>Export the keys of the current filter or selection</source>
        <translation>Schlüssel des aktuellen Filters oder der Auswahl exportieren</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Appearance and language</source>
        <translation>Darstellung und Sprache</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Copy keys</source>
        <translation>Schlüssel &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the selected keys</source>
        <translation>Ausgewählte Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Ctrl+C</source>
        <translation>Ctrl+C</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>Search keys, customers and emails</source>
        <translation>Schlüssel, Kunden und E-Mails durchsuchen</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>&amp;Alles auswählen</translation>
    </message>
    <message>
        <source>Ctrl+A</source>
        <translation>Ctrl+A</translation>
    </message>
    <message>
        <source>&amp;Delete to trash…</source>
        <translation>In den Papierkorb &amp;löschen…</translation>
    </message>
    <message>
        <source>Move the selected keys to the trash</source>
        <translation>Ausgewählte Schlüssel in den Papierkorb verschieben</translation>
    </message>
    <message>
        <source>Del</source>
        <translation>Del</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Restore the selected keys from the trash</source>
        <translation>Ausgewählte Schlüssel aus dem Papierkorb wiederherstellen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>Delete &amp;forever…</source>
        <translation>&amp;Endgültig löschen…</translation>
    </message>
    <message>
        <source>Delete the selected keys from the trash for good</source>
        <translation>Ausgewählte Schlüssel endgültig aus dem Papierkorb löschen</translation>
    </message>
    <message>
        <source>Shift+Del</source>
        <translation>Shift+Del</translation>
    </message>
    <message>
        <source>&amp;Generate keys…</source>
        <translation>Schlüssel &amp;erzeugen…</translation>
    </message>
    <message>
        <source>Generate new keys for a product</source>
        <translation>Neue Schlüssel für ein Produkt erzeugen</translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <source>Re&amp;voke key…</source>
        <translation>Schlüssel &amp;sperren…</translation>
    </message>
    <message>
        <source>Revoke the selected key, e.g. after a refund</source>
        <translation>Ausgewählten Schlüssel sperren, z. B. nach einer Erstattung</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>&amp;Save key</source>
        <translation>Schlüssel &amp;speichern</translation>
    </message>
    <message>
        <source>Save the changes to the selected key</source>
        <translation>Änderungen am ausgewählten Schlüssel speichern</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Read everything again from the database</source>
        <translation>Alles neu aus der Datenbank lesen</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>&amp;New product…</source>
        <translation>&amp;Neues Produkt…</translation>
    </message>
    <message>
        <source>Create a product</source>
        <translation>Produkt anlegen</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Edit product…</source>
        <translation>Produkt &amp;bearbeiten…</translation>
    </message>
    <message>
        <source>Edit the selected product</source>
        <translation>Ausgewähltes Produkt bearbeiten</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Archive product</source>
        <translation>Produkt &amp;archivieren</translation>
    </message>
    <message>
        <source>Archive or unarchive the selected product</source>
        <translation>Ausgewähltes Produkt archivieren oder reaktivieren</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Trash</source>
        <translation>&amp;Papierkorb</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>Wie das &amp;System</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <source>&amp;About Keyward</source>
        <translation>&amp;Über Keyward</translation>
    </message>
    <message>
        <source>&amp;Import keys…</source>
        <translation>Schlüssel &amp;importieren…</translation>
    </message>
    <message>
        <source>Import keys from a CSV or JSON file, with checks and a report</source>
        <translation>Schlüssel aus einer CSV- oder JSON-Datei importieren, mit Prüfung und Bericht</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>&amp;Bulk delete…</source>
        <translation>&amp;Massenlöschung…</translation>
    </message>
    <message>
        <source>Move many keys to the trash: the selection, the current filter, a pasted list or a file</source>
        <translation>Viele Schlüssel in den Papierkorb verschieben: die Auswahl, den aktuellen Filter, eine eingefügte Liste oder eine Datei</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Del</source>
        <translation>Ctrl+Shift+Del</translation>
    </message>
</context>
<context>
    <name>PagedTableModel</name>
    <message>
        <source>Loading…</source>
        <translation>Lade…</translation>
    </message>
</context>
<context>
    <name>ProductEditor</name>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>Photo Editor Pro</source>
        <translation>Photo Editor Pro</translation>
    </message>
    <message>
        <source>&amp;Plan</source>
        <translation>&amp;Tarif</translation>
    </message>
    <message>
        <source>Free (10,000 validations a day)</source>
        <translation>Free (10.000 Prüfungen am Tag)</translation>
    </message>
    <message>
        <source>Pro (100,000 validations a day)</source>
        <translation>Pro (100.000 Prüfungen am Tag)</translation>
    </message>
    <message>
        <source>Enterprise (unlimited)</source>
        <translation>Enterprise (unbegrenzt)</translation>
    </message>
    <message>
        <source>Custom daily limit</source>
        <translation>Eigenes Tageslimit</translation>
    </message>
    <message>
        <source>Max. &amp;keys</source>
        <translation>Max. &amp;Schlüssel</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Ohne Grenze</translation>
    </message>
    <message>
        <source>&amp;Archived: no new keys, validations answer "product_archived"</source>
        <translation>&amp;Archiviert: keine neuen Schlüssel, Prüfungen antworten „product_archived“</translation>
    </message>
    <message>
        <source>Key format</source>
        <translation>Schlüsselformat</translation>
    </message>
    <message>
        <source>P&amp;attern</source>
        <translation>&amp;Muster</translation>
    </message>
    <message>
        <source>X: a symbol of the alphabet, 9: a digit, anything else: itself</source>
        <translation>X: ein Zeichen des Alphabets, 9: eine Ziffer, alles andere: es selbst</translation>
    </message>
    <message>
        <source>P&amp;refix</source>
        <translation>&amp;Präfix</translation>
    </message>
    <message>
        <source>none, e.g. PHOTO-</source>
        <translation>keines, z. B. PHOTO-</translation>
    </message>
    <message>
        <source>A&amp;lphabet</source>
        <translation>A&amp;lphabet</translation>
    </message>
    <message>
        <source>Last symbol is a &amp;check symbol (catches typos and swapped neighbours)</source>
        <translation>Letztes Zeichen ist ein &amp;Prüfzeichen (erkennt Tippfehler und vertauschte Nachbarn)</translation>
    </message>
    <message>
        <source>Allow a format under 64 bits (easier to guess)</source>
        <translation>Format unter 64 Bit erlauben (leichter zu erraten)</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>Beispiel</translation>
    </message>
    <message>
        <source>Another</source>
        <translation>Noch eins</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Stärke</translation>
    </message>
    <message>
        <source>&amp;Test a key</source>
        <translation>Schlüssel &amp;testen</translation>
    </message>
    <message>
        <source>type or paste a key to check it against this format</source>
        <translation>Schlüssel eintippen oder einfügen, um ihn gegen dieses Format zu prüfen</translation>
    </message>
    <message>
        <source>Defaults for new keys</source>
        <translation>Vorgaben für neue Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Expire after</source>
        <translation>&amp;Läuft ab nach</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Max. &amp;domains</source>
        <translation>Max. &amp;Domains</translation>
    </message>
    <message>
        <source>Max. de&amp;vices</source>
        <translation>Max. &amp;Geräte</translation>
    </message>
    <message>
        <source>T&amp;oken keys with</source>
        <translation>T&amp;oken-Schlüssel mit</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
</context>
<context>
    <name>RevokeDialog</name>
    <message>
        <source>Revoke key</source>
        <translation>Schlüssel sperren</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Grund</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Erstattung</translation>
    </message>
    <message>
        <source>Chargeback</source>
        <translation>Rückbuchung</translation>
    </message>
    <message>
        <source>Abuse</source>
        <translation>Missbrauch</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Anderer</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Notiz</translation>
    </message>
    <message>
        <source>e.g. order number of the refund</source>
        <translation>z. B. Bestellnummer der Erstattung</translation>
    </message>
    <message>
        <source>What the customer loses</source>
        <translation>Was der Kunde verliert</translation>
    </message>
    <message>
        <source>I understand: the key stops validating at once.</source>
        <translation>Verstanden: Der Schlüssel wird sofort nicht mehr anerkannt.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>A new language applies when Keyward starts again.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Keyward.</translation>
    </message>
</context>
<context>
    <name>TokenTopUpDialog</name>
    <message>
        <source>Top up tokens</source>
        <translation>Tokens aufladen</translation>
    </message>
    <message>
        <source>Balance now</source>
        <translation>Guthaben jetzt</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Notiz</translation>
    </message>
    <message>
        <source>e.g. order of the token pack</source>
        <translation>z. B. Bestellung des Token-Pakets</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>Guthaben danach</translation>
    </message>
</context>
<context>
    <name>keyward::DatabaseChooser</name>
    <message>
        <source>New database</source>
        <translation>Neue Datenbank</translation>
    </message>
    <message>
        <source>Keyward database (*.db);;All files (*)</source>
        <translation>Keyward-Datenbank (*.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>Datenbank öffnen</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>%1 already exists. Open it instead, or choose another name.</source>
        <translation>%1 gibt es schon. Öffnen Sie die Datei oder wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>Es gibt keine Datei %1.</translation>
    </message>
</context>
<context>
    <name>keyward::ExportDialog</name>
    <message>
        <source>All %1 keys of the current view</source>
        <translation>Alle %1 Schlüssel der aktuellen Ansicht</translation>
    </message>
    <message>
        <source>All keys of the current view</source>
        <translation>Alle Schlüssel der aktuellen Ansicht</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected key(s)</source>
        <translation><numerusform>Der ausgewählte Schlüssel</numerusform><numerusform>Die %n ausgewählten Schlüssel</numerusform></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>Export keys to</source>
        <translation>Schlüssel exportieren nach</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>The file name must end in .csv or .json.</source>
        <translation>Der Dateiname muss auf .csv oder .json enden.</translation>
    </message>
    <message>
        <source>Exported %1 keys to %2.</source>
        <translation>%1 Schlüssel nach %2 exportiert.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Stopped. No file was written.</source>
        <translation>Angehalten. Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation>Nicht exportiert: %1</translation>
    </message>
</context>
<context>
    <name>keyward::GenerateKeysDialog</name>
    <message>
        <source>Write the new keys to</source>
        <translation>Neue Schlüssel schreiben nach</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) copied to the clipboard.</source>
        <translation><numerusform>%n Schlüssel in die Zwischenablage kopiert.</numerusform><numerusform>%n Schlüssel in die Zwischenablage kopiert.</numerusform></translation>
    </message>
    <message>
        <source>Create a product first: keys always belong to a product.</source>
        <translation>Legen Sie zuerst ein Produkt an: Schlüssel gehören immer zu einem Produkt.</translation>
    </message>
    <message>
        <source>%1  (%2 bits)</source>
        <translation>%1  (%2 Bit)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Erzeugen</translation>
    </message>
    <message>
        <source>"%1" is not a valid email address.</source>
        <translation>„%1“ ist keine gültige E-Mail-Adresse.</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Erzeuge…</translation>
    </message>
    <message>
        <source>Stopped. No keys were stored.</source>
        <translation>Angehalten. Es wurden keine Schlüssel gespeichert.</translation>
    </message>
    <message>
        <source>Nothing was stored: %1</source>
        <translation>Nichts wurde gespeichert: %1</translation>
    </message>
    <message>
        <source>Generated %1 keys in %2 s.</source>
        <translation>%1 Schlüssel in %2 s erzeugt.</translation>
    </message>
    <message>
        <source>They are in %1.</source>
        <translation>Sie stehen in %1.</translation>
    </message>
    <message>
        <source>There are too many to keep here; export them from the Keys list.</source>
        <translation>Es sind zu viele, um sie hier zu behalten; exportieren Sie sie aus der Schlüsselliste.</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Save the new keys</source>
        <translation>Neue Schlüssel speichern</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n key(s) to %1.</source>
        <translation><numerusform>%n Schlüssel in %1 gespeichert.</numerusform><numerusform>%n Schlüssel in %1 gespeichert.</numerusform></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>keyward::JobProgressView</name>
    <message>
        <source>%1 done</source>
        <translation>%1 erledigt</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starte…</translation>
    </message>
    <message>
        <source>%1% · %2 of %3</source>
        <translation>%1 % · %2 von %3</translation>
    </message>
</context>
<context>
    <name>keyward::KeyDetailEditor</name>
    <message>
        <source>No key selected</source>
        <translation>Kein Schlüssel ausgewählt</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lade…</translation>
    </message>
    <message>
        <source>not a token key</source>
        <translation>kein Token-Schlüssel</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Note: this key does not match the product's format (%1): %2</source>
        <translation>Hinweis: Dieser Schlüssel passt nicht zum Format des Produkts (%1): %2</translation>
    </message>
    <message>
        <source>First seen %1, last seen %2 from %3</source>
        <translation>Zuerst gesehen %1, zuletzt %2 von %3</translation>
    </message>
    <message>
        <source>this app</source>
        <translation>dieser App</translation>
    </message>
    <message>
        <source>%1 (new)</source>
        <translation>%1 (neu)</translation>
    </message>
    <message>
        <source>"%1" is not a valid email address.</source>
        <translation>„%1“ ist keine gültige E-Mail-Adresse.</translation>
    </message>
    <message numerus="yes">
        <source>%n domain(s) are bound; remove some or raise the maximum.</source>
        <translation><numerusform>%n Domain ist gebunden; entfernen Sie Domains oder erhöhen Sie das Maximum.</numerusform><numerusform>%n Domains sind gebunden; entfernen Sie Domains oder erhöhen Sie das Maximum.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s) are bound; remove some or raise the maximum.</source>
        <translation><numerusform>%n Gerät ist gebunden; entfernen Sie Geräte oder erhöhen Sie das Maximum.</numerusform><numerusform>%n Geräte sind gebunden; entfernen Sie Geräte oder erhöhen Sie das Maximum.</numerusform></translation>
    </message>
    <message>
        <source>Use Revoke to revoke a key: it asks for the reason.</source>
        <translation>Sperren Sie einen Schlüssel mit „Sperren“: Es fragt nach dem Grund.</translation>
    </message>
    <message>
        <source>%1 of %2 domains used</source>
        <translation>%1 von %2 Domains belegt</translation>
    </message>
    <message>
        <source>%1 of %2 devices used</source>
        <translation>%1 von %2 Geräten belegt</translation>
    </message>
    <message numerus="yes">
        <source>%n domain(s), no limit</source>
        <translation><numerusform>%n Domain, ohne Grenze</numerusform><numerusform>%n Domains, ohne Grenze</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s), no limit</source>
        <translation><numerusform>%n Gerät, ohne Grenze</numerusform><numerusform>%n Geräte, ohne Grenze</numerusform></translation>
    </message>
    <message>
        <source>"%1" is not a domain name.</source>
        <translation>„%1“ ist kein Domainname.</translation>
    </message>
    <message>
        <source>"%1" is not a device UUID.</source>
        <translation>„%1“ ist keine Geräte-UUID.</translation>
    </message>
    <message>
        <source>%1 is already bound to this key.</source>
        <translation>%1 ist bereits an diesen Schlüssel gebunden.</translation>
    </message>
    <message>
        <source>The key allows at most %1; remove one first or raise the maximum.</source>
        <translation>Der Schlüssel erlaubt höchstens %1; entfernen Sie zuerst einen Eintrag oder erhöhen Sie das Maximum.</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Saving the key</source>
        <translation>Speichern des Schlüssels</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>Änderungen an %1 speichern?</translation>
    </message>
    <message>
        <source>Revoking the key</source>
        <translation>Sperren des Schlüssels</translation>
    </message>
    <message>
        <source>Topping up tokens</source>
        <translation>Aufladen der Tokens</translation>
    </message>
</context>
<context>
    <name>keyward::KeyFilterBar</name>
    <message>
        <source>All products</source>
        <translation>Alle Produkte</translation>
    </message>
    <message>
        <source>%1 (archived)</source>
        <translation>%1 (archiviert)</translation>
    </message>
</context>
<context>
    <name>keyward::KeyTableModel</name>
    <message>
        <source>License key</source>
        <translation>Lizenzschlüssel</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Ausgesetzt</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Revoked (refund)</source>
        <translation>Gesperrt (Erstattung)</translation>
    </message>
    <message>
        <source>Revoked (chargeback)</source>
        <translation>Gesperrt (Rückbuchung)</translation>
    </message>
    <message>
        <source>Revoked (abuse)</source>
        <translation>Gesperrt (Missbrauch)</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Revoked on %1</source>
        <translation>Gesperrt am %1</translation>
    </message>
</context>
<context>
    <name>keyward::KeysPage</name>
    <message>
        <source>No keys match the filter.</source>
        <translation>Kein Schlüssel passt zum Filter.</translation>
    </message>
    <message>
        <source>The trash is empty. Deleted keys wait here until you restore or purge them.</source>
        <translation>Der Papierkorb ist leer. Gelöschte Schlüssel warten hier, bis Sie sie wiederherstellen oder endgültig löschen.</translation>
    </message>
    <message>
        <source>No keys yet. Create a product (Ctrl+N), then generate keys for it (Ctrl+G) or import them (Ctrl+I).</source>
        <translation>Noch keine Schlüssel. Legen Sie ein Produkt an (Strg+N) und erzeugen Sie Schlüssel dafür (Strg+G) oder importieren Sie sie (Strg+I).</translation>
    </message>
</context>
<context>
    <name>keyward::MainWindow</name>
    <message>
        <source>Key saved.</source>
        <translation>Schlüssel gespeichert.</translation>
    </message>
    <message>
        <source>Show its keys</source>
        <translation>Seine Schlüssel zeigen</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>Papierkorb</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Öffne %1…</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>Die Datenbank lässt sich nicht öffnen</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Open read-only</source>
        <translation>Schreibgeschützt öffnen</translation>
    </message>
    <message>
        <source>Choose another database…</source>
        <translation>Andere Datenbank wählen…</translation>
    </message>
    <message>
        <source>%1 — Keyward</source>
        <translation>%1 — Keyward</translation>
    </message>
    <message>
        <source>%1 (read-only)</source>
        <translation>%1 (schreibgeschützt)</translation>
    </message>
    <message>
        <source>Un&amp;archive product</source>
        <translation>Produkt re&amp;aktivieren</translation>
    </message>
    <message>
        <source>&amp;Archive product</source>
        <translation>Produkt &amp;archivieren</translation>
    </message>
    <message>
        <source>No database open</source>
        <translation>Keine Datenbank geöffnet</translation>
    </message>
    <message>
        <source>%1 keys in the trash</source>
        <translation>%1 Schlüssel im Papierkorb</translation>
    </message>
    <message>
        <source>%1 keys</source>
        <translation>%1 Schlüssel</translation>
    </message>
    <message>
        <source>%1 selected</source>
        <translation>%1 ausgewählt</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation><numerusform>%n Produkt</numerusform><numerusform>%n Produkte</numerusform></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lade…</translation>
    </message>
    <message>
        <source>Product "%1" created.</source>
        <translation>Produkt „%1“ angelegt.</translation>
    </message>
    <message>
        <source>Product "%1" saved.</source>
        <translation>Produkt „%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Archive product</source>
        <translation>Produkt archivieren</translation>
    </message>
    <message>
        <source>"%1" is archived.</source>
        <translation>„%1“ ist archiviert.</translation>
    </message>
    <message>
        <source>"%1" is active again.</source>
        <translation>„%1“ ist wieder aktiv.</translation>
    </message>
    <message>
        <source>%1 keys generated.</source>
        <translation>%1 Schlüssel erzeugt.</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) copied.</source>
        <translation><numerusform>%n Schlüssel kopiert.</numerusform><numerusform>%n Schlüssel kopiert.</numerusform></translation>
    </message>
    <message>
        <source>Delete keys</source>
        <translation>Schlüssel löschen</translation>
    </message>
    <message numerus="yes">
        <source>Move %n key(s) to the trash?</source>
        <translation><numerusform>%n Schlüssel in den Papierkorb verschieben?</numerusform><numerusform>%n Schlüssel in den Papierkorb verschieben?</numerusform></translation>
    </message>
    <message>
        <source>They stop validating at once. You can restore them from the Trash.</source>
        <translation>Sie werden sofort nicht mehr anerkannt. Sie können sie aus dem Papierkorb wiederherstellen.</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>In den Papierkorb</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) moved to the trash.</source>
        <translation><numerusform>%n Schlüssel in den Papierkorb verschoben.</numerusform><numerusform>%n Schlüssel in den Papierkorb verschoben.</numerusform></translation>
    </message>
    <message>
        <source>Restore keys</source>
        <translation>Schlüssel wiederherstellen</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) restored.</source>
        <translation><numerusform>%n Schlüssel wiederhergestellt.</numerusform><numerusform>%n Schlüssel wiederhergestellt.</numerusform></translation>
    </message>
    <message>
        <source>Delete forever</source>
        <translation>Endgültig löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n key(s) forever?</source>
        <translation><numerusform>%n Schlüssel endgültig löschen?</numerusform><numerusform>%n Schlüssel endgültig löschen?</numerusform></translation>
    </message>
    <message>
        <source>This cannot be undone: the keys, their domains and devices are removed from the database. The audit log keeps a record that they were purged.</source>
        <translation>Das lässt sich nicht rückgängig machen: Die Schlüssel, ihre Domains und Geräte werden aus der Datenbank entfernt. Das Audit-Protokoll vermerkt die Löschung.</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) deleted forever.</source>
        <translation><numerusform>%n Schlüssel endgültig gelöscht.</numerusform><numerusform>%n Schlüssel endgültig gelöscht.</numerusform></translation>
    </message>
    <message>
        <source>About Keyward</source>
        <translation>Über Keyward</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Keyward %1&lt;/h3&gt;&lt;p&gt;Self-hosted license keys: generate, import, manage and validate keys on your own machines.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Keyward %1&lt;/h3&gt;&lt;p&gt;Lizenzschlüssel auf eigenen Rechnern: erzeugen, importieren, verwalten und prüfen.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) imported.</source>
        <translation><numerusform>%Ln Schlüssel importiert.</numerusform><numerusform>%Ln Schlüssel importiert.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) moved to the trash.</source>
        <translation><numerusform>%Ln Schlüssel in den Papierkorb verschoben.</numerusform><numerusform>%Ln Schlüssel in den Papierkorb verschoben.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) restored.</source>
        <translation><numerusform>%Ln Schlüssel wiederhergestellt.</numerusform><numerusform>%Ln Schlüssel wiederhergestellt.</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::ProductEditor</name>
    <message>
        <source>Edit product %1</source>
        <translation>Produkt %1 bearbeiten</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Neues Produkt</translation>
    </message>
    <message>
        <source>Crockford base32: no I, L, O or U, so nothing is misread</source>
        <translation>Crockford Base32: ohne I, L, O und U, damit nichts verwechselt wird</translation>
    </message>
    <message>
        <source>Changing the format affects new keys only.</source>
        <translation>Ein neues Format gilt nur für neue Schlüssel.</translation>
    </message>
    <message>
        <source>%1 bits: too easy to guess. Use a longer pattern, or allow weak formats below.</source>
        <translation>%1 Bit: zu leicht zu erraten. Verwenden Sie ein längeres Muster oder erlauben Sie unten schwache Formate.</translation>
    </message>
    <message>
        <source>%1 bits: strong enough that guessing keys is hopeless.</source>
        <translation>%1 Bit: stark genug, dass Raten aussichtslos ist.</translation>
    </message>
    <message>
        <source>Valid: %1</source>
        <translation>Gültig: %1</translation>
    </message>
    <message>
        <source>%1 at position %2: %3</source>
        <translation>%1 an Stelle %2: %3</translation>
    </message>
</context>
<context>
    <name>keyward::ProductTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Key format</source>
        <translation>Schlüsselformat</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>Daily limit</source>
        <translation>Tageslimit</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Max. keys</source>
        <translation>Max. Schlüssel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Free</translation>
    </message>
    <message>
        <source>Pro</source>
        <translation>Pro</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <source> + check</source>
        <translation> + Prüfzeichen</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Ohne Grenze</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archiviert</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
</context>
<context>
    <name>keyward::RevokeDialog</name>
    <message>
        <source>Revoke &lt;b&gt;%1&lt;/b&gt; of %2? Its validations answer "revoked" from now on; a revoked key can be reinstated later.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; von %2 sperren? Prüfungen antworten ab jetzt „revoked“; ein gesperrter Schlüssel kann später wieder freigegeben werden.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Schlüssel sperren</translation>
    </message>
    <message>
        <source>Every app using this key stops validating it.</source>
        <translation>Jede App mit diesem Schlüssel erkennt ihn nicht mehr an.</translation>
    </message>
    <message numerus="yes">
        <source>Access on %n domain(s): %1</source>
        <translation><numerusform>Zugang auf %n Domain: %1</numerusform><numerusform>Zugang auf %n Domains: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Access on %n device(s)</source>
        <translation><numerusform>Zugang auf %n Gerät</numerusform><numerusform>Zugang auf %n Geräten</numerusform></translation>
    </message>
    <message>
        <source>%1 unused tokens</source>
        <translation>%1 unverbrauchte Tokens</translation>
    </message>
    <message>
        <source>A license that would never expire</source>
        <translation>Eine Lizenz, die nie abgelaufen wäre</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left until it expires</source>
        <translation><numerusform>noch %n Tag bis zum Ablauf</numerusform><numerusform>noch %n Tage bis zum Ablauf</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::SettingsDialog</name>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
</context>
<context>
    <name>keyward::WelcomePage</name>
    <message>
        <source>&lt;h2&gt;No database is open&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Keine Datenbank geöffnet&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Keyward keeps products, license keys and their history in a database: a local file that works offline, or PostgreSQL for a team.</source>
        <translation>Keyward speichert Produkte, Lizenzschlüssel und ihren Verlauf in einer Datenbank: einer lokalen Datei, die offline funktioniert, oder PostgreSQL für ein Team.</translation>
    </message>
    <message>
        <source>Create a database…</source>
        <translation>Datenbank anlegen…</translation>
    </message>
    <message>
        <source>Open a database…</source>
        <translation>Datenbank öffnen…</translation>
    </message>
</context>
<context>
    <name>BulkDeleteBackupPage</name>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>Export the keys before they are deleted: the file is written completely before any key moves to the trash, and can be imported again.</source>
        <translation>Die Schlüssel vor dem Löschen exportieren: Die Datei ist vollständig geschrieben, bevor ein Schlüssel in den Papierkorb kommt, und kann wieder importiert werden.</translation>
    </message>
    <message>
        <source>&amp;Export the keys as a backup first</source>
        <translation>Schlüssel zuerst als Sicherung &amp;exportieren</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <source>CSV (spreadsheets, re-import)</source>
        <translation>CSV (Tabellen, erneuter Import)</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>F&amp;ile</source>
        <translation>D&amp;atei</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Wählen…</translation>
    </message>
</context>
<context>
    <name>BulkDeleteChoosePage</name>
    <message>
        <source>Which keys</source>
        <translation>Welche Schlüssel</translation>
    </message>
    <message>
        <source>Move many keys to the trash at once. They stop validating at once and can be restored from the trash.</source>
        <translation>Viele Schlüssel auf einmal in den Papierkorb verschieben. Sie werden sofort nicht mehr anerkannt und lassen sich aus dem Papierkorb wiederherstellen.</translation>
    </message>
    <message>
        <source>Keys I &amp;paste here (one per line, or separated by commas or spaces)</source>
        <translation>Schlüssel, die ich hier &amp;einfüge (einer pro Zeile oder durch Kommas oder Leerzeichen getrennt)</translation>
    </message>
    <message>
        <source>PHOTO-ABCDE-FGHJK-MNPQR-STVWX</source>
        <translation>PHOTO-ABCDE-FGHJK-MNPQR-STVWX</translation>
    </message>
    <message>
        <source>Keys listed in a &amp;file (a key column of a CSV or JSON file, or one key per line)</source>
        <translation>Schlüssel aus einer &amp;Datei (eine Schlüsselspalte einer CSV- oder JSON-Datei oder ein Schlüssel pro Zeile)</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Wählen…</translation>
    </message>
</context>
<context>
    <name>BulkDeleteConfirmPage</name>
    <message>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <source>Type the number of keys to confirm that these are the keys to delete.</source>
        <translation>Geben Sie die Anzahl der Schlüssel ein, um zu bestätigen, dass genau diese gelöscht werden sollen.</translation>
    </message>
</context>
<context>
    <name>BulkDeletePreviewPage</name>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>These keys will move to the trash. Nothing has changed yet.</source>
        <translation>Diese Schlüssel kommen in den Papierkorb. Noch ist nichts geändert.</translation>
    </message>
</context>
<context>
    <name>BulkDeleteRunPage</name>
    <message>
        <source>Deleting</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>In one transaction: stop it and nothing is deleted.</source>
        <translation>In einer Transaktion: Wird sie angehalten, wird nichts gelöscht.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Anhalten</translation>
    </message>
</context>
<context>
    <name>BulkDeleteSummaryPage</name>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>The keys are in the trash. Restore them here, or later from the Trash.</source>
        <translation>Die Schlüssel sind im Papierkorb. Stellen Sie sie hier wieder her oder später aus dem Papierkorb.</translation>
    </message>
</context>
<context>
    <name>ImportCheckPage</name>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>A dry run over the whole file: nothing is stored yet. Rows listed below will not be imported.</source>
        <translation>Ein Probelauf über die ganze Datei: Noch wird nichts gespeichert. Die unten aufgeführten Zeilen werden nicht importiert.</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>&amp;Erneut prüfen</translation>
    </message>
    <message>
        <source>&amp;Save report as CSV…</source>
        <translation>Bericht als CSV &amp;speichern…</translation>
    </message>
</context>
<context>
    <name>ImportFilePage</name>
    <message>
        <source>File and product</source>
        <translation>Datei und Produkt</translation>
    </message>
    <message>
        <source>Import license keys from another system: CSV (comma, semicolon or tab), a JSON array or JSON lines. Every row is checked before anything is stored.</source>
        <translation>Lizenzschlüssel aus einem anderen System importieren: CSV (Komma, Semikolon oder Tabulator), ein JSON-Array oder JSON Lines. Jede Zeile wird geprüft, bevor etwas gespeichert wird.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>keys.csv, keys.tsv, keys.json…</source>
        <translation>keys.csv, keys.tsv, keys.json…</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Wählen…</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>&amp;Produkt</translation>
    </message>
    <message>
        <source>The first line names the columns. Columns named after the fields (key, customer_name, customer_email, expires, notes, status, max_domains, max_uuids, tokens, revoke_reason, created_at) or a common variant of them (license, serial, e-mail, valid until…) are matched by themselves; any other can be matched on the next page. Dates are read as ISO 8601 (2027-01-31).</source>
        <translation>Die erste Zeile benennt die Spalten. Spalten, die wie die Felder heißen (key, customer_name, customer_email, expires, notes, status, max_domains, max_uuids, tokens, revoke_reason, created_at) oder wie eine übliche Variante davon (license, serial, e-mail, valid until…), werden von selbst zugeordnet; alle anderen auf der nächsten Seite. Datumsangaben werden als ISO 8601 gelesen (2027-01-31).</translation>
    </message>
</context>
<context>
    <name>ImportMappingPage</name>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Which column of the file fills which field. Guessed from the column names; change any of them. Only the license key is required.</source>
        <translation>Welche Spalte der Datei welches Feld füllt. Aus den Spaltennamen erraten; jede Zuordnung lässt sich ändern. Nur der Lizenzschlüssel ist Pflicht.</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Felder</translation>
    </message>
    <message>
        <source>First rows of the file</source>
        <translation>Erste Zeilen der Datei</translation>
    </message>
</context>
<context>
    <name>ImportOptionsPage</name>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>What happens to keys that are already stored, and whether to check the whole file first.</source>
        <translation>Was mit bereits gespeicherten Schlüsseln geschieht und ob zuerst die ganze Datei geprüft wird.</translation>
    </message>
    <message>
        <source>Keys already in the store</source>
        <translation>Bereits gespeicherte Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Skip them: leave the stored keys as they are</source>
        <translation>&amp;Überspringen: gespeicherte Schlüssel bleiben, wie sie sind</translation>
    </message>
    <message>
        <source>&amp;Update them with the fields of the file (same product only)</source>
        <translation>&amp;Aktualisieren mit den Feldern der Datei (nur beim selben Produkt)</translation>
    </message>
    <message>
        <source>S&amp;top: import nothing if any row is rejected or already stored</source>
        <translation>A&amp;nhalten: nichts importieren, wenn eine Zeile abgelehnt wird oder schon gespeichert ist</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Prüfungen</translation>
    </message>
    <message>
        <source>&amp;Check every row first (dry run) and show the report before importing</source>
        <translation>Jede Zeile zuerst &amp;prüfen (Probelauf) und den Bericht vor dem Import zeigen</translation>
    </message>
    <message>
        <source>&amp;Accept keys that do not match the product's key format</source>
        <translation>&amp;Schlüssel annehmen, die nicht zum Schlüsselformat des Produkts passen</translation>
    </message>
    <message>
        <source>Rows with a problem (a bad key, a duplicate, a date, email or number that cannot be read, a missing key) are never imported; they are listed with their line number. The import runs in one transaction: if it is stopped or fails, nothing is imported.</source>
        <translation>Zeilen mit einem Problem (ein ungültiger Schlüssel, ein Duplikat, ein unlesbares Datum, eine unlesbare E-Mail-Adresse oder Zahl, ein fehlender Schlüssel) werden nie importiert; sie werden mit ihrer Zeilennummer aufgeführt. Der Import läuft in einer Transaktion: Wird er angehalten oder schlägt er fehl, wird nichts importiert.</translation>
    </message>
</context>
<context>
    <name>ImportRunPage</name>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>The keys are imported in one transaction. Stop it and nothing is imported.</source>
        <translation>Die Schlüssel werden in einer Transaktion importiert. Wird sie angehalten, wird nichts importiert.</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Noch einmal</translation>
    </message>
</context>
<context>
    <name>ImportSummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>What the import did.</source>
        <translation>Was der Import getan hat.</translation>
    </message>
    <message>
        <source>Imported (new keys)</source>
        <translation>Importiert (neue Schlüssel)</translation>
    </message>
    <message>
        <source>Updated (already stored)</source>
        <translation>Aktualisiert (schon gespeichert)</translation>
    </message>
    <message>
        <source>Skipped (already stored)</source>
        <translation>Übersprungen (schon gespeichert)</translation>
    </message>
    <message>
        <source>Rejected (not imported)</source>
        <translation>Abgelehnt (nicht importiert)</translation>
    </message>
    <message>
        <source>&amp;Save report as CSV…</source>
        <translation>Bericht als CSV &amp;speichern…</translation>
    </message>
</context>
<context>
    <name>keyward::BulkDeleteWizard</name>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>suspended</source>
        <translation>ausgesetzt</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>Bulk delete</source>
        <translation>Massenlöschung</translation>
    </message>
    <message>
        <source>The &amp;selected keys (none are selected on the Keys page)</source>
        <translation>Die ausgewählten &amp;Schlüssel (auf der Seite Schlüssel ist keiner ausgewählt)</translation>
    </message>
    <message numerus="yes">
        <source>The %Ln &amp;selected key(s)</source>
        <translation><numerusform>Der ausgewählte &amp;Schlüssel</numerusform><numerusform>Die %Ln ausgewählten &amp;Schlüssel</numerusform></translation>
    </message>
    <message>
        <source>All %1 keys of the current &amp;view</source>
        <translation>Alle %1 Schlüssel der aktuellen &amp;Ansicht</translation>
    </message>
    <message>
        <source>All keys of the current &amp;view</source>
        <translation>Alle Schlüssel der aktuellen &amp;Ansicht</translation>
    </message>
    <message>
        <source>No filter is set: that is every live key.</source>
        <translation>Es ist kein Filter gesetzt: Das sind alle Schlüssel außerhalb des Papierkorbs.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) listed</source>
        <translation><numerusform>%Ln Schlüssel aufgeführt</numerusform><numerusform>%Ln Schlüssel aufgeführt</numerusform></translation>
    </message>
    <message>
        <source>Delete the keys listed in</source>
        <translation>Die Schlüssel löschen, die aufgeführt sind in</translation>
    </message>
    <message>
        <source>Key lists (*.txt *.csv *.tsv *.json *.jsonl);;All files (*)</source>
        <translation>Schlüssellisten (*.txt *.csv *.tsv *.json *.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>product "%1"</source>
        <translation>Produkt „%1“</translation>
    </message>
    <message>
        <source>status %1</source>
        <translation>Status %1</translation>
    </message>
    <message>
        <source>containing "%1"</source>
        <translation>mit „%1“</translation>
    </message>
    <message>
        <source>starting with "%1"</source>
        <translation>beginnend mit „%1“</translation>
    </message>
    <message>
        <source>expiring from %1</source>
        <translation>Ablauf ab %1</translation>
    </message>
    <message>
        <source>expiring before %1</source>
        <translation>Ablauf vor %1</translation>
    </message>
    <message>
        <source>Filter: %1</source>
        <translation>Filter: %1</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Counting the keys…</source>
        <translation>Die Schlüssel werden gezählt…</translation>
    </message>
    <message>
        <source>These keys cannot be deleted: %1</source>
        <translation>Diese Schlüssel können nicht gelöscht werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln key(s)&lt;/b&gt; will move to the trash.</source>
        <translation><numerusform>&lt;b&gt;%Ln Schlüssel&lt;/b&gt; kommt in den Papierkorb.</numerusform><numerusform>&lt;b&gt;%Ln Schlüssel&lt;/b&gt; kommen in den Papierkorb.</numerusform></translation>
    </message>
    <message>
        <source>None of these keys is live: there is nothing to delete.</source>
        <translation>Keiner dieser Schlüssel ist außerhalb des Papierkorbs: Es gibt nichts zu löschen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln of the listed keys are in the trash already and stay there.</source>
        <translation><numerusform>%Ln der aufgeführten Schlüssel ist schon im Papierkorb und bleibt dort.</numerusform><numerusform>%Ln der aufgeführten Schlüssel sind schon im Papierkorb und bleiben dort.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln of them are active and in use:&lt;/b&gt; bound to domains or devices. The software there stops validating as soon as they are deleted.</source>
        <translation><numerusform>&lt;b&gt;%Ln davon ist aktiv und in Gebrauch:&lt;/b&gt; an Domains oder Geräte gebunden. Die Software dort wird nicht mehr anerkannt, sobald er gelöscht ist.</numerusform><numerusform>&lt;b&gt;%Ln davon sind aktiv und in Gebrauch:&lt;/b&gt; an Domains oder Geräte gebunden. Die Software dort wird nicht mehr anerkannt, sobald sie gelöscht sind.</numerusform></translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>… and %1 more.</source>
        <translation>… und %1 weitere.</translation>
    </message>
    <message>
        <source>Write the backup to</source>
        <translation>Sicherung schreiben nach</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Without a backup, the trash is the only way back.</source>
        <translation>Ohne Sicherung ist der Papierkorb der einzige Weg zurück.</translation>
    </message>
    <message>
        <source>The file name must end in .csv or .json.</source>
        <translation>Der Dateiname muss auf .csv oder .json enden.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Den Ordner %1 gibt es nicht.</translation>
    </message>
    <message>
        <source>The file exists and will be replaced.</source>
        <translation>Die Datei gibt es schon; sie wird ersetzt.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message numerus="yes">
        <source>Type &lt;b&gt;%1&lt;/b&gt; to move %Ln key(s) to the trash.</source>
        <translation><numerusform>Geben Sie &lt;b&gt;%1&lt;/b&gt; ein, um %Ln Schlüssel in den Papierkorb zu verschieben.</numerusform><numerusform>Geben Sie &lt;b&gt;%1&lt;/b&gt; ein, um %Ln Schlüssel in den Papierkorb zu verschieben.</numerusform></translation>
    </message>
    <message>
        <source>No backup will be written.</source>
        <translation>Es wird keine Sicherung geschrieben.</translation>
    </message>
    <message>
        <source>First a backup of them is written to %1.</source>
        <translation>Zuerst wird eine Sicherung nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Moving the keys to the trash…</source>
        <translation>Die Schlüssel kommen in den Papierkorb…</translation>
    </message>
    <message>
        <source>Writing the backup, then moving the keys to the trash…</source>
        <translation>Die Sicherung wird geschrieben, dann kommen die Schlüssel in den Papierkorb…</translation>
    </message>
    <message>
        <source>Stopped. No key was deleted.</source>
        <translation>Angehalten. Kein Schlüssel wurde gelöscht.</translation>
    </message>
    <message>
        <source>No key was deleted: %1</source>
        <translation>Kein Schlüssel wurde gelöscht: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) moved to the trash. They no longer validate; the Trash lists them until you restore or purge them.</source>
        <translation><numerusform>%Ln Schlüssel in den Papierkorb verschoben. Er wird nicht mehr anerkannt; der Papierkorb führt ihn, bis Sie ihn wiederherstellen oder endgültig löschen.</numerusform><numerusform>%Ln Schlüssel in den Papierkorb verschoben. Sie werden nicht mehr anerkannt; der Papierkorb führt sie, bis Sie sie wiederherstellen oder endgültig löschen.</numerusform></translation>
    </message>
    <message>
        <source>No backup was written.</source>
        <translation>Es wurde keine Sicherung geschrieben.</translation>
    </message>
    <message numerus="yes">
        <source>Backup of %Ln key(s): %1</source>
        <translation><numerusform>Sicherung von %Ln Schlüssel: %1</numerusform><numerusform>Sicherung von %Ln Schlüsseln: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Restore these %Ln key(s)</source>
        <translation><numerusform>Diesen %Ln Schlüssel &amp;wiederherstellen</numerusform><numerusform>Diese %Ln Schlüssel &amp;wiederherstellen</numerusform></translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>Wird wiederhergestellt…</translation>
    </message>
    <message>
        <source>Not restored: %1</source>
        <translation>Nicht wiederhergestellt: %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) restored from the trash.</source>
        <translation><numerusform>%Ln Schlüssel aus dem Papierkorb wiederhergestellt.</numerusform><numerusform>%Ln Schlüssel aus dem Papierkorb wiederhergestellt.</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::ImportReportModel</name>
    <message>
        <source>(row)</source>
        <translation>(Zeile)</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>keyward::ImportWizard</name>
    <message>
        <source>License key</source>
        <translation>Lizenzschlüssel</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>Kundenname</translation>
    </message>
    <message>
        <source>Customer email</source>
        <translation>Kunden-E-Mail</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Max. domains</source>
        <translation>Max. Domains</translation>
    </message>
    <message>
        <source>Max. devices</source>
        <translation>Max. Geräte</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Revoke reason</source>
        <translation>Widerrufsgrund</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Spalte %1</translation>
    </message>
    <message>
        <source>Import keys</source>
        <translation>Schlüssel importieren</translation>
    </message>
    <message>
        <source>Import keys from</source>
        <translation>Schlüssel importieren aus</translation>
    </message>
    <message>
        <source>Key files (*.csv *.tsv *.txt *.json *.jsonl *.ndjson);;All files (*)</source>
        <translation>Schlüsseldateien (*.csv *.tsv *.txt *.json *.jsonl *.ndjson);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Create a product first: imported keys belong to one.</source>
        <translation>Legen Sie zuerst ein Produkt an: Importierte Schlüssel gehören zu einem.</translation>
    </message>
    <message>
        <source>Its keys look like %1.</source>
        <translation>Seine Schlüssel sehen so aus: %1.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <source>This file cannot be imported: %1</source>
        <translation>Diese Datei kann nicht importiert werden: %1</translation>
    </message>
    <message>
        <source>CSV separated by semicolons</source>
        <translation>CSV, durch Semikolons getrennt</translation>
    </message>
    <message>
        <source>Tab-separated values</source>
        <translation>Durch Tabulatoren getrennte Werte</translation>
    </message>
    <message>
        <source>CSV separated by commas</source>
        <translation>CSV, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>JSON array</source>
        <translation>JSON-Array</translation>
    </message>
    <message>
        <source>JSON lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2, %n column(s): %3</source>
        <translation><numerusform>%1, %2, %n Spalte: %3</numerusform><numerusform>%1, %2, %n Spalten: %3</numerusform></translation>
    </message>
    <message>
        <source>No column looks like the license key; choose it on the next page.</source>
        <translation>Keine Spalte sieht nach dem Lizenzschlüssel aus; wählen Sie sie auf der nächsten Seite.</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(nicht importiert)</translation>
    </message>
    <message>
        <source>Choose the column that holds the license keys.</source>
        <translation>Wählen Sie die Spalte mit den Lizenzschlüsseln.</translation>
    </message>
    <message>
        <source>Every column is imported.</source>
        <translation>Jede Spalte wird importiert.</translation>
    </message>
    <message>
        <source>Not imported: %1.</source>
        <translation>Nicht importiert: %1.</translation>
    </message>
    <message>
        <source>not imported</source>
        <translation>nicht importiert</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Jede Zeile wird geprüft…</translation>
    </message>
    <message>
        <source>The check was stopped.</source>
        <translation>Die Prüfung wurde angehalten.</translation>
    </message>
    <message>
        <source>The file could not be checked: %1</source>
        <translation>Die Datei konnte nicht geprüft werden: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to import as new keys</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; als neue Schlüssel zu importieren</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to update</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; zu aktualisieren</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; already stored (skipped)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; schon gespeichert (übersprungen)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; rejected</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; abgelehnt</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) checked: %1.</source>
        <translation><numerusform>%Ln Zeile geprüft: %1.</numerusform><numerusform>%Ln Zeilen geprüft: %1.</numerusform></translation>
    </message>
    <message>
        <source>With "Stop", nothing would be imported: fix the rows listed below, or go back and choose to skip or update them.</source>
        <translation>Mit „Anhalten“ würde nichts importiert: Korrigieren Sie die unten aufgeführten Zeilen, oder gehen Sie zurück und wählen Sie Überspringen oder Aktualisieren.</translation>
    </message>
    <message>
        <source>No row of this file can be imported.</source>
        <translation>Keine Zeile dieser Datei kann importiert werden.</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2 problems; the saved report has all of them.</source>
        <translation>Die ersten %1 von %2 Problemen werden gezeigt; der gespeicherte Bericht enthält alle.</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Keine Probleme gefunden.</translation>
    </message>
    <message>
        <source>The report could not be kept: %1</source>
        <translation>Der Bericht konnte nicht behalten werden: %1</translation>
    </message>
    <message>
        <source>Importing into "%1"…</source>
        <translation>Import in „%1“…</translation>
    </message>
    <message>
        <source>Stopped. Nothing was imported.</source>
        <translation>Angehalten. Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>Nothing was imported: %1</source>
        <translation>Es wurde nichts importiert: %1</translation>
    </message>
    <message>
        <source>Nothing was imported from %1: with "Stop", a rejected or already stored row stops the whole import. The rows are listed below.</source>
        <translation>Aus %1 wurde nichts importiert: Mit „Anhalten“ hält eine abgelehnte oder schon gespeicherte Zeile den ganzen Import an. Die Zeilen sind unten aufgeführt.</translation>
    </message>
    <message>
        <source>%1 rows of %2 were read into "%3". The import is recorded in the audit log with these counts.</source>
        <translation>%1 Zeilen aus %2 wurden in „%3“ eingelesen. Der Import ist mit diesen Zahlen im Audit-Protokoll vermerkt.</translation>
    </message>
    <message>
        <source>Save the report as</source>
        <translation>Bericht speichern als</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Report saved to %1.</source>
        <translation>Bericht in %1 gespeichert.</translation>
    </message>
    <message>
        <source>The report could not be saved to %1.</source>
        <translation>Der Bericht konnte nicht in %1 gespeichert werden.</translation>
    </message>
</context>
</TS>