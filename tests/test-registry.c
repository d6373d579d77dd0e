/* test-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-registry"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-new-dossier-dialog.h"
#include "dossier-registry-form.h"
#include "dossier-registry-page.h"
#include "dossier-registry-window.h"
#include "dossier-store.h"
#include "dossier-window.h"

#define TIMEOUT_S 10

/* Institution A is the partner of a filed filing, B has no filing, C is
 * inactive; each of A and B has an active clinician. */
typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        inst_a;
  gint64        inst_b;
  gint64        inst_c;
  gint64        clin_a;
  gint64        clin_b;
  gint64        filing;
  gint64        draft_filing;
  gint64        patient;
  gint64        model;
} Fixture;

/* Helpers ---------------------------------------------------------------------- */

static gint64
insert (DossierStore       *store,
        const char         *table,
        const DossierField *fields)
{
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_store_insert (store, table, fields, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *product = NULL;

  f->dir = g_dir_make_tmp ("dossier-registry-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "registry.db", NULL);
  f->store = dossier_store_open (path, &error);
  g_assert_no_error (error);

  f->inst_a = insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "广东省人民医院" },
    { "practising_licence", "PDY12345644010011A1001" },
    { "province_code", "440000" },
    { NULL } });
  f->inst_b = insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "北京协和医院" },
    { "practising_licence", "PDY12345611010011A1001" },
    { "province_code", "110000" },
    { NULL } });
  f->inst_c = insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "停用医院" },
    { "practising_licence", "PDY12345631010011A1001" },
    { "province_code", "310000" },
    { "active", "0" },
    { NULL } });
  a = id_text (f->inst_a);
  b = id_text (f->inst_b);
  c = id_text (f->inst_c);

  f->clin_a = insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", a },
    { "name_zh", "李明" },
    { "certificate_no", "110440100012345" },
    { NULL } });
  f->clin_b = insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", b },
    { "name_zh", "王芳" },
    { "certificate_no", "110110100012345" },
    { NULL } });
  insert (f->store, "clinician", (DossierField[]) {
    { "institution_id", c },
    { "name_zh", "赵强" },
    { "certificate_no", "110310100012345" },
    { NULL } });

  f->filing = insert (f->store, "filing", (DossierField[]) {
    { "number", "粤械定制备20250001号" },
    { "province_code", "440000" },
    { "filed_on", "2025-03-01" },
    { "status", "filed" },
    { "institution_id", a },
    { "device_name", "定制式颅骨修补板" },
    { NULL } });
  f->draft_filing = insert (f->store, "filing", (DossierField[]) {
    { "province_code", "110000" },
    { "institution_id", b },
    { "device_name", "定制式下颌骨假体" },
    { NULL } });

  f->patient = insert (f->store, "patient", (DossierField[]) {
    { "code", "P-2026-0001" },
    { "sex", "female" },
    { "birth_year", "1970" },
    { NULL } });

  product = id_text (insert (f->store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" },
    { "device_class", "3" },
    { "name_zh", "3D打印髋臼杯" },
    { NULL } }));
  f->model = insert (f->store, "product_model", (DossierField[]) {
    { "product_id", product },
    { "code", "AC-52" },
    { NULL } });
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

