/* dossier-editor-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-auth.h"
#include "dossier-editor-dialogs.h"
#include "dossier-editor-page.h"

typedef struct
{
  DossierEditorSession *session;
  GPtrArray            *fields;
  GHashTable           *expanded;  /* "table:id" of open expander rows */
} DossierEditorPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DossierEditorPage, dossier_editor_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Children of a table whose rows go with it when it is removed. */
static const struct
{
  const char *table;
  const char *child;
  const char *column;
} parts[] = {
  { "design_iteration", "parameter_value", "iteration_id" },
  { "processing_step", "step_material", "step_id" },
};

static char *
expander_key (const char *table,
              gint64      id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, id);
}

static void
on_session_changed (DossierEditorPage *self,
                    const char        *table,
                    gint64             id)
{
  DossierEditorPageClass *klass = DOSSIER_EDITOR_PAGE_GET_CLASS (self);

  if (klass->changed != NULL)
    klass->changed (self, table, id);
}

static void
on_session_undone (DossierEditorPage *self)
{
  dossier_editor_page_reload (self);
}

static void
dossier_editor_page_dispose (GObject *object)
{
  DossierEditorPage *self = (DossierEditorPage *)object;
  DossierEditorPagePrivate *priv = dossier_editor_page_get_instance_private (self);
  GtkWidget *child;

  /* Subclasses dispose their templates first; the layout root is left. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_pointer (&priv->fields, g_ptr_array_unref);
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (dossier_editor_page_parent_class)->dispose (object);
}

static void
dossier_editor_page_finalize (GObject *object)
{
  DossierEditorPage *self = (DossierEditorPage *)object;
  DossierEditorPagePrivate *priv = dossier_editor_page_get_instance_private (self);

  g_clear_pointer (&priv->expanded, g_hash_table_unref);

  G_OBJECT_CLASS (dossier_editor_page_parent_class)->finalize (object);
}

static void
dossier_editor_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DossierEditorPage *self = DOSSIER_EDITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, dossier_editor_page_get_session (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_editor_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DossierEditorPage *self = DOSSIER_EDITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      dossier_editor_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_editor_page_class_init (DossierEditorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_editor_page_dispose;
  object_class->finalize = dossier_editor_page_finalize;
  object_class->get_property = dossier_editor_page_get_property;
  object_class->set_property = dossier_editor_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DOSSIER_TYPE_EDITOR_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dossier_editor_page_init (DossierEditorPage *self)
{
  DossierEditorPagePrivate *priv = dossier_editor_page_get_instance_private (self);

  priv->fields = g_ptr_array_new_with_free_func (g_object_unref);
  priv->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DossierEditorSession *
dossier_editor_page_get_session (DossierEditorPage *self)
{
  DossierEditorPagePrivate *priv;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  return priv->session;
}

void
dossier_editor_page_set_session (DossierEditorPage    *self,
                                 DossierEditorSession *session)
{
  DossierEditorPagePrivate *priv;

  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));
  g_return_if_fail (session == NULL || DOSSIER_IS_EDITOR_SESSION (session));

  priv = dossier_editor_page_get_instance_private (self);
  if (priv->session == session)
    return;

  if (priv->session != NULL)
    g_signal_handlers_disconnect_by_data (priv->session, self);

  /* Another dossier: what was open belonged to the one before. */
  g_set_object (&priv->session, session);
  g_hash_table_remove_all (priv->expanded);

  if (session != NULL)
    {
      g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "undone", G_CALLBACK (on_session_undone), self, G_CONNECT_SWAPPED);
    }

  dossier_editor_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
dossier_editor_page_reload (DossierEditorPage *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));

  DOSSIER_EDITOR_PAGE_GET_CLASS (self)->reload (self);
}

void
dossier_editor_page_keep_field (DossierEditorPage  *self,
                                DossierEditorField *field)
{
  DossierEditorPagePrivate *priv = dossier_editor_page_get_instance_private (self);

  g_ptr_array_add (priv->fields, field);
}

DossierEditorField *
dossier_editor_page_add_field (DossierEditorPage *self,
                               GtkWidget         *container,
                               const char        *table,
                               const char        *column,
                               gint64             id,
                               GHashTable        *row)
{
  DossierEditorPagePrivate *priv;
  DossierEditorField *field;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  field = dossier_editor_field_new (priv->session, table, column, id,
                                    row != NULL ? g_hash_table_lookup (row, column) : NULL,
                                    DOSSIER_EDITOR_FIELD_ROW);
  dossier_editor_field_add_to (field, container);
  g_ptr_array_add (priv->fields, field);

  return field;
}

