#!/usr/bin/env bash
# Follows docs/operations.md on a fresh Debian 12 made with debootstrap, and checks that the result works.
#
#   sudo bash scripts/deployment_rehearsal.sh
#
# The commands come from the guide itself: every fenced block marked `<!-- rehearsal: NAME -->` is cut out and
# run (or written to the file it names) in a chroot, so the guide and this rehearsal cannot drift apart. Only
# what a container cannot do is done here instead: there is no systemd, so `systemctl` lines are skipped and each
# unit's ExecStart runs as its User with its EnvironmentFile; there is no public name, so the Let's Encrypt
# certificate is replaced by a self-signed one at the same path. The services run in a network namespace of
# their own, so the guide's ports (80, 443, 8000, 5432) are used as written without meeting anything else
# running on this machine.
#
# The code installed is the last commit of this working copy (a `git clone`), the guide is the working copy's.
# Needs: root, debootstrap, iproute2 (ip), nsenter, curl, git, openssl, and the network for Debian's archive and
# PyPI. Takes 10-20 minutes, most of it apt-get and pip.
# Environment: REHEARSAL_ROOT (the chroot, default /var/tmp/evidens-rehearsal), REHEARSAL_BASE (a pristine
# debootstrap kept between runs so a re-run starts from a fresh copy without downloading Debian again),
# REHEARSAL_KEEP=1 leaves the chroot in place afterwards (everything is still stopped and unmounted).
# Exits non-zero when a step fails (at once) or a check fails (after the remaining checks); the log of each step
# is in $REHEARSAL_ROOT.log/.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GUIDE="$REPO/docs/operations.md"
ROOT=${REHEARSAL_ROOT:-/var/tmp/evidens-rehearsal}
BASE=${REHEARSAL_BASE:-/var/tmp/evidens-rehearsal-base}
LOGS="$ROOT.log"
NETNS=$(basename "$ROOT")
SITE=evidens.example.org
MIRROR=http://deb.debian.org/debian
SOURCE_IN_ROOT=/var/tmp/evidens.git
DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
USER_PASSWORD="Rehearsal-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
PIDS=()

PROBLEMS=()
say() { printf '\n=== %s\n' "$*"; }
fail() { printf 'REHEARSAL FAILED: %s\n' "$*" >&2; exit 1; }
# A check whose failure does not stop the checks after it; the rehearsal still fails at the end.
problem() { printf 'PROBLEM: %s\n' "$*" >&2; PROBLEMS+=("$*"); }

# --- The guide's blocks -------------------------------------------------------------------------------------

