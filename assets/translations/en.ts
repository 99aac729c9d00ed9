<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Attract</name>
    <message numerus="yes">
        <source>%n min walk</source>
        <translation>
            <numerusform>%n min walk</numerusform>
            <numerusform>%n min walk</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Detail</name>
    <message numerus="yes">
        <source>%n position(s) to fill</source>
        <translation>
            <numerusform>%n position to fill</numerusform>
            <numerusform>%n positions to fill</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message numerus="yes">
        <source>Filters, %n in use</source>
        <translation>
            <numerusform>Filters, %n in use</numerusform>
            <numerusform>Filters, %n in use</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirmsButton</name>
    <message numerus="yes">
        <source>%n firm(s) that may hire you without a published offer.</source>
        <translation>
            <numerusform>%n firm that may hire you without a published offer.</numerusform>
            <numerusform>%n firms that may hire you without a published offer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OfferText</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n week</numerusform>
            <numerusform>%n weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n day(s) ago</source>
        <translation>
            <numerusform>Posted %n day ago</numerusform>
            <numerusform>Posted %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n week(s) ago</source>
        <translation>
            <numerusform>Posted %n week ago</numerusform>
            <numerusform>Posted %n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Posted %n month(s) ago</source>
        <translation>
            <numerusform>Posted %n month ago</numerusform>
            <numerusform>Posted %n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln offer(s)</source>
        <translation>
            <numerusform>%Ln offer</numerusform>
            <numerusform>%Ln offers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServicesScreen</name>
    <message numerus="yes">
        <source>%n free service(s) to help you find work.</source>
        <translation>
            <numerusform>%n free service to help you find work.</numerusform>
            <numerusform>%n free services to help you find work.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message numerus="yes">
        <source>Offers updated %n minute(s) ago.</source>
        <translation>
            <numerusform>Offers updated %n minute ago.</numerusform>
            <numerusform>Offers updated %n minutes ago.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n hour(s) ago.</source>
        <translation>
            <numerusform>Offers updated %n hour ago.</numerusform>
            <numerusform>Offers updated %n hours ago.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Offers updated %n day(s) ago.</source>
        <translation>
            <numerusform>Offers updated %n day ago.</numerusform>
            <numerusform>Offers updated %n days ago.</numerusform>
        </translation>
    </message>
</context>
</TS>
