#!/bin/sh
# The core library must build without GTK: it is what the CLI, the tests and
# the send engine share. Fails listing each offending include.
root=${1:?usage: check-core-deps.sh SOURCE_ROOT}
hits=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](gtk/|gtk\.h|gdk/|adwaita|gtksourceview|libportal-gtk)' "$root/src/core" || true)
if [ -n "$hits" ]; then
  echo "src/core must not include GTK, GDK, libadwaita or GtkSourceView:"
  echo "$hits"
  exit 1
fi
echo "src/core: no GTK includes"
