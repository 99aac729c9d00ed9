pragma ComponentBehavior: Bound
import QtQuick
import Kiosk

// The filters beside or above the list. Landscape has room for every group in a column.
// Portrait has not: a "Filters" button opens the filter panel, and the filters in use follow
// it as chips that each go away with one tap, wrapping onto a second line rather than
// scrolling sideways, so what narrows the list is always in sight.
Item {
    id: root

    required property Theme theme
    required property BrowseViewModel browse
    property bool compact: true

    signal panelRequested()

    function resetView() {
        loader.item?.reset()
    }

    implicitHeight: root.compact && loader.item ? loader.item.implicitHeight : 0

    Loader {
        id: loader
        anchors.fill: parent
        sourceComponent: root.compact ? inUse : column
    }

    Component {
        id: inUse
        Flow {
            objectName: "filtersInUse"
            function reset() {}
            spacing: root.theme.gap

            KButton {
                objectName: "filtersButton"
                theme: root.theme
                glyph: "☰"
                text: qsTr("Filters")
                detail: root.browse.activeFilters.length > 0
                        ? root.browse.activeFilters.length.toString() : ""
                accessibleName: root.browse.activeFilters.length > 0
                    ? qsTr("Filters, %n in use", "", root.browse.activeFilters.length)
                    : qsTr("Filters")
                Accessible.description: qsTr("Contract, hours, distance and more, with the number of offers of each")
                onClicked: root.panelRequested()
            }
            Repeater {
                model: root.browse.activeFilters
                delegate: KButton {
                    required property var modelData
                    objectName: "inUse-" + modelData.name
                    theme: root.theme
                    primary: true
                    text: modelData.label
                    glyph: "✕"
                    accessibleName: qsTr("Remove the filter %1").arg(modelData.label)
                    onClicked: root.browse.toggleChip(modelData.name)
                }
            }
        }
    }

    Component {
        id: column
        FilterGroups {
            objectName: "filterColumn"
            theme: root.theme
            browse: root.browse
        }
    }
}
