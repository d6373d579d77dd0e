/* test-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-attachments"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <utime.h>

#include "dossier-store.h"
#include "dossier-test-util.h"

#define LARGE_SIZE (G_GUINT64_CONSTANT (1) << 30) + 1  /* 1 GiB and one byte */
#define RSS_LIMIT_KIB (64 * 1024)

typedef struct
{
  char         *dir;
  char         *path;
  char         *files;
  DossierStore *store;
  DtRows        rows;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = dt_make_tmpdir ();
  f->path = g_build_filename (f->dir, "attachments.db", NULL);
  f->store = dt_open (f->path);
  f->files = dossier_store_get_attachment_dir (f->store);
  dt_populate (f->store, &f->rows);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->files);
}

static gboolean
under_valgrind (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return preload != NULL && strstr (preload, "vgpreload") != NULL;
}

/* Regular files under dir: content files and, with temp_only, only the temporary
 * ones. */
static guint
count_files (const char *dir,
             gboolean    temp_only)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        n += count_files (child, temp_only);
      else if (!temp_only || g_str_has_prefix (name, ".incoming-"))
        n++;
    }

  return n;
}

static char *
content_path (Fixture    *f,
              const char *sha256)
{
  char sub[3] = { sha256[0], sha256[1], 0 };

  return g_build_filename (f->files, sub, sha256, NULL);
}

static GBytes *
read_attachment (Fixture *f,
                 gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = dossier_store_open_attachment (f->store, id, &error);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_no_error (error);
  g_assert_nonnull (in);
  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gint64
add_bytes (Fixture     *f,
           const char  *name,
           const char  *media_type,
           GBytes      *bytes,
           GError     **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);

  return dossier_store_add_attachment (f->store, f->rows.customized, "design", name, media_type,
                                       in, NULL, error);
}

static GBytes *
make_bytes (gsize   size,
            guint64 seed)
{
  g_autoptr(GInputStream) in = dt_random_stream_new (size, seed);
  guint8 *data = g_malloc (size + 1);
  gsize got = 0;

  g_assert_true (g_input_stream_read_all (in, data, size, &got, NULL, NULL));
  g_assert_cmpuint (got, ==, size);

  return g_bytes_new_take (data, size);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  /* Not a multiple of the store's buffer, and not text. */
  g_autoptr(GBytes) bytes = make_bytes (600001, 42);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *file = content_path (f, sha256);
  GStatBuf st;
  gint64 id;

  dossier_store_set_actor (f->store, "engineer.wang");
  id = add_bytes (f, "left-parietal-plate.stl", "model/stl", bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  row = dossier_store_get_row (f->store, "attachment", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (row, "sha256"), ==, sha256);
  g_assert_cmpstr (g_hash_table_lookup (row, "size"), ==, "600001");
  g_assert_cmpstr (g_hash_table_lookup (row, "original_name"), ==, "left-parietal-plate.stl");
  g_assert_cmpstr (g_hash_table_lookup (row, "media_type"), ==, "model/stl");
  g_assert_cmpstr (g_hash_table_lookup (row, "section"), ==, "design");
  g_assert_cmpstr (g_hash_table_lookup (row, "added_by"), ==, "engineer.wang");
  g_assert_nonnull (g_hash_table_lookup (row, "added_at"));

  /* The content sits where its hash says, and reads back byte for byte. */
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 600001);
  back = read_attachment (f, id);
  g_assert_true (g_bytes_equal (back, bytes));

  g_assert_cmpuint (count_files (f->files, TRUE), ==, 0);
  dt_assert_audit_clean (f->store);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *sha256 = NULL;
  gint64 id;

  id = add_bytes (f, "empty.txt", NULL, bytes, &error);
  g_assert_no_error (error);
  size = dt_row_value (f->store, "attachment", id, "size");
  sha256 = dt_row_value (f->store, "attachment", id, "sha256");
  g_assert_cmpstr (size, ==, "0");
  g_assert_cmpstr (sha256, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  back = read_attachment (f, id);
  g_assert_cmpuint (g_bytes_get_size (back), ==, 0);
}

/* Identical content is stored once, however many records refer to it. */
static void
test_deduplicate (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) bytes = make_bytes (300000, 7);
  g_autoptr(GBytes) other = make_bytes (300000, 8);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha_a = NULL;
  g_autofree char *sha_b = NULL;
  guint before = count_files (f->files, FALSE);
  gint64 a, b, c;

  a = add_bytes (f, "scan.dcm", NULL, bytes, &error);
  g_assert_no_error (error);
  b = add_bytes (f, "scan-copy.dcm", NULL, bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a, !=, b);
  sha_a = dt_row_value (f->store, "attachment", a, "sha256");
  sha_b = dt_row_value (f->store, "attachment", b, "sha256");
  g_assert_cmpstr (sha_a, ==, sha_b);
  g_assert_cmpuint (count_files (f->files, FALSE), ==, before + 1);

  c = add_bytes (f, "other.dcm", NULL, other, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c, >, 0);
  g_assert_cmpuint (count_files (f->files, FALSE), ==, before + 2);

  /* Removing one record leaves the content the other still needs. */
  g_assert_true (dossier_store_delete (f->store, "attachment", a, "Duplicate", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) back = read_attachment (f, b);
    g_assert_true (g_bytes_equal (back, bytes));
  }
  dt_assert_audit_clean (f->store);
}

