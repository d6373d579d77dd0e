/* test-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dossier-dossier-list.h"
#include "dossier-dossier-view.h"
#include "dossier-editor-attachments-page.h"
#include "dossier-editor-design-page.h"
#include "dossier-editor-field.h"
#include "dossier-editor-history-page.h"
#include "dossier-editor-logic.h"
#include "dossier-editor-record-dialog.h"
#include "dossier-editor-session.h"
#include "dossier-editor-undo.h"
#include "dossier-history.h"
#include "dossier-store.h"
#include "dossier-window.h"

#define TIMEOUT_S 20

typedef struct
{
  char         *dir;
  DossierStore *store;
  gint64        dossier_id;
  gint64        clinician2;
  char         *unit_no;
} Fixture;

/* Helpers --------------------------------------------------------------------------- */

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

static char *
value_of (DossierStore *store,
          const char   *table,
          gint64        id,
          const char   *column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) row = dossier_store_get_row (store, table, id, &error);

  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (row, column));
}

static GHashTable *
row_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
put (GHashTable *row,
     const char *column,
     const char *value)
{
  g_hash_table_insert (row, g_strdup (column), g_strdup (value));
}

static guint
count_rows (DossierStore *store,
            const char   *table,
            const char   *column,
            gint64        value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = dossier_store_list_rows (store, table, column, value, &error);

  g_assert_no_error (error);
  return rows->len;
}

static GPtrArray *
audit_of (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = dossier_store_dossier_audit (fixture->store, fixture->dossier_id, &error);

  g_assert_no_error (error);
  return entries;
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

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
run_pending (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static guint
count_named (GtkWidget  *widget,
             const char *name)
{
  guint n = g_strcmp0 (gtk_widget_get_name (widget), name) == 0 ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_named (c, name);

  return n;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_placeholder (GtkWidget  *widget,
                  const char *placeholder)
{
  if (GTK_IS_ENTRY (widget) && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_placeholder (c, placeholder);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
dump_labels (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    g_test_message ("label: %s", gtk_label_get_label (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    dump_labels (c);
}

static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;

  return FALSE;
}

/* The message row the field puts right after its own. */
static GtkWidget *
message_row_of (GtkWidget *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  g_assert_nonnull (next);
  g_assert_true (gtk_widget_has_css_class (next, "field-message-row"));
  return next;
}

/* Fixture ------------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *institution = NULL;
  g_autofree char *clinician = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *product = NULL;
  g_autofree char *model = NULL;

  fixture->dir = g_dir_make_tmp ("dossier-editor-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "editor.db", NULL);
  fixture->store = dossier_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (dossier_store_begin (fixture->store, &error));

  institution = id_text (insert (fixture->store, "institution", (DossierField[]) {
    { "name_zh", "广东省人民医院" },
    { "practising_licence", "PDY12345644010011A1001" },
    { "province_code", "440000" },
    { NULL } }));
  clinician = id_text (insert (fixture->store, "clinician", (DossierField[]) {
    { "institution_id", institution },
    { "name_zh", "李明" },
    { "department", "骨科" },
    { "certificate_no", "110440100012345" },
    { NULL } }));
  fixture->clinician2 = insert (fixture->store, "clinician", (DossierField[]) {
    { "institution_id", institution },
    { "name_zh", "王芳" },
    { "certificate_no", "110440100012346" },
    { NULL } });
  patient = id_text (insert (fixture->store, "patient", (DossierField[]) {
    { "code", "P-2026-0001" },
    { "sex", "female" },
    { "birth_year", "1970" },
    { NULL } }));
  product = id_text (insert (fixture->store, "product", (DossierField[]) {
    { "certificate_no", "国械注准20203130123" },
    { "device_class", "3" },
    { "name_zh", "3D打印髋臼杯" },
    { NULL } }));
  model = id_text (insert (fixture->store, "product_model", (DossierField[]) {
    { "product_id", product },
    { "code", "AC-52" },
    { NULL } }));

  fixture->dossier_id = dossier_store_create_dossier (fixture->store, (DossierField[]) {
    { "kind", "patient-matched" },
    { "status", "design" },
    { "institution_id", institution },
    { "clinician_id", clinician },
    { "patient_id", patient },
    { "model_id", model },
    { "ordered_on", "2026-03-01" },
    { "body_days", "3650" },
    { "condition", "右髋臼骨缺损" },
    { NULL } }, &fixture->unit_no, &error);
  g_assert_no_error (error);

  g_assert_true (dossier_store_commit (fixture->store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->unit_no, g_free);
}

static DossierDossier *
dossier_object (Fixture *fixture)
{
  g_autoptr(DossierDossierList) list = dossier_dossier_list_new (fixture->store);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (list), 0);
}

typedef struct
{
  GtkWindow          *window;
  DossierDossierView *view;
  guint               n_changed;
} Editor;

static void
on_dossier_changed (DossierDossierView *view,
                    gint64              id,
                    Editor             *editor)
{
  editor->n_changed++;
}

static void
editor_open (Editor  *editor,
             Fixture *fixture)
{
  g_autoptr(DossierDossier) dossier = dossier_object (fixture);

  editor->window = GTK_WINDOW (gtk_window_new ());
  editor->view = DOSSIER_DOSSIER_VIEW (dossier_dossier_view_new ());
  editor->n_changed = 0;
  gtk_window_set_default_size (editor->window, 900, 800);
  gtk_window_set_child (editor->window, GTK_WIDGET (editor->view));
  dossier_dossier_view_set_store (editor->view, fixture->store);
  dossier_dossier_view_set_dossier (editor->view, dossier);
  g_signal_connect (editor->view, "dossier-changed", G_CALLBACK (on_dossier_changed), editor);
  gtk_window_present (editor->window);
  run_pending ();
}

static void
editor_close (Editor *editor)
{
  gtk_window_destroy (editor->window);
  run_pending ();
}

static GtkWidget *
page (Editor     *editor,
      const char *name)
{
  GtkWidget *widget = dossier_dossier_view_get_page_widget (editor->view, name);

  g_assert_nonnull (widget);
  return widget;
}

/* Widget tests ---------------------------------------------------------------------- */

static void
test_order_field (Fixture       *fixture,
                  gconstpointer  user_data)
{
  Editor editor;
  GtkWidget *row;
  g_autoptr(GPtrArray) before = audit_of (fixture);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *stored = NULL;
  DossierAuditEntry *last;

  editor_open (&editor, fixture);

  /* The binding is shown, read-only. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (page (&editor, "order"), "institution"))), ==,
                   "广东省人民医院");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (page (&editor, "order"), "patient_code"))), ==,
                   "P-2026-0001");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_named (page (&editor, "order"), "reference"))), ==, "AC-52");

  /* An order field commits on Enter. */
  row = find_named (page (&editor, "order"), "dossier.lesion_site");
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), "右侧髋臼");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();

  stored = value_of (fixture->store, "dossier", fixture->dossier_id, "lesion_site");
  g_assert_cmpstr (stored, ==, "右侧髋臼");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  after = audit_of (fixture);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  last = g_ptr_array_index (after, after->len - 1);
  g_assert_cmpstr (last->action, ==, "update");
  g_assert_cmpstr (last->table_name, ==, "dossier");
  g_assert_cmpstr (last->field, ==, "lesion_site");
  g_assert_cmpstr (last->new_value, ==, "右侧髋臼");

  /* The list is told (once the burst is over). */
  g_assert_cmpuint (editor.n_changed, ==, 1);

  /* Nothing changed, nothing written. */
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();
  g_clear_pointer (&after, g_ptr_array_unref);
  after = audit_of (fixture);
  g_assert_cmpuint (after->len, ==, before->len + 1);

  /* A reference is a combo of names; choosing commits at once. */
  row = find_named (page (&editor, "order"), "dossier.clinician_id");
  g_assert_true (ADW_IS_COMBO_ROW (row));
  {
    GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
    guint n = g_list_model_get_n_items (model);
    guint wang = GTK_INVALID_LIST_POSITION;
    g_autofree char *clinician = NULL;
    g_autofree char *expected = id_text (fixture->clinician2);

    for (guint i = 0; i < n; i++)
      if (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "王芳"))
        wang = i;
    g_assert_cmpuint (wang, !=, GTK_INVALID_LIST_POSITION);
    g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (ADW_COMBO_ROW (row))),
                                     "李明"));
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), wang);
    run_pending ();
    clinician = value_of (fixture->store, "dossier", fixture->dossier_id, "clinician_id");
    g_assert_cmpstr (clinician, ==, expected);
  }

  editor_close (&editor);
}

