/* dossier-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* Helpers shared by the core store tests: scratch folders, stores that must open,
 * the sqlite3 command-line tool for changes made behind the store's back, and a
 * database with a row in every table. */

#define DT_SQLITE3 "/usr/bin/sqlite3"

/* The ids of the rows dt_populate() creates. */
typedef struct
{
  gint64 manufacturer;
  gint64 site;
  gint64 institution;
  gint64 institution2;
  gint64 clinician;
  gint64 clinician2;
  gint64 patient;
  gint64 patient2;
  gint64 filing;
  gint64 product;
  gint64 model;
  gint64 customized;
  gint64 matched;
  gint64 design_input;
  gint64 iteration;
  gint64 parameter;
  gint64 confirmation;
  gint64 lot;
  gint64 step;
  gint64 step_material;
  gint64 inspection;
  gint64 release;
  gint64 delivery;
  gint64 use_record;
  gint64 adverse_event;
  gint64 attachment;
} DtRows;

char         *dt_make_tmpdir         (void);
void          dt_remove_tree         (const char   *path);

DossierStore *dt_open                (const char   *path);
gint64        dt_insert              (DossierStore *store,
                                      const char   *table,
                                      const DossierField *fields);
void          dt_update              (DossierStore *store,
                                      const char   *table,
                                      gint64        id,
                                      const DossierField *fields,
                                      const char   *reason);
gint64        dt_query_int           (DossierStore *store,
                                      const char   *sql);
char         *dt_query_text          (DossierStore *store,
                                      const char   *sql);
char         *dt_row_value           (DossierStore *store,
                                      const char   *table,
                                      gint64        id,
                                      const char   *column);

/* Fills a new store with a small, valid record of every kind. */
void          dt_populate            (DossierStore *store,
                                      DtRows       *rows);

/* The problems dossier_store_audit_verify() finds (asserting that it could run). */
GPtrArray    *dt_audit_problems      (DossierStore *store);
void          dt_assert_audit_clean  (DossierStore *store);
/* The first problem of that kind (and, when seq > 0, of that entry), or NULL. */
DossierAuditProblem *dt_find_problem (GPtrArray    *problems,
                                      DossierAuditProblemKind kind,
                                      gint64        seq);

/* Runs the sqlite3 tool on db with the given SQL; returns whether it succeeded and
 * its trimmed output. */
gboolean      dt_sqlite3             (const char   *db,
                                      const char   *sql,
                                      char        **out,
                                      char        **err);
char         *dt_sqlite3_ok          (const char   *db,
                                      const char   *sql);

/* What a file looks like from outside: content, modification time, and the SQLite
 * side files beside it. */
typedef struct _DtSnapshot DtSnapshot;

DtSnapshot   *dt_snapshot_take       (const char   *path);
void          dt_snapshot_assert_same (DtSnapshot  *snapshot);
void          dt_snapshot_free       (DtSnapshot   *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtSnapshot, dt_snapshot_free)

void          dt_assert_no_side_files (const char  *path);
void          dt_copy_file           (const char   *from,
                                      const char   *to);

/* Peak resident set size of this process in KiB (VmHWM). */
gint64        dt_peak_rss_kib        (void);

/* A stream of size pseudo-random bytes made from seed as they are read, so that any
 * size can be produced without holding it in memory; it computes the SHA-256 of
 * what it gave out. */
#define DT_TYPE_RANDOM_STREAM (dt_random_stream_get_type ())
G_DECLARE_FINAL_TYPE (DtRandomStream, dt_random_stream, DT, RANDOM_STREAM, GInputStream)

GInputStream *dt_random_stream_new   (guint64       size,
                                      guint64       seed);
guint64       dt_random_stream_get_produced (DtRandomStream *self);
const char   *dt_random_stream_get_sha256   (DtRandomStream *self);
/* Cancels cancellable once that many bytes were read, or fails every read after
 * that many bytes, as a source that goes away would. */
void          dt_random_stream_cancel_after (DtRandomStream *self,
                                             guint64         bytes,
                                             GCancellable   *cancellable);
void          dt_random_stream_fail_after   (DtRandomStream *self,
                                             guint64         bytes);

G_END_DECLS
