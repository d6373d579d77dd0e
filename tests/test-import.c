/* test-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-demo.h"
#include "dossier-export.h"
#include "dossier-history.h"
#include "dossier-import.h"
#include "dossier-json.h"
#include "dossier-signature.h"
#include "dossier-test-util.h"

/* Import of filing packages: the whole demo with attachments and a signature goes
 * through export → import into an empty database → export again byte for byte; a
 * second import adds nothing; conflicting, tampered and cancelled imports write
 * nothing; the audit trail and the signatures verify afterwards. */

#define STAMP "2026-12-01T09:00:00+08:00"

typedef struct
{
  char         *dir;
  DossierStore *source;
  DossierStore *target;
  char         *package;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL, .generated_at = STAMP };
  gint64 id1, id8;

  f->dir = dt_make_tmpdir ();
  db = g_build_filename (f->dir, "source.db", NULL);
  f->source = dt_open (db);
  g_assert_true (dossier_demo_seed (f->source, 0, NULL, &error));
  g_assert_no_error (error);

  /* The demo has accounts, so writes need somebody signed in. */
  g_assert_true (dossier_store_sign_in (f->source, "zhang.wei", "zhang.wei-demo", &error));
  g_assert_no_error (error);

  /* Attachments, one of them (larger than a copy chunk) shared by two dossiers; the
   * designs are signed, so adding to them takes a reason. */
  for (guint i = 0; i < 300000; i++)
    g_string_append_c (big, (char)('a' + (i * 7919) % 26));
  id1 = dossier_store_lookup_id (f->source, "dossier", "unit_no", "DSR-2026-000001", &error);
  g_assert_no_error (error);
  id8 = dossier_store_lookup_id (f->source, "dossier", "unit_no", "DSR-2026-000008", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (big->str, big->len), big->len, g_free);

      g_assert_cmpint (dossier_store_add_attachment_with_reason (f->source, i == 0 ? id1 : id8, "design", "设计图纸.stl",
                                                                 "model/stl", in, "archived design file", NULL, &error), >, 0);
      g_assert_no_error (error);
    }

  /* A signature, by an account the target does not have. */
  g_assert_true (dossier_store_sign_in (f->source, "admin", "admin-demo", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_auth_create_user (f->source, "qa.test", "测试员",
                                             DOSSIER_ROLE_ADMINISTRATOR | DOSSIER_ROLE_QA_REVIEWER,
                                             "qa.test-password", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (dossier_store_sign_in (f->source, "qa.test", "qa.test-password", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_signature_sign (f->source,
                                           dossier_store_lookup_id (f->source, "dossier", "unit_no", "DSR-2026-000006", NULL),
                                           DOSSIER_SIGN_POINT_PROCESSING_REVIEW, "qa.test-password", "看过了", &error), >, 0);
  g_assert_no_error (error);

  /* One stored rule check. */
  {
    g_autoptr(DossierCheckReport) report = dossier_check_dossier (f->source, id1, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (report);
  }

  f->package = g_build_filename (f->dir, "package", NULL);
  g_assert_true (dossier_export_package (f->source, &options, f->package, NULL, NULL, &error));
  g_assert_no_error (error);

  target = g_build_filename (f->dir, "target.db", NULL);
  f->target = dt_open (target);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->source);
  g_clear_object (&f->target);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->package);
}

/* Every file under root, relative, sorted. */
static void
list_files (const char *root,
            const char *rel,
            GPtrArray  *files)
{
  g_autofree char *path = rel != NULL ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = rel != NULL ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        list_files (root, child, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *)a, *(char * const *)b);
}

static void
assert_same_packages (const char *a,
                      const char *b)
{
  g_autoptr(GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

  list_files (a, NULL, fa);
  list_files (b, NULL, fb);
  g_ptr_array_sort (fa, compare_strings);
  g_ptr_array_sort (fb, compare_strings);
  g_assert_cmpuint (fa->len, ==, fb->len);
  for (guint i = 0; i < fa->len; i++)
    {
      g_autofree char *pa = g_build_filename (a, g_ptr_array_index (fa, i), NULL);
      g_autofree char *pb = g_build_filename (b, g_ptr_array_index (fb, i), NULL);
      g_autofree char *ca = NULL;
      g_autofree char *cb = NULL;
      gsize la = 0, lb = 0;

      g_assert_cmpstr (g_ptr_array_index (fa, i), ==, g_ptr_array_index (fb, i));
      g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
      if (la != lb || memcmp (ca, cb, la) != 0)
        g_error ("%s differs after the round trip", (const char *)g_ptr_array_index (fa, i));
    }
}

static void
import_ok (Fixture              *f,
           DossierImportSummary *summary)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_import_package (f->target, f->package, NULL, summary, NULL, &error));
  g_assert_no_error (error);
}

