#!/usr/bin/python3
# test_sign_release.py: a QA reviewer signs a dossier off in the real application.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prepares a database with dossier-cli (the demonstration data, with its accounts
# and the dossier waiting for release), starts the real `dossier` binary on it and
# drives it through the accessibility tree with dogtail: sign in as the QA reviewer
# by choosing the account and typing the password (a wrong one first), find the
# dossier, open its Sign-offs page, sign the release with the password in the sign
# dialog, and check that the signature is shown, and with dossier-cli that it is
# recorded, holds, and the unit is released.
#
# Needs an X server and a D-Bus session (`make test` runs the tests inside
# xvfb-run and dbus-run-session, where the AT-SPI bus is started on demand) and the
# system's Python with dogtail (/usr/bin/python3).  Environment: DOSSIER_EXE and
# DOSSIER_CLI name the binaries; DOSSIER_E2E_SHOTS names a folder for screenshots
# (default: e2e-shots in G_TEST_BUILDDIR, when `import` from ImageMagick exists).
# Exit status 77 (skipped) without a display, a session bus or dogtail.

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

# The demonstration accounts and passwords, as the README gives them.
REVIEWER_LOGIN = 'li.na'
REVIEWER_NAME = '李娜'
REVIEWER_PASSWORD = 'li.na-demo'


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

    def dossiers(self, status):
        out = self.run(['list', '--status', status, '--json']).stdout
        data = json.loads(out)
        if isinstance(data, dict):
            data = data.get('dossiers', [])
        return [d.get('unit_no') or d.get('unit-no') for d in data]


def prepare(cli):
    """Fills the database with the demonstration data; returns the unit number of the
    dossier waiting for release: processed, inspected, its processing record reviewed
    by the QA reviewer, who wrote none of it."""
    cli.run(['demo'])
    waiting = cli.dossiers('inspection')
    if len(waiting) != 1:
        raise RuntimeError('the demonstration data should have one dossier waiting for release, not %r' % waiting)
    log('%s is waiting for release' % waiting[0])
    return waiting[0]


# The application --------------------------------------------------------------------

