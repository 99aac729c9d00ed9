pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// The operator's way in (after the hidden gesture): a PIN pad, then the terminal's status and
// the only way out of the locked-down session.
Rectangle {
    id: root

    required property Theme theme
    required property OperatorViewModel operator
    property string pin: ""

    color: root.theme.palette.background
    visible: root.operator.open
    onVisibleChanged: root.pin = ""

    Accessible.role: Accessible.Dialog
    Accessible.name: qsTr("Operator")
    Accessible.description: root.operator.unlocked ? qsTr("Status of the terminal") : qsTr("Enter the operator PIN")

    MouseArea { anchors.fill: parent }  // nothing behind the panel takes a touch

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * root.theme.margin, root.theme.pxPerMm * 260)
        spacing: root.theme.gap * 2

        Text {
            Layout.fillWidth: true
            text: qsTr("Operator")
            textFormat: Text.PlainText
            Accessible.ignored: true  // the panel's name
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: root.theme.fontHeadline
            font.bold: true
            color: root.theme.palette.text
        }

        // -- the PIN pad ---------------------------------------------------------------------
        ColumnLayout {
            objectName: "pinPad"
            visible: !root.operator.unlocked
            Layout.fillWidth: true
            spacing: root.theme.gap * 2

            Text {
                objectName: "pinDots"
                Layout.fillWidth: true
                text: root.operator.checking ? qsTr("Checking…") : "●".repeat(root.pin.length) || qsTr("PIN")
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignHCenter
                font.pixelSize: root.theme.fontHeadline
                color: root.theme.palette.text
            }
            Text {
                objectName: "operatorMessage"
                Layout.fillWidth: true
                visible: root.operator.message !== ""
                text: "⚠ " + root.operator.message
                textFormat: Text.PlainText
                Accessible.role: Accessible.AlertMessage
                Accessible.name: root.operator.message
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                font.pixelSize: root.theme.fontBody
                font.bold: true
                color: root.theme.palette.error
            }
            GridLayout {
                Layout.alignment: Qt.AlignHCenter
                columns: 3
                columnSpacing: root.theme.gap
                rowSpacing: root.theme.gap
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
                    delegate: KButton {
                        required property string modelData
                        objectName: "pinKey-" + modelData
                        // A PIN digit is a secret: the audio guide never says it aloud.
                        readonly property bool personalData: modelData.length === 1 && modelData !== "⌫"
                        theme: root.theme
                        primary: modelData === "OK"
                        text: modelData
                        accessibleName: modelData === "⌫" ? qsTr("Erase") : modelData
                        onClicked: {
                            if (modelData === "⌫")
                                root.pin = root.pin.slice(0, -1)
                            else if (modelData === "OK") {
                                root.operator.submitPin(root.pin)
                                root.pin = ""
                            } else if (root.pin.length < 12)
                                root.pin += modelData
                        }
                    }
                }
            }
        }

        // -- the status panel ----------------------------------------------------------------
        ColumnLayout {
            objectName: "operatorStatus"
            visible: root.operator.unlocked
            Layout.fillWidth: true
            spacing: root.theme.gap

            Repeater {
                model: root.operator.status
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: root.theme.gap * 2
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("%1: %2", "a status row: its label, its value").arg(modelData.label).arg(modelData.value)
                    Text {
                        Accessible.ignored: true  // the row speaks for it
                        Layout.preferredWidth: root.theme.pxPerMm * 70
                        // An alert reads as one in words and weight, not colour alone.
                        text: modelData.label === "ALERT" ? "⚠ ALERT" : modelData.label
                        textFormat: Text.PlainText
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontBody
                        font.bold: modelData.label === "ALERT"
                        color: modelData.label === "ALERT" ? root.theme.palette.error
                                                           : root.theme.palette.textMuted
                    }
                    Text {
                        Accessible.ignored: true
                        Layout.fillWidth: true
                        text: modelData.value
                        textFormat: Text.PlainText
                        horizontalAlignment: Text.AlignLeft
                        wrapMode: Text.Wrap
                        font.pixelSize: root.theme.fontBody
                        font.bold: true
                        color: root.theme.palette.text
                    }
                }
            }
            KButton {
                objectName: "operatorSyncNow"
                Layout.fillWidth: true
                visible: root.operator.canSync
                theme: root.theme
                text: qsTr("Sync now")
                onClicked: root.operator.syncNow()
            }
            KButton {
                objectName: "operatorExit"
                Layout.fillWidth: true
                theme: root.theme
                text: qsTr("Exit the kiosk")
                onClicked: root.operator.exitKiosk()
            }
        }

        KButton {
            objectName: "operatorClose"
            Layout.fillWidth: true
            theme: root.theme
            primary: root.operator.unlocked
            text: qsTr("Close")
            onClicked: root.operator.close()
        }
    }
}