static char *
export_target (Fixture    *f,
               const char *name,
               const char *stamp)
{
  g_autoptr(GError) error = NULL;
  char *out = g_build_filename (f->dir, name, NULL);
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL, .generated_at = stamp };

  g_assert_true (dossier_export_package (f->target, &options, out, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

/* The signatures' verdicts, one line each. */
static char *
signature_verdicts (DossierStore *store)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_signature_problem_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_checked = 0;

  g_assert_true (dossier_signature_verify (store, NULL, 0, problems, &n_checked, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_checked, >=, 1);
  g_string_append_printf (text, "%u checked\n", n_checked);
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (text, "%s\n", ((DossierSignatureProblem *)g_ptr_array_index (problems, i))->message);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Every signature is judged as in the database the package came from: valid ones
 * still hold, the ones the attachments above made no longer valid are shown so, with
 * the same changes, and none looks tampered with. */
static void
assert_signatures_hold (Fixture *f)
{
  g_autofree char *source = signature_verdicts (f->source);
  g_autofree char *target = signature_verdicts (f->target);

  g_assert_cmpstr (target, ==, source);
  g_assert_null (strstr (target, "outside Dossier"));
  g_assert_nonnull (strstr (target, "No longer valid"));
}

/* Every dossier's record as JSON, one document. */
static char *
all_records (DossierStore *store)
{
  g_autoptr(GString) s = g_string_new (NULL);
  gint64 n = dt_query_int (store, "SELECT max (id) FROM dossier");

  for (gint64 id = 1; id <= n; id++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = dossier_json_dossier_record (store, id, &error);
      g_autofree char *text = NULL;

      if (node == NULL)
        continue;
      text = dossier_json_to_string (node, FALSE);
      g_string_append (s, text);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  DossierImportSummary summary = { 0 };
  g_autofree char *again = NULL;
  g_autofree char *derived_source = NULL;
  g_autofree char *derived_target = NULL;
  g_autoptr(DossierUser) signer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  import_ok (f, &summary);
  g_test_message ("Imported 12 dossiers in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (summary.n_dossiers, ==, 12);
  g_assert_cmpuint (summary.n_added, ==, 12);
  g_assert_cmpuint (summary.n_present, ==, 0);
  g_assert_cmpuint (summary.n_attachments, ==, 2);
  g_assert_cmpuint (summary.n_renumbered, ==, 0);
  g_assert_cmpint (summary.import_id, >, 0);
  g_assert_cmpuint (strlen (summary.package_id), ==, 64);

  /* The same bytes, with the time stamp given and derived. */
  again = export_target (f, "again", STAMP);
  assert_same_packages (f->package, again);
  {
    g_autofree char *src = g_build_filename (f->dir, "derived-source", NULL);
    DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL };

    g_assert_true (dossier_export_package (f->source, &options, src, NULL, NULL, &error));
    g_assert_no_error (error);
    derived_source = g_steal_pointer (&src);
  }
  derived_target = export_target (f, "derived-target", NULL);
  assert_same_packages (derived_source, derived_target);

  /* Trail and signatures hold; the signer exists, inactive. */
  dt_assert_audit_clean (f->target);
  assert_signatures_hold (f);
  signer = dossier_auth_lookup_user (f->target, "qa.test", &error);
  g_assert_no_error (error);
  g_assert_false (signer->active);
  g_assert_cmpstr (signer->full_name, ==, "测试员");
  g_assert_false (dossier_store_sign_in (f->target, "qa.test", "qa.test-password", NULL));

  /* The import is in the database's own trail. */
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM package_import"), ==, 1);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log WHERE table_name = 'package_import' "
                                            "AND action = 'create'"), ==, 1);
}

/* A zip package imports the same: the round trip gives the same zip, and the copy
 * unpacked to read it is gone. */
static void
test_zip (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zip1 = g_build_filename (f->dir, "package.zip", NULL);
  g_autofree char *zip2 = g_build_filename (f->dir, "again.zip", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GDir) dir = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL, .generated_at = STAMP,
                                   .format = DOSSIER_EXPORT_FORMAT_ZIP };
  DossierImportSummary summary = { 0 };
  const char *name;
  gsize la, lb;

  g_assert_true (dossier_export_package (f->source, &options, zip1, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_import_package (f->target, zip1, NULL, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_added, ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpuint (summary.n_attachments, ==, 2);

  g_assert_true (dossier_export_package (f->target, &options, zip2, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (zip1, &a, &la, NULL));
  g_assert_true (g_file_get_contents (zip2, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);

  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".dossier-import"));
  dt_assert_audit_clean (f->target);
}

/* A change after the import comes after the imported history. */
static void
test_history_after_import (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  DossierAuditEntry *last;
  gint64 id;

  import_ok (f, NULL);
  id = dossier_store_lookup_id (f->target, "dossier", "unit_no", "DSR-2026-000003", &error);
  g_assert_no_error (error);
  before = dossier_store_dossier_audit (f->target, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, >, 0);
  g_assert_cmpstr (((DossierAuditEntry *)g_ptr_array_index (before, 0))->action, ==, "create");

  /* The inactive signer accounts the import made do not end the set-up phase of a
   * database without accounts: it can still be written without signing in. */
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM user_account WHERE active = 0"), ==,
                   dt_query_int (f->source, "SELECT count (DISTINCT login) FROM signature"));
  g_assert_false (dossier_auth_has_accounts (f->target));
  dt_update (f->target, "dossier", id, (DossierField[]) { { "notes", "导入后的备注" }, { NULL } }, NULL);
  after = dossier_store_dossier_audit (f->target, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  last = g_ptr_array_index (after, after->len - 1);
  g_assert_cmpstr (last->field, ==, "notes");
  g_assert_cmpstr (last->new_value, ==, "导入后的备注");
}

static void
test_twice (Fixture       *f,
            gconstpointer  data)
{
  DossierImportSummary summary = { 0 };
  g_autofree char *records = NULL;
  g_autofree char *records_again = NULL;
  gint64 n_audit;

  import_ok (f, NULL);
  records = all_records (f->target);
  n_audit = dt_query_int (f->target, "SELECT count (*) FROM audit_log");

  import_ok (f, &summary);
  g_assert_cmpuint (summary.n_added, ==, 0);
  g_assert_cmpuint (summary.n_present, ==, 12);
  g_assert_cmpuint (summary.n_attachments, ==, 0);
  g_assert_cmpint (summary.import_id, ==, 0);

  records_again = all_records (f->target);
  g_assert_cmpstr (records, ==, records_again);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log"), ==, n_audit);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM package_import"), ==, 1);
}

/* A unit that is here with other content refuses the whole import. */
static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *single = g_build_filename (f->dir, "single", NULL);
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-2026-000005" };
  gint64 id, n_audit, n_dossiers;

  /* The target has unit 5 (from a package of it alone), then changed. */
  g_assert_true (dossier_export_package (f->source, &options, single, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_import_package (f->target, single, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  id = dossier_store_lookup_id (f->target, "dossier", "unit_no", "DSR-2026-000005", &error);
  g_assert_no_error (error);
  if (!dossier_auth_has_accounts (f->target))
    dt_update (f->target, "dossier", id, (DossierField[]) { { "notes", "本地修改" }, { NULL } }, NULL);
  else
    {
      /* Behind the store's back: the content differs all the same. */
      g_autofree char *sql = g_strdup_printf ("UPDATE dossier SET notes = 'x' WHERE id = %" G_GINT64_FORMAT, id);
      g_assert_cmpint (sqlite3_exec (dossier_store_get_handle (f->target), sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }

  n_audit = dt_query_int (f->target, "SELECT count (*) FROM audit_log");
  n_dossiers = dt_query_int (f->target, "SELECT count (*) FROM dossier");
  g_assert_false (dossier_import_package (f->target, f->package, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_IMPORT_ERROR, DOSSIER_IMPORT_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "DSR-2026-000005"));
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log"), ==, n_audit);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, n_dossiers);
}

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *record = g_build_filename (f->package, "records", "DSR-2026-000004", "record.xml", NULL);
  g_autofree char *content = NULL;
  g_autofree char *files = NULL;
  gsize length = 0;
  char *p;
  gint64 n_audit = dt_query_int (f->target, "SELECT count (*) FROM audit_log");

  g_assert_true (g_file_get_contents (record, &content, &length, NULL));
  p = strstr (content, "<field name=\"condition\" type=\"text\">");
  g_assert_nonnull (p);
  p += strlen ("<field name=\"condition\" type=\"text\">");
  *p = *p == 'X' ? 'Y' : 'X';
  g_assert_true (g_file_set_contents (record, content, length, NULL));

  g_assert_false (dossier_import_package (f->target, f->package, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_IMPORT_ERROR, DOSSIER_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "PKG-HASH"));
  g_assert_nonnull (strstr (error->message, "records/DSR-2026-000004/record.xml"));
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, 0);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log"), ==, n_audit);

  /* Not a package at all. */
  g_clear_error (&error);
  files = g_build_filename (f->dir, "nothing-here", NULL);
  g_assert_false (dossier_import_package (f->target, files, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_IMPORT_ERROR, DOSSIER_IMPORT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "PKG-CONTAINER"));
}

static void
cancel_after_first (guint    done,
                    guint    total,
                    gpointer user_data)
{
  if (done == 1)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *files = NULL;
  DossierImportOptions options = { cancel_after_first, cancellable };
  g_autoptr(GPtrArray) content = g_ptr_array_new_with_free_func (g_free);
  gint64 n_audit = dt_query_int (f->target, "SELECT count (*) FROM audit_log");

  g_assert_false (dossier_import_package (f->target, f->package, &options, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, 0);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM user_account"), ==, 0);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log"), ==, n_audit);

  /* No attachment content left behind (DSR-2026-000001, the first, has one). */
  files = dossier_store_get_attachment_dir (f->target);
  if (g_file_test (files, G_FILE_TEST_IS_DIR))
    list_files (files, NULL, content);
  g_assert_cmpuint (content->len, ==, 0);
}

static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dossier_auth_create_user (f->target, "boss", "管理员", DOSSIER_ROLE_ADMINISTRATOR,
                                             "boss-password", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (dossier_store_sign_in (f->target, "boss", "boss-password", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_auth_create_user (f->target, "eng", "工程师", DOSSIER_ROLE_ENGINEER,
                                             "eng-password", &error), >, 0);
  g_assert_no_error (error);

  /* Nobody signed in. */
  dossier_store_sign_out (f->target);
  g_assert_false (dossier_import_package (f->target, f->package, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED);
  g_clear_error (&error);

  /* An engineer. */
  g_assert_true (dossier_store_sign_in (f->target, "eng", "eng-password", &error));
  g_assert_no_error (error);
  g_assert_false (dossier_import_package (f->target, f->package, NULL, NULL, NULL, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, dossier_role_get_label (DOSSIER_ROLE_REGULATORY)));
  g_clear_error (&error);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, 0);

  /* The administrator; the trail names them. */
  g_assert_true (dossier_store_sign_in (f->target, "boss", "boss-password", &error));
  g_assert_no_error (error);
  import_ok (f, NULL);
  g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, 12);
  {
    g_autofree char *by = dt_query_text (f->target, "SELECT imported_by FROM package_import");
    g_assert_cmpstr (by, ==, "boss");
  }
  dt_assert_audit_clean (f->target);
}

/* Writes rel in the package with new content and makes the manifest agree, as a
 * package made elsewhere with that content would be. */
static void
rewrite_listed (const char *package,
                const char *rel,
                const char *content)
{
  g_autofree char *path = g_build_filename (package, rel, NULL);
  g_autofree char *manifest_path = g_build_filename (package, "manifest.xml", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_autofree char *quoted = g_regex_escape_string (rel, -1);
  g_autofree char *pattern = g_strdup_printf ("(path=\"%s\" size=\")[0-9]+(\"[^>]*sha256=\")[0-9a-f]{64}", quoted);
  g_autofree char *replacement = g_strdup_printf ("\\g<1>%zu\\g<2>%s", strlen (content), sha256);
  g_autofree char *updated = NULL;
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  updated = g_regex_replace (regex, manifest, -1, 0, replacement, 0, NULL);
  g_assert_cmpstr (updated, !=, manifest);
  g_assert_true (g_file_set_contents (manifest_path, updated, -1, NULL));
}

/* Records that follow the schema but put a field where the export writes a row, a
 * row where it writes a field, or a null in a list: the import refuses them with
 * an error (it used to fail a json-glib assertion, read a NULL string, or fail
 * without saying why), and writes nothing. */
static void
test_wrong_shapes (Fixture       *f,
                   gconstpointer  data)
{
  static const struct
  {
    const char *find;
    const char *insert;   /* after find, or before it for a closing tag */
    gboolean    refused;  /* else it only must not crash */
  } cases[] = {
    { "</data>", "<field name=\"dossier\" type=\"text\">x</field>", TRUE },
    { "<list name=\"design_iterations\">", "<field type=\"text\">x</field>", TRUE },
    { "<list name=\"design_iterations\">", "<field null=\"true\"/>", TRUE },
    { "<list name=\"processing_steps\">", "<field type=\"integer\">1</field>", TRUE },
    { "<list name=\"attachments\">", "<field type=\"text\">x</field>", TRUE },
    { "<list name=\"attachments\">", "<row><field name=\"sha256\" type=\"integer\">7</field></row>", TRUE },
    { "<list name=\"attachments\">", "<row><row name=\"sha256\"/><list name=\"size\"/><row name=\"original_name\"/></row>", TRUE },
    { "<list name=\"history\">", "<row><row name=\"seq\"/><list name=\"row_id\"/></row>", FALSE },
  };
  const char *rel = "records/DSR-2026-000001/record.xml";
  g_autofree char *path = g_build_filename (f->package, rel, NULL);
  g_autofree char *original = NULL;
  gint64 n_audit = dt_query_int (f->target, "SELECT count (*) FROM audit_log");

  g_assert_true (g_file_get_contents (path, &original, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) content = g_string_new (original);
      const char *at = strstr (content->str, cases[i].find);
      gboolean ok;

      g_test_message ("case %u: %s%s", i, cases[i].find, cases[i].insert);
      g_assert_nonnull (at);
      g_string_insert (content, at - content->str + (g_str_has_prefix (cases[i].find, "</") ? 0 : strlen (cases[i].find)),
                       cases[i].insert);
      rewrite_listed (f->package, rel, content->str);

      ok = dossier_import_package (f->target, f->package, NULL, NULL, NULL, &error);
      if (cases[i].refused)
        {
          g_assert_false (ok);
          g_assert_error (error, DOSSIER_IMPORT_ERROR, DOSSIER_IMPORT_ERROR_CONTENT);
          g_assert_nonnull (strstr (error->message, "DSR-2026-000001"));
          g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM dossier"), ==, 0);
          g_assert_cmpint (dt_query_int (f->target, "SELECT count (*) FROM audit_log"), ==, n_audit);
        }
      else if (!ok)
        g_assert_nonnull (error);
      else
        break;  /* imported: the later cases would find it present */
    }
}

/* null is an xs:boolean in the record schema, so null="1" and null=" true " are as
 * absent as null="true": verification accepts them, and the import read them as
 * empty text (refusing "filing" as not a record). */
static void
test_null_spellings (Fixture       *f,
                     gconstpointer  data)
{
  const char *rel = "records/DSR-2026-000010/record.xml";
  g_autofree char *path = g_build_filename (f->package, rel, NULL);
  g_autofree char *original = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) changed = g_string_new (NULL);

  g_assert_true (g_file_get_contents (path, &original, NULL, NULL));
  parts = g_strsplit (original, "null=\"true\"", -1);
  g_assert_cmpuint (g_strv_length (parts), >, 3);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_string_append (changed, parts[i]);
      if (parts[i + 1] != NULL)
        g_string_append (changed, i % 2 == 0 ? "null=\"1\"" : "null=\" true\n\"");
    }
  rewrite_listed (f->package, rel, changed->str);

  import_ok (f, NULL);

  /* What was imported is what the package said: exported again, the same bytes as
   * the package with its usual spelling. */
  rewrite_listed (f->package, rel, original);
  again = export_target (f, "again", STAMP);
  assert_same_packages (f->package, again);
}

/* Into a database that has data: taken ids get new ones, references follow. */
static void
test_non_empty (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *single = g_build_filename (f->dir, "single", NULL);
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-2026-000012" };
  DossierImportSummary summary = { 0 };
  DtRows rows;
  gint64 id;

  dt_populate (f->target, &rows);
  g_assert_true (dossier_export_package (f->source, &options, single, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dossier_import_package (f->target, single, NULL, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_added, ==, 1);
  g_test_message ("%u rows got another id", summary.n_renumbered);

  id = dossier_store_lookup_id (f->target, "dossier", "unit_no", "DSR-2026-000012", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  {
    g_autoptr(JsonNode) here = dossier_json_dossier_record (f->target, id, &error);
    g_assert_no_error (error);
    g_assert_nonnull (here);
  }
  dt_assert_audit_clean (f->target);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/import/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/import/zip", Fixture, NULL, fixture_set_up, test_zip, fixture_tear_down);
  g_test_add ("/import/history-after-import", Fixture, NULL, fixture_set_up, test_history_after_import, fixture_tear_down);
  g_test_add ("/import/twice", Fixture, NULL, fixture_set_up, test_twice, fixture_tear_down);
  g_test_add ("/import/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/import/tampered", Fixture, NULL, fixture_set_up, test_tampered, fixture_tear_down);
  g_test_add ("/import/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/import/non-empty", Fixture, NULL, fixture_set_up, test_non_empty, fixture_tear_down);
  g_test_add ("/import/permission", Fixture, NULL, fixture_set_up, test_permission, fixture_tear_down);
  g_test_add ("/import/wrong-shapes", Fixture, NULL, fixture_set_up, test_wrong_shapes, fixture_tear_down);
  g_test_add ("/import/null-spellings", Fixture, NULL, fixture_set_up, test_null_spellings, fixture_tear_down);

  return g_test_run ();
}