static void
run_pending (void)
{
  /* Lets layout and idle handlers run, a few frames' worth. */
  gint64 end = g_get_monotonic_time () + 100 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static gboolean
label_shown (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (label_shown (c, text))
      return TRUE;

  return FALSE;
}

static gint64
query_int (DossierStore *store,
           const char   *sql,
           gint64        arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (dossier_store_get_handle (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
row_value (DossierStore *store,
           const char   *table,
           gint64        id,
           const char   *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = dossier_store_get_row (store, table, id, &error);

  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (row, column));
}

static DossierRegistryWindow *
show_registers (Fixture    *f,
                const char *table)
{
  GtkWidget *window = dossier_registry_window_new (NULL, f->store);

  gtk_window_set_default_size (GTK_WINDOW (window), 1120, 760);
  gtk_window_present (GTK_WINDOW (window));
  dossier_registry_window_show_page (DOSSIER_REGISTRY_WINDOW (window), table);
  run_pending ();

  return DOSSIER_REGISTRY_WINDOW (window);
}

static void
type_text (DossierRegistryForm *form,
           const char          *column,
           const char          *text)
{
  GtkWidget *widget = dossier_registry_form_get_field_widget (form, column);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

/* The registers ------------------------------------------------------------------ */

static void
test_uscc_refused (Fixture       *f,
                   gconstpointer  user_data)
{
  DossierRegistryWindow *window = show_registers (f, "manufacturer");
  DossierRegistryPage *page = dossier_registry_window_get_page (window, "manufacturer");
  DossierRegistryForm *form = dossier_registry_page_get_form (page);
  GtkWidget *uscc;
  const char *message;
  gint64 audited;
  gint64 id;

  /* No profile yet: the page is the empty form. */
  g_assert_cmpint (dossier_registry_form_get_record_id (form), ==, 0);
  uscc = dossier_registry_form_get_field_widget (form, "uscc");
  g_assert_true (ADW_IS_ENTRY_ROW (uscc));

  type_text (form, "name_zh", "深圳定制医疗器械有限公司");
  type_text (form, "uscc", "91440300MA5F00001B");   /* wrong check character */
  g_assert_cmpint (dossier_registry_form_add (form), ==, 0);
  run_pending ();

  /* The field is marked and says what is wrong; nothing reached the database. */
  message = dossier_registry_form_get_field_error (form, "uscc");
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Unified social credit code: "));
  g_assert_true (gtk_widget_has_css_class (uscc, "error"));
  g_assert_true (label_shown (GTK_WIDGET (form), message));
  g_assert_null (dossier_registry_form_get_field_error (form, "name_zh"));
  g_assert_cmpint (dossier_store_count (f->store, "manufacturer"), ==, 0);

  /* Lower case is refused too, with its own message. */
  type_text (form, "uscc", "91440300ma5f00001a");
  g_assert_false (dossier_registry_form_apply (form, "uscc"));
  g_assert_nonnull (strstr (dossier_registry_form_get_field_error (form, "uscc"), "capital letters"));

  /* Correcting it clears the mark as it is typed. */
  type_text (form, "uscc", "91440300MA5F00001A");
  g_assert_null (dossier_registry_form_get_field_error (form, "uscc"));
  g_assert_false (gtk_widget_has_css_class (uscc, "error"));

  id = dossier_registry_form_add (form);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (dossier_registry_form_get_record_id (form), ==, id);
  g_assert_cmpint (dossier_store_count (f->store, "manufacturer"), ==, 1);

  /* A change to the stored profile is checked the same way. */
  audited = query_int (f->store, "SELECT count(*) FROM audit_log WHERE table_name = 'manufacturer' AND ?1", 1);
  uscc = dossier_registry_form_get_field_widget (form, "uscc");
  type_text (form, "uscc", "9144030OMA5F00001A");    /* letter O for zero */
  g_assert_false (dossier_registry_form_apply (form, "uscc"));
  g_assert_true (g_str_has_prefix (dossier_registry_form_get_field_error (form, "uscc"), "Unified social credit code: "));
  g_assert_true (gtk_widget_has_css_class (uscc, "error"));
  {
    g_autofree char *stored = row_value (f->store, "manufacturer", id, "uscc");
    g_assert_cmpstr (stored, ==, "91440300MA5F00001A");
  }
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit_log WHERE table_name = 'manufacturer' AND ?1", 1),
                   ==, audited);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_institution_saved (Fixture       *f,
                        gconstpointer  user_data)
{
  DossierRegistryWindow *window = show_registers (f, "institution");
  DossierRegistryPage *page = dossier_registry_window_get_page (window, "institution");
  DossierRegistryForm *form = dossier_registry_page_get_form (page);
  guint listed = dossier_registry_page_get_n_records (page);
  g_autofree char *name = NULL;
  g_autofree char *province = NULL;
  g_autofree char *english = NULL;
  gint64 id;

  g_assert_cmpuint (listed, ==, 3);

  dossier_registry_page_add_record (page);
  run_pending ();
  g_assert_cmpint (dossier_registry_form_get_record_id (form), ==, 0);

  /* Provinces are chosen by name; the form stores the code. */
  g_assert_true (ADW_IS_COMBO_ROW (dossier_registry_form_get_field_widget (form, "province_code")));
  type_text (form, "name_zh", "四川大学华西医院");
  type_text (form, "practising_licence", "PDY12345651010011A1001");
  dossier_registry_form_set_value (form, "province_code", "510000");

  id = dossier_registry_form_add (form);
  g_assert_cmpint (id, >, 0);
  g_assert_null (dossier_registry_form_get_error (form));

  /* In the database, audited, listed and shown. */
  name = row_value (f->store, "institution", id, "name_zh");
  province = row_value (f->store, "institution", id, "province_code");
  g_assert_cmpstr (name, ==, "四川大学华西医院");
  g_assert_cmpstr (province, ==, "510000");
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM audit_log WHERE table_name = 'institution' "
                              "AND row_id = ?1 AND action = 'create'", id), >, 0);
  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, listed + 1);
  g_assert_cmpint (dossier_registry_form_get_record_id (form), ==, id);
  run_pending ();
  g_assert_true (label_shown (GTK_WIDGET (page), "四川大学华西医院"));

  /* A change is committed (and audited) as it is applied. */
  type_text (form, "name_en", "West China Hospital");
  g_assert_true (dossier_registry_form_apply (form, "name_en"));
  english = row_value (f->store, "institution", id, "name_en");
  g_assert_cmpstr (english, ==, "West China Hospital");
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM audit_log WHERE table_name = 'institution' "
                              "AND row_id = ?1 AND action = 'update' AND field = 'name_en'", id), ==, 1);

  /* A duplicate licence is refused by the store, under the field. */
  dossier_registry_page_add_record (page);
  type_text (form, "name_zh", "重复医院");
  type_text (form, "practising_licence", "PDY12345651010011A1001");
  dossier_registry_form_set_value (form, "province_code", "510000");
  g_assert_cmpint (dossier_registry_form_add (form), ==, 0);
  g_assert_true (g_str_has_prefix (dossier_registry_form_get_field_error (form, "practising_licence"),
                                   "Practising licence number: "));
  g_assert_cmpint (dossier_store_count (f->store, "institution"), ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_delete_refused (Fixture       *f,
                     gconstpointer  user_data)
{
  DossierRegistryWindow *window = show_registers (f, "institution");
  DossierRegistryPage *page = dossier_registry_window_get_page (window, "institution");
  DossierRegistryForm *form = dossier_registry_page_get_form (page);
  g_autoptr(GError) error = NULL;
  gint64 spare;

  /* Clinicians and a filing refer to A. */
  g_assert_true (dossier_registry_page_select (page, f->inst_a));
  g_assert_false (dossier_registry_form_delete (form, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (dossier_registry_form_get_error (form), ==, error->message);
  run_pending ();
  g_assert_true (label_shown (GTK_WIDGET (form), error->message));
  g_assert_cmpint (dossier_store_count (f->store, "institution"), ==, 3);

  /* One nobody refers to goes. */
  spare = insert (f->store, "institution", (DossierField[]) {
    { "name_zh", "空闲医院" },
    { "practising_licence", "PDY12345632010011A1001" },
    { "province_code", "320000" },
    { NULL } });
  dossier_registry_page_reload (page);
  g_assert_true (dossier_registry_page_select (page, spare));
  g_assert_true (dossier_registry_form_delete (form, NULL));
  g_assert_cmpint (dossier_store_count (f->store, "institution"), ==, 3);
  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_clinicians_filtered (Fixture       *f,
                          gconstpointer  user_data)
{
  DossierRegistryWindow *window = show_registers (f, "clinician");
  DossierRegistryPage *page = dossier_registry_window_get_page (window, "clinician");
  DossierRegistryForm *form = dossier_registry_page_get_form (page);
  g_autofree char *institution = NULL;
  gint64 id;

  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, 3);
  dossier_registry_page_set_filter (page, f->inst_a);
  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, 1);
  dossier_registry_page_set_search (page, "nobody");
  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, 0);
  dossier_registry_page_set_search (page, NULL);

  /* A clinician added while one institution is shown works there. */
  dossier_registry_page_add_record (page);
  type_text (form, "name_zh", "陈华");
  type_text (form, "certificate_no", "1104401000123");   /* too short */
  g_assert_cmpint (dossier_registry_form_add (form), ==, 0);
  g_assert_true (g_str_has_prefix (dossier_registry_form_get_field_error (form, "certificate_no"),
                                   "Practising certificate number: "));
  type_text (form, "certificate_no", "110440100054321");
  id = dossier_registry_form_add (form);
  g_assert_cmpint (id, >, 0);
  institution = row_value (f->store, "clinician", id, "institution_id");
  g_assert_cmpint (g_ascii_strtoll (institution, NULL, 10), ==, f->inst_a);
  g_assert_cmpuint (dossier_registry_page_get_n_records (page), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* New dossier ---------------------------------------------------------------------- */

static gboolean
offered (DossierNewDossierDialog *dialog,
         const char              *what,
         gint64                   id)
{
  g_autoptr(GArray) ids = dossier_new_dossier_dialog_get_offered (dialog, what);

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;

  return FALSE;
}

static guint
n_offered (DossierNewDossierDialog *dialog,
           const char              *what)
{
  g_autoptr(GArray) ids = dossier_new_dossier_dialog_get_offered (dialog, what);

  return ids->len;
}

static DossierNewDossierDialog *
show_dialog (Fixture   *f,
             GtkWindow *parent)
{
  GtkWidget *dialog = dossier_new_dossier_dialog_new (parent, f->store);

  gtk_window_present (GTK_WINDOW (dialog));
  run_pending ();

  return DOSSIER_NEW_DOSSIER_DIALOG (dialog);
}

static void
test_new_partner_only (Fixture       *f,
                       gconstpointer  user_data)
{
  DossierNewDossierDialog *dialog = show_dialog (f, NULL);

  /* Nothing before the kind. */
  g_assert_cmpuint (n_offered (dialog, "institution"), ==, 0);

  /* Customized: only the partner of the filing in force. */
  dossier_new_dossier_dialog_set_kind (dialog, "customized");
  g_assert_cmpuint (n_offered (dialog, "institution"), ==, 1);
  g_assert_true (offered (dialog, "institution", f->inst_a));
  g_assert_false (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_b));
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_a));
  g_assert_cmpuint (n_offered (dialog, "filing"), ==, 1);
  g_assert_true (offered (dialog, "filing", f->filing));
  g_assert_false (offered (dialog, "filing", f->draft_filing));
  g_assert_true (offered (dialog, "clinician", f->clin_a));
  g_assert_false (offered (dialog, "clinician", f->clin_b));
  g_assert_cmpuint (n_offered (dialog, "model"), ==, 0);

  /* Patient-matched: every active institution, never the inactive one. */
  dossier_new_dossier_dialog_set_kind (dialog, "patient-matched");
  g_assert_cmpuint (n_offered (dialog, "institution"), ==, 2);
  g_assert_true (offered (dialog, "institution", f->inst_b));
  g_assert_false (offered (dialog, "institution", f->inst_c));
  g_assert_cmpuint (n_offered (dialog, "filing"), ==, 0);
  g_assert_true (offered (dialog, "model", f->model));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_new_create_enabled (Fixture       *f,
                         gconstpointer  user_data)
{
  DossierNewDossierDialog *dialog = show_dialog (f, NULL);
  GtkWidget *create = child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "create_button");
  GtkWidget *hint = child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "hint_label");

  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (hint)), ==, "Choose the kind of device.");

  dossier_new_dossier_dialog_set_kind (dialog, "patient-matched");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_b));
  g_assert_false (gtk_widget_get_sensitive (create));
  /* The only clinician is chosen for you. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (hint)), ==,
                   "Enter the patient’s code, or pick an existing patient.");
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "model", f->model));
  g_assert_false (gtk_widget_get_sensitive (create));

  /* A name is not a code. */
  dossier_new_dossier_dialog_set_patient (dialog, "张三", "male", NULL);
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_has_css_class (child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "patient_code_row"),
                                           "error"));
  run_pending ();
  {
    GtkLabel *error = child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "patient_error_label");

    g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (error)));
    g_assert_true (g_str_has_prefix (gtk_label_get_label (error), "Patient code: "));
  }

  /* A new code without the patient's sex is not complete yet. */
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0100", NULL, NULL);
  g_assert_false (gtk_widget_get_sensitive (create));
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0100", "male", "1950");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_true (dossier_new_dossier_dialog_get_can_create (dialog));

  /* An existing code needs nothing more. */
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0001", NULL, NULL);
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_false (gtk_widget_get_visible (child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "sex_row")));

  /* Switching the kind drops what the other kind needed. */
  dossier_new_dossier_dialog_set_kind (dialog, "customized");
  g_assert_false (gtk_widget_get_sensitive (create));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
