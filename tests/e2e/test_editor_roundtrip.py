#!/usr/bin/python3
# test_editor_roundtrip.py: a design engineer keeps a dossier in the real application.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prepares a database with dossier-cli (demonstration data and an engineer's
# account), starts the real `dossier` binary on it and drives it through the
# accessibility tree with dogtail: sign in, create a patient-matched dossier for a
# new patient, fill part of its order, add a design iteration with two parameter
# values, attach a file through the file chooser, and quit.  Then it starts the
# application again on the same database, opens the dossier and finds the same
# data on its pages, and checks it once more with `dossier-cli show --json`
# (including the SHA-256 of the attached file) and `dossier-cli audit verify`.
#
# Needs an X server and a D-Bus session (`make test` runs the tests inside
# xvfb-run and dbus-run-session, where the AT-SPI bus is started on demand) and the
# system's Python with dogtail (/usr/bin/python3).  Environment: DOSSIER_EXE and
# DOSSIER_CLI name the binaries; DOSSIER_E2E_SHOTS names a folder for screenshots
# (default: e2e-shots-editor in G_TEST_BUILDDIR, when `import` from ImageMagick
# exists).  Exit status 77 (skipped) without a display, a session bus or dogtail.

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
TIMEOUT = 30

ADMIN_PASSWORD = 'admin-pass-2026'
ENGINEER = ('eng1', 'Zhang Wei', 'eng1-pass-2026')
PATIENT = 'E2E-0001'
CONDITION = 'Comminuted fracture of the left acetabulum'
LESION_SITE = 'Left acetabulum'
ORDERED_ON = '2026-03-02'
OUTER_DIAMETER = ('outer_diameter', '52.0', 'mm')
MATERIAL = ('material_grade', 'Ti6Al4V ELI', '')
ATTACHMENT = 'e2e-implant-model.stl'


def log(message):
    print('# ' + message, flush=True)


def skip(reason):
    print('SKIP: ' + reason, flush=True)
    sys.exit(SKIP)


# The database ----------------------------------------------------------------------

