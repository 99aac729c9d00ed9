pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Kiosk

// Firms near here that often hire, for a trade (a trade tile, an offer's trade, a search):
// not job offers, firms La Bonne Boîte ranks by hiring potential. Each card: name, trade,
// sector and size, town and distance. A firm opens over the list with the way to send it a
// spontaneous application. Every text comes ready from the view-model (kiosk/ui/firms.py).
Item {
    id: root

    required property Theme theme
    required property FirmsViewModel firms
    required property Navigator navigator
    required property ApplyViewModel apply
    required property SyncViewModel sync

    // Cards across: one in portrait, two side by side in landscape.
    readonly property int columns: root.theme.portrait ? 1 : 2
    readonly property bool canApply: root.firms.canApply && root.apply.canTakeApplications

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Firms near here that often hire")
    Accessible.description: root.firms.heading

    function resetView() {
        flick.contentY = 0
    }

    Connections {
        target: root.firms
        function onListChanged() { flick.contentY = 0 }
    }

    Flickable {
        id: flick
        objectName: "firmsFlick"
        // Under an open firm nothing takes a touch (see DetailScreen).
        enabled: !root.firms.isOpen
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
            spacing: root.theme.gap * 2

            Text {
                objectName: "firmsTitle"
                width: parent.width
                wrapMode: Text.Wrap
                text: qsTr("Firms near here that often hire")
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                Accessible.role: Accessible.Heading
                Accessible.name: text
                font.pixelSize: root.theme.fontHeadline
                font.bold: true
                color: root.theme.palette.text
            }
            Text {
                objectName: "firmsScope"
                width: parent.width
                wrapMode: Text.Wrap
                text: root.firms.heading
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                font.pixelSize: root.theme.fontTitle
                font.bold: true
                color: root.theme.palette.accent
            }
            // Not job offers: said first, in plain words, with who ranked them.
            Rectangle {
                objectName: "firmsNote"
                width: parent.width
                implicitHeight: noteColumn.implicitHeight + root.theme.margin
                radius: root.theme.radius
                color: root.theme.palette.surface
                border.color: root.theme.palette.border
                border.width: root.theme.borderWidth

                Column {
                    id: noteColumn
                    anchors {
                        left: parent.left
                        right: parent.right
                        verticalCenter: parent.verticalCenter
                        margins: root.theme.margin / 2
                    }
                    spacing: root.theme.gap

                    Text {
                        objectName: "firmsNotOffers"
                        width: parent.width
                        wrapMode: Text.Wrap
                        text: root.firms.note
                        textFormat: Text.PlainText
                        horizontalAlignment: Text.AlignLeft
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        font.pixelSize: root.theme.fontBody
                        color: root.theme.palette.text
                    }
                    Text {
                        objectName: "firmsCredit"
                        width: parent.width
                        wrapMode: Text.Wrap
                        text: root.firms.credit
                        textFormat: Text.PlainText
                        horizontalAlignment: Text.AlignLeft
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        font.pixelSize: root.theme.fontSmall
                        color: root.theme.palette.textMuted
                    }
                }
            }
            Text {
                objectName: "firmsOffline"
                width: parent.width
                visible: root.sync.offline
                wrapMode: Text.Wrap
                text: qsTr("This terminal is offline: the list is the one from its last connection.")
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                font.pixelSize: root.theme.fontBody
                font.italic: true
                color: root.theme.palette.text
            }

            // No firm (the list changed under the screen, or none for this trade).
            Column {
                objectName: "firmsEmpty"
                width: parent.width
                visible: root.firms.empty
                spacing: root.theme.margin
                topPadding: root.theme.margin

                Text {
                    width: parent.width
                    wrapMode: Text.Wrap
                    text: qsTr("No firm near here for this trade right now.")
                    textFormat: Text.PlainText
                    horizontalAlignment: Text.AlignLeft
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                    font.pixelSize: root.theme.fontTitle
                    font.bold: true
                    color: root.theme.palette.text
                }
                KButton {
                    objectName: "firmsBack"
                    theme: root.theme
                    primary: true
                    glyph: root.LayoutMirroring.enabled ? "→" : "←"
                    text: qsTr("Back")
                    onClicked: root.navigator.back()
                }
            }

            Grid {
                id: cards
                width: parent.width
                columns: root.columns
                spacing: root.theme.gap * 2

                Repeater {
                    model: root.firms.firms
                    delegate: Rectangle {
                        id: card
                        required property int index
                        required property string key
                        required property string name
                        required property string trade
                        required property string details
                        required property string place
                        required property string high
                        required property string description

                        objectName: "firm-" + card.index
                        width: (cards.width - (root.columns - 1) * cards.spacing) / root.columns
                        height: Math.max(root.theme.target, lines.implicitHeight + root.theme.margin)
                        radius: root.theme.radius
                        color: tap.pressed ? Qt.darker(root.theme.palette.surface, 1.08)
                                           : root.theme.palette.surface
                        border.color: root.theme.palette.border
                        border.width: root.theme.borderWidth

                        Accessible.role: Accessible.Button
                        Accessible.name: card.name
                        Accessible.description: card.description
                        Accessible.onPressAction: root.firms.open(card.key)

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
                                text: card.name
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
                                text: card.trade
                                textFormat: Text.PlainText
                                horizontalAlignment: Text.AlignLeft
                                wrapMode: Text.Wrap
                                maximumLineCount: 2
                                elide: Text.ElideRight
                                font.pixelSize: root.theme.fontBody
                                font.bold: true
                                color: root.theme.palette.accent
                                Accessible.ignored: true
                            }
                            Text {
                                width: parent.width
                                visible: text !== ""
                                text: card.details
                                textFormat: Text.PlainText
                                horizontalAlignment: Text.AlignLeft
                                wrapMode: Text.Wrap
                                maximumLineCount: 2
                                elide: Text.ElideRight
                                font.pixelSize: root.theme.fontBody
                                color: root.theme.palette.text
                                Accessible.ignored: true
                            }
                            // Wraps: a long town and the mark share a line only when they fit.
                            Flow {
                                width: parent.width
                                spacing: root.theme.gap * 2
                                Text {
                                    visible: text !== ""
                                    text: card.place
                                    textFormat: Text.PlainText
                                    font.pixelSize: root.theme.fontBody
                                    color: root.theme.palette.text
                                    Accessible.ignored: true
                                }
                                // Said in words, never by colour alone.
                                Rectangle {
                                    visible: card.high !== ""
                                    implicitWidth: highText.implicitWidth + 2 * root.theme.gap
                                    implicitHeight: highText.implicitHeight + root.theme.gap / 2
                                    radius: root.theme.radius
                                    color: "transparent"
                                    border.color: root.theme.palette.border
                                    border.width: root.theme.borderWidth
                                    Text {
                                        id: highText
                                        anchors.centerIn: parent
                                        text: "★ " + card.high
                                        textFormat: Text.PlainText
                                        font.pixelSize: root.theme.fontSmall
                                        font.bold: true
                                        color: root.theme.palette.text
                                        Accessible.ignored: true
                                    }
                                }
                            }
                        }
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
                            onTapped: root.firms.open(card.key)
                        }
                    }
                }
            }
        }
    }

    // One firm: what it is, and how a spontaneous application reaches it.
    KDialog {
        objectName: "firmDialog"
        anchors.fill: parent
        visible: root.firms.isOpen
        theme: root.theme
        title: root.firms.openName
        message: root.firms.openTrade
        onClosed: root.firms.close()

        Text {
            objectName: "firmDetails"
            width: parent.width
            visible: text !== ""
            wrapMode: Text.Wrap
            text: root.firms.openDetails
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.text
        }
        Text {
            objectName: "firmPlace"
            width: parent.width
            visible: text !== ""
            wrapMode: Text.Wrap
            text: root.firms.openPlace
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.text
        }
        Text {
            objectName: "firmHowItGoes"
            width: parent.width
            wrapMode: Text.Wrap
            text: root.canApply ? root.firms.howItGoes : root.firms.noApplyHere
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            font.pixelSize: root.theme.fontBody
            font.italic: true
            color: root.theme.palette.text
            topPadding: root.theme.gap
            bottomPadding: root.theme.gap
        }
        KButton {
            objectName: "spontaneousButton"
            anchors.horizontalCenter: parent.horizontalCenter
            visible: root.canApply
            theme: root.theme
            primary: true
            glyph: "✉"
            text: qsTr("Send a spontaneous application")
            onClicked: root.navigator.startSpontaneous()
        }
    }
}
