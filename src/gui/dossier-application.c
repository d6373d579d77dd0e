/* dossier-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "dossier-application.h"
#include "dossier-auth.h"
#include "dossier-demo.h"
#include "dossier-store.h"
#include "dossier-window.h"

struct _DossierApplication
{
  AdwApplication  parent_instance;

  gint64          start_time;
  char           *db_path;     /* from --db or DOSSIER_DB; NULL: the default */
  DossierStore   *store;
  char           *seed_message; /* to show once the window is up */

  /* Idle lock */
  guint           idle_lock_id;
  gint64          last_activity; /* monotonic, of the last input noted */
};

G_DEFINE_FINAL_TYPE (DossierApplication, dossier_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the database at PATH instead of the default one"), N_("PATH") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

/* Opening the store ----------------------------------------------------------- */

/* The settings, or NULL when the schema is not installed (running uninstalled
 * without GSETTINGS_SCHEMA_DIR), where g_settings_new() would abort. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/* The database the user asked for: --db, then DOSSIER_DB (both explicit), then
 * the one last opened without either if it still exists, then the default in the
 * user's data folder.  Only the default one is ever seeded with examples. */
static char *
resolve_db_path (DossierApplication *self,
                 gboolean           *is_default,
                 gboolean           *is_explicit)
{
  const char *env = g_getenv ("DOSSIER_DB");
  g_autoptr(GSettings) settings = NULL;
  char *path = NULL;

  *is_default = FALSE;
  *is_explicit = TRUE;
  if (self->db_path != NULL)
    return g_strdup (self->db_path);
  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);

  *is_explicit = FALSE;
  settings = settings_new_if_installed ();
  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-database");

      if (*last != '\0' && g_path_is_absolute (last) && g_file_test (last, G_FILE_TEST_IS_REGULAR))
        path = g_steal_pointer (&last);
    }
  if (path == NULL)
    path = dossier_store_default_path ();

  {
    g_autofree char *default_path = dossier_store_default_path ();

    *is_default = g_str_equal (path, default_path);
  }

  return path;
}

/* A database named with --db or DOSSIER_DB is a one-off (a test, a copy to look
 * at) and does not replace the one the user works in. */
static void
remember_database (const char *path)
{
  g_autoptr(GSettings) settings = settings_new_if_installed ();

  if (settings != NULL)
    g_settings_set_string (settings, "last-database", path);
}

static gboolean
seed_if_new (DossierApplication  *self,
             DossierStore        *store)
{
  g_autoptr(GError) error = NULL;

  if (dossier_store_count (store, "dossier") != 0 || dossier_store_count (store, "institution") != 0)
    return TRUE;

  /* A first start shows a realistic record to explore rather than an empty
   * window; a database someone named on purpose is never touched. */
  if (!dossier_demo_seed (store, 0, NULL, &error))
    {
      g_warning ("Could not add the example dossiers: %s", error->message);
      self->seed_message = g_strdup_printf (_("Could not add the example dossiers: %s"), error->message);
      return FALSE;
    }
  self->seed_message = g_strdup (_("Example dossiers were added to explore Dossier"));

  return TRUE;
}

static DossierStore *
open_store (DossierApplication  *self,
            GError             **error)
{
  g_autoptr(DossierStore) store = NULL;
  g_autofree char *path = NULL;
  gboolean is_default;
  gboolean is_explicit;

  path = resolve_db_path (self, &is_default, &is_explicit);

  if (is_default)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not create the folder “%s” for the database: %s"),
                       dir, g_strerror (saved));
          return NULL;
        }
    }

  store = dossier_store_open (path, error);
  if (store == NULL)
    return NULL;

  if (!is_explicit)
    remember_database (path);
  if (is_default)
    seed_if_new (self, store);

  return g_steal_pointer (&store);
}

static void
show_open_error (DossierApplication *self,
                 const GError       *error)
{
  AdwMessageDialog *dialog;

  g_message ("Could not open the database: %s", error->message);

  /* The benchmark waits for a line on stdout; it must not wait for a dialog. */
  if (g_getenv ("DOSSIER_REPORT_FIRST_ROWS") != NULL)
    {
      g_printerr ("%s\n", error->message);
      g_application_quit (G_APPLICATION (self));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Could not open the database"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "quit", _("_Quit"));
  adw_message_dialog_set_default_response (dialog, "quit");
  adw_message_dialog_set_close_response (dialog, "quit");

  /* The dialog is the application's only window; closing it quits. */
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rows_shown (DossierWindow      *window,
               DossierApplication *self)
{
  gint64 ms = (g_get_monotonic_time () - self->start_time) / 1000;

  g_print ("first-rows-ms: %" G_GINT64_FORMAT "\n", ms);
  fflush (stdout);
  g_application_quit (G_APPLICATION (self));
}

/* Actions --------------------------------------------------------------------- */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Closing windows first lets each one finish what it does on close. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (app));
}

