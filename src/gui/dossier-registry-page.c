/* dossier-registry-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-registry-page"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-choices.h"
#include "dossier-envelope-window.h"
#include "dossier-registry-page.h"
#include "dossier-registry-record-window.h"
#include "dossier-schema.h"

/* The list shows at most this many records; a search finds the others. */
#define LIST_LIMIT 200

/* What each register says and how it is shaped.  Strings are N_(). */
typedef struct
{
  const char *table;
  const char *title;
  const char *icon_name;
  const char *add_label;          /* tooltip of the add button */
  const char *add_button;         /* the form's buttons */
  const char *delete_button;
  const char *new_title;          /* header of an empty form */
  const char *description;        /* under the list's header, or NULL */
  const char *form_description;   /* above the form, or NULL */
  const char *search_label;       /* placeholder of the search entry */
  const char *empty_title;
  const char *empty_description;
  const char *none_title;         /* nothing selected */
  const char *filter_column;      /* the list can be narrowed to one parent, or NULL */
  const char *filter_table;
  const char *filter_any;
  const char *filter_label;
  const char *child_table;        /* parts listed under the form, or NULL */
  const char *child_column;
  const char *child_title;
  const char *child_add;
  const char *child_empty;
  const char *child_new_title;
} Register;

static const Register registers[] = {
  { "manufacturer", N_("Manufacturer"), "emblem-system-symbolic",
    NULL, N_("_Save Profile"), NULL, N_("Manufacturer Profile"),
    NULL,
    N_("The company that designs, makes and files the devices. Its production licence must cover "
       "the kind of device, and it must make each unit at its own site."),
    NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL,
    "manufacturing_site", "manufacturer_id", N_("Manufacturing Sites"), N_("_Add Site"),
    N_("No manufacturing sites yet"), N_("New Manufacturing Site") },
  { "institution", N_("Institutions"), "go-home-symbolic",
    N_("Add Institution"), N_("_Add Institution"), N_("_Delete Institution…"), N_("New Institution"),
    NULL,
    N_("A medical institution that orders devices. Deactivate an institution to stop new dossiers "
       "for it; its records stay."),
    N_("Search name or licence…"), N_("No Institutions"),
    N_("Add the medical institutions that order devices."), N_("No Institution Selected"),
    NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL },
  { "clinician", N_("Clinicians"), "system-users-symbolic",
    N_("Add Clinician"), N_("_Add Clinician"), N_("_Delete Clinician…"), N_("New Clinician"),
    NULL,
    N_("A clinician who may order devices and confirm designs for an institution. Deactivate "
       "a clinician who no longer orders; their records stay."),
    N_("Search name, department or certificate…"), N_("No Clinicians"),
    N_("Add the clinicians who order devices."), N_("No Clinician Selected"),
    "institution_id", "institution", N_("All Institutions"), N_("Show the clinicians of"),
    NULL, NULL, NULL, NULL, NULL, NULL },
  { "patient", N_("Patients"), "avatar-default-symbolic",
    N_("Add Patient"), N_("_Add Patient"), N_("_Delete Patient…"), N_("New Patient"),
    N_("Patients are recorded by a traceable code only, never by name."),
    N_("Enter the traceable code the institution gives the patient. Never enter the patient’s "
       "name, ID card number or any other identifying detail: the record leaves the hospital "
       "with the filing package."),
    N_("Search code…"), N_("No Patients"),
    N_("Patients are added here or when a new dossier is created."), N_("No Patient Selected"),
    NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL },
  { "filing", N_("Filings"), "emblem-documents-symbolic",
    N_("Add Filing"), N_("_Add Filing"), N_("_Delete Filing…"), N_("New Filing"),
    NULL,
    N_("A customized-device filing (备案), made jointly with the partner institution. Only a "
       "filing that is filed or changed can take new dossiers, and only from its partner."),
    N_("Search device, number or institution…"), N_("No Filings"),
    N_("Add the customized-device filings made with partner institutions."), N_("No Filing Selected"),
    NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL },
  { "product", N_("Registered Products"), "package-x-generic-symbolic",
    N_("Add Registered Product"), N_("_Add Product"), N_("_Delete Product…"), N_("New Registered Product"),
    NULL,
    N_("A registered product that patient-matched devices are made as. Deactivate it when the "
       "registration lapses; only models of active products are offered for new dossiers."),
    N_("Search name or certificate…"), N_("No Registered Products"),
    N_("Add the registered products and their models."), N_("No Product Selected"),
    NULL, NULL, NULL, NULL,
    "product_model", "product_id", N_("Models"), N_("_Add Model"), N_("No models yet"), N_("New Model") },
};

