import QtQuick
import Kiosk

// "Are you still there?": the whole screen, a countdown in figures and as a shrinking bar,
// and a chime (played by the session). Any tap on it extends the session; the press is taken
// here so that tap never reaches the screen behind.
Rectangle {
    id: root

    required property Theme theme
    required property IdleMonitor monitor
    required property Session session

    color: root.theme.palette.overlay

    Accessible.role: Accessible.Dialog
    Accessible.name: qsTr("Are you still there?")
    Accessible.description: qsTr("Everything will be cleared in %1. Press Enter or touch the screen to continue.").arg(countdown.text)

    MouseArea {
        objectName: "idleTapArea"
        anchors.fill: parent
        preventStealing: true
        onReleased: root.session.extend()
    }

    Column {
        anchors.centerIn: parent
        width: parent.width - 4 * root.theme.margin
        spacing: root.theme.margin * 1.5

        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Are you still there?")
            textFormat: Text.PlainText
            Accessible.ignored: true  // the dialog's name
            font.pixelSize: root.theme.fontDisplay
            font.bold: true
            color: root.theme.palette.overlayText
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("To protect your privacy, everything will be cleared in")
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontTitle
            color: root.theme.palette.overlayText
        }
        Text {
            id: countdown
            objectName: "idleCountdown"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("%n second(s)", "", root.monitor.secondsLeft)
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontDisplay * 1.6
            font.bold: true
            color: root.theme.palette.highlight
        }
        Rectangle {
            // The time left as a bar that shrinks: the same fact, a second way.
            width: parent.width
            height: root.theme.gap * 2
            radius: height / 2
            color: "transparent"
            border.color: root.theme.palette.overlayText
            border.width: root.theme.borderWidth
            Rectangle {
                anchors { left: parent.left; top: parent.top; bottom: parent.bottom }
                width: parent.width * root.monitor.secondsLeft / Math.max(1, root.monitor.countdownTotal)
                radius: parent.radius
                color: root.theme.palette.highlight
            }
        }
        KButton {
            objectName: "idleContinue"
            anchors.horizontalCenter: parent.horizontalCenter
            theme: root.theme
            primary: true
            accentColor: root.theme.palette.highlight
            accentText: root.theme.palette.overlay
            glyph: "✓"
            text: qsTr("I'm still here")
            onClicked: root.session.extend()
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Touch anywhere on the screen to continue.")
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.overlayText
        }
    }
}
