/* dossier-editor-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-session"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-session.h"
#include "dossier-schema.h"
#include "dossier-signature.h"

#define DEFAULT_IMPLANTABLE_MIN_DAYS 30

typedef struct
{
  char   *table;
  gint64  id;
} Pending;

struct _DossierEditorSession
{
  GObject            parent_instance;

  DossierStore      *store;
  gint64             dossier_id;
  DossierEditorUndo *undo;
  GHashTable        *dossier;
  gint64             implantable_min_days;

  guint              depth;
  GArray            *pending; /* of Pending: announced at the outermost commit */
};

G_DEFINE_FINAL_TYPE (DossierEditorSession, dossier_editor_session, G_TYPE_OBJECT)

enum {
  CHANGED,
  UNDONE,
  FLUSH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
dossier_editor_option_free (DossierEditorOption *option)
{
  if (option == NULL)
    return;

  g_free (option->value);
  g_free (option->label);
  g_free (option);
}

static void
pending_clear (Pending *pending)
{
  g_free (pending->table);
}

static void
reread_dossier (DossierEditorSession *self)
{
  g_autoptr(GError) error = NULL;
  GHashTable *row = dossier_store_get_row (self->store, "dossier", self->dossier_id, &error);

  /* Keep the last good copy: a passing read error must not empty the editor. */
  if (row == NULL)
    {
      g_warning ("Could not read dossier %" G_GINT64_FORMAT ": %s", self->dossier_id, error->message);
      return;
    }

  g_clear_pointer (&self->dossier, g_hash_table_unref);
  self->dossier = row;
}

static void
announce (DossierEditorSession *self,
          const char           *table,
          gint64                id)
{
  if (self->depth > 0)
    {
      Pending pending = { g_strdup (table), id };

      g_array_append_val (self->pending, pending);
      return;
    }

  /* Every change touches the dossier row (its updated time, perhaps its status). */
  reread_dossier (self);
  g_signal_emit (self, signals[CHANGED], 0, table, id);
}

static void
dossier_editor_session_finalize (GObject *object)
{
  DossierEditorSession *self = (DossierEditorSession *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->undo);
  g_clear_pointer (&self->dossier, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);

  G_OBJECT_CLASS (dossier_editor_session_parent_class)->finalize (object);
}

static void
dossier_editor_session_class_init (DossierEditorSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dossier_editor_session_finalize;

  /**
   * DossierEditorSession::changed:
   * @table: the table written
   * @id: the row written (0 when several)
   *
   * A write of the editor was committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  /**
   * DossierEditorSession::undone:
   *
   * A group of changes was undone; what shows them must be read again.
   */
  signals[UNDONE] =
    g_signal_new ("undone",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * DossierEditorSession::flush:
   *
   * Fields with unsaved typing commit it now.
   */
  signals[FLUSH] =
    g_signal_new ("flush",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dossier_editor_session_init (DossierEditorSession *self)
{
  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, (GDestroyNotify)pending_clear);
  self->implantable_min_days = DEFAULT_IMPLANTABLE_MIN_DAYS;
}

DossierEditorSession *
dossier_editor_session_new (DossierStore      *store,
                            gint64             dossier_id,
                            DossierEditorUndo *undo)
{
  DossierEditorSession *self;
  g_autofree char *min_days = NULL;
  gint64 value;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (dossier_id > 0, NULL);
  g_return_val_if_fail (undo == NULL || DOSSIER_IS_EDITOR_UNDO (undo), NULL);

  self = g_object_new (DOSSIER_TYPE_EDITOR_SESSION, NULL);
  self->store = g_object_ref (store);
  self->dossier_id = dossier_id;
  self->undo = undo != NULL ? g_object_ref (undo) : dossier_editor_undo_new ();

  /* The threshold is configurable data (DOMAIN.md), read once per dossier shown. */
  min_days = dossier_store_get_setting (store, "device.implantable_min_days");
  if (min_days != NULL && g_ascii_string_to_signed (min_days, 10, 0, G_MAXINT32, &value, NULL))
    self->implantable_min_days = value;

  reread_dossier (self);
  if (self->dossier == NULL)
    self->dossier = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

DossierStore *
dossier_editor_session_get_store (DossierEditorSession *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);

  return self->store;
}

gint64
dossier_editor_session_get_dossier_id (DossierEditorSession *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), 0);

  return self->dossier_id;
}

DossierEditorUndo *
dossier_editor_session_get_undo (DossierEditorSession *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);

