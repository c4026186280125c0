<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
</TS>