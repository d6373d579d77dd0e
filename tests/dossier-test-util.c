/* dossier-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "dossier-test-util.h"

char *
dt_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("dossier-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
dt_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (path == NULL || g_lstat (path, &st) != 0)
    return;

  if (!S_ISDIR (st.st_mode))
    {
      g_unlink (path);
      return;
    }

  /* A test may leave a folder read-only; make it removable again. */
  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      dt_remove_tree (child);
    }
  g_rmdir (path);
}

DossierStore *
dt_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  DossierStore *store = dossier_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

gint64
dt_insert (DossierStore       *store,
           const char         *table,
           const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (store, table, fields, &error);

  if (error != NULL)
    g_error ("inserting into %s: %s", table, error->message);
  g_assert_cmpint (id, >, 0);
  return id;
}

void
dt_update (DossierStore       *store,
           const char         *table,
           gint64              id,
           const DossierField *fields,
           const char         *reason)
{
  g_autoptr(GError) error = NULL;

  if (!dossier_store_update (store, table, id, fields, reason, &error))
    g_error ("updating %s %" G_GINT64_FORMAT ": %s", table, id,
             error != NULL ? error->message : "(no error)");
}

gint64
dt_query_int (DossierStore *store,
              const char   *sql)
{
  sqlite3 *db = dossier_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return value;
}

char *
dt_query_text (DossierStore *store,
               const char   *sql)
{
  sqlite3 *db = dossier_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  return value;
}

char *
dt_row_value (DossierStore *store,
              const char   *table,
              gint64        id,
              const char   *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = dossier_store_get_row (store, table, id, &error);

  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (row, column));
}

void
dt_populate (DossierStore *store,
             DtRows       *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) content = NULL;
  char buf[12][32];
  static const char attachment_text[] = "Design requirements, signed by the clinician.\n";

