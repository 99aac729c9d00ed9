import QtQuick
import Kiosk

// A touch button at least 20 mm both ways. A checked button is filled, framed thicker and
// shows a check mark: its state never rests on colour alone.
Rectangle {
    id: root

    required property Theme theme
    property string text
    property string glyph
    property string detail  // secondary text after the label (a chip's count)
    property bool primary: false
    property bool checkable: false
    property bool checked: false
    property string accessibleName: text
    property color background: root.theme.palette.surface
    property color foreground: root.theme.palette.text
    property color accentColor: root.theme.palette.accent  // fill of a primary or checked button
    property color accentText: root.theme.palette.accentText
    readonly property bool filled: root.primary || root.checked
    readonly property int padding: root.theme.gap * 2

    signal clicked()

    implicitHeight: Math.max(root.theme.target, content.implicitHeight + root.padding)
    implicitWidth: Math.max(root.theme.target, content.implicitWidth + 2 * root.padding)
    radius: root.theme.radius
    color: root.filled ? root.accentColor : root.background
    border.color: root.filled ? root.accentColor : root.theme.palette.border
    border.width: root.checked ? root.theme.borderWidth * 2 : root.theme.borderWidth
    scale: tap.pressed ? 0.96 : 1.0

    Accessible.role: root.checkable ? Accessible.CheckBox : Accessible.Button
    Accessible.name: root.accessibleName
    Accessible.checkable: root.checkable
    Accessible.checked: root.checked
    Accessible.onPressAction: root.clicked()
    Accessible.onToggleAction: root.clicked()

    Row {
        id: content
        anchors.centerIn: parent
        spacing: root.theme.gap

        // The check mark of a chosen switch or chip (it grows by the mark, as filter chips do).
        Text {
            visible: root.checkable && root.checked
            text: "✓"
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.accentText
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            visible: root.glyph !== ""
            text: root.glyph
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontTitle
            color: root.filled ? root.accentText : root.foreground
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            visible: root.text !== ""
            text: root.text
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.filled ? root.accentText : root.foreground
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            visible: root.detail !== ""
            text: root.detail
            textFormat: Text.PlainText
            font.pixelSize: root.theme.fontSmall
            color: root.filled ? root.accentText : root.theme.palette.textMuted
            anchors.verticalCenter: parent.verticalCenter
        }
    }

    TapHandler {
        id: tap
        onTapped: root.clicked()
    }
}
