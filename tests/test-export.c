/* test-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-demo.h"
#include "dossier-export.h"
#include "dossier-package-verify.h"
#include "dossier-package-zip.h"
#include "dossier-signature.h"
#include "dossier-test-util.h"

/* Filing packages: export of one dossier and of the whole demo showcase, their
 * validity (our validator and xmllint), byte-identical repeats, and verification
 * finding tampered, extra and escaping files. */

typedef struct
{
  char         *dir;
  DossierStore *store;
  char         *attachment_sha;
} Fixture;

#define FILING_NO "粤械定制备20240003号"

/* Signs in a demo account (the demo seeds them, or a test added them). */
static void
sign_in_demo (DossierStore *store,
              const char   *login)
{
  g_autoptr(GError) error = NULL;
  const DossierDemoUser *users;
  guint n;

  users = dossier_auth_get_demo_users (&n);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (users[i].login, login))
      {
        g_assert_true (dossier_store_sign_in (store, login, users[i].password, &error));
        g_assert_no_error (error);
        return;
      }
  g_assert_not_reached ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  gint64 id1, id2;

  f->dir = dt_make_tmpdir ();
  db = g_build_filename (f->dir, "dossier.db", NULL);
  f->store = dt_open (db);
  g_assert_true (dossier_demo_seed (f->store, 0, NULL, &error));
  g_assert_no_error (error);
  /* Attachments: a larger one shared by two dossiers (stored once in the package)
   * and a small one with a Chinese name.  They are an engineer's to add, with a
   * reason, as the units' records are signed; exporting is the regulatory staff's. */
  for (guint i = 0; i < 300000; i++)
    g_string_append_c (big, (char)('a' + (i * 7919) % 26));
  sign_in_demo (f->store, "zhang.wei");
  id1 = dossier_store_lookup_id (f->store, "dossier", "unit_no", "DSR-2026-000001", &error);
  g_assert_no_error (error);
  id2 = dossier_store_lookup_id (f->store, "dossier", "unit_no", "DSR-2026-000003", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (big->str, big->len), big->len, g_free);
      g_assert_cmpint (dossier_store_add_attachment_with_reason (f->store, i == 0 ? id1 : id2, "design", "设计图纸.stl",
                                                                 "model/stl", in, "archived design file", NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  {
    const char *text = "检验报告\n";
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
    g_assert_cmpint (dossier_store_add_attachment_with_reason (f->store, id1, "inspection", "检验报告.txt",
                                                               "text/plain", in, "archived inspection report", NULL, &error), >, 0);
    g_assert_no_error (error);
  }
  f->attachment_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)big->str, big->len);
  sign_in_demo (f->store, "wang.fang");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  dt_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->attachment_sha);
}

static char *
export (Fixture            *f,
        DossierExportScope  scope,
        const char         *unit_no,
        const char         *name)
{
  g_autoptr(GError) error = NULL;
  char *out = g_build_filename (f->dir, name, NULL);
  DossierExportOptions options = { .scope = scope, .unit_no = unit_no };

  g_assert_true (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
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
      g_autofree char *child = rel != NULL ? g_strconcat (rel, "/", name, NULL) : g_strdup (name);
      g_autofree char *full = g_build_filename (root, child, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        list_files (root, child, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *)a, *(char * const *)b);
}

static GPtrArray *
files_of (const char *root)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  list_files (root, NULL, files);
  g_ptr_array_sort (files, compare_paths);
  return files;
}

static GPtrArray *
verify (const char *path)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);

  g_assert_true (dossier_package_verify (path, findings, NULL, &error));
  g_assert_no_error (error);
  return findings;
}

static void
assert_valid (const char *path)
{
  g_autoptr(GPtrArray) findings = verify (path);

  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
      g_test_message ("%s", line);
    }
  g_assert_cmpuint (findings->len, ==, 0);
}

static const DossierPackageFinding *
find (GPtrArray  *findings,
      const char *rule_id,   /* or NULL: any */
      const char *file)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const DossierPackageFinding *f = g_ptr_array_index (findings, i);

      if ((rule_id == NULL || g_str_equal (f->rule_id, rule_id)) && g_strcmp0 (f->file, file) == 0)
        return f;
    }
  return NULL;
}

/* Validates every XML file with xmllint against the shipped schemas, written out from
 * the resources, so that the package does not rely on our own validator alone. */
static void
assert_xmllint_valid (Fixture    *f,
                      const char *path)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *package_xsd = g_build_filename (f->dir, "package-1.xsd", NULL);
  g_autofree char *record_xsd = g_build_filename (f->dir, "record-1.xsd", NULL);
  g_autoptr(GBytes) p = dossier_package_get_schema ("package-1.xsd");
  g_autoptr(GBytes) r = dossier_package_get_schema ("record-1.xsd");
  guint n = 0;

  if (xmllint == NULL)
    {
      g_test_message ("xmllint is not installed; only our own validation ran");
      return;
    }
  g_assert_nonnull (p);
  g_assert_nonnull (r);
  g_assert_true (g_file_set_contents (package_xsd, g_bytes_get_data (p, NULL), g_bytes_get_size (p), NULL));
  g_assert_true (g_file_set_contents (record_xsd, g_bytes_get_data (r, NULL), g_bytes_get_size (r), NULL));

  files = files_of (path);
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *full = g_build_filename (path, rel, NULL);
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = -1;
      const char *argv[] = { xmllint, "--noout", "--nonet", "--schema",
                             g_str_has_suffix (rel, "record.xml") ? record_xsd : package_xsd, full, NULL };

      if (!g_str_has_suffix (rel, ".xml"))
        continue;
      g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                   NULL, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("xmllint refuses %s: %s", rel, err);
      n++;
    }
  g_assert_cmpuint (n, >=, 3);
}

static void
test_export_unit (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = export (f, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000001", "unit");
  g_autoptr(GPtrArray) files = files_of (out);
  g_autofree char *att = g_strconcat ("attachments/", f->attachment_sha, NULL);
  g_autofree char *record_path = g_build_filename (out, "records", "DSR-2026-000001", "record.xml", NULL);
  g_autofree char *record = NULL;
  const char *expected[] = { "manifest.xml", "package.xml", "records/DSR-2026-000001/record.xml",
                             "schemas/package-1.xsd", "schemas/record-1.xsd", att };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (files, expected[i], g_str_equal, NULL));
  /* Two attachments: the big one and the inspection report. */
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected) + 1);

  g_assert_true (g_file_get_contents (record_path, &record, NULL, NULL));
  g_assert_nonnull (strstr (record, "xmlns=\"urn:io.github.dossier:record:1\""));
  g_assert_nonnull (strstr (record, "schemaVersion=\"1.0\""));
  g_assert_nonnull (strstr (record, "<field name=\"original_name\" type=\"text\">设计图纸.stl</field>"));
  g_assert_nonnull (strstr (record, "<list name=\"history\">"));
  g_assert_nonnull (strstr (record, "<ruleCheck "));

  assert_valid (out);
  assert_xmllint_valid (f, out);
}

