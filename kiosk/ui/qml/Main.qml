pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Window
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import Kiosk

// The kiosk window: the session's pages inside the operable band, the embedded keyboard, and
// over them the attract screen (no session) and the "are you still there?" warning.
Window {
    id: window

    required property Theme theme
    required property LanguageController language
    required property Session session
    required property IdleMonitor monitor
    required property Navigator navigator
    required property AttractViewModel attract
    required property BrowseViewModel browse
    required property DetailViewModel detail
    required property ApplyViewModel apply
    required property OperatorViewModel operator
    required property SyncViewModel sync
    required property Guide guide
    required property ServicesViewModel services
    required property VerdictViewModel verdict
    required property FirmsViewModel firms

    width: 1080
    height: 1920
    color: window.theme.palette.background
    title: qsTr("Job Kiosk")

    // The session's screens are made once the attract screen, which covers them, has shown
    // its first frame (kiosk/ui/app.py sets this then), or at once when a session begins
    // before it: made at start they kept that frame back (docs/performance.md). Made whole
    // and at once, not incubated, so no touch finds half a screen; by an Instantiator, not a
    // Loader, so each is still the band's own child (a Loader is a focus scope: it would keep
    // the focus a field gave up).
    property bool screensMade: false
    onScreensMadeChanged: {
        // One after the other, so that the band holds them in this order.
        for (const maker of [browseMaker, servicesMaker, applyMaker, detailMaker, firmsMaker])
            maker.active = true
    }
    Connections {
        target: window.session
        function onActiveChanged() { window.screensMade = true }
    }

    LayoutMirroring.enabled: window.language.rightToLeft
    LayoutMirroring.childrenInherit: true

    // Above the reach limit when the lower-band option is on: seen, never needed.
    Rectangle {
        id: passiveArea
        objectName: "passiveArea"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: window.theme.bandTop
        visible: height > 0
        color: window.theme.palette.attract

        Text {
            anchors.centerIn: parent
            width: parent.width - 2 * window.theme.margin
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            text: qsTr("Job offers near here")
            textFormat: Text.PlainText
            font.pixelSize: window.theme.fontHeadline
            font.bold: true
            color: window.theme.palette.attractText
        }
    }

    Item {
        id: band
        objectName: "band"
        // No session: nothing of it exists for anyone (the attract screen covers it, and the
        // accessibility tree and the keys must not find it). Under a full-screen panel it is
        // faded out rather than hidden, so that a field keeps its focus for when it comes back.
        visible: window.session.active
        opacity: window.monitor.warning || window.operator.open || window.verdict.showing ? 0 : 1
        // Under "Clear and leave?" and the operator's panel nothing takes a touch: the tap
        // handlers behind their buttons would fire with them (an item's accepting a press
        // does not stop the pointer handlers below it).
        enabled: !window.session.asking && !window.operator.open && !window.verdict.showing
        anchors {
            left: parent.left
            right: parent.right
            top: passiveArea.bottom
            bottom: parent.bottom
            bottomMargin: keyboard.active ? keyboard.height : 0
        }

        AccessBar {
            id: accessBar
            anchors { left: parent.left; right: parent.right; top: parent.top }
            theme: window.theme
            language: window.language
            navigator: window.navigator
            session: window.session
        }

        OfflineBanner {
            id: offlineBanner
            anchors { left: parent.left; right: parent.right; top: accessBar.bottom }
            theme: window.theme
            sync: window.sync
        }

        Instantiator {
            id: browseMaker
            active: false  // until screensMade
            BrowseScreen {
                objectName: "browseScreen"
                parent: band
                anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom; bottom: parent.bottom }
                visible: window.navigator.page === "browse"
                theme: window.theme
                browse: window.browse
                navigator: window.navigator
                services: window.services
                firms: window.firms
            }
        }

        Instantiator {
            id: servicesMaker
            active: false  // until screensMade
            ServicesScreen {
                objectName: "servicesScreen"
                parent: band
                anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom; bottom: parent.bottom }
                visible: window.navigator.page === "services"
                theme: window.theme
                services: window.services
                navigator: window.navigator
            }
        }

        Instantiator {
            id: applyMaker
            active: false  // until screensMade
            ApplyScreen {
                objectName: "applyScreen"
                parent: band
                anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom; bottom: parent.bottom }
                visible: window.navigator.page === "apply"
                theme: window.theme
                apply: window.apply
                navigator: window.navigator
                session: window.session
            }
        }

        Instantiator {
            id: detailMaker
            active: false  // until screensMade
            DetailScreen {
                objectName: "detailScreen"
                parent: band
                anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom; bottom: parent.bottom }
                visible: window.navigator.page === "detail"
                theme: window.theme
                detail: window.detail
                navigator: window.navigator
                apply: window.apply
                firms: window.firms
            }
        }

        Instantiator {
            id: firmsMaker
            active: false  // until screensMade
            FirmsScreen {
                objectName: "firmsScreen"
                parent: band
                anchors { left: parent.left; right: parent.right; top: offlineBanner.bottom; bottom: parent.bottom }
                visible: window.navigator.page === "firms"
                theme: window.theme
                firms: window.firms
                navigator: window.navigator
                apply: window.apply
                sync: window.sync
            }
        }
    }

    InputPanel {
        id: keyboard
        objectName: "keyboard"
        z: 50
        // Full width in portrait; in landscape a keyboard as wide as the screen would be
        // half the screen high, so it is narrower and centred.
        width: window.theme.portrait ? window.width : Math.min(window.width, window.height * 1.15)
        x: (window.width - width) / 2
        y: active ? window.height - height : window.height
        visible: active
        // The kiosk style (keyboard/QtQuick/VirtualKeyboard/Styles/kiosk) reads its colours and
        // sizes from here: high contrast and large text restyle the keyboard too.
        property Theme theme: window.theme
    }

    Binding {
        target: VirtualKeyboardSettings
        property: "styleName"
        value: "kiosk"
    }
    Binding {
        // With one layout the language key could only ever be a dead key: no key for it.
        target: VirtualKeyboardSettings
        property: "visibleFunctionKeys"
        value: QtVirtualKeyboard.KeyboardFunctionKeys.Hide
    }
    Binding {
        target: VirtualKeyboardSettings
        property: "locale"
        value: window.language.keyboardLocale
    }
    Binding {
        // One layout, the interface's: no globe key to land in a script nobody reads.
        target: VirtualKeyboardSettings
        property: "activeLocales"
        value: [window.language.keyboardLocale]
    }

    AttractScreen {
        id: attractScreen
        objectName: "attractScreen"
        anchors.fill: parent
        z: 100
        visible: !window.session.active
        theme: window.theme
        language: window.language
        session: window.session
        attract: window.attract
        sync: window.sync
        guide: window.guide
        navigator: window.navigator
        services: window.services
    }

    // "Clear and leave?": the finish button asks first when something typed would be lost.
    KDialog {
        objectName: "leaveDialog"
        anchors.fill: parent
        z: 150
        visible: window.session.asking
        theme: window.theme
        title: qsTr("Clear and leave?")
        message: qsTr("What you typed will be cleared, and the next person will find an empty screen.")
        closeText: qsTr("No, go on")
        onClosed: window.session.stay()

        KButton {
            objectName: "leaveConfirm"
            anchors.horizontalCenter: parent.horizontalCenter
            theme: window.theme
            glyph: "✕"
            text: qsTr("Clear and leave")
            onClicked: window.session.finish()
        }
    }

    // "Did this terminal help you?": the last screen of a session the person ends themselves
    // after opening an offer or applying (kiosk/ui/verdict.py decides, counts and times it).
    VerdictLayer {
        objectName: "verdictLayer"
        anchors.fill: parent
        z: 160
        visible: window.verdict.showing
        theme: window.theme
        verdict: window.verdict
    }

    IdleWarning {
        objectName: "idleWarning"
        anchors.fill: parent
        z: 200
        visible: window.monitor.warning
        theme: window.theme
        monitor: window.monitor
        session: window.session
    }

    // Last of the layers, as it is the top-most: the guide takes the last dialog that shows
    // as the one in front.
    OperatorPanel {
        objectName: "operatorPanel"
        anchors.fill: parent
        z: 300
        theme: window.theme
        operator: window.operator
    }

    // The focus of keys and of audio mode, drawn on the item that has it.
    FocusRing {
        objectName: "focusRing"
        theme: window.theme
        home: window.contentItem
        target: window.guide.focusItem as Item
    }

    // After a session's wipe: what only the view holds (focus, scroll positions) goes too.
    Connections {
        target: window.session
        function onWiped() {
            window.contentItem.forceActiveFocus()
            keyboard.keyboard.symbolMode = false  // the next person starts on letters
            for (const maker of [browseMaker, detailMaker, applyMaker, servicesMaker, firmsMaker])
                maker.object?.resetView()  // (no item: not made yet, nothing to reset)
        }
    }
}
