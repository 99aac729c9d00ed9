"""The keys of audio mode and key navigation: an ordinary keyboard and the usual tactile kiosk
keypads (a numeric keypad with NumLock off sends arrows, Clear, Insert and Enter; an audio
navigation keypad sends arrows, Enter and the media keys). docs/operators.md has the table."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt

Key = Qt.Key


class Command(enum.StrEnum):
    """What a key asks of the guide."""

    NEXT = "next"
    PREVIOUS = "previous"
    ACTIVATE = "activate"
    BACK = "back"
    REPEAT = "repeat"
    HELP = "help"
    VOLUME_UP = "volume_up"
    VOLUME_DOWN = "volume_down"
    FASTER = "faster"
    SLOWER = "slower"
    AUDIO = "audio"  # audio mode on or off
    SPEAK_TYPED = (
        "speak_typed"  # read what is typed aloud even on the loudspeaker (the person chose)
    )
    WHEEL_FORWARD = "wheel_forward"  # in a text field, audio mode: the next character
    WHEEL_BACK = "wheel_back"  # the previous character


# Keys that mean the same everywhere, a text field included.
GLOBAL: dict[Key, Command] = {
    Key.Key_Tab: Command.NEXT,
    Key.Key_Backtab: Command.PREVIOUS,  # Shift+Tab
    Key.Key_Down: Command.NEXT,  # keypad 2
    Key.Key_Up: Command.PREVIOUS,  # keypad 8
    Key.Key_F1: Command.HELP,
    Key.Key_Help: Command.HELP,
    Key.Key_F2: Command.AUDIO,
    Key.Key_F3: Command.REPEAT,
    Key.Key_F4: Command.BACK,
    Key.Key_Back: Command.BACK,
    Key.Key_F6: Command.SPEAK_TYPED,
    Key.Key_F7: Command.SLOWER,
    Key.Key_F8: Command.FASTER,
    Key.Key_F9: Command.VOLUME_DOWN,
    Key.Key_F10: Command.VOLUME_UP,
    Key.Key_VolumeDown: Command.VOLUME_DOWN,
    Key.Key_VolumeUp: Command.VOLUME_UP,
    Key.Key_Select: Command.ACTIVATE,
}

# Keys that type in a text field and command elsewhere.
OUTSIDE_TEXT: dict[Key, Command] = {
    Key.Key_Return: Command.ACTIVATE,
    Key.Key_Enter: Command.ACTIVATE,  # keypad Enter
    Key.Key_Space: Command.ACTIVATE,
    Key.Key_Clear: Command.ACTIVATE,  # keypad 5 with NumLock off
    Key.Key_Right: Command.NEXT,  # keypad 6 (mirrored in a right-to-left language)
    Key.Key_Left: Command.PREVIOUS,  # keypad 4
    Key.Key_Backspace: Command.BACK,
    Key.Key_Insert: Command.BACK,  # keypad 0 with NumLock off
    Key.Key_Asterisk: Command.REPEAT,  # keypad *
    Key.Key_Slash: Command.HELP,  # keypad /
    Key.Key_Plus: Command.VOLUME_UP,  # keypad +
    Key.Key_Minus: Command.VOLUME_DOWN,  # keypad -
}

# In a text field: Enter leaves the field (or types the wheel's character, in audio mode),
# arrows left and right turn the character wheel in audio mode.
IN_TEXT: dict[Key, Command] = {
    Key.Key_Return: Command.ACTIVATE,
    Key.Key_Enter: Command.ACTIVATE,
    Key.Key_Clear: Command.ACTIVATE,
}
IN_TEXT_AUDIO: dict[Key, Command] = {
    Key.Key_Right: Command.WHEEL_FORWARD,
    Key.Key_Left: Command.WHEEL_BACK,
}

MIRRORED = {
    Command.NEXT: Command.PREVIOUS,
    Command.PREVIOUS: Command.NEXT,
    Command.WHEEL_FORWARD: Command.WHEEL_BACK,
    Command.WHEEL_BACK: Command.WHEEL_FORWARD,
}


def command_for(
    key: int, *, in_text: bool, audio: bool, right_to_left: bool = False
) -> Command | None:
    """The command of `key` where focus is (`in_text`: a text field has it), or None (the key
    goes where it would go without the guide: typing, the lockdown's Escape)."""
    try:
        qt_key = Key(key)
    except ValueError:
        return None
    command = GLOBAL.get(qt_key)
    if command is None:
        if in_text:
            command = IN_TEXT.get(qt_key) or (IN_TEXT_AUDIO.get(qt_key) if audio else None)
        else:
            command = OUTSIDE_TEXT.get(qt_key)
    if command is not None and right_to_left and qt_key in {Key.Key_Left, Key.Key_Right}:
        command = MIRRORED.get(command, command)
    return command
