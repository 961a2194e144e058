#!/usr/bin/env bash
# eng/screenshot-report.sh - render an HTML report to PNG with headless Chromium and check that the picture is real.
#
# Usage:
#   bash eng/screenshot-report.sh                   # verify scenarios/ on SQLite with the CLI (report.html, .md,
#                                                   # .json in $RV_REPORT_DIR), then screenshot report.html
#   bash eng/screenshot-report.sh REPORT.html       # screenshot an existing report (e.g. fixtures/golden/report.html)
#
# Writes report.png (light colour scheme) and report-dark.png (prefers-color-scheme: dark) next to the report and
# prints their paths. Each is checked by eng/check-png.py: a PNG of the window size, not blank (contrast, colours,
# pixels other than the background), and the dark one darker than the light one.
#
# Environment:
#   RV_CHROMIUM          browser binary (default: the first of chromium, chromium-browser, google-chrome,
#                        google-chrome-stable on PATH; on Debian: apt-get install -y chromium)
#   RV_REPORT_DIR        where the generated report goes (default rv-reports)
#   RV_SCREENSHOT_SIZE   window size WIDTH,HEIGHT (default 1280,2400)
#   RV_SCREENSHOT_TIMEOUT  seconds per screenshot (default 120)
#
# Exit codes: 0 screenshots written and checked; 1 a screenshot is missing, the wrong size or blank;
# 2 no browser, or the report could not be generated.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[screenshot] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit "${2:-2}"; }

size="${RV_SCREENSHOT_SIZE:-1280,2400}"
width="${size%,*}"
height="${size#*,}"
timeout_s="${RV_SCREENSHOT_TIMEOUT:-120}"

browser="${RV_CHROMIUM:-}"
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then browser="$candidate"; break; fi
    done
fi
[ -n "$browser" ] && command -v "$browser" >/dev/null 2>&1 \
    || die "no Chromium found: apt-get install -y chromium, or set RV_CHROMIUM"

if [ "$#" -ge 1 ]; then
    report="$1"
    [ -f "$report" ] || die "no such report: $report"
else
    out_dir="${RV_REPORT_DIR:-rv-reports}"
    say "verifying scenarios/ on SQLite into $out_dir"
    set +e
    dotnet run --project src/RollbackVerifier.Cli -c Release -- \
        verify scenarios --engine sqlite --report html,md,json --out "$out_dir" >"/tmp/rv-screenshot-verify.log" 2>&1
    rc=$?
    set -e
    # 1 only says some scenario did not meet its expectation: the report is still worth a picture (the tests judge it).
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        tail -n 30 /tmp/rv-screenshot-verify.log >&2
        die "rollback-verifier verify exited with $rc"
    fi
    report="$out_dir/report.html"
    [ -f "$report" ] || die "the CLI wrote no $report"
fi

report_abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
stem="${report_abs%.html}"
light="$stem.png"
dark="$stem-dark.png"

shoot() {
    local target="$1"; shift
    local profile log
    # A fresh profile per run; the flags keep Chromium from reaching for the network (it would hang on a closed one).
    profile="$(mktemp -d /tmp/rv-chromium.XXXXXX)"
    log="$(mktemp /tmp/rv-chromium-log.XXXXXX)"
    rm -f "$target"
    local no_sandbox=()
    if [ "$(id -u)" -eq 0 ]; then no_sandbox=(--no-sandbox); fi
    if ! timeout "$timeout_s" "$browser" --headless "${no_sandbox[@]}" --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --user-data-dir="$profile" --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$width,$height" "$@" --screenshot="$target" "file://$report_abs" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        rm -rf "$profile" "$log"
        die "$browser failed or timed out after ${timeout_s}s" 1
    fi
    rm -rf "$profile" "$log"
    [ -s "$target" ] || die "$browser wrote no $target" 1
}

say "rendering $report_abs with $browser ($width x $height)"
shoot "$light"
shoot "$dark" --force-dark-mode
python3 eng/check-png.py "$light" --width "$width" --height "$height" || exit 1
python3 eng/check-png.py "$dark" --width "$width" --height "$height" --darker-than "$light" || exit 1
printf '%s\n%s\n' "$light" "$dark"