struct _DossierRegistryPage
{
  GtkWidget            parent_instance;

  DossierStore        *store;
  char                *table;
  const Register      *reg;
  gboolean             narrow;
  gboolean             single;         /* one record, no list */
  gboolean             filling;        /* the list is being rebuilt */
  GArray              *filter_ids;     /* gint64 at each position of the drop-down */
  gint64               filter_value;
  guint                n_records;
  guint                refresh_id;     /* a list refresh waiting for the main loop */

  DossierRegistryForm *form;

  /* Template widgets */
  AdwLeaflet          *leaflet;
  AdwLeafletPage      *list_page;
  GtkWidget           *list_pane;
  AdwHeaderBar        *list_header;
  AdwWindowTitle      *list_title;
  GtkWidget           *list_back_button;
  GtkWidget           *add_button;
  GtkLabel            *description_label;
  GtkDropDown         *filter_dropdown;
  GtkSearchEntry      *search_entry;
  GtkStack            *list_stack;
  GtkListBox          *records;
  GtkLabel            *more_label;
  AdwStatusPage       *empty_page;
  GtkWidget           *separator;
  GtkWidget           *form_pane;
  AdwHeaderBar        *form_header;
  AdwWindowTitle      *form_title;
  GtkWidget           *form_back_button;
  GtkStack            *form_stack;
  AdwStatusPage       *none_page;
  GtkWidget           *form_box;
  GtkLabel            *form_description_label;
  GtkWidget           *children_box;
  GtkLabel            *children_title;
  GtkButton           *add_child_button;
  GtkListBox          *children_list;
};

G_DEFINE_FINAL_TYPE (DossierRegistryPage, dossier_registry_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TABLE,
  PROP_NARROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const Register *
lookup_register (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
    if (g_strcmp0 (registers[i].table, table) == 0)
      return &registers[i];

  return NULL;
}

const char * const *
dossier_registry_page_tables (void)
{
  static const char *tables[G_N_ELEMENTS (registers) + 1];

  if (tables[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
      tables[i] = registers[i].table;

  return tables;
}

static void
clear_list_box (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_toast (DossierRegistryPage *self,
            const char          *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_warning ("%s", message);
}

/* Headers ---------------------------------------------------------------------- */

/* Window buttons go on the outermost header bars, and the way back on the
 * pane that is shown alone. */
static void
update_headers (DossierRegistryPage *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->list_back_button, self->narrow && !self->single);
  adw_header_bar_set_show_start_title_buttons (self->list_header, self->narrow);
  adw_header_bar_set_show_end_title_buttons (self->list_header, folded);

  gtk_widget_set_visible (self->form_back_button, self->single ? self->narrow : folded);
  adw_header_bar_set_show_start_title_buttons (self->form_header, self->narrow && (folded || self->single));
  adw_header_bar_set_show_end_title_buttons (self->form_header, TRUE);
}

static void
on_folded_changed (DossierRegistryPage *self)
{
  update_headers (self);
}

/* Also when unfolded: the form is then what a narrower window shows. */
static void
show_form_pane (DossierRegistryPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->form_pane);
}

static void
on_form_back_clicked (DossierRegistryPage *self)
{
  if (self->single)
    gtk_widget_activate_action (GTK_WIDGET (self), "registers.back", NULL);
  else
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The list ---------------------------------------------------------------------- */

static GtkWidget *
record_row_new (const DossierOption *option)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (option->title);
  g_autoptr(GString) accessible = g_string_new (option->title);

  /* Long names are cut rather than widening the list beyond its width. */
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 20);
  gtk_box_append (GTK_BOX (text), title);

  if (option->subtitle != NULL)
    {
      GtkWidget *subtitle = gtk_label_new (option->subtitle);

      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 20);
      gtk_widget_set_tooltip_text (subtitle, option->subtitle);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_box_append (GTK_BOX (text), subtitle);
      g_string_append_printf (accessible, ", %s", option->subtitle);
    }

  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);

  if (!option->active)
    {
      /* Translators: a tag on a deactivated record (or a filing not in force) */
      GtkWidget *tag = gtk_label_new (C_("record", "Inactive"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "dim-label");
      gtk_widget_add_css_class (tag, "caption");
      gtk_box_append (GTK_BOX (box), tag);
      g_string_append_printf (accessible, ", %s", C_("record", "Inactive"));
    }

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "record-id64", g_memdup2 (&option->id, sizeof option->id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str,
                                  -1);

  return row;
}

