import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

// The kiosk's style of the Qt Virtual Keyboard (VirtualKeyboardSettings.styleName "kiosk",
// found through the import path kiosk/ui/qml/keyboard). Its colours and sizes come from the
// kiosk's Theme, which Main.qml hands to the InputPanel (`theme`): switching high contrast or
// large text restyles the keyboard at once. Keys are named for assistive technology.
KeyboardStyle {
    id: currentStyle

    // The InputPanel holding this keyboard (`keyboard` is the Keyboard item of Qt's
    // Keyboard.qml, the context this style is loaded in; the built-in styles use it too).
    readonly property QtObject theme: keyboard.parent && keyboard.parent.theme
                                      ? keyboard.parent.theme : null
    readonly property QtObject colours: currentStyle.theme ? currentStyle.theme.palette : null
    readonly property bool largeText: currentStyle.theme ? currentStyle.theme.largeText : false
    readonly property real ppm: currentStyle.theme ? currentStyle.theme.pxPerMm : 3.2

    // Colours (the fallbacks are the normal palette's).
    readonly property color trayColor: currentStyle.colours ? currentStyle.colours.keyboard : "#3b4048"
    readonly property color faceColor: currentStyle.colours ? currentStyle.colours.keyFace : "#ffffff"
    readonly property color labelColor: currentStyle.colours ? currentStyle.colours.keyText : "#1a1c20"
    readonly property color activeColor: currentStyle.colours ? currentStyle.colours.keyActive : "#ffd166"
    readonly property color popupColor: currentStyle.colours ? currentStyle.colours.surface : "#ffffff"
    readonly property color popupTextColor: currentStyle.colours ? currentStyle.colours.text : "#1a1c20"
    readonly property color popupBorderColor: currentStyle.colours ? currentStyle.colours.border : "#6b7078"
    readonly property color focusColor: currentStyle.colours ? currentStyle.colours.focus : "#c2410c"

    // Sizes in pixels from millimetres of the panel. Letters use the headline size: its capital
    // H spans 0.7° at the viewing distance in large-text mode (Theme.font_px).
    readonly property int letterPx: currentStyle.theme ? currentStyle.theme.fontHeadline : 36
    readonly property int wordPx: currentStyle.theme ? currentStyle.theme.fontTitle : 25
    readonly property int smallPx: Math.min(currentStyle.theme ? currentStyle.theme.fontSmall : 15,
                                            Math.round(currentStyle.letterPx * 0.45))
    readonly property int keyMargin: Math.max(2, Math.round(0.9 * currentStyle.ppm))
    readonly property int keyRadius: Math.round(1.5 * currentStyle.ppm)
    // Rows of keys at least this tall, whatever the panel (four rows in every layout).
    readonly property real rowMm: currentStyle.largeText ? 28 : 24

    keyboardDesignWidth: 2560
    // Taller in large text; never rows under rowMm on a small or dense panel.
    keyboardDesignHeight: {
        const base = currentStyle.largeText ? 920 : 800
        const rowsPx = 4 * currentStyle.rowMm * currentStyle.ppm
        return Math.max(base, rowsPx * keyboardDesignWidth / Math.max(1, keyboard.width))
    }
    keyboardRelativeLeftMargin: 6 / keyboardDesignWidth
    keyboardRelativeRightMargin: 6 / keyboardDesignWidth
    keyboardRelativeTopMargin: 6 / keyboardDesignHeight
    keyboardRelativeBottomMargin: 6 / keyboardDesignHeight

    keyboardBackground: Rectangle {
        objectName: "keyboardTray"
        color: currentStyle.trayColor
    }

    // Letters, digits and signs: the key's own text; a few signs get a spoken word.
    keyPanel: KeyFace {
        kstyle: currentStyle
        label: control ? control.displayText : ""
        spokenName: {
            if (!control)
                return ""
            const text = control.displayText
            const names = {
                ",": qsTr("Comma"),
                ".": qsTr("Full stop"),
                "'": qsTr("Apostrophe"),
                "@": qsTr("At sign"),
                "-": qsTr("Hyphen"),
                "_": qsTr("Underscore"),
                "+": qsTr("Plus"),
                "*": qsTr("Star"),
                "#": qsTr("Hash")
            }
            if (names[text] !== undefined)
                return names[text]
            return control.uppercased ? text.toUpperCase() : text
        }
    }

    backspaceKeyPanel: KeyFace {
        kstyle: currentStyle
        label: "\u232B"
        spokenName: qsTr("Erase")
    }

    languageKeyPanel: KeyFace {
        kstyle: currentStyle
        label: control ? control.displayText.toUpperCase() : ""
        word: true
        spokenName: qsTr("Change the keyboard's language")
    }

    enterKeyPanel: KeyFace {
        readonly property int action: control ? control.actionId : EnterKeyAction.None
        readonly property string actionWord: {
            if (control && control.displayText !== "")
                return control.displayText  // a label the field gave
            switch (action) {
            case EnterKeyAction.Search:
                return qsTr("Search")
            case EnterKeyAction.Next:
                return qsTr("Next")
            case EnterKeyAction.Done:
                return qsTr("Done")
            case EnterKeyAction.Go:
                return qsTr("Go")
            case EnterKeyAction.Send:
                return qsTr("Send")
            default:
                return ""
            }
        }
        kstyle: currentStyle
        label: actionWord !== "" ? actionWord : "\u21B5"
        word: actionWord !== ""
        spokenName: actionWord !== "" ? actionWord : qsTr("Enter")
    }

    hideKeyPanel: KeyFace {
        kstyle: currentStyle
        label: "\u2328\u25BC"
        word: true
        spokenName: qsTr("Hide the keyboard")
    }

    shiftKeyPanel: KeyFace {
        kstyle: currentStyle
        label: InputContext.capsLockActive ? "\u21EA" : "\u21E7"
        on: InputContext.capsLockActive || InputContext.shiftActive
        spokenName: InputContext.capsLockActive ? qsTr("Caps lock") : qsTr("Shift")
    }

    spaceKeyPanel: KeyFace {
        kstyle: currentStyle
        label: qsTr("space")
        word: true
        spokenName: qsTr("Space")
    }

    symbolKeyPanel: KeyFace {
        kstyle: currentStyle
        label: control ? control.displayText : ""
        word: true
        spokenName: keyboard.symbolMode ? qsTr("Letters") : qsTr("Digits and symbols")
    }

    modeKeyPanel: KeyFace {
        kstyle: currentStyle
        label: control ? control.displayText : ""
        word: true
        on: control ? control.mode : false
    }

    handwritingKeyPanel: KeyFace {
        kstyle: currentStyle
        label: "\u270D"
        spokenName: qsTr("Handwriting")
    }

    // The enlarged character above a pressed key.
    characterPreviewMargin: 0
    characterPreviewDelegate: Item {
        id: characterPreview
        property string text
        Rectangle {
            anchors.fill: parent
            color: currentStyle.activeColor
            border.color: currentStyle.labelColor
            border.width: Math.max(2, Math.round(0.6 * currentStyle.ppm))
            radius: currentStyle.keyRadius
            Text {
                anchors.fill: parent
                anchors.margins: currentStyle.keyMargin
                text: characterPreview.text
                textFormat: Text.PlainText
                color: currentStyle.labelColor
                fontSizeMode: Text.VerticalFit
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                font.pixelSize: Math.round(currentStyle.letterPx * 1.5)
            }
        }
    }

    // The accented letters of a key held down: each a 20 mm target.
    alternateKeysListItemWidth: Math.max(Math.round(20 * currentStyle.ppm), 120 * scaleHint)
    alternateKeysListItemHeight: Math.max(Math.round(22 * currentStyle.ppm), 170 * scaleHint)
    alternateKeysListTopMargin: 0
    alternateKeysListBottomMargin: 0
    alternateKeysListLeftMargin: 0
    alternateKeysListRightMargin: 0
    alternateKeysListDelegate: Item {
        id: alternateKeysListItem
        width: currentStyle.alternateKeysListItemWidth
        height: currentStyle.alternateKeysListItemHeight
        Text {
            anchors.centerIn: parent
            text: model.text
            textFormat: Text.PlainText
            color: alternateKeysListItem.ListView.isCurrentItem ? currentStyle.labelColor
                                                                 : currentStyle.popupTextColor
            font.pixelSize: currentStyle.letterPx
        }
    }
    alternateKeysListHighlight: Rectangle {
        color: currentStyle.activeColor
        radius: currentStyle.keyRadius
    }
    alternateKeysListBackground: Item {
        Rectangle {
            readonly property real margin: currentStyle.keyMargin * 2
            x: -margin
            y: -margin
            width: parent.width + 2 * margin
            height: parent.height + 2 * margin
            radius: currentStyle.keyRadius
            color: currentStyle.popupColor
            border.width: Math.max(2, Math.round(0.6 * currentStyle.ppm))
            border.color: currentStyle.popupBorderColor
        }
    }

    // Word suggestions (the kiosk's fields turn prediction off; kept styled all the same).
    selectionListHeight: Math.round(12 * currentStyle.ppm)
    selectionListDelegate: SelectionListItem {
        id: selectionListItem
        width: Math.round(selectionListLabel.width + 2 * currentStyle.keyMargin * 4)
        Text {
            id: selectionListLabel
            anchors.centerIn: parent
            text: display
            textFormat: Text.PlainText
            color: currentStyle.labelColor
            font.pixelSize: currentStyle.wordPx
        }
    }
    selectionListHighlight: Rectangle {
        color: currentStyle.activeColor
        radius: currentStyle.keyRadius
    }
    selectionListBackground: Rectangle {
        color: currentStyle.faceColor
    }

    navigationHighlight: Rectangle {
        color: "transparent"
        border.color: currentStyle.focusColor
        border.width: Math.max(3, Math.round(1.2 * currentStyle.ppm))
    }

    popupListDelegate: SelectionListItem {
        id: popupListItem
        property real cursorAnchor: popupListLabel.x + popupListLabel.width
        width: popupListLabel.width + 2 * popupListLabel.height / 2
        height: popupListLabel.height * 5 / 3
        Text {
            id: popupListLabel
            anchors.centerIn: parent
            text: display
            textFormat: Text.PlainText
            color: popupListItem.ListView.isCurrentItem ? currentStyle.labelColor
                                                         : currentStyle.popupTextColor
            font.pixelSize: currentStyle.wordPx
        }
    }
    popupListHighlight: Rectangle {
        color: currentStyle.activeColor
    }
    popupListBackground: Rectangle {
        color: currentStyle.popupColor
        border.width: Math.max(2, Math.round(0.6 * currentStyle.ppm))
        border.color: currentStyle.popupBorderColor
    }

    languagePopupListEnabled: false

    functionPopupListDelegate: Item {
        id: functionPopupListItem
        readonly property bool hides: keyboardFunction === QtVirtualKeyboard.KeyboardFunction.HideInputPanel
        width: Math.round(20 * currentStyle.ppm)
        height: Math.round(20 * currentStyle.ppm)
        Accessible.role: Accessible.Button
        Accessible.name: functionPopupListItem.hides ? qsTr("Hide the keyboard")
                                                      : qsTr("Change the keyboard's language")
        Text {
            anchors.centerIn: parent
            text: functionPopupListItem.hides ? "\u2328\u25BC" : "\u21C4"
            textFormat: Text.PlainText
            color: functionPopupListItem.ListView.isCurrentItem ? currentStyle.labelColor
                                                                 : currentStyle.popupTextColor
            font.pixelSize: currentStyle.wordPx
        }
    }
    functionPopupListHighlight: Rectangle {
        color: currentStyle.activeColor
        radius: currentStyle.keyRadius
    }
    functionPopupListBackground: Item {
        Rectangle {
            readonly property real margin: currentStyle.keyMargin * 2
            x: -margin
            y: -margin
            width: parent.width + 2 * margin
            height: parent.height + 2 * margin
            radius: currentStyle.keyRadius
            color: currentStyle.popupColor
            border.width: Math.max(2, Math.round(0.6 * currentStyle.ppm))
            border.color: currentStyle.popupBorderColor
        }
    }

    fullScreenInputContainerBackground: Rectangle {
        color: currentStyle.faceColor
    }
    fullScreenInputBackground: Item {}
    fullScreenInputMargins: currentStyle.keyMargin * 4
    fullScreenInputPadding: 0
    fullScreenInputCursor: Rectangle {
        width: 2
        color: currentStyle.labelColor
        visible: parent.blinkStatus
    }
    fullScreenInputColor: currentStyle.labelColor
    fullScreenInputFont.pixelSize: currentStyle.wordPx
}
