/* dossier-dossier-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-dossier-view"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-dossier-view.h"
#include "dossier-editor-attachments-page.h"
#include "dossier-editor-delivery-page.h"
#include "dossier-editor-design-page.h"
#include "dossier-editor-dialogs.h"
#include "dossier-editor-history-page.h"
#include "dossier-editor-inspection-page.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-order-page.h"
#include "dossier-editor-processing-page.h"
#include "dossier-editor-session.h"
#include "dossier-format.h"
#include "dossier-schema.h"
#include "dossier-signoff-page.h"

struct _DossierDossierView
{
  GtkWidget             parent_instance;

  DossierStore         *store;
  DossierDossier       *dossier;
  DossierEditorSession *session;
  GHashTable           *undo_stacks;   /* dossier id → DossierEditorUndo, for this window's life */
  const char           *status_class;
  char                 *last_message;
  guint                 changed_source;
  guint                 reveal_source;
  GBinding             *folded_back;
  GBinding             *folded_buttons;

  AdwToastOverlay      *toast_overlay;
  AdwHeaderBar         *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkWidget            *back_button;
  GtkMenuButton        *status_button;
  GtkLabel             *status_label;
  GtkWidget            *undo_button;
  GtkLabel             *unit_no_label;
  GtkLabel             *kind_label;
  GtkLabel             *implant_label;
  GtkLabel             *dates_label;
  GtkLabel             *error_label;
  AdwViewStack         *stack;
  AdwViewStackPage     *attachments_stack_page;
  GMenu                *status_section;
  GtkWidget            *order_page;
  GtkWidget            *design_page;
  GtkWidget            *processing_page;
  GtkWidget            *inspection_page;
  GtkWidget            *delivery_page;
  GtkWidget            *attachments_page;
  GtkWidget            *history_page;
};

G_DEFINE_FINAL_TYPE (DossierDossierView, dossier_dossier_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DOSSIER,
  PROP_HAS_DOSSIER,
  N_PROPS
};

