pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// The filter chips by group, each with the number of offers it would give. In portrait one
// line of groups that scrolls sideways (a ListView, so a right-to-left language starts at the
// right); in landscape a column of groups whose chips wrap.
Item {
    id: root

    required property Theme theme
    required property BrowseViewModel browse
    property bool horizontal: true

    function resetView() {
        loader.item?.reset()
    }

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

    // At the start side of its group: the left, or the right in a right-to-left language
    // (anchors follow LayoutMirroring; a Column places its children at x = 0 otherwise).
    component GroupTitle: Text {
        textFormat: Text.PlainText
        Accessible.role: Accessible.Heading
        Accessible.name: text
        horizontalAlignment: Text.AlignLeft
        font.pixelSize: root.theme.fontSmall
        font.bold: true
        color: root.theme.palette.textMuted
    }

    implicitHeight: root.horizontal && loader.item ? loader.item.implicitHeight : 0

    Loader {
        id: loader
        anchors.fill: parent
        sourceComponent: root.horizontal ? strip : column
    }

    Component {
        id: strip
        ListView {
            id: stripView
            objectName: "filterStrip"
            function reset() { stripView.positionViewAtBeginning() }
            orientation: ListView.Horizontal
            implicitHeight: root.theme.fontSmall * 1.5 + root.theme.gap + root.theme.target
            clip: true
            spacing: root.theme.margin
            boundsBehavior: Flickable.StopAtBounds
            model: root.browse.filterGroups
            delegate: Column {
                id: group
                required property FilterGroupModel modelData
                spacing: root.theme.gap
                // A delegate of a list is a node of its own (the guide reads lists by them).
                Accessible.role: Accessible.Grouping
                Accessible.name: group.modelData?.label ?? ""
                GroupTitle { anchors.left: parent.left; text: group.modelData?.label ?? "" }
                Row {
                    spacing: root.theme.gap
                    Repeater {
                        model: group.modelData
                        delegate: Chip {}
                    }
                }
            }
        }
    }

    Component {
        id: column
        Flickable {
            id: flick
            objectName: "filterColumn"
            function reset() { flick.contentY = 0 }
            clip: true
            contentHeight: groups.implicitHeight
            boundsBehavior: Flickable.StopAtBounds

            Column {
                id: groups
                width: flick.width
                spacing: root.theme.gap * 3
                Repeater {
                    model: root.browse.filterGroups
                    delegate: Column {
                        id: group
                        required property FilterGroupModel modelData
                        width: groups.width
                        spacing: root.theme.gap
                        GroupTitle { anchors.left: parent.left; text: group.modelData?.label ?? "" }
                        Flow {
                            width: group.width
                            spacing: root.theme.gap
                            Repeater {
                                model: group.modelData
                                delegate: Chip {}
                            }
                        }
                    }
                }
            }
        }
    }
}