static void
test_export_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "all", NULL);
  g_autofree char *again = g_build_filename (f->dir, "again", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) files2 = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL };
  DossierExportSummary summary = { 0 };
  guint n_records = 0;

  g_assert_true (dossier_export_package (f->store, &options, out, &summary, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("exported %u dossiers, %u attachments, %u files, %" G_GUINT64_FORMAT " bytes in %.3f s",
                  summary.n_dossiers, summary.n_attachments, summary.n_files, summary.n_bytes,
                  g_timer_elapsed (timer, NULL));
  g_assert_cmpuint (summary.n_dossiers, ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpuint (summary.n_attachments, ==, 2);

  files = files_of (out);
  for (guint i = 0; i < files->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (files, i), "/record.xml"))
      n_records++;
  g_assert_cmpuint (n_records, ==, DOSSIER_DEMO_SHOWCASE_DOSSIERS);
  g_assert_cmpuint (files->len, ==, summary.n_files + 1);

  assert_valid (out);
  assert_xmllint_valid (f, out);

  /* The same database gives the same bytes. */
  g_assert_true (dossier_export_package (f->store, &options, again, NULL, NULL, &error));
  g_assert_no_error (error);
  files2 = files_of (again);
  g_assert_cmpuint (files->len, ==, files2->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *a = g_build_filename (out, rel, NULL);
      g_autofree char *b = g_build_filename (again, rel, NULL);
      g_autofree char *ca = NULL;
      g_autofree char *cb = NULL;
      gsize la, lb;

      g_assert_cmpstr (rel, ==, g_ptr_array_index (files2, i));
      g_assert_true (g_file_get_contents (a, &ca, &la, NULL));
      g_assert_true (g_file_get_contents (b, &cb, &lb, NULL));
      g_assert_cmpmem (ca, la, cb, lb);
    }
}

static void
test_generated_at (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "fixed", NULL);
  g_autofree char *package = g_build_filename (out, "package.xml", NULL);
  g_autofree char *text = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-2026-000004",
                                   .generated_at = "2026-03-02T10:15:03+08:00" };

  g_assert_true (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (package, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<generatedAt>2026-03-02T10:15:03+08:00</generatedAt>"));
  assert_valid (out);
}

/* One byte changed in any file is found, and named. */
static void
test_tamper (Fixture       *f,
             gconstpointer  data)
{
  DossierExportOptions options = { .scope = data != NULL ? DOSSIER_EXPORT_SCOPE_FILING : DOSSIER_EXPORT_SCOPE_ALL,
                                   .filing_no = data };
  g_autofree char *out = g_build_filename (f->dir, "tamper", NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
  g_assert_no_error (error);
  files = files_of (out);

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *full = g_build_filename (out, rel, NULL);
      g_autofree char *content = NULL;
      g_autoptr(GPtrArray) findings = NULL;
      gsize len;
      gsize at;
      char saved;

      g_assert_true (g_file_get_contents (full, &content, &len, NULL));
      g_assert_cmpuint (len, >, 0);
      /* A letter in the middle, changed into another letter, so that XML stays
       * well-formed more often than not and only the hash gives it away. */
      at = len / 2;
      while (at < len - 1 && !g_ascii_isalpha (content[at]))
        at++;
      saved = content[at];
      content[at] = saved == 'x' ? 'y' : 'x';
      g_assert_true (g_file_set_contents (full, content, len, NULL));

      findings = verify (out);
      if (find (findings, NULL, rel) == NULL)
        {
          for (guint j = 0; j < findings->len; j++)
            {
              g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, j));
              g_test_message ("%s", line);
            }
          g_error ("changing %s was not reported against it", rel);
        }
      if (!g_str_equal (rel, "manifest.xml"))
        g_assert_nonnull (find (findings, "PKG-HASH", rel));

      content[at] = saved;
      g_assert_true (g_file_set_contents (full, content, len, NULL));
    }
  assert_valid (out);

  /* A missing file. */
  {
    g_autofree char *full = g_build_filename (out, "schemas", "record-1.xsd", NULL);
    g_autoptr(GPtrArray) findings = NULL;

    g_assert_cmpint (g_unlink (full), ==, 0);
    findings = verify (out);
    g_assert_nonnull (find (findings, "PKG-MISSING", "schemas/record-1.xsd"));
    g_assert_nonnull (find (findings, "PKG-RULE", "package.xml"));
  }
}

