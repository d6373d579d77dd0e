/* test-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dossier-check.h"
#include "dossier-dossier-row.h"
#include "dossier-dossier-view.h"
#include "dossier-format.h"
#include "dossier-store.h"
#include "dossier-window.h"

#define N_DOSSIERS 5
#define TIMEOUT_S 10

typedef struct
{
  char         *dir;
  DossierStore *store;
  GPtrArray    *unit_numbers; /* by creation order */
  gint64        first_id;
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

/* Dossiers 0, 2 and 4 are at the first institution, 1 and 3 at the second;
 * dossier 0 has a design iteration with two parameter values. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *inst0 = NULL;
  g_autofree char *inst1 = NULL;
  g_autofree char *clin0 = NULL;
  g_autofree char *clin1 = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *product = NULL;
  g_autofree char *model = NULL;
  gboolean populate = GPOINTER_TO_INT (user_data);

  fixture->dir = g_dir_make_tmp ("dossier-window-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "window.db", NULL);
  fixture->store = dossier_store_open (path, &error);
  g_assert_no_error (error);
  fixture->unit_numbers = g_ptr_array_new_with_free_func (g_free);

  if (!populate)
    return;

  g_assert_true (dossier_store_begin (fixture->store, &error));

  inst0 = id_text (insert (fixture->store, "institution", (DossierField[]) {
    { "name_zh", "广东省人民医院" },
    { "practising_licence", "PDY12345644010011A1001" },
    { "province_code", "440000" },
    { NULL } }));
  inst1 = id_text (insert (fixture->store, "institution", (DossierField[]) {
    { "name_zh", "北京协和医院" },
    { "practising_licence", "PDY12345611010011A1001" },
    { "province_code", "110000" },
    { NULL } }));
  clin0 = id_text (insert (fixture->store, "clinician", (DossierField[]) {
    { "institution_id", inst0 },
    { "name_zh", "李明" },
    { "certificate_no", "110440100012345" },
    { NULL } }));
  clin1 = id_text (insert (fixture->store, "clinician", (DossierField[]) {
    { "institution_id", inst1 },
    { "name_zh", "王芳" },
    { "certificate_no", "110110100012345" },
    { NULL } }));
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

  for (guint i = 0; i < N_DOSSIERS; i++)
    {
      char *unit_no = NULL;
      gint64 id;

      id = dossier_store_create_dossier (fixture->store, (DossierField[]) {
        { "kind", "patient-matched" },
        { "status", i == 1 ? "order" : "design" },
        { "institution_id", i % 2 ? inst1 : inst0 },
        { "clinician_id", i % 2 ? clin1 : clin0 },
        { "patient_id", patient },
        { "model_id", model },
        { "body_days", "3650" },
        { "condition", "右髋臼骨缺损" },
        { NULL } }, &unit_no, &error);
      g_assert_no_error (error);
      g_ptr_array_add (fixture->unit_numbers, unit_no);
      if (i == 0)
        fixture->first_id = id;
    }

  {
    g_autofree char *dossier = id_text (fixture->first_id);
    g_autofree char *iteration = NULL;

    iteration = id_text (insert (fixture->store, "design_iteration", (DossierField[]) {
      { "dossier_id", dossier },
      { "version", "1" },
      { "designed_on", "2026-03-02" },
      { "designer", "张伟" },
      { "software", "Mimics" },
      { "software_version", "25.0" },
      { NULL } }));
    insert (fixture->store, "parameter_value", (DossierField[]) {
      { "iteration_id", iteration },
      { "name", "cup_outer_diameter" },
      { "value", "52.0" },
      { "unit", "mm" },
      { NULL } });
    insert (fixture->store, "parameter_value", (DossierField[]) {
      { "iteration_id", iteration },
      { "name", "material_grade" },
      { "category", "TC4" },
      { NULL } });
  }

  g_assert_true (dossier_store_commit (fixture->store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->unit_numbers, g_ptr_array_unref);
  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until the condition holds; fails after TIMEOUT_S. */
static void
wait_for (Condition condition,
          gpointer  data)
{
  gint64 end = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for the window");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
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

/* The text view of a long-text field row. */
static GtkWidget *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_text_view (c);
      if (found != NULL)
        return found;
    }

  return NULL;
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

