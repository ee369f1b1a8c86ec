#!/usr/bin/env bash
# docs/install.md, steps 2 and 3, as an admin types them on a bare Debian 12 (scripts/clean-install-check
# runs this in a chroot of a fresh bookworm root). PHASE install (with the machine's network): the
# page's two `apt install` lines, apt pulling every dependency from Debian's archive. PHASE run (in a
# network namespace of its own, so 127.0.0.1:8080 is free): the rest in the page's order. systemd is not
# PID 1 in a chroot: `systemctl enable` only makes its links, and each unit's ExecStart runs by hand as
# the unit's user (the kiosk's without cage: on the Xvfb of DISPLAY).
# Usage: install_doc_steps.sh install|run DEB_DIR
set -euo pipefail
phase="${1:?install or run}" debs="${2:?deb dir}"
fail() { echo "install.md check: FAILED: $*"; exit 1; }
step() { echo "== install.md: $*"; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
cd "$debs"
if [[ "$phase" == install ]]; then
  apt-get update -qq
  step "2. apt install ./loyalty-central_…deb ./loyalty-kioskctl_…deb"
  apt-get install -y -q ./loyalty-central_*.deb ./loyalty-kioskctl_*.deb >/tmp/apt-central.log ||
    fail "apt install of central: $(tail -20 /tmp/apt-central.log)"
  echo "  apt set up $(grep -c '^Setting up' /tmp/apt-central.log) packages for central and kioskctl"
  step "3. apt install ./loyalty-kiosk_…deb"
  apt-get install -y -q ./loyalty-kiosk_*.deb >/tmp/apt-kiosk.log ||
    fail "apt install of the kiosk: $(tail -20 /tmp/apt-kiosk.log)"
  for pkg in cage fonts-noto-core; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q 'install ok installed' || fail "apt did not pull $pkg"
  done
  echo "  apt set up $(grep -c '^Setting up' /tmp/apt-kiosk.log) packages for the kiosk, cage and fonts-noto-core among them"
  exit 0
fi

step "2. central: the admin token, central.toml, systemctl enable, healthz, an enrollment code"
token=$(openssl rand -hex 32) || fail "openssl rand (is openssl installed?)"
# The edits of central.toml: the admin token, a store with its POS public key.
kioskctl keygen --store S001 --out /root/pos >/dev/null || fail "kioskctl keygen"
install -D -m 0644 /root/pos/S001.pub /etc/loyalty/stores/S001.pub
sed -i "s/^admin_token = \"\"/admin_token = \"$token\"/" /etc/loyalty/central.toml
printf '[[stores]]\nid = "S001"\npublic_key_file = "/etc/loyalty/stores/S001.pub"\n' >>/etc/loyalty/central.toml
# --now: the link is made, the start fails (no systemd as PID 1 here); the start comes below.
systemctl enable --now loyalty-central 2>&1 | sed 's/^/  systemctl: /' || true
[[ -L /etc/systemd/system/multi-user.target.wants/loyalty-central.service ]] || fail "central not enabled"
unit_exec() { sed -n 's/^ExecStart=//p' "/lib/systemd/system/$1.service"; }
unit_user() { sed -n 's/^User=//p' "/lib/systemd/system/$1.service"; }
read -ra central_cmd <<<"$(unit_exec loyalty-central)"
runuser -u "$(unit_user loyalty-central)" -- "${central_cmd[@]}" >/tmp/central.log 2>&1 &
pids+=($!)
health=""
for _ in $(seq 100); do
  health=$(wget -qO- http://127.0.0.1:8080/healthz) && break
  sleep 0.1
done
[[ "$health" == *'"status":"ok"'* ]] || fail "wget -qO- http://127.0.0.1:8080/healthz: '$health' $(cat /tmp/central.log)"
echo "  central (as the unit runs it) answers /healthz: $health"
code=$(LOYALTY_ADMIN_TOKEN="$token" kioskctl enroll-code --kiosk K-STORE-01 --store S001) ||
  fail "kioskctl enroll-code: $code"
code=${code%%$'\n'*}
echo "  enrollment code for K-STORE-01: $code"

step "3. the kiosk: kiosk.toml, systemctl set-default and enable, the unit's launcher"
# The edits of kiosk.toml: id, central, code, a PIN; this box has no camera or printer (virtual, none).
sed -i -e "s|^id = .*|id = \"K-STORE-01\"|" -e "s|^url = .*|url = \"http://127.0.0.1:8080\"|" \
  -e "s|^enrollment_code = .*|enrollment_code = \"$code\"|" \
  -e 's|^driver = "opencv"|driver = "virtual"|' -e 's|^device = "/dev/video0"|device = ""|' \
  -e 's|^driver = "escpos-usb"|driver = "none"|' /etc/loyalty/kiosk.toml
systemctl set-default graphical.target 2>&1 | sed 's/^/  systemctl: /'
systemctl enable --now loyalty-kiosk 2>&1 | sed 's/^/  systemctl: /' || true
[[ -L /etc/systemd/system/graphical.target.wants/loyalty-kiosk.service ]] || fail "kiosk not enabled"
[[ "$(readlink /etc/systemd/system/default.target)" == *graphical.target ]] || fail "default target"
systemd-analyze verify /lib/systemd/system/loyalty-kiosk.service /lib/systemd/system/loyalty-central.service ||
  fail "systemd-analyze verify"
# ExecStart without `cage -d --` (no seat in a chroot): the launcher as the unit's user.
read -ra kiosk_cmd <<<"$(unit_exec loyalty-kiosk)"
[[ "${kiosk_cmd[0]}" == /usr/bin/cage && "${kiosk_cmd[2]}" == -- ]] || fail "kiosk unit: ${kiosk_cmd[*]}"
install -d -o loyalty-kiosk -m 0700 /tmp/xdg
runuser -u "$(unit_user loyalty-kiosk)" -- env SDL_VIDEODRIVER=x11 DISPLAY="$DISPLAY" XDG_RUNTIME_DIR=/tmp/xdg \
  "${kiosk_cmd[@]:3}" >/tmp/kiosk.log 2>&1 &
pids+=($!)
for _ in $(seq 300); do
  grep -q "first frame" /tmp/kiosk.log && grep -q "enrolled as K-STORE-01" /tmp/kiosk.log && break
  sleep 0.1
done
grep -q "first frame" /tmp/kiosk.log || fail "the kiosk drew no frame: $(cat /tmp/kiosk.log)"
grep -q "enrolled as K-STORE-01" /tmp/kiosk.log || fail "the kiosk did not enroll: $(cat /tmp/kiosk.log)"
grep -h "first frame\|enrolled as" /tmp/kiosk.log | sed 's/^/  kiosk: /'
kiosks=$(wget -qO- --header "Authorization: Bearer $token" http://127.0.0.1:8080/v1/admin/kiosks)
[[ "$kiosks" == *'"kiosk_id":"K-STORE-01"'* ]] || fail "central does not list K-STORE-01: $kiosks"
echo "  central lists K-STORE-01 (GET /v1/admin/kiosks)"
[[ -f /var/lib/loyalty-kiosk/kiosk.sqlite ]] || fail "no /var/lib/loyalty-kiosk/kiosk.sqlite"
touch /tmp/kiosk-ready
for _ in $(seq 100); do [[ -e /tmp/screenshot-taken ]] && break; sleep 0.1; done
cleanup
pids=()

step "Upgrades and removal: apt purge"
apt-get purge -y -q loyalty-kiosk loyalty-central loyalty-kioskctl >/tmp/apt-purge.log || fail "apt purge"
for user in loyalty-kiosk loyalty-central; do
  ! getent passwd "$user" >/dev/null || fail "purge left the user $user"
  [[ ! -e /var/lib/$user ]] || fail "purge left /var/lib/$user"
done
find /etc/loyalty -mindepth 1 -maxdepth 1 -printf "  left in /etc/loyalty (the admin's own files): %f\n" 2>/dev/null || true
echo "install.md check: every step passed"
