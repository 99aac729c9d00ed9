pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// Portrait's filter panel: every filter group over the list, each chip with its count, and
// one button back to the list that says how many offers it now holds. The backdrop keeps
// touches from the list behind; the panel closes with its button, the ✕ or "back".
Item {
    id: root

    required property Theme theme
    required property BrowseViewModel browse
    visible: root.browse.panelOpen && root.theme.portrait

    Rectangle {
        anchors.fill: parent
        color: root.theme.palette.scrim
        opacity: 0.6
    }
    MouseArea {
        // The backdrop is not a button: it only keeps touches from the list behind.
        anchors.fill: parent
    }

    Rectangle {
        id: sheet
        objectName: "filterPanel"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Math.min(parent.height, header.height + loader.contentHeight + footer.height
                         + 4 * root.theme.margin)
        color: root.theme.palette.surface
        border.color: root.theme.palette.border
        border.width: root.theme.borderWidth

        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Filters")
        Accessible.description: root.browse.summary

        Item {
            id: header
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.theme.margin }
            height: close.height

            Text {
                anchors { left: parent.left; right: close.left; verticalCenter: parent.verticalCenter }
                horizontalAlignment: Text.AlignLeft
                text: qsTr("Filters")
                textFormat: Text.PlainText
                Accessible.ignored: true  // the panel's name
                elide: Text.ElideRight
                font.pixelSize: root.theme.fontHeadline
                font.bold: true
                color: root.theme.palette.text
            }
            KButton {
                id: close
                objectName: "filterPanelClose"
                anchors { right: parent.right; verticalCenter: parent.verticalCenter }
                theme: root.theme
                glyph: "✕"
                text: qsTr("Close")
                accessibleName: qsTr("Close the filters")
                onClicked: root.browse.closePanel()
            }
        }

        Loader {
            id: loader
            anchors {
                left: parent.left
                right: parent.right
                top: header.bottom
                bottom: footer.top
                margins: root.theme.margin
            }
            active: root.browse.panelOpen
            sourceComponent: FilterGroups {
                objectName: "filterGroups"
                theme: root.theme
                browse: root.browse
            }
            // Before it loads the panel measures nothing: the height of its first frame.
            readonly property real contentHeight: loader.item ? loader.item.contentHeight : 0
        }

        // The panel's actions stay at its foot, where the thumb is, whatever scrolls above.
        Row {
            id: footer
            anchors { right: parent.right; bottom: parent.bottom; margins: root.theme.margin }
            spacing: root.theme.gap * 2

            KButton {
                objectName: "filterPanelClear"
                theme: root.theme
                visible: root.browse.hasFilters
                text: qsTr("Remove the filters")
                onClicked: root.browse.clearFilters()
            }
            KButton {
                objectName: "filterPanelDone"
                theme: root.theme
                primary: true
                // "Show 1,234 offers": what the list behind now holds.
                text: qsTr("Show %1", "the number of offers, as in: Show 1,234 offers").arg(root.browse.summary)
                onClicked: root.browse.closePanel()
            }
        }
    }
}
