/* test-signoff-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-signoff-gui"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dossier-auth.h"
#include "dossier-canonical.h"
#include "dossier-dossier-list.h"
#include "dossier-dossier-row.h"
#include "dossier-format.h"
#include "dossier-login-page.h"
#include "dossier-qa-queue-window.h"
#include "dossier-reason-dialog.h"
#include "dossier-sign-dialog.h"
#include "dossier-signature.h"
#include "dossier-signoff-page.h"
#include "dossier-store.h"
#include "dossier-test-util.h"
#include "dossier-users-window.h"
#include "dossier-window.h"

/* Widget tests of signing in, the lock screen, the sign dialog, the Sign-offs
 * page, the reason asked for a change to signed content, the QA queue and the
 * Users window, on a customized dossier whose design is in review.
 *
 * With DOSSIER_SCREENSHOT_DIR set, the windows are also saved as PNG files there
 * (to look at them; nothing compares them). */

#define TIMEOUT_S 20

typedef struct
{
  char         *dir;
  char         *path;
  DossierStore *store;
  gint64        dossier;
  char         *unit_no;
  gint64        iteration;
} Fixture;

/* Helpers --------------------------------------------------------------------------- */

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
sign_in (Fixture    *f,
         const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  dossier_store_sign_out (f->store);
  g_assert_true (dossier_store_sign_in (f->store, login, password, &error));
  g_assert_no_error (error);
}

static void
create_account (DossierStore *store,
                const char   *login,
                const char   *full_name,
                DossierRoles  roles)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat (login, "-password", NULL);

  g_assert_cmpint (dossier_auth_create_user (store, login, full_name, roles, password, &error), >, 0);
  g_assert_no_error (error);
}

static void
set_status (Fixture    *f,
            const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_store_update (f->store, "dossier", f->dossier,
                                       (DossierField[]) { { "status", value }, { NULL } }, NULL, &error));
  g_assert_no_error (error);
}

