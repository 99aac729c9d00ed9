import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

// One key of the kiosk keyboard: a face in the theme's keyboard colours, its label (a letter,
// a sign or a word), and an accessible button named for a screen reader or the audio guide.
// The Loader of each key sets `control` (the key) once this panel exists.
KeyPanel {
    id: panel
    objectName: "keyPanel"

    property QtObject kstyle  // the style: colours and sizes, following the kiosk's theme
    property string label  // what the face shows
    property string spokenName  // what is said; the label when empty
    property bool word: false  // the label is a word: body size, shrunk to fit the key
    property bool on: false  // a key that is on (shift, caps lock): filled and underlined
    // The character a key types into a personal field is personal data: the audio guide says
    // it only with private listening. A key never takes the keyboard focus from that field.
    readonly property bool personalData: !panel.word
        && (InputContext.inputMethodHints & Qt.ImhSensitiveData) !== 0
    readonly property bool typesIntoField: true
    readonly property bool down: panel.control !== null && panel.control.pressed
    readonly property bool usable: panel.control === null || panel.control.enabled

    Accessible.role: Accessible.Button
    Accessible.name: panel.spokenName !== "" ? panel.spokenName : panel.label
    Accessible.checkable: panel.on
    Accessible.checked: panel.on
    Accessible.onPressAction: panel.activate()

    // What a tap does, for an assistive technology's "press": the keyboard's own click path.
    function activate(): void {
        const key = panel.control
        if (key === null || !key.enabled)
            return
        if (!key.noKeyEvent) {
            const upper = InputContext.uppercase
            InputContext.inputEngine.virtualKeyClick(
                key.key, upper ? key.text.toUpperCase() : key.text, upper ? Qt.ShiftModifier : 0)
        }
        key.clicked()
    }

    Rectangle {
        id: face
        objectName: "keyFace"
        anchors.fill: parent
        anchors.margins: panel.kstyle.keyMargin
        radius: panel.kstyle.keyRadius
        color: panel.down || panel.on ? panel.kstyle.activeColor : panel.kstyle.faceColor

        Text {
            objectName: "keySmallLabel"
            visible: panel.control !== null && panel.control.smallTextVisible
                     && panel.control.smallText !== ""
            anchors { right: parent.right; top: parent.top; margins: panel.kstyle.keyMargin }
            // A hint of the key's alternatives: in its corner, shrunk to keep off the label.
            width: Math.round(parent.width * 0.35)
            height: panel.kstyle.smallPx
            horizontalAlignment: Text.AlignRight
            text: panel.control !== null ? panel.control.smallText : ""
            textFormat: Text.PlainText
            color: panel.kstyle.labelColor
            font.pixelSize: panel.kstyle.smallPx
            fontSizeMode: Text.Fit
            minimumPixelSize: 8
        }

        Text {
            id: labelText
            objectName: "keyLabel"
            anchors.fill: parent
            anchors.margins: panel.kstyle.keyMargin
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            text: panel.label
            textFormat: Text.PlainText
            color: panel.kstyle.labelColor
            opacity: panel.usable ? 1.0 : 0.4  // a disabled key (WCAG exempts inactive controls)
            font.pixelSize: panel.word ? panel.kstyle.wordPx : panel.kstyle.letterPx
            fontSizeMode: panel.word ? Text.HorizontalFit : Text.FixedSize
            minimumPixelSize: Math.round(panel.kstyle.wordPx / 2)
            font.capitalization: panel.control !== null && panel.control.uppercased && !panel.word
                                 ? Font.AllUppercase : Font.MixedCase
        }

        // A key that is on is also underlined: its state never rests on colour alone.
        Rectangle {
            visible: panel.on
            anchors { bottom: parent.bottom; horizontalCenter: parent.horizontalCenter }
            anchors.bottomMargin: panel.kstyle.keyMargin
            width: parent.width * 0.4
            height: Math.max(3, panel.kstyle.keyMargin)
            radius: height / 2
            color: panel.kstyle.labelColor
        }
    }
}