enum {
  DOSSIER_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const page_names[] = {
  "order", "design", "processing", "inspection", "delivery", "attachments", "history", "signoffs", NULL
};

static GtkWidget *
page_widget (DossierDossierView *self,
             guint               i)
{
  GtkWidget * const pages[] = {
    self->order_page, self->design_page, self->processing_page, self->inspection_page,
    self->delivery_page, self->attachments_page, self->history_page,
  };

  return i < G_N_ELEMENTS (pages) ? pages[i] : NULL;
}

static void
show_message (DossierDossierView *self,
              const char         *message)
{
  AdwToast *toast = adw_toast_new (message);

  g_free (self->last_message);
  self->last_message = g_strdup (message);

  /* Refusals are read, not glanced at: long ones stay until dismissed. */
  adw_toast_set_timeout (toast, g_utf8_strlen (message, -1) > 80 ? 0 : 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Header ------------------------------------------------------------------------- */

static void
update_status_menu (DossierDossierView *self,
                    const char         *status)
{
  const char * const *next = dossier_editor_next_statuses (status);

  g_menu_remove_all (self->status_section);

  for (guint i = 0; next[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (dossier_format_status_label (next[i]), NULL);

      g_menu_item_set_action_and_target (item, "editor.set-status", "s", next[i]);
      g_menu_append_item (self->status_section, item);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.set-status", next[0] != NULL);
}

static void
update_undo (DossierDossierView *self)
{
  DossierEditorUndo *undo = self->session != NULL ? dossier_editor_session_get_undo (self->session) : NULL;
  g_autofree char *tooltip = undo != NULL ? dossier_editor_undo_describe (undo) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", undo != NULL && dossier_editor_undo_can_undo (undo));
  gtk_widget_set_tooltip_text (self->undo_button, tooltip != NULL ? tooltip : _("Undo"));
}

static void
update_header (DossierDossierView *self)
{
  GHashTable *row;
  const char *status;
  const char *unit_no;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *status_accessible = NULL;

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
      self->status_class = NULL;
    }

  if (self->session == NULL)
    {
      gtk_label_set_label (self->unit_no_label, "");
      adw_view_switcher_title_set_title (self->switcher_title, "");
      update_status_menu (self, NULL);
      update_undo (self);
      return;
    }

  row = dossier_editor_session_get_dossier (self->session);
  status = g_hash_table_lookup (row, "status");
  unit_no = g_hash_table_lookup (row, "unit_no");

  gtk_label_set_label (self->unit_no_label, unit_no != NULL ? unit_no : "");
  adw_view_switcher_title_set_title (self->switcher_title, unit_no != NULL ? unit_no : "");

  self->status_class = dossier_format_status_css_class (status);
  gtk_label_set_label (self->status_label, dossier_format_status_label (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), self->status_class);
  /* Translators: the status button's accessible name, e.g. "Status: Design review". */
  status_accessible = g_strdup_printf (_("Status: %s"), dossier_format_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  status_accessible, -1);

  gtk_label_set_label (self->kind_label, dossier_format_kind_label (g_hash_table_lookup (row, "kind")));
  gtk_widget_set_visible (GTK_WIDGET (self->implant_label),
                          dossier_editor_is_implantable (g_hash_table_lookup (row, "body_days"),
                                                         dossier_editor_session_get_implantable_min_days (self->session)));

  created = dossier_format_timestamp (g_hash_table_lookup (row, "created_at"));
  updated = dossier_format_timestamp (g_hash_table_lookup (row, "updated_at"));
  /* Translators: when the dossier was created and last changed. */
  dates = g_strdup_printf (_("Created %s · Updated %s"), created != NULL ? created : "?", updated != NULL ? updated : "?");
  gtk_label_set_label (self->dates_label, dates);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dates_label), dates);

  update_status_menu (self, status);
  update_undo (self);

  adw_view_stack_page_set_badge_number (self->attachments_stack_page,
                                        dossier_editor_attachments_page_get_count (DOSSIER_EDITOR_ATTACHMENTS_PAGE (self->attachments_page)));
}

/* Changes ------------------------------------------------------------------------------ */

static gboolean
emit_dossier_changed (gpointer user_data)
{
  DossierDossierView *self = user_data;
  GtkWidget *signoffs = adw_view_stack_get_child_by_name (self->stack, "signoffs");

  self->changed_source = 0;

  /* A change may end a signature's validity; the sign-off page reads again. */
  if (DOSSIER_IS_SIGNOFF_PAGE (signoffs))
    dossier_signoff_page_refresh (DOSSIER_SIGNOFF_PAGE (signoffs));

  if (self->session != NULL)
    g_signal_emit (self, signals[DOSSIER_CHANGED], 0, dossier_editor_session_get_dossier_id (self->session));

  return G_SOURCE_REMOVE;
}

/* A burst of changes (a record removed with its parts) tells the list once. */
static void
queue_dossier_changed (DossierDossierView *self)
{
  if (self->changed_source == 0)
    self->changed_source = g_idle_add_full (G_PRIORITY_DEFAULT, emit_dossier_changed, self, NULL);
}

static void
on_session_changed (DossierDossierView *self,
                    const char         *table,
                    gint64              id)
{
  update_header (self);
  queue_dossier_changed (self);
}

static void
on_session_undone (DossierDossierView *self)
{
  update_header (self);
  queue_dossier_changed (self);
}

static void
on_undo_changed (DossierDossierView *self)
{
  update_undo (self);
}

/* A signature moves the status (and makes the release record): what the pages
 * and the header show is read again. */
static void
on_signed (DossierDossierView *self,
           gint64              signature_id)
{
  if (self->session == NULL)
    return;

  dossier_editor_session_notify_changed (self->session, "signature", signature_id);
  for (guint i = 0; page_widget (self, i) != NULL; i++)
    dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (page_widget (self, i)));
}

static void
set_session (DossierDossierView   *self,
             DossierEditorSession *session)
{
  GtkWidget *page;

  if (self->session != NULL)
    {
      /* What was typed and not yet left belongs to the dossier shown until now. */
      dossier_editor_session_flush (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (dossier_editor_session_get_undo (self->session), self);
    }
  g_clear_handle_id (&self->changed_source, g_source_remove);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "undone", G_CALLBACK (on_session_undone), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (dossier_editor_session_get_undo (session), "notify::can-undo",
                               G_CALLBACK (on_undo_changed), self, G_CONNECT_SWAPPED);
    }

  for (guint i = 0; (page = page_widget (self, i)) != NULL; i++)
    {
      GtkWidget *child = gtk_widget_get_first_child (page);

      dossier_editor_page_set_session (DOSSIER_EDITOR_PAGE (page), session);
      /* Another record starts at its top. */
      if (GTK_IS_SCROLLED_WINDOW (child))
        gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child)), 0);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-files", session != NULL);
  update_header (self);
}

