pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// Nobody is using the terminal: a screen a person walking by stops for, readable from 2 m.
// The offers near here (the number the list will show), the nearest of them passing by with
// their distance and the minutes on foot, the trades with the most offers as tiles, the
// language. The first touch anywhere only wakes it: the press is taken here and the session
// starts on release, so nothing behind this screen is ever pressed. Its own buttons (a trade,
// the language, large text, contrast, more time, within reach) apply their choice and wake
// it too; the offers passing by are not buttons (a moving target is hard to hit): touching
// them wakes it, as anywhere else. Motion (`theme.motion`, `[panel] motion`) is a slide
// every 4.5 s and a pulse every 2.4 s, never a flash.
Rectangle {
    id: root

    required property Theme theme
    required property LanguageController language
    required property Session session
    required property AttractViewModel attract
    required property SyncViewModel sync
    required property Guide guide
    required property Navigator navigator
    required property ServicesViewModel services

    readonly property bool moving: root.visible && root.theme.motion

    color: root.theme.palette.attract

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Job offers near here")
    Accessible.description: root.attract.nearby + " "
        + qsTr("Touch the screen or press any key to start. For audio guidance, hold your finger on the screen or press F2.")
    Accessible.onPressAction: root.session.wake()

    MouseArea {
        id: wakeArea
        objectName: "wakeArea"
        anchors.fill: parent
        preventStealing: true
        // A finger held still for a while starts audio guidance (no sight needed to find it).
        pressAndHoldInterval: 1500
        onPressAndHold: root.guide.longPress()
        onReleased: root.session.wake()
    }

    // A switch of the attract screen: light on the dark background, filled when on.
    component Switch: KButton {
        theme: root.theme
        accentColor: root.theme.palette.highlight
        accentText: root.theme.palette.attract
        checkable: true
    }

    GridLayout {
        id: layout
        anchors {
            fill: parent
            margins: root.theme.margin * 1.5
        }
        columns: root.theme.portrait ? 1 : 2
        columnSpacing: root.theme.margin * 2
        rowSpacing: root.theme.margin

        // What there is near here, and the nearest of it.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: !root.theme.portrait
            // Half of a landscape screen each, whatever the length of its texts.
            Layout.preferredWidth: root.theme.portrait ? -1 : (layout.width - layout.columnSpacing) / 2
            Layout.maximumWidth: root.theme.portrait ? -1 : (layout.width - layout.columnSpacing) / 2
            Layout.alignment: Qt.AlignTop
            spacing: root.theme.margin

            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignLeft
                wrapMode: Text.WordWrap
                text: qsTr("Job offers near here")
                textFormat: Text.PlainText
                Accessible.role: Accessible.Heading
                Accessible.name: text
                font.pixelSize: root.theme.fontDisplay
                font.bold: true
                color: root.theme.palette.attractText
            }

            Text {
                objectName: "nearbyText"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignLeft
                wrapMode: Text.WordWrap
                text: root.attract.nearby
                textFormat: Text.PlainText
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                font.pixelSize: root.theme.fontFar
                color: root.theme.palette.attractText
            }

            Text {
                objectName: "attractOffline"
                Layout.fillWidth: true
                visible: root.sync.offline
                horizontalAlignment: Text.AlignLeft
                wrapMode: Text.WordWrap
                text: root.sync.banner
                textFormat: Text.PlainText
                font.pixelSize: root.theme.fontBody
                color: root.theme.palette.attractText
            }

            // The nearest offers, passing by: one slides up every few seconds (three rows in
            // sight), back to the nearest after the last. Still when motion is off.
            ListView {
                id: passing
                objectName: "nearestOffers"
                Layout.fillWidth: true
                // Whole rows: five in portrait, four beside the tiles in landscape.
                Layout.preferredHeight: (root.theme.portrait ? 5 : 4) * (passing.rowHeight + passing.spacing)
                                        - passing.spacing
                readonly property int rowHeight: root.theme.fontFar * 2.6 + root.theme.gap * 2
                readonly property int rows: Math.max(1, Math.floor((passing.height + passing.spacing)
                                                                  / (passing.rowHeight + passing.spacing)))
                visible: passing.count > 0
                clip: true
                interactive: false
                spacing: root.theme.gap * 2
                model: root.attract.nearest
                highlightRangeMode: ListView.StrictlyEnforceRange
                preferredHighlightBegin: 0
                preferredHighlightEnd: passing.rowHeight
                highlightMoveDuration: root.theme.motion ? 900 : 0
                Accessible.role: Accessible.List
                Accessible.name: qsTr("The nearest offers")

                Timer {
                    interval: 4500
                    repeat: true
                    running: root.moving && passing.count > passing.rows
                    onTriggered: passing.currentIndex = (passing.currentIndex + 1) % (passing.count - passing.rows + 1)
                }
                Connections {
                    target: root
                    function onVisibleChanged() { passing.currentIndex = 0 }
                }

                delegate: Rectangle {
                    id: offer
                    required property int index
                    required property string title
                    required property string distance
                    required property string walk
                    required property string spoken

                    objectName: "nearestOffer-" + offer.index
                    width: passing.width
                    height: passing.rowHeight
                    radius: root.theme.radius
                    color: Qt.rgba(1, 1, 1, 0.08)
                    border.color: root.theme.palette.attractText
                    border.width: root.theme.borderWidth

                    Accessible.role: Accessible.StaticText
                    Accessible.name: offer.spoken

                    Column {
                        anchors {
                            left: parent.left
                            right: parent.right
                            verticalCenter: parent.verticalCenter
                            margins: root.theme.gap * 2
                        }
                        Text {
                            width: parent.width
                            horizontalAlignment: Text.AlignLeft
                            text: offer.title
                            textFormat: Text.PlainText
                            elide: Text.ElideRight
                            font.pixelSize: root.theme.fontFar
                            font.bold: true
                            color: root.theme.palette.attractText
                            Accessible.ignored: true
                        }
                        Text {
                            width: parent.width
                            horizontalAlignment: Text.AlignLeft
                            text: offer.walk !== "" ? offer.distance + "  ·  " + offer.walk : offer.distance
                            textFormat: Text.PlainText
                            elide: Text.ElideRight
                            font.pixelSize: root.theme.fontHeadline
                            color: root.theme.palette.attractText
                            Accessible.ignored: true
                        }
                    }
                }
            }

            Item { Layout.fillHeight: !root.theme.portrait; Layout.preferredHeight: 0 }

            // The invitation, with a slow pulse (one swell in 2.4 s: far from a flash).
            Item {
                Layout.fillWidth: true
                Layout.preferredHeight: pulse.height + root.theme.gap * 2

                Rectangle {
                    id: pulse
                    anchors.centerIn: parent
                    width: Math.min(parent.width, touchText.implicitWidth + 4 * root.theme.margin)
                    height: touchText.implicitHeight + 2 * root.theme.margin
                    radius: height / 2
                    color: "transparent"
                    border.color: root.theme.palette.attractText
                    border.width: root.theme.borderWidth * 2

                    SequentialAnimation on scale {
                        loops: Animation.Infinite
                        running: root.moving
                        NumberAnimation { from: 1.0; to: 1.05; duration: 1200; easing.type: Easing.InOutQuad }
                        NumberAnimation { from: 1.05; to: 1.0; duration: 1200; easing.type: Easing.InOutQuad }
                    }

                    Text {
                        id: touchText
                        anchors.centerIn: parent
                        width: Math.min(implicitWidth, pulse.parent.width - 2 * root.theme.margin)
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        text: qsTr("Touch the screen to start")
                        textFormat: Text.PlainText
                        font.pixelSize: root.theme.fontHeadline
                        font.bold: true
                        color: root.theme.palette.attractText
                    }
                }
            }
        }

        // The trades, the language and the access switches.
        ColumnLayout {
            Layout.fillWidth: true
            Layout.preferredWidth: root.theme.portrait ? -1 : (layout.width - layout.columnSpacing) / 2
            Layout.fillHeight: true
            Layout.alignment: Qt.AlignTop
            spacing: root.theme.margin

            // Portrait: what is touched sits low, within reach; landscape: tiles at the top.
            Item { Layout.fillHeight: root.theme.portrait; Layout.preferredHeight: 0 }

            TradeTiles {
                objectName: "attractTrades"
                Layout.fillWidth: true
                Layout.preferredHeight: implicitHeight
                visible: count > 0
                theme: root.theme
                model: root.attract.tradeTiles
                namePrefix: "attractTrade"
                maxTiles: 6
                minTileMm: root.theme.portrait ? 140 : 100
                nameLines: root.theme.portrait ? 2 : 3
                iconMm: 16
                nameSize: root.theme.fontHeadline
                countSize: root.theme.fontTitle
                face: root.theme.palette.attract
                ink: root.theme.palette.attractText
                inkMuted: root.theme.palette.attractText
                frame: root.theme.palette.attractText
                onChosen: (code) => {
                    root.attract.chooseTrade(code)
                    root.session.wake()
                }
            }

            // The services corner: training, CV and digital help, taken away by QR code.
            KButton {
                objectName: "attractServices"
                Layout.fillWidth: true
                visible: root.services.available
                theme: root.theme
                glyph: root.LayoutMirroring.enabled ? "←" : "→"
                text: qsTr("Training, CV, help with digital")
                accessibleName: qsTr("Services: training, CV, help with digital")
                onClicked: {
                    root.navigator.openServices()
                    root.session.wake()
                }
            }

            Item { Layout.fillHeight: !root.theme.portrait; Layout.preferredHeight: 0 }

            Flow {
                Layout.fillWidth: true
                spacing: root.theme.gap * 2

                Repeater {
                    model: root.language.choices
                    delegate: Switch {
                        required property var modelData
                        objectName: "attractLang-" + modelData.code
                        checked: root.language.language === modelData.code
                        text: modelData.name
                        onClicked: {
                            root.language.setLanguage(modelData.code)
                            root.session.wake()
                        }
                    }
                }
            }

            Flow {
                Layout.fillWidth: true
                spacing: root.theme.gap * 2

                Switch {
                    objectName: "attractLargeText"
                    checked: root.theme.largeText
                    glyph: "A+"
                    text: qsTr("Large text")
                    onClicked: {
                        root.theme.largeText = !root.theme.largeText
                        root.session.wake()
                    }
                }
                Switch {
                    objectName: "attractContrast"
                    checked: root.theme.highContrast
                    glyph: "◐"
                    text: qsTr("High contrast")
                    onClicked: {
                        root.theme.highContrast = !root.theme.highContrast
                        root.session.wake()
                    }
                }
                Switch {
                    objectName: "attractMoreTime"
                    checked: root.session.moreTime
                    glyph: "⧗"
                    text: qsTr("More time")
                    onClicked: {
                        root.session.moreTime = !root.session.moreTime
                        root.session.wake()
                    }
                }
                Switch {
                    objectName: "attractLowerBand"
                    visible: root.theme.beyondReach
                    checked: root.theme.lowerBand
                    glyph: "⤓"
                    text: qsTr("Within reach")
                    onClicked: {
                        root.theme.lowerBand = !root.theme.lowerBand
                        root.session.wake()
                    }
                }
            }
        }
    }
}
