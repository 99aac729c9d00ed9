import QtQuick
import Kiosk

// A QR code on its white quiet zone, drawn pixel-exact by the "qr" image provider, with what
// it is for written under it.
Column {
    id: root

    required property Theme theme
    required property string source
    property string caption
    property int size: root.theme.qrSize

    spacing: root.theme.gap
    width: Math.round(root.size * 1.5)

    Image {
        id: image
        objectName: root.objectName + "Image"
        anchors.horizontalCenter: parent.horizontalCenter
        width: root.size
        height: root.size
        source: root.source
        sourceSize: Qt.size(root.size, root.size)
        fillMode: Image.PreserveAspectFit
        smooth: false
        cache: false
        Accessible.role: Accessible.Graphic
        Accessible.name: qsTr("QR code")
    }
    Text {
        id: captionText
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        visible: root.caption !== ""
        text: root.caption
        textFormat: Text.PlainText
        Accessible.role: Accessible.StaticText
        Accessible.name: root.caption
        font.pixelSize: root.theme.fontSmall
        color: root.theme.palette.text
    }
}