static void
test_invalid_values (Fixture       *fixture,
                     gconstpointer  user_data)
{
  Editor editor;
  GtkWidget *row;
  GtkWidget *message;
  GtkWidget *label;
  g_autoptr(GPtrArray) before = audit_of (fixture);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *fixed = NULL;

  editor_open (&editor, fixture);

  row = find_named (page (&editor, "order"), "dossier.ordered_on");
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  message = message_row_of (row);
  g_assert_false (gtk_widget_get_visible (message));

  gtk_editable_set_text (GTK_EDITABLE (row), "2026-13-45");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();

  /* Marked, with the store's message naming the field; what was typed stays. */
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_true (gtk_widget_get_visible (message));
  label = find_type (message, GTK_TYPE_LABEL);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "Order date:"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "2026-13-45");

  /* Nothing reached the database. */
  stored = value_of (fixture->store, "dossier", fixture->dossier_id, "ordered_on");
  g_assert_cmpstr (stored, ==, "2026-03-01");
  after = audit_of (fixture);
  g_assert_cmpuint (after->len, ==, before->len);

  /* A whole number is checked too. */
  row = find_named (page (&editor, "order"), "dossier.patient_age");
  gtk_editable_set_text (GTK_EDITABLE (row), "forty");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_true (has_label (message_row_of (row), "Patient age:"));

  /* Fixed, it is saved and the mark goes. */
  row = find_named (page (&editor, "order"), "dossier.ordered_on");
  gtk_editable_set_text (GTK_EDITABLE (row), "2026-03-05");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_false (gtk_widget_get_visible (message_row_of (row)));
  fixed = value_of (fixture->store, "dossier", fixture->dossier_id, "ordered_on");
  g_assert_cmpstr (fixed, ==, "2026-03-05");

  editor_close (&editor);
}

