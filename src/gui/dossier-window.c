/* dossier-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-dossier-row.h"
#include "dossier-dossier-view.h"
#include "dossier-format.h"
#include "dossier-schema.h"
#include "dossier-window.h"

/* New dossier and registers */
#include "dossier-new-dossier-dialog.h"
#include "dossier-registry-window.h"

/* Users, sign-in and sign-off */
#include "dossier-auth.h"
#include "dossier-login-page.h"
#include "dossier-qa-queue-window.h"
#include "dossier-signoff-page.h"
#include "dossier-users-window.h"

/* Filing packages */
#include "dossier-export-dialog.h"

/* The annual report */
#include "dossier-annual-report-dialog.h"
#include "dossier-reminder-banner.h"

struct _DossierWindow
{
  AdwApplicationWindow  parent_instance;

  DossierStore         *store;
  DossierDossierList   *list;

  char                 *sort_order;    /* "updated" or "unit-no" */
  char                 *kind_filter;   /* "" for any */
  char                 *status_filter; /* "" for any */
  char                 *institution_filter; /* institution id, "" for any */
  GSettings            *settings;      /* NULL when the schema is not installed */
  gboolean              rows_bound;
  gboolean              rows_shown;
  char                 *shown_error;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *sidebar_title;
  GtkMenuButton        *view_button;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  AdwStatusPage        *sidebar_empty_page;
  GtkListView          *list_view;
  GtkSingleSelection   *selection;
  GtkStack             *content_stack;
  DossierDossierView   *dossier_view;
  GMenu                *kind_section;
  GMenu                *status_menu;
  GMenu                *institution_menu;

  /* Users, sign-in and sign-off */
  GtkStack             *auth_stack;
  DossierLoginPage     *login_page;
  GtkMenuButton        *user_button;
  AdwAvatar            *user_avatar;
  GtkWidget            *user_info;
  AdwAvatar            *user_info_avatar;
  GtkLabel             *user_name_label;
  GtkLabel             *user_roles_label;

  /* The annual report */
  DossierReminderBanner *reminder_banner;
  char                 *reminder_dismissed_by; /* login ("" without accounts) */
  GDate                 today;                 /* for tests; invalid: the real today */
};

G_DEFINE_FINAL_TYPE (DossierWindow, dossier_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SORT_ORDER,
  PROP_KIND_FILTER,
  PROP_STATUS_FILTER,
  PROP_INSTITUTION_FILTER,
  N_PROPS
};

enum {
  ROWS_SHOWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
is_filtered (DossierWindow *self)
{
  return *self->kind_filter != '\0' || *self->status_filter != '\0' ||
         *self->institution_filter != '\0';
}

static gboolean
is_narrowed (DossierWindow *self)
{
  return dossier_dossier_list_get_search (self->list) != NULL || is_filtered (self);
}

static void update_export_actions (DossierWindow *self);
static void update_annual_report (DossierWindow *self);

/* Puts every part of the window in line with the list and the selection. */
static void
update_state (DossierWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  gboolean narrowed = is_narrowed (self);
  gboolean filtered = is_filtered (self);
  DossierDossier *selected = gtk_single_selection_get_selected_item (self->selection);
  DossierContentPage page = dossier_format_content_page (n_items, narrowed, selected != NULL);
  g_autofree char *count = dossier_format_list_count (n_items, narrowed);
  const GError *error = dossier_dossier_list_get_error (self->list);

  gtk_stack_set_visible_child_name (self->content_stack, dossier_format_content_page_name (page));
  dossier_dossier_view_set_dossier (self->dossier_view, selected);

  gtk_stack_set_visible_child_name (self->sidebar_stack, n_items > 0 ? "list" : "empty");
  adw_status_page_set_title (self->sidebar_empty_page,
                             narrowed ? _("No results") : _("No dossiers"));
  adw_window_title_set_subtitle (self->sidebar_title, count);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-filters", filtered);
  update_export_actions (self);

  /* The sort button doubles as the filter indicator. */
  if (filtered)
    gtk_widget_add_css_class (GTK_WIDGET (self->view_button), "filter-active");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->view_button), "filter-active");

  /* Say it once, not on every update that still finds it. */
  if (error != NULL && g_strcmp0 (error->message, self->shown_error) != 0)
    dossier_window_show_toast (self, error->message);
  g_free (self->shown_error);
  self->shown_error = error != NULL ? g_strdup (error->message) : NULL;
}

