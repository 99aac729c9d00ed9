pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kiosk

// One offer, all of it, as plain text in sections; beside it (landscape) or under it
// (portrait, within reach) the QR code of the offer and the ways to apply it allows.
Item {
    id: root

    required property Theme theme
    required property DetailViewModel detail
    required property Navigator navigator
    required property ApplyViewModel apply
    required property FirmsViewModel firms

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Job offer")
    Accessible.description: root.detail.available ? root.detail.title : qsTr("This offer is no longer available.")

    function resetView() {
        flick.contentY = 0
    }

    Connections {
        target: root.detail
        function onOfferChanged() { flick.contentY = 0 }
    }

    GridLayout {
        // Under the phone panel nothing takes a touch (see BrowseScreen: tap handlers behind
        // a dialog's buttons would fire with them).
        enabled: root.detail.panel === ""
        anchors {
            fill: parent
            leftMargin: root.theme.margin
            rightMargin: root.theme.margin
            topMargin: root.theme.gap * 2
            bottomMargin: root.theme.gap * 2
        }
        visible: root.detail.available
        columns: root.theme.portrait ? 1 : 2
        columnSpacing: root.theme.margin
        rowSpacing: root.theme.gap * 2

        Flickable {
            id: flick
            objectName: "detailFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: content.implicitHeight + root.theme.margin
            boundsBehavior: Flickable.StopAtBounds
            ScrollIndicator.vertical: ScrollIndicator {}

            Column {
                id: content
                width: flick.width
                spacing: root.theme.gap * 2

                Text {
                    objectName: "offerTitle"
                    width: parent.width
                    wrapMode: Text.Wrap
                    text: root.detail.title
                    textFormat: Text.PlainText
                    horizontalAlignment: Text.AlignLeft
                    Accessible.role: Accessible.Heading
                    Accessible.name: text
                    font.pixelSize: root.theme.fontHeadline
                    font.bold: true
                    color: root.theme.palette.text
                }
                Text {
                    width: parent.width
                    wrapMode: Text.Wrap
                    text: root.detail.company
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontTitle
                    font.italic: !root.detail.companyKnown
                    color: root.theme.palette.textMuted
                }
                Text {
                    width: parent.width
                    wrapMode: Text.Wrap
                    text: root.detail.place
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontTitle
                    color: root.theme.palette.text
                }
                Flow {
                    width: parent.width
                    spacing: root.theme.gap
                    Repeater {
                        model: root.detail.facts
                        delegate: Rectangle {
                            id: fact
                            required property string modelData
                            implicitWidth: factText.implicitWidth + 2 * root.theme.gap
                            implicitHeight: factText.implicitHeight + root.theme.gap
                            radius: root.theme.radius
                            color: "transparent"
                            border.color: root.theme.palette.border
                            border.width: root.theme.borderWidth
                            Accessible.role: Accessible.StaticText
                            Accessible.name: fact.modelData
                            Text {
                                id: factText
                                anchors.centerIn: parent
                                Accessible.ignored: true  // its frame speaks for it
                                text: fact.modelData
                                textFormat: Text.PlainText
                                horizontalAlignment: Text.AlignLeft
                                font.pixelSize: root.theme.fontBody
                                font.bold: true
                                color: root.theme.palette.text
                            }
                        }
                    }
                }
                Repeater {
                    model: root.detail.sections
                    delegate: Column {
                        id: section
                        required property string key
                        required property string heading
                        required property string body
                        objectName: "section-" + section.key
                        width: content.width
                        spacing: root.theme.gap
                        topPadding: root.theme.gap * 2

                        Text {
                            width: parent.width
                            wrapMode: Text.Wrap
                            text: section.heading
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            font.pixelSize: root.theme.fontTitle
                            font.bold: true
                            color: root.theme.palette.accent
                            Accessible.role: Accessible.Heading
                            Accessible.name: section.heading
                        }
                        Text {
                            width: parent.width
                            wrapMode: Text.Wrap
                            text: section.body
                            textFormat: Text.PlainText
                            Accessible.role: Accessible.StaticText
                            Accessible.name: section.body
                            horizontalAlignment: Text.AlignLeft
                            font.pixelSize: root.theme.fontBody
                            lineHeight: 1.2
                            color: root.theme.palette.text
                        }
                    }
                }
            }
        }

        Rectangle {
            id: actions
            objectName: "detailActions"
            Layout.fillWidth: root.theme.portrait
            Layout.fillHeight: !root.theme.portrait
            Layout.preferredWidth: root.theme.portrait ? -1 : root.width * 0.34
            implicitHeight: actionGrid.implicitHeight + 2 * root.theme.margin / 2
            radius: root.theme.radius
            color: root.theme.palette.surface
            border.color: root.theme.palette.border
            border.width: root.theme.borderWidth

            GridLayout {
                id: actionGrid
                anchors {
                    left: parent.left
                    right: parent.right
                    top: parent.top
                    margins: root.theme.margin / 2
                }
                columns: root.theme.portrait ? 2 : 1
                columnSpacing: root.theme.margin
                rowSpacing: root.theme.margin

                QrCode {
                    objectName: "offerQr"
                    Layout.alignment: Qt.AlignTop | Qt.AlignHCenter
                    theme: root.theme
                    // Hidden under a panel that shows another code: one code on screen at a
                    // time, so a phone cannot read the wrong one.
                    visible: root.detail.offerQr !== "" && root.detail.panel === ""
                    source: root.detail.offerQr
                    caption: qsTr("Scan to open this offer on your phone")
                }
                // A demo offer on a terminal without a hub: no page to open, and it says so.
                Text {
                    objectName: "noPageNote"
                    Layout.alignment: Qt.AlignTop | Qt.AlignHCenter
                    Layout.preferredWidth: root.theme.qrSize
                    Layout.fillWidth: !root.theme.portrait
                    visible: root.detail.noPageNote !== "" && root.detail.panel === ""
                    wrapMode: Text.WordWrap
                    text: root.detail.noPageNote
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontBody
                    font.italic: true
                    color: root.theme.palette.text
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    spacing: root.theme.gap * 2

                    Text {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        text: qsTr("How to apply")
                        textFormat: Text.PlainText
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontTitle
                        font.bold: true
                        color: root.theme.palette.text
                    }
                    KButton {
                        objectName: "applyHereButton"
                        Layout.fillWidth: true
                        theme: root.theme
                        visible: root.detail.canApplyHere && root.apply.canTakeApplications
                        primary: true
                        text: qsTr("Apply here")
                        onClicked: root.navigator.startApply(false)
                    }
                    KButton {
                        objectName: "callbackButton"
                        Layout.fillWidth: true
                        theme: root.theme
                        visible: !root.detail.canApplyHere && root.apply.canTakeApplications
                        text: qsTr("Be called back")
                        onClicked: root.navigator.startApply(true)
                    }
                    KButton {
                        objectName: "phoneButton"
                        Layout.fillWidth: true
                        theme: root.theme
                        visible: root.detail.hasPhoneRoute
                        primary: !root.detail.canApplyHere || !root.apply.canTakeApplications
                        text: qsTr("Continue on my phone")
                        onClicked: root.detail.showPhone()
                    }
                    // No usable hub key (the operator has an alert): said, never a button that
                    // would take an application that cannot be delivered.
                    Text {
                        objectName: "cannotApplyNotice"
                        Layout.fillWidth: true
                        visible: !root.apply.canTakeApplications
                        wrapMode: Text.WordWrap
                        text: root.apply.cannotTakeReason
                        textFormat: Text.PlainText
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontBody
                        font.bold: true
                        color: root.theme.palette.text
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: !root.detail.canApplyHere && !root.detail.hasPhoneRoute
                            && root.detail.offerQr !== ""
                            && root.apply.canTakeApplications
                        wrapMode: Text.WordWrap
                        text: qsTr("Open the offer on your phone to see how to apply.")
                        textFormat: Text.PlainText
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontBody
                        color: root.theme.palette.text
                    }
                    // Firms near here that often hire for this offer's trade, when there are.
                    FirmsButton {
                        objectName: "detailFirms"
                        Layout.fillWidth: true
                        visible: root.firms.offerCount > 0
                        theme: root.theme
                        count: root.firms.offerCount
                        onClicked: root.navigator.openFirms("offer")
                    }
                }
            }
        }
    }

    Column {
        objectName: "offerGone"
        visible: !root.detail.available
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.theme.margin }
        spacing: root.theme.margin

        Text {
            width: parent.width
            wrapMode: Text.WordWrap
            text: qsTr("This offer is no longer available.")
            textFormat: Text.PlainText
            Accessible.role: Accessible.Heading
            Accessible.name: text
            horizontalAlignment: Text.AlignLeft
            font.pixelSize: root.theme.fontHeadline
            font.bold: true
            color: root.theme.palette.text
        }
        KButton {
            theme: root.theme
            primary: true
            text: qsTr("Back to the offers")
            onClicked: root.navigator.back()
        }
    }

    KDialog {
        objectName: "phoneDialog"
        anchors.fill: parent
        visible: root.detail.panel === "phone"
        theme: root.theme
        title: qsTr("Continue on my phone")
        message: qsTr("Scan this code with your phone's camera to apply.")
        onClosed: root.detail.closePanel()

        QrCode {
            objectName: "phoneQr"
            anchors.horizontalCenter: parent.horizontalCenter
            theme: root.theme
            size: Math.round(root.theme.qrSize * 1.3)
            source: root.detail.panel === "phone" ? root.detail.phoneRouteQr : ""
            caption: root.detail.phoneRouteLabel
        }
    }
}