/* The customized unit of test-signatures.c: complete order, design version 1 by
 * the engineer-and-reviewer engqa, confirmed by the clinician, in design review.
 * Accounts: admin, eng1 (engineer), engqa (engineer and QA reviewer), qa1, qa2. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *clinician = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *iteration = NULL;
  gboolean with_accounts = GPOINTER_TO_INT (data);

  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "signoff.db", NULL);
  f->store = dt_open (f->path);

  dt_insert (f->store, "manufacturer", (DossierField[]) {
    { "name_zh", "深圳定制医疗器械有限公司" }, { "uscc", "91440300MA5F00001A" }, { NULL } });
  institution = id_text (dt_insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "中山大学附属第一医院" }, { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" }, { NULL } }));
  clinician = id_text (dt_insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", institution }, { "name_zh", "王医生" }, { "certificate_no", "110440000123456" }, { NULL } }));
  patient = id_text (dt_insert (f->store, "patient", (DossierField[]) {
    { "code", "P-2026-0001" }, { "sex", "female" }, { "birth_year", "1968" }, { NULL } }));
  filing = id_text (dt_insert (f->store, "filing", (DossierField[]) {
    { "number", "粤械定制备20200001号" }, { "province_code", "440000" }, { "filed_on", "2020-03-01" },
    { "status", "filed" }, { "institution_id", institution }, { "device_name", "定制式颅骨修补板" }, { NULL } }));

  f->dossier = dossier_store_create_dossier (f->store, (DossierField[]) {
    { "kind", "customized" }, { "institution_id", institution }, { "clinician_id", clinician },
    { "patient_id", patient }, { "filing_id", filing },
    { "ordered_on", "2026-01-15" }, { "patient_age", "58" },
    { "condition", "Left parietal bone defect after trauma" },
    { "treatment_plan", "Cranioplasty with a titanium plate" },
    { "risks", "Infection, plate exposure" },
    { "necessity", "No marketed plate fits the defect" },
    { "clinical_data", "CT, 0.6 mm slices" },
    { "lesion_site", "Left parietal" },
    { "design_requirements", "Cover the defect with a 5 mm overlap" },
    { "delivery_requirements", "Sterile, within three weeks" },
    { "acceptance_criteria", "Fits the printed skull model" },
    { "clinician_signed_on", "2026-01-15" },
    { "manufacturer_contact", "Zhang San" },
    { "manufacturer_signed_on", "2026-01-16" },
    { "body_days", "36500" },
    { NULL } }, &f->unit_no, &error);
  g_assert_no_error (error);
  dossier = id_text (f->dossier);
  dt_insert (f->store, "design_input", (DossierField[]) {
    { "dossier_id", dossier }, { "title", "CT scan 0.6 mm" }, { "source", "Hospital PACS" }, { NULL } });

  if (!with_accounts)
    return;

  create_account (f->store, "admin", "Ada Admin", DOSSIER_ROLE_ADMINISTRATOR);
  sign_in (f, "admin");
  create_account (f->store, "eng1", "Erin One", DOSSIER_ROLE_ENGINEER);
  create_account (f->store, "engqa", "Sam Both", DOSSIER_ROLE_ENGINEER | DOSSIER_ROLE_QA_REVIEWER);
  create_account (f->store, "qa1", "Quinn One", DOSSIER_ROLE_QA_REVIEWER);
  create_account (f->store, "qa2", "Quincy Two", DOSSIER_ROLE_QA_REVIEWER);

  sign_in (f, "engqa");
  set_status (f, "design");
  f->iteration = dt_insert (f->store, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier }, { "version", "1" }, { "designed_on", "2026-01-20" },
    { "designer", "Sam Both" }, { "software", "3-matic" }, { NULL } });
  iteration = id_text (f->iteration);
  dt_insert (f->store, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "thickness" }, { "value", "2.50" }, { "unit", "mm" }, { NULL } });
  dt_insert (f->store, "design_confirmation", (DossierField[]) {
    { "dossier_id", dossier }, { "iteration_id", iteration }, { "clinician_id", clinician },
    { "confirmed_on", "2026-01-22" }, { "document_no", "DC-2026-001" }, { NULL } });
  set_status (f, "design-review");

  /* The design review, so that the approval is next. */
  sign_in (f, "qa2");
  g_assert_cmpint (dossier_signature_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_REVIEW,
                                           "qa2-password", NULL, &error), >, 0);
  g_assert_no_error (error);
  dossier_store_sign_out (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->unit_no);
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
run_pending (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A label that is drawn and contains text. */
static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label_containing (c, text);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("DOSSIER_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;

  run_pending ();
  run_pending ();
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

static DossierWindow *
show_window (Fixture *f,
             int      width,
             int      height)
{
  DossierWindow *window = dossier_window_new (NULL, f->store);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  return window;
}

static const char *
auth_page (DossierWindow *window)
{
  return gtk_stack_get_visible_child_name (child (window, DOSSIER_TYPE_WINDOW, "auth_stack"));
}

static const char *
login_stack_page (DossierLoginPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, DOSSIER_TYPE_LOGIN_PAGE, "stack"));
}

/* GTK has no call that says whether a widget's action is enabled; a button that
 * uses it does say, by its sensitivity. */
static gboolean
action_enabled (GtkWidget  *window,
                const char *action)
{
  GtkWidget *inside = DOSSIER_IS_WINDOW (window) ? child (window, DOSSIER_TYPE_WINDOW, "login_page")
                                                 : child (window, DOSSIER_TYPE_USERS_WINDOW, "list_page");
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_widget_set_visible (probe, FALSE);
  gtk_widget_set_parent (probe, inside);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  enabled = gtk_widget_get_sensitive (probe);
  gtk_widget_unparent (probe);

  return enabled;
}

static void
type_into (GtkWidget  *widget,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  run_pending ();
}

/* Signing in ---------------------------------------------------------------------------- */

static gboolean
shows_password_page (gpointer data)
{
  return g_strcmp0 (login_stack_page (data), "password") == 0;
}

/* The button that shows the password has a name screen readers can say. */
static void
assert_peek_named (GtkWidget *row)
{
  GtkWidget *toggle = NULL;  /* the button with the eye */
  GtkWidget *w = row;

  /* Depth first, the button with the eye inside the row. */
  while (w != NULL && toggle == NULL)
    {
      if (GTK_IS_BUTTON (w) && gtk_button_get_icon_name (GTK_BUTTON (w)) != NULL &&
          g_str_has_prefix (gtk_button_get_icon_name (GTK_BUTTON (w)), "view-"))
        toggle = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (toggle);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, "Show password");
  /* Shown, it says it hides it again. */
  g_signal_emit_by_name (toggle, "clicked");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, "Hide password");
  g_signal_emit_by_name (toggle, "clicked");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, "Show password");
}