on_created (DossierNewDossierDialog *dialog,
            gint64                   id,
            const char              *unit_no,
            gint64                  *created)
{
  g_assert_nonnull (unit_no);
  *created = id;
}

static void
test_new_creates (Fixture       *f,
                  gconstpointer  user_data)
{
  DossierNewDossierDialog *dialog = show_dialog (f, NULL);
  gint64 patients = dossier_store_count (f->store, "patient");
  gint64 created = 0;
  g_autofree char *kind = NULL;
  g_autofree char *filing = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *code = NULL;
  gint64 id;

  g_signal_connect (dialog, "created", G_CALLBACK (on_created), &created);

  dossier_new_dossier_dialog_set_kind (dialog, "customized");
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_a));
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "clinician", f->clin_a));
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0102", "female", "1988");
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "filing", f->filing));
  g_assert_true (dossier_new_dossier_dialog_get_can_create (dialog));

  g_object_ref (dialog);
  id = dossier_new_dossier_dialog_create (dialog);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (created, ==, id);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);

  /* The dossier and its new patient, in one go. */
  kind = row_value (f->store, "dossier", id, "kind");
  filing = row_value (f->store, "dossier", id, "filing_id");
  patient = row_value (f->store, "dossier", id, "patient_id");
  code = row_value (f->store, "patient", g_ascii_strtoll (patient, NULL, 10), "code");
  g_assert_cmpstr (kind, ==, "customized");
  g_assert_cmpint (g_ascii_strtoll (filing, NULL, 10), ==, f->filing);
  g_assert_cmpstr (code, ==, "P-2026-0102");
  g_assert_cmpint (dossier_store_count (f->store, "patient"), ==, patients + 1);
}

