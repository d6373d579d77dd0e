#!/usr/bin/python3
# test_editor_roundtrip.py: a design engineer keeps a dossier in the real application.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prepares a database with dossier-cli (the demonstration data, with its
# accounts), starts the real `dossier` binary on it and drives it through the
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

# A demonstration account, with the password the README gives.
ENGINEER = ('zhang.wei', '张伟', 'zhang.wei-demo')
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

    def scroll_into_view(self, node, window):
        """Turns the mouse wheel over the window until the node is inside it.

        GTK 4 reports positions relative to the window, which is at the
        origin of the screen without a window manager."""
        for _ in range(20):
            x, y, w, h = node.extents
            wx, wy, ww, wh = window.extents
            if y >= 60 and y + h <= wh - 10:
                return
            self.rawinput.click(ww // 2, wh // 2, button=5 if y + h > wh - 10 else 4)
            time.sleep(0.3)
        raise AssertionError('[%s] %r cannot be scrolled into view' % (node.roleName, node.name))

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


def choose(gui, dialog, title, steps=1):
    """Picks an option of a combo row with the keyboard: its popover has the focus."""
    combo = gui.find('the choice “%s”' % title,
                     lambda n: n.roleName == 'combo box' and n.name.startswith(title), dialog)
    gui.scroll_into_view(combo, dialog)
    combo.click()
    gui.find('the options of “%s”' % title,
             lambda n: n.roleName == 'list' and n.childCount > 0, combo)
    time.sleep(0.5)
    for _ in range(steps):
        gui.rawinput.pressKey('Down')
        time.sleep(0.3)
    gui.rawinput.pressKey('Return')
    time.sleep(1.0)


def create_dossier(gui, main):
    gui.press(gui.button('New dossier', main))
    dialog = gui.frame('New Dossier')
    gui.find('the kind “Patient-matched”',
             lambda n: n.roleName == 'check box' and n.name.startswith('Patient-matched'), dialog).click()
    time.sleep(0.5)
    choose(gui, dialog, 'Institution')
    choose(gui, dialog, 'Ordering clinician')
    gui.type_into(gui.entry('Patient code', dialog), PATIENT)
    time.sleep(1.0)
    choose(gui, dialog, 'Sex')
    gui.type_into(gui.entry('Birth year', dialog), '1968')
    time.sleep(0.5)
    choose(gui, dialog, 'Registered model')
    gui.shot('02-new-dossier')
    gui.press(gui.button('C_reate', dialog))
    gui.gone(dialog)


def field(gui, name, within):
    """An editable field of the editor by its accessible name (“Order date”)."""
    return gui.find('the field “%s”' % name,
                    lambda n: n.roleName == 'text' and (n.name == name or n.name.startswith(name + ' ')), within)


def text_of(node):
    """The text an entry shows (an entry row holds the text widget that has it)."""
    texts = []
    for target in [node] + node.findChildren(lambda n: True, isLambda=True):
        try:
            # GTK 4.8 answers "" for an entry's text up to -1: ask for its length.
            text = target.queryText()
            texts.append(text.getText(0, text.characterCount))
        except Exception:
            continue
    return ' | '.join(t for t in texts if t)


def shows(node, values):
    text = text_of(node)
    if any(v in text for v in values):
        return True
    log('  [%s] %r shows %r' % (node.roleName, node.name, text))
    return False


def fill(gui, window, node, text, commit):
    """Types into a field as a person does: click it, enter the text, commit it."""
    gui.scroll_into_view(node, window)
    node.click()
    time.sleep(0.5)
    gui.type_into(node, text)
    time.sleep(0.3)
    gui.rawinput.keyCombo(commit)
    time.sleep(0.5)


def wait_for(description, check, timeout=TIMEOUT):
    """Polls check() until it returns something true; the last error explains a failure."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = check()
            if value:
                return value
        except Exception as e:  # not there yet
            last = e
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for %s%s' % (description, ' (%s)' % last if last else ''))
        time.sleep(0.5)


def show(cli, unit):
    return json.loads(cli.run(['show', unit, '--json']).stdout)


def parameters(record):
    values = {}
    for iteration in record.get('design_iterations') or []:
        for value in iteration.get('parameter_values') or []:
            values[value['name']] = value
    return values


def attachment(record):
    for row in record.get('attachments') or []:
        if any(isinstance(v, str) and ATTACHMENT in v for v in row.values()):
            return row
    return None


def same_number(a, b):
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def edit(gui, main, cli, unit, upload):
    # The order: committed with Enter (Ctrl+Enter in a text of several lines).
    gui.press(gui.button('Order', main))
    fill(gui, main, field(gui, 'Order date', main), ORDERED_ON, 'Return')
    fill(gui, main, field(gui, 'Condition', main), CONDITION, '<Control>Return')
    fill(gui, main, field(gui, 'Lesion site', main), LESION_SITE, 'Return')
    wanted = {'ordered_on': ORDERED_ON, 'condition': CONDITION, 'lesion_site': LESION_SITE}
    wait_for('the order in the database',
             lambda: all(show(cli, unit)['dossier'].get(k) == v for k, v in wanted.items()))
    gui.shot('04-order')
    log('order saved')

    # A design iteration: the dialog proposes version 1, today and the signed-in engineer.
    gui.press(gui.button('Design', main))
    gui.press(gui.button('Add design iteration', main))
    dialog = gui.frame('New Design Iteration')
    gui.shot('05-iteration-dialog')
    gui.press(gui.find('the add button of the dialog',
                       lambda n: n.roleName == 'push button' and n.name.startswith('_Add'), dialog))
    gui.gone(dialog)
    iteration = wait_for('the iteration in the database', lambda: show(cli, unit)['design_iterations'])[0]
    log('iteration %s of %s by %s' % (iteration['version'], iteration['designed_on'], iteration['designer']))

    for name, value, unit_text in (OUTER_DIAMETER, MATERIAL):
        gui.type_into(gui.entry('New parameter name', main), name)
        gui.type_into(gui.entry('New parameter value or category', main), value)
        gui.type_into(gui.entry('New parameter unit', main), unit_text)
        gui.press(gui.button('Add parameter', main))
        wait_for('the parameter %s in the database' % name, lambda: name in parameters(show(cli, unit)))
    gui.shot('06-parameters')
    log('parameters saved')

    # A file, through the file chooser: without a portal it is GTK's own dialog,
    # whose location field takes a path after Ctrl+L.
    gui.press(gui.button('Attachments', main))
    gui.press(gui.button('Add files', main))
    chooser = gui.frame('Add Files')
    time.sleep(1.0)
    # The keyboard follows the pointer without a window manager.
    x, y, w, h = chooser.extents
    gui.rawinput.absoluteMotion(w // 2, 15)
    time.sleep(0.5)
    gui.rawinput.keyCombo('<Control>l')
    location = gui.find('the location field of the file chooser',
                        lambda n: n.roleName == 'text' and n.name == 'GtkFileChooserEntry', chooser)
    gui.type_into(location, upload)
    time.sleep(0.5)
    gui.shot('07-file-chooser')
    gui.press(gui.find('the add button of the file chooser',
                       lambda n: n.roleName == 'push button' and n.name.startswith('_Add'), chooser))
    gui.gone(chooser)
    label_with(gui, ATTACHMENT, main)
    wait_for('the attachment in the database', lambda: attachment(show(cli, unit)))
    gui.shot('08-attached')
    log('attached ' + ATTACHMENT)


def open_dossier(gui, main, unit):
    """Searches for the unit number; Enter opens the first match, a click when not."""
    search = gui.find('the search field',
                      lambda n: n.name.startswith('Search dossiers') and n.roleName != 'label', main)
    gui.type_into(search, unit)
    listing = gui.find('the list of dossiers', lambda n: n.roleName == 'list' and n.name == 'Dossiers', main)
    row = label_with(gui, unit, listing)
    wait_for('the search to leave one dossier', lambda: label_with(gui, '1 found', main, timeout=0))
    opened = lambda: gui.find_all(lambda n: n.roleName == 'list item' and n.name == 'Patient code: ' + PATIENT,
                                  main)
    search.doActionNamed('activate')
    try:
        wait_for('the dossier %s opened' % unit, opened, timeout=10)
    except AssertionError:
        log('Enter in the search field opened nothing: clicking the row')
        row.click()
        wait_for('the dossier %s opened' % unit, opened)


def check_shown(gui, main):
    gui.press(gui.button('Order', main))
    # A date may be shown in the locale's way.
    for name, values in (('Order date', (ORDERED_ON, '2 Mar', 'March 2', '2026/03/02', '02/03/2026', '03/02/2026')),
                         ('Condition', (CONDITION,)), ('Lesion site', (LESION_SITE,))):
        # Every page of the editor is in the tree at once: one of the fields
        # of that name shows it.
        field(gui, name, main)
        wait_for('“%s” in %s' % (values[0], name),
                 lambda: any(shows(n, values) for n in gui.find_all(
                     lambda n: n.roleName == 'text' and (n.name == name or n.name.startswith(name + ' ')), main)))
    gui.shot('11-order')

    gui.press(gui.button('Design', main))
    for name, value, unit_text in (OUTER_DIAMETER, MATERIAL):
        cells = wait_for('the cells of %s shown' % name,
                         lambda: [n for n in gui.find_all(lambda n: n.roleName == 'text' and
                                                          n.name.endswith(' of ' + name), main)])
        texts = [text_of(n) for n in cells]
        log('  %s: %r' % (name, texts))
        if value not in texts and not any(same_number(t, value) for t in texts):
            raise AssertionError('%s shows %r, not %r' % (name, texts, value))
    gui.shot('12-design')

    gui.press(gui.button('Attachments', main))
    label_with(gui, ATTACHMENT, main)
    gui.shot('13-attachments')


def quit_app(gui, main):
    """Ctrl+Q, as people quit; the window's close button when no key reaches it."""
    x, y, w, h = main.extents
    gui.rawinput.absoluteMotion(w // 2, 15)
    time.sleep(0.3)
    gui.rawinput.keyCombo('<Control>q')
    status = gui.wait_exit(15)
    if status is None:
        log('Ctrl+Q did not quit: closing the window')
        gui.press(gui.button('Close', main))
        status = gui.wait_exit()
    if status != 0:
        raise AssertionError('dossier quit with status %r' % status)


def run(exe, cli_exe, workdir, shots):
    db = os.path.join(workdir, 'e2e.db')
    cli = Cli(cli_exe, db)
    prepare(cli)
    before = cli.units()

    upload = os.path.join(workdir, ATTACHMENT)
    with open(upload, 'w') as f:
        f.write('solid e2e\n')
        for i in range(200):
            f.write('  facet normal 0 0 1\n    outer loop\n      vertex %d 0 0\n      vertex 0 %d 0\n'
                    '      vertex 0 0 %d\n    endloop\n  endfacet\n' % (i, i, i))
        f.write('endsolid e2e\n')
    with open(upload, 'rb') as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()

    started = time.monotonic()
    gui = Gui(exe, db, shots, '1-')
    try:
        main = gui.frame('Dossier')
        sign_in(gui, main)
        gui.shot('01-signed-in')
        create_dossier(gui, main)
        new = wait_for('the new dossier in the database', lambda: cli.units() - before)
        unit = sorted(new)[0]
        log('created %s in %.0f s' % (unit, time.monotonic() - started))
        edit(gui, main, cli, unit, upload)
        quit_app(gui, main)
    finally:
        gui.close()
    log('first session done in %.0f s' % (time.monotonic() - started))

    gui = Gui(exe, db, shots, '2-')
    try:
        main = gui.frame('Dossier')
        sign_in(gui, main)
        open_dossier(gui, main, unit)
        check_shown(gui, main)
        quit_app(gui, main)
    finally:
        gui.close()
    log('second session done in %.0f s' % (time.monotonic() - started))

    # And recorded, as dossier-cli reads it.
    record = show(cli, unit)
    for key, value in (('ordered_on', ORDERED_ON), ('condition', CONDITION), ('lesion_site', LESION_SITE)):
        if record['dossier'].get(key) != value:
            raise AssertionError('%s is %r, not %r' % (key, record['dossier'].get(key), value))
    if record['patient'].get('code') != PATIENT or record['dossier'].get('kind') != 'patient-matched':
        raise AssertionError('not the dossier created: %r %r' % (record['patient'], record['dossier'].get('kind')))
    values = parameters(record)
    diameter = values.get(OUTER_DIAMETER[0]) or {}
    if not same_number(diameter.get('value'), OUTER_DIAMETER[1]) or diameter.get('unit') != OUTER_DIAMETER[2]:
        raise AssertionError('outer diameter: %r' % diameter)
    grade = values.get(MATERIAL[0]) or {}
    if grade.get('category') != MATERIAL[1]:
        raise AssertionError('material grade: %r' % grade)
    row = attachment(record)
    if row is None or sha256 not in [v for v in row.values() if isinstance(v, str)]:
        raise AssertionError('attachment: %r, wanted SHA-256 %s' % (row, sha256))
    verify = cli.run(['audit', 'verify'], check=False)
    if verify.returncode != 0:
        raise AssertionError('audit verify failed (%d): %s%s' % (verify.returncode, verify.stdout, verify.stderr))
    log('%s recorded: order, %d parameter values, %s (%s)' % (unit, len(values), ATTACHMENT, sha256[:12]))


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
