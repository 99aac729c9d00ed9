pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Kiosk

// "Did this terminal help you?": the last thing a session shows when the person leaves after
// opening an offer or applying. Three large faces with their words and a skip, within reach
// (in the operable band). It takes every touch (nothing behind it fires), covers the session
// it ends, and goes by itself: the view-model times it and ends the session.
Item {
    id: root

    required property Theme theme
    required property VerdictViewModel verdict

    Rectangle {
        // Over the band (the passive area above it stays as it is: it holds nothing personal).
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: parent.height - root.theme.bandTop
        color: root.theme.palette.background
    }

    Accessible.role: Accessible.Dialog
    Accessible.name: qsTr("Did this terminal help you?")
    Accessible.description: qsTr("Choose one of the three answers, or skip. Your answer is anonymous.")

    MouseArea {
        // The backdrop is not a button: it only keeps touches from what is behind.
        anchors.fill: parent
    }

    ColumnLayout {
        id: content
        anchors {
            left: parent.left
            right: parent.right
            top: parent.top
            bottom: parent.bottom
            topMargin: root.theme.bandTop + root.theme.margin
            leftMargin: root.theme.margin * 2
            rightMargin: root.theme.margin * 2
            bottomMargin: root.theme.margin * 2
        }
        spacing: root.theme.margin * 1.5

        Item { Layout.fillHeight: true }

        Text {
            objectName: "verdictQuestion"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Did this terminal help you?")
            textFormat: Text.PlainText
            Accessible.ignored: true  // the dialog's name
            font.pixelSize: root.theme.fontDisplay
            font.bold: true
            color: root.theme.palette.text
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.maximumWidth: root.theme.pxPerMm * 420
            Layout.alignment: Qt.AlignHCenter
            Layout.fillHeight: false  // as high as the tallest card; the three are equal
            spacing: root.theme.margin

            VerdictFace {
                objectName: "verdictHelped"
                Layout.fillWidth: true
                Layout.preferredWidth: 1  // three equal thirds
                Layout.fillHeight: true
                theme: root.theme
                mood: 1
                text: qsTr("Yes, it helped")
                onClicked: root.verdict.answer("helped")
            }
            VerdictFace {
                objectName: "verdictNeutral"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.fillHeight: true
                theme: root.theme
                mood: 0
                text: qsTr("So-so")
                onClicked: root.verdict.answer("neutral")
            }
            VerdictFace {
                objectName: "verdictNotHelped"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.fillHeight: true
                theme: root.theme
                mood: -1
                text: qsTr("No, it did not")
                onClicked: root.verdict.answer("not_helped")
            }
        }

        KButton {
            objectName: "verdictSkip"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.max(implicitWidth, root.theme.target * 3)
            theme: root.theme
            text: qsTr("Skip")
            accessibleName: qsTr("Skip the question")
            onClicked: root.verdict.answer("skipped")
        }

        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Anonymous: only the number of answers is kept.")
            textFormat: Text.PlainText
            Accessible.ignored: true  // the dialog's description says it
            font.pixelSize: root.theme.fontBody
            color: root.theme.palette.textMuted
        }

        // Portrait: at the foot of the screen, within reach; landscape: in the middle.
        Item { Layout.fillHeight: !root.theme.portrait }
    }
}
