#!/usr/bin/env bash
# Fetch QEMU 7.2, strace 6.1, valgrind 3.19 and Linux 6.1 sources from Debian's archive for
# the real-data tests.
# Cached in $SYSTAB_DATA (default ~/.cache/systab-real); never part of the repository.
# Exits 0 with a message when the archive cannot be reached: the tests then skip.
set -u
DATA=${SYSTAB_DATA:-$HOME/.cache/systab-real}
mkdir -p "$DATA" && cd "$DATA" || exit 1
say() { echo "fetch-real-data: $*" >&2; }

# A tree counts as fetched when its marker is there and it has what the index reads
# (arch Kconfig files, then 6.12's Makefile.syscalls came later: an older cache is fetched again).
have_linux() { [ -f "$1/.done" ] && [ -f "$1/arch/x86/Kconfig" ] && { [ -z "${2:-}" ] || [ -f "$1/$2" ]; }; }
NEW_PROBE=arch/arm64/kernel/Makefile.syscalls
# valgrind's header chain per platform (include/pub_tool_vkiscnums_asm.h) came later: an older cache is fetched again.
[ -f valgrind/include/pub_tool_vkiscnums_asm.h ] || rm -f valgrind/.done
if [ -f qemu/.done ] && [ -f strace/.done ] && [ -f valgrind/.done ] && have_linux linux && have_linux linux-6.12 $NEW_PROBE; then exit 0; fi
if ! command -v apt-get >/dev/null; then say "no apt-get here: real-data tests will be skipped"; exit 0; fi

# Source packages need a deb-src entry for the same archive and suite as the deb one.
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ ; then
  if [ -w /etc/apt/sources.list.d ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
  fi
fi
if ! timeout 300 apt-get update -qq >/dev/null 2>&1; then say "Debian's archive cannot be reached: real-data tests will be skipped"; exit 0; fi

if [ ! -f qemu/.done ]; then
  rm -rf qemu qemu_*
  if timeout 600 apt-get source --download-only qemu >/dev/null 2>&1; then
    mkdir -p qemu && tar -xJf qemu_*.orig.tar.* -C qemu --strip-components=1 --wildcards \
      '*/linux-user/*' '*/bsd-user/*' '*/scripts/*' '*/configs/targets/*' && touch qemu/.done
    rm -f qemu_*
  else say "could not download QEMU's source package"; fi
fi
# The tracers: only what the checks read (strace's src/linux/ tables and the Makefile.am
# that lists them; valgrind's include/vki/ number headers, the header that chains them per
# platform, and coregrind/m_syswrap/).
fetch_source() { # $1 package, $2 archive glob, $3... members
  local pkg=$1 glob=$2; shift 2
  [ -f "$pkg/.done" ] && return 0
  rm -rf "$pkg" "${pkg}"_*
  if timeout 600 apt-get source --download-only "$pkg" >/dev/null 2>&1; then
    local tarball; tarball=$(ls $glob | grep -v '\.asc$' | head -1)
    mkdir -p "$pkg" && tar -xf "$tarball" -C "$pkg" --strip-components=1 --wildcards "$@" && touch "$pkg/.done"
    rm -f "${pkg}"_*
  else say "could not download $pkg's source package"; fi
}
fetch_source strace 'strace_*.orig.tar.*' '*/src/linux/*' '*/src/Makefile.am'
fetch_source valgrind 'valgrind_*.orig.tar.*' '*/include/vki/*' '*/include/pub_tool_vkiscnums_asm.h' '*/coregrind/m_syswrap/*'
# Linux 6.1 (the release QEMU 7.2 shipped beside) and 6.12 (what the bundled catalogue describes).
fetch_linux() { # $1 version, $2 directory, $3 a file the cache must have
  have_linux "$2" "${3:-}" && return 0
  rm -rf "$2" lsrc linux-source-"$1"_*.deb
  if timeout 600 apt-get download "linux-source-$1" >/dev/null 2>&1; then
    dpkg-deb -x linux-source-"$1"_*.deb lsrc && mkdir -p "$2" &&
      tar -xJf "lsrc/usr/src/linux-source-$1.tar.xz" -C "$2" --strip-components=1 --wildcards \
        '*.c' '*.h' '*.tbl' '*/Makefile*' '*.S' '*/Kconfig' '*/Kbuild' && touch "$2/.done"
    rm -rf lsrc linux-source-"$1"_*.deb
  else say "could not download linux-source-$1"; fi
}
fetch_linux 6.1 linux
fetch_linux 6.12 linux-6.12 $NEW_PROBE
exit 0