static void
test_login_password (Fixture       *f,
                     gconstpointer  data)
{
  DossierWindow *window = show_window (f, 1000, 720);
  DossierLoginPage *page = child (window, DOSSIER_TYPE_WINDOW, "login_page");
  GtkWidget *users = child (page, DOSSIER_TYPE_LOGIN_PAGE, "users_list");
  GtkWidget *password = child (page, DOSSIER_TYPE_LOGIN_PAGE, "password_row");
  GtkWidget *button = child (page, DOSSIER_TYPE_LOGIN_PAGE, "sign_in_button");
  GtkWidget *error_label = child (page, DOSSIER_TYPE_LOGIN_PAGE, "error_label");
  GtkWidget *row;

  /* Nobody is signed in: the account list, not the content. */
  g_assert_cmpstr (auth_page (window), ==, "login");
  assert_peek_named (password);
  g_assert_cmpstr (login_stack_page (page), ==, "users");
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.qa-queue"));
  screenshot (GTK_WIDGET (window), "login-users");

  row = find_named (users, "qa1");
  g_assert_nonnull (row);
  g_assert_nonnull (find_label_containing (row, "Quinn One"));
  /* Activating the row clicks its button, which GTK animates first. */
  gtk_widget_activate (row);
  wait_for (shows_password_page, page);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Quinn One"));
  g_assert_false (gtk_widget_is_sensitive (button));

  /* A wrong password: refused, core's message shown, the field emptied. */
  type_into (password, "not-the-password");
  click (button);
  g_assert_null (dossier_store_get_user (f->store));
  g_assert_cmpstr (auth_page (window), ==, "login");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), !=, "");
  g_test_message ("refused: %s", gtk_label_get_label (GTK_LABEL (error_label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  screenshot (GTK_WIDGET (window), "login-refused");

  /* The right one: the content, with the user's menu. */
  type_into (password, "qa1-password");
  click (button);
  g_assert_nonnull (dossier_store_get_user (f->store));
  g_assert_cmpstr (dossier_store_get_user (f->store)->login, ==, "qa1");
  g_assert_cmpstr (auth_page (window), ==, "main");
  g_assert_true (gtk_widget_get_visible (child (window, DOSSIER_TYPE_WINDOW, "user_button")));
  g_assert_cmpstr (gtk_label_get_label (child (window, DOSSIER_TYPE_WINDOW, "user_name_label")), ==, "Quinn One");
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.qa-queue"));
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.lock"));
  /* Not an administrator. */
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.users"));

  /* Signing out shows the accounts again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  run_pending ();
  g_assert_null (dossier_store_get_user (f->store));
  g_assert_cmpstr (auth_page (window), ==, "login");
  g_assert_cmpstr (login_stack_page (page), ==, "users");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Failed attempts are slowed down: the button waits, it does not sleep. */
static void
test_login_retry_delay (Fixture       *f,
                        gconstpointer  data)
{
  DossierWindow *window = show_window (f, 1000, 720);
  DossierLoginPage *page = child (window, DOSSIER_TYPE_WINDOW, "login_page");
  GtkWidget *password = child (page, DOSSIER_TYPE_LOGIN_PAGE, "password_row");
  GtkWidget *button = child (page, DOSSIER_TYPE_LOGIN_PAGE, "sign_in_button");
  DossierAuthPolicy policy;
  gint64 start;

  dossier_auth_get_policy (f->store, &policy);
  g_assert_true (dossier_login_page_choose_user (page, "qa2"));

  for (guint i = 0; i < policy.free_attempts; i++)
    {
      type_into (password, "wrong");
      click (button);
    }

  g_assert_cmpuint (dossier_auth_get_retry_delay (f->store, "qa2"), >, 0);
  type_into (password, "qa2-password");
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_true (g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (button)), "Wait "));
  g_test_message ("button: %s", gtk_button_get_label (GTK_BUTTON (button)));
  screenshot (GTK_WIDGET (window), "login-delay");

  /* The main loop runs while the countdown does; the button comes back. */
  start = g_get_monotonic_time ();
  while (!gtk_widget_is_sensitive (button))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, (policy.delay_seconds + 3) * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  click (button);
  g_assert_cmpstr (auth_page (window), ==, "main");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A database without accounts asks for the administrator first. */
static void
test_login_setup (Fixture       *f,
                  gconstpointer  data)
{
  DossierWindow *window = show_window (f, 1000, 760);
  DossierLoginPage *page = child (window, DOSSIER_TYPE_WINDOW, "login_page");
  GtkWidget *button = child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_button");
  GtkWidget *error_label = child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_error_label");

  g_assert_false (dossier_auth_has_accounts (f->store));
  g_assert_cmpstr (auth_page (window), ==, "login");
  g_assert_cmpstr (login_stack_page (page), ==, "setup");
  g_assert_false (gtk_widget_is_sensitive (button));
  screenshot (GTK_WIDGET (window), "login-setup");

  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_name_row"), "Ada Admin");
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_login_row"), "admin");
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_password_row"), "admin-password");
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_repeat_row"), "admin-passw0rd");

  /* Two different passwords. */
  click (button);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_false (dossier_auth_has_accounts (f->store));

  /* Too short for the policy: core's message. */
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_password_row"), "short");
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_repeat_row"), "short");
  click (button);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_test_message ("refused: %s", gtk_label_get_label (GTK_LABEL (error_label)));
  g_assert_false (dossier_auth_has_accounts (f->store));

  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_password_row"), "admin-password");
  type_into (child (page, DOSSIER_TYPE_LOGIN_PAGE, "setup_repeat_row"), "admin-password");
  click (button);
  g_assert_true (dossier_auth_has_accounts (f->store));
  g_assert_cmpstr (dossier_store_get_user (f->store)->login, ==, "admin");
  g_assert_cmpstr (auth_page (window), ==, "main");
  g_assert_true (action_enabled (GTK_WIDGET (window), "win.users"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The lock screen: the same user's password, or someone else after signing out. */
static void
test_lock (Fixture       *f,
           gconstpointer  data)
{
  DossierWindow *window;
  DossierLoginPage *page;
  GtkWidget *password;
  GtkWidget *button;
  GtkWidget *dialog;

  sign_in (f, "qa1");
  window = show_window (f, 1000, 720);
  page = child (window, DOSSIER_TYPE_WINDOW, "login_page");
  password = child (page, DOSSIER_TYPE_LOGIN_PAGE, "password_row");
  button = child (page, DOSSIER_TYPE_LOGIN_PAGE, "sign_in_button");

  /* Signed in already: the content. */
  g_assert_cmpstr (auth_page (window), ==, "main");

  /* A window over the content goes with the lock. */
  dialog = GTK_WIDGET (dossier_qa_queue_window_new (GTK_WINDOW (window), f->store));
  gtk_window_present (GTK_WINDOW (dialog));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  run_pending ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  run_pending ();
  g_assert_true (dossier_auth_is_locked (f->store));
  g_assert_cmpstr (auth_page (window), ==, "login");
  g_assert_cmpstr (login_stack_page (page), ==, "password");
  g_assert_true (dossier_login_page_get_unlocking (page));
  g_assert_true (gtk_widget_get_visible (child (page, DOSSIER_TYPE_LOGIN_PAGE, "switch_button")));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Quinn One"));
  g_assert_null (dialog);
  /* Nothing reaches the content behind it. */
  g_assert_false (action_enabled (GTK_WIDGET (window), "win.qa-queue"));
  screenshot (GTK_WIDGET (window), "lock-screen");
  if (g_getenv ("DOSSIER_SCREENSHOT_DIR") != NULL)
    {
      /* Narrow, as on a small screen. */
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
      run_pending ();
      screenshot (GTK_WIDGET (window), "lock-screen-narrow");
      gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
    }

  type_into (password, "wrong");
  click (button);
  g_assert_true (dossier_auth_is_locked (f->store));
  g_assert_true (gtk_widget_get_visible (child (page, DOSSIER_TYPE_LOGIN_PAGE, "error_label")));

  type_into (password, "qa1-password");
  click (button);
  g_assert_false (dossier_auth_is_locked (f->store));
  g_assert_cmpstr (auth_page (window), ==, "main");

  /* Locked again; this time someone else signs in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  run_pending ();
  click (child (page, DOSSIER_TYPE_LOGIN_PAGE, "switch_button"));
  g_assert_null (dossier_store_get_user (f->store));
  g_assert_cmpstr (login_stack_page (page), ==, "users");
  g_assert_true (dossier_login_page_choose_user (page, "qa2"));
  type_into (password, "qa2-password");
  click (button);
  g_assert_cmpstr (dossier_store_get_user (f->store)->login, ==, "qa2");
  g_assert_cmpstr (auth_page (window), ==, "main");
  g_assert_cmpstr (gtk_label_get_label (child (window, DOSSIER_TYPE_WINDOW, "user_name_label")), ==, "Quincy Two");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Signing -------------------------------------------------------------------------------- */

static gboolean
dialog_gone (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static GtkWindow *
show_signoff_page (Fixture             *f,
                   DossierSignoffPage **page_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = dossier_signoff_page_new ();

  gtk_window_set_title (GTK_WINDOW (window), "Sign-offs");
  gtk_window_set_default_size (GTK_WINDOW (window), 860, 900);
  gtk_window_set_child (GTK_WINDOW (window), page);
  dossier_signoff_page_set_store (DOSSIER_SIGNOFF_PAGE (page), f->store);
  dossier_signoff_page_set_dossier_id (DOSSIER_SIGNOFF_PAGE (page), f->dossier);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  *page_out = DOSSIER_SIGNOFF_PAGE (page);
  return GTK_WINDOW (window);
}

/* The author of the design may not approve it: the reason shows before any
 * password is typed. */
static void
test_sign_refuses_author (Fixture       *f,
                          gconstpointer  data)
{
  DossierSignoffPage *page;
  GtkWindow *window;
  DossierSignDialog *dialog;
  GtkWidget *refusal;

  sign_in (f, "engqa");
  window = show_signoff_page (f, &page);

  dialog = dossier_signoff_page_sign (page, DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  run_pending ();
  g_assert_false (dossier_sign_dialog_get_allowed (dialog));
  refusal = child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "refusal_label");
  g_assert_true (gtk_widget_is_drawable (refusal));
  g_test_message ("refused: %s", gtk_label_get_label (GTK_LABEL (refusal)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (refusal)), "author"));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "password_group")));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "sign_button")));
  screenshot (GTK_WIDGET (dialog), "sign-dialog-refused");

  /* What would be signed is still shown in full. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), f->unit_no));
  g_assert_cmpint (dossier_store_count (f->store, "signature"), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
}

static void
on_signed (DossierSignoffPage *page,
           gint64              id,
           gint64             *out)
{
  *out = id;
}

static void
test_sign_qa_reviewer (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) stamp = g_regex_new ("on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d\\d:\\d\\d", 0, 0, NULL);
  g_autofree char *hash = NULL;
  g_autofree char *status = NULL;
  DossierSignoffPage *page;
  GtkWindow *window;
  DossierSignDialog *dialog;
  GtkWidget *password;
  GtkWidget *button;
  GtkWidget *approval_row;
  GtkLabel *text;
  gint64 signed_id = 0;

  sign_in (f, "qa1");
  window = show_signoff_page (f, &page);
  screenshot (GTK_WIDGET (window), "signoff-page-before");

  /* The approval is next: its button is the suggested one. */
  approval_row = find_named (GTK_WIDGET (page), "design-approval");
  g_assert_nonnull (approval_row);
  g_assert_true (gtk_widget_has_css_class (find_named (approval_row, "sign"), "suggested-action"));

  dialog = dossier_signoff_page_sign (page, DOSSIER_SIGN_POINT_DESIGN_APPROVAL);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  run_pending ();
  g_assert_true (dossier_sign_dialog_get_allowed (dialog));
  g_assert_false (gtk_widget_get_visible (child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "refusal_box")));

  /* Exactly what is signed: point, meaning, unit, content and its hash, signer. */
  hash = dossier_canonical_hash (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dossier_sign_dialog_get_content_hash (dialog), ==, hash);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "content-hash"))), ==, hash);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "unit-no"))), ==, f->unit_no);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "meaning"))), ==, "Approved");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "point"))), ==, "Design approval");
  g_assert_nonnull (find_label_containing (find_named (GTK_WIDGET (dialog), "signer"), "Quinn One"));
  g_assert_nonnull (find_label_containing (find_named (GTK_WIDGET (dialog), "signer"), "qa1 · QA reviewer"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "summary"))), ==,
                   "The order, 1 design input, 1 design version, 1 parameter value");

  password = child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "password_row");
  assert_peek_named (password);
  button = child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "sign_button");
  g_assert_false (gtk_widget_is_sensitive (button));

  /* A wrong password signs nothing. */
  type_into (password, "wrong");
  click (button);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "error_label")));
  g_assert_cmpint (dossier_store_count (f->store, "signature"), ==, 1);

  type_into (password, "qa1-password");
  type_into (child (dialog, DOSSIER_TYPE_SIGN_DIALOG, "comment_row"), "Checked against the CT");
  screenshot (GTK_WIDGET (dialog), "sign-dialog");
  g_signal_connect (page, "signed", G_CALLBACK (on_signed), &signed_id);
  click (button);
  wait_for (dialog_gone, &dialog);

  g_assert_cmpint (dossier_store_count (f->store, "signature"), ==, 2);
  g_assert_cmpint (signed_id, ==, dt_query_int (f->store, "SELECT max (id) FROM signature"));
  status = dt_row_value (f->store, "dossier", f->dossier, "status");
  g_assert_cmpstr (status, ==, "design-approved");

  /* The page shows it in full: name, login, role, meaning, time with UTC offset. */
  text = find_label_containing (GTK_WIDGET (page), "Approved by Quinn One (qa1), QA reviewer, on ");
  g_assert_nonnull (text);
  g_assert_true (g_regex_match (stamp, gtk_label_get_label (text), 0, NULL));
  g_assert_nonnull (strstr (gtk_label_get_label (text), "Design approval"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Valid: the signed content is unchanged."));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Comment: Checked against the CT"));
  /* Signed and valid: no more button on that point. */
  approval_row = find_named (GTK_WIDGET (page), "design-approval");
  g_assert_null (find_named (approval_row, "sign"));
  screenshot (GTK_WIDGET (window), "signoff-page");
  if (g_getenv ("DOSSIER_SCREENSHOT_DIR") != NULL)
    {
      gtk_window_set_default_size (window, 360, 900);
      run_pending ();
      screenshot (GTK_WIDGET (window), "signoff-page-narrow");
    }

  gtk_window_destroy (window);
}

