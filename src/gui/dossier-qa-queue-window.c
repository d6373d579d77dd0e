/* dossier-qa-queue-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-qa-queue-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-format.h"
#include "dossier-qa-queue-window.h"
/* The core queue's header has the same name as this one's; it is included by its
 * path so that the compiler cannot take one for the other. */
#include "../core/dossier-qa-queue.h"

struct _DossierQaQueueWindow
{
  AdwWindow       parent_instance;

  DossierStore   *store;
  GCancellable   *cancellable;
  guint           n_items;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton      *reload_button;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  AdwStatusPage  *error_page;
  GtkListBox     *items_list;
};

G_DEFINE_FINAL_TYPE (DossierQaQueueWindow, dossier_qa_queue_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

enum {
  DOSSIER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The queue, in a thread ---------------------------------------------------------- */

/* A store's transactions are not shared between threads, and the queue's rule
 * check opens one: the thread reads through a store of its own on the same
 * file. */
static void
queue_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(DossierStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  store = dossier_store_open (path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = dossier_qa_queue (store, cancellable, &error);
  if (items == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, items, (GDestroyNotify)g_ptr_array_unref);
}

/* Rows ------------------------------------------------------------------------------ */

static const char *
severity_icon (guint n_errors,
               guint n_warnings)
{
  if (n_errors > 0)
    return "dialog-error-symbolic";
  if (n_warnings > 0)
    return "dialog-warning-symbolic";
  return "emblem-ok-symbolic";
}

static const char *
severity_class (guint n_errors,
                guint n_warnings)
{
  if (n_errors > 0)
    return "error";
  if (n_warnings > 0)
    return "warning";
  return "success";
}

static char *
findings_summary (const DossierQaItem *item)
{
  g_autofree char *errors = NULL;
  g_autofree char *warnings = NULL;

  if (item->n_errors == 0 && item->n_warnings == 0)
    return g_strdup (_("No exceptions"));

  errors = g_strdup_printf (ngettext ("%u error", "%u errors", item->n_errors), item->n_errors);
  warnings = g_strdup_printf (ngettext ("%u warning", "%u warnings", item->n_warnings), item->n_warnings);
  if (item->n_warnings == 0)
    return g_steal_pointer (&errors);
  if (item->n_errors == 0)
    return g_steal_pointer (&warnings);

  /* Translators: "2 errors, 1 warning" */
  return g_strdup_printf (_("%s, %s"), errors, warnings);
}

static void
on_open_clicked (GtkButton            *button,
                 DossierQaQueueWindow *self)
{
  const char *unit_no = g_object_get_data (G_OBJECT (button), "unit-no");
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (button), "dossier-id");

  g_signal_emit (self, signals[DOSSIER_ACTIVATED], 0, id, unit_no);
}

static GtkWidget *
finding_row_new (const DossierQaFinding *finding)
{
  gboolean error = finding->severity == DOSSIER_QA_SEVERITY_ERROR;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  g_autofree char *accessible = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding->message);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dossier_qa_finding_kind_get_label (finding->kind));
  gtk_widget_add_css_class (icon, error ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, error ? _("Error") : _("Warning"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  /* Translators: a finding of the QA queue for screen readers: kind, message. */
  accessible = g_strdup_printf (_("%s: %s"), dossier_qa_finding_kind_get_label (finding->kind), finding->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static GtkWidget *
item_row_new (DossierQaQueueWindow *self,
              const DossierQaItem  *item)
{
  gboolean has_findings = item->findings != NULL && item->findings->len > 0;
  GtkWidget *icon = gtk_image_new_from_icon_name (severity_icon (item->n_errors, item->n_warnings));
  GtkWidget *open = gtk_button_new_from_icon_name ("go-next-symbolic");
  g_autofree char *findings = findings_summary (item);
  g_autofree char *since = dossier_format_date (item->waiting_since);
  g_autofree char *subtitle = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *accessible = NULL;
  gint64 *id = g_new (gint64, 1);
  GtkWidget *row;

  /* Translators: a dossier in the QA queue: the sign-off it waits for, its
   * exceptions, the date of its last change, e.g. "Waiting for: Release · 2 errors
   * · since 23 Nov 2026". */
  subtitle = g_strdup_printf (_("Waiting for: %s · %s · since %s"),
                              dossier_sign_point_get_label (item->waiting_for), findings,
                              since != NULL ? since : "—");
  /* Translators: a dossier of the QA queue for screen readers: unit number, then
   * the subtitle. */
  accessible = g_strdup_printf (_("%s, %s"), item->unit_no, subtitle);

  gtk_widget_add_css_class (icon, severity_class (item->n_errors, item->n_warnings));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, findings, -1);

  /* Translators: the button that shows a dossier of the QA queue in the main window. */
  open_label = g_strdup_printf (_("Open %s"), item->unit_no);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Show in the Main Window"));
  gtk_widget_add_css_class (open, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  *id = item->dossier_id;
  g_object_set_data_full (G_OBJECT (open), "dossier-id", id, g_free);
  g_object_set_data_full (G_OBJECT (open), "unit-no", g_strdup (item->unit_no), g_free);
  g_signal_connect_object (open, "clicked", G_CALLBACK (on_open_clicked), self, 0);

  if (has_findings)
    {
      /* Review by exception: what must be judged is open from the start. */
      row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), open);
      for (guint i = 0; i < item->findings->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (row), finding_row_new (g_ptr_array_index (item->findings, i)));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), item->n_errors > 0);
    }
  else
    {
      /* Nothing to unfold: the whole row opens the dossier. */
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), open);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->unit_no);
  gtk_widget_set_name (row, item->unit_no);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
