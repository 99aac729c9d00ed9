pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import Kiosk

// Applying without a CV: the short form (name, phone or e-mail, optional quick answers,
// consent), its review, and the confirmation with the reference code. The keyboard's Enter
// key walks from field to field, so besides typing it takes: consent, Continue, Send.
// Each step's actions sit in a footer under the scrolling content: what is chosen above never
// moves the button a finger is on its way to.
Item {
    id: root

    required property Theme theme
    required property ApplyViewModel apply
    required property Navigator navigator
    required property Session session

    Accessible.role: Accessible.Pane
    Accessible.name: root.apply.step === "done" ? root.apply.doneTitle
        : root.apply.step === "review" && root.apply.spontaneous ? qsTr("Check what the job agency will receive")
        : root.apply.step === "review" ? qsTr("Check what the recruiter will receive")
        : root.apply.callback ? qsTr("Be called back about this offer")
        : root.apply.spontaneous ? qsTr("Spontaneous application")
        : qsTr("Apply to this offer")
    Accessible.description: root.apply.step === "done"
        ? qsTr("Your reference code: %1").arg(root.apply.referenceSpoken)
        : root.apply.spontaneous ? qsTr("%1, %2", "a spontaneous application: the firm, the trade").arg(root.apply.firmName).arg(root.apply.offerTitle)
        : root.apply.offerTitle

    function resetView() {
        flick.contentY = 0
    }

    // Scroll the content so that `target` (an item of the form) shows whole above the footer.
    // `below`: room to keep under the target (an error text that is about to show there).
    function reveal(target, below = 0) {
        const top = target.mapToItem(flick.contentItem, 0, 0).y - root.theme.gap
        const bottom = top + target.height + below + 2 * root.theme.gap
        const most = Math.max(0, flick.contentHeight + below - flick.height)
        if (top < flick.contentY)
            flick.contentY = Math.max(0, top)
        else if (bottom > flick.contentY + flick.height)
            flick.contentY = Math.min(most, bottom - flick.height)
    }

    Connections {
        target: root.apply
        // After "Continue": the first field with an error comes into view.
        function onErrorsChanged() {
            if (root.apply.step !== "form" || !root.visible)
                return
            const errors = root.apply.errors
            const first = [["first_name", firstName], ["last_name", lastName], ["phone", phone],
                           ["email", email], ["consent", consent]].find(pair => (errors[pair[0]] ?? "") !== "")
            if (first === undefined)
                return
            if (first[1] === consent) {
                // Nothing to type there: the focus leaves the field, and the keyboard with it,
                // so that the box and its reason (kept room for) are in sight.
                consent.forceActiveFocus()
                root.reveal(consent, consentError.implicitHeight + root.theme.gap * 2)
            } else {
                root.reveal(first[1])
            }
        }
        function onStepChanged() {
            flick.contentY = 0
            if (root.apply.step === "form" && root.visible)
                firstName.focusInput()
            else
                Qt.inputMethod.hide()
        }
    }
    onVisibleChanged: if (visible && root.apply.step === "form") firstName.focusInput()

    // One labelled text field, its error in words just under it (and a mark, not only colour).
    // Personal data: the keyboard gets no prediction, no suggestion and no history from it.
    component Field: ColumnLayout {
        id: field
        required property string label
        property string error: ""
        property string value: ""  // the view-model's; what the person types comes back by edited()
        property alias inputName: input.objectName
        property string example: ""  // shown above the field ("Example: 06 12…"), never in it
        property int hints: Qt.ImhNone
        property int enterAction: EnterKeyAction.Next
        property bool leftToRight: false  // phone numbers and e-mail read left to right everywhere
        // A text input takes its paragraph direction from its first strong character, and
        // without one (digits, spaces, "+") from the input method: right to left in Arabic,
        // which reverses digit groups ("78 56 34 12 06"). So, in a right-to-left interface, a
        // left-to-right field starts with an invisible LEFT-TO-RIGHT MARK, which the
        // view-model never sees.
        readonly property bool markDirection: field.leftToRight && root.LayoutMirroring.enabled
        readonly property string mark: "\u200E"
        signal edited(string text)
        signal accepted()
        function focusInput() { input.forceActiveFocus() }
        readonly property bool inputFocused: input.activeFocus
        onInputFocusedChanged: if (inputFocused) root.reveal(field)
        Layout.fillWidth: true
        spacing: root.theme.gap / 2

        Text {
            Layout.fillWidth: true
            text: field.label
            textFormat: Text.PlainText
            Accessible.ignored: true  // the field's name
            horizontalAlignment: Text.AlignLeft
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.theme.palette.text
        }
        // The example in a text of its own, isolated left to right: digits alone would take the
        // input method's direction (right to left in Arabic) and show as "78 56 34 12 06".
        RowLayout {
            objectName: field.inputName + "Hint"
            Layout.fillWidth: true
            visible: field.example !== ""
            spacing: root.theme.gap
            Accessible.ignored: true  // seen, not spoken (see the field's description)
            Text {
                text: qsTr("Example:")
                textFormat: Text.PlainText
                font.pixelSize: root.theme.fontSmall
                color: root.theme.palette.textMuted
            }
            Text {
                objectName: field.inputName + "Example"
                Layout.fillWidth: true
                text: "\u2066" + field.example + "\u2069"
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                wrapMode: Text.Wrap
                font.pixelSize: root.theme.fontSmall
                color: root.theme.palette.textMuted
            }
        }
        TextField {
            id: input
            Layout.fillWidth: true
            implicitHeight: root.theme.target
            color: root.theme.palette.text
            placeholderTextColor: root.theme.palette.textMuted
            font.pixelSize: root.theme.fontTitle
            leftPadding: root.theme.gap * 2
            rightPadding: root.theme.gap * 2
            verticalAlignment: TextInput.AlignVCenter
            inputMethodHints: field.hints | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
            LayoutMirroring.enabled: field.leftToRight ? false : root.LayoutMirroring.enabled
            horizontalAlignment: field.leftToRight ? TextInput.AlignLeft : TextInput.AlignLeft
            EnterKeyAction.actionId: field.enterAction
            text: field.markDirection && field.value !== "" ? field.mark + field.value : field.value
            onTextEdited: {
                if (field.markDirection && input.text !== "" && !input.text.startsWith(field.mark))
                    input.insert(0, field.mark)  // the mark itself was erased
                field.edited(field.markDirection ? input.text.replace(/\u200E/g, "") : input.text)
            }
            onAccepted: field.accepted()
            Accessible.name: field.label
            // Not the example: spoken, "06 12 34 56 78" could not be told from what was typed.
            Accessible.description: field.error
            background: Rectangle {
                radius: root.theme.radius
                color: root.theme.palette.surface
                border.color: field.error !== "" ? root.theme.palette.error
                            : input.activeFocus ? root.theme.palette.focus : root.theme.palette.border
                border.width: input.activeFocus || field.error !== "" ? root.theme.focusWidth : root.theme.borderWidth
            }
        }
        Text {
            Layout.fillWidth: true
            visible: field.error !== ""
            text: "⚠ " + field.error
            textFormat: Text.PlainText
            Accessible.role: Accessible.AlertMessage
            Accessible.name: qsTr("%1: %2", "an error: the field, the error").arg(field.label).arg(field.error)
            horizontalAlignment: Text.AlignLeft
            wrapMode: Text.WordWrap
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.theme.palette.error
        }
    }

    // A question answered with one tap among a few choices (tapping the chosen one clears it).
    component Question: ColumnLayout {
        id: question
        required property string label
        required property string value
        required property var choices  // [{value, label}]
        signal chosen(string value)
        Layout.fillWidth: true
        spacing: root.theme.gap / 2

        Text {
            Layout.fillWidth: true
            text: question.label
            textFormat: Text.PlainText
            Accessible.role: Accessible.StaticText
            Accessible.name: text
            horizontalAlignment: Text.AlignLeft
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.theme.palette.text
        }
        Flow {
            Layout.fillWidth: true
            spacing: root.theme.gap
            Repeater {
                model: question.choices
                delegate: KButton {
                    required property var modelData
                    objectName: "answer-" + question.objectName + "-" + modelData.value
                    theme: root.theme
                    checkable: true
                    checked: question.value === modelData.value
                    text: modelData.label
                    accessibleName: qsTr("%1: %2", "an answer chip: its question, its answer").arg(question.label).arg(modelData.label)
                    onClicked: question.chosen(checked ? "" : modelData.value)
                }
            }
        }
    }

    // A checkbox that looks like one: a box, empty or ticked, before its words, on a plain row
    // (not a filled bar like the buttons). The whole row is the touch target.
    component CheckRow: Item {
        id: check
        required property string text
        property bool checked: false
        property bool invalid: false
        signal toggled()
        Layout.fillWidth: true
        implicitHeight: Math.max(root.theme.target, words.implicitHeight + root.theme.gap * 2)
        Accessible.role: Accessible.CheckBox
        Accessible.name: check.text
        Accessible.checkable: true
        Accessible.checked: check.checked
        Accessible.onPressAction: check.toggled()
        Accessible.onToggleAction: check.toggled()

        Rectangle {
            id: box
            objectName: check.objectName + "Box"
            anchors { left: parent.left; verticalCenter: parent.verticalCenter }
            width: Math.round(root.theme.target * 0.55)
            height: width
            radius: root.theme.radius / 2
            color: check.checked ? root.theme.palette.accent : root.theme.palette.surface
            border.color: check.invalid ? root.theme.palette.error
                        : check.checked ? root.theme.palette.accent : root.theme.palette.text
            border.width: root.theme.focusWidth
            scale: tap.pressed ? 0.9 : 1.0
            Text {
                anchors.centerIn: parent
                visible: check.checked
                text: "✓"
                textFormat: Text.PlainText
                font.pixelSize: box.height * 0.7
                font.bold: true
                color: root.theme.palette.accentText
            }
        }
        Text {
            id: words
            anchors {
                left: box.right
                leftMargin: root.theme.gap * 2
                right: parent.right
                verticalCenter: parent.verticalCenter
            }
            text: check.text
            textFormat: Text.PlainText
            Accessible.ignored: true  // the checkbox's name
            horizontalAlignment: Text.AlignLeft
            wrapMode: Text.WordWrap
            font.pixelSize: root.theme.fontBody
            font.bold: true
            color: root.theme.palette.text
        }
        TapHandler {
            id: tap
            onTapped: check.toggled()
        }
    }

    Flickable {
        id: flick
        objectName: "applyFlick"
        anchors {
            left: parent.left
            right: parent.right
            top: parent.top
            bottom: footer.top
            leftMargin: root.theme.margin
            rightMargin: root.theme.margin
        }
        // The keyboard came up (the screen got shorter): the field being typed in stays in view.
        onHeightChanged: {
            for (const field of [firstName, lastName, phone, email]) {
                if (field.inputFocused)
                    root.reveal(field)
            }
        }
        clip: true
        contentHeight: steps.implicitHeight + 2 * root.theme.margin
        boundsBehavior: Flickable.StopAtBounds
        ScrollIndicator.vertical: ScrollIndicator {}

        ColumnLayout {
            id: steps
            width: Math.min(flick.width, root.theme.pxPerMm * 300)
            x: (flick.width - width) / 2
            y: root.theme.gap * 2
            spacing: root.theme.gap * 2

            Text {
                objectName: "applyTitle"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: root.apply.step === "done" ? root.apply.doneTitle
                    : root.apply.callback ? qsTr("Be called back about this offer")
                    : root.apply.spontaneous ? qsTr("Spontaneous application")
                    : qsTr("Apply to this offer")
                textFormat: Text.PlainText
                Accessible.role: Accessible.Heading
                Accessible.name: text
                horizontalAlignment: Text.AlignLeft
                font.pixelSize: root.theme.fontHeadline
                font.bold: true
                color: root.theme.palette.text
            }
            Text {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: root.apply.spontaneous ? qsTr("%1, %2", "a spontaneous application: the firm, the trade").arg(root.apply.firmName).arg(root.apply.offerTitle)
                    : root.apply.offerTitle
                textFormat: Text.PlainText
                Accessible.role: Accessible.StaticText
                Accessible.name: text
                horizontalAlignment: Text.AlignLeft
                font.pixelSize: root.theme.fontTitle
                color: root.theme.palette.textMuted
            }

            // -- the form ---------------------------------------------------------------------
            ColumnLayout {
                objectName: "applyForm"
                visible: root.apply.step === "form"
                Layout.fillWidth: true
                spacing: root.theme.gap * 2

                Text {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: root.apply.spontaneous ? qsTr("No CV needed: the job agency calls you back.")
                        : qsTr("No CV needed: the recruiter calls you back.")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontBody
                    color: root.theme.palette.text
                }
                Field {
                    id: firstName
                    objectName: "firstNameField"
                    inputName: "firstNameInput"
                    label: qsTr("First name")
                    error: root.apply.errors.first_name ?? ""
                    value: root.apply.firstName
                    onEdited: value => root.apply.firstName = value
                    onAccepted: lastName.focusInput()
                }
                Field {
                    id: lastName
                    objectName: "lastNameField"
                    inputName: "lastNameInput"
                    label: qsTr("Last name")
                    error: root.apply.errors.last_name ?? ""
                    value: root.apply.lastName
                    onEdited: value => root.apply.lastName = value
                    onAccepted: phone.focusInput()
                }
                Field {
                    id: phone
                    objectName: "phoneField"
                    inputName: "phoneInput"
                    label: qsTr("Phone")
                    error: root.apply.errors.phone ?? ""
                    value: root.apply.phone
                    example: "06 12 34 56 78"
                    hints: Qt.ImhDialableCharactersOnly  // the keyboard becomes a phone keypad
                    leftToRight: true
                    enterAction: EnterKeyAction.Done
                    onEdited: value => root.apply.phone = value
                    onAccepted: Qt.inputMethod.hide()
                }
                Field {
                    id: email
                    objectName: "emailField"
                    inputName: "emailInput"
                    visible: !root.apply.callback
                    label: qsTr("Or e-mail")
                    error: root.apply.errors.email ?? ""
                    value: root.apply.email
                    example: "marie.dupont@exemple.fr"
                    hints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
                    leftToRight: true
                    enterAction: EnterKeyAction.Done
                    onEdited: value => root.apply.email = value
                    onAccepted: Qt.inputMethod.hide()
                }

                // Only the questions the offer asks (none: no heading either).
                ColumnLayout {
                    objectName: "quickQuestions"
                    visible: !root.apply.callback && root.apply.questions.length > 0
                    Layout.fillWidth: true
                    spacing: root.theme.gap * 2
                    Text {
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        text: root.apply.spontaneous ? qsTr("Optional: a few quick answers for the job agency")
                            : qsTr("Optional: a few quick answers for the recruiter")
                        textFormat: Text.PlainText
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontBody
                        color: root.theme.palette.textMuted
                    }
                    Question {
                        objectName: "availableNow"
                        visible: root.apply.questions.indexOf("available_now") >= 0
                        label: qsTr("Available now")
                        value: root.apply.availableNow
                        choices: [{ value: "yes", label: qsTr("Yes") }, { value: "no", label: qsTr("No") }]
                        onChosen: value => root.apply.availableNow = value
                    }
                    Question {
                        objectName: "experience"
                        visible: root.apply.questions.indexOf("experience") >= 0
                        label: qsTr("Experience in this job")
                        value: root.apply.experience
                        choices: [
                            { value: "none", label: qsTr("None") },
                            { value: "under_1_year", label: qsTr("Less than 1 year") },
                            { value: "1_to_3_years", label: qsTr("1 to 3 years") },
                            { value: "over_3_years", label: qsTr("More than 3 years") }
                        ]
                        onChosen: value => root.apply.experience = value
                    }
                    Question {
                        objectName: "drivingLicence"
                        visible: root.apply.questions.indexOf("driving_licence") >= 0
                        label: qsTr("Driving licence")
                        value: root.apply.drivingLicence
                        choices: [{ value: "yes", label: qsTr("Yes") }, { value: "no", label: qsTr("No") }]
                        onChosen: value => root.apply.drivingLicence = value
                    }
                }

                Rectangle {
                    objectName: "privacyNotice"
                    Layout.fillWidth: true
                    implicitHeight: notice.implicitHeight + 2 * root.theme.gap * 2
                    radius: root.theme.radius
                    color: root.theme.palette.surface
                    border.color: root.theme.palette.border
                    border.width: root.theme.borderWidth
                    Text {
                        id: notice
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: root.theme.gap * 2 }
                        wrapMode: Text.WordWrap
                        text: root.apply.privacyNotice
                        textFormat: Text.PlainText
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                        horizontalAlignment: Text.AlignLeft
                        font.pixelSize: root.theme.fontBody
                        color: root.theme.palette.text
                    }
                }

                CheckRow {
                    id: consent
                    objectName: "consentButton"
                    checked: root.apply.consent
                    invalid: (root.apply.errors.consent ?? "") !== ""
                    text: root.apply.spontaneous ? qsTr("I agree to share these details with the job agency, which may pass them on to this firm")
                        : qsTr("I agree to share these details with the recruiter of this offer")
                    onToggled: root.apply.consent = !root.apply.consent
                }
                Text {
                    id: consentError
                    objectName: "consentError"
                    Layout.fillWidth: true
                    visible: (root.apply.errors.consent ?? "") !== ""
                    text: "⚠ " + (root.apply.errors.consent ?? "")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: root.apply.errors.consent ?? ""
                    horizontalAlignment: Text.AlignLeft
                    wrapMode: Text.WordWrap
                    font.pixelSize: root.theme.fontBody
                    font.bold: true
                    color: root.theme.palette.error
                }
            }

            // -- the review -------------------------------------------------------------------
            ColumnLayout {
                objectName: "applyReview"
                visible: root.apply.step === "review"
                Layout.fillWidth: true
                spacing: root.theme.gap * 2

                Text {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: root.apply.spontaneous ? qsTr("Check what the job agency will receive:")
                        : qsTr("Check what the recruiter will receive:")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontTitle
                    color: root.theme.palette.text
                }
                Repeater {
                    model: root.apply.summary
                    delegate: RowLayout {
                        required property var modelData
                        // What the person typed (name, phone, e-mail): the audio guide never
                        // speaks it on the loudspeaker. Its name is the label only, the value
                        // is the description.
                        readonly property bool personalData: modelData.personal
                        Layout.fillWidth: true
                        spacing: root.theme.gap * 2
                        Accessible.role: Accessible.StaticText
                        Accessible.name: personalData ? modelData.label
                            : qsTr("%1: %2", "a review row: its label, its value").arg(modelData.label).arg(modelData.value)
                        Accessible.description: personalData ? modelData.value : ""
                        Text {
                            Accessible.ignored: true  // the row speaks for it
                            Layout.preferredWidth: steps.width * 0.4
                            wrapMode: Text.WordWrap
                            text: modelData.label
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            font.pixelSize: root.theme.fontBody
                            color: root.theme.palette.textMuted
                        }
                        Text {
                            Accessible.ignored: true  // the row speaks for it (personal data)
                            Layout.fillWidth: true
                            wrapMode: Text.Wrap
                            text: modelData.shown  // phone, e-mail: an isolated left-to-right run
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            font.pixelSize: root.theme.fontBody
                            font.bold: true
                            color: root.theme.palette.text
                        }
                    }
                }
                Text {
                    Layout.fillWidth: true
                    visible: (root.apply.errors.send ?? "") !== ""
                    text: "⚠ " + (root.apply.errors.send ?? "")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: root.apply.errors.send ?? ""
                    horizontalAlignment: Text.AlignLeft
                    wrapMode: Text.WordWrap
                    font.pixelSize: root.theme.fontBody
                    font.bold: true
                    color: root.theme.palette.error
                }
            }

            // -- the confirmation -------------------------------------------------------------
            ColumnLayout {
                objectName: "applyDone"
                visible: root.apply.step === "done"
                Layout.fillWidth: true
                spacing: root.theme.gap * 2

                Text {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: qsTr("Your reference code:")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontTitle
                    color: root.theme.palette.text
                }
                Text {
                    objectName: "referenceCode"
                    Layout.fillWidth: true
                    text: root.apply.reference
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: root.apply.referenceSpoken  // character by character
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: root.theme.fontHeadline * 1.6
                    font.bold: true
                    font.letterSpacing: root.theme.gap
                    color: root.theme.palette.text
                }
                Text {
                    objectName: "deliveryStatus"
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: (root.apply.delivered ? "✓ " : "") + root.apply.doneStatus
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: root.apply.doneStatus
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontBody
                    font.bold: true
                    color: root.theme.palette.text
                }
                Text {
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                    text: root.apply.spontaneous ? qsTr("An adviser of the job agency calls you back: not the firm itself. Keep this code: it lets you ask the agency about your application or have your details deleted.")
                        : qsTr("The recruiter receives your details and contacts you if your profile fits. Keep this code: it lets you ask the agency about your application or have your details deleted.")
                    textFormat: Text.PlainText
                    Accessible.role: Accessible.StaticText
                    Accessible.name: text
                    horizontalAlignment: Text.AlignLeft
                    font.pixelSize: root.theme.fontBody
                    color: root.theme.palette.text
                }
                QrCode {
                    objectName: "doneQr"
                    Layout.alignment: Qt.AlignHCenter
                    theme: root.theme
                    visible: root.apply.offerQr !== ""
                    source: root.apply.step === "done" ? root.apply.offerQr : ""
                    caption: qsTr("Scan to keep this offer on your phone")
                }
            }
        }
    }

    // The step's actions, pinned under the content: the same place whatever is chosen above.
    Rectangle {
        id: footer
        objectName: "applyFooter"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: actions.implicitHeight + 2 * root.theme.gap * 2
        color: root.theme.palette.background
        Rectangle {
            anchors { left: parent.left; right: parent.right; top: parent.top }
            height: root.theme.borderWidth
            color: root.theme.palette.border
        }

        Item {
            id: actions
            width: steps.width
            x: root.theme.margin + steps.x
            anchors.verticalCenter: parent.verticalCenter
            implicitHeight: Math.max(formActions.implicitHeight, reviewActions.implicitHeight,
                                     doneActions.implicitHeight)

            KButton {
                id: formActions
                objectName: "reviewButton"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
                visible: root.apply.step === "form"
                theme: root.theme
                primary: true
                text: qsTr("Continue")
                onClicked: root.apply.review()
            }
            RowLayout {
                id: reviewActions
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
                visible: root.apply.step === "review"
                spacing: root.theme.gap * 2
                KButton {
                    objectName: "editButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1  // two equal halves
                    theme: root.theme
                    text: qsTr("Change")
                    onClicked: root.apply.edit()
                }
                KButton {
                    objectName: "sendButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    theme: root.theme
                    primary: true
                    text: qsTr("Send")
                    onClicked: root.apply.send()
                }
            }
            RowLayout {
                id: doneActions
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
                visible: root.apply.step === "done"
                spacing: root.theme.gap * 2
                KButton {
                    objectName: "finishButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    theme: root.theme
                    text: qsTr("Finish")
                    onClicked: root.session.finish()
                }
                KButton {
                    objectName: "similarButton"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    theme: root.theme
                    primary: true
                    text: qsTr("See similar offers")
                    onClicked: root.navigator.similar()
                }
            }
        }
    }

    // The confirmation stays while it is used, then the terminal is ready for the next person:
    // the idle monitor (Python) times it from the last input with its own delay ([idle]
    // done_after_s, scaled by "More time"), warns, and ends the session. This only tells it
    // that the confirmation is on screen.
    Binding {
        target: root.session
        property: "confirming"
        value: root.visible && root.apply.step === "done"
    }
}