static void
test_new_refusal_shown (Fixture       *f,
                        gconstpointer  user_data)
{
  DossierNewDossierDialog *dialog = show_dialog (f, NULL);
  g_autoptr(GError) error = NULL;
  GtkLabel *message = child (dialog, DOSSIER_TYPE_NEW_DOSSIER_DIALOG, "error_label");
  gint64 dossiers = dossier_store_count (f->store, "dossier");

  dossier_new_dossier_dialog_set_kind (dialog, "customized");
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_a));
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0001", NULL, NULL);
  g_assert_true (dossier_new_dossier_dialog_get_can_create (dialog));

  /* Someone cancels the filing while the dialog is open. */
  g_assert_true (dossier_store_update (f->store, "filing", f->filing,
                                       (DossierField[]) { { "status", "cancelled" }, { NULL } }, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (dossier_new_dossier_dialog_create (dialog), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (message), "Institution: "));
  g_assert_cmpint (dossier_store_count (f->store, "dossier"), ==, dossiers);
  /* What is offered now no longer includes it. */
  g_assert_cmpuint (n_offered (dialog, "institution"), ==, 0);
  g_assert_false (dossier_new_dossier_dialog_get_can_create (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The main window ---------------------------------------------------------------- */

static GtkWindow *
find_toplevel (GType      type,
               GtkWindow *transient_for,
               guint     *n_found)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *found = NULL;

  *n_found = 0;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_window_get_transient_for (window) == transient_for &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          found = window;
          (*n_found)++;
        }
    }

  return found;
}

