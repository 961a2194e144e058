#!/usr/bin/env bash
# eng/start-docker.sh - make sure a Docker daemon is running on this machine.
#
# Usage (as root):   bash eng/start-docker.sh
#
# What it does, idempotently:
#   1. installs Debian's docker.io and debootstrap if `dockerd`/`debootstrap`
#      are missing (apt-get update && apt-get install -y docker.io debootstrap);
#   2. if `docker info` already succeeds, does nothing more;
#   3. otherwise starts dockerd in the background (log: $RV_DOCKERD_LOG,
#      default /tmp/dockerd.log) and waits up to $RV_DOCKERD_TIMEOUT seconds
#      (default 60) for `docker info` to succeed;
#   4. prints the server's engine API version (also useful as DOCKER_API_VERSION).
#
# Machines that have a Docker daemon managed some other way (systemd, Docker
# Desktop) just hit step 2 and are left alone.
set -euo pipefail

log_file="${RV_DOCKERD_LOG:-/tmp/dockerd.log}"
timeout_s="${RV_DOCKERD_TIMEOUT:-60}"

say() { printf '[start-docker] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        die "need root to run: $*"
    fi
}

# --- 1. install packages if missing -----------------------------------------
missing=()
command -v docker >/dev/null 2>&1 || missing+=(docker.io)
if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
    missing+=(docker.io)
fi
if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
    missing+=(debootstrap)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    # de-duplicate
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    say "installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- 2. already running? ----------------------------------------------------
if docker info >/dev/null 2>&1; then
    say "docker daemon already running"
else
    # --- 3. start dockerd -----------------------------------------------------
    dockerd_bin="$(command -v dockerd || echo /usr/sbin/dockerd)"
    [ -x "$dockerd_bin" ] || die "dockerd not found after install"
    # A stale pid file from a killed daemon makes dockerd refuse to start.
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
        as_root rm -f /var/run/docker.pid
    fi
    if pgrep -x dockerd >/dev/null 2>&1; then
        say "a dockerd process exists but 'docker info' fails; waiting for it"
    else
        say "starting $dockerd_bin (log: $log_file)"
        # setsid + nohup: the daemon must outlive this script and the CI step.
        as_root setsid nohup "$dockerd_bin" >>"$log_file" 2>&1 </dev/null &
    fi
    deadline=$((SECONDS + timeout_s))
    until docker info >/dev/null 2>&1; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            say "last lines of $log_file:"
            tail -n 30 "$log_file" >&2 || true
            die "docker daemon did not become ready within ${timeout_s}s"
        fi
        sleep 1
    done
    say "docker daemon ready after $((SECONDS + timeout_s - deadline))s"
fi

# --- 4. report the API version ----------------------------------------------
api="$(docker version --format '{{.Server.APIVersion}}')"
say "server API version: $api"
printf '%s\n' "$api"
