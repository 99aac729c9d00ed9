pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Under the access bar while the hub cannot be reached: how old the offers are, and that an
// application still goes. No height at all when the terminal is online.
Rectangle {
    id: root

    required property Theme theme
    required property SyncViewModel sync

    objectName: "offlineBanner"
    visible: root.sync.offline
    height: visible ? message.implicitHeight + 2 * root.theme.gap : 0
    color: root.theme.palette.overlay

    Accessible.role: Accessible.StaticText
    Accessible.name: message.text

    Text {
        id: message
        objectName: "offlineText"
        anchors {
            left: parent.left
            right: parent.right
            verticalCenter: parent.verticalCenter
            leftMargin: root.theme.margin
            rightMargin: root.theme.margin
        }
        text: root.sync.banner
        textFormat: Text.PlainText
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignLeft
        font.pixelSize: root.theme.fontBody
        color: root.theme.palette.overlayText
    }

    Rectangle {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: root.theme.borderWidth
        color: root.theme.palette.border
    }
}
