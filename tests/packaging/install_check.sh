#!/usr/bin/env bash
# Runs inside the throw-away root (throwaway_root.sh): installs the packages of DEB_DIR with dpkg,
# checks what the maintainer scripts made (system users without a shell, private data directories,
# conffiles), configures central and the kiosk as docs/install.md says, starts the installed binaries
# as their users — central answers /healthz, the kiosk (headless, SDL's dummy driver) draws its
# attract screen and enrolls with that central — stops them and purges the packages.
# Usage: install_check.sh DEB_DIR
set -euo pipefail
debs="${1:?deb dir}"
fail() { echo "install check: $*"; exit 1; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dpkg -i "$debs"/*.deb >/dev/null || fail "dpkg -i failed"
for user in loyalty-kiosk loyalty-central; do
  entry=$(getent passwd "$user") || fail "no system user $user"
  [[ "$entry" == *:/usr/sbin/nologin ]] || fail "$user has a login shell: $entry"
  (($(id -u "$user") < 1000)) || fail "$user is not a system user"
  [[ $(stat -c '%U %a' "/var/lib/$user") == "$user 700" ]] || fail "/var/lib/$user not private to $user"
done
for f in /etc/loyalty/kiosk.toml /etc/loyalty/central.toml /etc/pam.d/loyalty-kiosk; do
  dpkg-query -W -f='${Conffiles}\n' loyalty-kiosk loyalty-central | grep -q " $f " || fail "$f is no conffile"
done
for unit in loyalty-kiosk loyalty-central; do
  [[ -f /lib/systemd/system/$unit.service ]] || fail "no unit $unit.service"
  # Not enabled by the install: each service needs its configuration first (docs/install.md).
  ! compgen -G "/etc/systemd/system/*.wants/$unit.service" >/dev/null || fail "$unit enabled at install"
done
kioskctl --help >/dev/null || fail "kioskctl does not run"

# central, configured as docs/install.md says: an admin token and a store key of its own; any free
# port for the test.
token=$(openssl rand -hex 32)
sed -i "s/^admin_token = \"\"/admin_token = \"$token\"/" /etc/loyalty/central.toml
kioskctl keygen --store S001 --out /tmp/pos >/dev/null || fail "kioskctl keygen failed"
install -D -m 0644 /tmp/pos/S001.pub /etc/loyalty/stores/S001.pub
printf '[[stores]]\nid = "S001"\npublic_key_file = "/etc/loyalty/stores/S001.pub"\n' >>/etc/loyalty/central.toml
runuser -u loyalty-central -- /usr/bin/central --config /etc/loyalty/central.toml --listen 127.0.0.1:0 \
  >/tmp/central.log 2>&1 &
pids+=($!)
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' /tmp/central.log)
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || fail "central did not start: $(cat /tmp/central.log)"
health=$(curl -sf "http://127.0.0.1:$port/healthz") || fail "central /healthz did not answer"
[[ "$health" == *'"status":"ok"'* ]] || fail "central /healthz: $health"
echo "installed central answers on port $port: $health"

# The kiosk: an enrollment code from the installed kioskctl, then the installed conffile edited for this machine
# (virtual camera, no printer) and the kiosk started headless as its user.
admin=(-sf -H "Authorization: Bearer $token" -H "Content-Type: application/json")
code=$(LOYALTY_ADMIN_TOKEN="$token" kioskctl enroll-code --url "http://127.0.0.1:$port" --kiosk K-STORE-01 \
  --store S001 --valid-hours 1) || fail "kioskctl enroll-code failed: $code"
code=${code%%$'\n'*}  # the code, then a line saying what it is for
sed -i -e "s|^url = .*|url = \"http://127.0.0.1:$port\"|" -e "s|^enrollment_code = .*|enrollment_code = \"$code\"|" \
  -e 's|^driver = "opencv"|driver = "virtual"|' -e 's|^device = "/dev/video0"|device = ""|' \
  -e 's|^driver = "escpos-usb"|driver = "none"|' -e 's|^fullscreen = true|fullscreen = false|' \
  /etc/loyalty/kiosk.toml
socket=/var/lib/loyalty-kiosk/automation.sock
# Through the installed launcher, as loyalty-kiosk.service starts it (no [update]: it execs the kiosk).
SDL_VIDEODRIVER=dummy runuser -u loyalty-kiosk -- /usr/lib/loyalty-kiosk/kiosk-launcher \
  --config /etc/loyalty/kiosk.toml --kiosk /usr/bin/kiosk -- --automation "$socket" >/tmp/kiosk.log 2>&1 &
pids+=($!)
state=""
for _ in $(seq 150); do
  state=$(runuser -u loyalty-kiosk -- python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall(b"{\"cmd\":\"state\"}\n"); print(s.makefile().readline().strip())' "$socket" 2>/dev/null) && break
  sleep 0.1
done
[[ "$state" == *'"screen":"attract"'* ]] || fail "kiosk automation socket: '$state' $(cat /tmp/kiosk.log)"
echo "installed kiosk shows its attract screen"
enrolled=""
for _ in $(seq 100); do
  enrolled=$(curl "${admin[@]}" "http://127.0.0.1:$port/v1/admin/kiosks" | python3 -c '
import json, sys
print(" ".join(k["kiosk_id"] for k in json.load(sys.stdin)["kiosks"] if k.get("enrolled_at")))' || true)
  [[ "$enrolled" == *K-STORE-01* ]] && break
  sleep 0.1
done
[[ "$enrolled" == *K-STORE-01* ]] || fail "the kiosk did not enroll: $(cat /tmp/kiosk.log)"
echo "installed kiosk enrolled with the installed central"

cleanup
pids=()
# Enabled as docs/install.md says (systemd is not running here: only the links are made), so purge
# must also take back what the admin did.
systemctl enable loyalty-central loyalty-kiosk 2>/dev/null
[[ -L /etc/systemd/system/graphical.target.wants/loyalty-kiosk.service ]] || fail "systemctl enable made no link"
rm -r /etc/loyalty/stores  # the admin's own files: a purge rightly leaves them (and /etc/loyalty)
dpkg --purge loyalty-kiosk loyalty-central loyalty-kioskctl >/dev/null || fail "dpkg --purge failed"
for user in loyalty-kiosk loyalty-central; do
  ! getent passwd "$user" >/dev/null || fail "purge left the user $user"
  ! getent group "$user" >/dev/null || fail "purge left the group $user"
  [[ ! -e /var/lib/$user ]] || fail "purge left /var/lib/$user"
done
[[ ! -e /etc/loyalty ]] || fail "purge left /etc/loyalty"
! compgen -G "/etc/systemd/system/*/loyalty-*" >/dev/null || fail "purge left unit links"
echo "purged"
