#!/bin/sh
# Makes the hello-kitchen image, a root filesystem as a tarball for `start-cli s9pk pack`: Debian's
# static busybox (package busybox-static), a user `cook` (uid 1000) for the web server, and
# /etc/kitchen-release, which init reads through a temporary subcontainer.
# Usage: build-rootfs.sh ARCH OUT.tar. Only this machine's architecture can be built, since the
# busybox binary is this machine's.
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
# The root must be searchable by every user, not only root (mktemp makes it 0700).
chmod 755 "$root"
mkdir -p "$root/bin" "$root/data" "$root/tmp" "$root/etc"
cp /bin/busybox "$root/bin/busybox"
for applet in sh cat chown echo httpd id ls mkdir stat; do
  ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\ncook:x:1000:1000:hello-kitchen:/data:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\ncook:x:1000:\n' > "$root/etc/group"
echo 'Hello Kitchen image 1 (busybox)' > "$root/etc/kitchen-release"
chmod 1777 "$root/tmp"
# Fixed owners, order and times, so the same busybox always gives the same tarball.
tar --create --file "$out.tmp" --directory "$root" --owner=0 --group=0 --numeric-owner \
  --sort=name --mtime=@0 .
mv "$out.tmp" "$out"
