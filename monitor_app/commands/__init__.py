"""Sub-commands of ``camera-monitor`` that run without a window (validate, send, probe, bench, doctor, relay, keys).

Each module has ``add_arguments(parser)`` and ``run(args) -> int`` and is imported only when
its command is used, so ``camera-monitor validate`` starts fast and needs no display.
"""

COMMANDS = {
    "validate": ("monitor_app.commands.validate", "check a layout file and name every problem"),
    "send": ("monitor_app.commands.send", "send frames to a hub in the imagezmq format"),
    "probe": ("monitor_app.commands.probe", "open a camera URL and report what it delivers"),
    "bench": ("monitor_app.commands.bench", "measure our pipeline against the naive design"),
    "doctor": ("monitor_app.commands.doctor", "check Qt, the display, FFmpeg, ports and folders; say what to fix"),
    "relay": ("monitor_app.commands.relay", "take cameras in and publish them to many monitors (no window)"),
    "keys": ("monitor_app.commands.keys", "write a CURVE key pair for encrypted, authenticated hubs"),
}