/* List rows ------------------------------------------------------------------- */

/* The list binds its first rows as soon as it has a model, which can be before
 * the window is mapped; rows are shown once both have happened.  With nothing
 * to list, the window is complete when mapped. */
static void
maybe_emit_rows_shown (DossierWindow *self)
{
  if (self->rows_shown || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  if (self->rows_bound || g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    {
      self->rows_shown = TRUE;
      g_signal_emit (self, signals[ROWS_SHOWN], 0);
    }
}

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              DossierWindow            *self)
{
  gtk_list_item_set_child (item, dossier_dossier_row_new ());
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             DossierWindow            *self)
{
  DossierDossierRow *row = DOSSIER_DOSSIER_ROW (gtk_list_item_get_child (item));

  dossier_dossier_row_set_dossier (row, gtk_list_item_get_item (item));

  self->rows_bound = TRUE;
  maybe_emit_rows_shown (self);
}

static void
on_row_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               DossierWindow            *self)
{
  dossier_dossier_row_set_dossier (DOSSIER_DOSSIER_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
show_content (DossierWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* Selecting only shows the dossier beside the list; going to it when the window
 * is folded is activation (a click then, see the .ui; Enter always), so that
 * moving through the list with the arrow keys stays in the list. */
static void
on_selected_item_changed (DossierWindow *self)
{
  update_state (self);
}

/* The editor wrote to the dossier it shows: the list reads its rows again (the
 * status badge, the place in the order) and the same dossier stays selected, so
 * that the editor keeps its pages.  It is looked for where it was and at the
 * top, where the most recently updated dossier goes. */
static void
on_dossier_changed (DossierWindow *self,
                    gint64         dossier_id)
{
  guint candidates[2] = { gtk_single_selection_get_selected (self->selection), 0 };
  guint found = GTK_INVALID_LIST_POSITION;
  guint n;

  g_signal_handlers_block_by_func (self->selection, on_selected_item_changed, self);
  dossier_dossier_list_reload (self->list);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  for (guint i = 0; i < G_N_ELEMENTS (candidates) && found == GTK_INVALID_LIST_POSITION; i++)
    {
      g_autoptr(DossierDossier) dossier = NULL;

      if (candidates[i] >= n)
        continue;
      dossier = g_list_model_get_item (G_LIST_MODEL (self->list), candidates[i]);
      if (dossier != NULL && dossier_dossier_get_id (dossier) == dossier_id)
        found = candidates[i];
    }
  if (found != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, found);
  g_signal_handlers_unblock_by_func (self->selection, on_selected_item_changed, self);

  update_state (self);
}

static void
on_list_activate (GtkListView   *list_view,
                  guint          position,
                  DossierWindow *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  show_content (self);
}

static void
on_folded_changed (DossierWindow *self)
{
  /* Folding shows the list first, unless a dossier is open. */
  if (adw_leaflet_get_folded (self->leaflet) &&
      gtk_single_selection_get_selected_item (self->selection) == NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Search ---------------------------------------------------------------------- */

static void
on_search_changed (GtkSearchEntry *entry,
                   DossierWindow  *self)
{
  dossier_dossier_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (entry)));
  update_state (self);
}

static void
on_stop_search (GtkSearchEntry *entry,
                DossierWindow  *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_search_activate (GtkSearchEntry *entry,
                    DossierWindow  *self)
{
  /* Enter opens the best (first) match of what is typed now: the search entry
   * waits a moment before it reports a change, and Enter may come first. */
  on_search_changed (entry, self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    {
      gtk_single_selection_set_selected (self->selection, 0);
      show_content (self);
    }
}

/* Sort and filters ------------------------------------------------------------ */

/* An institution id from the filter action's target; 0 (any) for anything else. */
static gint64
parse_id (const char *text)
{
  gint64 id = 0;

  if (*text != '\0' && !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, NULL))
    id = 0;

  return id;
}

static void
set_string (DossierWindow  *self,
            char          **field,
            const char     *value,
            GParamSpec     *pspec)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);

  if (self->list != NULL)
    {
      if (field == &self->sort_order)
        dossier_dossier_list_set_sort (self->list,
                                       g_str_equal (value, "unit-no") ? DOSSIER_SORT_UNIT_NO
                                                                      : DOSSIER_SORT_UPDATED_DESC);
      else if (field == &self->kind_filter)
        dossier_dossier_list_set_kind (self->list, *value != '\0' ? value : NULL);
      else if (field == &self->status_filter)
        dossier_dossier_list_set_status (self->list, *value != '\0' ? value : NULL);
      else if (field == &self->institution_filter)
        dossier_dossier_list_set_institution (self->list, parse_id (value));
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
fill_choice_menu (GMenu      *menu,
                  const char *column,
                  const char *action,
                  const char *any_label)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *c = dossier_schema_lookup_column (table, column);
  g_autoptr(GMenuItem) any = g_menu_item_new (any_label, NULL);

  g_menu_item_set_action_and_target (any, action, "s", "");
  g_menu_append_item (menu, any);

  for (const DossierChoice *choice = c->choices; choice->value != NULL; choice++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (dossier_schema_choice_label (c, choice->value), NULL);

      g_menu_item_set_action_and_target (item, action, "s", choice->value);
      g_menu_append_item (menu, item);
    }
}

/* The institutions that have dossiers; read again each time the menu opens, as
 * dossiers come and go. */
static void
fill_institution_menu (DossierWindow *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GMenuItem) any = NULL;
  g_autoptr(GError) error = NULL;

  if (self->list == NULL)
    return;

  rows = dossier_dossier_list_get_institutions (self->list, &error);
  if (rows == NULL)
    {
      g_warning ("Could not list the institutions for the filter: %s", error->message);
      return;
    }

  g_menu_remove_all (self->institution_menu);

  any = g_menu_item_new (_("Any Institution"), NULL);
  g_menu_item_set_action_and_target (any, "win.institution-filter", "s", "");
  g_menu_append_item (self->institution_menu, any);

  for (guint i = 0; i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *label = NULL;

      /* Names are data, not mnemonics. */
      label = dossier_format_escape_mnemonic (g_hash_table_lookup (row, "name_zh"));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.institution-filter", "s",
                                         g_hash_table_lookup (row, "id"));
      g_menu_append_item (self->institution_menu, item);
    }
}

static void
on_view_menu_shown (DossierWindow *self)
{
  fill_institution_menu (self);
}

/* Window state ---------------------------------------------------------------- */

/* The settings, or NULL when the schema is not installed (tests, or running
 * uninstalled without GSETTINGS_SCHEMA_DIR): the window then keeps its default
 * size rather than aborting, which g_settings_new() would do. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("No settings schema %s; the window size is not remembered", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
restore_window_state (DossierWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (DossierWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  /* The default size follows the user's resizing, but not maximizing, so it is
   * the size to come back to when unmaximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      /* Within the schema's range, which a value outside would be refused from. */
      g_settings_set_int (self->settings, "window-width", CLAMP (width, 360, 32768));
      g_settings_set_int (self->settings, "window-height", CLAMP (height, 294, 32768));
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
dossier_window_close_request (GtkWindow *window)
{
  save_window_state (DOSSIER_WINDOW (window));

  return GTK_WINDOW_CLASS (dossier_window_parent_class)->close_request (window);
}

/* Actions --------------------------------------------------------------------- */

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  g_object_set (self,
                "kind-filter", "",
                "status-filter", "",
                "institution-filter", "",
                NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* New dossier and registers ---------------------------------------------------- */

static gboolean
select_if_dossier (DossierWindow *self,
                   guint          position,
                   gint64         id)
{
  g_autoptr(DossierDossier) dossier = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (dossier == NULL || dossier_dossier_get_id (dossier) != id)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

/* Looks for the dossier among the first and the last rows, where a new one is
 * in either sort order, without reading the whole list. */
static gboolean
select_dossier_row (DossierWindow *self,
                    gint64         id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  guint head = MIN (n, 200);
  guint tail = MAX (head, n > 200 ? n - 200 : 0);

  for (guint i = 0; i < head; i++)
    if (select_if_dossier (self, i, id))
      return TRUE;
  for (guint i = tail; i < n; i++)
    if (select_if_dossier (self, i, id))
      return TRUE;

  return FALSE;
}

static void
on_dossier_created (DossierNewDossierDialog *dialog,
                    gint64                   id,
                    const char              *unit_no,
                    DossierWindow           *self)
{
  g_autofree char *message = g_strdup_printf (_("Dossier %s created"), unit_no);

  dossier_window_select_dossier (self, id);
  dossier_window_show_toast (self, message);
}

static void
new_dossier_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  GtkWidget *dialog = dossier_new_dossier_dialog_new (GTK_WINDOW (self), self->store);

  g_signal_connect_object (dialog, "created", G_CALLBACK (on_dossier_created), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_registers_destroyed (DossierWindow *self)
{
  /* Names of institutions, clinicians or products may have changed. */
  dossier_dossier_list_reload (self->list);
  update_state (self);
}

static void
registers_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *registers = NULL;

  /* One Registers window per main window. */
  for (guint i = 0; registers == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DOSSIER_IS_REGISTRY_WINDOW (window) && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        registers = GTK_WIDGET (window);
    }

  if (registers == NULL)
    {
      registers = dossier_registry_window_new (GTK_WINDOW (self), self->store);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (registers), TRUE);
      g_signal_connect_object (registers, "destroy", G_CALLBACK (on_registers_destroyed), self, G_CONNECT_SWAPPED);
    }

  gtk_window_present (GTK_WINDOW (registers));
}

/* Users, sign-in and sign-off ---------------------------------------------------- */

/* DOSSIER_NO_LOGIN=1 shows the content without the sign-in page; only the widget
 * tests of the window's other parts set it.  The start-up benchmark
 * (DOSSIER_REPORT_FIRST_ROWS) times the list the same way.  Either only skips the
 * page: once a database has accounts, the store itself refuses writes from
 * nobody. */
static gboolean
login_bypassed (void)
{
  return g_strcmp0 (g_getenv ("DOSSIER_NO_LOGIN"), "1") == 0 ||
         g_getenv ("DOSSIER_REPORT_FIRST_ROWS") != NULL;
}

/* The window's actions that reach the content; none may work behind the sign-in
 * page or the lock screen. */
static const char * const content_actions[] = {
  "win.new-dossier",
  "win.registers",
  "win.qa-queue",
  "win.users",
  "win.lock",
  "win.sign-out",
  "win.export",
  "win.export-dossier",
  "win.annual-report",
};

static gboolean
showing_login (DossierWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->auth_stack), "login") == 0;
}