static void
test_unlisted_and_paths (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = export (f, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000002", "paths");
  g_autofree char *extra = g_build_filename (out, "records", "extra.txt", NULL);
  g_autofree char *odd = g_build_filename (out, "文件.txt", NULL);
  g_autofree char *link = g_build_filename (out, "link", NULL);
  g_autofree char *manifest = g_build_filename (out, "manifest.xml", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) evil = NULL;
  g_autoptr(GPtrArray) findings = NULL;

  g_assert_true (g_file_set_contents (extra, "extra", -1, NULL));
  g_assert_true (g_file_set_contents (odd, "odd", -1, NULL));
  g_assert_cmpint (symlink ("/etc/passwd", link), ==, 0);

  findings = verify (out);
  g_assert_nonnull (find (findings, "PKG-UNLISTED", "records/extra.txt"));
  g_assert_nonnull (find (findings, "PKG-PATH", "文件.txt"));
  g_assert_nonnull (find (findings, "PKG-PATH", "link"));
  g_assert_null (find (findings, NULL, "manifest.xml"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A manifest entry that leaves the package. */
  g_assert_true (g_file_get_contents (manifest, &text, NULL, NULL));
  evil = g_string_new (text);
  g_string_replace (evil, "</manifest>",
                    "  <file path=\"../outside\" size=\"1\" mediaType=\"text/plain\" sha256=\""
                    "0000000000000000000000000000000000000000000000000000000000000000\"/>\n</manifest>", 1);
  g_assert_true (g_file_set_contents (manifest, evil->str, evil->len, NULL));

  findings = verify (out);
  g_assert_nonnull (find (findings, "PKG-PATH", "manifest.xml"));
  g_assert_nonnull (find (findings, "PKG-MANIFEST", "manifest.xml"));
  g_assert_nonnull (find (findings, "PKG-XSD", "manifest.xml"));
  g_assert_cmpint (find (findings, "PKG-XSD", "manifest.xml")->line, >, 0);
  g_assert_cmpuint (dossier_package_count_errors (findings), >, 0);

  g_assert_true (dossier_package_path_is_safe ("records/DSR-2026-000001/record.xml"));
  g_assert_false (dossier_package_path_is_safe ("../x"));
  g_assert_false (dossier_package_path_is_safe ("a/../x"));
  g_assert_false (dossier_package_path_is_safe ("/etc/passwd"));
  g_assert_false (dossier_package_path_is_safe ("a//b"));
  g_assert_false (dossier_package_path_is_safe ("a\\b"));
  g_assert_false (dossier_package_path_is_safe (""));
}

/* DTDs and entities are refused before anything is expanded. */
static void
test_hostile_xml (Fixture       *f,
                  gconstpointer  data)
{
  const char *bomb =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE package [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
    "<package xmlns=\"urn:io.github.dossier:package:1\">&b;</package>\n";
  const char *external =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE package SYSTEM \"http://example.com/x.dtd\">\n"
    "<package xmlns=\"urn:io.github.dossier:package:1\"/>\n";
  const char *utf16 = "<\0?\0x\0m\0l\0";
  const char *other = "<?xml version=\"1.0\"?>\n<package xmlns=\"urn:other\"/>\n";
  const char *broken = "<?xml version=\"1.0\"?>\n<package xmlns=\"urn:io.github.dossier:package:1\">\n<a>\n";
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);

  g_assert_false (dossier_package_validate_xml ("package.xml", bomb, strlen (bomb), findings));
  g_assert_nonnull (find (findings, "PKG-XML", "package.xml"));
  g_ptr_array_set_size (findings, 0);
  g_assert_false (dossier_package_validate_xml ("package.xml", external, strlen (external), findings));
  g_assert_nonnull (find (findings, "PKG-XML", "package.xml"));
  g_ptr_array_set_size (findings, 0);
  g_assert_false (dossier_package_validate_xml ("package.xml", utf16, 10, findings));
  g_assert_nonnull (find (findings, "PKG-XML", "package.xml"));
  g_ptr_array_set_size (findings, 0);
  g_assert_false (dossier_package_validate_xml ("package.xml", other, strlen (other), findings));
  g_assert_nonnull (find (findings, "PKG-XSD", "package.xml"));
  g_ptr_array_set_size (findings, 0);
  g_assert_false (dossier_package_validate_xml ("package.xml", broken, strlen (broken), findings));
  g_assert_nonnull (find (findings, "PKG-XML", "package.xml"));
  g_assert_cmpint (((DossierPackageFinding *)g_ptr_array_index (findings, 0))->line, >, 0);
}

/* Text goes out in NFC, whatever form it was typed in. */
static void
test_nfc (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *record = NULL;
  gint64 id;

  id = dossier_store_lookup_id (f->store, "dossier", "unit_no", "DSR-2026-000010", &error);
  g_assert_no_error (error);
  /* "Café 骨" with a combining acute accent (NFD), written by an engineer. */
  sign_in_demo (f->store, "zhang.wei");
  g_assert_true (dossier_store_update (f->store, "dossier", id,
                                       (DossierField[]) { { "notes", "Cafe\xCC\x81 \xE9\xAA\xA8" }, { NULL } },
                                       NULL, &error));
  g_assert_no_error (error);
  sign_in_demo (f->store, "wang.fang");

  out = export (f, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000010", "nfc");
  record_path = g_build_filename (out, "records", "DSR-2026-000010", "record.xml", NULL);
  g_assert_true (g_file_get_contents (record_path, &record, NULL, NULL));
  g_assert_nonnull (strstr (record, "<field name=\"notes\" type=\"text\">Caf\xC3\xA9 \xE9\xAA\xA8</field>"));
  g_assert_null (strstr (record, "Cafe\xCC\x81"));
  assert_valid (out);
}

/* A signature goes into the record with its manifestation; a stored rule check with
 * its time. */
static void
test_signature_and_stored_check (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *record = NULL;
  gint64 id;

  g_assert_true (dossier_store_sign_in (f->store, "li.na", "li.na-demo", &error));
  g_assert_no_error (error);
  id = dossier_store_lookup_id (f->store, "dossier", "unit_no", "DSR-2026-000006", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dossier_signature_sign (f->store, id, DOSSIER_SIGN_POINT_PROCESSING_REVIEW,
                                           "li.na-demo", "看过了", &error), >, 0);
  g_assert_no_error (error);

  sign_in_demo (f->store, "wang.fang");

  /* Every result stored. */
  g_assert_true (dossier_check_dossiers (f->store, NULL, 0, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  out = export (f, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000006", "signed");
  record_path = g_build_filename (out, "records", "DSR-2026-000006", "record.xml", NULL);
  g_assert_true (g_file_get_contents (record_path, &record, NULL, NULL));
  g_assert_nonnull (strstr (record, "<signature id="));
  g_assert_nonnull (strstr (record, "point=\"processing-review\""));
  g_assert_nonnull (strstr (record, "fullName=\"李娜\""));
  g_assert_nonnull (strstr (record, "state=\"valid\""));
  g_assert_nonnull (strstr (record, "<manifestation>"));
  g_assert_nonnull (strstr (record, "<comment>看过了</comment>"));
  g_assert_nonnull (strstr (record, "<ruleCheck stored=\"true\""));
  g_assert_nonnull (strstr (record, "checkedAt=\""));
  assert_valid (out);
  assert_xmllint_valid (f, out);

  /* A patient-matched unit is checked against its registered size range. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&record_path, g_free);
  g_clear_pointer (&record, g_free);
  out = export (f, DOSSIER_EXPORT_SCOPE_UNIT, "DSR-2026-000005", "matched");
  record_path = g_build_filename (out, "records", "DSR-2026-000005", "record.xml", NULL);
  g_assert_true (g_file_get_contents (record_path, &record, NULL, NULL));
  g_assert_nonnull (strstr (record, "<ruleCheck stored=\"true\""));
  g_assert_nonnull (strstr (record, "envelopeVersion=\""));
  g_assert_nonnull (strstr (record, "point=\"processing-review\""));
  g_assert_null (strstr (record, "point=\"release\""));
  assert_valid (out);
}

/* Nothing but the package itself is ever left in the destination's folder. */
static void
assert_nothing_left (Fixture    *f,
                     const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, "partial"));
}

static void
test_failures_leave_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *sub = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = g_build_filename (sub, "pkg", NULL);
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_ALL };

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);

  /* The package would not be valid. */
  {
    g_autoptr(GError) error = NULL;

    dossier_export_set_inject_invalid_for_testing (TRUE);
    g_assert_false (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
    dossier_export_set_inject_invalid_for_testing (FALSE);
    g_assert_error (error, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "records/DSR-2026-000001/record.xml:"));
    g_assert_nonnull (strstr (error->message, "PKG-XSD"));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    assert_nothing_left (f, sub);
  }

  /* Cancelled. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (dossier_export_package (f->store, &options, out, NULL, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    assert_nothing_left (f, sub);
  }

  /* An unknown unit. */
  {
    g_autoptr(GError) error = NULL;
    DossierExportOptions unit = { .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-1999-000001" };

    g_assert_false (dossier_export_package (f->store, &unit, out, NULL, NULL, &error));
    g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND);
    assert_nothing_left (f, sub);
  }

  /* A folder that cannot be written to (root can write anywhere). */
  if (geteuid () != 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_chmod (sub, 0555), ==, 0);
      g_assert_false (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpint (g_chmod (sub, 0755), ==, 0);
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      assert_nothing_left (f, sub);
    }

  /* The destination's folder is a file. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *file = g_build_filename (sub, "a-file", NULL);
    g_autofree char *inside = g_build_filename (file, "pkg", NULL);

    g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    g_assert_false (dossier_export_package (f->store, &options, inside, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_assert_cmpint (g_unlink (file), ==, 0);
    assert_nothing_left (f, sub);
  }

  /* Attachment content changed behind the store's back: found while copying, after
   * files were already written, and those are removed again. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *attachments = dossier_store_get_attachment_dir (f->store);
    g_autoptr(GPtrArray) stored = files_of (attachments);

    g_assert_cmpuint (stored->len, >, 0);
    for (guint i = 0; i < stored->len; i++)
      {
        g_autofree char *full = g_build_filename (attachments, g_ptr_array_index (stored, i), NULL);
        g_autofree char *content = NULL;
        gsize len;

        g_assert_true (g_file_get_contents (full, &content, &len, NULL));
        content[0] ^= 1;
        g_assert_true (g_file_set_contents (full, content, len, NULL));
      }
    g_assert_false (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    assert_nothing_left (f, sub);
  }

  /* An existing destination is not touched. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *marker = g_build_filename (out, "mine.txt", NULL);

    g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
    g_assert_true (g_file_set_contents (marker, "mine", -1, NULL));
    g_assert_false (dossier_export_package (f->store, &options, out, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
    g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
    assert_nothing_left (f, sub);
  }
}

/* Scopes ------------------------------------------------------------------------ */

static char *
export_with (Fixture                    *f,
             const DossierExportOptions *options,
             const char                 *name)
{
  g_autoptr(GError) error = NULL;
  char *out = g_build_filename (f->dir, name, NULL);

  g_assert_true (dossier_export_package (f->store, options, out, NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static char *
read_text (const char *dir,
           const char *rel)
{
  g_autofree char *full = g_build_filename (dir, rel, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (full, &text, NULL, NULL));
  return text;
}

/* The records in a package folder, as unit numbers. */
static GPtrArray *
records_of (const char *dir)
{
  g_autoptr(GPtrArray) files = files_of (dir);
  GPtrArray *units = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);

      if (g_str_has_prefix (rel, "records/") && g_str_has_suffix (rel, "/record.xml"))
        g_ptr_array_add (units, g_strndup (rel + strlen ("records/"), strlen (rel) - strlen ("records/") - strlen ("/record.xml")));
    }
  return units;
}

static void
test_export_filing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = FILING_NO };
  g_autofree char *out = export_with (f, &options, "filing");
  g_autofree char *package = read_text (out, "package.xml");
  g_autofree char *filing = read_text (out, "filings/440000-20240003/filing.xml");
  g_autofree char *manifest = read_text (out, "manifest.xml");
  g_autoptr(GPtrArray) units = records_of (out);
  gint64 filing_id = dossier_store_lookup_id (f->store, "filing", "number", FILING_NO, &error);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  rows = dossier_store_list_rows (f->store, "dossier", "filing_id", filing_id, &error);
  g_assert_no_error (error);

  /* Exactly the filing's dossiers, each listed in the filing document. */
  g_assert_cmpuint (units->len, ==, rows->len);
  g_assert_cmpuint (units->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *unit_no = g_hash_table_lookup (g_ptr_array_index (rows, i), "unit_no");
      g_autofree char *listed = g_strdup_printf ("unitNo=\"%s\"", unit_no);

      g_assert_true (g_ptr_array_find_with_equal_func (units, unit_no, g_str_equal, NULL));
      g_assert_nonnull (strstr (filing, listed));
    }

  g_assert_nonnull (strstr (package, "<package schemaVersion=\"1.1\""));
  g_assert_nonnull (strstr (package, "<scope kind=\"filing\">"));
  g_assert_nonnull (strstr (package, "<filing>" FILING_NO "</filing>"));
  g_assert_nonnull (strstr (package, "document=\"filings/440000-20240003/filing.xml\""));
  g_assert_nonnull (strstr (filing, "<filing schemaVersion=\"1.1\" number=\"" FILING_NO "\" status=\"filed\""));
  g_assert_nonnull (strstr (filing, "<deviceName>定制式钛合金骨盆重建假体</deviceName>"));
  g_assert_nonnull (strstr (filing, "<caseThreshold>30</caseThreshold>"));
  g_assert_nonnull (strstr (filing, "<name lang=\"zh\">岭南医科大学附属第一医院</name>"));
  g_assert_nonnull (strstr (manifest, "path=\"filings/440000-20240003/filing.xml\""));
  /* The manifest itself stays 1.0: nothing in it is new. */
  g_assert_nonnull (strstr (manifest, "<manifest schemaVersion=\"1.0\""));

  assert_valid (out);
  assert_xmllint_valid (f, out);

  /* A filing document that names a unit the package lacks breaks a business rule. */
  {
    g_autofree char *records = g_build_filename (out, "records", NULL);
    g_autofree char *unit_dir = g_build_filename (records, g_ptr_array_index (units, 0), NULL);
    g_autofree char *record = g_build_filename (unit_dir, "record.xml", NULL);
    g_autoptr(GPtrArray) findings = NULL;

    g_assert_cmpint (g_unlink (record), ==, 0);
    findings = verify (out);
    g_assert_nonnull (find (findings, "PKG-MISSING", strstr (record, "records/")));
    g_assert_nonnull (find (findings, "PKG-RULE", "filings/440000-20240003/filing.xml"));
  }
}

static void
test_export_range (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2025-01-01", .to = "2025-12-31" };
  g_autofree char *out = export_with (f, &options, "range");
  g_autofree char *package = read_text (out, "package.xml");
  g_autoptr(GPtrArray) units = records_of (out);
  guint expected = 0;

  /* Every dossier ordered in 2025 and no other. */
  for (guint i = 1; i <= DOSSIER_DEMO_SHOWCASE_DOSSIERS; i++)
    {
      g_autofree char *unit_no = g_strdup_printf ("DSR-2026-%06u", i);
      gint64 id = dossier_store_lookup_id (f->store, "dossier", "unit_no", unit_no, &error);
      g_autoptr(GHashTable) row = NULL;
      const char *ordered_on;
      gboolean inside;

      g_assert_no_error (error);
      row = dossier_store_get_row (f->store, "dossier", id, &error);
      g_assert_no_error (error);
      ordered_on = g_hash_table_lookup (row, "ordered_on");
      inside = ordered_on != NULL && strcmp (ordered_on, "2025-01-01") >= 0 && strcmp (ordered_on, "2025-12-31") <= 0;
      expected += inside;
      g_assert_cmpint (g_ptr_array_find_with_equal_func (units, unit_no, g_str_equal, NULL), ==, inside);
    }
  g_assert_cmpuint (units->len, ==, expected);
  g_assert_cmpuint (expected, >, 0);
  g_assert_nonnull (strstr (package, "<package schemaVersion=\"1.0\""));
  g_assert_nonnull (strstr (package, "<scope kind=\"range\" from=\"2025-01-01\" to=\"2025-12-31\"/>"));
  assert_valid (out);
  assert_xmllint_valid (f, out);

  /* Both ends are inclusive: a one-day range on a dossier's order date holds it. */
  {
    DossierExportOptions day = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2025-09-22", .to = "2025-09-22" };
    g_autofree char *one = export_with (f, &day, "one-day");
    g_autoptr(GPtrArray) one_units = records_of (one);

    g_assert_cmpuint (one_units->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (one_units, 0), ==, "DSR-2026-000003");
  }
}

static void
assert_refused (Fixture                    *f,
                const DossierExportOptions *options,
                GQuark                      domain,
                int                         code,
                const char                 *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "refused", NULL);
  g_autofree char *out = g_build_filename (sub, "pkg", NULL);
  g_autoptr(GDir) dir = NULL;

  g_mkdir_with_parents (sub, 0755);
  g_assert_false (dossier_export_package (f->store, options, out, NULL, NULL, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  if (needle != NULL)
    g_assert_nonnull (strstr (error->message, needle));
  dir = g_dir_open (sub, 0, NULL);
  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

static void
test_scope_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions empty = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2030-01-01", .to = "2030-12-31" };
  DossierExportOptions reversed = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2026-02-01", .to = "2026-01-31" };
  DossierExportOptions bad_day = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2026-02-30", .to = "2026-03-31" };
  DossierExportOptions bad_text = { .scope = DOSSIER_EXPORT_SCOPE_RANGE, .from = "2026-01-01", .to = "next week" };
  DossierExportOptions unknown = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = "粤械定制备20999999号" };
  DossierExportOptions draft = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = "粤械定制备20259998号" };
  DossierExportOptions unused = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = "粤械定制备20259999号" };
  g_autofree char *institution = NULL;

  assert_refused (f, &empty, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY, "2030-01-01");
  assert_refused (f, &reversed, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE, "2026-02-01");
  assert_refused (f, &bad_day, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE, "2026-02-30");
  assert_refused (f, &bad_text, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE, "next week");
  assert_refused (f, &unknown, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND, "粤械定制备20999999号");

  /* A draft (regulatory staff may write filings) and a filing without units. */
  institution = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 dossier_store_lookup_id (f->store, "institution", "practising_licence",
                                                          "PDY10234544010419A1001", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dossier_store_insert (f->store, "filing", (DossierField[]) {
                     { "number", "粤械定制备20259998号" }, { "province_code", "440000" }, { "status", "draft" },
                     { "institution_id", institution }, { "device_name", "定制式下颌骨假体" }, { NULL } }, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (dossier_store_insert (f->store, "filing", (DossierField[]) {
                     { "number", "粤械定制备20259999号" }, { "province_code", "440000" }, { "status", "filed" },
                     { "filed_on", "2025-05-06" }, { "institution_id", institution },
                     { "device_name", "定制式颅骨修补板" }, { NULL } }, &error), >, 0);
  g_assert_no_error (error);
  assert_refused (f, &draft, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_SCOPE, "粤械定制备20259998号");
  assert_refused (f, &unused, DOSSIER_EXPORT_ERROR, DOSSIER_EXPORT_ERROR_EMPTY, "粤械定制备20259999号");
}

/* Exporting is for regulatory staff and administrators once there are accounts. */
static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_UNIT, .unit_no = "DSR-2026-000002" };

  if (!dossier_auth_has_accounts (f->store))
    {
      g_assert_true (dossier_auth_seed_demo_users (f->store, &error));
      g_assert_no_error (error);
    }

  dossier_store_sign_out (f->store);
  assert_refused (f, &options, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                  dossier_role_get_label (DOSSIER_ROLE_REGULATORY));
  sign_in_demo (f->store, "zhang.wei");
  assert_refused (f, &options, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED, "zhang.wei");
  sign_in_demo (f->store, "li.na");
  assert_refused (f, &options, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                  dossier_role_get_label (DOSSIER_ROLE_ADMINISTRATOR));

  sign_in_demo (f->store, "wang.fang");
  g_free (export_with (f, &options, "by-regulatory"));
  sign_in_demo (f->store, "admin");
  g_free (export_with (f, &options, "by-admin"));
}

/* Zip ------------------------------------------------------------------------------ */

static char *
sha256_of_file (const char *path)
{
  g_autofree char *content = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &content, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)content, len);
}

