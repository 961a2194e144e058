#!/usr/bin/env bash
# Entrypoint of rollbackverifier's local MySQL-compatible (MariaDB 10.11) image.
#
# Honours the official `mysql` image's contract (MARIADB_* spellings work too):
#   MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD
#   (one is required), MYSQL_DATABASE, MYSQL_USER + MYSQL_PASSWORD,
#   MYSQL_ROOT_HOST (default '%'), and *.sql / *.sql.gz / *.sh files in
#   /docker-entrypoint-initdb.d (run against a socket-only temporary server;
#   .sh files are sourced).
# Arguments starting with '-' are passed to the server.
#
# Differences from the official image, on purpose:
#   * MYSQL_USER is created for both '%' and 'localhost' (MariaDB's own
#     'mysql'@'localhost' socket user would otherwise shadow 'mysql'@'%',
#     Testcontainers' default user) and gets ALL PRIVILEGES ON *.* WITH GRANT
#     OPTION, because the harness creates and drops a database per scenario.
#   * Without init scripts, users are created with --init-file on the first
#     start of the real server (no temporary server, ~1 s faster): the server
#     accepts no connection before the init file has run, so
#     `mysql ... -e 'SELECT 1'` (Testcontainers' wait strategy) cannot succeed
#     before the users exist. Trap: MariaDB stops reading an init file at the
#     first failing statement WITHOUT logging it, which is why init scripts go
#     through a temporary server and the client instead.
#   * The system tables are created at image build time.
# The server is exec'd as PID 1 and handles SIGTERM itself.
set -Eeuo pipefail

CNF=/etc/mysql/rollbackverifier.cnf
DATADIR=/var/lib/mysql
MARKER="$DATADIR/.rollbackverifier-initialized"
INIT_SQL=/run/mysqld/rollbackverifier-init.sql

log() { printf '%s [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

# MYSQL_X wins, else MARIADB_X, else the file named by MYSQL_X_FILE/MARIADB_X_FILE.
env_compat() {
    local name="$1" v
    for v in "MYSQL_$name" "MARIADB_$name"; do
        if [ -n "${!v:-}" ]; then printf '%s' "${!v}"; return; fi
    done
    for v in "MYSQL_${name}_FILE" "MARIADB_${name}_FILE"; do
        if [ -n "${!v:-}" ]; then cat -- "${!v}"; return; fi
    done
}

# SQL string literal (NO_BACKSLASH_ESCAPES is cleared in the init file).
sql_str() {
    local s="$1"
    s="${s//\\/\\\\}"
    s="${s//\'/\\\'}"
    printf "'%s'" "$s"
}
# SQL identifier in backticks.
# shellcheck disable=SC2016 # literal backticks
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }

if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
    set -- mariadbd "$@"
fi

case "$1" in
    mysqld|mariadbd|/usr/sbin/mysqld|/usr/sbin/mariadbd) ;;
    *) exec "$@" ;;
esac
shift # the server binary; we always run mariadbd with our defaults file first

if [ "$(id -u)" != '0' ]; then
    die "run this image as root (the entrypoint drops to the mysql user itself)"
fi

mkdir -p /run/mysqld /var/lib/mysql-files "$DATADIR"
chown mysql:mysql /run/mysqld /var/lib/mysql-files "$DATADIR"

as_mysql() { setpriv --reuid=mysql --regid=mysql --init-groups "$@"; }

# An empty datadir (e.g. a mounted volume): create the system tables now.
if [ ! -d "$DATADIR/mysql" ]; then
    log "Initializing database files"
    as_mysql mariadb-install-db --defaults-file="$CNF" --user=mysql \
        --skip-test-db --auth-root-authentication-method=socket >/dev/null
    log "Database files initialized"
fi