/* Editing signed content --------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *reason;
  GError   *error;
} ReasonResult;

static void
on_reason (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ReasonResult *r = user_data;

  r->reason = dossier_gui_ask_reason_finish (result, &r->error);
  r->done = TRUE;
}

static gboolean
reason_done (gpointer data)
{
  return ((ReasonResult *)data)->done;
}

static void
approve (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  sign_in (f, "qa1");
  g_assert_cmpint (dossier_signature_sign (f->store, f->dossier, DOSSIER_SIGN_POINT_DESIGN_APPROVAL,
                                           "qa1-password", NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_reason_then_invalid (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  ReasonResult r = { 0 };
  DossierSignoffPage *page;
  GtkWindow *window;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  GtkLabel *state;

  approve (f);
  sign_in (f, "eng1");
  window = show_signoff_page (f, &page);

  /* The store refuses a change to signed content without a reason… */
  g_assert_false (dossier_store_update (f->store, "design_iteration", f->iteration,
                                        (DossierField[]) { { "notes", "Rim thickened to 2.6 mm" }, { NULL } },
                                        NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED);

  /* …so the reason is asked for, with the store's message. */
  dossier_gui_ask_reason (window, error->message, NULL, on_reason, &r);
  run_pending ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, error->message);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "continue"));
  entry = find_named (GTK_WIDGET (dialog), "reason");
  g_assert_nonnull (entry);
  type_into (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "continue"));
  type_into (entry, "Surgeon asked for a thicker rim");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "continue"));
  screenshot (GTK_WIDGET (dialog), "reason-dialog");
  g_signal_emit_by_name (entry, "activate");
  wait_for (reason_done, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.reason, ==, "Surgeon asked for a thicker rim");

  g_clear_error (&error);
  g_assert_true (dossier_store_update (f->store, "design_iteration", f->iteration,
                                       (DossierField[]) { { "notes", "Rim thickened to 2.6 mm" }, { NULL } },
                                       r.reason, &error));
  g_assert_no_error (error);
  status = dt_row_value (f->store, "dossier", f->dossier, "status");
  g_assert_cmpstr (status, ==, "design-review");

  /* The approval stays, no longer valid, with who changed what, in the error colour. */
  dossier_signoff_page_refresh (page);
  run_pending ();
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Approved by Quinn One (qa1)"));
  state = find_label_containing (child (page, DOSSIER_TYPE_SIGNOFF_PAGE, "signatures_list"), "No longer valid");
  g_assert_nonnull (state);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (state), "error"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "eng1"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (page), "Surgeon asked for a thicker rim"));
  g_assert_true (gtk_widget_has_css_class (find_named (GTK_WIDGET (page), "design-approval"), "signature-invalid"));
  screenshot (GTK_WIDGET (window), "signoff-page-invalid");

  g_free (r.reason);
  gtk_window_destroy (window);
}

