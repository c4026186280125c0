<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AuditText</name>
    <message numerus="yes">
        <source>Moved to the trash with %Ln other key(s)</source>
        <translation><numerusform>Moved to the trash with %Ln other key</numerusform><numerusform>Moved to the trash with %Ln other keys</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Restored from the trash with %Ln other key(s)</source>
        <translation><numerusform>Restored from the trash with %Ln other key</numerusform><numerusform>Restored from the trash with %Ln other keys</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Deleted forever with %Ln other key(s)</source>
        <translation><numerusform>Deleted forever with %Ln other key</numerusform><numerusform>Deleted forever with %Ln other keys</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::ExportDialog</name>
    <message numerus="yes">
        <source>The %n selected key(s)</source>
        <translation><numerusform>The selected key</numerusform><numerusform>The %n selected keys</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::GenerateKeysDialog</name>
    <message numerus="yes">
        <source>%n key(s) copied to the clipboard.</source>
        <translation><numerusform>%n key copied to the clipboard.</numerusform><numerusform>%n keys copied to the clipboard.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n key(s) to %1.</source>
        <translation><numerusform>Saved %n key to %1.</numerusform><numerusform>Saved %n keys to %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::KeyDetailEditor</name>
    <message numerus="yes">
        <source>%n domain(s) are bound; remove some or raise the maximum.</source>
        <translation><numerusform>%n domain is bound; remove it or raise the maximum.</numerusform><numerusform>%n domains are bound; remove some or raise the maximum.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s) are bound; remove some or raise the maximum.</source>
        <translation><numerusform>%n device is bound; remove it or raise the maximum.</numerusform><numerusform>%n devices are bound; remove some or raise the maximum.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n domain(s), no limit</source>
        <translation><numerusform>%n domain, no limit</numerusform><numerusform>%n domains, no limit</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s), no limit</source>
        <translation><numerusform>%n device, no limit</numerusform><numerusform>%n devices, no limit</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::MainWindow</name>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation><numerusform>%n product</numerusform><numerusform>%n products</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) copied.</source>
        <translation><numerusform>%n key copied.</numerusform><numerusform>%n keys copied.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Move %n key(s) to the trash?</source>
        <translation><numerusform>Move %n key to the trash?</numerusform><numerusform>Move %n keys to the trash?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) moved to the trash.</source>
        <translation><numerusform>%n key moved to the trash.</numerusform><numerusform>%n keys moved to the trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) restored.</source>
        <translation><numerusform>%n key restored.</numerusform><numerusform>%n keys restored.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n key(s) forever?</source>
        <translation><numerusform>Delete %n key forever?</numerusform><numerusform>Delete %n keys forever?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) deleted forever.</source>
        <translation><numerusform>%n key deleted forever.</numerusform><numerusform>%n keys deleted forever.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) imported.</source>
        <translation><numerusform>%Ln key imported.</numerusform><numerusform>%Ln keys imported.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) moved to the trash.</source>
        <translation><numerusform>%Ln key moved to the trash.</numerusform><numerusform>%Ln keys moved to the trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) restored.</source>
        <translation><numerusform>%Ln key restored.</numerusform><numerusform>%Ln keys restored.</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::RevokeDialog</name>
    <message numerus="yes">
        <source>Access on %n domain(s): %1</source>
        <translation><numerusform>Access on %n domain: %1</numerusform><numerusform>Access on %n domains: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Access on %n device(s)</source>
        <translation><numerusform>Access on %n device</numerusform><numerusform>Access on %n devices</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) left until it expires</source>
        <translation><numerusform>%n day left until it expires</numerusform><numerusform>%n days left until it expires</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::BulkDeleteWizard</name>
    <message numerus="yes">
        <source>The %Ln &amp;selected key(s)</source>
        <translation><numerusform>The &amp;selected key</numerusform><numerusform>The %Ln &amp;selected keys</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) listed</source>
        <translation><numerusform>%Ln key listed</numerusform><numerusform>%Ln keys listed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln key(s)&lt;/b&gt; will move to the trash.</source>
        <translation><numerusform>&lt;b&gt;%Ln key&lt;/b&gt; will move to the trash.</numerusform><numerusform>&lt;b&gt;%Ln keys&lt;/b&gt; will move to the trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln of the listed keys are in the trash already and stay there.</source>
        <translation><numerusform>%Ln of the listed keys is in the trash already and stays there.</numerusform><numerusform>%Ln of the listed keys are in the trash already and stay there.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%Ln of them are active and in use:&lt;/b&gt; bound to domains or devices. The software there stops validating as soon as they are deleted.</source>
        <translation><numerusform>&lt;b&gt;%Ln of them is active and in use:&lt;/b&gt; bound to domains or devices. The software there stops validating as soon as it is deleted.</numerusform><numerusform>&lt;b&gt;%Ln of them are active and in use:&lt;/b&gt; bound to domains or devices. The software there stops validating as soon as they are deleted.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Type &lt;b&gt;%1&lt;/b&gt; to move %Ln key(s) to the trash.</source>
        <translation><numerusform>Type &lt;b&gt;%1&lt;/b&gt; to move %Ln key to the trash.</numerusform><numerusform>Type &lt;b&gt;%1&lt;/b&gt; to move %Ln keys to the trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) moved to the trash. They no longer validate; the Trash lists them until you restore or purge them.</source>
        <translation><numerusform>%Ln key moved to the trash. It no longer validates; the Trash lists it until you restore or purge it.</numerusform><numerusform>%Ln keys moved to the trash. They no longer validate; the Trash lists them until you restore or purge them.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Backup of %Ln key(s): %1</source>
        <translation><numerusform>Backup of %Ln key: %1</numerusform><numerusform>Backup of %Ln keys: %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&amp;Restore these %Ln key(s)</source>
        <translation><numerusform>&amp;Restore this key</numerusform><numerusform>&amp;Restore these %Ln keys</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) restored from the trash.</source>
        <translation><numerusform>%Ln key restored from the trash.</numerusform><numerusform>%Ln keys restored from the trash.</numerusform></translation>
    </message>
</context>
<context>
    <name>keyward::ImportWizard</name>
    <message numerus="yes">
        <source>%1, %2, %n column(s): %3</source>
        <translation><numerusform>%1, %2, %n column: %3</numerusform><numerusform>%1, %2, %n columns: %3</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) checked: %1.</source>
        <translation><numerusform>%Ln row checked: %1.</numerusform><numerusform>%Ln rows checked: %1.</numerusform></translation>
    </message>
</context>
</TS>