static void
update_user (DossierWindow *self)
{
  const DossierUser *user = dossier_store_get_user (self->store);
  gboolean content = !showing_login (self);
  gboolean signed_in = content && user != NULL;

  for (guint i = 0; i < G_N_ELEMENTS (content_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), content_actions[i], content);

  /* Core refuses what a role may not do anyway; greying it out saves the try. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-dossier",
                                 content && dossier_auth_check_permission (self->store, "dossier",
                                                                           DOSSIER_AUTH_INSERT, NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.users",
                                 signed_in && (user->roles & DOSSIER_ROLE_ADMINISTRATOR) != 0);

  update_export_actions (self);
  update_annual_report (self);

  gtk_widget_set_visible (GTK_WIDGET (self->user_button), signed_in);
  if (signed_in)
    {
      g_autofree char *roles = dossier_roles_get_label (user->roles);
      /* Translators: the account menu's second line: login · roles. */
      g_autofree char *line = g_strdup_printf (_("%s · %s"), user->login, roles);
      /* Translators: the tooltip of the account menu button. */
      g_autofree char *tooltip = g_strdup_printf (_("Signed in as %s"), user->full_name);

      adw_avatar_set_text (self->user_avatar, user->full_name);
      adw_avatar_set_text (self->user_info_avatar, user->full_name);
      gtk_label_set_label (self->user_name_label, user->full_name);
      gtk_label_set_label (self->user_roles_label, line);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_button), tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                      -1);
    }

  /* Typing anywhere searches, but not into a list hidden behind the sign-in page. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, content ? GTK_WIDGET (self) : NULL);
}

/* Windows transient for this one show content too: they go when it locks. */
static void
close_transient_windows (DossierWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        g_ptr_array_add (windows, g_steal_pointer (&window));
    }

  for (guint i = 0; i < windows->len; i++)
    gtk_window_destroy (g_ptr_array_index (windows, i));
}