DossierEditorField *
dossier_editor_page_find_field (DossierEditorPage *self,
                                const char        *table,
                                gint64             id,
                                const char        *column)
{
  DossierEditorPagePrivate *priv;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  for (guint i = 0; i < priv->fields->len; i++)
    {
      DossierEditorField *field = g_ptr_array_index (priv->fields, i);

      if (g_str_equal (dossier_editor_field_get_table (field), table) &&
          dossier_editor_field_get_id (field) == id &&
          (column == NULL || g_str_equal (dossier_editor_field_get_column (field), column)))
        return field;
    }

  return NULL;
}

void
dossier_editor_page_clear_fields (DossierEditorPage *self)
{
  DossierEditorPagePrivate *priv;

  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));

  priv = dossier_editor_page_get_instance_private (self);
  g_ptr_array_set_size (priv->fields, 0);
}

typedef struct
{
  DossierEditorPage *page;
  char              *key;
} ExpanderState;

static void
expander_state_free (ExpanderState *state)
{
  g_free (state->key);
  g_free (state);
}

static void
on_expanded_changed (AdwExpanderRow *row,
                     GParamSpec     *pspec,
                     ExpanderState  *state)
{
  DossierEditorPagePrivate *priv = dossier_editor_page_get_instance_private (state->page);

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (priv->expanded, g_strdup (state->key));
  else
    g_hash_table_remove (priv->expanded, state->key);
}