static void
test_media_type (Fixture       *f,
                 gconstpointer  data)
{
  static const struct {
    const char *name;
    const char *content;
    const char *expected;   /* with the shared MIME database */
  } cases[] = {
    { "confirmation.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "application/pdf" },
    { "notes.txt", "Plain notes about the design review.\n", "text/plain" },
    { "photo.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png" },
    { "data.unknown-extension", "\x01\x02\x03\x04\xff\xfe\x00\x01", "application/octet-stream" },
  };
  gboolean have_database = g_file_test ("/usr/share/mime/mime.cache", G_FILE_TEST_EXISTS);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].content);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *type = NULL;
      gint64 id;

      /* The PNG signature has NUL bytes: count them in. */
      if (g_str_has_suffix (cases[i].name, ".png"))
        len = 16;
      else if (g_str_has_suffix (cases[i].name, ".unknown-extension"))
        len = 8;
      bytes = g_bytes_new_static (cases[i].content, len);

      id = add_bytes (f, cases[i].name, NULL, bytes, &error);
      g_assert_no_error (error);
      type = dt_row_value (f->store, "attachment", id, "media_type");
      g_test_message ("%s → %s", cases[i].name, type);
      g_assert_nonnull (type);
      g_assert_nonnull (strchr (type, '/'));
      if (have_database)
        g_assert_cmpstr (type, ==, cases[i].expected);
    }
}

static void
assert_nothing_left (Fixture *f,
                     gint64   rows_before,
                     gint64   audit_before)
{
  g_assert_cmpint (dossier_store_count (f->store, "attachment"), ==, rows_before);
  g_assert_cmpint (dt_query_int (f->store, "SELECT count(*) FROM audit_log"), ==, audit_before);
  g_assert_cmpuint (count_files (f->files, TRUE), ==, 0);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  gint64 rows_before = dossier_store_count (f->store, "attachment");
  gint64 audit_before = dt_query_int (f->store, "SELECT count(*) FROM audit_log");
  guint files_before = count_files (f->files, FALSE);

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GInputStream) in = dt_random_stream_new (100000, 1);
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancellable);
    g_assert_cmpint (dossier_store_add_attachment (f->store, f->rows.customized, "design", "a.bin", NULL,
                                                   in, cancellable, &error), ==, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    assert_nothing_left (f, rows_before, audit_before);
  }

  /* Cancelled half way through a big one. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GInputStream) in = dt_random_stream_new (20 * 1024 * 1024, 2);
    g_autoptr(GError) error = NULL;

    dt_random_stream_cancel_after (DT_RANDOM_STREAM (in), 5 * 1024 * 1024, cancellable);
    g_assert_cmpint (dossier_store_add_attachment (f->store, f->rows.customized, "design", "b.bin", NULL,
                                                   in, cancellable, &error), ==, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (dt_random_stream_get_produced (DT_RANDOM_STREAM (in)), <, 20 * 1024 * 1024);
    assert_nothing_left (f, rows_before, audit_before);
  }

  /* The source fails half way. */
  {
    g_autoptr(GInputStream) in = dt_random_stream_new (20 * 1024 * 1024, 3);
    g_autoptr(GError) error = NULL;

    dt_random_stream_fail_after (DT_RANDOM_STREAM (in), 3 * 1024 * 1024);
    g_assert_cmpint (dossier_store_add_attachment (f->store, f->rows.customized, "design", "c.bin", NULL,
                                                   in, NULL, &error), ==, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    assert_nothing_left (f, rows_before, audit_before);
  }

  g_assert_cmpuint (count_files (f->files, FALSE), ==, files_before);
}

