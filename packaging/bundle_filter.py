"""What packaging/kiosk.spec leaves out of the terminal bundle, as plain data and one function
(imported by the spec, and tested without PyInstaller in tests/release/test_packaging_files.py).

`wanted(destination)` is asked for every binary and data file PyInstaller collected, by its path
inside the bundle (`PySide6/Qt/lib/libQt6Widgets.so.6`, `libgtk-3.so.0`, …).
"""

from __future__ import annotations

# Qt libraries, QML modules and plug-ins a job terminal never loads, matched as substrings of a
# path inside the bundle. A library listed here must not be needed by one that is kept
# (the test checks this against the installed PySide6 wheel's ELF dependencies).
EXCLUDED_QT = (
    "Qt6Designer",
    "Qt6Help",
    "Qt6Test",
    "Qt6QuickTest",
    "Qt6WebEngine",
    "Qt6WebView",
    "Qt6WebChannel",
    "Qt6Pdf",
    "Qt63D",
    "Qt6Quick3D",
    "Qt6Charts",
    "Qt6DataVisualization",
    "Qt6Graphs",
    "Qt6Location",
    "Qt6Bluetooth",
    "Qt6Nfc",
    "Qt6SerialPort",
    "Qt6SerialBus",
    "Qt6RemoteObjects",
    "Qt6Scxml",
    "Qt6Sensors",
    "Qt6HttpServer",
    "Qt6SpatialAudio",
    "Qt6ShaderTools",
    "qml/Qt3D",
    "qml/QtQuick3D",
    "qml/QtQuick/Scene2D",
    "qml/QtQuick/Scene3D",
    "qml/QtCharts",
    "qml/QtDataVisualization",
    "qml/QtGraphs",
    "qml/QtLocation",
    "qml/QtWebEngine",
    "qml/QtWebView",
    "qml/QtWebChannel",
    "qml/QtWebSockets",
    "qml/QtSensors",
    "qml/QtScxml",
    "qml/QtRemoteObjects",
    "qml/QtBluetooth",
    "qml/QtNfc",
    "qml/QtTest",
    "qml/QtPositioning",
    "qml/QtQuick/Pdf",
    "qml/QtSpatialAudio",
    "qml/Qt/labs/lottieqt",
    "plugins/designer",
    "plugins/sceneparsers",
    "plugins/renderers",
    "plugins/geometryloaders",
    "plugins/position",
    "plugins/geoservices",
    "plugins/sensors",
    "plugins/canbus",
    "plugins/qmltooling",
    "plugins/renderplugins",
    "plugins/assetimporters",
    # The UI uses the Basic Controls style (kiosk/ui/app.py); Fusion and Material stay as
    # fallbacks, the Windows-look and image styles go.
    "Qt6QuickControls2FluentWinUI3",
    "Qt6QuickControls2Imagine",
    "Qt6QuickControls2Universal",
    "qml/QtQuick/Controls/FluentWinUI3",
    "qml/QtQuick/Controls/Imagine",
    "qml/QtQuick/Controls/Universal",
    "Qt6LabsStyleKit",
    "qml/Qt/labs/StyleKit",
    # A Wayland client, never a compositor; platforms kept: wayland, xcb, eglfs, offscreen, vnc.
    "Qt6WaylandCompositor",
    "qml/QtWayland/Compositor",
    "platforms/libqlinuxfb",
    "platforms/libqvkkhrdisplay",
    "platforms/libqminimal",
    # Qt Widgets: the kiosk is Qt Quick only (QGuiApplication). Its library, every library and
    # plug-in built on it (print support, widget wrappers, Qt.labs.platform's native dialogs),
    # and the platform themes: a desktop's look (the GTK 3 theme alone pulls in GTK, ATK,
    # Cairo, Pango and ~20 more system libraries), never used under cage.
    "Qt6Widgets",
    "Qt6MultimediaWidgets",
    "Qt6OpenGLWidgets",
    "Qt6QuickWidgets",
    "Qt6SvgWidgets",
    "Qt6PrintSupport",
    "Qt6UiTools",
    "Qt6CanvasPainter",
    "Qt6LabsPlatform",
    "qml/Qt/labs/platform",
    "plugins/printsupport",
    "plugins/platformthemes/",
    "plugins/styles/",
    "/QtWidgets.abi3",
    "/QtMultimediaWidgets.abi3",
    "/QtOpenGLWidgets.abi3",
    "/QtQuickWidgets.abi3",
    "/QtSvgWidgets.abi3",
    "/QtPrintSupport.abi3",
    "/QtSql.abi3",
    "/QtUiTools.abi3",
    # Plug-ins of modules left out above (each would fail to load for want of its library).
    "plugins/webview",
    "plugins/scxmldatamodel",
    "plugins/wayland-graphics-integration-server",
    "Qt6WaylandEglCompositorHwIntegration",
    "imageformats/libqpdf",
    "qml/Qt5Compat",
)

# System libraries: never copied from the build machine; the terminal's base image provides
# them (packaging/provision.sh installs the packages). A build host's copy would shadow the
# terminal's own and break with its Mesa drivers (libstdc++), its font configuration
# (fontconfig, freetype), its D-Bus daemon or its sound server (PulseAudio or PipeWire).
# Matched against the file name of libraries at the top of the bundle, where PyInstaller puts
# what it found on the build host (the Qt wheel's own libraries live under PySide6/).
SYSTEM_LIBRARIES = (
    "libstdc++.so",
    "libgcc_s.so",
    "libfontconfig.so",
    "libfreetype.so",
    "libpng16.so",
    "libbrotli",
    "libdbus-1.so",
    "libsystemd.so",
    "libpulse",
    "libsndfile.so",
    "libasyncns.so",
    "libFLAC.so",
    "libvorbis",
    "libogg.so",
    "libopus.so",
    "libmp3lame.so",
    "libmpg123.so",
    "libglib-2.0.so",
    "libgobject-2.0.so",
    "libgio-2.0.so",
    "libgmodule-2.0.so",
    "libgthread-2.0.so",
    "libxkbcommon",
    "libwayland-",
    # What only the GTK 3 platform theme needed (it is excluded above).
    "libgtk-3.so",
    "libgdk-3.so",
    "libgdk_pixbuf",
    "libatk-1.0.so",
    "libatk-bridge",
    "libatspi.so",
    "libcairo",
    "libpango",
    "libharfbuzz.so",
    "libfribidi.so",
    "libthai.so",
    "libdatrie.so",
    "libpixman",
    "libepoxy.so",
    "libXi.so",
    "libXfixes.so",
    "libXrandr.so",
    "libXcursor.so",
    "libXdamage.so",
    "libXcomposite.so",
    "libXinerama.so",
    "libXrender.so",
    "libcloudproviders.so",
    "libtracker",
    "libjpeg.so",
    "libtiff.so",
    "libwebp",
    "libjbig",
    "libLerc.so",
    "libdeflate.so",
    "libgraphite2.so",
)
# Qt's own translations: only the interface languages (kiosk/config.py LANGUAGES).
QT_LANGUAGES = ("fr", "en", "ar")


def wanted(destination: str) -> bool:
    """Whether a collected file (its path inside the bundle) goes into the terminal bundle."""
    destination = destination.replace("\\", "/")
    if "PySide6/Qt/translations/" in destination and destination.endswith(".qm"):
        language = destination.rsplit("_", 1)[-1].removesuffix(".qm").split("_")[0]
        if language not in QT_LANGUAGES:
            return False
    if "/" not in destination and destination.startswith(SYSTEM_LIBRARIES):
        return False
    return not any(part in destination for part in EXCLUDED_QT)