static void
show_main (DossierWindow *self)
{
  gtk_stack_set_visible_child_name (self->auth_stack, "main");
  update_user (self);
  update_state (self);
}

static void
show_login (DossierWindow *self,
            gboolean       unlock)
{
  close_transient_windows (self);
  if (unlock)
    dossier_login_page_show_unlock (self->login_page);
  else
    dossier_login_page_reset (self->login_page);
  gtk_stack_set_visible_child_name (self->auth_stack, "login");
  update_user (self);
}

static void
on_login_signed_in (DossierWindow *self)
{
  show_main (self);
}

static void
on_login_signed_out (DossierWindow *self)
{
  update_user (self);
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  if (showing_login (self))
    return;

  dossier_auth_lock (self->store);
  show_login (self, TRUE);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  dossier_store_sign_out (self->store);
  g_clear_pointer (&self->reminder_dismissed_by, g_free);
  show_login (self, FALSE);
}

static gpointer
find_transient (DossierWindow *self,
                GType          type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        return window;
    }

  return NULL;
}

static void
users_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  GtkWindow *users = find_transient (self, DOSSIER_TYPE_USERS_WINDOW);

  if (users == NULL)
    users = GTK_WINDOW (dossier_users_window_new (GTK_WINDOW (self), self->store));
  gtk_window_present (users);
}