  return self->undo;
}

GHashTable *
dossier_editor_session_get_dossier (DossierEditorSession *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);

  return self->dossier;
}

const char *
dossier_editor_session_get_value (DossierEditorSession *self,
                                  const char           *column)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);

  return g_hash_table_lookup (self->dossier, column);
}

gint64
dossier_editor_session_get_id_value (DossierEditorSession *self,
                                     const char           *column)
{
  const char *value = dossier_editor_session_get_value (self, column);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gint64
dossier_editor_session_get_implantable_min_days (DossierEditorSession *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), DEFAULT_IMPLANTABLE_MIN_DAYS);

  return self->implantable_min_days;
}

/* Writes ----------------------------------------------------------------------- */

gboolean
dossier_editor_session_update (DossierEditorSession  *self,
                               const char            *table,
                               gint64                 id,
                               const DossierField    *fields,
                               const char            *reason,
                               GError               **error)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), FALSE);
  g_return_val_if_fail (table != NULL && fields != NULL, FALSE);

  before = dossier_store_get_row (self->store, table, id, error);
  if (before == NULL)
    return FALSE;

  if (!dossier_store_update (self->store, table, id, fields, reason, error))
    return FALSE;

  /* What the store kept (normalised), not what was typed, is what undo restores
   * and compares against. */
  after = dossier_store_get_row (self->store, table, id, NULL);
  if (after != NULL)
    {
      dossier_editor_undo_begin_group (self->undo);
      for (const DossierField *f = fields; f->column != NULL; f++)
        dossier_editor_undo_record_update (self->undo, table, id, f->column,
                                           g_hash_table_lookup (before, f->column),
                                           g_hash_table_lookup (after, f->column));
      dossier_editor_undo_end_group (self->undo);
    }

  announce (self, table, id);
  return TRUE;
}

gint64
dossier_editor_session_insert (DossierEditorSession  *self,
                               const char            *table,
                               const DossierField    *fields,
                               const char            *reason,
                               GError               **error)
{
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), 0);
  g_return_val_if_fail (table != NULL && fields != NULL, 0);

  if (reason != NULL)
    id = dossier_store_insert_with_reason (self->store, table, fields, reason, error);
  else
    id = dossier_store_insert (self->store, table, fields, error);

  if (id <= 0)
    return 0;

  dossier_editor_undo_record_insert (self->undo, table, id);
  announce (self, table, id);
  return id;
}

/* Rows the store makes itself (attachments) cannot be made again from a copy. */
static gboolean
can_reinsert (const char *table)
{
  const DossierTable *t = dossier_schema_lookup_table (table);

  if (t == NULL)
    return FALSE;

  for (const DossierColumn *c = t->columns; c->name != NULL; c++)
    if ((c->flags & DOSSIER_COLUMN_GENERATED) && (c->flags & DOSSIER_COLUMN_REQUIRED))
      return FALSE;

  return TRUE;
}

gboolean
dossier_editor_session_delete (DossierEditorSession  *self,
                               const char            *table,
                               gint64                 id,
                               const char            *reason,
                               GError               **error)
{
  g_autoptr(GHashTable) before = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  before = dossier_store_get_row (self->store, table, id, error);
  if (before == NULL)
    return FALSE;

  if (!dossier_store_delete (self->store, table, id, reason, error))
    return FALSE;

  if (can_reinsert (table))
    dossier_editor_undo_record_delete (self->undo, table, id, before);

  announce (self, table, id);
  return TRUE;
}

gboolean
dossier_editor_session_begin (DossierEditorSession  *self,
                              GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), FALSE);

  if (!dossier_store_begin (self->store, error))
    return FALSE;

  self->depth++;
  dossier_editor_undo_begin_group (self->undo);
  return TRUE;
}

