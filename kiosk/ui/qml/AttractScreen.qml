pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Nobody is using the terminal. The first touch anywhere only wakes it: the press is taken
// here and the session starts on release, so nothing behind this screen is ever pressed.
// Its own buttons (language, large text, contrast, more time, within reach) apply their choice
// and wake it too.
Rectangle {
    id: root

    required property Theme theme
    required property LanguageController language
    required property Session session
    required property AttractViewModel attract
    required property SyncViewModel sync
    required property Guide guide

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

    Column {
        anchors.centerIn: parent
        width: parent.width - 4 * root.theme.margin
        spacing: root.theme.margin

        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
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
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: root.attract.nearby
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontTitle
            color: root.theme.palette.attractText
        }

        Text {
            objectName: "attractOffline"
            width: parent.width
            visible: root.sync.offline
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: root.sync.banner
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.attractText
        }

        // The invitation, with a slow pulse (well under three flashes a second).
        Item {
            width: parent.width
            height: pulse.height + root.theme.margin

            Rectangle {
                id: pulse
                anchors.centerIn: parent
                width: touchText.implicitWidth + 4 * root.theme.margin
                height: touchText.implicitHeight + 2 * root.theme.margin
                radius: height / 2
                color: "transparent"
                border.color: root.theme.palette.attractText
                border.width: root.theme.borderWidth * 2

                SequentialAnimation on scale {
                    loops: Animation.Infinite
                    running: root.visible
                    NumberAnimation { from: 1.0; to: 1.06; duration: 1200; easing.type: Easing.InOutQuad }
                    NumberAnimation { from: 1.06; to: 1.0; duration: 1200; easing.type: Easing.InOutQuad }
                }

                Text {
                    id: touchText
                    anchors.centerIn: parent
                    text: qsTr("Touch the screen to start")
                    textFormat: Text.PlainText
                    font.pixelSize: root.theme.fontHeadline
                    font.bold: true
                    color: root.theme.palette.attractText
                }
            }
        }

        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Choose your language")
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.attractText
        }

        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: root.theme.gap * 2

            Repeater {
                model: root.language.choices
                delegate: KButton {
                    required property var modelData
                    objectName: "attractLang-" + modelData.code
                    theme: root.theme
                    accentColor: root.theme.palette.highlight
                    accentText: root.theme.palette.attract
                    checkable: true
                    checked: root.language.language === modelData.code
                    text: modelData.name
                    onClicked: {
                        root.language.setLanguage(modelData.code)
                        root.session.wake()
                    }
                }
            }
        }

        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: root.theme.gap * 2

            KButton {
                objectName: "attractLargeText"
                theme: root.theme
                accentColor: root.theme.palette.highlight
                accentText: root.theme.palette.attract
                checkable: true
                checked: root.theme.largeText
                glyph: "A+"
                text: qsTr("Large text")
                onClicked: {
                    root.theme.largeText = !root.theme.largeText
                    root.session.wake()
                }
            }
            KButton {
                objectName: "attractContrast"
                theme: root.theme
                accentColor: root.theme.palette.highlight
                accentText: root.theme.palette.attract
                checkable: true
                checked: root.theme.highContrast
                glyph: "◐"
                text: qsTr("High contrast")
                onClicked: {
                    root.theme.highContrast = !root.theme.highContrast
                    root.session.wake()
                }
            }
        }

        // A line of its own: with the two above, four labelled switches would not fit across
        // a portrait screen.
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: root.theme.gap * 2

            KButton {
                objectName: "attractMoreTime"
                theme: root.theme
                accentColor: root.theme.palette.highlight
                accentText: root.theme.palette.attract
                checkable: true
                checked: root.session.moreTime
                glyph: "⧗"
                text: qsTr("More time")
                onClicked: {
                    root.session.moreTime = !root.session.moreTime
                    root.session.wake()
                }
            }
            KButton {
                objectName: "attractLowerBand"
                theme: root.theme
                visible: root.theme.beyondReach
                accentColor: root.theme.palette.highlight
                accentText: root.theme.palette.attract
                checkable: true
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