static void
test_design_iteration (Fixture       *fixture,
                       gconstpointer  user_data)
{
  Editor editor;
  DossierEditorDesignPage *design;
  GtkWidget *dialog;
  GtkWidget *name;
  GtkWidget *value;
  GtkWidget *unit;
  g_autoptr(GPtrArray) iterations = NULL;
  g_autoptr(GPtrArray) parameters = NULL;
  g_autoptr(GError) error = NULL;
  gint64 iteration_id;
  gboolean saw_value = FALSE, saw_category = FALSE;

  editor_open (&editor, fixture);
  dossier_dossier_view_set_page (editor.view, "design");
  run_pending ();
  design = DOSSIER_EDITOR_DESIGN_PAGE (page (&editor, "design"));
  g_assert_true (has_label (GTK_WIDGET (design), "No design iterations recorded yet"));

  /* The new iteration gets the next version, today and the person working. */
  dialog = dossier_editor_design_page_add_iteration (design);
  g_assert_nonnull (dialog);
  g_assert_cmpint (dossier_editor_record_dialog_save (DOSSIER_EDITOR_RECORD_DIALOG (dialog)), >, 0);
  run_pending ();

  iterations = dossier_store_list_rows (fixture->store, "design_iteration", "dossier_id", fixture->dossier_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (iterations->len, ==, 1);
  iteration_id = dossier_editor_row_id (g_ptr_array_index (iterations, 0));
  g_assert_cmpstr (g_hash_table_lookup (g_ptr_array_index (iterations, 0), "version"), ==, "1");

  /* Two values typed into the table's new line: a number and a category. */
  name = find_placeholder (GTK_WIDGET (design), "New parameter");
  value = find_placeholder (GTK_WIDGET (design), "Value");
  unit = find_placeholder (GTK_WIDGET (design), "Unit");
  g_assert_nonnull (name);
  g_assert_nonnull (value);
  g_assert_nonnull (unit);
  gtk_editable_set_text (GTK_EDITABLE (name), "cup_outer_diameter");
  gtk_editable_set_text (GTK_EDITABLE (value), "52.0");
  gtk_editable_set_text (GTK_EDITABLE (unit), "mm");
  g_signal_emit_by_name (name, "activate");
  run_pending ();

  g_assert_true (dossier_editor_design_page_add_parameter (design, iteration_id, "material_grade", "TC4", ""));
  run_pending ();

  parameters = dossier_store_list_rows (fixture->store, "parameter_value", "iteration_id", iteration_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parameters->len, ==, 2);
  for (guint i = 0; i < parameters->len; i++)
    {
      GHashTable *p = g_ptr_array_index (parameters, i);

      if (g_str_equal (g_hash_table_lookup (p, "name"), "cup_outer_diameter"))
        {
          g_assert_cmpstr (g_hash_table_lookup (p, "value"), ==, "52.0");
          g_assert_cmpstr (g_hash_table_lookup (p, "unit"), ==, "mm");
          g_assert_null (g_hash_table_lookup (p, "category"));
          saw_value = TRUE;
        }
      else
        {
          g_assert_cmpstr (g_hash_table_lookup (p, "name"), ==, "material_grade");
          g_assert_cmpstr (g_hash_table_lookup (p, "category"), ==, "TC4");
          g_assert_null (g_hash_table_lookup (p, "value"));
          saw_category = TRUE;
        }
    }
  g_assert_true (saw_value && saw_category);

  /* Both are shown in the table, editable. */
  g_assert_cmpuint (count_named (GTK_WIDGET (design), "parameter_value.value"), ==, 2);

  /* A parameter without its value is refused where it was typed. */
  g_assert_false (dossier_editor_design_page_add_parameter (design, iteration_id, "wall", "", "mm"));
  g_assert_cmpuint (count_rows (fixture->store, "parameter_value", "iteration_id", iteration_id), ==, 2);

  editor_close (&editor);
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  user_data)
{
  Editor editor;
  GtkWidget *row;
  GtkTextView *view;
  GtkWidget *dialog;
  gpointer undo_button;
  g_autofree char *changed = NULL;
  g_autofree char *restored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  DossierAuditEntry *last;

  editor_open (&editor, fixture);
  undo_button = gtk_widget_get_template_child (GTK_WIDGET (editor.view), DOSSIER_TYPE_DOSSIER_VIEW, "undo_button");
  g_assert_false (gtk_widget_get_sensitive (undo_button));

  /* A long text, committed when the editor is told to (as when focus leaves). */
  row = find_named (page (&editor, "order"), "dossier.condition");
  g_assert_nonnull (row);
  view = GTK_TEXT_VIEW (find_type (row, GTK_TYPE_TEXT_VIEW));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "右髋臼骨缺损（Paprosky IIIA）", -1);
  dossier_dossier_view_flush (editor.view);
  run_pending ();
  changed = value_of (fixture->store, "dossier", fixture->dossier_id, "condition");
  g_assert_cmpstr (changed, ==, "右髋臼骨缺损（Paprosky IIIA）");
  g_assert_true (gtk_widget_get_sensitive (undo_button));

  /* Ctrl+Z's action writes the old value back, as a change of its own. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor.view), "win.undo", NULL));
  run_pending ();
  restored = value_of (fixture->store, "dossier", fixture->dossier_id, "condition");
  g_assert_cmpstr (restored, ==, "右髋臼骨缺损");
  entries = audit_of (fixture);
  last = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpstr (last->field, ==, "condition");
  g_assert_cmpstr (last->reason, ==, "Undo");

  /* The page shows the old value again. */
  row = find_named (page (&editor, "order"), "dossier.condition");
  view = GTK_TEXT_VIEW (find_type (row, GTK_TYPE_TEXT_VIEW));
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
    text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "右髋臼骨缺损");
  }

  /* An insert is undone by deleting it. */
  dialog = dossier_editor_design_page_add_input (DOSSIER_EDITOR_DESIGN_PAGE (page (&editor, "design")));
  dossier_editor_field_set_value (dossier_editor_record_dialog_get_field (DOSSIER_EDITOR_RECORD_DIALOG (dialog),
                                                                         "design_input", "title"),
                                  "骨盆 CT");
  g_assert_cmpint (dossier_editor_record_dialog_save (DOSSIER_EDITOR_RECORD_DIALOG (dialog)), >, 0);
  run_pending ();
  g_assert_cmpuint (count_rows (fixture->store, "design_input", "dossier_id", fixture->dossier_id), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor.view), "win.undo", NULL));
  run_pending ();
  g_assert_cmpuint (count_rows (fixture->store, "design_input", "dossier_id", fixture->dossier_id), ==, 0);

  /* Nothing left: the action is off. */
  g_assert_false (gtk_widget_get_sensitive (undo_button));

  editor_close (&editor);
}

