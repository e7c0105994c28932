"""A synthetic camera scene: a detailed static background with moving objects and sensor noise.

JPEG sizes of these frames are close to a real 720p camera at the same quality (about 100-200 KB
at q80), so decoding them costs what decoding a real camera costs. Frames are encoded once and
replayed in a loop, so senders use little CPU.
"""

from __future__ import annotations

import cv2
import numpy as np


def background(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Low-pass noise (texture at several scales), gradients and a few solid shapes."""
    image = np.zeros((height, width, 3), np.float32)
    for cell, weight in ((64, 70.0), (16, 40.0), (4, 22.0)):
        small = rng.random((max(1, height // cell), max(1, width // cell), 3), dtype=np.float32)
        image += cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC) * weight
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    image[..., 0] += 60 * xs / width
    image[..., 2] += 60 * ys / height
    canvas = np.clip(image, 0, 255).astype(np.uint8)
    for _ in range(12):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(width // 20, width // 5)), int(rng.integers(height // 20, height // 4))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(canvas, (x, y), (x + w, y + h), colour, -1)
    return canvas


def frame_loop(width: int, height: int, count: int, quality: int, seed: int) -> list[bytes]:
    """``count`` JPEG frames of one scene, objects moving smoothly so the loop wraps gently."""
    rng = np.random.default_rng(seed)
    base = background(width, height, rng)
    objects = [
        (rng.random(2), rng.random(2) * 2 - 1, int(rng.integers(height // 16, height // 6)), rng.integers(0, 255, 3))
        for _ in range(5)
    ]
    frames = []
    for n in range(count):
        canvas = base.copy()
        phase = 2 * np.pi * n / count
        for (cx, cy), (dx, dy), radius, colour in objects:
            x = int(width * (cx + 0.2 * dx * np.sin(phase)) % width)
            y = int(height * (cy + 0.2 * dy * np.cos(phase)) % height)
            cv2.circle(canvas, (x, y), radius, tuple(int(c) for c in colour), -1)
        noise = rng.integers(-6, 7, canvas.shape, dtype=np.int16)
        canvas = np.clip(canvas.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        cv2.putText(canvas, f"frame {n:03d}", (20, height - 30), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)
        ok, encoded = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        frames.append(encoded.tobytes())
    return frames