static void
assert_same_tree (const char *a,
                  const char *b)
{
  g_autoptr(GPtrArray) fa = files_of (a);
  g_autoptr(GPtrArray) fb = files_of (b);

  g_assert_cmpuint (fa->len, ==, fb->len);
  for (guint i = 0; i < fa->len; i++)
    {
      g_autofree char *pa = g_build_filename (a, g_ptr_array_index (fa, i), NULL);
      g_autofree char *pb = g_build_filename (b, g_ptr_array_index (fb, i), NULL);
      g_autofree char *ha = NULL;
      g_autofree char *hb = NULL;

      g_assert_cmpstr (g_ptr_array_index (fa, i), ==, g_ptr_array_index (fb, i));
      ha = sha256_of_file (pa);
      hb = sha256_of_file (pb);
      g_assert_cmpstr (ha, ==, hb);
    }
}

static void
test_zip (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = FILING_NO,
                                   .format = DOSSIER_EXPORT_FORMAT_ZIP };
  DossierExportOptions folder_options = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = FILING_NO };
  g_autofree char *zip1 = export_with (f, &options, "one.zip");
  g_autofree char *zip2 = export_with (f, &options, "two.zip");
  g_autofree char *folder = export_with (f, &folder_options, "folder");
  g_autofree char *unpacked = g_build_filename (f->dir, "unpacked", NULL);
  g_autofree char *h1 = sha256_of_file (zip1);
  g_autofree char *h2 = sha256_of_file (zip2);
  g_autoptr(GPtrArray) manifest_order = g_ptr_array_new_with_free_func (g_free);
  zip_t *za;
  int zerr = 0;

  /* The same database gives the same bytes. */
  g_assert_cmpstr (h1, ==, h2);
  assert_valid (zip1);

  /* The same files as the folder, byte for byte. */
  g_assert_true (dossier_package_unpack (zip1, unpacked, NULL, &error));
  g_assert_no_error (error);
  assert_same_tree (folder, unpacked);
  assert_valid (unpacked);

  /* package.xml and manifest.xml first, then the manifest's order; one time stamp,
   * mode 0644, no extra fields; attachments stored, XML deflated. */
  za = zip_open (zip1, ZIP_RDONLY, &zerr);
  g_assert_nonnull (za);
  g_assert_cmpstr (zip_get_name (za, 0, 0), ==, "package.xml");
  g_assert_cmpstr (zip_get_name (za, 1, 0), ==, "manifest.xml");
  {
    g_autofree char *manifest = read_text (folder, "manifest.xml");
    const char *p = manifest;

    while ((p = strstr (p, "path=\"")) != NULL)
      {
        const char *end;

        p += strlen ("path=\"");
        end = strchr (p, '"');
        if (strncmp (p, "package.xml", end - p) != 0)
          g_ptr_array_add (manifest_order, g_strndup (p, end - p));
        p = end;
      }
  }
  g_assert_cmpint (zip_get_num_entries (za, 0), ==, manifest_order->len + 2);
  for (guint i = 0; i < manifest_order->len; i++)
    g_assert_cmpstr (zip_get_name (za, i + 2, 0), ==, g_ptr_array_index (manifest_order, i));
  for (zip_int64_t i = 0; i < zip_get_num_entries (za, 0); i++)
    {
      zip_stat_t st;
      zip_uint8_t opsys;
      zip_uint32_t attributes;
      zip_stat_t first;

      g_assert_cmpint (zip_stat_index (za, i, 0, &st), ==, 0);
      g_assert_cmpint (zip_stat_index (za, 0, 0, &first), ==, 0);
      g_assert_cmpint (st.mtime, ==, first.mtime);
      g_assert_cmpint (zip_file_get_external_attributes (za, i, 0, &opsys, &attributes), ==, 0);
      g_assert_cmpuint (opsys, ==, ZIP_OPSYS_UNIX);
      g_assert_cmpuint (attributes >> 16, ==, 0100644);
      g_assert_cmpint (zip_file_extra_fields_count (za, i, ZIP_FL_LOCAL | ZIP_FL_CENTRAL), ==, 0);
      g_assert_cmpint (st.comp_method, ==, g_str_has_prefix (st.name, "attachments/") ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
    }
  zip_discard (za);

  /* A zip is written to a temporary name and renamed: nothing else is left, and an
   * existing file is never replaced. */
  {
    g_autoptr(GError) exists = NULL;

    g_assert_false (dossier_export_package (f->store, &options, zip1, NULL, NULL, &exists));
    g_assert_error (exists, G_IO_ERROR, G_IO_ERROR_EXISTS);
    assert_nothing_left (f, f->dir);
  }

  /* Cancelled while the zip is written. */
  {
    g_autoptr(GError) cancelled = NULL;
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *out = g_build_filename (f->dir, "cancelled.zip", NULL);

    g_cancellable_cancel (cancellable);
    g_assert_false (dossier_export_package (f->store, &options, out, NULL, cancellable, &cancelled));
    g_assert_error (cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    assert_nothing_left (f, f->dir);
  }
}

/* Where each entry's data starts in a zip written by libzip (local headers carry the
 * sizes, no data descriptors). */
typedef struct
{
  char  *name;
  gsize  data;
  gsize  size;
} RawEntry;

static GArray *
raw_entries (const char *content,
             gsize       len)
{
  GArray *entries = g_array_new (FALSE, FALSE, sizeof (RawEntry));
  gsize at = 0;

  while (at + 30 <= len && memcmp (content + at, "PK\3\4", 4) == 0)
    {
      const guint8 *h = (const guint8 *)content + at;
      guint32 comp = h[18] | h[19] << 8 | h[20] << 16 | (guint32)h[21] << 24;
      guint16 name_len = h[26] | h[27] << 8;
      guint16 extra_len = h[28] | h[29] << 8;
      RawEntry e = { g_strndup (content + at + 30, name_len), at + 30 + name_len + extra_len, comp };

      g_array_append_val (entries, e);
      at = e.data + comp;
    }
  return entries;
}

/* Each entry changed by one byte, two ways: rewritten consistently with libzip (only
 * the manifest gives it away), and flipped in the raw zip (the zip's own checks do). */
static void
test_tamper_zip (Fixture       *f,
                 gconstpointer  data)
{
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = FILING_NO,
                                   .format = DOSSIER_EXPORT_FORMAT_ZIP };
  g_autofree char *zip_path = export_with (f, &options, "tamper.zip");
  g_autofree char *original = NULL;
  g_autoptr(GArray) raw = NULL;
  gsize len;
  guint n_attachments = 0;

  g_assert_true (g_file_get_contents (zip_path, &original, &len, NULL));
  raw = raw_entries (original, len);
  g_assert_cmpuint (raw->len, >=, 8);

  for (guint i = 0; i < raw->len; i++)
    {
      const RawEntry *e = &g_array_index (raw, RawEntry, i);
      g_autoptr(GPtrArray) findings = NULL;
      g_autofree char *copy = g_memdup2 (original, len);
      zip_t *za;
      zip_file_t *zf;
      zip_stat_t st;
      g_autofree char *content = NULL;
      gsize at;
      int zerr = 0;

      n_attachments += g_str_has_prefix (e->name, "attachments/");

      /* Consistent: a letter in the middle changed, the zip rewritten. */
      g_assert_true (g_file_set_contents (zip_path, original, len, NULL));
      za = zip_open (zip_path, 0, &zerr);
      g_assert_nonnull (za);
      g_assert_cmpint (zip_stat_index (za, i, 0, &st), ==, 0);
      content = g_malloc (st.size);
      zf = zip_fopen_index (za, i, 0);
      g_assert_cmpint (zip_fread (zf, content, st.size), ==, (zip_int64_t)st.size);
      zip_fclose (zf);
      at = st.size / 2;
      while (at < st.size - 1 && !g_ascii_isalpha (content[at]))
        at++;
      content[at] = content[at] == 'x' ? 'y' : 'x';
      g_assert_cmpint (zip_file_replace (za, i, zip_source_buffer (za, content, st.size, 0), 0), ==, 0);
      g_assert_cmpint (zip_close (za), ==, 0);

      findings = verify (zip_path);
      if (find (findings, NULL, e->name) == NULL)
        g_error ("changing %s in the zip was not reported against it", e->name);
      if (!g_str_equal (e->name, "manifest.xml"))
        g_assert_nonnull (find (findings, "PKG-HASH", e->name));
      g_clear_pointer (&findings, g_ptr_array_unref);

      /* Raw: one byte of the entry's data flipped; the CRC or the inflating fails. */
      copy[e->data + e->size / 2] ^= 0x20;
      g_assert_true (g_file_set_contents (zip_path, copy, len, NULL));
      findings = verify (zip_path);
      if (find (findings, NULL, e->name) == NULL)
        {
          for (guint j = 0; j < findings->len; j++)
            {
              g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, j));
              g_test_message ("%s", line);
            }
          g_error ("flipping a byte of %s in the zip was not reported against it", e->name);
        }
    }
  g_assert_cmpuint (n_attachments, >, 0);

  g_assert_true (g_file_set_contents (zip_path, original, len, NULL));
  assert_valid (zip_path);
  for (guint i = 0; i < raw->len; i++)
    g_free (g_array_index (raw, RawEntry, i).name);
}