# The body of every fenced block marked `<!-- rehearsal: NAME -->` (several blocks of one name are joined).
block() {
    local body
    body=$(awk -v want="<!-- rehearsal: $1 -->" '
        $0 == want { armed = 1; next }
        armed && /^ *```/ && !inside { inside = 1; next }
        inside && /^ *```/ { inside = 0; armed = 0; next }
        inside { print }
    ' "$GUIDE")
    [ -n "$body" ] || fail "the guide has no block marked '<!-- rehearsal: $1 -->'"
    printf '%s\n' "$body"
}

# A block as commands for the chroot: systemd is not running there, so its lines are left to this script.
commands() {
    block "$1" | sed -e 's/^\( *\)systemctl /\1: skipped in the rehearsal: systemctl /'
}

# One setting of a unit file block.
unit_value() {
    block "unit $1" | sed -n "s/^$2=//p" | head -n 1
}

# --- The chroot ---------------------------------------------------------------------------------------------

in_root() { chroot "$ROOT" "$@"; }
# The same, in the rehearsal's own network namespace (only loopback).
in_net() { nsenter --net="/run/netns/$NETNS" chroot "$ROOT" "$@"; }

# Run a block with bash -eux in the chroot, logging to $LOGS/<name>.log.
run_block() {
    local name=$1 where=$2
    shift 2
    say "guide: $name"
    commands "$name" | tee "$LOGS/$name.sh"
    if ! "$where" env "$@" /bin/bash -eux -c "$(cat "$LOGS/$name.sh")" </dev/null >"$LOGS/$name.log" 2>&1; then
        tail -n 40 "$LOGS/$name.log"
        fail "the guide's block '$name' failed (log: $LOGS/$name.log)"
    fi
    tail -n 5 "$LOGS/$name.log"
}

mounted() { findmnt -rn -o TARGET | grep -q "^$ROOT"; }

cleanup() {
    set +e
    say "cleaning up"
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    done
    if [ -s "$ROOT/run/nginx.pid" ]; then
        in_root nginx -s quit 2>/dev/null
        for _ in $(seq 1 20); do [ -s "$ROOT/run/nginx.pid" ] || break; sleep 0.5; done
    fi
    [ -x "$ROOT/usr/bin/pg_ctlcluster" ] && in_root pg_lsclusters -h 2>/dev/null | while read -r version cluster _; do
        in_root pg_ctlcluster "$version" "$cluster" stop 2>/dev/null
    done
    # Anything still running with its root in the chroot was started by this rehearsal.
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] || continue
        echo "stopping leftover process ${proc#/proc/}: $(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null)"
        kill -KILL "${proc#/proc/}"
    done
    mounted && umount -R "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" 2>/dev/null
    mounted && { echo "still mounted:"; findmnt -rn -o TARGET | grep "^$ROOT"; }
    ip netns delete "$NETNS" 2>/dev/null
    if [ "${REHEARSAL_KEEP:-0}" != 1 ] && ! mounted; then rm -rf "$ROOT"; fi
}

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap, chroot and mounts need it)"
for tool in debootstrap ip nsenter curl git findmnt openssl; do
    command -v "$tool" >/dev/null || fail "$tool is missing"
done
mounted && fail "$ROOT is still mounted from an earlier run; unmount it first"
ip netns list | grep -qw "$NETNS" && fail "the network namespace $NETNS exists from an earlier run: ip netns delete $NETNS"

say "a fresh Debian 12 in $ROOT"
if [ ! -x "$BASE/bin/sh" ]; then
    debootstrap --cache-dir="${BASE}-cache" bookworm "$BASE.partial" "$MIRROR" || fail "debootstrap failed"
    mv "$BASE.partial" "$BASE"
fi
rm -rf "$ROOT" "$LOGS"
mkdir -p "$LOGS"
cp -a "$BASE" "$ROOT"
trap cleanup EXIT
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
mount --make-rslave "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
# Like a container image: packages do not start their services on install (there is no init to start them).
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
# The guide's apt-get lines are typed by a person who answers yes.
printf 'APT::Get::Assume-Yes "true";\n' >"$ROOT/etc/apt/apt.conf.d/90rehearsal"
in_root apt-get update -q >"$LOGS/apt-update.log" 2>&1 || fail "apt-get update failed"
# This machine reaches PyPI through a proxy with its own certificate authorities: the chroot trusts them too
# (the ca-certificates package, installed by the guide's apt-get line, adds them to the system's list), and pip,
# which otherwise carries its own list, is told to use the system's.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$ROOT/etc/pip.conf"
fi
# What the installer of a real machine writes: its name resolves (sudo looks it up).
hostname >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$(hostname)" >"$ROOT/etc/hosts"
# The guide clones the project from its public address; the rehearsal clones this working copy's last commit
# from a local copy owned by root, which git would refuse to the user evidens as someone else's repository.
git clone --quiet --bare "$REPO" "$ROOT$SOURCE_IN_ROOT"
printf '[safe]\n\tdirectory = %s\n' "$SOURCE_IN_ROOT" >"$ROOT/etc/gitconfig"

# The guide's clone address is a placeholder; everything else in the block runs as written.
guide_install() {
    commands install | sed "s#https://example.org/evidens.git#file://$SOURCE_IN_ROOT#"
}
say "guide: install"
guide_install | tee "$LOGS/install.sh"
in_root env DEBIAN_FRONTEND=noninteractive /bin/bash -eux -c "$(cat "$LOGS/install.sh")" </dev/null \
    >"$LOGS/install.log" 2>&1 \
    || { tail -n 40 "$LOGS/install.log"; fail "the guide's install block failed (log: $LOGS/install.log)"; }
