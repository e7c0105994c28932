"""Recording: every camera's compressed frames written to Matroska files as they arrived (DESIGN.md).

JPEG frames are stream-copied into an MJPEG track, H.264/H.265 packets of URL cameras are remuxed,
raw arrays are encoded to JPEG once; nothing is re-encoded. A pre-roll ring per camera keeps the last
seconds, so a recording starts with what just happened. The receiver thread only appends references:
a writer thread per recording, behind a bounded queue, does all the writing.
"""