/* Row widgets that are on screen and show a dossier. */
static guint
count_shown_rows (GtkWidget *widget)
{
  guint n = 0;

  if (DOSSIER_IS_DOSSIER_ROW (widget))
    return dossier_dossier_row_get_dossier (DOSSIER_DOSSIER_ROW (widget)) != NULL &&
           gtk_widget_is_drawable (widget) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_shown_rows (c);

  return n;
}

typedef struct
{
  DossierWindow *window;
  guint          n_items;
} Expect;

static GListModel *
window_model (DossierWindow *window)
{
  return G_LIST_MODEL (gtk_list_view_get_model (child (window, DOSSIER_TYPE_WINDOW, "list_view")));
}

static gboolean
has_n_items (gpointer data)
{
  Expect *expect = data;

  return g_list_model_get_n_items (window_model (expect->window)) == expect->n_items;
}

static gboolean
rows_drawn (gpointer data)
{
  Expect *expect = data;

  return count_shown_rows (child (expect->window, DOSSIER_TYPE_WINDOW, "list_view")) == expect->n_items;
}

static void
on_rows_shown (DossierWindow *window,
               gboolean      *shown)
{
  *shown = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *)data;
}

static const char *
content_page (DossierWindow *window)
{
  return gtk_stack_get_visible_child_name (child (window, DOSSIER_TYPE_WINDOW, "content_stack"));
}

static DossierWindow *
show_window (Fixture *fixture)
{
  DossierWindow *window = dossier_window_new (NULL, fixture->store);
  gboolean shown = FALSE;

  g_signal_connect (window, "rows-shown", G_CALLBACK (on_rows_shown), &shown);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_true, &shown);
  g_signal_handlers_disconnect_by_func (window, on_rows_shown, &shown);

  return window;
}

/* Widget tests ----------------------------------------------------------------- */

