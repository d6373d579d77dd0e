/* test-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dossier-auth.h"
#include "dossier-check.h"
#include "dossier-demo.h"
#include "dossier-export.h"
#include "dossier-package-verify.h"
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
  /* The demo has accounts, so writing needs someone signed in. */
  g_assert_true (dossier_store_sign_in (f->store, "zhang.wei", "zhang.wei-demo", &error));
  g_assert_no_error (error);

  /* Attachments (on signed, delivered units, so with a reason): a larger one shared by two dossiers (stored once in the package)
   * and a small one with a Chinese name. */
  for (guint i = 0; i < 300000; i++)
    g_string_append_c (big, (char)('a' + (i * 7919) % 26));
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
  g_autofree char *out = export (f, DOSSIER_EXPORT_SCOPE_ALL, NULL, "tamper");
  g_autoptr(GPtrArray) files = files_of (out);

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
  /* "Café 骨" with a combining acute accent (NFD). */
  g_assert_true (dossier_store_update (f->store, "dossier", id,
                                       (DossierField[]) { { "notes", "Cafe\xCC\x81 \xE9\xAA\xA8" }, { NULL } },
                                       NULL, &error));
  g_assert_no_error (error);

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
  g_test_add ("/verify/unlisted-and-paths", Fixture, NULL, fixture_set_up, test_unlisted_and_paths, fixture_tear_down);
  g_test_add ("/verify/hostile-xml", Fixture, NULL, fixture_set_up, test_hostile_xml, fixture_tear_down);

  return g_test_run ();
}
