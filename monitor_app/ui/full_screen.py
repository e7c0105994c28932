"""Full screen and the wall alone, the same in the main window and in a view's own window."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QWidget

from monitor_app.ui.camera_grid import CameraGrid


def toggle_full_screen(window: QMainWindow) -> None:
    window.showNormal() if window.isFullScreen() else window.showFullScreen()


def leave_full_window(window: QMainWindow, grid: CameraGrid) -> None:
    """Esc: the camera shown alone goes back to the grid; else full screen ends."""
    if grid.full_window_key:
        grid.toggle_full_window(grid.full_window_key)
    elif window.isFullScreen():
        window.showNormal()


def window_state_changed(window: QMainWindow, grid: CameraGrid, bars: tuple[QWidget, ...]) -> None:
    """Minimised: nothing decoded (connections drained); full screen: the wall alone, F11 or Esc bring the bars back."""
    grid.set_window_visible(not window.isMinimized())
    for bar in bars:
        bar.setVisible(not window.isFullScreen())