static void
on_queue_dossier_activated (DossierQaQueueWindow *queue,
                            gint64                id,
                            const char           *unit_no,
                            DossierWindow        *self)
{
  /* The unit number finds the dossier wherever it is in a long list. */
  g_object_set (self, "kind-filter", "", "status-filter", "", "institution-filter", "", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), unit_no);
  dossier_dossier_list_set_search (self->list, unit_no);
  dossier_window_select_dossier (self, id);
  gtk_window_present (GTK_WINDOW (self));
}

static void
qa_queue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);
  DossierQaQueueWindow *queue = find_transient (self, DOSSIER_TYPE_QA_QUEUE_WINDOW);

  if (queue == NULL)
    {
      queue = dossier_qa_queue_window_new (GTK_WINDOW (self), self->store);
      g_signal_connect_object (queue, "dossier-activated", G_CALLBACK (on_queue_dossier_activated), self, 0);
    }
  else
    dossier_qa_queue_window_reload (queue);

  gtk_window_present (GTK_WINDOW (queue));
}

/* Filing packages ---------------------------------------------------------------- */

/* Regulatory staff and administrators export (anyone before there are accounts);
 * the actions are off for everyone else and behind the sign-in page. */
static void
update_export_actions (DossierWindow *self)
{
  gboolean allowed = !showing_login (self) && dossier_export_dialog_may_export (self->store);
  gboolean selected = gtk_single_selection_get_selected_item (self->selection) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-dossier", allowed && selected);
}

static void
show_export_dialog (DossierWindow *self,
                    gboolean       this_dossier)
{
  DossierDossier *selected = gtk_single_selection_get_selected_item (self->selection);
  DossierExportDialog *dialog;

  /* The dialog offers the selected dossier; the window menu starts from all. */
  dialog = dossier_export_dialog_new (GTK_WINDOW (self), self->store,
                                      selected != NULL ? dossier_dossier_get_unit_no (selected) : NULL);
  if (!this_dossier && selected != NULL)
    dossier_export_dialog_set_scope (dialog, DOSSIER_EXPORT_SCOPE_ALL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  show_export_dialog (DOSSIER_WINDOW (widget), FALSE);
}

static void
export_dossier_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  show_export_dialog (DOSSIER_WINDOW (widget), TRUE);
}

