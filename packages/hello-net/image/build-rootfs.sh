#!/bin/sh
# Makes the hello-net image, a root filesystem as a tarball for `start-cli s9pk pack`: Debian's
# static busybox (package busybox-static), Debian's socat with the shared libraries it links
# (package socat), the entrypoint image/hello-net, and a user `net` (uid 1000) whose home is the
# workdir. Usage: build-rootfs.sh ARCH OUT.tar. Only this machine's architecture can be built,
# since the programs are this machine's.
set -eu
arch=$1
out=$2
here=$(dirname "$0")
machine=$(uname -m)
if [ "$arch" != "$machine" ]; then
  echo "error: cannot build the $arch image on a $machine machine (its programs come from this machine)" >&2
  exit 1
fi
if [ ! -x /bin/busybox ]; then
  echo "error: /bin/busybox is missing: apt-get install busybox-static" >&2
  exit 1
fi
if [ ! -x /usr/bin/socat ]; then
  echo "error: /usr/bin/socat is missing: apt-get install socat" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# The root must be searchable by every user, not only root (mktemp makes it 0700).
chmod 755 "$root"
mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/home/net"
cp /bin/busybox "$root/bin/busybox"
for applet in sh cat echo id ls pwd seq sleep kill; do
  ln -s busybox "$root/bin/$applet"
done
# socat and every shared library it loads (ldd prints "name => /path (addr)" or "/path (addr)").
cp /usr/bin/socat "$root/usr/bin/socat"
for lib in $(ldd /usr/bin/socat | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp "$here/hello-net" "$root/usr/local/bin/hello-net"
chmod 755 "$root/usr/local/bin/hello-net"
printf 'root:x:0:0:root:/root:/bin/sh\nnet:x:1000:1000:hello-net:/home/net:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnet:x:1000:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
# Fixed owners, order and times, so the same programs always give the same tarball; the home
# belongs to its user.
tar --create --file "$out.tmp" --directory "$root" --owner=0 --group=0 --numeric-owner \
  --sort=name --mtime=@0 --exclude=./home/net .
tar --append --file "$out.tmp" --directory "$root" --owner=1000 --group=1000 --numeric-owner \
  --mtime=@0 ./home/net
mv "$out.tmp" "$out"
