#!/usr/bin/env bash
# eng/install-clients.sh - the database command-line clients the command-step tests drive.
#
# Usage (as root):   bash eng/install-clients.sh
#
# The end-to-end tests of command steps (tests/.../CommandSteps, fixtures/command-steps) run psql against
# PostgreSQL, the mariadb client against MariaDB/MySQL and python3's sqlite3 module against SQLite, the way a
# team's migration tool would. Installs Debian's postgresql-client and mariadb-client when psql or
# mariadb/mysql is missing (apt-get update first); python3 is expected on the machine. Idempotent.
set -euo pipefail

say() { printf '[install-clients] %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@"
    else
        say "ERROR: need root to run: $*"
        exit 1
    fi
}

missing=()
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
if ! command -v mariadb >/dev/null 2>&1 && ! command -v mysql >/dev/null 2>&1; then
    missing+=(mariadb-client)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    say "installing: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v python3 >/dev/null 2>&1 || say "WARNING: python3 not found; the SQLite command-step tests will fail"
say "psql: $(command -v psql || echo missing); mariadb: $(command -v mariadb || command -v mysql || echo missing); python3: $(command -v python3 || echo missing)"