set_loading (DossierQaQueueWindow *self,
             gboolean              loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "queue.reload", !loading);
  if (loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_queue_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DossierQaQueueWindow *self = DOSSIER_QA_QUEUE_WINDOW (source);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;

  items = g_task_propagate_pointer (G_TASK (result), &error);
  /* A computation that a newer one replaced, or the window went away. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  clear_list (self->items_list);
  self->n_items = 0;

  if (items == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      adw_window_title_set_subtitle (self->window_title, NULL);
      set_loading (self, FALSE);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (self->items_list, item_row_new (self, g_ptr_array_index (items, i)));
  self->n_items = items->len;

  count = g_strdup_printf (ngettext ("%u dossier waiting", "%u dossiers waiting", items->len), items->len);
  adw_window_title_set_subtitle (self->window_title, count);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");
  set_loading (self, FALSE);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  dossier_qa_queue_window_reload (DOSSIER_QA_QUEUE_WINDOW (widget));
}

/* GObject --------------------------------------------------------------------------- */

static void
dossier_qa_queue_window_constructed (GObject *object)
{
  DossierQaQueueWindow *self = (DossierQaQueueWindow *)object;

  G_OBJECT_CLASS (dossier_qa_queue_window_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));
  dossier_qa_queue_window_reload (self);
}

static void
dossier_qa_queue_window_dispose (GObject *object)
{
  DossierQaQueueWindow *self = (DossierQaQueueWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_QA_QUEUE_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_qa_queue_window_parent_class)->dispose (object);
}

static void
dossier_qa_queue_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DossierQaQueueWindow *self = DOSSIER_QA_QUEUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_qa_queue_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  DossierQaQueueWindow *self = DOSSIER_QA_QUEUE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_qa_queue_window_class_init (DossierQaQueueWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_qa_queue_window_constructed;
  object_class->dispose = dossier_qa_queue_window_dispose;
  object_class->get_property = dossier_qa_queue_window_get_property;
  object_class->set_property = dossier_qa_queue_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DossierQaQueueWindow::dossier-activated:
   * @id: the dossier's id
   * @unit_no: its unit number
   *
   * The reviewer asked to see this dossier in the main window.
   */
  signals[DOSSIER_ACTIVATED] =
    g_signal_new ("dossier-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-qa-queue-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, reload_button);
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, DossierQaQueueWindow, items_list);

  gtk_widget_class_install_action (widget_class, "queue.reload", NULL, reload_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "queue.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "queue.reload", NULL);
}

static void
dossier_qa_queue_window_init (DossierQaQueueWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ---------------------------------------------------------------------------- */

DossierQaQueueWindow *
dossier_qa_queue_window_new (GtkWindow    *parent,
                             DossierStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_QA_QUEUE_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "store", store,
                       NULL);
}

void
dossier_qa_queue_window_reload (DossierQaQueueWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOSSIER_IS_QA_QUEUE_WINDOW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, on_queue_ready, NULL);
  g_task_set_source_tag (task, dossier_qa_queue_window_reload);
  g_task_set_task_data (task, g_strdup (dossier_store_get_path (self->store)), g_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, queue_thread);

  set_loading (self, TRUE);
}

gboolean
dossier_qa_queue_window_get_loading (DossierQaQueueWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_QA_QUEUE_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

guint
dossier_qa_queue_window_get_n_items (DossierQaQueueWindow *self)
{
  g_return_val_if_fail (DOSSIER_IS_QA_QUEUE_WINDOW (self), 0);

  return self->n_items;
}
