/* dossier-check-banner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-check-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-check.h"
#include "dossier-check-banner.h"

/* At most this many problems are listed; the rest are counted. */
#define MAX_ITEMS 5

struct _DossierCheckBanner
{
  GtkWidget           parent_instance;

  DossierCheckReport *report;
  DossierEditorPage  *queued_page;   /* weak, while a refresh is queued */
  guint               queued_source;
  guint               full_source;

  GtkRevealer        *revealer;
  GtkWidget          *box;
  GtkImage           *icon;
  GtkLabel           *title_label;
  GtkLabel           *problems_label;
  GtkLabel           *remedies_title_label;
  GtkLabel           *remedies_label;
};

G_DEFINE_FINAL_TYPE (DossierCheckBanner, dossier_check_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Marking -------------------------------------------------------------------------- */

char *
dossier_check_describe_parameter (const DossierCheckParameter *check)
{
  g_autoptr(GString) text = NULL;

  if (check == NULL || check->verdict == DOSSIER_VERDICT_PASS)
    return NULL;

  text = g_string_new (NULL);
  if (check->limits != NULL)
    /* Translators: the registered range beside a parameter value, e.g. "Allowed: 44 ≤ x ≤ 58 mm" */
    g_string_append_printf (text, _("Allowed: %s"), check->limits);
  else if (check->allowed != NULL)
    {
      g_autofree char *allowed = g_strjoinv (" | ", check->allowed);
      g_string_append_printf (text, _("Allowed: %s"), allowed);
    }

  for (guint i = 0; check->findings != NULL && i < check->findings->len; i++)
    {
      const DossierCheckFinding *finding = g_ptr_array_index (check->findings, i);

      if (finding->severity == DOSSIER_SEVERITY_INFO || finding->message == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, finding->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
dossier_check_mark_widget (GtkWidget                   *widget,
                           const DossierCheckParameter *check)
{
  g_autofree char *text = NULL;
  gboolean marked;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  text = dossier_check_describe_parameter (check);
  marked = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "dossier-check-marked"));

  /* Only what an earlier marking added is taken away again: the field's own
   * validation uses the same style class. */
  if (marked)
    {
      gtk_widget_remove_css_class (widget, "warning");
      gtk_widget_remove_css_class (widget, "error");
      if (ADW_IS_ACTION_ROW (widget))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), "");
      else
        gtk_widget_set_tooltip_text (widget, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  g_object_set_data (G_OBJECT (widget), "dossier-check-marked", GINT_TO_POINTER (text != NULL));
  if (text == NULL)
    return;

  gtk_widget_add_css_class (widget, check->verdict == DOSSIER_VERDICT_ERROR ? "error" : "warning");
  if (ADW_IS_ACTION_ROW (widget))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), text);
  else
    gtk_widget_set_tooltip_text (widget, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* The banner ----------------------------------------------------------------------- */

static void
update (DossierCheckBanner *self)
{
  DossierVerdict verdict = self->report != NULL ? dossier_check_report_get_verdict (self->report) : DOSSIER_VERDICT_PASS;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) remedies = g_string_new (NULL);
  g_auto(GStrv) keys = NULL;
  DossierSeverity shown = verdict == DOSSIER_VERDICT_ERROR ? DOSSIER_SEVERITY_ERROR : DOSSIER_SEVERITY_WARNING;
  guint n_shown = 0, n_total = 0;
  g_autofree char *title = NULL;

  gtk_revealer_set_reveal_child (self->revealer, verdict != DOSSIER_VERDICT_PASS);
  gtk_widget_set_visible (GTK_WIDGET (self), verdict != DOSSIER_VERDICT_PASS);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
  if (verdict == DOSSIER_VERDICT_PASS)
    return;

  for (guint i = 0; i < dossier_check_report_get_n_findings (self->report); i++)
    {
      const DossierCheckFinding *finding = dossier_check_report_get_finding (self->report, i);

      if (finding->severity != shown)
        continue;
      n_total++;
      if (n_shown >= MAX_ITEMS)
        continue;
      if (problems->len > 0)
        g_string_append_c (problems, '\n');
      g_string_append_printf (problems, "• %s", finding->message);
      n_shown++;
    }
  if (n_total > n_shown)
    {
      g_string_append_c (problems, '\n');
      g_string_append_printf (problems, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", n_total - n_shown),
                              n_total - n_shown);
    }

  keys = dossier_check_report_get_remedies (self->report);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (remedies->len > 0)
        g_string_append_c (remedies, '\n');
      g_string_append_printf (remedies, "• %s", dossier_remedy_get_label (keys[i]));
    }

  if (verdict == DOSSIER_VERDICT_ERROR)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u problem stops design approval and release",
                                          "%u problems stop design approval and release",
                                          n_total), n_total);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u warning to review",
                                          "%u warnings to review",
                                          n_total), n_total);

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->problems_label, problems->str);
  gtk_label_set_label (self->remedies_label, remedies->str);
  gtk_widget_set_visible (GTK_WIDGET (self->remedies_title_label), remedies->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->remedies_label), remedies->len > 0);
  gtk_image_set_from_icon_name (self->icon, verdict == DOSSIER_VERDICT_ERROR ? "dialog-error-symbolic"
                                                                             : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (self->box, "error");
  gtk_widget_remove_css_class (self->box, "warning");
  gtk_widget_add_css_class (self->box, verdict == DOSSIER_VERDICT_ERROR ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->box), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
}