static void
test_undo_groups (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(DossierEditorUndo) undo = dossier_editor_undo_new ();
  g_autoptr(DossierEditorSession) session = dossier_editor_session_new (fixture->store, fixture->dossier_id, undo);
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier = id_text (fixture->dossier_id);
  g_autofree char *iteration = NULL;
  g_autofree char *value = NULL;
  gint64 iteration_id, parameter_id;

  /* An iteration and its value, then the value removed. */
  iteration_id = dossier_editor_session_insert (session, "design_iteration", (DossierField[]) {
    { "dossier_id", dossier }, { "version", "1" }, { "designed_on", "2026-03-02" }, { "designer", "张伟" }, { NULL }
  }, NULL, &error);
  g_assert_no_error (error);
  iteration = id_text (iteration_id);
  parameter_id = dossier_editor_session_insert (session, "parameter_value", (DossierField[]) {
    { "iteration_id", iteration }, { "name", "wall" }, { "value", "2.5" }, { "unit", "mm" }, { NULL }
  }, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dossier_editor_session_delete (session, "parameter_value", parameter_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dossier_editor_undo_get_n_groups (undo), ==, 3);

  /* Undoing the delete inserts the row again (under a new id); undoing the insert
   * then deletes that new row. */
  g_assert_true (dossier_editor_session_undo (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->store, "parameter_value", "iteration_id", iteration_id), ==, 1);
  g_assert_true (dossier_editor_session_undo (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->store, "parameter_value", "iteration_id", iteration_id), ==, 0);
  g_assert_true (dossier_editor_session_undo (session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (fixture->store, "design_iteration", "dossier_id", fixture->dossier_id), ==, 0);
  g_assert_false (dossier_editor_undo_can_undo (undo));

  /* A value changed again behind the editor's back is not overwritten. */
  g_assert_true (dossier_editor_session_update (session, "dossier", fixture->dossier_id,
                                                (DossierField[]) { { "notes", "甲" }, { NULL } }, NULL, &error));
  g_assert_true (dossier_store_update (fixture->store, "dossier", fixture->dossier_id,
                                       (DossierField[]) { { "notes", "乙" }, { NULL } }, NULL, &error));
  g_assert_false (dossier_editor_session_undo (session, &error));
  g_assert_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT);
  value = value_of (fixture->store, "dossier", fixture->dossier_id, "notes");
  g_assert_cmpstr (value, ==, "乙");
  g_clear_error (&error);

  /* A transaction is one group; a rolled-back one leaves none. */
  g_assert_true (dossier_editor_session_begin (session, &error));
  g_assert_true (dossier_editor_session_update (session, "dossier", fixture->dossier_id,
                                                (DossierField[]) { { "notes", "丙" }, { NULL } }, NULL, &error));
  dossier_editor_session_rollback (session);
  g_assert_false (dossier_editor_undo_can_undo (undo));
  g_clear_pointer (&value, g_free);
  value = value_of (fixture->store, "dossier", fixture->dossier_id, "notes");
  g_assert_cmpstr (value, ==, "乙");
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

static gboolean
not_busy (gpointer data)
{
  return !dossier_editor_attachments_page_is_busy (data);
}

static void
test_attachments (Fixture       *fixture,
                  gconstpointer  user_data)
{
  Editor editor;
  DossierEditorAttachmentsPage *attachments;
  g_autoptr(GInputStream) content = g_memory_input_stream_new_from_data ("scan of the order", 17, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "设计图纸 v2.stl", NULL);
  g_autofree char *big = NULL;
  GSList *files = NULL;
  GtkWidget *sha;
  gint64 id;
  gsize size = 3 * 1024 * 1024;

  id = dossier_store_add_attachment (fixture->store, fixture->dossier_id, "order", "订单扫描.pdf", "application/pdf",
                                     content, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  editor_open (&editor, fixture);
  dossier_dossier_view_set_page (editor.view, "attachments");
  run_pending ();
  attachments = DOSSIER_EDITOR_ATTACHMENTS_PAGE (page (&editor, "attachments"));

  /* Listed with its name, type, size, hash, who added it. */
  g_assert_cmpuint (count_named (GTK_WIDGET (attachments), "attachment"), ==, 1);
  g_assert_true (has_label (GTK_WIDGET (attachments), "订单扫描.pdf"));
  g_assert_true (has_label (GTK_WIDGET (attachments), "17 bytes"));
  g_assert_true (has_label (GTK_WIDGET (attachments), "Added by"));
  sha = find_named (GTK_WIDGET (attachments), "attachment-sha256");
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (sha)));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (sha)), ==, PANGO_ELLIPSIZE_MIDDLE);
  g_assert_cmpuint (dossier_editor_attachments_page_get_count (attachments), ==, 1);

  /* A file added from disk streams in the background and then shows. */
  big = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    big[i] = (char)(i * 7);
  g_assert_true (g_file_set_contents (path, big, size, &error));
  file = g_file_new_for_path (path);
  files = g_slist_append (files, file);
  g_assert_true (dossier_editor_attachments_page_add_files (attachments, files, "design"));
  g_slist_free (files);
  g_assert_true (dossier_editor_attachments_page_is_busy (attachments));
  wait_for (not_busy, attachments);
  run_pending ();

  g_assert_cmpuint (count_rows (fixture->store, "attachment", "dossier_id", fixture->dossier_id), ==, 2);
  g_assert_cmpuint (count_named (GTK_WIDGET (attachments), "attachment"), ==, 2);
  g_assert_true (has_label (GTK_WIDGET (attachments), "设计图纸 v2.stl"));
  /* g_format_size() keeps the number and its unit together with a no-break space. */
  if (!has_label (GTK_WIDGET (attachments), "3.1\u00a0MB"))
    dump_labels (GTK_WIDGET (attachments));
  g_assert_true (has_label (GTK_WIDGET (attachments), "3.1\u00a0MB"));

  /* Files dropped while the design is shown are design files; the page with the
   * progress comes forward. */
  dossier_dossier_view_set_page (editor.view, "design");
  run_pending ();
  {
    g_autofree char *dropped_path = g_build_filename (fixture->dir, "mesh.obj", NULL);
    g_autoptr(GFile) dropped = g_file_new_for_path (dropped_path);
    GtkDropTarget *target = find_drop_target (GTK_WIDGET (editor.view));
    GSList *list = g_slist_append (NULL, dropped);
    GdkFileList *file_list = gdk_file_list_new_from_list (list);
    GValue value = G_VALUE_INIT;
    gboolean accepted = FALSE;
    g_autoptr(GPtrArray) rows = NULL;
    GHashTable *newest;

    g_assert_true (g_file_set_contents (dropped_path, "v 0 0 0\n", -1, &error));
    g_assert_nonnull (target);
    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, file_list);
    g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
    g_value_unset (&value);
    g_slist_free (list);

    g_assert_true (accepted);
    g_assert_cmpstr (dossier_dossier_view_get_page (editor.view), ==, "attachments");
    wait_for (not_busy, attachments);
    run_pending ();

    rows = dossier_store_list_rows (fixture->store, "attachment", "dossier_id", fixture->dossier_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 3);
    newest = g_ptr_array_index (rows, rows->len - 1);
    g_assert_cmpstr (g_hash_table_lookup (newest, "original_name"), ==, "mesh.obj");
    g_assert_cmpstr (g_hash_table_lookup (newest, "section"), ==, "design");
  }

  editor_close (&editor);
}

