# shellcheck shell=bash
# eng/ci-env.sh - environment for running the tests against the local images.
#
# Source it (don't execute it):   . eng/ci-env.sh
#
# Exports:
#   DOCKER_API_VERSION            the running daemon's engine API version
#                                 (Debian's docker.io 20.10 speaks 1.41; the
#                                 Docker.DotNet client in Testcontainers must
#                                 not ask for a newer one)
#   TESTCONTAINERS_RYUK_DISABLED  true: the Ryuk reaper image cannot be pulled
#                                 here; the harness removes its own containers
#   TESTCONTAINERS_HOST_OVERRIDE  127.0.0.1 unless already set: this machine
#                                 has a /.dockerenv file, so Testcontainers
#                                 would otherwise think it runs inside a
#                                 container and connect through the docker0
#                                 gateway (172.17.0.1) instead of loopback
#   TESTCONTAINERS_WAIT_STRATEGY_INTERVAL  00:00:00.2 unless already set
#                                 (default 1 s; readiness polls are cheap execs)
#   RV_POSTGRES_IMAGE / RV_MYSQL_IMAGE  images built by eng/build-images.sh
#                                 (kept if already set)
#   CI                            true
# Only exports variables: no `set -e`/`exit`, safe to source from any shell.

if DOCKER_API_VERSION="$(DOCKER_API_VERSION='' docker version --format '{{.Server.APIVersion}}' 2>/dev/null)" \
    && [ -n "$DOCKER_API_VERSION" ]; then
    export DOCKER_API_VERSION
else
    unset DOCKER_API_VERSION
    printf '[ci-env] WARNING: docker daemon not reachable; DOCKER_API_VERSION not set (run eng/start-docker.sh)\n' >&2
fi

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
export TESTCONTAINERS_WAIT_STRATEGY_INTERVAL="${TESTCONTAINERS_WAIT_STRATEGY_INTERVAL:-00:00:00.2}"
export RV_POSTGRES_IMAGE="${RV_POSTGRES_IMAGE:-rollbackverifier/postgres:15-local}"
export RV_MYSQL_IMAGE="${RV_MYSQL_IMAGE:-rollbackverifier/mariadb:10.11-local}"
export CI=true
