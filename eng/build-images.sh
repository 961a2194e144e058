#!/usr/bin/env bash
# eng/build-images.sh - build the database test images locally, with no
# container registry at all (only a Debian package mirror is needed).
#
# Usage (as root, with a running Docker daemon - see eng/start-docker.sh):
#
#   bash eng/build-images.sh                 # build what is missing or stale
#   bash eng/build-images.sh --force         # rebuild the database images (no cache)
#   bash eng/build-images.sh --rebuild-base  # also re-debootstrap the base
#
# Steps:
#   1. base image rollbackverifier/debian-bookworm-base:local (skipped when it
#      exists): `debootstrap --variant=minbase bookworm` from the Debian mirror
#      this machine's apt already uses, then `tar | docker import`;
#   2. $RV_POSTGRES_IMAGE from eng/docker/postgres (PostgreSQL 15);
#   3. $RV_MYSQL_IMAGE from eng/docker/mysql (MariaDB 10.11 standing in for MySQL).
# An existing tag is kept when it was built by this script from the same
# Dockerfile/entrypoint/base (a content hash is stored as an image label), and
# rebuilt otherwise. A tag that this script did not build (e.g. a real
# postgres:15 you pulled and pointed RV_POSTGRES_IMAGE at) is never replaced
# unless --force is given.
#
# Environment:
#   RV_POSTGRES_IMAGE  default rollbackverifier/postgres:15-local
#   RV_MYSQL_IMAGE     default rollbackverifier/mariadb:10.11-local
#   RV_BASE_IMAGE      default rollbackverifier/debian-bookworm-base:local
#   RV_DEBIAN_MIRROR   default: the first bookworm mirror in /etc/apt/sources.list*
#                      (falls back to http://deb.debian.org/debian)
#   RV_DEBIAN_SECURITY_MIRROR  default: the host's bookworm-security mirror
#                      (falls back to http://deb.debian.org/debian-security)
#
# The images are ordinary local images, so Testcontainers uses them without
# pulling: `new PostgreSqlBuilder(Environment.GetEnvironmentVariable("RV_POSTGRES_IMAGE"))`.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

RV_POSTGRES_IMAGE="${RV_POSTGRES_IMAGE:-rollbackverifier/postgres:15-local}"
RV_MYSQL_IMAGE="${RV_MYSQL_IMAGE:-rollbackverifier/mariadb:10.11-local}"
RV_BASE_IMAGE="${RV_BASE_IMAGE:-rollbackverifier/debian-bookworm-base:local}"
SUITE=bookworm
HASH_LABEL=rollbackverifier.build-hash

force=0
rebuild_base=0
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        --rebuild-base) rebuild_base=1; force=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) printf 'unknown argument: %s\n' "$arg" >&2; exit 2 ;;
    esac
done

say() { printf '[build-images] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

command -v docker >/dev/null 2>&1 || die "docker not found (run eng/start-docker.sh)"
docker info >/dev/null 2>&1 || die "docker daemon not reachable (run eng/start-docker.sh)"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
image_label() {
    docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

# First URI of a bookworm source (deb822 *.sources or one-line *.list) whose
# suite matches $1 (e.g. "bookworm" or "bookworm-security").
host_mirror() {
    local want="$1" f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # deb822: paragraphs separated by blank lines.
        awk -v want="$want" '
            BEGIN { RS=""; FS="\n" }
            {
                uri=""; ok=0; deb=0
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/)   { split($i, a, /[ \t]+/); uri=a[2] }
                    if ($i ~ /^Types:/ && $i ~ /(^|[ \t])deb([ \t]|$)/) deb=1
                    if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == want) ok=1 }
                    if ($i ~ /^Enabled:[ \t]*no/) { deb=0 }
                }
                if (ok && deb && uri != "") { print uri; exit }
            }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        awk -v want="$want" '
            $1 == "deb" {
                i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i+1) == want) { print $i; exit }
            }' "$f"
    done
}

mirror="${RV_DEBIAN_MIRROR:-$(host_mirror "$SUITE" | head -n 1)}"
mirror="${mirror:-http://deb.debian.org/debian}"
security_mirror="${RV_DEBIAN_SECURITY_MIRROR:-$(host_mirror "$SUITE-security" | head -n 1)}"
security_mirror="${security_mirror:-http://deb.debian.org/debian-security}"