static gint64
row_record_id (GtkListBoxRow *row)
{
  gint64 *id = row != NULL ? g_object_get_data (G_OBJECT (row), "record-id64") : NULL;

  return id != NULL ? *id : 0;
}

static void
select_row_of (DossierRegistryPage *self,
               gint64               id)
{
  GtkListBoxRow *found = NULL;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->records)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c) && row_record_id (GTK_LIST_BOX_ROW (c)) == id && id > 0)
      found = GTK_LIST_BOX_ROW (c);

  self->filling = TRUE;
  if (found != NULL)
    gtk_list_box_select_row (self->records, found);
  else
    gtk_list_box_unselect_all (self->records);
  self->filling = FALSE;
}

static gboolean
is_narrowed (DossierRegistryPage *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (search != NULL && *search != '\0') || self->filter_value > 0;
}

static void
refresh_list (DossierRegistryPage *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  const char *search;
  gboolean more = FALSE;

  if (self->single)
    return;

  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  records = dossier_choices_list_records (self->store, self->table, search,
                                          self->reg->filter_column, self->filter_value,
                                          LIST_LIMIT, &more, &error);
  if (records == NULL)
    {
      show_toast (self, error->message);
      records = g_ptr_array_new ();
    }

  self->filling = TRUE;
  clear_list_box (self->records);
  for (guint i = 0; i < records->len; i++)
    gtk_list_box_append (self->records, record_row_new (g_ptr_array_index (records, i)));
  self->filling = FALSE;
  self->n_records = records->len;

  select_row_of (self, dossier_registry_form_get_record_id (self->form));

  if (more)
    {
      g_autofree char *text = g_strdup_printf (_("Only the first %u are listed. Search to find the others."),
                                               (guint)LIST_LIMIT);
      gtk_label_set_label (self->more_label, text);
      /* Translators: the subtitle of a register's list when it is cut short */
      count = g_strdup_printf (_("First %u"), (guint)LIST_LIMIT);
    }
  else if (is_narrowed (self))
    count = g_strdup_printf (ngettext ("%u found", "%u found", records->len), records->len);
  else
    count = g_strdup_printf (ngettext ("%u record", "%u records", records->len), records->len);
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), more);
  adw_window_title_set_subtitle (self->list_title, count);

  if (records->len == 0)
    {
      adw_status_page_set_title (self->empty_page, is_narrowed (self) ? _("No Results") : _(self->reg->empty_title));
      adw_status_page_set_description (self->empty_page,
                                       is_narrowed (self) ? _("Try a different search.")
                                                          : _(self->reg->empty_description));
      adw_status_page_set_icon_name (self->empty_page,
                                     is_narrowed (self) ? "edit-find-symbolic" : self->reg->icon_name);
    }
  gtk_stack_set_visible_child_name (self->list_stack, records->len > 0 ? "records" : "empty");
}