static DossierEditorUndo *
undo_for (DossierDossierView *self,
          gint64              id)
{
  DossierEditorUndo *undo = g_hash_table_lookup (self->undo_stacks, &id);

  if (undo == NULL)
    {
      undo = dossier_editor_undo_new ();
      g_hash_table_insert (self->undo_stacks, g_memdup2 (&id, sizeof id), undo);
    }

  return undo;
}

static void
rebuild (DossierDossierView *self)
{
  g_autoptr(DossierEditorSession) session = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  if (self->dossier == NULL || self->store == NULL)
    {
      set_session (self, NULL);
      return;
    }

  id = dossier_dossier_get_id (self->dossier);
  row = dossier_store_get_row (self->store, "dossier", id, &error);
  if (row == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not read this dossier: %s"), error->message);

      set_session (self, NULL);
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  session = dossier_editor_session_new (self->store, id, undo_for (self, id));
  set_session (self, session);
}

/* Actions ----------------------------------------------------------------------------- */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;

  /* Typing not yet committed is a change too, and the newest one: it goes in
   * first, so that undo takes back what the person sees last. */
  dossier_editor_session_flush (self->session);

  if (!dossier_editor_session_undo (self->session, &error))
    {
      /* Translators: undo was refused; the store's reason follows. */
      g_autofree char *message = g_strdup_printf (_("Could not undo: %s"), error->message);

      show_message (self, message);
    }
}

typedef struct
{
  DossierDossierView *view;
  char               *status;
} StatusChange;

static void
status_change_free (StatusChange *change)
{
  g_object_unref (change->view);
  g_free (change->status);
  g_free (change);
}

static void change_status (DossierDossierView *self,
                           const char         *status,
                           const char         *reason);

static void
on_status_reason (const char *reason,
                  gpointer    user_data)
{
  StatusChange *change = user_data;

  if (reason != NULL)
    change_status (change->view, change->status, reason);
}

static void
change_status (DossierDossierView *self,
               const char         *status,
               const char         *reason)
{
  g_autoptr(GError) error = NULL;
  const DossierField fields[] = {
    { "status", status },
    { NULL }
  };

  if (self->session == NULL)
    return;

  dossier_editor_session_flush (self->session);

  if (dossier_editor_session_update (self->session, "dossier", dossier_editor_session_get_dossier_id (self->session),
                                     fields, reason, &error))
    return;

  if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && reason == NULL)
    {
      StatusChange *change = g_new0 (StatusChange, 1);

      change->view = g_object_ref (self);
      change->status = g_strdup (status);
      dossier_editor_ask_reason (GTK_WIDGET (self), error->message, on_status_reason, change,
                                 (GDestroyNotify)status_change_free);
      return;
    }

  /* The gates (rule checks, signatures) say why; never silently. */
  show_message (self, error->message);
}

static void
on_final_status_confirmed (gboolean confirmed,
                           gpointer user_data)
{
  StatusChange *change = user_data;

  if (confirmed)
    change_status (change->view, change->status, NULL);
}

void
dossier_dossier_view_set_status (DossierDossierView *self,
                                 const char         *status)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (status != NULL);

  if (self->session == NULL)
    return;

  if (dossier_editor_status_is_final (status))
    {
      StatusChange *change = g_new0 (StatusChange, 1);
      g_autofree char *heading = NULL;

      change->view = g_object_ref (self);
      change->status = g_strdup (status);
      /* Translators: asked before closing or cancelling a dossier, e.g. "Move to Cancelled?". */
      heading = g_strdup_printf (_("Move to %s?"), dossier_format_status_label (status));
      dossier_editor_confirm (GTK_WIDGET (self), heading,
                              _("The dossier keeps its record and its unit number, but its work ends here."),
                              dossier_format_status_label (status), g_str_equal (status, "cancelled"),
                              on_final_status_confirmed, change, (GDestroyNotify)status_change_free);
      return;
    }

  change_status (self, status, NULL);
}