/* The row cannot be inserted: no row and no temporary file.  The content file may
 * stay until the next open removes it as an orphan, because another row might share
 * it. */
static void
test_bad_row (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = make_bytes (4096, 11);
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GError) error = NULL;
  gint64 rows_before = dossier_store_count (f->store, "attachment");
  gint64 audit_before = dt_query_int (f->store, "SELECT count(*) FROM audit_log");

  g_assert_cmpint (dossier_store_add_attachment (f->store, 999, "design", "x.bin", NULL, in, NULL, &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Dossier"));
  g_assert_nonnull (strstr (error->message, "999"));
  assert_nothing_left (f, rows_before, audit_before);
  g_clear_error (&error);

  /* A section that is not one of the choices. */
  g_clear_object (&in);
  in = g_memory_input_stream_new_from_bytes (bytes);
  g_assert_cmpint (dossier_store_add_attachment (f->store, f->rows.customized, "misc", "x.bin", NULL, in, NULL,
                                                 &error), ==, 0);
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Section"));
  assert_nothing_left (f, rows_before, audit_before);

  dt_assert_audit_clean (f->store);
}

/* Verification notices content that went missing or changed size behind the
 * store's back. */
static void
test_verify_content (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) a = make_bytes (5000, 21);
  g_autoptr(GBytes) b = make_bytes (6000, 22);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *sha_a = NULL;
  g_autofree char *sha_b = NULL;
  g_autofree char *file_a = NULL;
  g_autofree char *file_b = NULL;
  DossierAuditProblem *p;
  gint64 id_a, id_b;

  id_a = add_bytes (f, "a.bin", NULL, a, &error);
  g_assert_no_error (error);
  id_b = add_bytes (f, "b.bin", NULL, b, &error);
  g_assert_no_error (error);
  dt_assert_audit_clean (f->store);

  sha_a = dt_row_value (f->store, "attachment", id_a, "sha256");
  sha_b = dt_row_value (f->store, "attachment", id_b, "sha256");
  file_a = content_path (f, sha_a);
  file_b = content_path (f, sha_b);
  g_assert_cmpint (g_unlink (file_a), ==, 0);
  g_file_set_contents (file_b, "short", -1, &error);
  g_assert_no_error (error);

  problems = dt_audit_problems (f->store);
  g_assert_cmpuint (problems->len, ==, 2);
  p = g_ptr_array_index (problems, 0);
  g_assert_cmpint (p->kind, ==, DOSSIER_AUDIT_PROBLEM_ATTACHMENT);
  g_assert_cmpstr (p->table_name, ==, "attachment");
  g_assert_cmpint (p->row_id, ==, id_a);
  g_assert_nonnull (strstr (p->message, "missing"));
  p = g_ptr_array_index (problems, 1);
  g_assert_cmpint (p->kind, ==, DOSSIER_AUDIT_PROBLEM_ATTACHMENT);
  g_assert_cmpint (p->row_id, ==, id_b);
  g_assert_nonnull (strstr (p->message, "6000"));
}

