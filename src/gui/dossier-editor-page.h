/* dossier-editor-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "dossier-editor-field.h"
#include "dossier-editor-session.h"

G_BEGIN_DECLS

/* What every page of the dossier editor shares: the session it edits, the fields
 * it shows (dropped when it is built again), which of its expandable rows are
 * open (kept across rebuilds), and building again after an undo. */

#define DOSSIER_TYPE_EDITOR_PAGE (dossier_editor_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (DossierEditorPage, dossier_editor_page, DOSSIER, EDITOR_PAGE, GtkWidget)

struct _DossierEditorPageClass
{
  GtkWidgetClass parent_class;

  /* Builds the page from the session (NULL: empty it). */
  void (*reload)  (DossierEditorPage *self);
  /* A committed change (see DossierEditorSession::changed): titles and hints that
   * depend on it are brought up to date; the default does nothing. */
  void (*changed) (DossierEditorPage *self,
                   const char        *table,
                   gint64             id);
};

DossierEditorSession *dossier_editor_page_get_session (DossierEditorPage    *self);
void                  dossier_editor_page_set_session (DossierEditorPage    *self,
                                                       DossierEditorSession *session);
void                  dossier_editor_page_reload      (DossierEditorPage    *self);

/* For subclasses --------------------------------------------------------------- */

/* A field shown on the page (kept until the next reload). */
DossierEditorField   *dossier_editor_page_add_field   (DossierEditorPage    *self,
                                                       GtkWidget            *container,
                                                       const char           *table,
                                                       const char           *column,
                                                       gint64                id,
                                                       GHashTable           *row);
void                  dossier_editor_page_keep_field  (DossierEditorPage    *self,
                                                       DossierEditorField   *field);
/* The fields of one row, or of a column of it. */
DossierEditorField   *dossier_editor_page_find_field  (DossierEditorPage    *self,
                                                       const char           *table,
                                                       gint64                id,
                                                       const char           *column);
void                  dossier_editor_page_clear_fields (DossierEditorPage   *self);

/* An expander row that remembers whether it was open across rebuilds. */
GtkWidget            *dossier_editor_page_expander_new (DossierEditorPage   *self,
                                                        const char          *table,
                                                        gint64               id);
void                  dossier_editor_page_set_expanded (DossierEditorPage   *self,
                                                        const char          *table,
                                                        gint64               id,
                                                        gboolean             expanded);

/* Removes every child of a GtkListBox or GtkBox. */
void                  dossier_editor_page_clear_box    (GtkWidget           *box);
/* A non-activatable row with a dim sentence, for empty lists. */
GtkWidget            *dossier_editor_page_placeholder_new (const char       *text);
/* A labelled read-only value, the label small above it; the value label is
 * named name. */
GtkWidget            *dossier_editor_page_property_row_new (const char      *name,
                                                            const char      *label,
                                                            const char      *value);
/* A row with one flat button, for "Remove …" and "Add …" inside lists; the
 * button's accessible label is label; callback is connected to its "clicked"
 * (it gets the button, and user_data). */
GtkWidget            *dossier_editor_page_button_row_new (const char        *label,
                                                          const char        *icon_name,
                                                          gboolean           destructive,
                                                          GCallback          callback,
                                                          gpointer           user_data);
/* Fills list with the one row of table that belongs to the dossier (the release,
 * the delivery, the use record): its columns as fields; or, while there is none,
 * empty_text and a button (add_label) that calls add with add_data.  Returns
 * the row's id, 0 when there is none. */
gint64                dossier_editor_page_fill_single  (DossierEditorPage   *self,
                                                        GtkWidget           *list,
                                                        const char          *table,
                                                        const char * const  *columns,
                                                        const char          *empty_text,
                                                        const char          *add_label,
                                                        GCallback            add,
                                                        gpointer             add_data);
/* Who is working: the signed-in person's full name, else the actor (the
 * operating-system user on a database without accounts). */
const char           *dossier_editor_page_current_person (DossierEditorPage *self);
/* The dossier's id as text, for the dossier_id of new rows. */
char                 *dossier_editor_page_dossier_id_text (DossierEditorPage *self);
/* Reports a failure of the store in the editor's toast. */
void                  dossier_editor_page_report       (DossierEditorPage   *self,
                                                        const GError        *error);

/* Removes table/id (with reason "Removed in the editor" or the one asked for
 * when signed content needs it) after asking; reloads the page when done. */
void                  dossier_editor_page_remove_record (DossierEditorPage  *self,
                                                         const char         *table,
                                                         gint64              id,
                                                         const char         *name);

G_END_DECLS
