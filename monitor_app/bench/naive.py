"""The naive design our users start from, run as its own process against the bench senders.

One receive loop thread binds a REP socket (imagezmq's ImageHub pattern), replies, decodes every
frame at full size with ``cv2.imdecode`` and emits one Qt signal per frame carrying the image; the
tile keeps the newest image and smooth-scales it to its size in ``paintEvent`` on the GUI thread.
It writes the same ``--stats-json`` document as the app, so the bench measures both the same way.

Run: ``python -m monitor_app.bench.naive --endpoint tcp://127.0.0.1:5555 --tiles 16 --stats-json F``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from typing import Any

import cv2
import numpy as np
import zmq
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QMainWindow, QSizePolicy, QWidget

from monitor_app.core.busy_meter import BusyMeter
from monitor_app.core.layouts.model import Layout
from monitor_app.core.pipeline.health import CameraHealth, ConnectionStatus
from monitor_app.core.pipeline.stats import write_json_atomic


class Receiver(QObject):
    """The naive receiver: one thread binds REP, decodes every frame in full and signals it to the GUI."""

    frame = Signal(str, QImage, float)
    """(camera name, full-size image, sender timestamp): one signal per frame."""

    def __init__(self, endpoint: str, health: dict[str, CameraHealth]) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.health = health
        self.stop = threading.Event()
        self.loop = threading.Thread(target=self._run, name="naive-receiver", daemon=True)

    def _run(self) -> None:
        ctx = zmq.Context()
        sock = ctx.socket(zmq.REP)
        sock.setsockopt(zmq.LINGER, 0)
        sock.bind(self.endpoint)
        try:
            while not self.stop.is_set():
                if not sock.poll(100):
                    continue
                header, jpeg = sock.recv_multipart()
                sock.send(b"OK")
                meta = json.loads(header)
                name, sent_at = str(meta["msg"]), float(meta.get("sent_at", 0.0))
                health = self.health.get(name)
                if health is None:
                    continue
                health.frame_received()
                bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
                if bgr is None:
                    health.bad_message()
                    continue
                h, w = bgr.shape[:2]
                image = QImage(bgr.data, w, h, bgr.strides[0], QImage.Format.Format_BGR888).copy()
                self.frame.emit(name, image, sent_at)
        finally:
            sock.close(linger=0)
            ctx.term()


class NaiveTile(QWidget):
    """Keeps the newest full-size image and smooth-scales it in ``paintEvent`` on the GUI thread."""

    def __init__(self, name: str, health: CameraHealth, busy: BusyMeter) -> None:
        super().__init__()
        self.name, self.health, self.busy = name, health, busy
        self.image: QImage | None = None
        self.sent_at = 0.0
        self.fresh = False
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def show_frame(self, image: QImage, sent_at: float) -> None:
        if self.fresh:
            self.health.frames_dropped_add()  # replaced before it was painted
        self.image, self.sent_at, self.fresh = image, sent_at, True
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        with self.busy.measure():
            painter = QPainter(self)
            painter.fillRect(self.rect(), QColor(18, 18, 20))
            if self.image is not None:
                scaled = self.image.scaled(
                    self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
                x = (self.width() - scaled.width()) / 2
                y = (self.height() - scaled.height()) / 2
                painter.drawImage(QPointF(x, y), scaled)
                if self.fresh:
                    self.fresh = False
                    self.health.frame_displayed(self.sent_at or None)
            painter.setPen(QColor(240, 240, 240))
            painter.drawText(QRectF(6, 0, self.width() - 12, 20), Qt.AlignmentFlag.AlignVCenter, self.name)
            painter.end()


class NaiveWindow(QMainWindow):
    """The naive design's window: a grid of ``NaiveTile`` fed by one ``Receiver``, same chrome as ours."""

    def __init__(self, endpoint: str, tiles: int) -> None:
        super().__init__()
        self.busy = BusyMeter()
        self.started = time.monotonic()
        names = [f"cam{n:02d}" for n in range(1, tiles + 1)]
        status = ConnectionStatus()
        self.health = {name: CameraHealth(status) for name in names}
        for title in ("&File", "&Layout", "&View", "&Help"):  # the same chrome as our window
            self.menuBar().addMenu(title)
        grid_shape = Layout(rows=1, columns=1)
        grid_shape.grow_to_fit(tiles)
        central = QWidget()
        grid = QGridLayout(central)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setSpacing(2)
        self.tiles: dict[str, NaiveTile] = {}
        for n, name in enumerate(names):
            tile = NaiveTile(name, self.health[name], self.busy)
            grid.addWidget(tile, n // grid_shape.columns, n % grid_shape.columns)
            self.tiles[name] = tile
        for r in range(grid_shape.rows):
            grid.setRowStretch(r, 1)
        for c in range(grid_shape.columns):
            grid.setColumnStretch(c, 1)
        self.setCentralWidget(central)
        self.resize(1280, 760)
        self.receiver = Receiver(endpoint, self.health)
        self.receiver.frame.connect(self.on_frame)
        self.receiver.loop.start()

    @Slot(str, QImage, float)
    def on_frame(self, name: str, image: QImage, sent_at: float) -> None:
        with self.busy.measure():
            self.tiles[name].show_frame(image, sent_at)

    def stats(self) -> dict[str, Any]:
        tiles = []
        for name, tile in self.tiles.items():
            h = self.health[name].snapshot()
            tiles.append(
                {
                    "title": name,
                    "camera": name,
                    "state": h.state.value,
                    "frames_received": h.frames_received,
                    "frames_decoded": h.frames_received,
                    "frames_displayed": h.frames_displayed,
                    "frames_dropped": h.frames_dropped,
                    "fps": round(h.fps, 2),
                    "latency_ms_p50": h.latency_ms_p50,
                    "latency_ms_p99": h.latency_ms_p99,
                    "tile_size": [tile.width(), tile.height()],
                }
            )
        uptime = time.monotonic() - self.started
        return {"tiles": tiles, "app": {"uptime_s": round(uptime, 3), "gui_busy_fraction": self.busy.fraction()}}

    def shutdown(self) -> None:
        self.receiver.stop.set()
        self.receiver.loop.join(2.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="camera-monitor _bench-naive", description=__doc__)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--tiles", type=int, required=True)
    parser.add_argument("--stats-json", required=True)
    parser.add_argument("--exit-after", type=float, required=True)
    args = parser.parse_args(argv)
    app = QApplication(sys.argv[:1])
    window = NaiveWindow(args.endpoint, args.tiles)
    window.show()
    stats_timer = QTimer(window)
    stats_timer.timeout.connect(lambda: write_json_atomic(args.stats_json, window.stats()))
    stats_timer.start(1000)
    QTimer.singleShot(int(args.exit_after * 1000), window.close)
    app.aboutToQuit.connect(window.shutdown)
    code = app.exec()
    window.shutdown()
    write_json_atomic(args.stats_json, window.stats())
    return int(code)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