static void
test_window_lists (Fixture       *fixture,
                   gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);
  Expect expect = { window, N_DOSSIERS };
  AdwWindowTitle *title = child (window, DOSSIER_TYPE_WINDOW, "sidebar_title");

  g_assert_cmpuint (g_list_model_get_n_items (window_model (window)), ==, N_DOSSIERS);
  wait_for (rows_drawn, &expect);

  /* Newest first, each row with its unit number and institution. */
  {
    GtkWidget *list_view = child (window, DOSSIER_TYPE_WINDOW, "list_view");

    for (guint i = 0; i < N_DOSSIERS; i++)
      g_assert_true (label_shown (list_view, g_ptr_array_index (fixture->unit_numbers, i)));
    g_assert_true (label_shown (list_view, "Order"));
  }
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "5 dossiers");
  g_assert_cmpstr (content_page (window), ==, "no-selection");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_selection (Fixture       *fixture,
                       gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (window_model (window));
  DossierDossierView *view = child (window, DOSSIER_TYPE_WINDOW, "dossier_view");
  g_autoptr(DossierDossier) dossier = NULL;
  GtkWidget *value;

  /* Adding the design made the first dossier the most recently updated. */
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  run_pending ();

  dossier = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  g_assert_cmpint (dossier_dossier_get_id (dossier), ==, fixture->first_id);
  g_assert_cmpstr (content_page (window), ==, "dossier");
  g_assert_true (dossier_dossier_view_get_dossier (view) == dossier);

  g_assert_cmpstr (gtk_label_get_label (child (view, DOSSIER_TYPE_DOSSIER_VIEW, "unit_no_label")), ==,
                   g_ptr_array_index (fixture->unit_numbers, 0));
  g_assert_cmpstr (gtk_label_get_label (child (view, DOSSIER_TYPE_DOSSIER_VIEW, "status_label")), ==, "Design");
  g_assert_cmpstr (gtk_label_get_label (child (view, DOSSIER_TYPE_DOSSIER_VIEW, "kind_label")), ==, "Patient-matched");
  g_assert_true (gtk_widget_get_visible (child (view, DOSSIER_TYPE_DOSSIER_VIEW, "implant_label")));

  value = find_named (GTK_WIDGET (view), "institution");
  g_assert_nonnull (value);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "广东省人民医院");
  value = find_named (GTK_WIDGET (view), "patient_code");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "P-2026-0001");
  value = find_named (GTK_WIDGET (view), "product");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "3D打印髋臼杯");
  value = find_named (GTK_WIDGET (view), "reference");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (value)), ==, "AC-52");

  /* The ordering clinician is chosen by name; order fields are edited in place
   * under the schema's labels; the design shows its values. */
  value = find_named (GTK_WIDGET (view), "dossier.clinician_id");
  g_assert_true (ADW_IS_COMBO_ROW (value));
  {
    GListModel *names = adw_combo_row_get_model (ADW_COMBO_ROW (value));
    guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (value));

    g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (names), selected), "李明"));
  }
  value = find_named (GTK_WIDGET (view), "dossier.condition");
  g_assert_nonnull (value);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_text_view (value)));
    GtkTextIter start, end;
    g_autofree char *condition = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    condition = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (condition, ==, "右髋臼骨缺损");
  }
  g_assert_true (label_shown (GTK_WIDGET (view), "Condition"));
  value = find_named (GTK_WIDGET (view), "dossier.lesion_site");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (value)), ==, "");
  dossier_dossier_view_set_page (view, "design");
  run_pending ();
  value = find_named (GTK_WIDGET (view), "parameter_value.value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (value)), ==, "52.0");

  /* Another dossier replaces the record; unselecting empties the pane. */
  gtk_selection_model_select_item (selection, 1, TRUE);
  run_pending ();
  g_assert_cmpstr (gtk_label_get_label (child (view, DOSSIER_TYPE_DOSSIER_VIEW, "unit_no_label")), ==,
                   g_ptr_array_index (fixture->unit_numbers, N_DOSSIERS - 1));
  g_assert_true (label_shown (GTK_WIDGET (view), "No design iterations recorded yet"));

  g_assert_true (gtk_selection_model_unselect_item (selection, 1));
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "no-selection");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_search (Fixture       *fixture,
                    gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);
  GtkEditable *entry = child (window, DOSSIER_TYPE_WINDOW, "search_entry");
  const char *unit_no = g_ptr_array_index (fixture->unit_numbers, 2);
  Expect expect = { window, 1 };

  /* Search as you type narrows the list to the unit. */
  gtk_editable_set_text (entry, unit_no + strlen (unit_no) - 6);
  wait_for (has_n_items, &expect);
  wait_for (rows_drawn, &expect);
  g_assert_true (label_shown (child (window, DOSSIER_TYPE_WINDOW, "list_view"), unit_no));
  g_assert_cmpstr (dossier_dossier_list_get_search (dossier_window_get_list (window)), ==,
                   unit_no + strlen (unit_no) - 6);

  /* Two Chinese characters: the second institution's two dossiers. */
  gtk_editable_set_text (entry, "协和");
  expect.n_items = 2;
  wait_for (has_n_items, &expect);
  wait_for (rows_drawn, &expect);

  /* Enter opens the first match. */
  g_signal_emit_by_name (entry, "activate");
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "dossier");

  /* Enter at once after typing, before the entry reports the change, opens what
   * was typed, not the first row of the previous search. */
  gtk_editable_set_text (entry, unit_no);
  g_signal_emit_by_name (entry, "activate");
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "dossier");
  {
    DossierDossier *opened = gtk_single_selection_get_selected_item (child (window, DOSSIER_TYPE_WINDOW, "selection"));

    g_assert_nonnull (opened);
    g_assert_cmpstr (dossier_dossier_get_unit_no (opened), ==, unit_no);
  }

  /* Nothing found. */
  gtk_editable_set_text (entry, "不存在的医院");
  expect.n_items = 0;
  wait_for (has_n_items, &expect);
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "no-match");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, DOSSIER_TYPE_WINDOW, "sidebar_stack")), ==,
                   "empty");

  /* Escape clears the search. */
  g_signal_emit_by_name (entry, "stop-search");
  expect.n_items = N_DOSSIERS;
  wait_for (has_n_items, &expect);
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "no-selection");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_filters (Fixture       *fixture,
                     gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);
  GListModel *model = window_model (window);
  g_autoptr(DossierDossier) first = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.status-filter", "s", "order"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (gtk_widget_has_css_class (child (window, DOSSIER_TYPE_WINDOW, "view_button"), "filter-active"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.status-filter", "s", ""));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOSSIERS);
  g_assert_false (gtk_widget_has_css_class (child (window, DOSSIER_TYPE_WINDOW, "view_button"), "filter-active"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.kind-filter", "s", "customized"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  run_pending ();
  g_assert_cmpstr (content_page (window), ==, "no-match");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.kind-filter", "s", ""));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-order", "s", "unit-no"));
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (dossier_dossier_get_unit_no (first), ==, g_ptr_array_index (fixture->unit_numbers, 0));

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_row (GtkWidget *widget,
          gint64     dossier_id)
{
  if (DOSSIER_IS_DOSSIER_ROW (widget))
    {
      DossierDossier *dossier = dossier_dossier_row_get_dossier (DOSSIER_DOSSIER_ROW (widget));

      return dossier != NULL && dossier_dossier_get_id (dossier) == dossier_id ? widget : NULL;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row (c, dossier_id);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static char *
menu_item_string (GMenuModel *menu,
                  int         index,
                  const char *attribute)
{
  char *value = NULL;

  g_assert_true (g_menu_model_get_item_attribute (menu, index, attribute, "s", &value));
  return value;
}

static void
test_window_institution_filter (Fixture       *fixture,
                                gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);
  GListModel *model = window_model (window);
  GMenuModel *menu = child (window, DOSSIER_TYPE_WINDOW, "institution_menu");
  GtkWidget *view_button = child (window, DOSSIER_TYPE_WINDOW, "view_button");
  g_autoptr(GError) error = NULL;
  gint64 xiehe = dossier_store_lookup_id (fixture->store, "institution", "name_zh", "北京协和医院", &error);
  g_autofree char *xiehe_id = id_text (xiehe);
  g_autofree char *filter = NULL;

  g_assert_no_error (error);

  /* "Any", then the institutions that have dossiers, by name. */
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  {
    g_autofree char *any = menu_item_string (menu, 0, G_MENU_ATTRIBUTE_TARGET);
    g_autofree char *first = menu_item_string (menu, 1, G_MENU_ATTRIBUTE_LABEL);
    g_autofree char *first_target = menu_item_string (menu, 1, G_MENU_ATTRIBUTE_TARGET);
    g_autofree char *action = menu_item_string (menu, 1, G_MENU_ATTRIBUTE_ACTION);

    g_assert_cmpstr (any, ==, "");
    g_assert_cmpstr (first, ==, "北京协和医院");
    g_assert_cmpstr (first_target, ==, xiehe_id);
    g_assert_cmpstr (action, ==, "win.institution-filter");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.institution-filter", "s", xiehe_id));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_object_get (window, "institution-filter", &filter, NULL);
  g_assert_cmpstr (filter, ==, xiehe_id);
  g_assert_true (gtk_widget_has_css_class (view_button, "filter-active"));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DossierDossier) dossier = g_list_model_get_item (model, i);

      g_assert_cmpstr (dossier_dossier_get_institution_name (dossier), ==, "北京协和医院");
    }

  /* Filters combine: the second institution's dossier in design review. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.status-filter", "s", "order"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Sorting keeps the filters. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-order", "s", "unit-no"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (dossier_dossier_list_get_sort (dossier_window_get_list (window)), ==, DOSSIER_SORT_UNIT_NO);

  /* Clearing the filters shows every dossier again, still by unit number. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOSSIERS);
  g_assert_false (gtk_widget_has_css_class (view_button, "filter-active"));
  g_clear_pointer (&filter, g_free);
  g_object_get (window, "institution-filter", &filter, NULL);
  g_assert_cmpstr (filter, ==, "");
  {
    g_autoptr(DossierDossier) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (dossier_dossier_get_unit_no (first), ==, g_ptr_array_index (fixture->unit_numbers, 0));
  }

  /* Back to the most recently updated first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sort-order", "s", "updated"));
  {
    g_autoptr(DossierDossier) first = g_list_model_get_item (model, 0);

    g_assert_cmpint (dossier_dossier_get_id (first), ==, fixture->first_id);
  }

  /* Not an institution id: any institution. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.institution-filter", "s", "bogus"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_DOSSIERS);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_problem_marker (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  DossierWindow *window;
  GListModel *model;
  Expect expect;
  guint n_problems = 0;
  guint n_clean = 0;

  /* Never checked: no marker. */
  window = show_window (fixture);
  model = window_model (window);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DossierDossier) dossier = g_list_model_get_item (model, i);

      g_assert_false (dossier_dossier_get_has_problems (dossier));
    }
  gtk_window_destroy (GTK_WINDOW (window));

  g_assert_true (dossier_check_dossiers (fixture->store, NULL, 0, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  window = show_window (fixture);
  model = window_model (window);
  expect = (Expect) { window, N_DOSSIERS };
  wait_for (rows_drawn, &expect);

  /* The list agrees with the stored results, and every row shows it. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DossierDossier) dossier = g_list_model_get_item (model, i);
      GtkWidget *row = find_row (child (window, DOSSIER_TYPE_WINDOW, "list_view"), dossier_dossier_get_id (dossier));
      DossierVerdict verdict;
      guint n_errors = 0;
      gboolean stored;

      stored = dossier_check_get_stored (fixture->store, dossier_dossier_get_id (dossier),
                                         &verdict, &n_errors, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (stored);
      g_assert_cmpint (dossier_dossier_get_has_problems (dossier), ==, n_errors > 0);

      g_assert_nonnull (row);
      g_assert_cmpint (gtk_widget_get_visible (child (row, DOSSIER_TYPE_DOSSIER_ROW, "problem_icon")), ==,
                       n_errors > 0);
      if (n_errors > 0)
        n_problems++;
      else
        n_clean++;
    }

  g_test_message ("%u with problems, %u without", n_problems, n_clean);
  g_assert_cmpuint (n_problems, >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The window comes back at the size it was closed at; it needs the compiled
 * schema, which main() points GSettings at (with the memory backend). */
static void
test_window_state (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  DossierWindow *window;
  int width, height;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("The settings schema is not compiled in the build tree");
      return;
    }

  settings = g_settings_new (APP_ID);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = dossier_window_new (NULL, fixture->store);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  gtk_window_present (GTK_WINDOW (window));
  run_pending ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  run_pending ();

  /* Closing saves; a window without an application is then destroyed. */
  gtk_window_close (GTK_WINDOW (window));
  run_pending ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* Maximizing is up to the window manager, which Xvfb does not have; the
   * request only has to be made. */

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static void
test_window_empty (Fixture       *fixture,
                   gconstpointer  user_data)
{
  DossierWindow *window = show_window (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (window_model (window)), ==, 0);
  g_assert_cmpstr (content_page (window), ==, "no-dossiers");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, DOSSIER_TYPE_WINDOW, "sidebar_stack")), ==,
                   "empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* View logic, no widgets ------------------------------------------------------- */

static void
test_format_pages (void)
{
  g_assert_cmpint (dossier_format_content_page (10, FALSE, FALSE), ==, DOSSIER_CONTENT_NO_SELECTION);
  g_assert_cmpint (dossier_format_content_page (10, TRUE, FALSE), ==, DOSSIER_CONTENT_NO_SELECTION);
  g_assert_cmpint (dossier_format_content_page (10, TRUE, TRUE), ==, DOSSIER_CONTENT_DOSSIER);
  g_assert_cmpint (dossier_format_content_page (0, TRUE, FALSE), ==, DOSSIER_CONTENT_NO_MATCH);
  g_assert_cmpint (dossier_format_content_page (0, FALSE, FALSE), ==, DOSSIER_CONTENT_NO_DOSSIERS);
  g_assert_cmpstr (dossier_format_content_page_name (DOSSIER_CONTENT_NO_MATCH), ==, "no-match");

  {
    g_autofree char *one = dossier_format_list_count (1, FALSE);
    g_autofree char *none = dossier_format_list_count (0, TRUE);

    g_assert_cmpstr (one, ==, "1 dossier");
    g_assert_cmpstr (none, ==, "0 found");
  }
}

static void
test_format_status (void)
{
  const char *statuses[] = { "order", "design", "design-review", "design-approved", "processing",
                             "inspection", "released", "delivered", "used", "closed", "cancelled" };
  const char * const *classes = dossier_format_status_css_classes ();

  /* Every status of the schema has its own class and label. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *expected = g_strconcat ("status-", statuses[i], NULL);

      g_assert_cmpstr (dossier_format_status_css_class (statuses[i]), ==, expected);
      g_assert_true (g_strv_contains (classes, expected));
      g_assert_cmpstr (dossier_format_status_label (statuses[i]), !=, statuses[i]);
    }
  g_assert_cmpstr (dossier_format_status_css_class ("bogus"), ==, "status-unknown");
  g_assert_cmpstr (dossier_format_status_css_class (NULL), ==, "status-unknown");
  g_assert_cmpstr (dossier_format_status_label ("design-review"), ==, "Design review");
  g_assert_cmpstr (dossier_format_kind_label ("customized"), ==, "Customized");
}

static DossierDossier *
make_dossier (const char *kind,
              const char *reference)
{
  return g_object_new (DOSSIER_TYPE_DOSSIER,
                       "id", (gint64)7,
                       "unit-no", "DSR-2026-000007",
                       "kind", kind,
                       "status", "design",
                       "patient-code", "P-1",
                       "institution-name", "广东省人民医院",
                       "clinician-name", "李明",
                       "product-name", g_str_equal (kind, "customized") ? "定制式颅骨修补板" : "3D打印髋臼杯",
                       "reference", reference,
                       "implantable", TRUE,
                       NULL);
}

static void
test_format_rows (void)
{
  g_autoptr(DossierDossier) matched = make_dossier ("patient-matched", "AC-52");
  g_autoptr(DossierDossier) draft = make_dossier ("customized", NULL);
  g_autofree char *subtitle = dossier_format_row_subtitle (matched);
  g_autofree char *product = dossier_format_product_line (matched);
  g_autofree char *filing = dossier_format_product_line (draft);
  g_autofree char *accessible = dossier_format_row_accessible_label (matched);
  g_autoptr(GPtrArray) summary = dossier_format_summary_fields (draft, NULL);

  g_assert_cmpstr (subtitle, ==, "P-1 · 广东省人民医院");
  g_assert_cmpstr (product, ==, "3D打印髋臼杯 · AC-52");
  g_assert_cmpstr (filing, ==, "定制式颅骨修补板 · Filing not yet numbered");
  g_assert_cmpstr (accessible, ==, "DSR-2026-000007 · Design · P-1 · 广东省人民医院 · 3D打印髋臼杯 · AC-52 · Implantable");

  /* A customized unit is summarised by its filing. */
  for (guint i = 0; i < summary->len; i++)
    {
      DossierFormatField *field = g_ptr_array_index (summary, i);

      g_assert_nonnull (field->label);
      if (g_str_equal (field->column, "product"))
        g_assert_cmpstr (field->label, ==, "Filing");
      if (g_str_equal (field->column, "reference"))
        g_assert_cmpstr (field->value, ==, "Filing not yet numbered");
    }
}

static void
set (GHashTable *row,
     const char *column,
     const char *value)
{
  g_hash_table_insert (row, (gpointer)column, (gpointer)value);
}

static void
test_format_order (void)
{
  g_autoptr(GHashTable) row = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fields = NULL;
  gboolean saw_days = FALSE;

  set (row, "kind", "patient-matched");
  set (row, "body_days", "90");
  set (row, "condition", "骨缺损");
  set (row, "necessity", "should not show");

  fields = dossier_format_order_fields (row, TRUE);
  for (guint i = 0; i < fields->len; i++)
    {
      DossierFormatField *field = g_ptr_array_index (fields, i);

      g_assert_nonnull (field->label);
      g_assert_cmpstr (field->column, !=, "necessity");   /* customized only */
      if (g_str_equal (field->column, "body_days"))
        {
          g_assert_cmpstr (field->label, ==, "Intended days in the body");
          g_assert_cmpstr (field->value, ==, "90 days — implantable");
          saw_days = TRUE;
        }
      if (g_str_equal (field->column, "condition"))
        g_assert_cmpstr (field->value, ==, "骨缺损");
      if (g_str_equal (field->column, "risks"))
        g_assert_null (field->value);
    }
  g_assert_true (saw_days);

  set (row, "kind", "customized");
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = dossier_format_order_fields (row, FALSE);
  {
    gboolean saw_necessity = FALSE;

    for (guint i = 0; i < fields->len; i++)
      {
        DossierFormatField *field = g_ptr_array_index (fields, i);

        if (g_str_equal (field->column, "necessity"))
          saw_necessity = TRUE;
        if (g_str_equal (field->column, "body_days"))
          g_assert_cmpstr (field->value, ==, "90 days");
      }
    g_assert_true (saw_necessity);
  }
}

static void
test_format_design (void)
{
  g_autoptr(GHashTable) iteration = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) parameter = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *mm = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *category = NULL;

  set (iteration, "version", "2");
  set (iteration, "designed_on", "2026-03-02");
  set (iteration, "designer", "张伟");
  set (iteration, "software", "Mimics");
  title = dossier_format_iteration_title (iteration);
  g_assert_cmpstr (title, ==, "Version 2");
  bare = dossier_format_iteration_subtitle (iteration);
  g_assert_cmpstr (bare, ==, "2 Mar 2026 · 张伟 · Mimics");
  set (iteration, "software_version", "25.0");
  subtitle = dossier_format_iteration_subtitle (iteration);
  g_assert_cmpstr (subtitle, ==, "2 Mar 2026 · 张伟 · Mimics 25.0");

  set (parameter, "value", "52.0");
  set (parameter, "unit", "mm");
  mm = dossier_format_parameter_value (parameter);
  g_assert_cmpstr (mm, ==, "52.0 mm");
  set (parameter, "unit", "%");
  percent = dossier_format_parameter_value (parameter);
  g_assert_cmpstr (percent, ==, "52.0%");
  g_hash_table_remove (parameter, "value");
  set (parameter, "category", "TC4");
  category = dossier_format_parameter_value (parameter);
  g_assert_cmpstr (category, ==, "TC4");
}