class Cli:
    def __init__(self, exe, db):
        self.exe = exe
        self.db = db
        self.env = dict(os.environ, LC_ALL='C.UTF-8', LANG='C.UTF-8')
        self.env.pop('DOSSIER_PASSWORD', None)
        self.env.pop('DOSSIER_DB', None)

    def run(self, args, stdin=None, check=True):
        result = subprocess.run([self.exe, '--db', self.db] + args, input=stdin, env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError('dossier-cli %s failed (%d): %s%s' % (' '.join(args), result.returncode,
                                                                    result.stdout, result.stderr))
        return result

    def units(self):
        data = json.loads(self.run(['list', '--json']).stdout)
        if isinstance(data, dict):
            data = data.get('dossiers', [])
        return set(d.get('unit_no') or d.get('unit-no') for d in data)


def prepare(cli):
    cli.run(['demo'])
    cli.run(['user', 'add', '--name', 'Ada Admin', '--role', 'administrator', 'admin'],
            stdin=ADMIN_PASSWORD + '\n')
    login, name, password = ENGINEER
    cli.run(['user', 'add', '--user', 'admin', '--name', name, '--role', 'engineer', login],
            stdin=ADMIN_PASSWORD + '\n' + password + '\n')


# The application --------------------------------------------------------------------

class Gui:
    def __init__(self, exe, db, shots, prefix):
        from dogtail import config
        config.config.logDebugToFile = False
        config.config.logDebugToStdOut = False
        config.config.searchCutoffCount = 40
        config.config.searchBackoffDuration = 0.5
        config.config.actionDelay = 0.3
        config.config.typingDelay = 0.03
        from dogtail import rawinput
        from dogtail.tree import root
        self.root = root
        self.rawinput = rawinput
        self.shots = shots
        self.prefix = prefix

        env = dict(os.environ, GTK_A11Y='atspi', GSETTINGS_BACKEND='memory', LC_ALL='C.UTF-8',
                   LANG='C.UTF-8', LANGUAGE='en')
        # The application as people start it: with its sign-in page.  Without a
        # portal, the file chooser is GTK's own dialog, which is in the tree.
        for name in ('NO_AT_BRIDGE', 'DOSSIER_NO_LOGIN', 'DOSSIER_DB', 'DOSSIER_REPORT_FIRST_ROWS',
                     'GTK_USE_PORTAL', 'GDK_DEBUG'):
            env.pop(name, None)
        self.process = subprocess.Popen([exe, '--db', db], env=env)
        self.app = self.wait_for_app()

    def wait_for_app(self):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('dossier exited with %d' % self.process.returncode)
            try:
                for app in self.root.applications():
                    if app.name == 'dossier':
                        return app
            except Exception:  # the registry may not be up yet
                pass
            time.sleep(0.5)
        raise RuntimeError('dossier did not appear on the accessibility bus')

    def wait_exit(self, timeout=TIMEOUT):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def shot(self, name):
        if self.shots is None:
            return
        subprocess.run(['import', '-window', 'root', os.path.join(self.shots, self.prefix + name + '.png')],
                       capture_output=True, timeout=30)

    # GTK 4.8 reports every widget of a stack as visible and none as showing, and
    # an accessible name joins the label with the text shown: nodes are found by
    # role and the start of their name.
    def find_all(self, pred, within=None):
        def safe(node):
            try:
                return pred(node)
            except Exception:  # a node that went away while searching
                return False
        return (within or self.app).findChildren(safe, isLambda=True)

    def dump(self, within=None):
        """What the tree holds, for the log of a failure."""
        try:
            nodes = self.find_all(lambda n: n.name and n.roleName not in ('panel', 'filler', 'image',
                                                                          'scroll bar'), within)
        except Exception as e:
            log('  (the tree could not be read: %s)' % e)
            return
        for node in nodes[:600]:
            log('  [%s] %r' % (node.roleName, node.name))

    def find(self, description, pred, within=None, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            try:
                found = self.find_all(pred, within)
            except Exception:
                found = []
            if found:
                return found[0]
            if time.monotonic() > deadline:
                self.dump(within)
                self.shot('failed')
                raise AssertionError('not found: ' + description)
            time.sleep(0.5)

    def button(self, prefix, within=None, timeout=TIMEOUT):
        return self.find('button “%s”' % prefix,
                         lambda n: n.roleName in ('push button', 'toggle button', 'page tab') and
                                   n.name.startswith(prefix),
                         within, timeout)

    def entry(self, prefix, within=None, timeout=TIMEOUT):
        return self.find('field “%s”' % prefix,
                         lambda n: n.roleName in ('text', 'password text', 'entry', 'spin button') and
                                   n.name.startswith(prefix),
                         within, timeout)

    def press(self, node):
        # The accessible action, not a pointer event: another test's window may
        # be on top of this one on the shared X server.
        if 'click' in node.actions:
            node.doActionNamed('click')
        elif 'activate' in node.actions:
            node.doActionNamed('activate')
        else:
            log('no click action on [%s] %r: clicking its place' % (node.roleName, node.name))
            node.click()
        time.sleep(0.5)

    def type_into(self, node, text):
        """Sets an entry's text through AT-SPI when it allows it, else types it."""
        for target in [node] + node.findChildren(lambda n: True, isLambda=True):
            try:
                target.queryEditableText().setTextContents(text)
                return
            except Exception:
                continue
        node.grabFocus()
        self.rawinput.typeText(text)

    def frame(self, name, timeout=TIMEOUT):
        """A top-level window of the application, by title."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                for window in self.app.children:
                    if window.name == name:
                        return window
            except Exception:
                pass
            if time.monotonic() > deadline:
                log('windows: %r' % [w.name for w in self.app.children])
                self.shot('failed')
                raise AssertionError('no window “%s”' % name)
            time.sleep(0.5)

    def gone(self, window, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if window not in self.app.children:
                    return
            except Exception:
                pass
            time.sleep(0.5)
        raise AssertionError('the window “%s” stayed open' % window.name)


def label_with(gui, text, within=None, timeout=TIMEOUT):
    return gui.find('text “%s”' % text, lambda n: n.roleName == 'label' and text in n.name, within, timeout)


def sign_in(gui, main):
    login, name, password = ENGINEER
    gui.press(gui.button('Sign in as ' + name, main))
    field = gui.find('the password field of ' + login,
                     lambda n: n.roleName in ('text', 'password text') and n.name.startswith('Password of ' + name),
                     main)
    time.sleep(0.5)
    gui.type_into(field, password)
    # “Sign in Sign In”, not one of the “Sign in as …” buttons of the accounts.
    gui.press(gui.find('the sign-in button',
                       lambda n: n.roleName == 'push button' and n.name.startswith('Sign in') and
                                 not n.name.startswith('Sign in as'), main))
    gui.find('the account menu of ' + login,
             lambda n: n.roleName in ('push button', 'toggle button') and n.name.startswith('Signed in as ' + name),
             main)
    log('signed in as ' + login)


def explore(gui, main):
    gui.press(gui.button('New dossier', main))
    dialog = gui.frame('New Dossier')
    check = gui.find('pm', lambda n: n.roleName == 'check box' and n.name.startswith('Patient-matched'), dialog)
    log('extents %r' % (check.extents,))
    check.click()
    time.sleep(1)
    gui.shot('e1')
    combo = gui.find('inst', lambda n: n.roleName == 'combo box' and n.name.startswith('Institution'), dialog)
    log('extents %r' % (combo.extents,))
    combo.click()
    time.sleep(1.5)
    gui.shot('e2')
    for n in gui.find_all(lambda n: True, dialog):
        try:
            if n.roleName not in ('panel', 'filler'):
                log('  [%s] %r actions=%r ext=%r' % (n.roleName, n.name, list(n.actions), n.extents))
        except Exception:
            pass
    log('windows %r' % [w.name for w in gui.app.children])


def run(exe, cli_exe, workdir, shots):
    db = os.path.join(workdir, 'e2e.db')
    cli = Cli(cli_exe, db)
    prepare(cli)
    before = cli.units()

    gui = Gui(exe, db, shots, '1-')
    try:
        main = gui.frame('Dossier')
        sign_in(gui, main)
        explore(gui, main)
    finally:
        gui.close()


def main():
    if not os.environ.get('DISPLAY'):
        skip('no X display (make test runs the tests under xvfb-run)')
    if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        skip('no D-Bus session (make test runs the tests under dbus-run-session)')
    try:
        import dogtail  # noqa: F401
    except ImportError:
        skip('dogtail is not installed (python3-dogtail, for /usr/bin/python3)')

    exe = os.environ.get('DOSSIER_EXE')
    cli_exe = os.environ.get('DOSSIER_CLI')
    if not exe or not cli_exe:
        print('DOSSIER_EXE and DOSSIER_CLI must name the binaries', file=sys.stderr)
        return 1

    # AT-SPI is on in the test session; GTK 4 needs no more, dogtail checks it.
    subprocess.run(['gsettings', 'set', 'org.gnome.desktop.interface', 'toolkit-accessibility', 'true'],
                   capture_output=True)

    shots = os.environ.get('DOSSIER_E2E_SHOTS')
    if shots is None and os.environ.get('G_TEST_BUILDDIR') and shutil.which('import'):
        shots = os.path.join(os.environ['G_TEST_BUILDDIR'], 'e2e-shots-editor')
    if shots is not None:
        os.makedirs(shots, exist_ok=True)

    workdir = tempfile.mkdtemp(prefix='dossier-e2e-editor-')
    try:
        run(exe, cli_exe, workdir, shots)
    except Exception:
        # dogtail replaces the exception hook; say what failed here.
        traceback.print_exc()
        print('FAIL', flush=True)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