GtkWidget *
dossier_editor_page_expander_new (DossierEditorPage *self,
                                  const char        *table,
                                  gint64             id)
{
  DossierEditorPagePrivate *priv;
  ExpanderState *state;
  GtkWidget *row;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  state = g_new0 (ExpanderState, 1);
  state->page = self;
  state->key = expander_key (table, id);

  row = adw_expander_row_new ();
  /* Names and values are data, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), g_hash_table_contains (priv->expanded, state->key));
  g_signal_connect_data (row, "notify::expanded", G_CALLBACK (on_expanded_changed), state,
                         (GClosureNotify)(void (*) (void))expander_state_free, 0);

  return row;
}

void
dossier_editor_page_set_expanded (DossierEditorPage *self,
                                  const char        *table,
                                  gint64             id,
                                  gboolean           expanded)
{
  DossierEditorPagePrivate *priv;

  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));

  priv = dossier_editor_page_get_instance_private (self);
  if (expanded)
    g_hash_table_add (priv->expanded, expander_key (table, id));
  else
    {
      g_autofree char *key = expander_key (table, id);
      g_hash_table_remove (priv->expanded, key);
    }
}

void
dossier_editor_page_clear_box (GtkWidget *box)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (box) || GTK_IS_BOX (box));

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_LIST_BOX (box))
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

GtkWidget *
dossier_editor_page_placeholder_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property-row");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);

  return row;
}

GtkWidget *
dossier_editor_page_property_row_new (const char *name,
                                      const char *label,
                                      const char *value)
{
  const char *text = value != NULL && *value != '\0' ? value : _("Not recorded");
  g_autofree char *accessible = g_strdup_printf ("%s: %s", label, text);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *shown = gtk_label_new (text);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property-row");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption");
  gtk_widget_add_css_class (title, "dim-label");

  if (name != NULL)
    gtk_widget_set_name (shown, name);
  gtk_label_set_xalign (GTK_LABEL (shown), 0);
  gtk_label_set_wrap (GTK_LABEL (shown), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (shown), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (shown), TRUE);
  if (value == NULL || *value == '\0')
    gtk_widget_add_css_class (shown, "dim-label");

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), shown);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return row;
}

GtkWidget *
dossier_editor_page_button_row_new (const char *label,
                                    const char *icon_name,
                                    gboolean    destructive,
                                    GCallback   callback,
                                    gpointer    user_data)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon_name);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "flat");
  if (destructive)
    gtk_widget_add_css_class (button, "error");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_margin_start (button, 6);
  gtk_widget_set_margin_top (button, 6);
  gtk_widget_set_margin_bottom (button, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect (button, "clicked", callback, user_data);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), button);
  gtk_widget_add_css_class (row, "button-row");

  return row;
}

gint64
dossier_editor_page_fill_single (DossierEditorPage  *self,
                                 GtkWidget          *list,
                                 const char         *table,
                                 const char * const *columns,
                                 const char         *empty_text,
                                 const char         *add_label,
                                 GCallback           add,
                                 gpointer            add_data)
{
  DossierEditorPagePrivate *priv;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *row;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), 0);
  g_return_val_if_fail (GTK_IS_LIST_BOX (list), 0);

  priv = dossier_editor_page_get_instance_private (self);
  rows = dossier_store_list_rows (dossier_editor_session_get_store (priv->session), table, "dossier_id",
                                  dossier_editor_session_get_dossier_id (priv->session), &error);
  if (rows == NULL)
    {
      dossier_editor_page_report (self, error);
      return 0;
    }

  if (rows->len == 0)
    {
      gtk_list_box_append (GTK_LIST_BOX (list), dossier_editor_page_placeholder_new (empty_text));
      gtk_list_box_append (GTK_LIST_BOX (list),
                           dossier_editor_page_button_row_new (add_label, "list-add-symbolic", FALSE, add, add_data));
      return 0;
    }

  row = g_ptr_array_index (rows, 0);
  id = g_ascii_strtoll (g_hash_table_lookup (row, "id"), NULL, 10);
  for (guint i = 0; columns[i] != NULL; i++)
    dossier_editor_page_add_field (self, list, table, columns[i], id, row);

  return id;
}

const char *
dossier_editor_page_current_person (DossierEditorPage *self)
{
  DossierEditorPagePrivate *priv;
  DossierStore *store;
  const DossierUser *user;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  store = dossier_editor_session_get_store (priv->session);
  user = dossier_store_get_user (store);
  if (user != NULL && user->full_name != NULL)
    return user->full_name;
  return dossier_store_get_actor (store);
}

char *
dossier_editor_page_dossier_id_text (DossierEditorPage *self)
{
  DossierEditorPagePrivate *priv;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_PAGE (self), NULL);

  priv = dossier_editor_page_get_instance_private (self);
  return g_strdup_printf ("%" G_GINT64_FORMAT, dossier_editor_session_get_dossier_id (priv->session));
}

void
dossier_editor_page_report (DossierEditorPage *self,
                            const GError      *error)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));
  g_return_if_fail (error != NULL);

  dossier_editor_show_message (GTK_WIDGET (self), error->message);
}

/* Removing a record ---------------------------------------------------------------- */

typedef struct
{
  DossierEditorPage *page;
  char              *table;
  gint64             id;
} Removal;

static void
removal_free (Removal *removal)
{
  g_object_unref (removal->page);
  g_free (removal->table);
  g_free (removal);
}

static Removal *
removal_copy (Removal *removal)
{
  Removal *copy = g_new0 (Removal, 1);

  copy->page = g_object_ref (removal->page);
  copy->table = g_strdup (removal->table);
  copy->id = removal->id;
  return copy;
}

static gboolean
remove_with_parts (DossierEditorSession  *session,
                   const char            *table,
                   gint64                 id,
                   const char            *reason,
                   GError               **error)
{
  DossierStore *store = dossier_editor_session_get_store (session);

  if (!dossier_editor_session_begin (session, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(GPtrArray) children = NULL;

      if (!g_str_equal (parts[i].table, table))
        continue;

      children = dossier_store_list_rows (store, parts[i].child, parts[i].column, id, error);
      if (children == NULL)
        goto failed;

      for (guint j = 0; j < children->len; j++)
        {
          const char *child_id = g_hash_table_lookup (g_ptr_array_index (children, j), "id");

          if (!dossier_editor_session_delete (session, parts[i].child, g_ascii_strtoll (child_id, NULL, 10),
                                              reason, error))
            goto failed;
        }
    }

  if (!dossier_editor_session_delete (session, table, id, reason, error) ||
      !dossier_editor_session_commit (session, error))
    goto failed;

  return TRUE;

failed:
  dossier_editor_session_rollback (session);
  return FALSE;
}

static void do_remove (Removal    *removal,
                       const char *reason);

static void
on_removal_reason (const char *reason,
                   gpointer    user_data)
{
  if (reason != NULL)
    do_remove (user_data, reason);
}

static void
do_remove (Removal    *removal,
           const char *reason)
{
  DossierEditorSession *session = dossier_editor_page_get_session (removal->page);
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    return;

  if (remove_with_parts (session, removal->table, removal->id, reason, &error))
    {
      dossier_editor_page_reload (removal->page);
      return;
    }

  if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && reason == NULL)
    {
      dossier_editor_ask_reason (GTK_WIDGET (removal->page), error->message, on_removal_reason,
                                 removal_copy (removal), (GDestroyNotify)removal_free);
      return;
    }

  dossier_editor_page_report (removal->page, error);
}

static void
on_remove_confirmed (gboolean  confirmed,
                     gpointer  user_data)
{
  if (confirmed)
    do_remove (user_data, NULL);
}

void
dossier_editor_page_remove_record (DossierEditorPage *self,
                                   const char        *table,
                                   gint64             id,
                                   const char        *name)
{
  Removal *removal;
  g_autofree char *heading = NULL;

  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (self));
  g_return_if_fail (table != NULL);

  removal = g_new0 (Removal, 1);
  removal->page = g_object_ref (self);
  removal->table = g_strdup (table);
  removal->id = id;

  /* Translators: asked before removing a record, e.g. "Remove Design iteration “Version 2”?". */
  heading = g_strdup_printf (_("Remove %s?"), name);
  dossier_editor_confirm (GTK_WIDGET (self), heading,
                          _("It stays in the history. Undo (Ctrl+Z) brings it back."),
                          _("_Remove"), TRUE, on_remove_confirmed, removal, (GDestroyNotify)removal_free);
}
