#!/bin/sh
# Makes the hello-world image: a root filesystem holding Debian's static busybox (package
# busybox-static), as a tarball for `start-cli s9pk pack`. Usage: build-rootfs.sh ARCH OUT.tar
# Only this machine's architecture can be built, since the busybox binary is this machine's.
set -eu
arch=$1
out=$2
machine=$(uname -m)
if [ "$arch" != "$machine" ]; then
  echo "error: cannot build the $arch image on a $machine machine (busybox comes from this machine)" >&2
  exit 1
fi
if [ ! -x /bin/busybox ] || ! /bin/busybox --list | grep -qx httpd; then
  echo "error: /bin/busybox with httpd is missing: apt-get install busybox-static" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/data" "$root/tmp" "$root/etc"
cp /bin/busybox "$root/bin/busybox"
for applet in sh httpd ls cat echo; do
  ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
chmod 1777 "$root/tmp"
# Fixed owners, order and times, so the same busybox always gives the same tarball.
tar --create --file "$out.tmp" --directory "$root" --owner=0 --group=0 --numeric-owner \
  --sort=name --mtime=@0 .
mv "$out.tmp" "$out"
