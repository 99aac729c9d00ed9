import QtQuick
import QtQuick.Shapes
import Kiosk

// One answer to "Did this terminal help you?": a large drawn face (smiling, straight or sad
// mouth) above its words, the whole card one button. The words say the answer; the face only
// repeats it, so nothing rests on the drawing alone.
Rectangle {
    id: root

    required property Theme theme
    property string text
    property int mood: 0  // 1 smile, 0 straight, -1 frown

    signal clicked()

    readonly property real face: Math.min(root.width - 2 * root.theme.gap, root.theme.target * 2.2)

    implicitHeight: column.implicitHeight + 4 * root.theme.gap
    radius: root.theme.radius
    color: root.theme.palette.surface
    border.color: root.theme.palette.border
    border.width: root.theme.borderWidth
    scale: tap.pressed ? 0.96 : 1.0

    Accessible.role: Accessible.Button
    Accessible.name: root.text
    Accessible.onPressAction: root.clicked()

    Column {
        id: column
        anchors.centerIn: parent
        width: parent.width - 2 * root.theme.gap
        spacing: root.theme.gap * 1.5

        Rectangle {
            id: head
            anchors.horizontalCenter: parent.horizontalCenter
            width: root.face
            height: root.face
            radius: width / 2
            color: root.theme.palette.highlight
            border.color: root.theme.palette.overlay
            border.width: Math.max(2, root.face / 24)

            Repeater {
                model: [0.34, 0.66]
                delegate: Rectangle {
                    required property real modelData
                    width: root.face * 0.11
                    height: width
                    radius: width / 2
                    x: head.width * modelData - width / 2
                    y: head.height * 0.36 - height / 2
                    color: root.theme.palette.overlay
                }
            }

            Shape {
                anchors.fill: parent
                ShapePath {
                    strokeColor: root.theme.palette.overlay
                    strokeWidth: Math.max(2, root.face / 16)
                    fillColor: "transparent"
                    capStyle: ShapePath.RoundCap
                    startX: head.width * 0.28
                    startY: head.height * (root.mood < 0 ? 0.72 : 0.64)
                    PathQuad {
                        x: head.width * 0.72
                        y: head.height * (root.mood < 0 ? 0.72 : 0.64)
                        controlX: head.width * 0.5
                        controlY: head.height * (root.mood > 0 ? 0.86 : root.mood < 0 ? 0.5 : 0.64)
                    }
                }
            }
        }

        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: root.text
            textFormat: Text.PlainText
            Accessible.ignored: true  // the button's name
            font.pixelSize: root.theme.fontTitle
            font.bold: true
            color: root.theme.palette.text
        }
    }

    TapHandler {
        id: tap
        onTapped: root.clicked()
    }
}
