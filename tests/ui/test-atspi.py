#!/usr/bin/python3
# test-atspi.py — the window as assistive technology (and a person using
# it) sees it: starts the real `outbound` binary on a fresh database and,
# over AT-SPI, checks that the sidebar pages, the main menu and the page
# buttons have names, then presses buttons and actions by those names, and
# keyboard shortcuts as the keyboard would send them. TAP output. Needs a session bus and a display (build-aux/dev test gives both).

import os
import subprocess
import sys
import tempfile
import time

# pyatspi logs a GLib warning for an app on the bus that does not serve the
# AT-SPI cache (another GTK 4 test app running beside this one does that);
# the suite's G_DEBUG=fatal-warnings would make it a SIGTRAP here. The app
# under test keeps the fatal warnings.
APP_G_DEBUG = os.environ.get("G_DEBUG")
os.environ["G_DEBUG"] = "gc-friendly"

import pyatspi  # noqa: E402

results = []
APP_ID = sys.argv[1] if len(sys.argv) > 1 else "io.github.outboundapp.Outbound"


def tap(ok, name, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} {name}{' # ' + detail if detail else ''}", flush=True)


def find_app(name, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            if app is not None and app.name == name:
                return app
        time.sleep(0.2)
    return None


def walk(node):
    yield node
    try:
        for child in node:
            if child is not None:
                yield from walk(child)
    except Exception:
        return


def find(root, role=None, name=None, timeout=10, action=None):
    end = time.time() + timeout
    while time.time() < end:
        for n in walk(root):
            try:
                if ((role is None or n.getRoleName() == role) and (name is None or n.name == name)
                        and (action is None or action in actions(n))):
                    return n
            except Exception:
                continue
        time.sleep(0.2)
    return None


def actions(node):
    try:
        a = node.queryAction()
        return {a.getName(i): i for i in range(a.nActions)}
    except Exception:
        return {}


def show_page(name):
    from gi.repository import Gio, GLib
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    bus.call_sync(APP_ID, "/" + APP_ID.replace(".", "/"), "org.gtk.Actions", "Activate",
                  GLib.Variant("(sava{sv})", ("show-page", [GLib.Variant("s", name)], {})),
                  None, Gio.DBusCallFlags.NONE, 5000, None)


# Modifier masks for Atspi's KEY_LOCKMODIFIERS: the X server holds the
# modifier as a lock while the key goes, whatever the keymap's keycodes.
CONTROL_MASK = 1 << 2
ALT_MASK = 1 << 3  # Mod1


def press(keysym, mods=0):
    """Presses @keysym (with @mods held) as the keyboard would: the event
    goes to whichever widget has the focus, as a person's would."""
    if mods:
        pyatspi.Registry.generateKeyboardEvent(mods, None, pyatspi.KEY_LOCKMODIFIERS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    if mods:
        pyatspi.Registry.generateKeyboardEvent(mods, None, pyatspi.KEY_UNLOCKMODIFIERS)
    time.sleep(0.8)


def toplevels(app):
    names = []
    try:
        for child in app:
            if child is not None:
                names.append(child.name)
    except Exception:
        pass
    return names


def wait_for_toplevel(app, name, timeout=5):
    end = time.time() + timeout
    while time.time() < end:
        if name in toplevels(app):
            return True
        time.sleep(0.2)
    return False


def wait_gone(app, name, timeout=5):
    end = time.time() + timeout
    while time.time() < end:
        if name not in toplevels(app):
            return True
        time.sleep(0.2)
    return False


def main():
    build = os.environ["OUTBOUND_BUILD_ROOT"]
    tmp = tempfile.mkdtemp(prefix="outbound-atspi-")
    env = dict(os.environ)
    env["OUTBOUND_DB"] = os.path.join(tmp, "a11y.db")
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    if APP_G_DEBUG is not None:
        env["G_DEBUG"] = APP_G_DEBUG
    proc = subprocess.Popen([os.path.join(build, "src", "outbound")], env=env)
    try:
        app = find_app("outbound")
        tap(app is not None, "the app appears on the accessibility bus")
        if app is None:
            return
        frame = find(app, "frame", "Outbound")
        tap(frame is not None, "the main window is a frame named Outbound")

        pages = find(app, "list", "Pages")
        tap(pages is not None, "the sidebar is a list named Pages")
        names = [c.name for c in pages] if pages else []
        tap(names == ["Contacts", "Templates", "Campaigns", "Domain Health", "Accounts", "Reports"],
            "the sidebar lists the six pages by name", repr(names))

        # GtkMenuButton shows as a named button holding a clickable one.
        menu = find(app, "push button", "Main Menu", action="click")
        tap(menu is not None, "the main menu button is named and clickable")

        # Each page's empty state offers its first action as a named button.
        # Pages are built when first shown: show each one as a notification
        # does, through the application's show-page action on the bus.
        for page, label in (("contacts", "Import Contacts…"), ("templates", "New Template"),
                            ("campaigns", "New Campaign…"), ("domain-health", "Check a Domain…"),
                            ("accounts", "Add Account…")):
            show_page(page)
            button = find(app, "label", label, timeout=5)
            tap(button is not None, f"the empty state offers “{label}”")

        # The shortcuts window opens through the window's action, as Ctrl+? would.
        acts = actions(frame) if frame else {}
        tap("win.show-help-overlay" in acts, "the window exposes its actions")
        if "win.show-help-overlay" in acts:
            frame.queryAction().doAction(acts["win.show-help-overlay"])
            found = None
            end = time.time() + 5
            while time.time() < end and found is None:
                for n in walk(app):
                    try:
                        if n.getRoleName() == "frame" and n.name and "Shortcuts" in n.name:
                            found = n
                            break
                    except Exception:
                        continue
                time.sleep(0.2)
            tap(found is not None, "the keyboard shortcuts window opens", found.name if found else "")
            if found is not None:
                press(0xff1b)  # Escape closes it
                wait_gone(app, found.name)

        # A page's shortcuts work wherever the focus is in the window, the
        # sidebar included, as a keyboard user leaves it: F10 opens the main
        # menu, Escape closes it, Tab goes on to the sidebar's list.
        KEY = {"1": 0x31, "3": 0x33, "i": 0x69, "n": 0x6e,
               "Tab": 0xff09, "Escape": 0xff1b, "F10": 0xffc7}
        press(KEY["3"], ALT_MASK)
        press(KEY["F10"])
        press(KEY["Escape"])
        press(KEY["Tab"])
        press(KEY["n"], CONTROL_MASK)
        opened = wait_for_toplevel(app, "New Campaign")
        tap(opened, "with the focus on the sidebar, Ctrl+N opens the new-campaign assistant",
            repr(toplevels(app)))
        if opened:
            press(KEY["Escape"])
            wait_gone(app, "New Campaign")
        # The focus stays on the sidebar when Alt+1 changes the page.
        press(KEY["1"], ALT_MASK)
        press(KEY["i"], CONTROL_MASK)
        opened = wait_for_toplevel(app, "Import Contacts")
        tap(opened, "with the focus on the sidebar, Ctrl+I opens the import file chooser",
            repr(toplevels(app)))
        if opened:
            press(KEY["Escape"])
            wait_gone(app, "Import Contacts")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
    print(f"1..{len(results)}")
    sys.exit(0 if results and all(results) else 1)