/* Hostile zips ---------------------------------------------------------------------- */

typedef struct
{
  guint64 left;
} Zeros;

static zip_int64_t
zeros_callback (void             *state,
                void             *buffer,
                zip_uint64_t      length,
                zip_source_cmd_t  cmd)
{
  Zeros *z = state;

  switch (cmd)
    {
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_READ:
      length = MIN (length, z->left);
      memset (buffer, 0, length);
      z->left -= length;
      return (zip_int64_t)length;
    case ZIP_SOURCE_STAT:
      zip_stat_init (buffer);
      return 0;
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data (NULL, buffer, length);
    case ZIP_SOURCE_FREE:
      g_free (z);
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap (ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                             ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
    }
}

typedef enum
{
  HOSTILE_PLAIN,
  HOSTILE_SYMLINK,
  HOSTILE_ZEROS,      /* content: that many MiB of zeros, deflated */
  HOSTILE_ENCRYPTED,
} HostileKind;

static void
add_entry (zip_t       *za,
           const char  *name,
           const char  *content,
           HostileKind  kind,
           guint        mib)
{
  zip_source_t *source;
  zip_int64_t idx;

  if (kind == HOSTILE_ZEROS)
    {
      Zeros *z = g_new0 (Zeros, 1);

      z->left = (guint64)mib << 20;
      source = zip_source_function (za, zeros_callback, z);
    }
  else
    source = zip_source_buffer (za, content, strlen (content), 0);
  g_assert_nonnull (source);
  idx = zip_file_add (za, name, source, ZIP_FL_ENC_RAW);
  g_assert_cmpint (idx, >=, 0);
  if (kind == HOSTILE_SYMLINK)
    g_assert_cmpint (zip_file_set_external_attributes (za, idx, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)(S_IFLNK | 0777) << 16), ==, 0);
  if (kind == HOSTILE_ZEROS)
    g_assert_cmpint (zip_set_file_compression (za, idx, ZIP_CM_DEFLATE, 9), ==, 0);
  if (kind == HOSTILE_ENCRYPTED)
    g_assert_cmpint (zip_file_set_encryption (za, idx, ZIP_EM_AES_256, "secret"), ==, 0);
}

