/* dossier-editor-undo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-undo"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-undo.h"
#include "dossier-schema.h"
#include "dossier-signature.h"

typedef enum
{
  CHANGE_UPDATE,
  CHANGE_INSERT,
  CHANGE_DELETE,
} ChangeKind;

typedef struct
{
  ChangeKind  kind;
  char       *table;
  gint64      id;
  char       *column;    /* update */
  char       *old_value; /* update */
  char       *new_value; /* update */
  GHashTable *row;       /* delete: the row as it was */
} Change;

struct _DossierEditorUndo
{
  GObject     parent_instance;

  GPtrArray  *groups;  /* of GPtrArray of Change, oldest first */
  GPtrArray  *open;    /* the group being recorded, or NULL */
  guint       depth;
};

G_DEFINE_FINAL_TYPE (DossierEditorUndo, dossier_editor_undo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
change_free (Change *change)
{
  g_free (change->table);
  g_free (change->column);
  g_free (change->old_value);
  g_free (change->new_value);
  g_clear_pointer (&change->row, g_hash_table_unref);
  g_free (change);
}

static GPtrArray *
group_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)change_free);
}

static void
set_groups_changed (DossierEditorUndo *self,
                    gboolean           could)
{
  if (could != dossier_editor_undo_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

static void
add_change (DossierEditorUndo *self,
            Change            *change)
{
  gboolean could = dossier_editor_undo_can_undo (self);

  if (self->open != NULL)
    {
      g_ptr_array_add (self->open, change);
      return;
    }

  {
    GPtrArray *group = group_new ();

    g_ptr_array_add (group, change);
    g_ptr_array_add (self->groups, group);
  }

  while (self->groups->len > DOSSIER_EDITOR_UNDO_MAX_GROUPS)
    g_ptr_array_remove_index (self->groups, 0);

  set_groups_changed (self, could);
}

static void
dossier_editor_undo_finalize (GObject *object)
{
  DossierEditorUndo *self = (DossierEditorUndo *)object;

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->open, g_ptr_array_unref);

  G_OBJECT_CLASS (dossier_editor_undo_parent_class)->finalize (object);
}

static void
dossier_editor_undo_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DossierEditorUndo *self = DOSSIER_EDITOR_UNDO (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, dossier_editor_undo_can_undo (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_editor_undo_class_init (DossierEditorUndoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_editor_undo_finalize;
  object_class->get_property = dossier_editor_undo_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_editor_undo_init (DossierEditorUndo *self)
{
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
}

DossierEditorUndo *
dossier_editor_undo_new (void)
{
  return g_object_new (DOSSIER_TYPE_EDITOR_UNDO, NULL);
}

gboolean
dossier_editor_undo_can_undo (DossierEditorUndo *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_UNDO (self), FALSE);

  return self->groups->len > 0;
}

guint
dossier_editor_undo_get_n_groups (DossierEditorUndo *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_UNDO (self), 0);

  return self->groups->len;
}

void
dossier_editor_undo_clear (DossierEditorUndo *self)
{
  gboolean could;

  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));

  could = dossier_editor_undo_can_undo (self);
  g_ptr_array_set_size (self->groups, 0);
  g_clear_pointer (&self->open, g_ptr_array_unref);
  self->depth = 0;
  set_groups_changed (self, could);
}

void
dossier_editor_undo_begin_group (DossierEditorUndo *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));

  if (self->depth++ == 0)
    self->open = group_new ();
}

void
dossier_editor_undo_end_group (DossierEditorUndo *self)
{
  g_autoptr(GPtrArray) group = NULL;
  gboolean could;

  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    return;

  group = g_steal_pointer (&self->open);
  if (group->len == 0)
    return;

  could = dossier_editor_undo_can_undo (self);
  g_ptr_array_add (self->groups, g_steal_pointer (&group));
  while (self->groups->len > DOSSIER_EDITOR_UNDO_MAX_GROUPS)
    g_ptr_array_remove_index (self->groups, 0);
  set_groups_changed (self, could);
}

void
dossier_editor_undo_cancel_group (DossierEditorUndo *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (self->depth > 0);

  /* A rolled-back savepoint takes the whole open group with it: the outer
   * transaction is rolled back too by every caller in the editor. */
  if (self->open != NULL)
    g_ptr_array_set_size (self->open, 0);

  if (--self->depth == 0)
    g_clear_pointer (&self->open, g_ptr_array_unref);
}

