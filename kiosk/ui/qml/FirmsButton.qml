import QtQuick
import Kiosk

// The way from offers to the firms near here that often hire: a full-width button whose long
// label wraps (KButton keeps its label on one line), with the number of firms after it.
Rectangle {
    id: root

    required property Theme theme
    required property int count

    signal clicked()

    implicitHeight: Math.max(root.theme.target, label.implicitHeight + 2 * root.theme.gap * 2)
    radius: root.theme.radius
    color: tap.pressed ? Qt.darker(root.theme.palette.surface, 1.08) : root.theme.palette.surface
    border.color: root.theme.palette.accent
    border.width: root.theme.borderWidth * 2
    scale: tap.pressed ? 0.98 : 1.0

    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Firms near here that often hire")
    Accessible.description: qsTr("%n firm(s) that may hire you without a published offer.", "", root.count)
    Accessible.onPressAction: root.clicked()

    Text {
        id: label
        anchors {
            left: parent.left
            right: number.left
            leftMargin: root.theme.gap * 2
            rightMargin: root.theme.gap * 2
            verticalCenter: parent.verticalCenter
        }
        text: qsTr("Firms near here that often hire")
        textFormat: Text.PlainText
        horizontalAlignment: Text.AlignLeft
        wrapMode: Text.Wrap
        font.pixelSize: root.theme.fontBody
        font.bold: true
        color: root.theme.palette.text
        Accessible.ignored: true  // the button speaks for it
    }
    Text {
        id: number
        anchors {
            right: chevron.left
            rightMargin: root.theme.gap
            verticalCenter: parent.verticalCenter
        }
        text: root.count
        textFormat: Text.PlainText
        font.pixelSize: root.theme.fontBody
        font.bold: true
        color: root.theme.palette.textMuted
        Accessible.ignored: true
    }
    Text {
        id: chevron
        anchors {
            right: parent.right
            rightMargin: root.theme.gap * 2
            verticalCenter: parent.verticalCenter
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
        onTapped: root.clicked()
    }
}