static char *
write_big_file (Fixture    *fixture,
                const char *name,
                gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_malloc (size);
  char *path = g_build_filename (fixture->dir, name, NULL);

  for (gsize i = 0; i < size; i++)
    data[i] = (char)(i * 31 + (i >> 12));
  g_assert_true (g_file_set_contents (path, data, size, &error));
  g_assert_no_error (error);

  return path;
}

static void
test_attachments_cancel (Fixture       *fixture,
                         gconstpointer  user_data)
{
  Editor editor;
  DossierEditorAttachmentsPage *attachments;
  g_autofree char *path = write_big_file (fixture, "big.bin", 48 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList *files = g_slist_append (NULL, file);

  editor_open (&editor, fixture);
  attachments = DOSSIER_EDITOR_ATTACHMENTS_PAGE (page (&editor, "attachments"));

  g_assert_true (dossier_editor_attachments_page_add_files (attachments, files, "other"));
  /* One at a time. */
  g_assert_false (dossier_editor_attachments_page_add_files (attachments, files, "other"));
  dossier_editor_attachments_page_cancel (attachments);
  wait_for (not_busy, attachments);
  run_pending ();
  g_slist_free (files);

  g_assert_cmpuint (count_rows (fixture->store, "attachment", "dossier_id", fixture->dossier_id), ==, 0);
  g_assert_nonnull (strstr (dossier_dossier_view_get_last_message (editor.view), "cancelled"));

  editor_close (&editor);
}

/* The worker streams while the main thread keeps writing through the same store:
 * both land, and the audit trail stays whole. */
static void
test_attachments_concurrent (Fixture       *fixture,
                             gconstpointer  user_data)
{
  Editor editor;
  DossierEditorAttachmentsPage *attachments;
  g_autofree char *path = write_big_file (fixture, "scan-stack.bin", 64 * 1024 * 1024);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_problem_free);
  g_autoptr(GError) error = NULL;
  GSList *files = g_slist_append (NULL, file);
  GtkWidget *row;
  guint edits = 0;

  editor_open (&editor, fixture);
  attachments = DOSSIER_EDITOR_ATTACHMENTS_PAGE (page (&editor, "attachments"));
  row = find_named (page (&editor, "order"), "dossier.lesion_site");

  g_assert_true (dossier_editor_attachments_page_add_files (attachments, files, "order"));
  g_slist_free (files);

  while (dossier_editor_attachments_page_is_busy (attachments))
    {
      g_autofree char *text = g_strdup_printf ("部位 %u", ++edits);
      g_autofree char *stored = NULL;

      gtk_editable_set_text (GTK_EDITABLE (row), text);
      g_signal_emit_by_name (row, "entry-activated");
      stored = value_of (fixture->store, "dossier", fixture->dossier_id, "lesion_site");
      g_assert_cmpstr (stored, ==, text);
      g_main_context_iteration (NULL, FALSE);
    }
  run_pending ();
  g_test_message ("%u edits while the file was added", edits);

  g_assert_cmpuint (count_rows (fixture->store, "attachment", "dossier_id", fixture->dossier_id), ==, 1);
  g_assert_true (dossier_store_audit_verify (fixture->store, problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  editor_close (&editor);
}

static gboolean
history_shown (gpointer data)
{
  return dossier_editor_history_page_get_n_shown (data) > 0;
}

static void
test_history (Fixture       *fixture,
              gconstpointer  user_data)
{
  Editor editor;
  DossierEditorHistoryPage *history;
  GtkWidget *row;

  editor_open (&editor, fixture);

  row = find_named (page (&editor, "order"), "dossier.lesion_site");
  gtk_editable_set_text (GTK_EDITABLE (row), "右侧髋臼");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();

  dossier_dossier_view_set_page (editor.view, "history");
  history = DOSSIER_EDITOR_HISTORY_PAGE (page (&editor, "history"));
  wait_for (history_shown, history);

  /* Newest first, as sentences with the field's label. */
  g_assert_true (has_label (GTK_WIDGET (history), "set Lesion site to “右侧髋臼”"));
  g_assert_true (has_label (GTK_WIDGET (history), "created the dossier"));
  g_assert_true (has_label (GTK_WIDGET (history), "Today"));

  /* A change while it is shown is there at once. */
  dossier_dossier_view_set_page (editor.view, "order");
  run_pending ();
  dossier_dossier_view_set_page (editor.view, "history");
  run_pending ();
  g_assert_cmpuint (dossier_editor_history_page_get_n_shown (history), >=, 2);

  editor_close (&editor);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  user_data)
{
  Editor editor;
  g_autofree char *status = NULL;

  editor_open (&editor, fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor.view), "editor.set-status", "s", "design-review"));
  run_pending ();
  status = value_of (fixture->store, "dossier", fixture->dossier_id, "status");
  g_assert_cmpstr (status, ==, "design-review");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (editor.view),
                                                                                  DOSSIER_TYPE_DOSSIER_VIEW,
                                                                                  "status_label"))),
                   ==, "Design review");

  /* The rule check refuses design approval (no registered size range): said,
   * never silently. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor.view), "editor.set-status", "s", "design-approved"));
  run_pending ();
  g_clear_pointer (&status, g_free);
  status = value_of (fixture->store, "dossier", fixture->dossier_id, "status");
  g_assert_cmpstr (status, ==, "design-review");
  g_assert_nonnull (dossier_dossier_view_get_last_message (editor.view));
  g_test_message ("Refused: %s", dossier_dossier_view_get_last_message (editor.view));

  editor_close (&editor);
}

static void
test_window_keeps_editor (Fixture       *fixture,
                          gconstpointer  user_data)
{
  DossierWindow *window = dossier_window_new (NULL, fixture->store);
  DossierDossierView *view;
  GtkSelectionModel *selection;
  GtkWidget *row;
  GtkWidget *list_view;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_present (GTK_WINDOW (window));
  run_pending ();

  list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), DOSSIER_TYPE_WINDOW, "list_view"));
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (list_view));
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  run_pending ();

  view = DOSSIER_DOSSIER_VIEW (find_type (GTK_WIDGET (window), DOSSIER_TYPE_DOSSIER_VIEW));
  row = find_named (dossier_dossier_view_get_page_widget (view, "order"), "dossier.lesion_site");
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *)&row);

  gtk_editable_set_text (GTK_EDITABLE (row), "右侧髋臼");
  g_signal_emit_by_name (row, "entry-activated");
  run_pending ();

  /* The list re-read the dossier; it stays selected and its editor was not
   * rebuilt (the same row widget lives on). */
  g_assert_nonnull (row);
  g_assert_true (gtk_selection_model_is_selected (selection, 0));
  g_assert_nonnull (dossier_dossier_view_get_dossier (view));
  g_assert_cmpint (dossier_dossier_get_id (dossier_dossier_view_get_dossier (view)), ==, fixture->dossier_id);

  g_object_remove_weak_pointer (G_OBJECT (row), (gpointer *)&row);
  gtk_window_destroy (GTK_WINDOW (window));
  run_pending ();
}