void
dossier_editor_undo_record_update (DossierEditorUndo *self,
                                   const char        *table,
                                   gint64             id,
                                   const char        *column,
                                   const char        *old_value,
                                   const char        *new_value)
{
  Change *change;

  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (table != NULL && column != NULL);

  if (g_strcmp0 (old_value, new_value) == 0)
    return;

  change = g_new0 (Change, 1);
  change->kind = CHANGE_UPDATE;
  change->table = g_strdup (table);
  change->id = id;
  change->column = g_strdup (column);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  add_change (self, change);
}

void
dossier_editor_undo_record_insert (DossierEditorUndo *self,
                                   const char        *table,
                                   gint64             id)
{
  Change *change;

  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (table != NULL);

  change = g_new0 (Change, 1);
  change->kind = CHANGE_INSERT;
  change->table = g_strdup (table);
  change->id = id;
  add_change (self, change);
}

void
dossier_editor_undo_record_delete (DossierEditorUndo *self,
                                   const char        *table,
                                   gint64             id,
                                   GHashTable        *row)
{
  Change *change;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (table != NULL);
  g_return_if_fail (row != NULL);

  change = g_new0 (Change, 1);
  change->kind = CHANGE_DELETE;
  change->table = g_strdup (table);
  change->id = id;
  change->row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_iter_init (&iter, row);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (change->row, g_strdup (key), g_strdup (value));

  add_change (self, change);
}

char *
dossier_editor_undo_describe (DossierEditorUndo *self)
{
  GPtrArray *group;
  Change *change;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_UNDO (self), NULL);

  if (self->groups->len == 0)
    return NULL;

  group = g_ptr_array_index (self->groups, self->groups->len - 1);
  /* The first change of a group is the one the person made; the rest follow. */
  change = g_ptr_array_index (group, 0);

  switch (change->kind)
    {
    case CHANGE_UPDATE:
      /* Translators: the undo button's tooltip, e.g. "Undo Change of Condition". */
      return g_strdup_printf (_("Undo Change of %s"), dossier_schema_column_label (change->table, change->column));
    case CHANGE_INSERT:
      /* Translators: e.g. "Undo Adding Design iteration". */
      return g_strdup_printf (_("Undo Adding %s"), dossier_schema_table_label (change->table));
    case CHANGE_DELETE:
    default:
      /* Translators: e.g. "Undo Removing Parameter value". */
      return g_strdup_printf (_("Undo Removing %s"), dossier_schema_table_label (change->table));
    }
}

static gboolean
is_reference_to (const char *table,
                 const char *column,
                 const char *ref_table)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *c = t != NULL ? dossier_schema_lookup_column (t, column) : NULL;

  return c != NULL && c->kind == DOSSIER_COLUMN_REFERENCE && g_strcmp0 (c->ref_table, ref_table) == 0;
}

static void
remap_value (char       **value,
             const char  *old_text,
             const char  *new_text)
{
  if (*value != NULL && g_str_equal (*value, old_text))
    {
      g_free (*value);
      *value = g_strdup (new_text);
    }
}

static void
remap_group (GPtrArray  *group,
             const char *table,
             gint64      old_id,
             gint64      new_id)
{
  g_autofree char *old_text = g_strdup_printf ("%" G_GINT64_FORMAT, old_id);
  g_autofree char *new_text = g_strdup_printf ("%" G_GINT64_FORMAT, new_id);

  for (guint i = 0; i < group->len; i++)
    {
      Change *change = g_ptr_array_index (group, i);

      if (g_str_equal (change->table, table) && change->id == old_id)
        change->id = new_id;

      if (change->kind == CHANGE_UPDATE && is_reference_to (change->table, change->column, table))
        {
          remap_value (&change->old_value, old_text, new_text);
          remap_value (&change->new_value, old_text, new_text);
        }

      if (change->row != NULL)
        {
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, change->row);
          while (g_hash_table_iter_next (&iter, &key, &value))
            if (is_reference_to (change->table, key, table) && g_strcmp0 (value, old_text) == 0)
              g_hash_table_iter_replace (&iter, g_strdup (new_text));
        }
    }
}

void
dossier_editor_undo_remap (DossierEditorUndo *self,
                           const char        *table,
                           gint64             old_id,
                           gint64             new_id)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_UNDO (self));
  g_return_if_fail (table != NULL);

  for (guint i = 0; i < self->groups->len; i++)
    remap_group (g_ptr_array_index (self->groups, i), table, old_id, new_id);
  if (self->open != NULL)
    remap_group (self->open, table, old_id, new_id);
}

