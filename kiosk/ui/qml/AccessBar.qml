pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// On every screen of a session: back and home at the start, the languages and "finish" in the
// far corner (mirrored for right-to-left languages), and the display and time switches, each
// with its word, between them when the line has room, else on a second line of their own
// (portrait), which wraps again if large text needs it.
Rectangle {
    id: root

    required property Theme theme
    required property LanguageController language
    required property Navigator navigator
    required property Session session

    // Whether the switches fit between the two ends of the first line.
    readonly property bool oneLine: startRow.implicitWidth + switches.naturalWidth
        + endRow.implicitWidth + 4 * root.theme.gap <= root.width - 4 * root.theme.gap

    readonly property int lineHeight: Math.max(startRow.implicitHeight, endRow.implicitHeight)

    implicitHeight: root.lineHeight + 2 * root.theme.gap
                    + (root.oneLine ? 0 : root.theme.gap + switches.height)
    color: root.theme.palette.surface

    Rectangle {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: root.theme.borderWidth
        color: root.theme.palette.border
    }

    Row {
        id: startRow
        anchors {
            left: parent.left
            top: parent.top
            leftMargin: root.theme.gap * 2
            topMargin: root.theme.gap
        }
        spacing: root.theme.gap

        KButton {
            objectName: "backButton"
            theme: root.theme
            visible: root.navigator.page === "detail" || root.navigator.page === "services"
                || root.navigator.page === "firms"
            // The arrow points where "back" is: left, or right in a right-to-left language.
            glyph: root.language.rightToLeft ? "→" : "←"
            text: qsTr("Back")
            onClicked: root.navigator.back()
        }
        KButton {
            objectName: "homeButton"
            theme: root.theme
            glyph: "⌂"
            text: qsTr("Home")
            accessibleName: qsTr("Home: all offers, no search")
            onClicked: root.navigator.home()
        }
    }

    Flow {
        id: switches
        // The width the switches take on one line.
        readonly property int naturalWidth: {
            let sum = 0
            let count = 0
            for (const button of [largeTextSwitch, contrastSwitch, moreTimeSwitch, lowerBandSwitch]) {
                if (button.visible) {
                    sum += button.implicitWidth
                    count += 1
                }
            }
            return sum + Math.max(0, count - 1) * switches.spacing
        }
        // Fixed anchors (mirrored with the layout): before the languages on one line, else
        // across the whole bar on the second line.
        anchors {
            right: endRow.left
            top: parent.top
            rightMargin: root.oneLine ? root.theme.gap * 2 : -endRow.width
            topMargin: root.oneLine ? root.theme.gap : root.lineHeight + 2 * root.theme.gap
        }
        width: root.oneLine ? switches.naturalWidth + 1 : root.width - 4 * root.theme.gap
        spacing: root.theme.gap

        KButton {
            id: largeTextSwitch
            objectName: "largeTextSwitch"
            theme: root.theme
            checkable: true
            checked: root.theme.largeText
            glyph: "A+"
            text: qsTr("Large text")
            accessibleName: qsTr("Large text")
            onClicked: root.theme.largeText = !root.theme.largeText
        }
        KButton {
            id: contrastSwitch
            objectName: "contrastSwitch"
            theme: root.theme
            checkable: true
            checked: root.theme.highContrast
            glyph: "◐"
            text: qsTr("High contrast")
            accessibleName: qsTr("High contrast")
            onClicked: root.theme.highContrast = !root.theme.highContrast
        }
        KButton {
            id: moreTimeSwitch
            objectName: "moreTimeSwitch"
            theme: root.theme
            checkable: true
            checked: root.session.moreTime
            glyph: "⧗"
            text: qsTr("More time")
            onClicked: root.session.moreTime = !root.session.moreTime
        }
        KButton {
            id: lowerBandSwitch
            objectName: "lowerBandSwitch"
            theme: root.theme
            // Only where the screen reaches above the 1,220 mm limit (computed from the panel).
            visible: root.theme.beyondReach
            checkable: true
            checked: root.theme.lowerBand
            glyph: "⤓"
            text: qsTr("Within reach")
            accessibleName: qsTr("Everything within reach at the bottom of the screen")
            onClicked: root.theme.lowerBand = !root.theme.lowerBand
        }
    }

    Row {
        id: endRow
        anchors {
            right: parent.right
            top: parent.top
            rightMargin: root.theme.gap * 2
            topMargin: root.theme.gap
        }
        spacing: root.theme.gap

        Repeater {
            model: root.language.choices
            delegate: KButton {
                required property var modelData
                objectName: "lang-" + modelData.code
                theme: root.theme
                checkable: true
                checked: root.language.language === modelData.code
                text: modelData.short
                accessibleName: modelData.name
                onClicked: root.language.setLanguage(modelData.code)
            }
        }
        KButton {
            objectName: "finishButton"
            theme: root.theme
            glyph: "✕"
            text: qsTr("Leave")
            accessibleName: qsTr("Finish: clear everything and leave")
            // Asks first when something typed would be lost.
            onClicked: root.session.leave()
        }
    }
}
