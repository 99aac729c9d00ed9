import QtQuick
import Kiosk

// The focus ring of key navigation and audio mode: a thick outline in the focus colour with a
// thin line of the opposite lightness inside it, so it stands out at 3:1 or more on any
// background. It is drawn as a child of the focused item and follows it as it scrolls.
Rectangle {
    id: ring

    required property Theme theme
    required property Item home  // where the ring waits, hidden, while nothing has focus
    property Item target: null

    parent: ring.target ?? ring.home
    visible: ring.target !== null
    // Over the edges of a control (a list that clips its cards never cuts the ring), around
    // a small item such as a heading (whose words a ring drawn inside would cover).
    readonly property real outset: ring.target && ring.target.height < ring.theme.target
                                   ? ring.border.width + 2 : 0
    x: -ring.outset
    y: -ring.outset
    width: ring.parent ? ring.parent.width + 2 * ring.outset : 0
    height: ring.parent ? ring.parent.height + 2 * ring.outset : 0
    z: 1000
    radius: ring.theme.radius
    color: "transparent"
    border.width: ring.theme.focusWidth * 2
    border.color: ring.theme.palette.focus

    Rectangle {
        anchors { fill: parent; margins: ring.border.width }
        radius: Math.max(0, ring.radius - ring.border.width)
        color: "transparent"
        border.width: Math.max(2, Math.round(ring.theme.focusWidth / 2))
        border.color: ring.theme.highContrast ? "#000000" : "#ffffff"
    }
}
