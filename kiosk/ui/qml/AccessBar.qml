pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// On every screen of a session: back and home at the start, the display switches and the
// languages in the far corner (mirrored for right-to-left languages).
Rectangle {
    id: root

    required property Theme theme
    required property LanguageController language
    required property Navigator navigator
    required property Session session

    implicitHeight: row.implicitHeight + 2 * root.theme.gap
    color: root.theme.palette.surface

    Rectangle {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: root.theme.borderWidth
        color: root.theme.palette.border
    }

    RowLayout {
        id: row
        anchors {
            left: parent.left
            right: parent.right
            verticalCenter: parent.verticalCenter
            leftMargin: root.theme.gap * 2
            rightMargin: root.theme.gap * 2
        }
        spacing: root.theme.gap

        KButton {
            objectName: "backButton"
            theme: root.theme
            visible: root.navigator.page === "detail"
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
        Item { Layout.fillWidth: true }
        KButton {
            objectName: "largeTextSwitch"
            theme: root.theme
            checkable: true
            checked: root.theme.largeText
            glyph: "A+"
            accessibleName: qsTr("Large text")
            onClicked: root.theme.largeText = !root.theme.largeText
        }
        KButton {
            objectName: "contrastSwitch"
            theme: root.theme
            checkable: true
            checked: root.theme.highContrast
            glyph: "◐"
            accessibleName: qsTr("High contrast")
            onClicked: root.theme.highContrast = !root.theme.highContrast
        }
        KButton {
            objectName: "lowerBandSwitch"
            theme: root.theme
            visible: root.theme.portrait
            checkable: true
            checked: root.theme.lowerBand
            glyph: "⤓"
            accessibleName: qsTr("Everything within reach at the bottom of the screen")
            onClicked: root.theme.lowerBand = !root.theme.lowerBand
        }
        Item { implicitWidth: root.theme.gap }
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
            accessibleName: qsTr("Finish: clear everything and leave")
            onClicked: root.session.end()
        }
    }
}
