#!/usr/bin/env bash
# Runs CHECK_SCRIPT as root inside a throw-away copy of this machine: an overlay whose lower layer is
# the real root filesystem (read only to it) and whose upper layer is a tmpfs. Call it in a private
# mount namespace (unshare --mount); nothing it does reaches the real root. The packages in
# WORK/debs are copied to /tmp/debs inside. After the check, every file the upper layer holds is
# either the same as the machine's or one that Debian policy lets a purged package leave (dpkg's own
# records, logs, the account databases' backups); anything else fails.
# Usage: throwaway_root.sh WORK CHECK_SCRIPT
set -euo pipefail
work="${1:?work dir}" check="${2:?check script}"
layer="$work/layer"
mkdir -p "$layer"
mount -t tmpfs -o mode=0755 tmpfs "$layer"
mkdir -p "$layer/upper" "$layer/work" "$layer/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$layer/root"
root="$layer/root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mkdir -p "$root/tmp/debs"
cp "$work"/debs/*.deb "$check" "$root/tmp/debs/"

chroot "$root" /bin/bash "/tmp/debs/$(basename "$check")" /tmp/debs

# What purge left: the upper layer's files (directories copied up only to hold a child are skipped).
# Allowed, with the reason:
#   var/lib/dpkg/…          dpkg's database records what was installed and purged
#   var/log/dpkg.log …      logs of the package tools
#   etc/{passwd,group,shadow,gshadow}-   the backups adduser/deluser keep of the account databases
#   var/cache/man/…         man-db's index, rebuilt by its trigger when manual pages come and go
allowed='^(var/lib/dpkg/|var/log/(dpkg|alternatives)\.log$|etc/(passwd|group|shadow|gshadow)-$|var/cache/man/)'
left=()
kept=0
while IFS= read -r -d '' entry; do
  path="${entry#"$layer/upper/"}"
  if [[ "$path" =~ $allowed ]]; then
    [[ -d "$entry" ]] || kept=$((kept + 1))
    continue
  fi
  if [[ -c "$entry" ]]; then
    left+=("deleted from the machine: /$path")
  elif [[ -d "$entry" ]]; then
    [[ -d "/$path" ]] || left+=("new directory: /$path")
  elif [[ ! -e "/$path" ]]; then
    left+=("new file: /$path")
  elif ! cmp -s "$entry" "/$path"; then
    left+=("changed: /$path")
  fi
done < <(find "$layer/upper" -mindepth 1 -print0)
if ((${#left[@]})); then
  echo "purge left these behind:"
  printf '  %s\n' "${left[@]}"
  exit 1
fi
echo "after purge: the machine's files unchanged but $kept that policy allows (dpkg records, logs, caches)"