/* Applying ----------------------------------------------------------------------- */

static gboolean
undo_update (DossierStore  *store,
             Change        *change,
             GError       **error)
{
  g_autoptr(GHashTable) row = dossier_store_get_row (store, change->table, change->id, error);
  const char *label;

  if (row == NULL)
    return FALSE;

  /* Someone (another window, another process) changed it again since: writing
   * the old value back would silently drop their change. */
  if (g_strcmp0 (g_hash_table_lookup (row, change->column), change->new_value) != 0)
    {
      label = dossier_schema_column_label (change->table, change->column);
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
                   _("%s was changed again since, so the change was not undone."), label);
      return FALSE;
    }

  {
    const DossierField fields[] = {
      { change->column, change->old_value },
      { NULL }
    };

    return dossier_store_update (store, change->table, change->id, fields, _("Undo"), error);
  }
}

static gint64
undo_delete (DossierStore  *store,
             Change        *change,
             GError       **error)
{
  const DossierTable *table = dossier_schema_lookup_table (change->table);
  g_autoptr(GArray) fields = g_array_new (TRUE, TRUE, sizeof (DossierField));

  if (table == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "Unknown table “%s”", change->table);
      return 0;
    }

  /* Everything the store lets a person set; what it generates it makes again. */
  for (const DossierColumn *c = table->columns; c->name != NULL; c++)
    {
      DossierField field;

      if (c->flags & DOSSIER_COLUMN_GENERATED)
        continue;
      if (!g_hash_table_contains (change->row, c->name))
        continue;

      field.column = c->name;
      field.value = g_hash_table_lookup (change->row, c->name);
      g_array_append_val (fields, field);
    }

  return dossier_store_insert_with_reason (store, change->table, (const DossierField *)(gpointer)fields->data,
                                           _("Undo"), error);
}

static void
add_table (GPtrArray  *tables,
           const char *table)
{
  for (guint i = 0; i < tables->len; i++)
    if (g_str_equal (g_ptr_array_index (tables, i), table))
      return;

  g_ptr_array_add (tables, g_strdup (table));
}

gboolean
dossier_editor_undo_apply (DossierEditorUndo  *self,
                           DossierStore       *store,
                           GStrv              *tables,
                           GError            **error)
{
  g_autoptr(GPtrArray) group = NULL;
  g_autoptr(GPtrArray) touched = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean could;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_UNDO (self), FALSE);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (self->groups->len == 0)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                           _("There is nothing to undo."));
      return FALSE;
    }

  could = dossier_editor_undo_can_undo (self);
  group = g_ptr_array_steal_index (self->groups, self->groups->len - 1);
  touched = g_ptr_array_new_with_free_func (g_free);

  if (!dossier_store_begin (store, &local_error))
    goto failed;

  for (guint i = group->len; i > 0; i--)
    {
      Change *change = g_ptr_array_index (group, i - 1);
      gboolean ok = FALSE;

      switch (change->kind)
        {
        case CHANGE_UPDATE:
          ok = undo_update (store, change, &local_error);
          break;

        case CHANGE_INSERT:
          ok = dossier_store_delete (store, change->table, change->id, _("Undo"), &local_error);
          break;

        case CHANGE_DELETE:
          {
            gint64 id = undo_delete (store, change, &local_error);

            ok = id > 0;
            /* The rest of this group, and older groups, refer to the row by its old
             * id; they are undone against the new one. */
            if (ok && id != change->id)
              {
                gint64 old_id = change->id;

                remap_group (group, change->table, old_id, id);
                dossier_editor_undo_remap (self, change->table, old_id, id);
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (!ok)
        {
          dossier_store_rollback (store);
          goto failed;
        }

      add_table (touched, change->table);
    }

  if (!dossier_store_commit (store, &local_error))
    {
      dossier_store_rollback (store);
      goto failed;
    }

  if (tables != NULL)
    {
      g_ptr_array_add (touched, NULL);
      *tables = (GStrv)g_ptr_array_free (g_steal_pointer (&touched), FALSE);
    }

  set_groups_changed (self, could);
  return TRUE;

failed:
  /* A passing problem keeps the group for another try. */
  if (g_error_matches (local_error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_LOCKED) ||
      g_error_matches (local_error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED))
    g_ptr_array_add (self->groups, g_steal_pointer (&group));

  set_groups_changed (self, could);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
