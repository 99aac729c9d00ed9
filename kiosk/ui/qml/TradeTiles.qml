pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// The trades near here as large tiles: a pictogram, the trade's name and how many offers it
// has (the count of the list a tap opens). Rows of equal tiles, as many across as fit at
// `minTileMm`; they wrap downwards, never sideways. The pictograms are drawn in `ink` by the
// "trade" image provider, so one SVG serves every palette.
Item {
    id: root

    required property Theme theme
    required property TradeTileModel model
    property string namePrefix: "tradeTile"
    property int maxTiles: 100  // the first ones only (the model has the largest first)
    property real minTileMm: 80
    property int nameSize: root.theme.fontBody
    property int countSize: root.theme.fontSmall
    property int nameLines: 2  // every tile has room for this many lines of its name
    property real iconMm: 12
    property color face: root.theme.palette.surface
    property color ink: root.theme.palette.text
    property color inkMuted: root.theme.palette.textMuted
    property color frame: root.theme.palette.border
    property color chosenFace: root.theme.palette.accent
    property color chosenInk: root.theme.palette.accentText

    signal chosen(string code)

    readonly property int count: Math.min(tiles.count, root.maxTiles)
    readonly property int columns: Math.max(1, Math.floor((root.width + root.theme.gap)
                                                          / (Math.ceil(root.theme.pxPerMm * root.minTileMm) + root.theme.gap)))
    readonly property real tileWidth: (root.width - (root.columns - 1) * root.theme.gap) / root.columns

    implicitHeight: grid.implicitHeight

    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Offers by trade")

    Grid {
        id: grid
        width: root.width
        columns: root.columns
        spacing: root.theme.gap

        Repeater {
            id: tiles
            model: root.model
            delegate: Rectangle {
                id: tile
                required property int index
                required property string code
                required property string name
                required property string countText
                required property string spoken
                required property bool selected

                readonly property color textColour: tile.selected ? root.chosenInk : root.ink

                objectName: root.namePrefix + "-" + tile.code
                visible: tile.index < root.maxTiles
                width: root.tileWidth
                // Every tile as high as `nameLines` lines of name and the count: rows stay even.
                height: Math.max(root.theme.target,
                                 Math.ceil(root.nameLines * 1.36 * root.nameSize
                                           + 1.4 * root.countSize + 2 * root.theme.gap))
                radius: root.theme.radius
                color: tile.selected ? root.chosenFace : root.face
                border.color: tile.selected ? root.chosenFace : root.frame
                border.width: tile.selected ? root.theme.borderWidth * 2 : root.theme.borderWidth
                scale: tap.pressed ? 0.97 : 1.0

                Accessible.role: Accessible.Button
                Accessible.name: tile.spoken
                Accessible.onPressAction: root.chosen(tile.code)

                Row {
                    id: content
                    anchors {
                        left: parent.left
                        right: parent.right
                        verticalCenter: parent.verticalCenter
                        leftMargin: root.theme.gap * 1.5
                        rightMargin: root.theme.gap * 1.5
                    }
                    spacing: root.theme.gap * 1.5

                    Image {
                        id: icon
                        anchors.verticalCenter: parent.verticalCenter
                        width: Math.ceil(root.theme.pxPerMm * root.iconMm)
                        height: width
                        sourceSize: Qt.size(width, height)
                        source: "image://trade/" + tile.code + "/" + tile.textColour.toString().substring(1)
                        Accessible.ignored: true
                    }
                    Column {
                        anchors.verticalCenter: parent.verticalCenter
                        width: content.width - icon.width - content.spacing
                        Text {
                            width: parent.width
                            text: tile.name
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            wrapMode: Text.WordWrap
                            maximumLineCount: root.nameLines
                            elide: Text.ElideRight
                            font.pixelSize: root.nameSize
                            font.bold: true
                            color: tile.textColour
                            Accessible.ignored: true
                        }
                        Text {
                            width: parent.width
                            text: tile.countText
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            elide: Text.ElideRight
                            font.pixelSize: root.countSize
                            color: tile.selected ? root.chosenInk : root.inkMuted
                            Accessible.ignored: true
                        }
                    }
                }

                TapHandler {
                    id: tap
                    onTapped: root.chosen(tile.code)
                }
            }
        }
    }
}