/* The filter's choices: every institution, by name. */
static void
refresh_filter (DossierRegistryPage *self)
{
  g_autoptr(GPtrArray) parents = NULL;
  g_autoptr(GtkStringList) labels = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  if (self->reg->filter_column == NULL)
    return;

  parents = dossier_choices_list_records (self->store, self->reg->filter_table, NULL, NULL, 0, 0, NULL, &error);
  if (parents == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  labels = gtk_string_list_new (NULL);
  g_array_set_size (self->filter_ids, 0);
  gtk_string_list_append (labels, _(self->reg->filter_any));
  g_array_append_val (self->filter_ids, (gint64) { 0 });
  for (guint i = 0; i < parents->len; i++)
    {
      DossierOption *option = g_ptr_array_index (parents, i);

      gtk_string_list_append (labels, option->title);
      g_array_append_val (self->filter_ids, option->id);
      if (option->id == self->filter_value)
        selected = i + 1;
    }

  self->filling = TRUE;
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->filter_dropdown, selected);
  self->filling = FALSE;
  if (selected == 0)
    self->filter_value = 0;
}

static void
on_filter_changed (DossierRegistryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_dropdown);

  if (self->filling || selected == GTK_INVALID_LIST_POSITION || selected >= self->filter_ids->len)
    return;

  self->filter_value = g_array_index (self->filter_ids, gint64, selected);
  refresh_list (self);
}

static void
on_search_changed (DossierRegistryPage *self)
{
  refresh_list (self);
}

static void
on_stop_search (DossierRegistryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* The form ----------------------------------------------------------------------- */

static void
refresh_children (DossierRegistryPage *self)
{
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = dossier_registry_form_get_record_id (self->form);

  gtk_widget_set_visible (self->children_box, self->reg->child_table != NULL && id > 0);
  if (self->reg->child_table == NULL || id <= 0)
    return;

  clear_list_box (self->children_list);
  children = dossier_choices_list_records (self->store, self->reg->child_table, NULL, self->reg->child_column, id,
                                           0, NULL, &error);
  if (children == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  for (guint i = 0; i < children->len; i++)
    {
      DossierOption *option = g_ptr_array_index (children, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), option->title);
      if (option->subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), option->subtitle);
      /* A model's registered size ranges are edited in their own window. */
      if (g_str_equal (self->reg->child_table, "product_model"))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), dossier_envelope_window_button_new (self->store, option->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "record-id64", g_memdup2 (&option->id, sizeof option->id), g_free);
      gtk_list_box_append (self->children_list, row);
    }

  if (children->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->reg->child_empty));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->children_list, row);
    }
}

static void
update_form_title (DossierRegistryPage *self)
{
  gint64 id = dossier_registry_form_get_record_id (self->form);
  g_autoptr(DossierOption) option = NULL;

  if (id > 0)
    option = dossier_choices_get_record (self->store, self->table, id, NULL);

  if (option != NULL && !self->single)
    {
      adw_window_title_set_title (self->form_title, option->title);
      adw_window_title_set_subtitle (self->form_title, dossier_schema_table_label (self->table));
    }
  else
    {
      adw_window_title_set_title (self->form_title, _(self->reg->new_title));
      adw_window_title_set_subtitle (self->form_title, NULL);
    }
}

static gboolean
show_record (DossierRegistryPage *self,
             gint64               id)
{
  g_autoptr(GError) error = NULL;
  const char *unsaved = dossier_registry_form_get_first_field_error (self->form);

  /* Leaving a record with a refused change says so, rather than dropping it
   * without a word. */
  if (unsaved != NULL && dossier_registry_form_get_record_id (self->form) > 0)
    {
      g_autofree char *message = g_strdup_printf (_("Not saved: %s"), unsaved);
      show_toast (self, message);
    }

  if (!dossier_registry_form_load (self->form, id, &error))
    {
      show_toast (self, error->message);
      gtk_stack_set_visible_child_name (self->form_stack, "none");
      return FALSE;
    }

  update_form_title (self);
  refresh_children (self);
  gtk_stack_set_visible_child_name (self->form_stack, "form");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    gtk_widget_get_ancestor (self->form_box, GTK_TYPE_SCROLLED_WINDOW))), 0);

  return TRUE;
}