/* The list marks a dossier whose signature no longer matches its content. */
static DossierDossierRow *
find_dossier_row (GtkWidget *widget,
                  gint64     id)
{
  if (DOSSIER_IS_DOSSIER_ROW (widget))
    {
      DossierDossier *dossier = dossier_dossier_row_get_dossier (DOSSIER_DOSSIER_ROW (widget));

      return dossier != NULL && dossier_dossier_get_id (dossier) == id ? DOSSIER_DOSSIER_ROW (widget) : NULL;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      DossierDossierRow *found = find_dossier_row (c, id);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_list_changed_marker (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *accessible = NULL;
  DossierWindow *window;
  DossierDossierRow *row;
  GtkWidget *icon;
  const char *tooltip;

  approve (f);
  sign_in (f, "eng1");
  window = show_window (f, 1000, 720);
  g_assert_cmpstr (auth_page (window), ==, "main");

  /* Signed and unchanged: no marker. */
  row = find_dossier_row (GTK_WIDGET (window), f->dossier);
  g_assert_nonnull (row);
  g_assert_true (dossier_dossier_get_signed (dossier_dossier_row_get_dossier (row)));
  g_assert_false (gtk_widget_get_visible (child (row, DOSSIER_TYPE_DOSSIER_ROW, "changed_icon")));

  /* Signed content changed with a reason; the list reads its rows again, as it does
   * after every change the editor makes. */
  g_assert_true (dossier_store_update (f->store, "design_iteration", f->iteration,
                                       (DossierField[]) { { "notes", "Rim thickened to 2.6 mm" }, { NULL } },
                                       "Surgeon asked for a thicker rim", &error));
  g_assert_no_error (error);
  dossier_dossier_list_reload (dossier_window_get_list (window));
  run_pending ();

  row = find_dossier_row (GTK_WIDGET (window), f->dossier);
  g_assert_nonnull (row);
  icon = child (row, DOSSIER_TYPE_DOSSIER_ROW, "changed_icon");
  g_assert_true (gtk_widget_get_visible (icon));
  g_assert_true (gtk_widget_is_drawable (icon));
  tooltip = gtk_widget_get_tooltip_text (icon);
  g_assert_nonnull (strstr (tooltip, "Changed after signature"));
  /* Distinct from the rule-check marker. */
  g_assert_false (gtk_widget_get_visible (child (row, DOSSIER_TYPE_DOSSIER_ROW, "problem_icon")));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), !=,
                   gtk_image_get_icon_name (child (row, DOSSIER_TYPE_DOSSIER_ROW, "problem_icon")));
  accessible = dossier_format_row_accessible_label (dossier_dossier_row_get_dossier (row));
  g_assert_nonnull (strstr (accessible, "Changed after signature"));
  screenshot (GTK_WIDGET (window), "list-changed-after-signature");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reason_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ReasonResult r = { 0 };
  AdwMessageDialog *dialog;
  GtkWidget *parent = gtk_window_new ();

  gtk_window_present (GTK_WINDOW (parent));

  /* Cancelled by the person. */
  dossier_gui_ask_reason (GTK_WINDOW (parent), "Needs a reason", NULL, on_reason, &r);
  run_pending ();
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  wait_for (reason_done, &r);
  g_assert_null (r.reason);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  run_pending ();

  /* Cancelled by the program: the dialog goes. */
  r = (ReasonResult) { 0 };
  dossier_gui_ask_reason (GTK_WINDOW (parent), "Needs a reason", cancellable, on_reason, &r);
  run_pending ();
  g_assert_nonnull (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_cancellable_cancel (cancellable);
  wait_for (reason_done, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  run_pending ();
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  gtk_window_destroy (GTK_WINDOW (parent));
}

/* The QA queue and the users ----------------------------------------------------------- */

static gboolean
queue_loaded (gpointer data)
{
  return !dossier_qa_queue_window_get_loading (data);
}

static void
test_qa_queue (Fixture       *f,
               gconstpointer  data)
{
  DossierQaQueueWindow *queue;

  sign_in (f, "qa1");
  queue = dossier_qa_queue_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (queue));
  wait_for (queue_loaded, queue);
  run_pending ();

  /* The dossier waits for its design approval. */
  g_assert_cmpuint (dossier_qa_queue_window_get_n_items (queue), ==, 1);
  g_assert_nonnull (find_named (GTK_WIDGET (queue), f->unit_no));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (queue), "Design approval"));
  screenshot (GTK_WIDGET (queue), "qa-queue");

  gtk_window_destroy (GTK_WINDOW (queue));
}

