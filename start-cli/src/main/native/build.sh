#!/bin/sh
# Compiles hearth_libcrypto.c (JNI, dlopens the system's libcrypto at run time) into one shared
# library, written where the class loader finds it:
#   $1/dev/hearth/cli/crypto/<os>-<arch>/libhearth-libcrypto.so
# $2 is the JDK whose include/ has jni.h. Skipped with a warning when gcc or jni.h is missing:
# TLS handshakes then use the JDK's own elliptic curves, as they would without libcrypto.
# Rebuilds only when the source is newer than the output.
set -eu
out_root=$1
jdk=$2
here=$(cd "$(dirname "$0")" && pwd)
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
out_dir="$out_root/dev/hearth/cli/crypto/linux-$arch"
out="$out_dir/libhearth-libcrypto.so"

if [ "$(uname -s)" != Linux ] || ! command -v gcc >/dev/null 2>&1 || [ ! -f "$jdk/include/jni.h" ]; then
  echo "warning: libhearth-libcrypto not built (needs Linux, gcc and a JDK's jni.h); TLS uses the JDK's curves" >&2
  exit 0
fi
if [ -f "$out" ] && [ -z "$(find "$here" -newer "$out" -type f | head -n 1)" ]; then
  exit 0
fi
mkdir -p "$out_dir"
gcc -O2 -shared -fPIC -fvisibility=default -Wall -Wextra -Werror \
  -I"$jdk/include" -I"$jdk/include/linux" -o "$out.tmp" "$here/hearth_libcrypto.c" -ldl
mv "$out.tmp" "$out"
echo "built $out"
