#!/bin/sh
# Makes the hello-friend image: a root filesystem holding Debian's static busybox (package
# busybox-static), as a tarball for `start-cli s9pk pack`. Usage: build-rootfs.sh ARCH OUT.tar
# Only this machine's architecture can be built, since the busybox binary is this machine's.
# The daemon (startos/main.ts) is a busybox sh script: a loop that copies hello-world's name file
# (cmp, cp, mv, rm, sleep, mkdir) and httpd, so those applets get links in /bin.
set -eu
arch=$1
out=$2
machine=$(uname -m)
if [ "$arch" != "$machine" ]; then
  echo "error: cannot build the $arch image on a $machine machine (busybox comes from this machine)" >&2
  exit 1
fi
applets="sh httpd ls cat echo cmp cp mv rm sleep mkdir"
if [ ! -x /bin/busybox ]; then
  echo "error: /bin/busybox is missing: apt-get install busybox-static" >&2
  exit 1
fi
for applet in $applets; do
  if ! /bin/busybox --list | grep -qx "$applet"; then
    echo "error: /bin/busybox has no $applet applet: apt-get install busybox-static" >&2
    exit 1
  fi
done
root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/data" "$root/friend" "$root/tmp" "$root/etc"
cp /bin/busybox "$root/bin/busybox"
for applet in $applets; do
  ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
chmod 1777 "$root/tmp"
# Fixed owners, order and times, so the same busybox always gives the same tarball.
tar --create --file "$out.tmp" --directory "$root" --owner=0 --group=0 --numeric-owner \
  --sort=name --mtime=@0 .
mv "$out.tmp" "$out"
