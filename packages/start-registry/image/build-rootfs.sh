#!/bin/sh
# Makes the start-registry image, a root filesystem as a tarball for `start-cli s9pk pack`:
#   /opt/java                 a Java runtime made with jlink from the JDK 25 at JAVA_HOME, holding
#                             only the modules the registry uses (see modules)
#   /opt/start-registry/      the registry's shaded jar
#   /lib, /lib64              the shared libraries that runtime loads, from this machine's glibc
#   /bin/busybox              Debian's static busybox (package busybox-static), for a shell in
#                             `start-cli package attach`
# Usage: build-rootfs.sh ARCH OUT.tar JAR JAVA_HOME. Only this machine's architecture can be built,
# since the libraries and busybox are this machine's.
set -eu
arch=$1
out=$2
jar=$3
jdk=$4
machine=$(uname -m)
if [ "$arch" != "$machine" ]; then
  echo "error: cannot build the $arch image on a $machine machine (its programs come from this machine)" >&2
  exit 1
fi
if [ ! -x /bin/busybox ]; then
  echo "error: /bin/busybox is missing: apt-get install busybox-static" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "error: $jar is missing: scripts/mvn.sh -pl start-registry -am package makes it" >&2
  exit 1
fi
if [ ! -x "$jdk/bin/jlink" ]; then
  echo "error: $jdk has no bin/jlink: JAVA_HOME must be a JDK 25 (scripts/java-home.sh)" >&2
  exit 1
fi
# The modules the jar refers to, as jdeps finds them, less java.desktop (15 MB): only Jackson's
# optional java.beans support, commons-compress's pack200, commons-lang3's event support and Jetty's
# leak preventers refer to it, and the registry runs none of them. Asked at each build, so the
# runtime follows the jar.
modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar" |
  tr ',' '\n' | grep -vx java.desktop | paste -sd, -)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# The root must be searchable by every user, not only root (mktemp makes it 0700).
chmod 755 "$root"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/data" "$root/opt/start-registry"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 --output "$root/opt/java"
cp "$jar" "$root/opt/start-registry/start-registry.jar"
# Every shared library the runtime's programs and libraries load, as ldd finds them ("name =>
# /path (addr)" or "/path (addr)"); the runtime's own libraries are found through its rpath.
for f in "$root/opt/java/bin/java" "$root"/opt/java/lib/*.so "$root/opt/java/lib/server/libjvm.so"; do
  ldd "$f" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'
done | grep -v "^$root" | sort -u | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp /bin/busybox "$root/bin/busybox"
for applet in sh cat echo ls ps; do
  ln -s busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
chmod 1777 "$root/tmp"
# Fixed owners, order and times, so the same inputs always give the same tarball.
tar --create --file "$out.tmp" --directory "$root" --owner=0 --group=0 --numeric-owner \
  --sort=name --mtime=@0 .
mv "$out.tmp" "$out"