/* The annual report ------------------------------------------------------------ */

static void
get_today (DossierWindow *self,
           GDate         *today)
{
  g_autoptr(GDateTime) now = NULL;

  if (g_date_valid (&self->today))
    {
      *today = self->today;
      return;
    }

  now = g_date_time_new_now_local ();
  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

/* Who the reminder was dismissed for: it stays away for them until they sign out. */
static const char *
reminder_owner (DossierWindow *self)
{
  const DossierUser *user = dossier_store_get_user (self->store);

  return user != NULL ? user->login : "";
}

/* Those who may generate the report get the action and, when a report is due and
 * they have not dismissed it, the reminder; never behind the sign-in page. */
static void
update_annual_report (DossierWindow *self)
{
  gboolean allowed = !showing_login (self) && dossier_annual_report_dialog_may_generate (self->store);
  g_autofree char *text = NULL;
  GDate today, deadline;
  int year = 0, days_left;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.annual-report", allowed);

  if (allowed && g_strcmp0 (self->reminder_dismissed_by, reminder_owner (self)) != 0)
    {
      get_today (self, &today);
      if (dossier_annual_report_reminder (self->store, &today, &year, &days_left))
        {
          dossier_annual_report_get_deadline (self->store, year, &deadline);
          text = dossier_annual_report_describe_reminder (year, &deadline, days_left);
        }
    }

  dossier_reminder_banner_set_reminder (self->reminder_banner, year, text);
}

static void
show_annual_report_dialog (DossierWindow *self,
                           int            year)
{
  DossierAnnualReportDialog *dialog;

  if (year <= 0)
    {
      GDate today;

      get_today (self, &today);
      year = dossier_annual_report_dialog_default_year (self->store, &today);
    }

  dialog = dossier_annual_report_dialog_new (GTK_WINDOW (self), self->store, year);
  /* A saved report or a new deadline changes what the reminder says. */
  g_signal_connect_object (dialog, "saved", G_CALLBACK (update_annual_report), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "settings-changed", G_CALLBACK (update_annual_report), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
annual_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  show_annual_report_dialog (DOSSIER_WINDOW (widget), 0);
}

static void
on_reminder_create_report (DossierWindow         *self,
                           int                    year,
                           DossierReminderBanner *banner)
{
  show_annual_report_dialog (self, year);
}

static void
on_reminder_dismissed (DossierWindow *self)
{
  g_free (self->reminder_dismissed_by);
  self->reminder_dismissed_by = g_strdup (reminder_owner (self));
}

/* What the window shows first: the content when someone is signed in already (or
 * for the tests that skip signing in), else the sign-in page, which asks for the
 * first administrator on a database without accounts. */
/* A sign-off moves the dossier's status: the list shows it. */
static void
on_signoff_signed (DossierWindow      *self,
                   gint64              signature_id,
                   DossierSignoffPage *page)
{
  on_dossier_changed (self, dossier_signoff_page_get_dossier_id (page));
}

static void
setup_sign_in (DossierWindow *self)
{
  GtkPopover *popover = gtk_menu_button_get_popover (self->user_button);
  GtkWidget *signoffs = dossier_dossier_view_get_page_widget (self->dossier_view, "signoffs");

  if (DOSSIER_IS_SIGNOFF_PAGE (signoffs))
    g_signal_connect_object (signoffs, "signed", G_CALLBACK (on_signoff_signed), self, G_CONNECT_SWAPPED);

  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), self->user_info, "user-info");
  dossier_login_page_set_store (self->login_page, self->store);

  if (login_bypassed () ||
      (dossier_store_get_user (self->store) != NULL && !dossier_auth_is_locked (self->store)))
    show_main (self);
  else if (dossier_store_get_user (self->store) != NULL)
    show_login (self, TRUE);
  else
    show_login (self, FALSE);
}