GtkWidget *
dossier_check_banner_new (void)
{
  return g_object_new (DOSSIER_TYPE_CHECK_BANNER, NULL);
}

void
dossier_check_banner_set_report (DossierCheckBanner *self,
                                 DossierCheckReport *report)
{
  g_return_if_fail (DOSSIER_IS_CHECK_BANNER (self));
  g_return_if_fail (report == NULL || DOSSIER_IS_CHECK_REPORT (report));

  /* A new check of the same dossier is a new object even when nothing changed,
   * so the banner is always brought up to date. */
  g_set_object (&self->report, report);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

DossierCheckReport *
dossier_check_banner_get_report (DossierCheckBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_BANNER (self), NULL);

  return self->report;
}

gboolean
dossier_check_banner_get_revealed (DossierCheckBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_BANNER (self), FALSE);

  return gtk_revealer_get_reveal_child (self->revealer);
}

char *
dossier_check_banner_get_text (DossierCheckBanner *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_BANNER (self), NULL);

  if (!dossier_check_banner_get_revealed (self))
    return g_strdup ("");

  return g_strjoin ("\n", gtk_label_get_label (self->title_label), gtk_label_get_label (self->problems_label),
                    gtk_label_get_label (self->remedies_label), NULL);
}

/* The editor page -------------------------------------------------------------------- */

/* The parameter values of the latest design version, the one the check reads. */
static GPtrArray *
latest_parameters (DossierStore *store,
                   gint64        dossier_id)
{
  g_autoptr(GPtrArray) iterations = dossier_store_list_rows (store, "design_iteration", "dossier_id", dossier_id, NULL);
  GHashTable *latest = NULL;
  gint64 latest_version = G_MININT64;
  const char *id;

  for (guint i = 0; iterations != NULL && i < iterations->len; i++)
    {
      GHashTable *row = g_ptr_array_index (iterations, i);
      const char *version = g_hash_table_lookup (row, "version");
      gint64 v = version != NULL ? g_ascii_strtoll (version, NULL, 10) : 0;

      if (latest == NULL || v >= latest_version)
        {
          latest = row;
          latest_version = v;
        }
    }

  if (latest == NULL || (id = g_hash_table_lookup (latest, "id")) == NULL)
    return NULL;

  return dossier_store_list_rows (store, "parameter_value", "iteration_id", g_ascii_strtoll (id, NULL, 10), NULL);
}

/* A line under the value with what the check says, so that it is seen without
 * hovering; it sits with the field's own message. */
static void
set_note (DossierEditorField          *field,
          const DossierCheckParameter *check)
{
  GtkWidget *message = dossier_editor_field_get_message_label (field);
  GtkWidget *parent = message != NULL ? gtk_widget_get_parent (message) : NULL;
  g_autofree char *text = dossier_check_describe_parameter (check);
  GtkWidget *note = NULL;

  if (parent == NULL || !GTK_IS_BOX (parent))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), "check-note") == 0)
      note = child;

  if (note == NULL && text == NULL)
    return;
  if (note == NULL)
    {
      note = gtk_label_new (NULL);
      gtk_widget_set_name (note, "check-note");
      gtk_label_set_xalign (GTK_LABEL (note), 0);
      gtk_label_set_wrap (GTK_LABEL (note), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (note), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (note, "caption");
      gtk_box_append (GTK_BOX (parent), note);
    }

  gtk_label_set_label (GTK_LABEL (note), text != NULL ? text : "");
  gtk_widget_set_visible (note, text != NULL);
  gtk_widget_remove_css_class (note, "error");
  gtk_widget_remove_css_class (note, "warning");
  if (text != NULL)
    gtk_widget_add_css_class (note, check->verdict == DOSSIER_VERDICT_ERROR ? "error" : "warning");
}

