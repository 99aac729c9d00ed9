import QtQuick
import Kiosk

// One offer in the list. Every text comes ready from the model, in the current language.
Rectangle {
    id: card

    required property Theme theme
    required property int index
    required property int offerId
    required property string title
    required property string company
    required property bool companyKnown
    required property string location
    required property string contract
    required property string workingTime
    required property string posted
    required property bool accessible
    required property string spoken

    signal opened(int offerId)

    objectName: "offerCard-" + card.index
    implicitHeight: column.implicitHeight + 2 * card.theme.margin / 2 + card.theme.gap
    color: tap.pressed ? Qt.darker(card.theme.palette.surface, 1.08) : card.theme.palette.surface
    radius: card.theme.radius
    border.color: card.theme.palette.border
    border.width: card.theme.borderWidth

    Accessible.role: Accessible.Button
    Accessible.name: card.spoken
    Accessible.onPressAction: card.opened(card.offerId)

    // A fact of the offer in a frame; `framed: false` for the date, which is quieter.
    component Tag: Rectangle {
        id: tag
        required property string label
        property bool framed: true
        visible: tag.label !== ""
        implicitWidth: tagText.implicitWidth + (tag.framed ? 2 * card.theme.gap : 0)
        implicitHeight: tagText.implicitHeight + card.theme.gap
        radius: card.theme.radius
        color: "transparent"
        border.color: tag.framed ? card.theme.palette.border : "transparent"
        border.width: card.theme.borderWidth
        Text {
            id: tagText
            anchors.centerIn: parent
            text: tag.label
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            font.pixelSize: card.theme.fontSmall
            font.bold: tag.framed
            color: tag.framed ? card.theme.palette.text : card.theme.palette.textMuted
        }
    }

    Column {
        id: column
        anchors {
            left: parent.left
            right: parent.right
            top: parent.top
            margins: card.theme.margin / 2
        }
        spacing: card.theme.gap

        Text {
            width: parent.width
            text: card.title
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            font.pixelSize: card.theme.fontTitle
            font.bold: true
            color: card.theme.palette.text
        }
        Text {
            width: parent.width
            text: card.company
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            elide: Text.ElideRight
            font.pixelSize: card.theme.fontBody
            font.italic: !card.companyKnown
            color: card.theme.palette.textMuted
        }
        Text {
            width: parent.width
            text: card.location
            textFormat: Text.PlainText
            horizontalAlignment: Text.AlignLeft
            elide: Text.ElideRight
            font.pixelSize: card.theme.fontBody
            color: card.theme.palette.text
        }
        Flow {
            width: parent.width
            spacing: card.theme.gap
            Tag { label: card.contract }
            Tag { label: card.workingTime }
            Tag { label: card.accessible ? qsTr("Open to disabled workers") : "" }
            Tag { label: card.posted; framed: false }
        }
    }

    TapHandler {
        id: tap
        onTapped: card.opened(card.offerId)
    }
}
