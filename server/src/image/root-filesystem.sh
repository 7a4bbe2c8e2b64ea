#!/usr/bin/env bash
# The files the container image adds to jib's empty (scratch) base, built from this machine so
# that no registry is needed: a Java runtime cut by jlink to the modules the server jar uses, the
# shared libraries that runtime and the server's bundled native libraries (sqlite-jdbc, netty
# epoll) load, an unprivileged user, and the /tmp and /data directories.
#   root-filesystem.sh SERVER_JAR JDK_HOME OUTPUT_DIR
set -euo pipefail
jar=$1 jdk=$2 out=$3

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/data"

# jdeps finds the modules the classes name; jdk.crypto.ec is only looked up at run time, by TLS
# handshakes with elliptic curves (PostgreSQL or Redis over TLS). java.desktop comes for
# java.beans; its windowing, sound and image libraries would drag X11, ALSA and font libraries in.
# No --compress: jib gzips the layer anyway, and jlink's zip costs build time and start-up time.
unused_natives=(libawt_xawt libsplashscreen libjsound libfontmanager liblcms libjavajpeg
  libmlib_image)
excluded=$(printf '**/%s.so,' "${unused_natives[@]}")
modules=$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps -q "$jar")
"$jdk/bin/jlink" --add-modules "$modules,jdk.crypto.ec" --strip-debug --no-header-files \
  --no-man-pages --exclude-files="${excluded%,}" --output "$out/opt/java"


# Distributions link a JDK's cacerts to their own store; the image gets the store's content.
cacerts=$out/opt/java/lib/security/cacerts
if [ ! -s "$cacerts" ] && [ -s "$jdk/lib/security/cacerts" ]; then
  cp --remove-destination --dereference "$jdk/lib/security/cacerts" "$cacerts"
fi

natives=$(mktemp -d)
trap 'rm -rf "$natives"' EXIT
(cd "$natives" && "$jdk/bin/jar" xf "$jar" org/sqlite/native/Linux META-INF/native)

# ldd prints "name => /path (address)" or "/path (address)"; libraries of another architecture
# (the jar bundles several) make it fail, and are not needed here.
find "$out/opt/java" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | while IFS= read -r -d '' file; do ldd "$file" 2>/dev/null || true; done \
  | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
  | sort -u \
  | while read -r library; do
      case $library in
        "$out"/* | "$natives"/*) ;; # the runtime's own libraries, found through its RPATH
        *) cp --dereference --parents "$library" "$out" ;;
      esac
    done

echo 'livestate:x:65532:65532:livestate:/data:/nonexistent' > "$out/etc/passwd"
echo 'livestate:x:65532:' > "$out/etc/group"
