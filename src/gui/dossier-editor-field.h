/* dossier-editor-field.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-editor-session.h"
#include "dossier-schema.h"

G_BEGIN_DECLS

/* One column of one row, as an input built from its schema description:
 *
 *   text             AdwEntryRow; long text (more than 200 characters allowed): a
 *                    wrapping text view in a row
 *   date             AdwEntryRow with YYYY-MM-DD and a calendar popover
 *   timestamp        AdwEntryRow with local "YYYY-MM-DD HH:MM"
 *   integer, decimal AdwEntryRow with a numeric keyboard
 *   choice           AdwComboRow of the translated labels
 *   reference        AdwComboRow of the referenced rows' names
 *   boolean          AdwActionRow with a GtkSwitch
 *   immutable, generated or read-only: the label and the value as text
 *
 * Editing a row (id > 0), the field commits through the session when the person
 * leaves it or presses Enter (entries), or at once (combos, switches, a date
 * picked).  When the store refuses, the row gets the "error" style class and the
 * store's message appears below it; what was typed stays, and nothing was
 * written.  A draft field (id 0) belongs to a record not yet made: it only
 * checks the value on leaving and gives it with get_value().
 *
 * The field owns its widgets; whoever holds the field places them. */

#define DOSSIER_TYPE_EDITOR_FIELD (dossier_editor_field_get_type ())
G_DECLARE_FINAL_TYPE (DossierEditorField, dossier_editor_field, DOSSIER, EDITOR_FIELD, GObject)

/* Writes value (what get_value() gives) for the field, with reason (NULL unless
 * the store asked for one); on success it calls dossier_editor_field_set_value()
 * with what was stored.  The default writes the one column through the session. */
typedef gboolean (*DossierEditorCommitFunc) (DossierEditorField  *field,
                                             const char          *value,
                                             const char          *reason,
                                             gpointer             user_data,
                                             GError             **error);

typedef enum
{
  DOSSIER_EDITOR_FIELD_ROW,      /* a list row, with a message row below */
  DOSSIER_EDITOR_FIELD_COMPACT,  /* a bare entry, for tables of values */
} DossierEditorFieldStyle;

DossierEditorField *dossier_editor_field_new            (DossierEditorSession    *session,
                                                         const char              *table,
                                                         const char              *column,
                                                         gint64                   id,
                                                         const char              *value,
                                                         DossierEditorFieldStyle  style);

const char         *dossier_editor_field_get_table      (DossierEditorField      *self);
const char         *dossier_editor_field_get_column     (DossierEditorField      *self);
gint64              dossier_editor_field_get_id         (DossierEditorField      *self);
const DossierColumn *dossier_editor_field_get_schema    (DossierEditorField      *self);

/* The input (a row, or an entry for COMPACT), named "<table>.<column>". */
GtkWidget          *dossier_editor_field_get_widget     (DossierEditorField      *self);
/* The row that shows the error message below a ROW field (hidden while there is
 * none); NULL for COMPACT fields, which place get_message_label() themselves. */
GtkWidget          *dossier_editor_field_get_message_row   (DossierEditorField   *self);
GtkWidget          *dossier_editor_field_get_message_label (DossierEditorField   *self);
/* Appends the widget and its message row to an AdwExpanderRow or a GtkListBox
 * (a boxed list in an AdwPreferencesGroup). */
void                dossier_editor_field_add_to         (DossierEditorField      *self,
                                                         GtkWidget               *container);

/* The stored value, shown and taken as committed; clears the error. */
void                dossier_editor_field_set_value      (DossierEditorField      *self,
                                                         const char              *value);
const char         *dossier_editor_field_get_committed  (DossierEditorField      *self);
/* What the input holds now, as the store takes it ("" for nothing). */
char               *dossier_editor_field_get_value      (DossierEditorField      *self);
/* Whether the input holds something other than the committed value. */
gboolean            dossier_editor_field_is_modified    (DossierEditorField      *self);

void                dossier_editor_field_set_error      (DossierEditorField      *self,
                                                         const char              *message);
const char         *dossier_editor_field_get_error      (DossierEditorField      *self);
/* Draft fields: checks the value with the schema and marks the field; returns
 * whether it is valid. */
gboolean            dossier_editor_field_check          (DossierEditorField      *self);

void                dossier_editor_field_set_title      (DossierEditorField      *self,
                                                         const char              *title);
/* A short dim note at the end of the row, e.g. "Implantable"; NULL hides it. */
void                dossier_editor_field_set_hint       (DossierEditorField      *self,
                                                         const char              *hint);
void                dossier_editor_field_set_commit_func (DossierEditorField     *self,
                                                          DossierEditorCommitFunc func,
                                                          gpointer               user_data);

/* Commits what was typed, now (edit mode; nothing when unchanged). */
void                dossier_editor_field_commit         (DossierEditorField      *self);

G_END_DECLS
