pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Every filter group, one under the other, its chips wrapping on as many lines as they need,
// each chip with the number of offers it would give. The landscape column and the portrait
// filter panel both show this: every chip is reached by scrolling down, never sideways.
Flickable {
    id: root

    required property Theme theme
    required property BrowseViewModel browse

    function reset() { root.contentY = 0 }

    component Chip: KButton {
        required property string name
        required property string label
        required property string countText
        required property string description
        required property bool selected
        required property string spoken  // with the question it answers: "Contract: CDI"
        objectName: "chip-" + name
        theme: root.theme
        checkable: true
        checked: selected
        text: label
        detail: countText
        accessibleName: spoken
        Accessible.description: description
        onClicked: root.browse.toggleChip(name)
    }

    clip: true
    contentHeight: groups.implicitHeight
    boundsBehavior: Flickable.StopAtBounds

    Column {
        id: groups
        width: root.width
        spacing: root.theme.gap * 3
        Repeater {
            model: root.browse.filterGroups
            delegate: Column {
                id: group
                required property FilterGroupModel modelData
                width: groups.width
                spacing: root.theme.gap
                // At the start side of its group: the left, or the right in a right-to-left
                // language (anchors follow LayoutMirroring; a Column places children at x = 0).
                Text {
                    anchors.left: parent.left
                    text: group.modelData?.label ?? ""
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                    font.pixelSize: root.theme.fontSmall
                    font.bold: true
                    color: root.theme.palette.textMuted
                }
                Flow {
                    width: group.width
                    spacing: root.theme.gap
                    Repeater {
                        model: group.modelData
                        // Fifteen trades, most with no offer here: only those with offers
                        // (and the one chosen). Other groups show their zeros: "none here"
                        // is worth knowing about a contract or a distance.
                        delegate: Chip {
                            required property int count
                            visible: count > 0 || selected || group.modelData.name !== "trade"
                        }
                    }
                }
            }
        }
    }
}