#define ID(i, v) (g_snprintf (buf[i], sizeof buf[i], "%" G_GINT64_FORMAT, (v)), buf[i])

  r->manufacturer = dt_insert (store, "manufacturer", (DossierField[]) {
    { "name_zh", "深圳定制医疗器械有限公司" },
    { "name_en", "Shenzhen Custom Devices Co., Ltd." },
    { "uscc", "91440300MA5F00001A" },
    { "production_licence", "粤药监械生产许20200001号" },
    { NULL } });
  r->site = dt_insert (store, "manufacturing_site", (DossierField[]) {
    { "manufacturer_id", ID (0, r->manufacturer) },
    { "name", "Nanshan plant" },
    { NULL } });
  r->institution = dt_insert (store, "institution", (DossierField[]) {
    { "name_zh", "中山大学附属第一医院" },
    { "name_en", "First Affiliated Hospital, Sun Yat-sen University" },
    { "practising_licence", "PDY00001X44010415A1002" },
    { "province_code", "440000" },
    { NULL } });
  r->institution2 = dt_insert (store, "institution", (DossierField[]) {
    { "name_zh", "北京协和医院" },
    { "practising_licence", "12345678" },
    { "province_code", "110000" },
    { NULL } });
  r->clinician = dt_insert (store, "clinician", (DossierField[]) {
    { "institution_id", ID (0, r->institution) },
    { "name_zh", "王医生" },
    { "certificate_no", "110440000123456" },
    { NULL } });
  r->clinician2 = dt_insert (store, "clinician", (DossierField[]) {
    { "institution_id", ID (0, r->institution2) },
    { "name_zh", "李医生" },
    { "certificate_no", "000000000000001" },
    { NULL } });
  r->patient = dt_insert (store, "patient", (DossierField[]) {
    { "code", "P-2026-0001" },
    { "sex", "female" },
    { "birth_year", "1968" },
    { NULL } });
  r->patient2 = dt_insert (store, "patient", (DossierField[]) {
    { "code", "P-2026-0002" },
    { "sex", "male" },
    { NULL } });
  r->filing = dt_insert (store, "filing", (DossierField[]) {
    { "number", "粤械定制备20200001号" },
    { "province_code", "440000" },
    { "filed_on", "2020-03-01" },
    { "status", "filed" },
    { "institution_id", ID (0, r->institution) },
    { "device_name", "定制式颅骨修补板" },
    { "case_threshold", "50" },
    { NULL } });
  r->product = dt_insert (store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" },
    { "device_class", "3" },
    { "name_zh", "下颌骨假体" },
    { NULL } });
  r->model = dt_insert (store, "product_model", (DossierField[]) {
    { "product_id", ID (0, r->product) },
    { "code", "MP-01" },
    { NULL } });

  r->customized = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "customized" },
    { "institution_id", ID (0, r->institution) },
    { "clinician_id", ID (1, r->clinician) },
    { "patient_id", ID (2, r->patient) },
    { "filing_id", ID (3, r->filing) },
    { "ordered_on", "2026-01-15" },
    { "condition", "Left parietal bone defect" },
    { NULL } }, NULL, &error);
  g_assert_no_error (error);
  r->matched = dossier_store_create_dossier (store, (DossierField[]) {
    { "kind", "patient-matched" },
    { "institution_id", ID (0, r->institution2) },
    { "clinician_id", ID (1, r->clinician2) },
    { "patient_id", ID (2, r->patient2) },
    { "model_id", ID (3, r->model) },
    { NULL } }, NULL, &error);
  g_assert_no_error (error);

  r->design_input = dt_insert (store, "design_input", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "title", "CT scan 0.6 mm" },
    { NULL } });
  r->iteration = dt_insert (store, "design_iteration", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "version", "1" },
    { "designed_on", "2026-01-20" },
    { "designer", "Zhang San" },
    { NULL } });
  r->parameter = dt_insert (store, "parameter_value", (DossierField[]) {
    { "iteration_id", ID (0, r->iteration) },
    { "name", "thickness" },
    { "value", "2.50" },
    { "unit", "mm" },
    { NULL } });
  r->confirmation = dt_insert (store, "design_confirmation", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "iteration_id", ID (1, r->iteration) },
    { "clinician_id", ID (2, r->clinician) },
    { "confirmed_on", "2026-01-22" },
    { "document_no", "DC-2026-001" },
    { NULL } });
  r->lot = dt_insert (store, "material_lot", (DossierField[]) {
    { "material", "Ti-6Al-4V ELI powder" },
    { "lot_no", "L2026-007" },
    { NULL } });
  r->step = dt_insert (store, "processing_step", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "position", "1" },
    { "step_type", "Laser powder bed fusion" },
    { "started_at", "2026-01-25T09:00:00+08:00" },
    { "ended_at", "2026-01-25T17:30:00+08:00" },
    { NULL } });
  r->step_material = dt_insert (store, "step_material", (DossierField[]) {
    { "step_id", ID (0, r->step) },
    { "lot_id", ID (1, r->lot) },
    { "quantity", "120 g" },
    { NULL } });
  r->inspection = dt_insert (store, "inspection", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "item", "Thickness" },
    { "result", "pass" },
    { NULL } });
  r->release = dt_insert (store, "release", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "released_by", "QA Li" },
    { "released_at", "2026-01-28T10:00:00+08:00" },
    { NULL } });
  r->delivery = dt_insert (store, "delivery", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "delivered_on", "2026-01-29" },
    { NULL } });
  r->use_record = dt_insert (store, "use_record", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "outcome", "used" },
    { "surgery_on", "2026-02-02" },
    { NULL } });
  r->adverse_event = dt_insert (store, "adverse_event", (DossierField[]) {
    { "dossier_id", ID (0, r->customized) },
    { "occurred_on", "2026-02-10" },
    { "severity", "other" },
    { "description", "Mild swelling, resolved" },
    { NULL } });

  content = g_memory_input_stream_new_from_data (attachment_text, sizeof attachment_text - 1, NULL);
  r->attachment = dossier_store_add_attachment (store, r->customized, "order", "requirements.txt",
                                                "text/plain", content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->attachment, >, 0);

#undef ID
}