/* Pure logic ----------------------------------------------------------------------------- */

static void
test_logic_workflow (void)
{
  const char * const *next = dossier_editor_next_statuses ("design");

  g_assert_cmpstr (next[0], ==, "design-review");
  g_assert_true (g_strv_contains (next, "cancelled"));
  g_assert_null (dossier_editor_next_statuses ("cancelled")[0]);
  g_assert_null (dossier_editor_next_statuses ("closed")[0]);
  g_assert_null (dossier_editor_next_statuses ("no-such-status")[0]);
  g_assert_null (dossier_editor_next_statuses (NULL)[0]);
  g_assert_true (g_strv_contains (dossier_editor_next_statuses ("delivered"), "used"));
  g_assert_true (dossier_editor_status_is_final ("cancelled"));
  g_assert_false (dossier_editor_status_is_final ("released"));
}

static void
test_logic_values (void)
{
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("+08:00");
  g_autofree char *typed = dossier_editor_timestamp_from_input ("2026-03-02 14:05", beijing);
  g_autofree char *seconds = dossier_editor_timestamp_from_input (" 2026-03-02T14:05:09 ", beijing);
  g_autofree char *kept = dossier_editor_timestamp_from_input ("2026-03-02T14:05:00+01:00", beijing);
  g_autofree char *bad = dossier_editor_timestamp_from_input ("next tuesday", beijing);
  g_autofree char *empty = dossier_editor_timestamp_from_input ("  ", beijing);
  g_autofree char *round = NULL;
  g_autofree char *nothing = dossier_editor_timestamp_to_input (NULL);

  g_assert_cmpstr (typed, ==, "2026-03-02T14:05:00+08:00");
  g_assert_cmpstr (seconds, ==, "2026-03-02T14:05:09+08:00");
  g_assert_cmpstr (kept, ==, "2026-03-02T14:05:00+01:00");
  g_assert_cmpstr (bad, ==, "next tuesday");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (nothing, ==, "");

  /* What is shown reads back as the same instant. */
  round = dossier_editor_timestamp_to_input ("2026-03-02T14:05:00+08:00");
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    g_autofree char *again = dossier_editor_timestamp_from_input (round, local);
    g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 (again, NULL);
    g_autoptr(GDateTime) b = g_date_time_new_from_iso8601 ("2026-03-02T14:05:00+08:00", NULL);

    g_assert_true (g_date_time_equal (a, b));
  }

  g_assert_true (dossier_editor_values_equal (NULL, ""));
  g_assert_false (dossier_editor_values_equal ("a", NULL));

  g_assert_true (dossier_editor_is_implantable ("30", 30));
  g_assert_false (dossier_editor_is_implantable ("29", 30));
  g_assert_false (dossier_editor_is_implantable ("lots", 30));
  g_assert_cmpstr (dossier_editor_body_days_hint ("3650", 30), ==, "Implantable");
  g_assert_cmpstr (dossier_editor_body_days_hint ("1", 30), ==, "Not implantable");
  g_assert_null (dossier_editor_body_days_hint (NULL, 30));

  g_assert_true (dossier_editor_parameter_is_number ("52.0"));
  g_assert_true (dossier_editor_parameter_is_number ("-0.5"));
  g_assert_false (dossier_editor_parameter_is_number ("TC4"));
  g_assert_false (dossier_editor_parameter_is_number ("52,0"));
  g_assert_false (dossier_editor_parameter_is_number (""));

  g_assert_cmpstr (dossier_editor_result_css_class ("pass"), ==, "success");
  g_assert_cmpstr (dossier_editor_result_css_class ("fail"), ==, "error");
  g_assert_cmpstr (dossier_editor_result_css_class ("pending"), ==, "warning");

  g_assert_cmpstr (dossier_editor_section_for_page ("design"), ==, "design");
  g_assert_cmpstr (dossier_editor_section_for_page ("history"), ==, "other");
}