/* GObject --------------------------------------------------------------------- */

static void
dossier_window_constructed (GObject *object)
{
  DossierWindow *self = (DossierWindow *)object;

  G_OBJECT_CLASS (dossier_window_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  self->list = dossier_dossier_list_new (self->store);
  dossier_dossier_list_set_sort (self->list,
                                 g_str_equal (self->sort_order, "unit-no") ? DOSSIER_SORT_UNIT_NO
                                                                           : DOSSIER_SORT_UPDATED_DESC);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->list));
  dossier_dossier_view_set_store (self->dossier_view, self->store);
  fill_institution_menu (self);

  /* The .ui gives the button its menu model, so its popover exists by now. */
  g_signal_connect_object (gtk_menu_button_get_popover (self->view_button), "show",
                           G_CALLBACK (on_view_menu_shown), self, G_CONNECT_SWAPPED);

  update_state (self);

  /* Users, sign-in and sign-off */
  setup_sign_in (self);
}

static void
dossier_window_map (GtkWidget *widget)
{
  DossierWindow *self = DOSSIER_WINDOW (widget);

  GTK_WIDGET_CLASS (dossier_window_parent_class)->map (widget);

  maybe_emit_rows_shown (self);
}

static void
dossier_window_dispose (GObject *object)
{
  DossierWindow *self = (DossierWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_WINDOW);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dossier_window_parent_class)->dispose (object);
}

static void
dossier_window_finalize (GObject *object)
{
  DossierWindow *self = (DossierWindow *)object;

  g_clear_pointer (&self->sort_order, g_free);
  g_clear_pointer (&self->kind_filter, g_free);
  g_clear_pointer (&self->status_filter, g_free);
  g_clear_pointer (&self->institution_filter, g_free);
  g_clear_pointer (&self->shown_error, g_free);
  g_clear_pointer (&self->reminder_dismissed_by, g_free);

  G_OBJECT_CLASS (dossier_window_parent_class)->finalize (object);
}