class Gui:
    def __init__(self, exe, db, shots):
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

        env = dict(os.environ, GTK_A11Y='atspi', GSETTINGS_BACKEND='memory', LC_ALL='C.UTF-8',
                   LANG='C.UTF-8', LANGUAGE='en')
        # The application as people start it: with its sign-in page.
        for name in ('NO_AT_BRIDGE', 'DOSSIER_NO_LOGIN', 'DOSSIER_DB', 'DOSSIER_REPORT_FIRST_ROWS'):
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

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def shot(self, name):
        if self.shots is None:
            return
        subprocess.run(['import', '-window', 'root', os.path.join(self.shots, name + '.png')],
                       capture_output=True, timeout=30)

    # GTK 4.8 reports every widget of a stack as visible and none as showing, and
    # an accessible name joins the label with the text shown ("Sign in Sign In"):
    # nodes are found by role and the start of their name, in a part of the tree
    # that only holds what is on screen.
    def find_all(self, pred, within=None):
        def safe(node):
            try:
                return pred(node)
            except Exception:  # a node that went away while searching
                return False
        return (within or self.app).findChildren(safe, isLambda=True)

    def dump(self, within=None):
        """What the tree holds, for the log of a failure."""
        for node in self.find_all(lambda n: n.name and n.roleName not in ('label', 'panel', 'filler',
                                                                         'image', 'scroll bar'), within)[:400]:
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

    def button(self, prefix, within=None):
        return self.find('button “%s”' % prefix,
                         lambda n: n.roleName in ('push button', 'toggle button', 'page tab') and n.name.startswith(prefix),
                         within)

    def press(self, node):
        # The accessible action, not a pointer event: another test's window may
        # be on top of this one on the shared X server.
        if 'click' in node.actions:
            node.doActionNamed('click')
        else:
            log('no click action on [%s] %r: clicking its place' % (node.roleName, node.name))
            node.click()
        time.sleep(0.5)

    def type_into(self, node, text):
        """Sets an entry's text through AT-SPI when it allows it, else types it."""
        try:
            node.queryEditableText().setTextContents(text)
            return
        except Exception:
            pass
        for child in node.findChildren(lambda n: True, isLambda=True):
            try:
                child.queryEditableText().setTextContents(text)
                return
            except Exception:
                continue
        # Keyboard events go to the focused entry, which the page focuses itself.
        self.rawinput.typeText(text)

    def frame(self, name):
        """A top-level window of the application, by title."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                for window in self.app.children:
                    if window.name == name:
                        return window
            except Exception:
                pass
            if time.monotonic() > deadline:
                log('windows: %r' % [w.name for w in self.app.children])
                raise AssertionError('no window “%s”' % name)
            time.sleep(0.5)


def sign_in_button(gui, within):
    # Not one of the accounts' “Sign in as …” buttons.
    return gui.find('button “Sign in”',
                    lambda n: n.roleName == 'push button' and n.name.startswith('Sign in') and
                              not n.name.startswith('Sign in as'), within)


def open_first_match(gui, search, unit, main):
    """Opens the dossier the search found, as Enter in the search field does."""
    def shown():
        # The list row names it, and so does the editor once it shows it.
        return len(gui.find_all(lambda n: n.roleName == 'label' and n.name == unit, main)) >= 2

    attempts = [
        ('the search field’s action', lambda: search.doActionNamed('activate')),
        ('Enter in the search field', lambda: (gui.rawinput.keyCombo('<Control>f'),
                                              gui.rawinput.pressKey('Return'))),
        ('a click on the list row', lambda: gui.find('the list row',
                                                     lambda n: n.roleName == 'list item' and
                                                               any(c.name == unit for c in
                                                                   n.findChildren(lambda c: c.roleName == 'label',
                                                                                  isLambda=True)),
                                                     main).click()),
    ]
    for description, attempt in attempts:
        try:
            attempt()
        except Exception as error:
            log('%s failed: %s' % (description, error))
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if shown():
                log('opened %s by %s' % (unit, description))
                return
            time.sleep(0.5)
    raise AssertionError('could not open ' + unit)


def label_with(gui, text, within=None, timeout=TIMEOUT):
    return gui.find('text “%s”' % text, lambda n: n.roleName == 'label' and text in n.name, within, timeout)


def run(exe, cli_exe, workdir, shots):
    db = os.path.join(workdir, 'e2e.db')
    cli = Cli(cli_exe, db)
    unit = prepare(cli)
    reviewer = REVIEWER_NAME
    login = REVIEWER_LOGIN

    gui = Gui(exe, db, shots)
    try:
        main = gui.frame('Dossier')

        # Sign in: the account, then its password.  A wrong one first: refused.
        account = gui.button('Sign in as ' + reviewer, main)
        gui.shot('01-accounts')
        gui.press(account)
        # GTK animates a click for a moment; the password field then names its account.
        password = gui.find('the password field of ' + login,
                            lambda n: n.roleName in ('text', 'password text') and
                                      n.name.startswith('Password of ' + reviewer), main)
        time.sleep(0.5)
        gui.type_into(password, 'not-the-password')
        gui.press(sign_in_button(gui, main))
        label_with(gui, 'password is wrong', main)
        gui.shot('02-refused')
        gui.type_into(password, REVIEWER_PASSWORD)
        gui.press(sign_in_button(gui, main))
        gui.find('the account menu of ' + login,
                 lambda n: n.roleName in ('push button', 'toggle button') and
                           n.name.startswith('Signed in as ' + reviewer), main)
        log('signed in as ' + login)

        # The dossier: search for its unit number; Enter opens the first match.
        search = gui.find('the search field',
                          lambda n: n.name.startswith('Search dossiers') and n.roleName != 'label', main)
        gui.type_into(search, unit)
        gui.find('the one dossier found', lambda n: n.roleName == 'label' and n.name == '1 found', main)
        open_first_match(gui, search, unit, main)

        # Its Sign-offs page.
        gui.press(gui.button('Sign-offs', main))
        gui.shot('03-signoffs')
        gui.press(gui.button('Sign the release', main))

        # The sign dialog: what is signed, then the password.
        dialog = gui.frame('Sign Release')
        label_with(gui, unit, dialog)
        label_with(gui, 'SHA-256', dialog)
        field = gui.find('the password field of the sign dialog',
                         lambda n: n.roleName in ('text', 'password text') and n.name.startswith('Password'),
                         dialog)
        gui.type_into(field, REVIEWER_PASSWORD)
        time.sleep(0.5)
        gui.shot('04-sign-dialog')
        gui.press(gui.button('Sign with your password', dialog))

        # Shown in full on the page: name, login, role, meaning, time with UTC offset.
        shown = label_with(gui, 'Released by %s (%s), QA reviewer, on ' % (reviewer, login), main)
        log('shown: ' + shown.name)
        label_with(gui, 'Valid: the signed content is unchanged.', main)
        gui.shot('05-signed')
    finally:
        gui.close()

    # And recorded: the signature holds and the unit is released.
    listing = cli.run(['signatures', 'list', unit]).stdout
    if 'Released by %s (%s)' % (reviewer, login) not in listing:
        raise AssertionError('dossier-cli does not list the signature:\n' + listing)
    if unit not in cli.dossiers('released'):
        raise AssertionError('%s is not released' % unit)
    cli.run(['signatures', 'verify', unit])
    cli.run(['audit', 'verify'])
    log('%s released by %s' % (unit, login))


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
        shots = os.path.join(os.environ['G_TEST_BUILDDIR'], 'e2e-shots')
    if shots is not None:
        os.makedirs(shots, exist_ok=True)

    workdir = tempfile.mkdtemp(prefix='dossier-e2e-')
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