tail -n 3 "$LOGS/install.log"
run_block nginx-install in_root DEBIAN_FRONTEND=noninteractive

say "from here on, the services run in their own network namespace"
ip netns add "$NETNS"
ip netns exec "$NETNS" ip link set lo up

say "PostgreSQL (started with pg_ctlcluster: no systemd)"
read -r PG_VERSION PG_CLUSTER _ < <(in_root pg_lsclusters -h)
in_net pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start || fail "the PostgreSQL cluster did not start"
say "guide: postgresql (createuser asks for the password twice; here it comes on standard input)"
commands postgresql | tee "$LOGS/postgresql.sh"
# setsid: no controlling terminal, so createuser's prompt reads standard input.
printf '%s\n%s\n' "$DB_PASSWORD" "$DB_PASSWORD" | setsid -w nsenter --net="/run/netns/$NETNS" chroot "$ROOT" \
    /bin/bash -eux -c "$(cat "$LOGS/postgresql.sh")" >"$LOGS/postgresql.log" 2>&1 \
    || { cat "$LOGS/postgresql.log"; fail "the guide's postgresql block failed"; }

run_block configuration-file in_root
say "guide: configuration (each line replaces the setting in the file, as an editor would)"
ENV_FILE="$ROOT/etc/evidens/evidens.env"
block configuration | sed "s#THE-PASSWORD#$DB_PASSWORD#" | while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%=*}
    if grep -q "^$name=" "$ENV_FILE"; then
        escaped=$(printf '%s' "$line" | sed 's/[#&\\]/\\&/g')
        sed -i "s#^$name=.*#$escaped#" "$ENV_FILE"
    else
        printf '%s\n' "$line" >>"$ENV_FILE"
    fi
done
# stat inside the chroot: the user evidens exists only there.
[ "$(in_root stat -c '%a %U %G' /etc/evidens/evidens.env)" = "640 root evidens" ] || fail "evidens.env is not 0640 root:evidens"
grep -v PASSWORD "$ENV_FILE" | grep '^EVIDENS_' >"$LOGS/evidens.env.without-passwords"

EVIDENS_PASSWORD=$USER_PASSWORD run_block prepare in_net EVIDENS_PASSWORD="$USER_PASSWORD"

say "the unit files"
for unit in evidens-web.service evidens-worker.service; do
    block "unit $unit" >"$ROOT/etc/systemd/system/$unit"
done
if [ -x "$ROOT/usr/bin/systemd-analyze" ]; then
    in_root systemd-analyze verify /etc/systemd/system/evidens-web.service /etc/systemd/system/evidens-worker.service \
        >"$LOGS/systemd-analyze.log" 2>&1 || { cat "$LOGS/systemd-analyze.log"; fail "systemd-analyze verify"; }
    echo "systemd-analyze verify: no complaints"
else
    echo "systemd-analyze is not in the chroot: the unit files were not verified"
fi
run_block services in_root

