#!/bin/sh
# outbound-cli, the front, must start without the network, TLS, keyring and
# HTML stack: that is what makes `bounce classify` over a few hundred files
# fast (the dynamic loader took a third of the time). Fails naming each
# library of that stack the front loads, directly or through another one.
front=${1:?usage: check-cli-front.sh OUTBOUND_CLI}
if ! command -v ldd >/dev/null 2>&1; then
  echo "1..0 # SKIP ldd is not installed"
  exit 77
fi
libs=$(ldd "$front") || { echo "ldd $front failed"; exit 1; }
heavy=$(echo "$libs" | grep -oE '(libsoup-[0-9.]+|libgnutls|libsecret-[0-9]+|libxml2)\.so[.0-9]*' | sort -u)
if [ -n "$heavy" ]; then
  echo "$front loads:"
  echo "$heavy"
  echo "A command the front runs itself (not wrapped in FULL() in src/cli/ob-cli.c)"
  echo "now uses code that needs these. Wrap it in FULL(), or keep that code out of it."
  exit 1
fi
echo "$front loads $(echo "$libs" | wc -l) libraries, none of libsoup, GnuTLS, libsecret, libxml2"
