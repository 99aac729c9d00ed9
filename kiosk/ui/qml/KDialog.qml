import QtQuick
import Kiosk

// A modal panel over the screen: a dimmed backdrop that takes every touch, a title, a text,
// optional content and a close button. Closing is always one tap away.
Item {
    id: root

    required property Theme theme
    property string title
    property string message
    property string closeText: qsTr("Close")
    default property alias content: extra.data

    signal closed()

    Rectangle {
        anchors.fill: parent
        color: root.theme.palette.scrim
        opacity: 0.6
    }
    MouseArea {
        // The backdrop is not a button: it only keeps touches from what is behind.
        anchors.fill: parent
    }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * root.theme.margin, root.theme.pxPerMm * 260)
        height: column.implicitHeight + 2 * root.theme.margin
        radius: root.theme.radius
        color: root.theme.palette.surface
        border.color: root.theme.palette.border
        border.width: root.theme.borderWidth

        Accessible.role: Accessible.Dialog
        Accessible.name: root.title
        Accessible.description: root.message

        Column {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.theme.margin }
            spacing: root.theme.margin

            Text {
                width: parent.width
                wrapMode: Text.WordWrap
                text: root.title
                textFormat: Text.PlainText
                Accessible.ignored: true  // the dialog's name
                font.pixelSize: root.theme.fontHeadline
                font.bold: true
                color: root.theme.palette.text
            }
            Text {
                width: parent.width
                wrapMode: Text.WordWrap
                visible: root.message !== ""
                text: root.message
                textFormat: Text.PlainText
                Accessible.ignored: true  // the dialog's description
                font.pixelSize: root.theme.fontBody
                color: root.theme.palette.text
            }
            Column {
                id: extra
                width: parent.width
                spacing: root.theme.gap
            }
            KButton {
                objectName: "dialogClose"
                anchors.horizontalCenter: parent.horizontalCenter
                theme: root.theme
                primary: true
                text: root.closeText
                onClicked: root.closed()
            }
        }
    }
}