# What systemd would do with the unit: its User and Group, WorkingDirectory, UMask, CacheDirectory, its
# Environment= and then the EnvironmentFile's assignments (which win) as the only environment (systemd reads
# KEY=VALUE lines, no shell), then ExecStart. The sandboxing settings (ProtectSystem and so on) are not imitated.
start_unit() {
    local unit=$1 user group workdir umask envfile exec_start cache
    user=$(unit_value "$unit" User)
    group=$(unit_value "$unit" Group)
    workdir=$(unit_value "$unit" WorkingDirectory)
    umask=$(unit_value "$unit" UMask)
    envfile=$(unit_value "$unit" EnvironmentFile)
    exec_start=$(unit_value "$unit" ExecStart)
    cache=$(unit_value "$unit" CacheDirectory)
    [ -z "$cache" ] || in_root install -d -o "$user" -g "$group" "/var/cache/$cache"
    local -a environment
    mapfile -t environment < <(block "unit $unit" | sed -n 's/^Environment=//p'; \
        grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$ROOT$envfile")
    say "starting $unit: $exec_start (as $user)"
    setsid nsenter --net="/run/netns/$NETNS" chroot "$ROOT" \
        setpriv --reuid="$user" --regid="$group" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "${environment[@]}" \
        /bin/sh -c "umask $umask && cd $workdir && exec $exec_start" \
        >"$LOGS/$unit.log" 2>&1 </dev/null &
    PIDS+=("$!")
}
start_unit evidens-web.service
start_unit evidens-worker.service

say "the certificate (certbot needs a public name: a self-signed one at the path the guide uses)"
mkdir -p "$ROOT/etc/letsencrypt/live/$SITE"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$SITE" \
    -keyout "$ROOT/etc/letsencrypt/live/$SITE/privkey.pem" -out "$ROOT/etc/letsencrypt/live/$SITE/fullchain.pem" \
    >"$LOGS/openssl.log" 2>&1
block nginx-site >"$ROOT/etc/nginx/sites-available/evidens"
run_block nginx-enable in_net
say "starting nginx (systemctl reload is skipped: there is no systemd)"
in_net nginx || fail "nginx did not start"

# --- Checks through nginx -----------------------------------------------------------------------------------

JAR="$LOGS/cookies.txt"
https() {
    nsenter --net="/run/netns/$NETNS" curl --silent --show-error --insecure --max-time 60 \
        --resolve "$SITE:443:127.0.0.1" --resolve "$SITE:80:127.0.0.1" \
        --cookie "$JAR" --cookie-jar "$JAR" "$@"
}
# The value of a form's csrfmiddlewaretoken in a page.
csrf_token() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }
check() { printf 'ok: %s\n' "$*"; }

say "waiting for gunicorn behind nginx"
for _ in $(seq 1 120); do
    [ "$(https -o /dev/null -w '%{http_code}' "https://$SITE/health/" 2>/dev/null)" = 200 ] && break
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { cat "$LOGS"/*.service.log; fail "a service stopped"; }; done
    sleep 1
done

say "checks"
health=$(https "https://$SITE/health/")
echo "$health"
printf '%s' "$health" | grep -q '"status": "ok"' || fail "/health/ did not answer ok"
check "/health/ through nginx and TLS answers ok"

redirect=$(https -o /dev/null -w '%{http_code} %{redirect_url}' "http://$SITE/login/")
[ "$redirect" = "301 https://$SITE/login/" ] || fail "port 80 answered '$redirect', not a redirect to HTTPS"
check "port 80 redirects to HTTPS"

https -o "$LOGS/login.html" -D "$LOGS/login.headers" "https://$SITE/login/"
grep -q '^HTTP/[0-9.]* 200' "$LOGS/login.headers" || fail "the login page did not answer 200"
grep -qi '^strict-transport-security:' "$LOGS/login.headers" || fail "no HSTS header: X-Forwarded-Proto not honoured"
stylesheet=$(sed -n 's/.*<link rel="stylesheet" href="\([^"]*\.css\)".*/\1/p' "$LOGS/login.html" | head -n 1)
case "$stylesheet" in
    /static/css/evidens.*.css) ;;
    *) fail "the login page links its style sheet as '$stylesheet', not a collected (hashed) file" ;;
esac
css_type=$(https -o "$LOGS/evidens.css" -w '%{http_code} %{content_type}' "https://$SITE$stylesheet")
case "$css_type" in "200 text/css"*) ;; *) fail "the style sheet answered '$css_type'" ;; esac
[ -s "$LOGS/evidens.css" ] || fail "the style sheet is empty"
check "the login page loads with its style sheet $stylesheet ($css_type, $(wc -c <"$LOGS/evidens.css") bytes)"

token=$(csrf_token "$LOGS/login.html")
login=$(https -o /dev/null -w '%{http_code} %{redirect_url}' -e "https://$SITE/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=anne" \
    --data-urlencode "password=$USER_PASSWORD" "https://$SITE/login/")