static void
show_nothing (DossierRegistryPage *self)
{
  gtk_stack_set_visible_child_name (self->form_stack, "none");
  adw_window_title_set_title (self->form_title, NULL);
  adw_window_title_set_subtitle (self->form_title, NULL);
}

static void
on_row_selected (DossierRegistryPage *self,
                 GtkListBoxRow       *row)
{
  if (self->filling || row == NULL)
    return;

  show_record (self, row_record_id (row));
}

static void
on_row_activated (DossierRegistryPage *self,
                  GtkListBoxRow       *row)
{
  if (row_record_id (row) != dossier_registry_form_get_record_id (self->form))
    show_record (self, row_record_id (row));
  show_form_pane (self);
}

static void
on_add_clicked (DossierRegistryPage *self)
{
  dossier_registry_page_add_record (self);
}

static gboolean
refresh_list_idle (gpointer data)
{
  DossierRegistryPage *self = data;

  self->refresh_id = 0;
  refresh_list (self);
  return G_SOURCE_REMOVE;
}

static void
on_form_saved (DossierRegistryForm *form,
               gint64               id,
               gboolean             added,
               DossierRegistryPage *self)
{
  /* A change is committed when its field loses the focus, which may be to a
   * click on another row of the list: the list is rebuilt after that click. */
  if (added)
    refresh_list (self);
  else if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_list_idle, self);
  update_form_title (self);
  if (added)
    {
      refresh_children (self);
      show_toast (self, self->single ? _("Manufacturer profile saved") : _("Added"));
    }
}

static void
on_form_deleted (DossierRegistryForm *form,
                 gint64               id,
                 DossierRegistryPage *self)
{
  refresh_list (self);
  show_nothing (self);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  show_toast (self, _("Deleted"));
}

/* Parts: a product's models, the manufacturer's sites ----------------------------- */

static void
on_child_changed (DossierRegistryRecordWindow *window,
                  DossierRegistryPage         *self)
{
  refresh_children (self);
}