static void
test_window_actions (Fixture       *f,
                     gconstpointer  user_data)
{
  DossierWindow *window = dossier_window_new (NULL, f->store);
  GtkSingleSelection *selection;
  DossierNewDossierDialog *dialog;
  GtkWindow *registers;
  g_autoptr(DossierDossier) selected = NULL;
  guint n;
  gint64 id;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  /* One Registers window, however often it is asked for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.registers", NULL));
  run_pending ();
  registers = find_toplevel (DOSSIER_TYPE_REGISTRY_WINDOW, GTK_WINDOW (window), &n);
  g_assert_nonnull (registers);
  g_assert_cmpuint (n, ==, 1);
  g_assert_false (gtk_window_get_modal (registers));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.registers", NULL));
  run_pending ();
  find_toplevel (DOSSIER_TYPE_REGISTRY_WINDOW, GTK_WINDOW (window), &n);
  g_assert_cmpuint (n, ==, 1);
  gtk_window_destroy (registers);
  run_pending ();

  /* New dossier: a modal dialog; the new dossier ends up selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-dossier", NULL));
  run_pending ();
  dialog = DOSSIER_NEW_DOSSIER_DIALOG (find_toplevel (DOSSIER_TYPE_NEW_DOSSIER_DIALOG, GTK_WINDOW (window), &n));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  dossier_new_dossier_dialog_set_kind (dialog, "patient-matched");
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "institution", f->inst_b));
  dossier_new_dossier_dialog_set_patient (dialog, "P-2026-0001", NULL, NULL);
  g_assert_true (dossier_new_dossier_dialog_choose (dialog, "model", f->model));
  id = dossier_new_dossier_dialog_create (dialog);
  g_assert_cmpint (id, >, 0);
  run_pending ();

  selection = child (window, DOSSIER_TYPE_WINDOW, "selection");
  selected = g_object_ref (gtk_single_selection_get_selected_item (selection));
  g_assert_nonnull (selected);
  g_assert_cmpint (dossier_dossier_get_id (selected), ==, id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dossier_window_get_list (window))), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_no_display (void)
{
  g_test_skip ("No display; run under Xvfb (make test does)");
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/registry/no-display", test_no_display);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/registry/uscc-refused", test_uscc_refused);
  ADD ("/registry/institution-saved", test_institution_saved);
  ADD ("/registry/delete-refused", test_delete_refused);
  ADD ("/registry/clinicians-filtered", test_clinicians_filtered);
  ADD ("/new-dossier/partner-only", test_new_partner_only);
  ADD ("/new-dossier/create-enabled", test_new_create_enabled);
  ADD ("/new-dossier/creates", test_new_creates);
  ADD ("/new-dossier/refusal-shown", test_new_refusal_shown);
  ADD ("/new-dossier/window-actions", test_window_actions);
#undef ADD

  return g_test_run ();
}