static void
test_users_window (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DossierUser) user = NULL;
  DossierUsersWindow *window;
  GtkWidget *roles;

  sign_in (f, "admin");
  window = dossier_users_window_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  g_assert_nonnull (find_named (GTK_WIDGET (window), "qa1"));
  screenshot (GTK_WIDGET (window), "users");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "users.add", NULL));
  run_pending ();
  g_assert_false (action_enabled (GTK_WIDGET (window), "users.create"));
  type_into (child (window, DOSSIER_TYPE_USERS_WINDOW, "name_row"), "Rita Regulatory");
  type_into (child (window, DOSSIER_TYPE_USERS_WINDOW, "login_row"), "rita");
  type_into (child (window, DOSSIER_TYPE_USERS_WINDOW, "password_row"), "rita-password");
  type_into (child (window, DOSSIER_TYPE_USERS_WINDOW, "repeat_row"), "rita-password");
  g_assert_false (action_enabled (GTK_WIDGET (window), "users.create"));
  roles = child (window, DOSSIER_TYPE_USERS_WINDOW, "roles_list");
  gtk_widget_activate (find_named (roles, "regulatory"));
  g_assert_true (action_enabled (GTK_WIDGET (window), "users.create"));
  screenshot (GTK_WIDGET (window), "users-add");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "users.create", NULL));
  run_pending ();

  user = dossier_auth_lookup_user (f->store, "rita", NULL);
  g_assert_nonnull (user);
  g_assert_cmpint (user->roles, ==, DOSSIER_ROLE_REGULATORY);
  g_assert_nonnull (find_named (GTK_WIDGET (window), "rita"));

  /* Deactivating asks first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "users.deactivate", "x", user->id));
  run_pending ();
  adw_message_dialog_response (find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "deactivate");
  run_pending ();
  g_clear_pointer (&user, dossier_user_free);
  user = dossier_auth_lookup_user (f->store, "rita", NULL);
  g_assert_false (user->active);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Pure ------------------------------------------------------------------------------------ */