static char *
make_zip (Fixture     *f,
          const char  *name,
          const char  *entry,
          const char  *content,
          HostileKind  kind,
          guint        mib)
{
  char *path = g_build_filename (f->dir, name, NULL);
  int zerr = 0;
  zip_t *za = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

  g_assert_nonnull (za);
  add_entry (za, "package.xml", "<?xml version=\"1.0\"?>\n<package xmlns=\"urn:io.github.dossier:package:1\"/>\n",
             HOSTILE_PLAIN, 0);
  add_entry (za, entry, content, kind, mib);
  g_assert_cmpint (zip_close (za), ==, 0);
  return path;
}

/* Replaces every occurrence of from by to (the same length) in the raw file. */
static void
patch_bytes (const char *path,
             const char *from,
             const char *to,
             gsize       n)
{
  g_autofree char *content = NULL;
  gsize len;
  guint replaced = 0;

  g_assert_true (g_file_get_contents (path, &content, &len, NULL));
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (content + i, from, n) == 0)
      {
        memcpy (content + i, to, n);
        replaced++;
      }
  g_assert_cmpuint (replaced, >, 0);
  g_assert_true (g_file_set_contents (path, content, len, NULL));
}

/* verify names the rule and the file; unpacking is refused and writes nothing,
 * neither in the destination's folder nor outside it. */