[ "$login" = "302 https://$SITE/" ] || fail "logging in as anne answered '$login'"
grep -q 'sessionid' "$JAR" || fail "no session cookie after logging in"
grep -q '^#HttpOnly_'"$SITE"'.*TRUE.*sessionid' "$JAR" || fail "the session cookie is not secure and HttpOnly"
https -o "$LOGS/home.html" "https://$SITE/"
grep -q 'almennet-2030' "$LOGS/home.html" || fail "the home page after login does not list the process"
check "anne (made with the guide's createuser) logs in; the session cookie is Secure and HttpOnly"

say "a job through the worker: the knowledge report as PDF"
https -o "$LOGS/reports.html" "https://$SITE/p/almennet-2030/reports/"
token=$(csrf_token "$LOGS/reports.html")
queued=$(https -o /dev/null -w '%{http_code}' -e "https://$SITE/p/almennet-2030/reports/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "kind=vidensrapport" \
    --data-urlencode "file_format=pdf" "https://$SITE/p/almennet-2030/reports/")
[ "$queued" = 302 ] || fail "asking for a report answered $queued"
psql_evidens() { in_net runuser -u postgres -- psql -tA -d evidens -c "$1"; }
status=""
for _ in $(seq 1 180); do
    status=$(psql_evidens "select status from reports_reportbuild order by id desc limit 1")
    case "$status" in done|failed) break ;; esac
    sleep 1
done
if [ "$status" = "done" ]; then
    build=$(psql_evidens "select id from reports_reportbuild order by id desc limit 1")
    https -o "$LOGS/report.pdf" "https://$SITE/p/almennet-2030/reports/$build/download/"
    if [ "$(head -c 5 "$LOGS/report.pdf")" = "%PDF-" ]; then
        check "the worker built the report; it downloads as a PDF of $(wc -c <"$LOGS/report.pdf") bytes"
    else
        problem "the report download is not a PDF"
    fi
else
    grep -B2 -A12 'Traceback' "$LOGS/evidens-worker.service.log" | tail -n 30
    problem "the report job ended '$status' (worker log: $LOGS/evidens-worker.service.log)"
fi

say "backups: the guide's script, run as its cron line says"
block "file /usr/local/sbin/evidens-backup" >"$ROOT/usr/local/sbin/evidens-backup"
chmod 0755 "$ROOT/usr/local/sbin/evidens-backup"
block cron >"$ROOT/etc/cron.d/evidens"
chmod 0644 "$ROOT/etc/cron.d/evidens"
# Each cron line: five time fields, the user, the command (run by /bin/sh, as cron does).
while read -r _ _ _ _ _ cron_user cron_command; do
    echo "as $cron_user: $cron_command"
    in_net runuser -u "$cron_user" -- /bin/sh -c "cd ~ && $cron_command" </dev/null >>"$LOGS/cron.log" 2>&1 \
        || { cat "$LOGS/cron.log"; fail "the cron command failed: $cron_command"; }
done < <(grep -E '^[0-9*]' "$ROOT/etc/cron.d/evidens")
archive=$(find "$ROOT/var/backups/evidens" -name 'evidens-*.tar.gz' | head -n 1)
[ -n "$archive" ] || fail "the backup wrote no archive"
[ "$(in_root stat -c '%a %U' "${archive#"$ROOT"}")" = "600 evidens" ] || fail "the archive is not mode 0600 owned by evidens"
check "the nightly backup wrote ${archive#"$ROOT"} ($(stat -c %s "$archive") bytes, mode 0600); retention ran"

run_block restore-test in_net
grep -qi 'restored\|gendannet' "$LOGS/restore-test.log" || fail "the restore test did not say it restored"
check "evidens restore accepts the archive in an empty data directory"

say "the services kept running"
[ "$(https -o /dev/null -w '%{http_code}' "https://$SITE/health/")" = 200 ] || fail "/health/ after the backup"
check "/health/ still answers"

if [ "${#PROBLEMS[@]}" -gt 0 ]; then
    printf 'PROBLEM: %s\n' "${PROBLEMS[@]}" >&2
    fail "${#PROBLEMS[@]} check(s) failed (logs in $LOGS)"
fi
say "REHEARSAL PASSED (logs in $LOGS)"