GPtrArray *
dt_audit_problems (DossierStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_problem_free);

  g_assert_true (dossier_store_audit_verify (store, problems, &error));
  g_assert_no_error (error);

  if (g_test_verbose ())
    for (guint i = 0; i < problems->len; i++)
      {
        DossierAuditProblem *p = g_ptr_array_index (problems, i);
        g_test_message ("audit problem %d (seq %" G_GINT64_FORMAT "): %s", p->kind, p->seq, p->message);
      }

  return g_steal_pointer (&problems);
}

void
dt_assert_audit_clean (DossierStore *store)
{
  g_autoptr(GPtrArray) problems = dt_audit_problems (store);

  if (problems->len > 0)
    {
      DossierAuditProblem *p = g_ptr_array_index (problems, 0);
      g_error ("the audit trail should verify, found %u problems, the first: %s",
               problems->len, p->message);
    }
}

DossierAuditProblem *
dt_find_problem (GPtrArray               *problems,
                 DossierAuditProblemKind  kind,
                 gint64                   seq)
{
  for (guint i = 0; i < problems->len; i++)
    {
      DossierAuditProblem *p = g_ptr_array_index (problems, i);

      if (p->kind == kind && (seq <= 0 || p->seq == seq))
        return p;
    }

  return NULL;
}

gboolean
dt_sqlite3 (const char  *db,
            const char  *sql,
            char       **out,
            char       **err)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *argv[] = { DT_SQLITE3, "-batch", "-bail", db, sql, NULL };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &stdout_text, &stderr_text, &status, &error))
    g_error ("cannot run %s: %s", DT_SQLITE3, error->message);

  if (out != NULL)
    *out = g_strdup (g_strstrip (stdout_text));
  if (err != NULL)
    *err = g_strdup (g_strstrip (stderr_text));

  return g_spawn_check_wait_status (status, NULL);
}

char *
dt_sqlite3_ok (const char *db,
               const char *sql)
{
  g_autofree char *err = NULL;
  char *out = NULL;

  if (!dt_sqlite3 (db, sql, &out, &err))
    g_error ("sqlite3 %s “%s” failed: %s", db, sql, err);

  return out;
}

struct _DtSnapshot
{
  char     *path;
  gboolean  exists;
  gboolean  is_dir;
  GBytes   *content;
  gint64    mtime_ns;
  gboolean  side[3];
};

static const char *side_suffixes[] = { "-wal", "-shm", "-journal" };

static gboolean
side_file_exists (const char *path,
                  guint       i)
{
  g_autofree char *side = g_strconcat (path, side_suffixes[i], NULL);

  return g_file_test (side, G_FILE_TEST_EXISTS);
}

DtSnapshot *
dt_snapshot_take (const char *path)
{
  DtSnapshot *s = g_new0 (DtSnapshot, 1);
  struct stat st;

  s->path = g_strdup (path);
  s->exists = stat (path, &st) == 0;
  if (s->exists)
    {
      s->is_dir = S_ISDIR (st.st_mode);
      s->mtime_ns = (gint64)st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
      if (!s->is_dir)
        {
          g_autoptr(GError) error = NULL;
          char *data = NULL;
          gsize len = 0;

          g_file_get_contents (path, &data, &len, &error);
          g_assert_no_error (error);
          s->content = g_bytes_new_take (data, len);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (side_suffixes); i++)
    s->side[i] = side_file_exists (path, i);

  return s;
}

void
dt_snapshot_assert_same (DtSnapshot *s)
{
  g_autoptr(DtSnapshot) now = dt_snapshot_take (s->path);

  g_assert_cmpint (now->exists, ==, s->exists);
  g_assert_cmpint (now->is_dir, ==, s->is_dir);
  g_assert_cmpint (now->mtime_ns, ==, s->mtime_ns);
  if (s->content != NULL)
    {
      g_assert_nonnull (now->content);
      g_assert_cmpmem (g_bytes_get_data (now->content, NULL), g_bytes_get_size (now->content),
                       g_bytes_get_data (s->content, NULL), g_bytes_get_size (s->content));
    }
  for (guint i = 0; i < G_N_ELEMENTS (side_suffixes); i++)
    if (now->side[i] != s->side[i])
      g_error ("%s%s was %s", s->path, side_suffixes[i], now->side[i] ? "left behind" : "removed");
}

void
dt_snapshot_free (DtSnapshot *s)
{
  if (s == NULL)
    return;
  g_free (s->path);
  g_clear_pointer (&s->content, g_bytes_unref);
  g_free (s);
}

void
dt_assert_no_side_files (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (side_suffixes); i++)
    if (side_file_exists (path, i))
      g_error ("%s%s was left behind", path, side_suffixes[i]);
}

