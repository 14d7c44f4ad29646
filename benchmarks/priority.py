"""Benchmark helper: give the PostgreSQL server process of a connection this process's priority.

Figures for the docs are taken under `nice -n -10` so other work on a shared machine does not distort them;
on PostgreSQL most of an import's time is spent in the server process serving its connection, which
`nice` does not reach. When this process runs with a raised priority and may set another process's (root,
server on this machine), the backend of each timed connection gets the same niceness; PostgreSQL's other
processes (WAL writer, checkpointer) are left as they are.
"""

from __future__ import annotations

import os


def renice_backend(cursor) -> str:
    """Set the niceness of the server process behind `cursor`'s connection to this process's; says what it did."""
    niceness = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness >= 0:
        return "server process not reniced (this process is not niced up)"
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (PermissionError, ProcessLookupError) as exc:
        return f"server process {pid} not reniced ({exc.__class__.__name__})"
    return f"server process {pid} reniced to {niceness}"
