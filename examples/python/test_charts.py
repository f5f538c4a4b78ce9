#!/usr/bin/env python3
"""Run charts.py on a data directory and check that it wrote every chart the issue
asks for, each a valid PNG (signature, IHDR, every chunk's CRC, IEND last).

    test_charts.py CHARTS_PY DATA_DIR OUT_DIR

Exit status 77 (a skip for Meson) when matplotlib is not installed.
"""
import os
import struct
import subprocess
import sys
import zlib

PNG = b"\x89PNG\r\n\x1a\n"

# retention/survival with projections, P(alive) matrix, NPS trend, tornado, Monte Carlo
EXPECTED = {"retention.png", "probability_alive.png", "nps_trend.png", "nps_by_segment.png",
            "roi_tornado.png", "roi_monte_carlo.png"}


def check_png(path):
    """(width, height) of a well-formed PNG file; AssertionError otherwise."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == PNG, f"{path}: not a PNG signature"
    pos, chunks, size = 8, [], None
    while pos < len(data):
        assert pos + 12 <= len(data), f"{path}: truncated chunk at byte {pos}"
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"{path}: bad CRC in {kind!r} chunk"
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        chunks.append(kind)
        pos += 12 + length
    assert chunks and chunks[0] == b"IHDR" and chunks[-1] == b"IEND", f"{path}: {chunks}"
    assert b"IDAT" in chunks, f"{path}: no image data"
    assert size[0] >= 200 and size[1] >= 150, f"{path}: {size[0]}x{size[1]} pixels"
    return size


def main():
    script, data, out = sys.argv[1:4]
    for name in EXPECTED:  # nothing left over from an earlier run
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    p = subprocess.run([sys.executable, script, data, "--out", out], capture_output=True,
                       text=True, timeout=600)
    if p.returncode == 3 and "needs matplotlib" in p.stderr:
        print(p.stderr.strip())
        return 77
    assert p.returncode == 0, p.stderr
    written = [line.split(" ", 1)[1] for line in p.stdout.splitlines()
               if line.startswith("wrote ")]
    missing = EXPECTED - {os.path.basename(w) for w in written}
    assert not missing, f"charts.py did not write {sorted(missing)}:\n{p.stdout}"
    for path in written:
        assert os.path.isfile(path), path
        w, h = check_png(path)
        assert os.path.getsize(path) > 10000, f"{path}: suspiciously small"
        print(f"ok: {os.path.basename(path)} {w}x{h}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