static void
test_summary (void)
{
  /* A value that holds "\nrow …" is a value, not a record. */
  static const char text[] =
    "dossier-signature-v1\n"
    "point release\n"
    "dossier 7\n"
    "row dossier 7\n"
    "condition T22:bad\nrow design_input 9\nx\n"
    "model_id N\n"
    "row processing_step 3\n"
    "position T1:1\n"
    "row step_material 4\n"
    "lot_id T1:2\n"
    "row material_lot 2\n"
    "lot_no T4:L-07\n"
    "row inspection 5\n"
    "row inspection 6\n"
    "row attachment 8\n"
    "end\n";
  g_autofree char *summary = dossier_sign_dialog_summarize_content (text, strlen (text));
  g_autofree char *empty = dossier_sign_dialog_summarize_content ("dossier-signature-v1\npoint release\ndossier 7\nend\n", 53);

  g_assert_cmpstr (summary, ==, "The order, 1 processing step, 1 material used, 2 inspections, 1 file");
  g_assert_cmpstr (empty, ==, "Nothing is recorded yet");
}

static void
test_no_display (void)
{
  g_test_skip ("No display; run under Xvfb (make test does)");
}

int
main (int   argc,
      char *argv[])
{
  /* These tests sign in; the window's other tests skip that. */
  g_unsetenv ("DOSSIER_NO_LOGIN");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/signoff-gui/no-display", test_no_display);
      g_test_add_func ("/signoff-gui/summary", test_summary);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The application loads its style sheet itself; these windows have none. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add_func ("/signoff-gui/summary", test_summary);
  g_test_add ("/signoff-gui/login/password", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_login_password, fixture_tear_down);
  g_test_add ("/signoff-gui/login/retry-delay", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_login_retry_delay, fixture_tear_down);
  g_test_add ("/signoff-gui/login/setup", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_login_setup, fixture_tear_down);
  g_test_add ("/signoff-gui/lock", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_lock, fixture_tear_down);
  g_test_add ("/signoff-gui/sign/refuses-author", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sign_refuses_author, fixture_tear_down);
  g_test_add ("/signoff-gui/sign/qa-reviewer", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_sign_qa_reviewer, fixture_tear_down);
  g_test_add ("/signoff-gui/reason/invalidates", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_reason_then_invalid, fixture_tear_down);
  g_test_add ("/signoff-gui/list/changed-marker", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_list_changed_marker, fixture_tear_down);
  g_test_add ("/signoff-gui/reason/cancelled", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_reason_cancelled, fixture_tear_down);
  g_test_add ("/signoff-gui/qa-queue", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_qa_queue, fixture_tear_down);
  g_test_add ("/signoff-gui/users", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_users_window, fixture_tear_down);

  return g_test_run ();
}
