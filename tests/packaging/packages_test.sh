#!/usr/bin/env bash
# The Debian packages end to end: scripts/package builds loyalty-kiosk, loyalty-central and
# loyalty-kioskctl and runs lintian; then, in a throw-away root — an overlay over this machine's own
# root in a private mount namespace, so the machine itself is never changed — they are installed with
# dpkg, run (install_check.sh), purged, and what purge left behind is compared with the machine.
# Needs root (CI runs as root on a throw-away machine); exits 77 (CTest: skipped) otherwise.
# Usage: packages_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$(realpath "${1:?source dir}")" build="$(realpath "${2:?build dir}")"
here="$(dirname "$(realpath "$0")")"

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP: installing packages needs root (run as root on a throw-away CI machine)"
  exit 77
fi
if ! unshare --mount true 2>/dev/null; then
  echo "SKIP: no mount namespace here (unshare --mount failed): cannot make a throw-away root"
  exit 77
fi

work=$(mktemp -d /tmp/packages-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
start=$SECONDS
mapfile -t debs < <("$src/scripts/package" "$build" "$work/debs")
echo "packages built and lintian clean in $((SECONDS - start)) s: ${debs[*]##*/}"
((${#debs[@]} == 3)) || { echo "expected 3 packages"; exit 1; }

# Everything below runs in the private mount namespace: its mounts vanish with it.
unshare --mount --propagation private -- "$here/throwaway_root.sh" "$work" "$here/install_check.sh"
echo "total $((SECONDS - start)) s"
