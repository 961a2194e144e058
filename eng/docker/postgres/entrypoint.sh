#!/usr/bin/env bash
# Entrypoint of rollbackverifier's local PostgreSQL 15 image.
#
# Honours the official `postgres` image's contract:
#   POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
#   POSTGRES_USER (default postgres), POSTGRES_DB (default $POSTGRES_USER),
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#   PGDATA, and *.sql / *.sql.gz / *.sh files in /docker-entrypoint-initdb.d.
# Arguments starting with '-' are passed to `postgres` (Testcontainers passes
# `-c fsync=off -c full_page_writes=off -c synchronous_commit=off`).
#
# First start: initdb, then a temporary server listening on the Unix socket
# only creates POSTGRES_DB and runs the init scripts, then stops. Only after
# that does the real server listen on TCP, so `pg_isready --host localhost`
# (Testcontainers' wait strategy) succeeds only once initialisation is done.
# The server is exec'd as PID 1 and handles SIGTERM/SIGINT itself.
set -Eeuo pipefail

log() { printf '%s\n' "$*"; }

# Read VAR from VAR or from the file named by VAR_FILE (Docker secrets style).
file_env() {
    local var="$1" def="${2:-}" fvar="${1}_FILE" val
    if [ -n "${!var:-}" ] && [ -n "${!fvar:-}" ]; then
        log "error: both $var and $fvar are set (but are exclusive)" >&2
        exit 1
    fi
    val="$def"
    if [ -n "${!var:-}" ]; then
        val="${!var}"
    elif [ -n "${!fvar:-}" ]; then
        val="$(<"${!fvar}")"
    fi
    export "$var"="$val"
    unset "$fvar"
}

# Postgres flags only: behave like `docker run postgres -c foo=bar`.
if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
    exec "$@"
fi

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA

# As root: fix ownership, then re-exec this script as the postgres user.
if [ "$(id -u)" = '0' ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA" || :
    chmod 2777 /var/run/postgresql || :
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$(readlink -f "$0")" "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
        cat >&2 <<'EOF'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
       (Or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password.)
EOF
        exit 1
    fi

    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    # --no-sync: durability is irrelevant for throwaway test databases.
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list by contract
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust \
        --auth-host="$POSTGRES_HOST_AUTH_METHOD" --no-sync \
        $POSTGRES_INITDB_ARGS
    rm -f "$pwfile"

    {
        printf '\n# rollbackverifier test-image settings\n'
        printf "listen_addresses = '*'\n"
        printf 'max_connections = 200\n'
        printf 'fsync = off\n'
        printf 'synchronous_commit = off\n'
        printf 'full_page_writes = off\n'
        printf "password_encryption = 'scram-sha-256'\n"
        printf "log_timezone = 'UTC'\n"
        printf "timezone = 'UTC'\n"
    } >>"$PGDATA/postgresql.conf"
    # TCP connections from anywhere must authenticate with a password
    # (scram-sha-256 unless POSTGRES_HOST_AUTH_METHOD says otherwise).
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

    # Temporary server: Unix socket only, so nobody sees it as ready yet.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start

    psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password)
    if [ "$POSTGRES_DB" != 'postgres' ]; then
        "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<'EOSQL'
CREATE DATABASE :"db" ;
EOSQL
    fi

    for f in /docker-entrypoint-initdb.d/*; do
        [ -e "$f" ] || continue
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    log "$0: running $f"
                    "$f"
                else
                    log "$0: sourcing $f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql) log "$0: running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
            *.sql.gz) log "$0: running $f"; gunzip -c "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" ;;
            *) log "$0: ignoring $f" ;;
        esac
    done

    pg_ctl -D "$PGDATA" -m fast -w stop
    log
    log 'PostgreSQL init process complete; ready for start up.'
    log
else
    log
    log 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    log
fi

exec "$@"