# ---------------------------------------------------------------------------
# 1. base image
# ---------------------------------------------------------------------------
build_base() {
    [ "$(id -u)" -eq 0 ] || die "debootstrap needs root"
    command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] \
        || die "debootstrap not found (run eng/start-docker.sh, it installs it)"
    local rootfs
    rootfs="$(mktemp -d /var/tmp/rv-rootfs.XXXXXX)"
    # shellcheck disable=SC2064 # expand now: the trap must remove this dir
    trap "rm -rf '$rootfs'" EXIT
    say "debootstrap --variant=minbase $SUITE from $mirror"
    PATH="$PATH:/usr/sbin:/sbin" debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" \
        >/tmp/rv-debootstrap.log 2>&1 || {
        tail -n 30 /tmp/rv-debootstrap.log >&2
        die "debootstrap failed (full log: /tmp/rv-debootstrap.log)"
    }

    # apt sources: the same mirror as the host, plus updates and security.
    rm -f "$rootfs/etc/apt/sources.list.d/"*
    cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security_mirror $SUITE-security main
EOF
    # Container conventions (as in Debian's official images): never start
    # services from maintainer scripts, no recommends, no docs/man pages.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
        >"$rootfs/etc/apt/apt.conf.d/90rollbackverifier"
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
        'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
        >"$rootfs/etc/dpkg/dpkg.cfg.d/90rollbackverifier-nodoc"
    # Host-specific files: Docker provides its own at run time.
    rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf"
    : >"$rootfs/etc/resolv.conf"
    rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"* \
        "$rootfs/var/log/"*.log "$rootfs/tmp/"*

    say "importing $RV_BASE_IMAGE"
    tar --numeric-owner -C "$rootfs" -c . | docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV DEBIAN_FRONTEND=noninteractive' \
        --change 'CMD ["bash"]' \
        --change "LABEL rollbackverifier.debian-mirror=$mirror" \
        - "$RV_BASE_IMAGE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
}

t0=$SECONDS
if image_exists "$RV_BASE_IMAGE" && [ "$rebuild_base" -eq 0 ]; then
    say "base image $RV_BASE_IMAGE exists, skipping debootstrap"
else
    build_base
    say "base image built in $((SECONDS - t0))s"
fi
base_id="$(docker image inspect --format '{{.Id}}' "$RV_BASE_IMAGE")"

# ---------------------------------------------------------------------------
# 2./3. database images
# ---------------------------------------------------------------------------
build_db_image() {
    local name="$1" tag="$2" ctx="$script_dir/docker/$1" hash existing t cache_args
    [ -f "$ctx/Dockerfile" ] || die "missing $ctx/Dockerfile"
    hash="$( { printf '%s\n' "$base_id"; cat "$ctx/Dockerfile" "$ctx/entrypoint.sh"; } \
        | sha256sum | cut -c1-16)"
    if image_exists "$tag"; then
        existing="$(image_label "$tag" "$HASH_LABEL")"
        if [ "$force" -eq 0 ]; then
            if [ "$existing" = "$hash" ]; then
                say "$tag is up to date, skipping ($HASH_LABEL=$hash)"
                return
            elif [ -z "$existing" ] || [ "$existing" = '<no value>' ]; then
                say "$tag exists and was not built by this script; keeping it (use --force to replace)"
                return
            fi
            say "$tag is stale ($existing != $hash), rebuilding"
        fi
    fi
    say "building $tag from $ctx"
    t=$SECONDS
    # Legacy builder (no BuildKit/buildx needed); host network so apt inside
    # the build reaches the mirror exactly as the host does.
    # --force also bypasses the layer cache (fresh apt packages).
    cache_args=()
    if [ "$force" -eq 1 ]; then cache_args=(--no-cache); fi
    DOCKER_BUILDKIT=0 docker build --network host --pull=false "${cache_args[@]}" \
        --build-arg "BASE_IMAGE=$RV_BASE_IMAGE" \
        --label "$HASH_LABEL=$hash" \
        --label "org.opencontainers.image.title=rollbackverifier $name test image" \
        -t "$tag" "$ctx" >"/tmp/rv-build-$name.log" 2>&1 || {
        tail -n 40 "/tmp/rv-build-$name.log" >&2
        die "docker build of $tag failed (full log: /tmp/rv-build-$name.log)"
    }
    say "built $tag in $((SECONDS - t))s"
    # Drop previous, now untagged, builds (of this or the other image) that
    # no container uses any more.
    docker image prune -f --filter "label=$HASH_LABEL" >/dev/null 2>&1 || true
}

build_db_image postgres "$RV_POSTGRES_IMAGE"
build_db_image mysql "$RV_MYSQL_IMAGE"
say "done in $((SECONDS - t0))s: $RV_POSTGRES_IMAGE, $RV_MYSQL_IMAGE"
