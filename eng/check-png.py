#!/usr/bin/env python3
"""eng/check-png.py - prove a screenshot is a real picture, with the standard library only.

Usage: python3 eng/check-png.py IMAGE.png [--width W] [--height H] [--darker-than OTHER.png]

Decodes the PNG (8-bit greyscale, RGB or RGBA, not interlaced: what Chromium writes) and fails (exit 1) when it
is smaller than a few kilobytes, has another size than expected, or is blank: nearly one colour, little contrast
(luminance standard deviation), few distinct colours. --darker-than checks that this image's mean luminance is
below OTHER's (the dark colour scheme really applied). Prints one line of statistics.
"""
import argparse
import struct
import sys
import zlib

MIN_BYTES = 10_000
MIN_STDDEV = 12.0          # luminance, 0..255
MIN_COLOURS = 64
MIN_NON_BACKGROUND = 0.03  # share of pixels that differ from the most common colour


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        elif kind != 0:
            raise ValueError(f"{path}: bad filter type {kind}")
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def statistics(path):
    width, height, channels, rows = decode(path)
    counts, total, squares, n = {}, 0.0, 0.0, 0
    for row in rows:
        for x in range(0, len(row), channels):
            pixel = row[x:x + min(channels, 3)]
            counts[pixel] = counts.get(pixel, 0) + 1
            if channels >= 3:
                y = 0.2126 * pixel[0] + 0.7152 * pixel[1] + 0.0722 * pixel[2]
            else:
                y = pixel[0]
            total += y
            squares += y * y
            n += 1
    mean = total / n
    stddev = max(0.0, squares / n - mean * mean) ** 0.5
    background = max(counts.values()) / n
    return width, height, mean, stddev, len(counts), 1.0 - background


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("image")
    parser.add_argument("--width", type=int)
    parser.add_argument("--height", type=int)
    parser.add_argument("--darker-than")
    args = parser.parse_args()

    size = len(open(args.image, "rb").read())
    width, height, mean, stddev, colours, foreground = statistics(args.image)
    print(f"[check-png] {args.image}: {width}x{height}, {size} bytes, mean luminance {mean:.1f}, "
          f"stddev {stddev:.1f}, {colours} colours, {foreground:.1%} non-background")
    problems = []
    if size < MIN_BYTES:
        problems.append(f"only {size} bytes (expected at least {MIN_BYTES})")
    if args.width and width != args.width or args.height and height != args.height:
        problems.append(f"size {width}x{height}, expected {args.width}x{args.height}")
    if stddev < MIN_STDDEV:
        problems.append(f"luminance standard deviation {stddev:.1f} < {MIN_STDDEV}: blank or nearly so")
    if colours < MIN_COLOURS:
        problems.append(f"{colours} distinct colours < {MIN_COLOURS}: no text or graphics rendered")
    if foreground < MIN_NON_BACKGROUND:
        problems.append(f"{foreground:.1%} of pixels differ from the background < {MIN_NON_BACKGROUND:.0%}")
    if args.darker_than:
        other = statistics(args.darker_than)[2]
        if mean >= other:
            problems.append(f"mean luminance {mean:.1f} is not below {other:.1f} of {args.darker_than}")
    for problem in problems:
        print(f"[check-png] ERROR: {args.image}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, zlib.error) as error:
        print(f"[check-png] ERROR: {error}", file=sys.stderr)
        sys.exit(1)