static void
dossier_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DossierWindow *self = DOSSIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SORT_ORDER:
      g_value_set_string (value, self->sort_order);
      break;

    case PROP_KIND_FILTER:
      g_value_set_string (value, self->kind_filter);
      break;

    case PROP_STATUS_FILTER:
      g_value_set_string (value, self->status_filter);
      break;

    case PROP_INSTITUTION_FILTER:
      g_value_set_string (value, self->institution_filter);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DossierWindow *self = DOSSIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SORT_ORDER:
      set_string (self, &self->sort_order, g_value_get_string (value), pspec);
      break;

    case PROP_KIND_FILTER:
      set_string (self, &self->kind_filter, g_value_get_string (value), pspec);
      break;

    case PROP_STATUS_FILTER:
      set_string (self, &self->status_filter, g_value_get_string (value), pspec);
      break;

    case PROP_INSTITUTION_FILTER:
      set_string (self, &self->institution_filter, g_value_get_string (value), pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_window_class_init (DossierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dossier_window_constructed;
  object_class->dispose = dossier_window_dispose;
  object_class->finalize = dossier_window_finalize;
  object_class->get_property = dossier_window_get_property;
  object_class->set_property = dossier_window_set_property;

  widget_class->map = dossier_window_map;

  window_class->close_request = dossier_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SORT_ORDER] =
    g_param_spec_string ("sort-order", NULL, NULL, "updated",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_KIND_FILTER] =
    g_param_spec_string ("kind-filter", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATUS_FILTER] =
    g_param_spec_string ("status-filter", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* An institution id as text, "" for any: property actions take no int64. */
  properties[PROP_INSTITUTION_FILTER] =
    g_param_spec_string ("institution-filter", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierWindow::rows-shown:
   *
   * Emitted once, when the window is mapped and its list has bound its first
   * rows (or has nothing to list): the moment the window is useful.
   */
  signals[ROWS_SHOWN] =
    g_signal_new ("rows-shown",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (DOSSIER_TYPE_DOSSIER_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, content);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, view_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, sidebar_empty_page);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, dossier_view);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, kind_section);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, status_menu);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, institution_menu);

  gtk_widget_class_bind_template_callback (widget_class, on_row_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_row_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_row_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_dossier_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_property_action (widget_class, "win.sort-order", "sort-order");
  gtk_widget_class_install_property_action (widget_class, "win.kind-filter", "kind-filter");
  gtk_widget_class_install_property_action (widget_class, "win.status-filter", "status-filter");
  gtk_widget_class_install_property_action (widget_class, "win.institution-filter", "institution-filter");
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL, clear_filters_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);

  /* New dossier and registers */
  gtk_widget_class_install_action (widget_class, "win.new-dossier", NULL, new_dossier_action);
  gtk_widget_class_install_action (widget_class, "win.registers", NULL, registers_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-dossier", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.registers", NULL);

  /* Users, sign-in and sign-off */
  g_type_ensure (DOSSIER_TYPE_LOGIN_PAGE);
  /* The editor's Sign-offs page (ui/dossier-dossier-view.ui) */
  g_type_ensure (DOSSIER_TYPE_SIGNOFF_PAGE);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, auth_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_avatar);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_info);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_info_avatar);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_name_label);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, user_roles_label);
  gtk_widget_class_bind_template_callback (widget_class, on_login_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_login_signed_out);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.users", NULL, users_action);
  gtk_widget_class_install_action (widget_class, "win.qa-queue", NULL, qa_queue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.qa-queue", NULL);

  /* Filing packages */
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-dossier", NULL, export_dossier_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);

  /* The annual report */
  g_type_ensure (DOSSIER_TYPE_REMINDER_BANNER);
  gtk_widget_class_bind_template_child (widget_class, DossierWindow, reminder_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_reminder_create_report);
  gtk_widget_class_bind_template_callback (widget_class, on_reminder_dismissed);
  gtk_widget_class_install_action (widget_class, "win.annual-report", NULL, annual_report_action);
}

static void
dossier_window_init (DossierWindow *self)
{
  self->sort_order = g_strdup ("updated");
  self->kind_filter = g_strdup ("");
  self->status_filter = g_strdup ("");
  self->institution_filter = g_strdup ("");
  g_date_clear (&self->today, 1);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = settings_new_if_installed ();
  restore_window_state (self);

  fill_choice_menu (self->kind_section, "kind", "win.kind-filter", _("All Kinds"));
  fill_choice_menu (self->status_menu, "status", "win.status-filter", _("Any Status"));

  /* Typing anywhere in the window searches. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

/* Public ---------------------------------------------------------------------- */

DossierWindow *
dossier_window_new (GtkApplication *application,
                    DossierStore   *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

DossierStore *
dossier_window_get_store (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);

  return self->store;
}

DossierDossierList *
dossier_window_get_list (DossierWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_WINDOW (self), NULL);

  return self->list;
}

void
dossier_window_focus_search (DossierWindow *self)
{
  g_return_if_fail (DOSSIER_IS_WINDOW (self));

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
dossier_window_show_toast (DossierWindow *self,
                           const char    *message)
{
  g_return_if_fail (DOSSIER_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
dossier_window_select_dossier (DossierWindow *self,
                               gint64         id)
{
  g_return_if_fail (DOSSIER_IS_WINDOW (self));
  g_return_if_fail (id > 0);

  dossier_dossier_list_reload (self->list);

  /* A search or a filter may hide it: then everything is shown again. */
  if (!select_dossier_row (self, id))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      dossier_dossier_list_set_search (self->list, NULL);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.clear-filters", NULL);
      select_dossier_row (self, id);
    }

  update_state (self);
  show_content (self);
}

void
dossier_window_set_today_for_testing (DossierWindow *self,
                                      const GDate   *today)
{
  g_return_if_fail (DOSSIER_IS_WINDOW (self));

  if (today != NULL && g_date_valid (today))
    self->today = *today;
  else
    g_date_clear (&self->today, 1);

  update_annual_report (self);
}
