"""``camera-monitor doctor``: the checks users otherwise learn from tracebacks and forum threads.

Qt-free on purpose: whether Qt's platform plugin loads is asked of ``ldd`` and of a child
process (a failing platform plugin aborts the process that loads it), never of this one.
:func:`monitor_app.doctor.diagnose.diagnose` runs every check; ``commands/doctor.py`` prints them.
"""
