pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import Kiosk

// The offers near the terminal: a search field (the embedded keyboard types into it), filter
// chips with their counts, the result count, and the cards. Portrait stacks them; landscape
// puts search and filters in a column beside the list.
Item {
    id: root

    required property Theme theme
    required property BrowseViewModel browse
    required property Navigator navigator
    required property ServicesViewModel services
    required property FirmsViewModel firms

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Job offers near here")
    Accessible.description: root.browse.summary

    function resetView() {
        search.focus = false
        list.positionViewAtBeginning()
        filters.resetView()
    }

    GridLayout {
        // Under the filter panel nothing takes a touch: a chip's tap handler does not stop
        // the tap handlers of the cards behind it, only a disabled item does.
        enabled: !(root.browse.panelOpen && root.theme.portrait)
        anchors {
            fill: parent
            leftMargin: root.theme.margin
            rightMargin: root.theme.margin
            topMargin: root.theme.gap * 2
        }
        columns: root.theme.portrait ? 1 : 2
        columnSpacing: root.theme.margin
        rowSpacing: root.theme.gap * 2

        TextField {
            id: search
            objectName: "searchField"
            Layout.row: 0
            Layout.column: 0
            Layout.fillWidth: root.theme.portrait
            Layout.preferredWidth: root.theme.portrait ? -1 : root.width * 0.38
            implicitHeight: root.theme.target + 2 * root.theme.focusWidth  // the ✕ inside
            text: root.browse.text
            onTextEdited: root.browse.text = search.text
            onAccepted: Qt.inputMethod.hide()
            placeholderText: qsTr("Job, company, town…")
            placeholderTextColor: root.theme.palette.textMuted
            color: root.theme.palette.text
            font.pixelSize: root.theme.fontTitle
            // No prediction, no history, no automatic capital: a search, not a sentence.
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase | Qt.ImhPreferLowercase
            EnterKeyAction.actionId: EnterKeyAction.Search
            // The text starts at the start of the layout whatever its script (an Arabic
            // search on a French screen too), and the ✕ sits at the end: room for it there.
            horizontalAlignment: TextInput.AlignLeft  // mirrored in a right-to-left layout
            readonly property bool endIsLeft: root.LayoutMirroring.enabled
            leftPadding: root.theme.gap * 2 + (search.endIsLeft && clear.visible ? clear.width : 0)
            rightPadding: root.theme.gap * 2 + (!search.endIsLeft && clear.visible ? clear.width : 0)
            verticalAlignment: TextInput.AlignVCenter
            Accessible.name: qsTr("Search offers")
            background: Rectangle {
                radius: root.theme.radius
                color: root.theme.palette.surface
                border.color: search.activeFocus ? root.theme.palette.focus : root.theme.palette.border
                border.width: search.activeFocus ? root.theme.focusWidth : root.theme.borderWidth
            }

            KButton {
                id: clear
                objectName: "clearSearch"
                theme: root.theme
                visible: search.text !== ""
                // Inside the field's frame, so that the focus outline stays whole.
                anchors {
                    right: parent.right
                    rightMargin: root.theme.focusWidth
                    verticalCenter: parent.verticalCenter
                }
                height: parent.height - 2 * root.theme.focusWidth
                glyph: "✕"
                accessibleName: qsTr("Clear the search")
                onClicked: root.browse.text = ""
            }
        }

        FilterBar {
            id: filters
            Layout.row: root.theme.portrait ? 1 : 3
            Layout.column: 0
            Layout.fillWidth: root.theme.portrait
            Layout.fillHeight: !root.theme.portrait
            Layout.preferredWidth: root.theme.portrait ? -1 : root.width * 0.38
            Layout.preferredHeight: root.theme.portrait ? implicitHeight : -1
            theme: root.theme
            browse: root.browse
            compact: root.theme.portrait
            onPanelRequested: root.browse.openPanel()
        }

        RowLayout {
            Layout.row: root.theme.portrait ? 2 : 1
            Layout.column: 0
            Layout.fillWidth: root.theme.portrait
            Layout.preferredWidth: root.theme.portrait ? -1 : root.width * 0.38
            spacing: root.theme.gap * 2

            Text {
                objectName: "resultSummary"
                Layout.fillWidth: true
                text: root.browse.summary
                textFormat: Text.PlainText
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                elide: Text.ElideRight
                font.pixelSize: root.theme.fontTitle
                font.bold: true
                color: root.theme.palette.text
            }
            KButton {
                objectName: "clearFilters"
                theme: root.theme
                visible: root.browse.hasFilters
                glyph: "✕"
                text: qsTr("Filters")
                accessibleName: qsTr("Remove every filter")
                onClicked: root.browse.clearFilters()
            }
            // The services corner (training, CV, digital help), when the terminal has one.
            KButton {
                objectName: "browseServices"
                theme: root.theme
                visible: root.services.available
                glyph: root.LayoutMirroring.enabled ? "←" : "→"
                text: qsTr("Services")
                accessibleName: qsTr("Services: training, CV, help with digital")
                onClicked: root.navigator.openServices()
            }
        }

        // The hidden market: for a chosen trade or a search, the firms near here that often
        // hire for it (kiosk/ui/firms.py), when there are some.
        FirmsButton {
            objectName: "browseFirms"
            Layout.row: root.theme.portrait ? 3 : 2
            Layout.column: 0
            Layout.fillWidth: root.theme.portrait
            Layout.preferredWidth: root.theme.portrait ? -1 : root.width * 0.38
            visible: root.firms.browseCount > 0 && (root.browse.trade !== "" || root.browse.text !== "")
            theme: root.theme
            count: root.firms.browseCount
            onClicked: root.navigator.openFirms("browse")
        }

        Item {
            Layout.row: root.theme.portrait ? 4 : 0
            Layout.column: root.theme.portrait ? 0 : 1
            Layout.rowSpan: root.theme.portrait ? 1 : 4
            Layout.fillWidth: true
            Layout.fillHeight: true

            ListView {
                id: list
                objectName: "offerList"
                anchors.fill: parent
                clip: true
                model: root.browse.results
                spacing: root.theme.gap * 2
                // Cards are recycled as they scroll out (cheap to rebind), and none is made
                // ahead of time: asynchronous creation in a cache buffer races with the reset
                // of a new search ("DelegateModel::cancel: index out range"). The model asks
                // for the next page itself before the list reaches its end.
                cacheBuffer: 0
                reuseItems: true
                bottomMargin: root.theme.gap * 2
                onMovementStarted: search.focus = false
                // The header (trade tiles) grows above the first card when its tiles arrive:
                // a list at its start stays at its start, so the tiles show; a list scrolled
                // down stays where it is.
                property real lastOriginY: 0
                onOriginYChanged: {
                    if (list.contentY <= list.lastOriginY + 1)
                        list.contentY = list.originY
                    list.lastOriginY = list.originY
                }
                // Browsing by trade without typing: the trade tiles head the list until a
                // trade is chosen or a word typed (the chosen trade is then among the filters).
                header: TradeTiles {
                    objectName: "tradeTiles"
                    width: list.width
                    height: visible ? implicitHeight + root.theme.gap * 2 : 0
                    visible: root.browse.trade === "" && root.browse.text === "" && count > 0
                    theme: root.theme
                    model: root.browse.tradeTiles
                    onChosen: (code) => root.browse.chooseTrade(code)
                }
                delegate: OfferCard {
                    width: list.width
                    theme: root.theme
                    onOpened: (offerId) => root.navigator.openOffer(offerId)
                }
                ScrollIndicator.vertical: ScrollIndicator {}
            }

            Column {
                objectName: "emptyState"
                visible: root.browse.empty
                anchors { left: parent.left; right: parent.right; top: parent.top; topMargin: root.theme.margin }
                spacing: root.theme.margin

                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: qsTr("No offer matches your search")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                    font.pixelSize: root.theme.fontHeadline
                    font.bold: true
                    color: root.theme.palette.text
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    visible: text !== ""
                    text: root.browse.emptyHint
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    font.pixelSize: root.theme.fontBody
                    color: root.theme.palette.text
                }
                Row {
                    anchors.horizontalCenter: parent.horizontalCenter
                    spacing: root.theme.gap * 2
                    KButton {
                        theme: root.theme
                        visible: root.browse.hasFilters
                        text: qsTr("Remove the filters")
                        onClicked: root.browse.clearFilters()
                    }
                    KButton {
                        theme: root.theme
                        visible: root.browse.text !== ""
                        text: qsTr("Clear the search")
                        onClicked: root.browse.text = ""
                    }
                }
            }

            Column {
                objectName: "failedState"
                visible: root.browse.failed
                anchors { left: parent.left; right: parent.right; top: parent.top; topMargin: root.theme.margin }
                spacing: root.theme.margin

                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: qsTr("The offers cannot be shown right now.")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                    font.pixelSize: root.theme.fontHeadline
                    font.bold: true
                    color: root.theme.palette.text
                }
                KButton {
                    anchors.horizontalCenter: parent.horizontalCenter
                    theme: root.theme
                    primary: true
                    text: qsTr("Try again")
                    onClicked: root.browse.retry()
                }
            }
        }
    }

    // Portrait's filters, over the list (landscape shows them all in its column).
    FilterPanel {
        anchors.fill: parent
        z: 10
        theme: root.theme
        browse: root.browse
    }
}