static void
announce_pending (DossierEditorSession *self)
{
  g_autoptr(GArray) pending = g_steal_pointer (&self->pending);

  self->pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (self->pending, (GDestroyNotify)pending_clear);

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      announce (self, p->table, p->id);
    }
}

gboolean
dossier_editor_session_commit (DossierEditorSession  *self,
                               GError               **error)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!dossier_store_commit (self->store, error))
    return FALSE;

  self->depth--;
  dossier_editor_undo_end_group (self->undo);
  if (self->depth == 0)
    announce_pending (self);

  return TRUE;
}

void
dossier_editor_session_rollback (DossierEditorSession *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_SESSION (self));
  g_return_if_fail (self->depth > 0);

  dossier_store_rollback (self->store);
  self->depth--;
  dossier_editor_undo_cancel_group (self->undo);
  if (self->depth == 0)
    g_array_set_size (self->pending, 0);
}

void
dossier_editor_session_notify_changed (DossierEditorSession *self,
                                       const char           *table,
                                       gint64                id)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_SESSION (self));
  g_return_if_fail (table != NULL);

  announce (self, table, id);
}

gboolean
dossier_editor_session_undo (DossierEditorSession  *self,
                             GError               **error)
{
  g_auto(GStrv) tables = NULL;
  gboolean ok;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  ok = dossier_editor_undo_apply (self->undo, self->store, &tables, error);
  if (!ok)
    return FALSE;

  for (guint i = 0; tables[i] != NULL; i++)
    announce (self, tables[i], 0);
  g_signal_emit (self, signals[UNDONE], 0);

  return TRUE;
}

void
dossier_editor_session_flush (DossierEditorSession *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_SESSION (self));

  g_signal_emit (self, signals[FLUSH], 0);
}

/* References --------------------------------------------------------------------- */

static const char *
text_of (GHashTable *row,
         const char *column)
{
  const char *value = row != NULL ? g_hash_table_lookup (row, column) : NULL;

  return value != NULL ? value : "";
}

static char *
join_nonempty (const char *first,
               const char *second)
{
  if (*second == '\0')
    return g_strdup (first);
  if (*first == '\0')
    return g_strdup (second);
  /* Translators: two parts of a name, e.g. "李明 · 骨科". */
  return g_strdup_printf (_("%s · %s"), first, second);
}

static char *
label_of_row (DossierEditorSession *self,
              const char           *table,
              GHashTable           *row)
{
  if (g_str_equal (table, "clinician"))
    return join_nonempty (text_of (row, "name_zh"), text_of (row, "department"));
  if (g_str_equal (table, "institution") || g_str_equal (table, "product"))
    return g_strdup (text_of (row, "name_zh"));
  if (g_str_equal (table, "patient"))
    return g_strdup (text_of (row, "code"));
  if (g_str_equal (table, "filing"))
    return join_nonempty (text_of (row, "device_name"), text_of (row, "number"));
  if (g_str_equal (table, "product_model"))
    {
      const char *product_id = g_hash_table_lookup (row, "product_id");
      g_autoptr(GHashTable) product = NULL;

      if (product_id != NULL)
        product = dossier_store_get_row (self->store, "product", g_ascii_strtoll (product_id, NULL, 10), NULL);
      return join_nonempty (text_of (product, "name_zh"), text_of (row, "code"));
    }
  if (g_str_equal (table, "design_iteration"))
    return g_strdup_printf (_("Version %s"), text_of (row, "version"));
  if (g_str_equal (table, "attachment"))
    return g_strdup (text_of (row, "original_name"));
  if (g_str_equal (table, "material_lot"))
    return join_nonempty (text_of (row, "material"), text_of (row, "lot_no"));
  if (g_str_equal (table, "processing_step"))
    /* Translators: a processing step, its number and kind: "2. Printing". */
    return g_strdup_printf (_("%s. %s"), text_of (row, "position"), text_of (row, "step_type"));
  if (g_str_equal (table, "user_account"))
    return g_strdup (text_of (row, "full_name"));

  return g_strdup_printf ("#%s", text_of (row, "id"));
}