static void
test_logic_versions (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  GHashTable *row;

  g_assert_cmpint (dossier_editor_next_version (rows), ==, 1);
  row = row_new ();
  put (row, "version", "3");
  put (row, "position", "7");
  g_ptr_array_add (rows, row);
  row = row_new ();
  put (row, "version", "1");
  g_ptr_array_add (rows, row);
  g_assert_cmpint (dossier_editor_next_version (rows), ==, 4);
  g_assert_cmpint (dossier_editor_next_position (rows), ==, 8);
}

static void
test_logic_files (void)
{
  g_autofree char *plain = dossier_editor_safe_file_name ("scan.pdf");
  g_autofree char *path_unix = dossier_editor_safe_file_name ("/etc/passwd");
  g_autofree char *path_windows = dossier_editor_safe_file_name ("C:\\Users\\张伟\\设计.stl");
  g_autofree char *dots = dossier_editor_safe_file_name ("..");
  g_autofree char *control = dossier_editor_safe_file_name ("a\nb\tc.txt");
  g_autofree char *open = dossier_editor_open_path ("/cache", 42, "../../订单.pdf");
  g_autofree char *summary = NULL;
  g_autofree char *added = NULL;
  g_autoptr(GHashTable) row = row_new ();

  g_assert_cmpstr (plain, ==, "scan.pdf");
  g_assert_cmpstr (path_unix, ==, "passwd");
  g_assert_cmpstr (path_windows, ==, "设计.stl");
  g_assert_cmpstr (dots, ==, "attachment");
  g_assert_cmpstr (control, ==, "abc.txt");
  g_assert_cmpstr (open, ==, "/cache/dossier/open/42/订单.pdf");

  put (row, "media_type", "application/pdf");
  put (row, "size", "1200000");
  put (row, "added_by", "zhang.wei");
  put (row, "added_at", "2026-03-02T14:05:00+08:00");
  summary = dossier_editor_attachment_summary (row);
  g_assert_true (g_str_has_suffix (summary, "1.2\u00a0MB"));
  added = dossier_editor_attachment_added (row);
  g_assert_true (g_str_has_prefix (added, "Added by zhang.wei on "));
}

static DossierAuditEntry *
entry_new (gint64      seq,
           const char *at,
           const char *action,
           const char *table,
           gint64      row_id,
           const char *field,
           const char *old_value,
           const char *new_value,
           const char *reason)
{
  DossierAuditEntry *entry = g_new0 (DossierAuditEntry, 1);

  entry->seq = seq;
  entry->at = g_strdup (at);
  entry->actor = g_strdup ("zhang.wei");
  entry->action = g_strdup (action);
  entry->table_name = g_strdup (table);
  entry->row_id = row_id;
  entry->field = g_strdup (field);
  entry->old_value = g_strdup (old_value);
  entry->new_value = g_strdup (new_value);
  entry->reason = g_strdup (reason);
  return entry;
}

static char *
fake_reference (const char *table,
                gint64      id,
                gpointer    user_data)
{
  return g_str_equal (table, "clinician") ? g_strdup_printf ("Clinician %" G_GINT64_FORMAT, id) : NULL;
}

static void
test_logic_history (void)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_audit_entry_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *long_value = g_strnfill (100, 'x');
  DossierEditorHistoryItem *item;

  g_ptr_array_add (entries, entry_new (1, "2026-11-22T09:00:00+08:00", "create", "dossier", 7, NULL, NULL,
                                       "{\"unit_no\":\"DSR-2026-000007\"}", NULL));
  g_ptr_array_add (entries, entry_new (2, "2026-11-23T15:04:00+08:00", "update", "dossier", 7, "condition",
                                       "旧", "新", "Typo"));
  g_ptr_array_add (entries, entry_new (3, "2026-11-23T15:05:00+08:00", "update", "dossier", 7, "status",
                                       "design", "design-review", NULL));
  g_ptr_array_add (entries, entry_new (4, "2026-11-23T15:06:00+08:00", "create", "design_iteration", 9, NULL, NULL,
                                       "{\"version\":2,\"designer\":\"张伟\"}", NULL));
  g_ptr_array_add (entries, entry_new (5, "2026-11-23T15:07:00+08:00", "update", "design_iteration", 9, "designer",
                                       "张伟", "李娜", NULL));
  g_ptr_array_add (entries, entry_new (6, "2026-11-23T15:08:00+08:00", "update", "dossier", 7, "clinician_id",
                                       "3", "5", NULL));
  g_ptr_array_add (entries, entry_new (7, "2026-11-23T15:09:00+08:00", "update", "dossier", 7, "notes",
                                       NULL, long_value, NULL));
  g_ptr_array_add (entries, entry_new (8, "2026-11-23T15:10:00+08:00", "delete", "parameter_value", 11, NULL,
                                       "{\"name\":\"wall\",\"value\":\"2.5\"}", NULL, NULL));

  items = dossier_editor_history_build (entries, fake_reference, NULL);
  g_assert_cmpuint (items->len, ==, 8);

  /* Newest first. */
  item = g_ptr_array_index (items, 0);
  g_assert_cmpint (item->seq, ==, 8);
  g_assert_true (g_str_has_suffix (item->text, "zhang.wei removed Parameter value “wall”"));

  item = g_ptr_array_index (items, 1);
  g_assert_true (strstr (item->text, "zhang.wei set Notes to “xxxx") != NULL);
  g_assert_true (strstr (item->text, "…”") != NULL);
  g_assert_nonnull (item->tooltip);

  item = g_ptr_array_index (items, 2);
  g_assert_true (g_str_has_suffix (item->text, "changed Ordering clinician from “Clinician 3” to “Clinician 5”"));

  item = g_ptr_array_index (items, 3);
  g_assert_true (g_str_has_suffix (item->text, "changed Designer of Design iteration “Version 2” from “张伟” to “李娜”"));

  item = g_ptr_array_index (items, 4);
  g_assert_true (g_str_has_suffix (item->text, "added Design iteration “Version 2”"));

  /* Choices by their labels. */
  item = g_ptr_array_index (items, 5);
  g_assert_true (g_str_has_suffix (item->text, "changed Status from “Design” to “Design review”"));

  /* The reason after the change; the time first. */
  item = g_ptr_array_index (items, 6);
  g_assert_true (g_str_has_suffix (item->text, "zhang.wei changed Condition from “旧” to “新” — Typo"));
  g_assert_cmpuint (strlen (item->time), ==, 5);
  g_assert_true (g_str_has_prefix (item->text, item->time));

  item = g_ptr_array_index (items, 7);
  g_assert_true (g_str_has_suffix (item->text, "zhang.wei created the dossier"));
}