void
dt_copy_file (const char *from,
              const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, data, len, &error);
  g_assert_no_error (error);
}

gint64
dt_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

/* DtRandomStream -------------------------------------------------------------- */

struct _DtRandomStream
{
  GInputStream  parent_instance;

  guint64       size;
  guint64       produced;
  guint64       state;
  guint64       word;
  guint64       cancel_after;
  guint64       fail_after;
  GCancellable *cancellable;
  GChecksum    *checksum;
  char         *sha256;
};

G_DEFINE_FINAL_TYPE (DtRandomStream, dt_random_stream, G_TYPE_INPUT_STREAM)

/* splitmix64: fast, and the same bytes for the same seed on every machine. */
static inline guint64
next_random (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static gssize
dt_random_stream_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  DtRandomStream *self = DT_RANDOM_STREAM (stream);
  guint8 *out = buffer;
  gsize n;
  gsize i;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  if (self->fail_after > 0 && self->produced >= self->fail_after)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The source went away");
      return -1;
    }

  n = (gsize)MIN ((guint64)count, self->size - self->produced);

  /* Made in whole 8-byte words, so that the byte sequence does not depend on how
   * the reader splits its reads: first the rest of the current word, then whole
   * words, then the start of the next one. */
  i = 0;
  while (i < n && (self->produced + i) % 8 != 0)
    {
      out[i] = ((const guint8 *)&self->word)[(self->produced + i) % 8];
      i++;
    }
  while (n - i >= 8)
    {
      guint64 word = next_random (&self->state);

      memcpy (out + i, &word, 8);
      i += 8;
    }
  if (i < n)
    {
      self->word = next_random (&self->state);
      for (guint k = 0; i < n; k++, i++)
        out[i] = ((const guint8 *)&self->word)[k];
    }

  if (n == 0)
    return 0;

  g_checksum_update (self->checksum, out, n);
  self->produced += n;
  if (self->cancel_after > 0 && self->produced >= self->cancel_after && self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->produced == self->size && self->sha256 == NULL)
    self->sha256 = g_strdup (g_checksum_get_string (self->checksum));

  return n;
}

static void
dt_random_stream_finalize (GObject *object)
{
  DtRandomStream *self = DT_RANDOM_STREAM (object);

  g_clear_pointer (&self->checksum, g_checksum_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sha256, g_free);

  G_OBJECT_CLASS (dt_random_stream_parent_class)->finalize (object);
}

static void
dt_random_stream_class_init (DtRandomStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = dt_random_stream_finalize;
  stream_class->read_fn = dt_random_stream_read;
}

static void
dt_random_stream_init (DtRandomStream *self)
{
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
}

GInputStream *
dt_random_stream_new (guint64 size,
                      guint64 seed)
{
  DtRandomStream *self = g_object_new (DT_TYPE_RANDOM_STREAM, NULL);

  self->size = size;
  self->state = seed;
  if (size == 0)
    self->sha256 = g_strdup (g_checksum_get_string (self->checksum));

  return G_INPUT_STREAM (self);
}

guint64
dt_random_stream_get_produced (DtRandomStream *self)
{
  return self->produced;
}

const char *
dt_random_stream_get_sha256 (DtRandomStream *self)
{
  return self->sha256;
}

void
dt_random_stream_cancel_after (DtRandomStream *self,
                               guint64         bytes,
                               GCancellable   *cancellable)
{
  self->cancel_after = bytes;
  g_set_object (&self->cancellable, cancellable);
}

void
dt_random_stream_fail_after (DtRandomStream *self,
                             guint64         bytes)
{
  self->fail_after = bytes;
}
