"""The ``url`` source kind: its layout fields (checked in the layout and in the camera form) and its factory."""

from __future__ import annotations

from monitor_app.core.sources.base import FrameSource
from monitor_app.core.sources.kind import OptionField, SourceKind, SourceRequest, number_range, one_of
from monitor_app.core.sources.url import UrlSource
from monitor_app.core.sources.url_hw import decoder_problem
from monitor_app.core.sources.url_open import DEFAULT_OPEN_TIMEOUT_S, DEFAULT_READ_TIMEOUT_S, url_problem
from monitor_app.core.sources.url_rtsp import TRANSPORT_CHOICES, TRANSPORTS
from monitor_app.core.sources.url_worker import UrlSettings


def _create(request: SourceRequest) -> FrameSource:
    options = request.options
    return UrlSource(
        UrlSettings(
            url=str(options["url"]),
            sub_url=options.get("sub_url") or None,
            transport=str(options["transport"]),
            loop=bool(options["loop"]),
            open_timeout_s=float(options["open_timeout_s"]),
            read_timeout_s=float(options["read_timeout_s"]),
            reader=str(options["reader"]),
            decoder=str(options["decoder"]),
        )
    )


KIND = SourceKind(
    name="url",
    label="URL (RTSP, HTTP MJPEG, file, webcam)",
    factory=_create,
    fields={
        "url": OptionField(str, required=True, check=url_problem, secret_url=True),
        "sub_url": OptionField(
            str,
            check=lambda v: url_problem(v) if v else None,
            label="Sub-stream URL",
            hint="optional: a smaller stream, used while the tile is small",
            secret_url=True,
        ),
        "transport": OptionField(
            str,
            default="auto",
            check=one_of(*TRANSPORTS),
            label="RTSP transport",
            choices=TRANSPORT_CHOICES,
        ),
        "loop": OptionField(bool, default=True),
        "open_timeout_s": OptionField((int, float), default=DEFAULT_OPEN_TIMEOUT_S, check=number_range(0.5, 60)),
        "read_timeout_s": OptionField((int, float), default=DEFAULT_READ_TIMEOUT_S, check=number_range(0.5, 60)),
        "reader": OptionField(
            str,
            default="auto",
            check=one_of("auto", "pyav", "opencv"),
            label="Reader",
            choices=(
                ("auto", "Automatic (PyAV; OpenCV for webcams)"),
                ("pyav", "PyAV (FFmpeg's libraries)"),
                ("opencv", "OpenCV VideoCapture"),
            ),
        ),
        "decoder": OptionField(
            str,
            default="auto",
            check=decoder_problem,
            label="Decoder",
            choices=(
                ("auto", "Automatic (hardware when available)"),
                ("software", "Software"),
                *((name, name) for name in ("vaapi", "cuda", "qsv", "videotoolbox", "d3d11va")),
            ),
        ),
    },
    address="url",
    address_hint="rtsp://user:password@camera/stream, http://phone:8080/video, /path/video.mp4, 0",
)