static void
open_child (DossierRegistryPage *self,
            gint64               child_id)
{
  g_autofree char *parent = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_registry_form_get_record_id (self->form));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  /* The manufacturer's sites take their one manufacturer by default. */
  window = dossier_registry_record_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               self->store, self->reg->child_table,
                                               self->single ? NULL : self->reg->child_column,
                                               parent, child_id, _(self->reg->child_new_title), &error);
  if (window == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  g_signal_connect_object (window, "changed", G_CALLBACK (on_child_changed), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_child_activated (DossierRegistryPage *self,
                    GtkListBoxRow       *row)
{
  if (row_record_id (row) > 0)
    open_child (self, row_record_id (row));
}

static void
on_add_child_clicked (DossierRegistryPage *self)
{
  open_child (self, 0);
}

/* GObject ------------------------------------------------------------------------ */

static void
dossier_registry_page_constructed (GObject *object)
{
  DossierRegistryPage *self = (DossierRegistryPage *)object;
  g_autofree char *search_accessible = NULL;

  G_OBJECT_CLASS (dossier_registry_page_parent_class)->constructed (object);

  self->reg = lookup_register (self->table);
  g_assert (self->reg != NULL);
  self->single = g_str_equal (self->table, "manufacturer");

  self->form = DOSSIER_REGISTRY_FORM (dossier_registry_form_new (self->store, self->table));
  gtk_box_insert_child_after (GTK_BOX (self->form_box), GTK_WIDGET (self->form),
                              GTK_WIDGET (self->form_description_label));
  dossier_registry_form_set_button_labels (self->form,
                                           self->reg->add_button != NULL ? _(self->reg->add_button) : NULL,
                                           self->reg->delete_button != NULL ? _(self->reg->delete_button) : NULL);
  /* The parts go between the fields and the buttons. */
  g_object_ref (self->children_box);
  gtk_box_remove (GTK_BOX (self->form_box), self->children_box);
  dossier_registry_form_set_extra (self->form, self->children_box);
  g_object_unref (self->children_box);
  g_signal_connect_object (self->form, "saved", G_CALLBACK (on_form_saved), self, 0);
  g_signal_connect_object (self->form, "deleted", G_CALLBACK (on_form_deleted), self, 0);

  adw_window_title_set_title (self->list_title, _(self->reg->title));

  if (self->reg->description != NULL)
    {
      gtk_label_set_label (self->description_label, _(self->reg->description));
      gtk_widget_set_visible (GTK_WIDGET (self->description_label), TRUE);
    }
  if (self->reg->form_description != NULL)
    {
      gtk_label_set_label (self->form_description_label, _(self->reg->form_description));
      gtk_widget_set_visible (GTK_WIDGET (self->form_description_label), TRUE);
    }

  if (self->reg->add_label != NULL)
    {
      gtk_widget_set_tooltip_text (self->add_button, _(self->reg->add_label));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->reg->add_label),
                                      -1);
    }

  if (self->reg->search_label != NULL)
    {
      /* Translators: the accessible name of a register's search entry, e.g. "Search Institutions" */
      search_accessible = g_strdup_printf (_("Search %s"), _(self->reg->title));
      /* gtk_search_entry_set_placeholder_text() is newer than GTK 4.8. */
      g_object_set (self->search_entry, "placeholder-text", _(self->reg->search_label), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, search_accessible,
                                      -1);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->records),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->reg->title),
                                  -1);

  if (self->reg->filter_column != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->filter_dropdown), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_dropdown), _(self->reg->filter_label));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->reg->filter_label),
                                      -1);
    }

  if (self->reg->child_table != NULL)
    {
      gtk_label_set_label (self->children_title, _(self->reg->child_title));
      gtk_button_set_label (self->add_child_button, _(self->reg->child_add));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->children_list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->reg->child_title),
                                      -1);
    }

  adw_status_page_set_icon_name (self->none_page, self->reg->icon_name);
  if (self->reg->none_title != NULL)
    {
      adw_status_page_set_title (self->none_page, _(self->reg->none_title));
      adw_status_page_set_description (self->none_page, _("Select a record in the list, or add a new one."));
    }

  /* The manufacturer profile is a single record: no list beside it. */
  if (self->single)
    {
      gtk_widget_set_visible (self->list_pane, FALSE);
      gtk_widget_set_visible (self->separator, FALSE);
      adw_leaflet_set_visible_child (self->leaflet, self->form_pane);
    }

  update_headers (self);
  dossier_registry_page_reload (self);
}

static void
dossier_registry_page_dispose (GObject *object)
{
  DossierRegistryPage *self = (DossierRegistryPage *)object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOSSIER_TYPE_REGISTRY_PAGE);
  self->form = NULL;
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_registry_page_parent_class)->dispose (object);
}

static void
dossier_registry_page_finalize (GObject *object)
{
  DossierRegistryPage *self = (DossierRegistryPage *)object;

  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->filter_ids, g_array_unref);

  G_OBJECT_CLASS (dossier_registry_page_parent_class)->finalize (object);
}

static void
dossier_registry_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DossierRegistryPage *self = DOSSIER_REGISTRY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_TABLE:
      g_value_set_string (value, self->table);
      break;

    case PROP_NARROW:
      g_value_set_boolean (value, self->narrow);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DossierRegistryPage *self = DOSSIER_REGISTRY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_TABLE:
      self->table = g_value_dup_string (value);
      break;

    case PROP_NARROW:
      dossier_registry_page_set_narrow (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_registry_page_class_init (DossierRegistryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dossier_registry_page_constructed;
  object_class->dispose = dossier_registry_page_dispose;
  object_class->finalize = dossier_registry_page_finalize;
  object_class->get_property = dossier_registry_page_get_property;
  object_class->set_property = dossier_registry_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TABLE] =
    g_param_spec_string ("table", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NARROW] =
    g_param_spec_boolean ("narrow", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOSSIER_TYPE_REGISTRY_FORM);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-registry-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_page);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_pane);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_header);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_title);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_back_button);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, records);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, more_label);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, separator);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_pane);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_header);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_title);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_back_button);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_stack);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, none_page);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_box);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, form_description_label);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, children_box);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, children_title);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, add_child_button);
  gtk_widget_class_bind_template_child (widget_class, DossierRegistryPage, children_list);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_form_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_child_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_child_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dossier_registry_page_init (DossierRegistryPage *self)
{
  self->filter_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public ------------------------------------------------------------------------- */

GtkWidget *
dossier_registry_page_new (DossierStore *store,
                           const char   *table)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (lookup_register (table) != NULL, NULL);

  return g_object_new (DOSSIER_TYPE_REGISTRY_PAGE,
                       "store", store,
                       "table", table,
                       NULL);
}

