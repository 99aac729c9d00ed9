pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// The services corner: free public services by need (choose a trade, train, prepare an
// application, help with digital, the agency near here), those in the screen's language
// first. A service opens over the list with its text and the QR code that takes it away on a
// phone. Every text comes ready from the view-model (kiosk/ui/services.py).
Item {
    id: root

    required property Theme theme
    required property ServicesViewModel services
    required property Navigator navigator

    // Cards across: one in portrait, two side by side in landscape.
    readonly property int columns: root.theme.portrait ? 1 : 2

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Services")
    Accessible.description: qsTr("%n free service(s) to help you find work.", "", root.services.count)
        + " " + qsTr("Choose one, then scan its code with your phone to take it away.")

    function resetView() {
        flick.contentY = 0
    }

    Flickable {
        id: flick
        objectName: "servicesFlick"
        // Under an open service nothing takes a touch (see DetailScreen).
        enabled: !root.services.isOpen
        anchors {
            fill: parent
            leftMargin: root.theme.margin
            rightMargin: root.theme.margin
            topMargin: root.theme.gap * 2
        }
        clip: true
        contentHeight: content.implicitHeight + root.theme.margin
        boundsBehavior: Flickable.StopAtBounds
        ScrollIndicator.vertical: ScrollIndicator {}

        Column {
            id: content
            width: flick.width
            spacing: root.theme.gap

            Text {
                objectName: "servicesTitle"
                width: parent.width
                wrapMode: Text.Wrap
                text: qsTr("Services to help you find work")
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                Accessible.role: Accessible.Heading
                Accessible.name: text
                font.pixelSize: root.theme.fontHeadline
                font.bold: true
                color: root.theme.palette.text
            }
            Text {
                objectName: "servicesIntro"
                width: parent.width
                wrapMode: Text.Wrap
                text: qsTr("%n free service(s) to help you find work.", "", root.services.count)
                    + " " + qsTr("Choose one, then scan its code with your phone to take it away.")
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                font.pixelSize: root.theme.fontBody
                color: root.theme.palette.text
            }

            Repeater {
                model: root.services.needs
                delegate: Column {
                    id: need
                    required property string key
                    required property string heading
                    required property var entries

                    objectName: "need-" + need.key
                    width: content.width
                    spacing: root.theme.gap * 2
                    topPadding: root.theme.gap * 2

                    Text {
                        objectName: "needHeading-" + need.key
                        width: parent.width
                        wrapMode: Text.Wrap
                        text: need.heading
                        textFormat: Text.PlainText
                        horizontalAlignment: Text.AlignLeft
                        Accessible.role: Accessible.Heading
                        Accessible.name: need.heading
                        font.pixelSize: root.theme.fontTitle
                        font.bold: true
                        color: root.theme.palette.accent
                    }

                    Grid {
                        id: cards
                        width: parent.width
                        columns: root.columns
                        spacing: root.theme.gap * 2

                        Repeater {
                            model: need.entries
                            delegate: Rectangle {
                                id: card
                                required property var modelData

                                objectName: "service-" + card.modelData.entryId
                                width: (cards.width - (root.columns - 1) * cards.spacing) / root.columns
                                height: Math.max(root.theme.target, lines.implicitHeight + root.theme.margin)
                                radius: root.theme.radius
                                color: tap.pressed ? Qt.darker(root.theme.palette.surface, 1.08)
                                                   : root.theme.palette.surface
                                border.color: root.theme.palette.border
                                border.width: root.theme.borderWidth

                                Accessible.role: Accessible.Button
                                Accessible.name: card.modelData.title
                                Accessible.description: card.modelData.note !== ""
                                    ? card.modelData.text + " " + card.modelData.note
                                    : card.modelData.text
                                Accessible.onPressAction: root.services.open(card.modelData.entryId)

                                Column {
                                    id: lines
                                    anchors {
                                        left: parent.left
                                        right: chevron.left
                                        verticalCenter: parent.verticalCenter
                                        leftMargin: root.theme.margin / 2
                                        rightMargin: root.theme.gap
                                    }
                                    spacing: root.theme.gap / 2

                                    Text {
                                        width: parent.width
                                        text: card.modelData.title
                                        textFormat: Text.PlainText
                                        horizontalAlignment: Text.AlignLeft
                                        wrapMode: Text.Wrap
                                        maximumLineCount: 2
                                        elide: Text.ElideRight
                                        font.pixelSize: root.theme.fontTitle
                                        font.bold: true
                                        color: root.theme.palette.text
                                        Accessible.ignored: true  // the card speaks for it
                                    }
                                    Text {
                                        width: parent.width
                                        visible: text !== ""
                                        text: card.modelData.text
                                        textFormat: Text.PlainText
                                        horizontalAlignment: Text.AlignLeft
                                        wrapMode: Text.Wrap
                                        maximumLineCount: 2
                                        elide: Text.ElideRight
                                        font.pixelSize: root.theme.fontBody
                                        color: root.theme.palette.text
                                        Accessible.ignored: true
                                    }
                                    Text {
                                        width: parent.width
                                        visible: text !== ""
                                        text: card.modelData.note
                                        textFormat: Text.PlainText
                                        horizontalAlignment: Text.AlignLeft
                                        elide: Text.ElideRight
                                        font.pixelSize: root.theme.fontSmall
                                        font.italic: true
                                        color: root.theme.palette.textMuted
                                        Accessible.ignored: true
                                    }
                                }
                                // Where the card leads: its code, a tap away.
                                Text {
                                    id: chevron
                                    anchors {
                                        right: parent.right
                                        verticalCenter: parent.verticalCenter
                                        rightMargin: root.theme.margin / 2
                                    }
                                    text: root.LayoutMirroring.enabled ? "‹" : "›"
                                    textFormat: Text.PlainText
                                    font.pixelSize: root.theme.fontHeadline
                                    font.bold: true
                                    color: root.theme.palette.accent
                                    Accessible.ignored: true
                                }

                                TapHandler {
                                    id: tap
                                    onTapped: root.services.open(card.modelData.entryId)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // One service: its text and the code that takes it away (the only code on screen).
    KDialog {
        objectName: "serviceDialog"
        anchors.fill: parent
        visible: root.services.isOpen
        theme: root.theme
        title: root.services.openTitle
        message: root.services.openText
        onClosed: root.services.close()

        Text {
            objectName: "serviceNote"
            width: parent.width
            visible: text !== ""
            wrapMode: Text.Wrap
            text: root.services.openNote
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            font.pixelSize: root.theme.fontBody
            font.italic: true
            color: root.theme.palette.text
        }
        QrCode {
            objectName: "serviceQr"
            anchors.horizontalCenter: parent.horizontalCenter
            theme: root.theme
            size: Math.round(root.theme.qrSize * 1.3)
            source: root.services.openQr
            caption: qsTr("Scan this code with your phone's camera to open %1")
                .replace("%1", root.services.openSite)
        }
    }
}