static void
make_old (const char *path,
          gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t)(g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *content)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, content, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Files no row refers to are removed on the next open once they are an hour old
 * (younger ones may belong to a transaction running in another process). */
static void
test_orphans (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *referenced_sha = dt_row_value (f->store, "attachment", f->rows.attachment, "sha256");
  g_autofree char *referenced = content_path (f, referenced_sha);
  g_autofree char *old_orphan = write_file (f->files, "ab/ab00000000000000000000000000000000000000000000000000000000000001", "old");
  g_autofree char *new_orphan = write_file (f->files, "ab/ab00000000000000000000000000000000000000000000000000000000000002", "new");
  g_autofree char *old_temp = write_file (f->files, ".incoming-Ab12Cd", "partial");
  g_autofree char *new_temp = write_file (f->files, ".incoming-Ef34Gh", "partial");
  g_autofree char *unrelated = write_file (f->files, "README", "not ours to remove");

  make_old (referenced, 2 * 3600);
  make_old (old_orphan, 2 * 3600);
  make_old (old_temp, 3600 + 60);
  make_old (new_orphan, 3600 - 120);
  make_old (unrelated, 5 * 3600);

  g_clear_object (&f->store);
  f->store = dt_open (f->path);

  g_assert_true (g_file_test (referenced, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_orphan, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (old_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_orphan, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_temp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));

  /* The referenced content still reads. */
  {
    g_autoptr(GBytes) back = read_attachment (f, f->rows.attachment);
    g_assert_cmpuint (g_bytes_get_size (back), >, 0);
  }
}

/* Content of any size streams through a fixed buffer. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  guint64 size = LARGE_SIZE;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_size = NULL;
  g_autofree char *stored_sha = NULL;
  g_autofree char *file = NULL;
  g_autofree char *expected_size = NULL;
  gint64 rss_before, rss_after, start, id;
  GStatBuf st;

  /* Under valgrind a gigabyte takes too long; the path is the same with less. */
  if (under_valgrind ())
    size = 32 * 1024 * 1024 + 1;

  rss_before = dt_peak_rss_kib ();
  start = g_get_monotonic_time ();

  in = dt_random_stream_new (size, 20261123);
  id = dossier_store_add_attachment (f->store, f->rows.matched, "design", "build-file.3mf", NULL,
                                     in, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  rss_after = dt_peak_rss_kib ();
  g_test_message ("%" G_GUINT64_FORMAT " bytes in %.1f s, peak RSS %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT " KiB",
                  size, (g_get_monotonic_time () - start) / 1e6, rss_before, rss_after);

  g_assert_cmpuint (dt_random_stream_get_produced (DT_RANDOM_STREAM (in)), ==, size);
  expected_size = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
  stored_size = dt_row_value (f->store, "attachment", id, "size");
  stored_sha = dt_row_value (f->store, "attachment", id, "sha256");
  g_assert_cmpstr (stored_size, ==, expected_size);
  g_assert_cmpstr (stored_sha, ==, dt_random_stream_get_sha256 (DT_RANDOM_STREAM (in)));

  file = content_path (f, stored_sha);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpuint ((guint64)st.st_size, ==, size);

  if (!under_valgrind ())
    {
      g_assert_cmpint (rss_before, >, 0);
      g_assert_cmpint (rss_after - rss_before, <, RSS_LIMIT_KIB);
    }

  /* The content file is the gigabyte: do not keep it longer than needed. */
  g_unlink (file);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/attachments/round-trip", test_round_trip);
  ADD ("/attachments/empty", test_empty);
  ADD ("/attachments/deduplicate", test_deduplicate);
  ADD ("/attachments/media-type", test_media_type);
  ADD ("/attachments/cancelled", test_cancelled);
  ADD ("/attachments/bad-row", test_bad_row);
  ADD ("/attachments/verify-content", test_verify_content);
  ADD ("/attachments/orphans", test_orphans);
  ADD ("/attachments/large", test_large);

#undef ADD

  return g_test_run ();
}