static void
assert_hostile (Fixture    *f,
                const char *zip_path,
                const char *rule_id,
                const char *file,
                gboolean    unpack_refused)
{
  g_autoptr(GPtrArray) findings = verify (zip_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "unpack", NULL);
  g_autofree char *dest = g_build_filename (sub, "pkg", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "evil", NULL);

  if (find (findings, rule_id, file) == NULL)
    {
      for (guint i = 0; i < findings->len; i++)
        {
          g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
          g_test_message ("%s", line);
        }
      g_error ("%s: no %s finding about %s", zip_path, rule_id, file != NULL ? file : "the package");
    }
  g_assert_cmpuint (dossier_package_count_errors (findings), >, 0);

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  if (unpack_refused)
    {
      g_assert_false (dossier_package_unpack (zip_path, dest, NULL, &error));
      g_assert_error (error, DOSSIER_PACKAGE_ERROR, DOSSIER_PACKAGE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, rule_id));
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
      assert_nothing_left (f, sub);
    }
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/tmp/dossier-test-evil", G_FILE_TEST_EXISTS));
  dt_remove_tree (sub);
}

static void
test_hostile_zip (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;

  path = make_zip (f, "dotdot.zip", "../evil", "evil", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-PATH", "../evil", TRUE);
  g_clear_pointer (&path, g_free);
  /* Deeper, so that unpacking into unpack/pkg would land in the fixture's folder. */
  path = make_zip (f, "dotdot2.zip", "records/../../../evil", "evil", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-PATH", "records/../../../evil", TRUE);
  g_clear_pointer (&path, g_free);
  path = make_zip (f, "absolute.zip", "/tmp/dossier-test-evil", "evil", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-PATH", "/tmp/dossier-test-evil", TRUE);
  g_clear_pointer (&path, g_free);
  path = make_zip (f, "backslash.zip", "records\\..\\evil", "evil", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-PATH", "records\\..\\evil", TRUE);
  g_clear_pointer (&path, g_free);
  path = make_zip (f, "symlink.zip", "link", "/etc/passwd", HOSTILE_SYMLINK, 0);
  assert_hostile (f, path, "PKG-PATH", "link", TRUE);
  g_clear_pointer (&path, g_free);
  path = make_zip (f, "latin1-name.zip", "caf\xE9.txt", "x", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-PATH", "caf\xEF\xBF\xBD.txt", TRUE);
  g_clear_pointer (&path, g_free);

  /* A duplicate: written under another name of the same length, then renamed in the
   * raw bytes of both headers. */
  path = make_zip (f, "duplicate.zip", "packagf.xml", "<x/>", HOSTILE_PLAIN, 0);
  patch_bytes (path, "packagf.xml", "package.xml", strlen ("package.xml"));
  assert_hostile (f, path, "PKG-ZIP", "package.xml", TRUE);
  g_clear_pointer (&path, g_free);

  /* Content that is no package XML, in an otherwise safe zip: verify refuses it
   * (unpacking does not read content). */
  path = make_zip (f, "latin1.zip", "records/x/record.xml",
                   "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<record>caf\xE9</record>\n", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-XML", "records/x/record.xml", FALSE);
  g_clear_pointer (&path, g_free);
  path = make_zip (f, "doctype.zip", "records/x/record.xml",
                   "<?xml version=\"1.0\"?>\n<!DOCTYPE record [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n"
                   "<record xmlns=\"urn:io.github.dossier:record:1\">&b;</record>\n", HOSTILE_PLAIN, 0);
  assert_hostile (f, path, "PKG-XML", "records/x/record.xml", FALSE);
  g_clear_pointer (&path, g_free);

  /* Too many entries. */
  {
    DossierPackageZipLimits limits;

    dossier_package_zip_get_limits (&limits);
    limits.max_entries = 1;
    dossier_package_zip_set_limits_for_testing (&limits);
    path = make_zip (f, "many.zip", "two", "2", HOSTILE_PLAIN, 0);
    assert_hostile (f, path, "PKG-ZIP", NULL, TRUE);
    dossier_package_zip_set_limits_for_testing (NULL);
    g_clear_pointer (&path, g_free);
  }
}

/* 200 MiB of zeros: refused by its ratio, by the total size, and when the header
 * lies about its size, by counting what is actually inflated. */
static void
test_zip_bomb (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = make_zip (f, "bomb.zip", "attachments/zeros", NULL, HOSTILE_ZEROS, 200);
  DossierPackageZipLimits limits;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("200 MiB of zeros in %" G_GINT64_FORMAT " bytes", (gint64)st.st_size);
  g_assert_cmpint (st.st_size, <, 1 << 20);

  assert_hostile (f, path, "PKG-ZIP", "attachments/zeros", TRUE);

  dossier_package_zip_get_limits (&limits);
  limits.max_ratio = G_MAXUINT64;
  limits.max_total_bytes = 64 << 20;
  dossier_package_zip_set_limits_for_testing (&limits);
  assert_hostile (f, path, "PKG-ZIP", "attachments/zeros", TRUE);

  /* The declared size (in both headers) says 1 KiB. */
  {
    guint32 size = 200u << 20;
    guint8 from[4] = { size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, size >> 24 };
    guint8 to[4] = { 0x00, 0x04, 0x00, 0x00 };

    patch_bytes (path, (const char *)from, (const char *)to, 4);
    limits.max_total_bytes = G_MAXUINT64;
    dossier_package_zip_set_limits_for_testing (&limits);
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sub = g_build_filename (f->dir, "lie", NULL);
      g_autofree char *dest = g_build_filename (sub, "pkg", NULL);

      g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
      g_assert_false (dossier_package_unpack (path, dest, NULL, &error));
      g_assert_error (error, DOSSIER_PACKAGE_ERROR, DOSSIER_PACKAGE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "attachments/zeros"));
      g_assert_nonnull (strstr (error->message, "PKG-ZIP"));
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
      assert_nothing_left (f, sub);
    }
  }
  dossier_package_zip_set_limits_for_testing (NULL);
}

static void
test_encrypted_zip (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;

  if (!zip_encryption_method_supported (ZIP_EM_AES_256, 1))
    {
      g_test_skip ("this libzip cannot write encrypted entries");
      return;
    }
  path = make_zip (f, "encrypted.zip", "secret.txt", "secret", HOSTILE_ENCRYPTED, 0);
  assert_hostile (f, path, "PKG-ZIP", "secret.txt", TRUE);
}

/* xmllint agrees with the built-in validation ---------------------------------- */

static gboolean
xmllint_accepts (const char *xmllint,
                 const char *schema,
                 const char *file)
{
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *argv[] = { xmllint, "--noout", "--nonet", "--schema", schema, file, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

static void
assert_agree (const char *xmllint,
              const char *schema,
              const char *file,
              const char *rel,
              gboolean    expected)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  g_autofree char *content = NULL;
  gsize len;
  gboolean ours, theirs;

  g_assert_true (g_file_get_contents (file, &content, &len, NULL));
  ours = dossier_package_validate_xml (rel, content, len, findings);
  theirs = xmllint_accepts (xmllint, schema, file);
  g_test_message ("%s: ours %s, xmllint %s", rel, ours ? "valid" : "invalid", theirs ? "valid" : "invalid");
  g_assert_cmpint (ours, ==, theirs);
  g_assert_cmpint (ours, ==, expected);
}

static void
test_xmllint_agrees (Fixture       *f,
                     gconstpointer  data)
{
  const char *xmllint = "/usr/bin/xmllint";
  DossierExportOptions options = { .scope = DOSSIER_EXPORT_SCOPE_FILING, .filing_no = FILING_NO };
  g_autofree char *out = NULL;
  g_autofree char *package_xsd = NULL;
  g_autofree char *record_xsd = NULL;
  g_autoptr(GPtrArray) files = NULL;
  struct
  {
    const char *rel;
    const char *from;
    const char *to;
  } bad[] = {
    /* An invalid record: a release the schema does not allow, an unknown element. */
    { "records/DSR-2026-000003/record.xml", "schemaVersion=\"1.0\"", "schemaVersion=\"2.0\"" },
    { "records/DSR-2026-000003/record.xml", "<signatures", "<unknown/><signatures" },
    { "package.xml", "<generator ", "<unknown/><generator " },
    { "package.xml", "urn:io.github.dossier:package:1", "urn:example:other" },
    { "filings/440000-20240003/filing.xml", "<caseThreshold>30", "<caseThreshold>-30" },
    { "manifest.xml", "sha256=\"", "sha256=\"Z" },
  };

  if (!g_file_test (xmllint, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("xmllint is not installed");
      return;
    }

  out = export_with (f, &options, "lint");
  package_xsd = g_build_filename (out, "schemas", "package-1.xsd", NULL);
  record_xsd = g_build_filename (out, "schemas", "record-1.xsd", NULL);

  /* Good samples: every XML file of the package. */
  files = files_of (out);
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *full = g_build_filename (out, rel, NULL);

      if (g_str_has_suffix (rel, ".xml"))
        assert_agree (xmllint, g_str_has_suffix (rel, "record.xml") ? record_xsd : package_xsd, full, rel, TRUE);
    }

  /* Bad samples, written beside the package. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = read_text (out, bad[i].rel);
      g_autoptr(GString) changed = g_string_new (text);
      g_autofree char *name = g_strdup_printf ("bad-%u.xml", i);
      g_autofree char *full = g_build_filename (f->dir, name, NULL);

      g_assert_cmpuint (g_string_replace (changed, bad[i].from, bad[i].to, 1), ==, 1);
      g_assert_true (g_file_set_contents (full, changed->str, changed->len, NULL));
      assert_agree (xmllint, g_str_has_suffix (bad[i].rel, "record.xml") ? record_xsd : package_xsd,
                    full, bad[i].rel, FALSE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/export/unit", Fixture, NULL, fixture_set_up, test_export_unit, fixture_tear_down);
  g_test_add ("/export/all-deterministic", Fixture, NULL, fixture_set_up, test_export_all, fixture_tear_down);
  g_test_add ("/export/generated-at", Fixture, NULL, fixture_set_up, test_generated_at, fixture_tear_down);
  g_test_add ("/export/signature-and-stored-check", Fixture, NULL, fixture_set_up, test_signature_and_stored_check, fixture_tear_down);
  g_test_add ("/export/nfc", Fixture, NULL, fixture_set_up, test_nfc, fixture_tear_down);
  g_test_add ("/export/failures-leave-nothing", Fixture, NULL, fixture_set_up, test_failures_leave_nothing, fixture_tear_down);
  g_test_add ("/verify/tamper", Fixture, NULL, fixture_set_up, test_tamper, fixture_tear_down);
  g_test_add ("/verify/tamper-filing", Fixture, FILING_NO, fixture_set_up, test_tamper, fixture_tear_down);
  g_test_add ("/verify/unlisted-and-paths", Fixture, NULL, fixture_set_up, test_unlisted_and_paths, fixture_tear_down);
  g_test_add ("/verify/hostile-xml", Fixture, NULL, fixture_set_up, test_hostile_xml, fixture_tear_down);
  g_test_add ("/export/filing", Fixture, NULL, fixture_set_up, test_export_filing, fixture_tear_down);
  g_test_add ("/export/range", Fixture, NULL, fixture_set_up, test_export_range, fixture_tear_down);
  g_test_add ("/export/scope-errors", Fixture, NULL, fixture_set_up, test_scope_errors, fixture_tear_down);
  g_test_add ("/export/permission", Fixture, NULL, fixture_set_up, test_permission, fixture_tear_down);
  g_test_add ("/export/zip", Fixture, NULL, fixture_set_up, test_zip, fixture_tear_down);
  g_test_add ("/verify/tamper-zip", Fixture, NULL, fixture_set_up, test_tamper_zip, fixture_tear_down);
  g_test_add ("/verify/hostile-zip", Fixture, NULL, fixture_set_up, test_hostile_zip, fixture_tear_down);
  g_test_add ("/verify/zip-bomb", Fixture, NULL, fixture_set_up, test_zip_bomb, fixture_tear_down);
  g_test_add ("/verify/encrypted-zip", Fixture, NULL, fixture_set_up, test_encrypted_zip, fixture_tear_down);
  g_test_add ("/verify/xmllint-agrees", Fixture, NULL, fixture_set_up, test_xmllint_agrees, fixture_tear_down);

  return g_test_run ();
}