char *
dossier_editor_session_reference_label (DossierEditorSession *self,
                                        const char           *ref_table,
                                        gint64                id)
{
  g_autoptr(GHashTable) row = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);
  g_return_val_if_fail (ref_table != NULL, NULL);

  if (id <= 0 || dossier_schema_lookup_table (ref_table) == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id);

  row = dossier_store_get_row (self->store, ref_table, id, NULL);
  if (row == NULL)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, id);

  return label_of_row (self, ref_table, row);
}

static void
add_option (GPtrArray  *options,
            const char *value,
            char       *label)
{
  DossierEditorOption *option = g_new0 (DossierEditorOption, 1);

  option->value = g_strdup (value);
  option->label = label;
  g_ptr_array_add (options, option);
}

static gboolean
has_option (GPtrArray  *options,
            const char *value)
{
  for (guint i = 0; i < options->len; i++)
    if (g_strcmp0 (((DossierEditorOption *)g_ptr_array_index (options, i))->value, value) == 0)
      return TRUE;

  return FALSE;
}

static void
add_rows (DossierEditorSession *self,
          GPtrArray            *options,
          const char           *ref_table,
          GPtrArray            *rows,
          gboolean              active_only,
          const char           *current)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      const char *id = g_hash_table_lookup (row, "id");
      const char *active = g_hash_table_lookup (row, "active");

      /* An inactive row stays only where it is already chosen. */
      if (active_only && g_strcmp0 (active, "0") == 0 && g_strcmp0 (id, current) != 0)
        continue;
      if (id == NULL || has_option (options, id))
        continue;

      add_option (options, id, label_of_row (self, ref_table, row));
    }
}

GPtrArray *
dossier_editor_session_reference_options (DossierEditorSession *self,
                                          const char           *table,
                                          const char           *column,
                                          const char           *current)
{
  const DossierTable *t;
  const DossierColumn *c;
  GPtrArray *options;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_SESSION (self), NULL);
  g_return_val_if_fail (table != NULL && column != NULL, NULL);

  options = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_editor_option_free);
  t = dossier_schema_lookup_table (table);
  c = t != NULL ? dossier_schema_lookup_column (t, column) : NULL;
  if (c == NULL || c->kind != DOSSIER_COLUMN_REFERENCE)
    return options;

  if (g_str_equal (c->ref_table, "clinician"))
    {
      rows = dossier_store_list_rows (self->store, "clinician", "institution_id",
                                      dossier_editor_session_get_id_value (self, "institution_id"), NULL);
      add_rows (self, options, "clinician", rows, TRUE, current);
    }
  else if (g_str_equal (c->ref_table, "design_iteration") || g_str_equal (c->ref_table, "attachment"))
    {
      rows = dossier_store_list_rows (self->store, c->ref_table, "dossier_id", self->dossier_id, NULL);
      add_rows (self, options, c->ref_table, rows, FALSE, current);
    }
  else if (g_str_equal (c->ref_table, "material_lot"))
    {
      g_autoptr(GPtrArray) steps = dossier_store_list_rows (self->store, "processing_step", "dossier_id",
                                                            self->dossier_id, NULL);

      for (guint i = 0; steps != NULL && i < steps->len; i++)
        {
          const char *step_id = g_hash_table_lookup (g_ptr_array_index (steps, i), "id");
          g_autoptr(GPtrArray) used = dossier_store_list_rows (self->store, "step_material", "step_id",
                                                               g_ascii_strtoll (step_id, NULL, 10), NULL);

          for (guint j = 0; used != NULL && j < used->len; j++)
            {
              const char *lot_id = g_hash_table_lookup (g_ptr_array_index (used, j), "lot_id");

              if (lot_id != NULL && !has_option (options, lot_id))
                add_option (options, lot_id,
                            dossier_editor_session_reference_label (self, "material_lot",
                                                                    g_ascii_strtoll (lot_id, NULL, 10)));
            }
        }
    }

  if (current != NULL && *current != '\0' && !has_option (options, current))
    add_option (options, current,
                dossier_editor_session_reference_label (self, c->ref_table, g_ascii_strtoll (current, NULL, 10)));

  return options;
}