static void
set_status_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  dossier_dossier_view_set_status (DOSSIER_DOSSIER_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  dossier_dossier_view_set_page (DOSSIER_DOSSIER_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
add_files_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (widget);

  dossier_editor_attachments_page_choose_files (DOSSIER_EDITOR_ATTACHMENTS_PAGE (self->attachments_page));
}

static void
show_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  show_message (DOSSIER_DOSSIER_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* Dropping files ----------------------------------------------------------------------- */

static gboolean
on_drop (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         DossierDossierView *self)
{
  GSList *files;
  const char *section;
  gboolean started;

  if (self->session == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  /* Files dropped while the design is shown are design files. */
  section = dossier_editor_section_for_page (adw_view_stack_get_visible_child_name (self->stack));
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  started = dossier_editor_attachments_page_add_files (DOSSIER_EDITOR_ATTACHMENTS_PAGE (self->attachments_page),
                                                       files, section);
  g_slist_free (files);

  if (started)
    adw_view_stack_set_visible_child_name (self->stack, "attachments");

  return started;
}

/* Layout ------------------------------------------------------------------------------ */

static void
dossier_dossier_view_root (GtkWidget *widget)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (widget);
  GtkWidget *leaflet;

  GTK_WIDGET_CLASS (dossier_dossier_view_parent_class)->root (widget);

  /* Beside the list the window buttons are the sidebar's; folded, they are ours,
   * with a way back to the list. */
  leaflet = gtk_widget_get_ancestor (widget, ADW_TYPE_LEAFLET);
  if (leaflet != NULL)
    {
      self->folded_back = g_object_bind_property (leaflet, "folded", self->back_button, "visible", G_BINDING_SYNC_CREATE);
      self->folded_buttons = g_object_bind_property (leaflet, "folded", self->header_bar, "show-start-title-buttons",
                                                     G_BINDING_SYNC_CREATE);
    }
}

static void
dossier_dossier_view_unroot (GtkWidget *widget)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (widget);

  g_clear_pointer (&self->folded_back, g_binding_unbind);
  g_clear_pointer (&self->folded_buttons, g_binding_unbind);

  GTK_WIDGET_CLASS (dossier_dossier_view_parent_class)->unroot (widget);
}

/* The switcher moves from the header bar to the bottom bar when it does not fit.
 * The title decides that while it is being allocated; revealing the bar right
 * then (as a binding would) changes the bar's size in the middle of the layout,
 * and GTK 4.8 allocates the bar's boxes a height of -1 and warns.  The bar
 * follows from a high-priority idle instead, after this layout and before the
 * next frame is drawn. */
static gboolean
update_switcher_bar (gpointer data)
{
  DossierDossierView *self = data;

  self->reveal_source = 0;
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));

  return G_SOURCE_REMOVE;
}

static void
on_title_visible_changed (DossierDossierView *self)
{
  if (self->reveal_source == 0)
    self->reveal_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_switcher_bar, self, NULL);
}

/* GObject ---------------------------------------------------------------------------- */

