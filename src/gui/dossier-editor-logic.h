/* dossier-editor-logic.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-history.h"

G_BEGIN_DECLS

/* What the dossier editor shows, computed from values only: no widgets and no
 * store here, so that every rule can be tested without a display. */

/* The workflow ---------------------------------------------------------------- */

/* The statuses a dossier may be moved to next from status, in the order the
 * status menu offers them (forward steps first, then going back, then
 * cancelling).  Empty for a closed or cancelled dossier and for an unknown
 * status.  NULL-terminated, static. */
const char * const *dossier_editor_next_statuses     (const char  *status);
/* Whether moving to status needs a confirmation (it cannot be taken back). */
gboolean            dossier_editor_status_is_final   (const char  *status);

/* Values ---------------------------------------------------------------------- */

/* Whether two stored values are the same; NULL and "" are. */
gboolean     dossier_editor_values_equal        (const char  *a,
                                                 const char  *b);

/* Whether a unit intended to stay body_days in the body is implantable, with the
 * threshold from the setting device.implantable_min_days.  FALSE when body_days
 * is not a number. */
gboolean     dossier_editor_is_implantable      (const char  *body_days,
                                                 gint64       min_days);
/* What the intended duration means, shown beside it: "Implantable",
 * "Not implantable", or NULL when no valid duration is recorded. */
const char  *dossier_editor_body_days_hint      (const char  *body_days,
                                                 gint64       min_days);

/* Timestamps are stored in ISO 8601 with their UTC offset and typed in local
 * time as "2026-03-02 14:05".  to_input() gives what an entry shows for a stored
 * value (NULL → ""); from_input() gives what to store for what was typed: ""
 * for empty text, the text itself when it already carries an offset or cannot
 * be read (the store's validation then names the problem). */
char        *dossier_editor_timestamp_to_input   (const char  *stored);
char        *dossier_editor_timestamp_from_input (const char  *text,
                                                  GTimeZone   *zone);

/* A parameter value is either a number (value, with a unit) or a category (text):
 * which column the typed text goes to.  Returns TRUE for a number. */
gboolean     dossier_editor_parameter_is_number (const char  *text);
/* How a parameter value row shows its value: the number or the category. */
const char  *dossier_editor_parameter_shown     (GHashTable  *parameter);

/* The next version number of a design: one more than the highest of iterations
 * (rows as from dossier_store_list_rows()), 1 for the first. */
gint64       dossier_editor_next_version        (GPtrArray   *iterations);
/* The next position of a processing step, likewise. */
gint64       dossier_editor_next_position       (GPtrArray   *steps);

/* The id of a row as from dossier_store_get_row(), 0 when absent. */
gint64       dossier_editor_row_id              (GHashTable  *row);
/* Today as YYYY-MM-DD, and now as ISO 8601 with the UTC offset, local time. */
char        *dossier_editor_today               (void);
char        *dossier_editor_now                 (void);

/* Attachments ----------------------------------------------------------------- */

/* The attachment section that files added while a page is shown belong to. */
const char  *dossier_editor_section_for_page    (const char  *page_name);
/* "PDF document · 1.2 MB" from an attachment row. */
char        *dossier_editor_attachment_summary  (GHashTable  *attachment);
/* "Added by zhang.wei on 2026-03-02 14:05" from an attachment row. */
char        *dossier_editor_attachment_added    (GHashTable  *attachment);
/* A file name that is safe to create in a folder of ours: the last path
 * component of original_name, without control characters; "attachment" when
 * nothing is left. */
char        *dossier_editor_safe_file_name      (const char  *original_name);
/* Where an attachment is copied to be opened with the default application:
 * <cache_dir>/dossier/open/<id>/<safe name>. */
char        *dossier_editor_open_path           (const char  *cache_dir,
                                                 gint64       attachment_id,
                                                 const char  *original_name);

/* Inspections ----------------------------------------------------------------- */

/* The style class of an inspection result badge: "success" for pass, "error" for
 * fail, "warning" for pending or anything else. */
const char  *dossier_editor_result_css_class    (const char  *result);

/* History --------------------------------------------------------------------- */

/* Gives the name of a referenced row ("李明" for clinician 3), or NULL to show
 * the id. */
typedef char *(*DossierEditorReferenceFunc) (const char *table,
                                             gint64      id,
                                             gpointer    user_data);

/* One readable entry of a dossier's audit trail. */
typedef struct
{
  gint64  seq;
  char   *day;      /* local calendar day, "2026-11-23" */
  char   *time;     /* local time, "15:04" */
  char   *text;     /* "15:04 · zhang.wei changed Condition from “…” to “…” — reason" */
  char   *tooltip;  /* the values in full when text shortened them, else NULL */
} DossierEditorHistoryItem;

void         dossier_editor_history_item_free   (DossierEditorHistoryItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierEditorHistoryItem, dossier_editor_history_item_free)

/* The entries (DossierAuditEntry, oldest first, as from
 * dossier_store_dossier_audit()) as sentences, newest first.  Field labels,
 * table labels and choice values are translated through the schema; the rows
 * entries are about are named from the copies that create and delete entries
 * carry; reference values are named by func when given. */
GPtrArray   *dossier_editor_history_build       (GPtrArray                  *entries,
                                                 DossierEditorReferenceFunc  func,
                                                 gpointer                    user_data);
/* The heading of a day of history: "Today", "Yesterday", or the date written out
 * for the locale.  today is "YYYY-MM-DD" (NULL: the local date now). */
char        *dossier_editor_history_day_heading (const char  *day,
                                                 const char  *today);

G_END_DECLS