static void
test_format_timestamp (void)
{
  g_autofree char *bad = dossier_format_timestamp ("yesterday");
  g_autofree char *good = dossier_format_timestamp ("2026-03-02T14:05:09.123456+08:00");

  g_assert_null (dossier_format_timestamp (NULL));
  g_assert_cmpstr (bad, ==, "yesterday");
  /* In local time, which the test does not fix: only the shape is known. */
  g_assert_nonnull (good);
  g_assert_true (g_str_has_suffix (good, ":05"));
  g_assert_nonnull (strstr (good, " Mar 2026, "));
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
  /* Window state goes to memory, never to the user's settings; the schema
   * is the one compiled in the build tree. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("G_TEST_BUILDDIR") != NULL && g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "resources", NULL);
      g_autofree char *compiled = g_build_filename (dir, "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_EXISTS))
        g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
    }

  /* The view logic runs anywhere; widgets need a display. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/window/no-display", test_no_display);
    }
  else
    {
      gtk_test_init (&argc, &argv, NULL);
      adw_init ();

      g_test_add ("/window/lists", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_lists, fixture_tear_down);
      g_test_add ("/window/selection", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_selection, fixture_tear_down);
      g_test_add ("/window/search", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_search, fixture_tear_down);
      g_test_add ("/window/filters", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_filters, fixture_tear_down);
      g_test_add ("/window/empty", Fixture, GINT_TO_POINTER (FALSE),
                  fixture_set_up, test_window_empty, fixture_tear_down);
      g_test_add ("/window/institution-filter", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_institution_filter, fixture_tear_down);
      g_test_add ("/window/problem-marker", Fixture, GINT_TO_POINTER (TRUE),
                  fixture_set_up, test_window_problem_marker, fixture_tear_down);
      g_test_add ("/window/state", Fixture, GINT_TO_POINTER (FALSE),
                  fixture_set_up, test_window_state, fixture_tear_down);
    }

  g_test_add_func ("/format/pages", test_format_pages);
  g_test_add_func ("/format/status", test_format_status);
  g_test_add_func ("/format/rows", test_format_rows);
  g_test_add_func ("/format/order", test_format_order);
  g_test_add_func ("/format/design", test_format_design);
  g_test_add_func ("/format/timestamp", test_format_timestamp);

  return g_test_run ();
}