const char *
dossier_registry_page_get_table (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), NULL);

  return self->table;
}

const char *
dossier_registry_page_get_title (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), NULL);

  return _(self->reg->title);
}

const char *
dossier_registry_page_get_icon_name (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), NULL);

  return self->reg->icon_name;
}

gboolean
dossier_registry_page_get_narrow (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), FALSE);

  return self->narrow;
}

void
dossier_registry_page_set_narrow (DossierRegistryPage *self,
                                  gboolean             narrow)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_PAGE (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;

  self->narrow = narrow;
  update_headers (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NARROW]);
}

void
dossier_registry_page_reload (DossierRegistryPage *self)
{
  gint64 id;

  g_return_if_fail (DOSSIER_IS_REGISTRY_PAGE (self));

  if (self->single)
    {
      g_autoptr(GPtrArray) records = dossier_choices_list_records (self->store, self->table, NULL, NULL, 0, 1,
                                                                   NULL, NULL);

      /* The profile is made once, from an empty form. */
      show_record (self, records != NULL && records->len > 0
                         ? ((DossierOption *)g_ptr_array_index (records, 0))->id : 0);
      return;
    }

  refresh_filter (self);
  refresh_list (self);

  /* The record shown may have been changed or deleted elsewhere. */
  id = dossier_registry_form_get_record_id (self->form);
  if (id > 0 && gtk_stack_get_visible_child_name (self->form_stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->form_stack), "form"))
    {
      g_autoptr(GHashTable) row = dossier_store_get_row (self->store, self->table, id, NULL);

      if (row != NULL)
        show_record (self, id);
      else
        show_nothing (self);
    }
  else if (id == 0 && g_strcmp0 (gtk_stack_get_visible_child_name (self->form_stack), "form") != 0)
    show_nothing (self);
}

gboolean
dossier_registry_page_select (DossierRegistryPage *self,
                              gint64               id)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), FALSE);

  if (id <= 0)
    {
      select_row_of (self, 0);
      show_nothing (self);
      return TRUE;
    }

  if (!show_record (self, id))
    return FALSE;

  select_row_of (self, id);
  show_form_pane (self);
  return TRUE;
}

void
dossier_registry_page_add_record (DossierRegistryPage *self)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_PAGE (self));

  select_row_of (self, 0);
  if (!show_record (self, 0))
    return;

  /* A clinician added while the list shows one institution's works there. */
  if (self->reg->filter_column != NULL && self->filter_value > 0)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, self->filter_value);
      dossier_registry_form_set_value (self->form, self->reg->filter_column, value);
    }

  show_form_pane (self);
  gtk_widget_child_focus (GTK_WIDGET (self->form), GTK_DIR_TAB_FORWARD);
}

DossierRegistryForm *
dossier_registry_page_get_form (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), NULL);

  return self->form;
}

guint
dossier_registry_page_get_n_records (DossierRegistryPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_REGISTRY_PAGE (self), 0);

  return self->n_records;
}

void
dossier_registry_page_set_search (DossierRegistryPage *self,
                                  const char          *text)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* The entry waits a moment before it says the search changed; a caller
   * that sets the text wants the list now. */
  refresh_list (self);
}

void
dossier_registry_page_set_filter (DossierRegistryPage *self,
                                  gint64               id)
{
  g_return_if_fail (DOSSIER_IS_REGISTRY_PAGE (self));

  for (guint i = 0; i < self->filter_ids->len; i++)
    if (g_array_index (self->filter_ids, gint64, i) == id)
      {
        gtk_drop_down_set_selected (self->filter_dropdown, i);
        return;
      }
}