static void
dossier_dossier_view_dispose (GObject *object)
{
  DossierDossierView *self = (DossierDossierView *)object;
  GtkWidget *child;

  if (self->session != NULL)
    dossier_editor_session_flush (self->session);
  g_clear_handle_id (&self->changed_source, g_source_remove);
  g_clear_handle_id (&self->reveal_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_DOSSIER_VIEW);
  /* dispose_template() only drops bound children; the layout root is not one. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->session);
  g_clear_object (&self->dossier);
  g_clear_object (&self->store);
  g_clear_pointer (&self->undo_stacks, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_dossier_view_parent_class)->dispose (object);
}

static void
dossier_dossier_view_finalize (GObject *object)
{
  DossierDossierView *self = (DossierDossierView *)object;

  g_clear_pointer (&self->last_message, g_free);

  G_OBJECT_CLASS (dossier_dossier_view_parent_class)->finalize (object);
}

static void
dossier_dossier_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_DOSSIER:
      g_value_set_object (value, self->dossier);
      break;

    case PROP_HAS_DOSSIER:
      g_value_set_boolean (value, self->dossier != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierDossierView *self = DOSSIER_DOSSIER_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      dossier_dossier_view_set_store (self, g_value_get_object (value));
      break;

    case PROP_DOSSIER:
      dossier_dossier_view_set_dossier (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              GdkModifierType        modifiers,
              const char            *action,
              GVariant              *target)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_named_action_new (action));

  if (target != NULL)
    gtk_shortcut_set_arguments (shortcut, target);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
dossier_dossier_view_class_init (DossierDossierViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_dossier_view_dispose;
  object_class->finalize = dossier_dossier_view_finalize;
  object_class->get_property = dossier_dossier_view_get_property;
  object_class->set_property = dossier_dossier_view_set_property;

  widget_class->root = dossier_dossier_view_root;
  widget_class->unroot = dossier_dossier_view_unroot;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOSSIER] =
    g_param_spec_object ("dossier", NULL, NULL, DOSSIER_TYPE_DOSSIER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The editor brings its own header bar; a window hides its own while this is
   * TRUE. */
  properties[PROP_HAS_DOSSIER] =
    g_param_spec_boolean ("has-dossier", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierDossierView::dossier-changed:
   * @id: the dossier
   *
   * The editor wrote to the dossier (once after a burst of changes): lists that
   * show it read it again.
   */
  signals[DOSSIER_CHANGED] =
    g_signal_new ("dossier-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (DOSSIER_TYPE_EDITOR_ORDER_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_DESIGN_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_PROCESSING_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_INSPECTION_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_DELIVERY_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_ATTACHMENTS_PAGE);
  g_type_ensure (DOSSIER_TYPE_EDITOR_HISTORY_PAGE);
  g_type_ensure (DOSSIER_TYPE_SIGNOFF_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-dossier-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_title_visible_changed);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, back_button);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, status_button);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, status_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, undo_button);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, unit_no_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, kind_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, implant_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, dates_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, error_label);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, attachments_stack_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, status_section);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, order_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, design_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, processing_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, inspection_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, delivery_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, attachments_page);
  gtk_widget_class_bind_template_child (widget_class, DossierDossierView, history_page);

  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "editor.set-status", "s", set_status_action);
  gtk_widget_class_install_action (widget_class, "editor.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "editor.add-files", NULL, add_files_action);
  gtk_widget_class_install_action (widget_class, "editor.show-message", "s", show_message_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dossierview");
}

static void
dossier_dossier_view_init (DossierDossierView *self)
{
  GtkEventController *shortcuts;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->undo_stacks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);

  /* Window-wide, after the focused widget had its turn: an entry with typing of
   * its own undoes that first. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  for (guint i = 0; page_names[i] != NULL; i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_1 + i, GDK_ALT_MASK, "editor.page",
                  g_variant_new_string (page_names[i]));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  {
    GtkWidget *signoffs = adw_view_stack_get_child_by_name (self->stack, "signoffs");

    if (DOSSIER_IS_SIGNOFF_PAGE (signoffs))
      g_signal_connect_object (signoffs, "signed", G_CALLBACK (on_signed), self, G_CONNECT_SWAPPED);
  }

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.set-status", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-files", FALSE);
}

GtkWidget *
dossier_dossier_view_new (void)
{
  return g_object_new (DOSSIER_TYPE_DOSSIER_VIEW, NULL);
}

DossierStore *
dossier_dossier_view_get_store (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return self->store;
}

void
dossier_dossier_view_set_store (DossierDossierView *self,
                                DossierStore       *store)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_STORE (store));

  if (self->store == store)
    return;

  /* Undo belongs to the database it was done in. */
  set_session (self, NULL);
  g_hash_table_remove_all (self->undo_stacks);
  g_set_object (&self->store, store);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

DossierDossier *
dossier_dossier_view_get_dossier (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return self->dossier;
}

void
dossier_dossier_view_set_dossier (DossierDossierView *self,
                                  DossierDossier     *dossier)
{
  gboolean same;
  gboolean had;

  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (dossier == NULL || DOSSIER_IS_DOSSIER (dossier));

  if (self->dossier == dossier)
    return;

  had = self->dossier != NULL;

  /* The list makes new objects when it re-reads; the same dossier keeps its
   * pages, its focus and what is typed in them. */
  same = dossier != NULL && self->dossier != NULL && self->session != NULL &&
         dossier_dossier_get_id (dossier) == dossier_dossier_get_id (self->dossier);

  g_set_object (&self->dossier, dossier);
  if (!same)
    rebuild (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOSSIER]);
  if (had != (dossier != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DOSSIER]);
}

const char *
dossier_dossier_view_get_page (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
dossier_dossier_view_set_page (DossierDossierView *self,
                               const char         *name)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

GtkWidget *
dossier_dossier_view_get_page_widget (DossierDossierView *self,
                                      const char         *name)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return adw_view_stack_get_child_by_name (self->stack, name);
}

void
dossier_dossier_view_flush (DossierDossierView *self)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_VIEW (self));

  if (self->session != NULL)
    dossier_editor_session_flush (self->session);
}

const char *
dossier_dossier_view_get_last_message (DossierDossierView *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_VIEW (self), NULL);

  return self->last_message;
}