static void
test_logic_day_heading (void)
{
  g_autofree char *today = dossier_editor_history_day_heading ("2026-11-23", "2026-11-23");
  g_autofree char *yesterday = dossier_editor_history_day_heading ("2026-11-22", "2026-11-23");
  g_autofree char *older = dossier_editor_history_day_heading ("2026-11-02", "2026-11-23");
  g_autofree char *odd = dossier_editor_history_day_heading ("someday", "2026-11-23");

  g_assert_cmpstr (today, ==, "Today");
  g_assert_cmpstr (yesterday, ==, "Yesterday");
  g_assert_cmpstr (older, ==, "Monday, 2 November 2026");
  g_assert_cmpstr (odd, ==, "someday");
}

static void
test_logic_undo_remap (void)
{
  g_autoptr(DossierEditorUndo) undo = dossier_editor_undo_new ();
  g_autoptr(GHashTable) row = row_new ();
  g_autofree char *description = NULL;

  g_assert_false (dossier_editor_undo_can_undo (undo));
  g_assert_null (dossier_editor_undo_describe (undo));

  put (row, "iteration_id", "4");
  put (row, "name", "wall");
  dossier_editor_undo_record_insert (undo, "design_iteration", 4);
  dossier_editor_undo_record_delete (undo, "parameter_value", 8, row);
  dossier_editor_undo_record_update (undo, "dossier", 1, "notes", "a", "a");
  g_assert_cmpuint (dossier_editor_undo_get_n_groups (undo), ==, 2);

  dossier_editor_undo_begin_group (undo);
  dossier_editor_undo_record_update (undo, "dossier", 1, "notes", "a", "b");
  dossier_editor_undo_record_update (undo, "dossier", 1, "risks", NULL, "c");
  dossier_editor_undo_end_group (undo);
  g_assert_cmpuint (dossier_editor_undo_get_n_groups (undo), ==, 3);

  description = dossier_editor_undo_describe (undo);
  g_assert_cmpstr (description, ==, "Undo Change of Notes");

  dossier_editor_undo_begin_group (undo);
  dossier_editor_undo_record_insert (undo, "design_input", 2);
  dossier_editor_undo_cancel_group (undo);
  g_assert_cmpuint (dossier_editor_undo_get_n_groups (undo), ==, 3);

  dossier_editor_undo_remap (undo, "design_iteration", 4, 12);
  dossier_editor_undo_clear (undo);
  g_assert_false (dossier_editor_undo_can_undo (undo));
}

static void
test_no_display (void)
{
  g_test_skip ("No display; run under Xvfb");
}

int
main (int   argc,
      char *argv[])
{
  /* The sign-in page is another test's subject; the window shows its content. */
  g_setenv ("DOSSIER_NO_LOGIN", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/editor/no-display", test_no_display);
    }
  else
    {
      gtk_test_init (&argc, &argv, NULL);
      adw_init ();

      g_test_add ("/editor/order-field", Fixture, NULL, fixture_set_up, test_order_field, fixture_tear_down);
      g_test_add ("/editor/invalid-values", Fixture, NULL, fixture_set_up, test_invalid_values, fixture_tear_down);
      g_test_add ("/editor/design-iteration", Fixture, NULL, fixture_set_up, test_design_iteration, fixture_tear_down);
      g_test_add ("/editor/undo", Fixture, NULL, fixture_set_up, test_undo, fixture_tear_down);
      g_test_add ("/editor/attachments", Fixture, NULL, fixture_set_up, test_attachments, fixture_tear_down);
      g_test_add ("/editor/attachments-cancel", Fixture, NULL, fixture_set_up, test_attachments_cancel,
                  fixture_tear_down);
      g_test_add ("/editor/attachments-concurrent", Fixture, NULL, fixture_set_up, test_attachments_concurrent,
                  fixture_tear_down);
      g_test_add ("/editor/history", Fixture, NULL, fixture_set_up, test_history, fixture_tear_down);
      g_test_add ("/editor/status", Fixture, NULL, fixture_set_up, test_status, fixture_tear_down);
      g_test_add ("/editor/window-keeps-editor", Fixture, NULL, fixture_set_up, test_window_keeps_editor,
                  fixture_tear_down);
    }

  /* Needs a store, not a display. */
  g_test_add ("/editor/undo-groups", Fixture, NULL, fixture_set_up, test_undo_groups, fixture_tear_down);

  g_test_add_func ("/editor-logic/workflow", test_logic_workflow);
  g_test_add_func ("/editor-logic/values", test_logic_values);
  g_test_add_func ("/editor-logic/versions", test_logic_versions);
  g_test_add_func ("/editor-logic/files", test_logic_files);
  g_test_add_func ("/editor-logic/history", test_logic_history);
  g_test_add_func ("/editor-logic/day-heading", test_logic_day_heading);
  g_test_add_func ("/editor-logic/undo-remap", test_logic_undo_remap);

  return g_test_run ();
}