static char *
debug_info (DossierApplication *self)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "Dossier %s (%s)\n", PACKAGE_VERSION, APP_ID);
  g_string_append_printf (s, "GTK %u.%u.%u, libadwaita %u.%u.%u, GLib %u.%u.%u, SQLite %s\n",
                          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                          adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
                          glib_major_version, glib_minor_version, glib_micro_version,
                          sqlite3_libversion ());
  if (self->store != NULL)
    g_string_append_printf (s, "Database: %s (schema %d)\n",
                            dossier_store_get_path (self->store),
                            dossier_store_get_schema_version (self->store));

  return g_string_free (s, FALSE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  DossierApplication *self = DOSSIER_APPLICATION (user_data);
  g_autofree char *debug = debug_info (self);
  const char *developers[] = { _("The Dossier developers"), NULL };
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Dossier"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Dossier developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Design dossiers for patient-specific medical devices: "
                                      "orders, design iterations and the evidence that every unit "
                                      "stayed inside what the regulator allowed."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://dossier.github.io/",
                        "issue-url", "https://github.com/dossier/Dossier/issues",
                        "copyright", _("© 2026 The Dossier developers"),
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug,
                        NULL);
  gtk_window_present (about);
}

static void
search_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (DOSSIER_IS_WINDOW (window))
    dossier_window_focus_search (DOSSIER_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "search", search_action },
};

/* Idle lock ------------------------------------------------------------------- */

/* Input anywhere in the application's windows is activity; the store decides when
 * an idle session locks (auth.idle_lock_minutes), and a timer asks it.  Pointer
 * motion is noted at most once a second: the store needs no finer clock. */
static void
check_idle_lock (DossierApplication *self)
{
  GList *windows;

  if (self->store == NULL || dossier_store_get_user (self->store) == NULL ||
      !dossier_auth_is_locked (self->store))
    return;

  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    if (DOSSIER_IS_WINDOW (l->data))
      gtk_widget_activate_action (GTK_WIDGET (l->data), "win.lock", NULL);
}

static gboolean
idle_lock_tick (gpointer data)
{
  check_idle_lock (DOSSIER_APPLICATION (data));

  return G_SOURCE_CONTINUE;
}

static gboolean
on_window_event (GtkEventControllerLegacy *controller,
                 GdkEvent                 *event,
                 DossierApplication       *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  gint64 now;

  if (self->store == NULL)
    return GDK_EVENT_PROPAGATE;

  switch ((int)type)
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      now = g_get_monotonic_time ();
      if (type == GDK_MOTION_NOTIFY && now - self->last_activity < G_USEC_PER_SEC)
        break;
      self->last_activity = now;
      dossier_auth_note_activity (self->store);
      /* Activity after the lock was due does not undo it: lock now. */
      check_idle_lock (self);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
on_window_added (GtkApplication     *app,
                 GtkWindow          *window,
                 DossierApplication *self)
{
  GtkEventController *controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_window_event), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

/* GApplication ---------------------------------------------------------------- */

static gint
dossier_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  DossierApplication *self = DOSSIER_APPLICATION (app);
  const char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", _("Dossier"), PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &path) && path != NULL && *path != '\0')
    self->db_path = g_canonicalize_filename (path, NULL);

  /* A window on another database, or one being timed, is its own process
   * rather than a second window of an instance that is already running. */
  if (self->db_path != NULL ||
      (g_getenv ("DOSSIER_DB") != NULL && *g_getenv ("DOSSIER_DB") != '\0') ||
      g_getenv ("DOSSIER_REPORT_FIRST_ROWS") != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
dossier_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (dossier_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  /* Idle lock */
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), app);
  DOSSIER_APPLICATION (app)->idle_lock_id = g_timeout_add_seconds (10, idle_lock_tick, app);
}

static void
dossier_application_activate (GApplication *app)
{
  DossierApplication *self = DOSSIER_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    self->store = open_store (self, &error);
  if (self->store == NULL)
    {
      show_open_error (self, error);
      return;
    }

  window = GTK_WINDOW (dossier_window_new (GTK_APPLICATION (app), self->store));
  if (g_getenv ("DOSSIER_REPORT_FIRST_ROWS") != NULL)
    g_signal_connect_object (window, "rows-shown", G_CALLBACK (on_rows_shown), self, 0);

  if (self->seed_message != NULL)
    {
      dossier_window_show_toast (DOSSIER_WINDOW (window), self->seed_message);
      g_clear_pointer (&self->seed_message, g_free);
    }

  gtk_window_present (window);
}

static void
dossier_application_dispose (GObject *object)
{
  DossierApplication *self = (DossierApplication *)object;

  g_clear_handle_id (&self->idle_lock_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_application_parent_class)->dispose (object);
}

static void
dossier_application_finalize (GObject *object)
{
  DossierApplication *self = (DossierApplication *)object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->seed_message, g_free);

  G_OBJECT_CLASS (dossier_application_parent_class)->finalize (object);
}

static void
dossier_application_class_init (DossierApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dossier_application_dispose;
  object_class->finalize = dossier_application_finalize;

  app_class->handle_local_options = dossier_application_handle_local_options;
  app_class->startup = dossier_application_startup;
  app_class->activate = dossier_application_activate;
}

static void
dossier_application_init (DossierApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Design dossiers for patient-specific medical devices."));
}

DossierApplication *
dossier_application_new (gint64 start_time)
{
  DossierApplication *self;

  self = g_object_new (DOSSIER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The same resources serve the .Devel profile. */
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
  self->start_time = start_time;

  return self;
}