void
dossier_check_banner_refresh_page (DossierCheckBanner *self,
                                   DossierEditorPage  *page,
                                   gboolean            full)
{
  DossierEditorSession *session;
  DossierCheckOptions options = { NULL, NULL, full ? DOSSIER_CHECK_DEFAULT : DOSSIER_CHECK_NO_WORST_CASE };
  g_autoptr(DossierCheckReport) report = NULL;
  g_autoptr(GPtrArray) parameters = NULL;
  g_autoptr(GError) error = NULL;
  DossierStore *store;
  gint64 dossier_id;

  g_return_if_fail (DOSSIER_IS_CHECK_BANNER (self));
  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (page));

  session = dossier_editor_page_get_session (page);
  if (session == NULL)
    {
      dossier_check_banner_set_report (self, NULL);
      return;
    }

  store = dossier_editor_session_get_store (session);
  dossier_id = dossier_editor_session_get_dossier_id (session);
  report = dossier_check_dossier (store, dossier_id, &options, &error);
  if (report == NULL && (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY) ||
                         g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED)))
    {
      /* Someone who may not write (or a database opened read-only) still sees the
       * verdict; the result is just not kept. */
      g_clear_error (&error);
      options.flags |= DOSSIER_CHECK_NO_STORE;
      report = dossier_check_dossier (store, dossier_id, &options, &error);
    }
  if (report == NULL)
    {
      /* The check is advice here; the workflow gate refuses on its own. */
      g_warning ("Could not check dossier %" G_GINT64_FORMAT ": %s", dossier_id, error->message);
      dossier_check_banner_set_report (self, NULL);
      return;
    }
  dossier_check_banner_set_report (self, report);

  parameters = latest_parameters (store, dossier_id);
  for (guint i = 0; parameters != NULL && i < parameters->len; i++)
    {
      GHashTable *row = g_ptr_array_index (parameters, i);
      const char *id = g_hash_table_lookup (row, "id");
      const char *name = g_hash_table_lookup (row, "name");
      DossierEditorField *field;
      const DossierCheckParameter *check;

      if (id == NULL || name == NULL)
        continue;
      field = dossier_editor_page_find_field (page, "parameter_value", g_ascii_strtoll (id, NULL, 10), "value");
      if (field == NULL)
        continue;

      check = dossier_check_report_lookup_parameter (report, name);
      /* A field that fails its own validation keeps that message. */
      if (dossier_editor_field_get_error (field) != NULL)
        continue;
      dossier_check_mark_widget (dossier_editor_field_get_widget (field), check);
      set_note (field, check);
    }
}

/* The whole check, a moment after the last change, so that the worst-case tier
 * that the quick check leaves out comes back once typing has stopped. */
static gboolean
refresh_full (gpointer user_data)
{
  DossierCheckBanner *self = user_data;
  DossierEditorPage *page = self->queued_page;

  self->full_source = 0;
  if (page != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (page), (gpointer *)&self->queued_page);
      self->queued_page = NULL;
      dossier_check_banner_refresh_page (self, page, TRUE);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
refresh_queued (gpointer user_data)
{
  DossierCheckBanner *self = user_data;

  self->queued_source = 0;
  if (self->queued_page != NULL)
    {
      dossier_check_banner_refresh_page (self, self->queued_page, FALSE);
      g_clear_handle_id (&self->full_source, g_source_remove);
      self->full_source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 600, refresh_full,
                                              g_object_ref (self), g_object_unref);
    }

  return G_SOURCE_REMOVE;
}

void
dossier_check_banner_queue_refresh (DossierCheckBanner *self,
                                    DossierEditorPage  *page)
{
  g_return_if_fail (DOSSIER_IS_CHECK_BANNER (self));
  g_return_if_fail (DOSSIER_IS_EDITOR_PAGE (page));

  if (self->queued_page != page)
    {
      if (self->queued_page != NULL)
        g_object_remove_weak_pointer (G_OBJECT (self->queued_page), (gpointer *)&self->queued_page);
      self->queued_page = page;
      g_object_add_weak_pointer (G_OBJECT (page), (gpointer *)&self->queued_page);
    }

  /* After the field's own commit has finished (it clears its error style). */
  if (self->queued_source == 0)
    self->queued_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_queued, g_object_ref (self), g_object_unref);
}

/* GObject ---------------------------------------------------------------------------- */

static void
dossier_check_banner_dispose (GObject *object)
{
  DossierCheckBanner *self = (DossierCheckBanner *)object;

  if (self->queued_page != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->queued_page), (gpointer *)&self->queued_page);
      self->queued_page = NULL;
    }
  g_clear_handle_id (&self->full_source, g_source_remove);
  g_clear_handle_id (&self->queued_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_CHECK_BANNER);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (dossier_check_banner_parent_class)->dispose (object);
}

static void
dossier_check_banner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierCheckBanner *self = DOSSIER_CHECK_BANNER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;

    case PROP_REVEALED:
      g_value_set_boolean (value, dossier_check_banner_get_revealed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_check_banner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierCheckBanner *self = DOSSIER_CHECK_BANNER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      dossier_check_banner_set_report (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_check_banner_class_init (DossierCheckBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dossier_check_banner_dispose;
  object_class->get_property = dossier_check_banner_get_property;
  object_class->set_property = dossier_check_banner_set_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, DOSSIER_TYPE_CHECK_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-check-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, box);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, title_label);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, problems_label);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, remedies_title_label);
  gtk_widget_class_bind_template_child (widget_class, DossierCheckBanner, remedies_label);
}

static void
dossier_check_banner_init (DossierCheckBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