init_args=()
if [ ! -e "$MARKER" ]; then
    root_password="$(env_compat ROOT_PASSWORD)"
    allow_empty="$(env_compat ALLOW_EMPTY_PASSWORD)"
    random_root="$(env_compat RANDOM_ROOT_PASSWORD)"
    root_host="$(env_compat ROOT_HOST)"; root_host="${root_host:-%}"
    database="$(env_compat DATABASE)"
    user="$(env_compat USER)"
    password="$(env_compat PASSWORD)"

    if [ -z "$root_password" ] && [ -z "$allow_empty" ] && [ -z "$random_root" ]; then
        die "Database is uninitialized and password option is not specified
    You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD"
    fi
    if [ -n "$random_root" ] && [ -z "$root_password" ]; then
        root_password="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || :)"
        log "GENERATED ROOT PASSWORD: $root_password"
    fi
    if [ "$user" = 'root' ]; then
        log "WARNING: MYSQL_USER=root is ignored; set MYSQL_ROOT_PASSWORD instead"
        user=''
    fi
    if [ -n "$user" ] && [ -z "$password" ]; then
        die "MYSQL_USER=$user is set but MYSQL_PASSWORD is empty"
    fi

    umask 077
    {
        echo "SET @@SESSION.SQL_LOG_BIN=0;"
        echo "SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE,'NO_BACKSLASH_ESCAPES','');"
        # Remove anonymous users, root@<build host>/127.0.0.1/::1 and any
        # existing account named like MYSQL_USER (e.g. MariaDB's
        # 'mysql'@'localhost' unix_socket user) before re-creating them.
        cond="User='' OR (User='root' AND Host<>'localhost')"
        if [ -n "$user" ]; then cond="$cond OR User=$(sql_str "$user")"; fi
        echo "DELETE FROM mysql.global_priv WHERE $cond;"
        echo "DELETE FROM mysql.db WHERE $cond;"
        echo "DELETE FROM mysql.proxies_priv WHERE $cond OR Host<>'localhost';"
        echo "FLUSH PRIVILEGES;"
        # root: password over TCP, and unix_socket inside the container.
        echo "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD($(sql_str "$root_password"));"
        if [ "$root_host" != 'localhost' ]; then
            echo "CREATE USER 'root'@$(sql_str "$root_host") IDENTIFIED BY $(sql_str "$root_password");"
            echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@$(sql_str "$root_host") WITH GRANT OPTION;"
        fi
        if [ -n "$database" ]; then
            echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$database");"
        fi
        if [ -n "$user" ]; then
            for host in '%' 'localhost'; do
                echo "CREATE USER $(sql_str "$user")@$(sql_str "$host") IDENTIFIED BY $(sql_str "$password");"
                echo "GRANT ALL PRIVILEGES ON *.* TO $(sql_str "$user")@$(sql_str "$host") WITH GRANT OPTION;"
            done
        fi
        echo "FLUSH PRIVILEGES;"
    } >"$INIT_SQL"
    umask 022
    chown mysql:mysql "$INIT_SQL"
    init_args=(--init-file="$INIT_SQL")

    # Init scripts need a running server: run a temporary one that listens on
    # the Unix socket only (it also applies the init file), run the scripts
    # with real error reporting, stop it. Without scripts this is skipped and
    # the real server applies the init file itself (faster).
    if compgen -G '/docker-entrypoint-initdb.d/*' >/dev/null; then
        log "Starting temporary server"
        # setpriv directly (not the as_mysql function, which would fork a
        # subshell): $! must be the server's pid for the kill below.
        setpriv --reuid=mysql --regid=mysql --init-groups \
            mariadbd --defaults-file="$CNF" --skip-networking \
            --init-file="$INIT_SQL" "$@" &
        tmp_pid=$!
        client=(mariadb --no-defaults --protocol=socket --socket=/run/mysqld/mysqld.sock --user=root)
        for _ in $(seq 1 300); do
            "${client[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break
            kill -0 "$tmp_pid" 2>/dev/null || die "temporary server exited during start-up"
            sleep 0.1
        done
        "${client[@]}" -e 'SELECT 1' >/dev/null || die "temporary server did not start"
        db_args=()
        if [ -n "$database" ]; then db_args=(--database="$database"); fi
        for f in /docker-entrypoint-initdb.d/*; do
            case "$f" in
                *.sh) log "sourcing $f"
                      # shellcheck disable=SC1090
                      . "$f" ;;
                *.sql) log "running $f"
                       "${client[@]}" "${db_args[@]}" <"$f" || die "$f failed" ;;
                *.sql.gz) log "running $f"
                          gunzip -c -- "$f" | "${client[@]}" "${db_args[@]}" || die "$f failed" ;;
                *) log "ignoring $f" ;;
            esac
        done
        kill -TERM "$tmp_pid"
        wait "$tmp_pid" || die "temporary server did not shut down cleanly"
        log "Temporary server stopped"
        init_args=()
    fi

    touch "$MARKER"
    chown mysql:mysql "$MARKER"
    log "MariaDB init process done. Ready for start up."
fi

log "Starting mariadbd $(mariadbd --version | awk '{print $3}')"
exec setpriv --reuid=mysql --regid=mysql --init-groups \
    mariadbd --defaults-file="$CNF" "${init_args[@]}" "$@"
