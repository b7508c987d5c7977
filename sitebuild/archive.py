"""Zip files that are the same byte for byte every time they are made from the same files.

How it works
------------
``write_zip`` sorts the entries, gives every one the same timestamp (``source_date_epoch``:
``SOURCE_DATE_EPOCH``, else the time of the project's last commit, else a fixed date) and the
same permissions, and compresses each at one level. The offline copy of the site and each
notebook page's download are written with it.
"""

import os
import subprocess
import time
import zipfile
from pathlib import Path

FALLBACK_EPOCH = 1735689600  # 2025-01-01, when neither SOURCE_DATE_EPOCH nor git can say


def source_date_epoch(project="."):
    """``SOURCE_DATE_EPOCH``, else the time of the last commit of ``project``, else a fixed date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return int(out.stdout.strip())
    except OSError:
        pass
    return FALLBACK_EPOCH


def write_zip(entries, out, epoch):
    """Write ``{name in the zip: bytes or a file's Path}`` to ``out``: sorted, one timestamp, fixed permissions."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    partial = Path(str(out) + ".part")
    partial.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            data = entries[name]
            archive.writestr(info, data.read_bytes() if isinstance(data, Path) else data, compresslevel=9)
    partial.replace(out)
    return Path(out)
