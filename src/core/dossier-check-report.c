/* dossier-check-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-check-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dossier-check-private.h"
#include "dossier-schema.h"

struct _DossierCheckReport
{
  GObject         parent_instance;

  gint64          dossier_id;
  char           *unit_no;
  char           *kind;
  char           *status;
  char           *reference_date;
  char           *model_code;
  gint64          envelope_id;
  int             envelope_version;
  char           *inputs_hash;
  char           *checked_at;
  gboolean        from_store;

  DossierVerdict  verdict;
  guint           n_errors;
  guint           n_warnings;

  GPtrArray      *parameters;  /* DossierCheckParameter */
  GHashTable     *by_name;     /* name → DossierCheckParameter */
  GPtrArray      *findings;    /* DossierCheckFinding */
};

G_DEFINE_FINAL_TYPE (DossierCheckReport, dossier_check_report, G_TYPE_OBJECT)

const char *
dossier_verdict_to_string (DossierVerdict verdict)
{
  switch (verdict)
    {
    case DOSSIER_VERDICT_PASS: return "pass";
    case DOSSIER_VERDICT_WARNING: return "warning";
    case DOSSIER_VERDICT_ERROR: return "error";
    default: g_return_val_if_reached ("error");
    }
}

const char *
dossier_verdict_get_label (DossierVerdict verdict)
{
  switch (verdict)
    {
    case DOSSIER_VERDICT_PASS: return _("Passes");
    case DOSSIER_VERDICT_WARNING: return _("Passes with warnings");
    case DOSSIER_VERDICT_ERROR: return _("Fails");
    default: g_return_val_if_reached (NULL);
    }
}

static const char *
step_to_string (DossierStepConformity step)
{
  switch (step)
    {
    case DOSSIER_STEP_ON_GRID: return "on-grid";
    case DOSSIER_STEP_OFF_GRID: return "off-grid";
    case DOSSIER_STEP_NOT_APPLICABLE:
    default: return "n/a";
    }
}

static DossierStepConformity
step_from_string (const char *text)
{
  if (g_strcmp0 (text, "on-grid") == 0)
    return DOSSIER_STEP_ON_GRID;
  if (g_strcmp0 (text, "off-grid") == 0)
    return DOSSIER_STEP_OFF_GRID;
  return DOSSIER_STEP_NOT_APPLICABLE;
}

static void
finding_free (DossierCheckFinding *f)
{
  g_free (f->rule_id);
  g_free (f->parameter);
  g_strfreev (f->related);
  g_free (f->value);
  g_free (f->unit);
  g_free (f->limits);
  g_free (f->margin);
  g_free (f->message);
  g_free (f->message_en);
  g_free (f->message_zh);
  g_free (f->source);
  g_free (f->reference);
  g_strfreev (f->remedies);
  g_clear_pointer (&f->args, g_hash_table_unref);
  g_free (f);
}

void
_dossier_check_parameter_free (DossierCheckParameter *p)
{
  g_free (p->name);
  g_free (p->label);
  g_free (p->label_en);
  g_free (p->label_zh);
  g_free (p->value);
  g_free (p->unit);
  g_free (p->converted);
  g_free (p->range_unit);
  g_free (p->limits);
  g_free (p->minimum);
  g_free (p->maximum);
  g_free (p->step);
  g_free (p->tolerance);
  g_strfreev (p->allowed);
  g_free (p->margin);
  g_clear_pointer (&p->findings, g_ptr_array_unref);
  g_free (p);
}

static void
dossier_check_report_finalize (GObject *object)
{
  DossierCheckReport *self = (DossierCheckReport *)object;

  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->parameters, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_free (self->unit_no);
  g_free (self->kind);
  g_free (self->status);
  g_free (self->reference_date);
  g_free (self->model_code);
  g_free (self->inputs_hash);
  g_free (self->checked_at);

  G_OBJECT_CLASS (dossier_check_report_parent_class)->finalize (object);
}

static void
dossier_check_report_class_init (DossierCheckReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dossier_check_report_finalize;
}

static void
dossier_check_report_init (DossierCheckReport *self)
{
  self->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)_dossier_check_parameter_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify)finding_free);
}

/* Building ------------------------------------------------------------------------ */

GHashTable *
_dossier_check_args_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

DossierCheckReport *
_dossier_check_report_new (gint64      dossier_id,
                           const char *unit_no,
                           const char *kind,
                           const char *status,
                           const char *reference_date,
                           const char *model_code)
{
  DossierCheckReport *self = g_object_new (DOSSIER_TYPE_CHECK_REPORT, NULL);

  self->dossier_id = dossier_id;
  self->unit_no = g_strdup (unit_no);
  self->kind = g_strdup (kind);
  self->status = g_strdup (status);
  self->reference_date = g_strdup (reference_date);
  self->model_code = g_strdup (model_code);
  return self;
}

void
_dossier_check_report_set_envelope (DossierCheckReport *self,
                                    gint64              envelope_id,
                                    int                 version)
{
  self->envelope_id = envelope_id;
  self->envelope_version = version;
}

void
_dossier_check_report_set_stored (DossierCheckReport *self,
                                  const char         *inputs_hash,
                                  const char         *checked_at,
                                  gboolean            from_store)
{
  g_free (self->inputs_hash);
  self->inputs_hash = g_strdup (inputs_hash);
  g_free (self->checked_at);
  self->checked_at = g_strdup (checked_at);
  self->from_store = from_store;
}

DossierCheckParameter *
_dossier_check_report_add_parameter (DossierCheckReport *self,
                                     const char         *name)
{
  DossierCheckParameter *p = g_hash_table_lookup (self->by_name, name);

  if (p != NULL)
    return p;

  p = g_new0 (DossierCheckParameter, 1);
  p->name = g_strdup (name);
  p->label_en = g_strdup ("");
  p->label_zh = g_strdup ("");
  p->min_inclusive = p->max_inclusive = TRUE;
  p->findings = g_ptr_array_new ();
  g_ptr_array_add (self->parameters, p);
  g_hash_table_insert (self->by_name, p->name, p);
  return p;
}

DossierCheckParameter *
_dossier_check_parameter_new_range (const DossierEnvelopeParameter *p)
{
  DossierCheckParameter *range = g_new0 (DossierCheckParameter, 1);

  range->name = g_strdup (p->name);
  range->registered = TRUE;
  range->label_en = g_strdup (p->label_en != NULL ? p->label_en : "");
  range->label_zh = g_strdup (p->label_zh != NULL ? p->label_zh : "");
  range->categorical = p->kind == DOSSIER_PARAMETER_CATEGORICAL;
  range->limits = dossier_envelope_parameter_describe (p);
  range->min_inclusive = range->max_inclusive = TRUE;

  if (range->categorical)
    {
      range->allowed = g_new0 (char *, p->categories->len + 1);
      for (guint i = 0; i < p->categories->len; i++)
        range->allowed[i] = g_strdup (g_ptr_array_index (p->categories, i));
      return range;
    }

  range->range_unit = g_strdup (p->unit);
  range->minimum = p->has_min ? dossier_decimal_to_string (&p->min_value) : NULL;
  range->maximum = p->has_max ? dossier_decimal_to_string (&p->max_value) : NULL;
  range->min_inclusive = p->min_inclusive;
  range->max_inclusive = p->max_inclusive;
  range->step = p->has_step ? dossier_decimal_to_string (&p->step_value) : NULL;
  range->tolerance = p->has_tolerance ? dossier_decimal_to_string (&p->tolerance_value) : NULL;
  return range;
}

void
_dossier_check_parameter_copy_range (DossierCheckParameter       *to,
                                     const DossierCheckParameter *range)
{
  to->registered = TRUE;
  g_free (to->label_en);
  g_free (to->label_zh);
  to->label_en = g_strdup (range->label_en);
  to->label_zh = g_strdup (range->label_zh);
  to->categorical = range->categorical;
  to->limits = g_strdup (range->limits);
  to->allowed = g_strdupv (range->allowed);
  to->range_unit = g_strdup (range->range_unit);
  to->minimum = g_strdup (range->minimum);
  to->maximum = g_strdup (range->maximum);
  to->min_inclusive = range->min_inclusive;
  to->max_inclusive = range->max_inclusive;
  to->step = g_strdup (range->step);
  to->tolerance = g_strdup (range->tolerance);
}

DossierCheckFinding *
_dossier_check_report_add_finding (DossierCheckReport *self,
                                   const char         *rule_id,
                                   const char         *parameter,
                                   GHashTable         *args)
{
  DossierCheckFinding *f = g_new0 (DossierCheckFinding, 1);

  f->rule_id = g_strdup (rule_id);
  f->parameter = g_strdup (parameter);
  f->args = args != NULL ? args : _dossier_check_args_new ();
  if (parameter != NULL && !g_hash_table_contains (f->args, "parameter"))
    g_hash_table_insert (f->args, g_strdup ("parameter"), g_strdup (parameter));
  g_ptr_array_add (self->findings, f);
  return f;
}

static const char *
label_in (const DossierCheckParameter *p,
          const char                  *language)
{
  const char *label = g_str_equal (language, "zh") ? p->label_zh : p->label_en;

  if (label == NULL || *label == '\0')
    label = p->label_en;
  return label != NULL && *label != '\0' ? label : p->name;
}

/* A label in language: the message catalogue has the current one only, so the other
 * language falls back on the English original. */
static const char *
translated (const char *msgid,
            const char *language)
{
  if (g_str_equal (language, dossier_rules_get_language ()))
    return g_dgettext (GETTEXT_PACKAGE, msgid);
  return msgid;
}

/* Placeholders whose text depends on the language: parameter names become labels,
 * column names of the order become field labels, filing statuses their labels. */
static GHashTable *
localized_args (DossierCheckReport  *self,
                DossierCheckFinding *f,
                const char          *language)
{
  GHashTable *args = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  const char *name;

  g_hash_table_iter_init (&iter, f->args);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (args, key, value);

  name = g_hash_table_lookup (f->args, "parameter");
  if (name != NULL)
    {
      DossierCheckParameter *p = g_hash_table_lookup (self->by_name, name);
      if (p != NULL)
        g_hash_table_insert (args, (gpointer)"parameter", (gpointer)label_in (p, language));
    }

  return args;
}

static char *
render_fields (const char *fields,
               const char *language)
{
  g_auto(GStrv) names = g_strsplit (fields, ",", -1);
  GString *s = g_string_new (NULL);
  const DossierTable *table = dossier_schema_lookup_table ("dossier");

  for (guint i = 0; names[i] != NULL; i++)
    {
      const DossierColumn *c = table != NULL ? dossier_schema_lookup_column (table, names[i]) : NULL;

      if (i > 0)
        g_string_append (s, g_str_equal (language, "zh") ? "、" : ", ");
      g_string_append (s, c != NULL ? translated (c->label, language) : names[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
render_status (const char *status,
               const char *language)
{
  const DossierTable *table = dossier_schema_lookup_table ("filing");
  const DossierColumn *c = table != NULL ? dossier_schema_lookup_column (table, "status") : NULL;

  for (const DossierChoice *choice = c != NULL ? c->choices : NULL; choice != NULL && choice->value != NULL; choice++)
    if (g_str_equal (choice->value, status))
      return g_strdup (translated (choice->label, language));
  return g_strdup (status);
}

static char *
render (DossierCheckReport  *self,
        DossierCheckFinding *f,
        const DossierRule   *rule,
        const char          *language)
{
  g_autoptr(GHashTable) args = localized_args (self, f, language);
  g_autofree char *fields = NULL;
  g_autofree char *status = NULL;
  const char *text;

  if ((text = g_hash_table_lookup (f->args, "fields")) != NULL)
    g_hash_table_insert (args, (gpointer)"fields", (fields = render_fields (text, language)));
  if ((text = g_hash_table_lookup (f->args, "status")) != NULL)
    g_hash_table_insert (args, (gpointer)"status", (status = render_status (text, language)));

  return dossier_rule_render (rule, language, args);
}

static gint
compare_severity (gconstpointer a,
                  gconstpointer b,
                  gpointer      data)
{
  const DossierCheckFinding *fa = *(const DossierCheckFinding * const *)a;
  const DossierCheckFinding *fb = *(const DossierCheckFinding * const *)b;

  return (int)fb->severity - (int)fa->severity;
}

static DossierVerdict
verdict_of (DossierSeverity severity)
{
  switch (severity)
    {
    case DOSSIER_SEVERITY_ERROR: return DOSSIER_VERDICT_ERROR;
    case DOSSIER_SEVERITY_WARNING: return DOSSIER_VERDICT_WARNING;
    case DOSSIER_SEVERITY_INFO:
    default: return DOSSIER_VERDICT_PASS;
    }
}

void
_dossier_check_report_finish (DossierCheckReport *self,
                              DossierRuleSet     *rules)
{
  const char *language = dossier_rules_get_language ();

  self->verdict = DOSSIER_VERDICT_PASS;
  self->n_errors = self->n_warnings = 0;

  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierCheckParameter *p = g_ptr_array_index (self->parameters, i);

      g_free (p->label);
      p->label = g_strdup (label_in (p, language));
      g_ptr_array_set_size (p->findings, 0);
      p->verdict = DOSSIER_VERDICT_PASS;
    }

  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);
      const DossierRule *rule = dossier_rule_set_lookup (rules, f->rule_id);
      DossierVerdict v;

      f->severity = rule->severity;
      g_free (f->source);
      f->source = g_strdup (rule->source);
      g_strfreev (f->remedies);
      f->remedies = g_strdupv (rule->remedies);
      g_free (f->message_en);
      g_free (f->message_zh);
      f->message_en = render (self, f, rule, "en");
      f->message_zh = render (self, f, rule, "zh");
      g_free (f->message);
      f->message = g_strdup (g_str_equal (language, "zh") ? f->message_zh : f->message_en);

      if (f->related == NULL)
        {
          const char *one[] = { f->parameter, NULL };
          f->related = g_strdupv (f->parameter != NULL ? (char **)one : (char **)(one + 1));
        }

      v = verdict_of (f->severity);
      self->verdict = MAX (self->verdict, v);
      if (f->severity == DOSSIER_SEVERITY_ERROR)
        self->n_errors++;
      else if (f->severity == DOSSIER_SEVERITY_WARNING)
        self->n_warnings++;
    }

  /* Errors first; within a severity, the order the check found them (stable sort). */
  g_ptr_array_sort_with_data (self->findings, compare_severity, NULL);

  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);

      for (guint r = 0; f->related[r] != NULL; r++)
        {
          DossierCheckParameter *p = g_hash_table_lookup (self->by_name, f->related[r]);

          if (p == NULL)
            continue;
          g_ptr_array_add (p->findings, f);
          p->verdict = MAX (p->verdict, verdict_of (f->severity));
        }
    }
}

/* Serialisation -------------------------------------------------------------------- */

static void
json_string (GString    *s,
             const char *text)
{
  if (text == NULL)
    {
      g_string_append (s, "null");
      return;
    }

  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"': g_string_append (s, "\\\""); break;
        case '\\': g_string_append (s, "\\\\"); break;
        case '\n': g_string_append (s, "\\n"); break;
        case '\r': g_string_append (s, "\\r"); break;
        case '\t': g_string_append (s, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_c (s, c);
        }
    }
  g_string_append_c (s, '"');
}

/* Absent members are left out: they read back as NULL. */
static void
json_member (GString    *s,
             const char *name,
             const char *text)
{
  if (text == NULL)
    return;
  g_string_append_c (s, '"');
  g_string_append (s, name);
  g_string_append (s, "\":");
  json_string (s, text);
  g_string_append_c (s, ',');
}

static void
json_flag (GString    *s,
           const char *name,
           gboolean    value)
{
  if (!value)
    return;
  g_string_append_c (s, '"');
  g_string_append (s, name);
  g_string_append (s, "\":true,");
}

static void
json_strv (GString            *s,
           const char         *name,
           const char * const *list)
{
  if (list == NULL)
    return;
  g_string_append_c (s, '"');
  g_string_append (s, name);
  g_string_append (s, "\":[");
  for (guint i = 0; list[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      json_string (s, list[i]);
    }
  g_string_append (s, "],");
}

static void
json_close (GString *s,
            char     bracket)
{
  if (s->len > 0 && s->str[s->len - 1] == ',')
    s->str[s->len - 1] = bracket;
  else
    g_string_append_c (s, bracket);
}

/* Hand-written, because a full check of every dossier writes a hundred thousand of
 * these; read back with json-glib. */
char *
_dossier_check_report_serialize (DossierCheckReport *self)
{
  GString *s = g_string_sized_new (1024);

  g_string_append (s, "{\"format\":1,");
  g_string_append_printf (s, "\"dossier_id\":%" G_GINT64_FORMAT ",", self->dossier_id);
  json_member (s, "unit_no", self->unit_no);
  json_member (s, "kind", self->kind);
  json_member (s, "status", self->status);
  json_member (s, "reference_date", self->reference_date);
  json_member (s, "model", self->model_code);
  g_string_append_printf (s, "\"envelope_id\":%" G_GINT64_FORMAT ",\"envelope_version\":%d,",
                          self->envelope_id, self->envelope_version);

  g_string_append (s, "\"parameters\":[");
  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierCheckParameter *p = g_ptr_array_index (self->parameters, i);

      g_string_append_c (s, '{');
      json_member (s, "name", p->name);
      json_flag (s, "registered", p->registered);
      json_flag (s, "categorical", p->categorical);
      json_member (s, "value", p->value);
      json_member (s, "unit", p->unit);
      json_member (s, "converted", p->converted);
      json_member (s, "margin", p->margin);
      if (p->step_conformity != DOSSIER_STEP_NOT_APPLICABLE)
        json_member (s, "step_conformity", step_to_string (p->step_conformity));
      json_close (s, '}');
      g_string_append_c (s, ',');
    }
  json_close (s, ']');
  g_string_append_c (s, ',');

  g_string_append (s, "\"findings\":[");
  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);
      GHashTableIter iter;
      gpointer key, value;

      g_string_append_c (s, '{');
      json_member (s, "rule", f->rule_id);
      json_member (s, "parameter", f->parameter);
      /* A finding about one parameter concerns that parameter alone. */
      if (f->parameter == NULL || f->related == NULL || f->related[0] == NULL || f->related[1] != NULL)
        json_strv (s, "related", (const char * const *)f->related);
      json_member (s, "value", f->value);
      json_member (s, "unit", f->unit);
      json_member (s, "limits", f->limits);
      json_member (s, "margin", f->margin);
      if (f->step != DOSSIER_STEP_NOT_APPLICABLE)
        json_member (s, "step", step_to_string (f->step));
      json_member (s, "reference", f->reference);
      g_string_append (s, "\"args\":{");
      g_hash_table_iter_init (&iter, f->args);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_string (s, key);
          g_string_append_c (s, ':');
          json_string (s, value);
          g_string_append_c (s, ',');
        }
      json_close (s, '}');
      json_close (s, '}');
      g_string_append_c (s, ',');
    }
  json_close (s, ']');
  g_string_append_c (s, '}');

  return g_string_free (s, FALSE);
}

static char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static gboolean
member_boolean (JsonObject *o,
                const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static char **
member_strv (JsonObject *o,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonArray *array;
  GPtrArray *list;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  list = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *text = json_array_get_string_element (array, i);
      if (text != NULL)
        g_ptr_array_add (list, g_strdup (text));
    }
  g_ptr_array_add (list, NULL);
  return (char **)g_ptr_array_free (list, FALSE);
}

DossierCheckReport *
_dossier_check_report_deserialize (const char       *json,
                                   DossierRuleSet   *rules,
                                   DossierEnvelope  *envelope,
                                   GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(DossierCheckReport) self = NULL;
  g_autofree char *unit_no = NULL, *kind = NULL, *status = NULL, *date = NULL, *model = NULL;
  JsonObject *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not an object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  unit_no = member_string (root, "unit_no");
  kind = member_string (root, "kind");
  status = member_string (root, "status");
  date = member_string (root, "reference_date");
  model = member_string (root, "model");
  self = _dossier_check_report_new (json_object_get_int_member_with_default (root, "dossier_id", 0),
                                    unit_no, kind, status, date, model);
  self->envelope_id = json_object_get_int_member_with_default (root, "envelope_id", 0);
  self->envelope_version = (int)json_object_get_int_member_with_default (root, "envelope_version", 0);

  array = json_object_get_array_member (root, "parameters");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *name = o != NULL ? member_string (o, "name") : NULL;
      DossierCheckParameter *p;

      if (name == NULL)
        continue;
      p = _dossier_check_report_add_parameter (self, name);
      p->registered = member_boolean (o, "registered");
      if (p->registered && envelope != NULL &&
          dossier_envelope_lookup_parameter (envelope, name) != NULL)
        {
          DossierCheckParameter *range = _dossier_check_parameter_new_range (dossier_envelope_lookup_parameter (envelope, name));

          _dossier_check_parameter_copy_range (p, range);
          _dossier_check_parameter_free (range);
        }
      p->categorical = p->categorical || member_boolean (o, "categorical");
      p->value = member_string (o, "value");
      p->unit = member_string (o, "unit");
      p->converted = member_string (o, "converted");
      p->margin = member_string (o, "margin");
      {
        g_autofree char *step = member_string (o, "step_conformity");
        p->step_conformity = step_from_string (step);
      }
    }

  array = json_object_get_array_member (root, "findings");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *rule = o != NULL ? member_string (o, "rule") : NULL;
      g_autofree char *parameter = NULL;
      GHashTable *args = _dossier_check_args_new ();
      JsonObject *a;
      DossierCheckFinding *f;

      if (rule == NULL)
        {
          g_hash_table_unref (args);
          continue;
        }
      parameter = member_string (o, "parameter");
      a = json_object_get_object_member (o, "args");
      if (a != NULL)
        {
          g_autoptr(GList) names = json_object_get_members (a);

          for (GList *l = names; l != NULL; l = l->next)
            {
              char *value = member_string (a, l->data);
              if (value != NULL)
                g_hash_table_insert (args, g_strdup (l->data), value);
            }
        }
      f = _dossier_check_report_add_finding (self, rule, parameter, args);
      f->related = member_strv (o, "related");
      f->value = member_string (o, "value");
      f->unit = member_string (o, "unit");
      f->limits = member_string (o, "limits");
      f->margin = member_string (o, "margin");
      f->reference = member_string (o, "reference");
      {
        g_autofree char *step = member_string (o, "step");
        f->step = step_from_string (step);
      }
    }

  _dossier_check_report_finish (self, rules);
  return g_steal_pointer (&self);
}

/* Accessors ----------------------------------------------------------------------- */

gint64
dossier_check_report_get_dossier_id (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->dossier_id;
}

const char *
dossier_check_report_get_unit_no (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->unit_no;
}

const char *
dossier_check_report_get_kind (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->kind;
}

const char *
dossier_check_report_get_status (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->status;
}

const char *
dossier_check_report_get_reference_date (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->reference_date;
}

const char *
dossier_check_report_get_model_code (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->model_code;
}

gint64
dossier_check_report_get_envelope_id (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->envelope_id;
}

int
dossier_check_report_get_envelope_version (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->envelope_version;
}

const char *
dossier_check_report_get_checked_at (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->checked_at;
}

const char *
dossier_check_report_get_inputs_hash (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  return self->inputs_hash;
}

gboolean
dossier_check_report_get_from_store (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), FALSE);
  return self->from_store;
}

DossierVerdict
dossier_check_report_get_verdict (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), DOSSIER_VERDICT_ERROR);
  return self->verdict;
}

guint
dossier_check_report_get_n_errors (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->n_errors;
}

guint
dossier_check_report_get_n_warnings (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->n_warnings;
}

guint
dossier_check_report_get_n_parameters (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->parameters->len;
}

const DossierCheckParameter *
dossier_check_report_get_parameter (DossierCheckReport *self,
                                    guint               index)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  g_return_val_if_fail (index < self->parameters->len, NULL);
  return g_ptr_array_index (self->parameters, index);
}

const DossierCheckParameter *
dossier_check_report_lookup_parameter (DossierCheckReport *self,
                                       const char         *name)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return g_hash_table_lookup (self->by_name, name);
}

guint
dossier_check_report_get_n_findings (DossierCheckReport *self)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), 0);
  return self->findings->len;
}

const DossierCheckFinding *
dossier_check_report_get_finding (DossierCheckReport *self,
                                  guint               index)
{
  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  g_return_val_if_fail (index < self->findings->len, NULL);
  return g_ptr_array_index (self->findings, index);
}

GPtrArray *
dossier_check_report_get_findings_for (DossierCheckReport *self,
                                       const char         *name)
{
  GPtrArray *list;

  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  list = g_ptr_array_new ();
  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);
      if (g_strv_contains ((const char * const *)f->related, name))
        g_ptr_array_add (list, f);
    }
  return list;
}

GStrv
dossier_check_report_get_remedies (DossierCheckReport *self)
{
  GStrvBuilder *builder;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GStrv result;

  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);

      if (f->severity == DOSSIER_SEVERITY_INFO)
        continue;
      for (guint r = 0; f->remedies != NULL && f->remedies[r] != NULL; r++)
        if (g_hash_table_add (seen, f->remedies[r]))
          g_strv_builder_add (builder, f->remedies[r]);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

char *
dossier_check_report_describe_errors (DossierCheckReport *self,
                                      guint               max_items)
{
  GString *s;
  guint shown = 0;

  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);

  s = g_string_new (NULL);
  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);

      if (f->severity != DOSSIER_SEVERITY_ERROR)
        continue;
      if (shown == max_items)
        {
          guint rest = self->n_errors - shown;

          g_string_append (s, "\n• ");
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "… and %u more error", "… and %u more errors", rest),
                                  rest);
          break;
        }
      g_string_append_printf (s, "%s• %s (%s)", shown > 0 ? "\n" : "", f->message, f->rule_id);
      shown++;
    }

  return g_string_free (s, FALSE);
}

static void
add_strv (JsonBuilder        *b,
          const char         *name,
          const char * const *list)
{
  json_builder_set_member_name (b, name);
  if (list == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; list[i] != NULL; i++)
    json_builder_add_string_value (b, list[i]);
  json_builder_end_array (b);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

JsonNode *
dossier_check_report_to_json (DossierCheckReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (DOSSIER_IS_CHECK_REPORT (self), NULL);

  json_builder_begin_object (b);
  add_string (b, "unit_no", self->unit_no);
  add_string (b, "kind", self->kind);
  add_string (b, "status", self->status);
  add_string (b, "verdict", dossier_verdict_to_string (self->verdict));
  json_builder_set_member_name (b, "errors");
  json_builder_add_int_value (b, self->n_errors);
  json_builder_set_member_name (b, "warnings");
  json_builder_add_int_value (b, self->n_warnings);
  add_string (b, "reference_date", self->reference_date);
  add_string (b, "model", self->model_code);
  json_builder_set_member_name (b, "envelope_id");
  if (self->envelope_id > 0)
    json_builder_add_int_value (b, self->envelope_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "envelope_version");
  if (self->envelope_id > 0)
    json_builder_add_int_value (b, self->envelope_version);
  else
    json_builder_add_null_value (b);
  add_string (b, "inputs_hash", self->inputs_hash);
  add_string (b, "checked_at", self->checked_at);
  json_builder_set_member_name (b, "from_store");
  json_builder_add_boolean_value (b, self->from_store);

  json_builder_set_member_name (b, "parameters");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierCheckParameter *p = g_ptr_array_index (self->parameters, i);

      json_builder_begin_object (b);
      add_string (b, "name", p->name);
      add_string (b, "label", p->label);
      json_builder_set_member_name (b, "registered");
      json_builder_add_boolean_value (b, p->registered);
      add_string (b, "value", p->value);
      add_string (b, "unit", p->unit);
      add_string (b, "converted", p->converted);
      add_string (b, "range_unit", p->range_unit);
      add_string (b, "limits", p->limits);
      add_string (b, "minimum", p->minimum);
      add_string (b, "maximum", p->maximum);
      json_builder_set_member_name (b, "min_inclusive");
      json_builder_add_boolean_value (b, p->min_inclusive);
      json_builder_set_member_name (b, "max_inclusive");
      json_builder_add_boolean_value (b, p->max_inclusive);
      add_string (b, "step", p->step);
      add_string (b, "tolerance", p->tolerance);
      add_strv (b, "allowed", (const char * const *)p->allowed);
      add_string (b, "margin", p->margin);
      add_string (b, "step_conformity", step_to_string (p->step_conformity));
      add_string (b, "verdict", dossier_verdict_to_string (p->verdict));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->findings->len; i++)
    {
      DossierCheckFinding *f = g_ptr_array_index (self->findings, i);

      json_builder_begin_object (b);
      add_string (b, "rule", f->rule_id);
      add_string (b, "severity", dossier_severity_to_string (f->severity));
      add_string (b, "parameter", f->parameter);
      add_strv (b, "related", (const char * const *)f->related);
      add_string (b, "value", f->value);
      add_string (b, "unit", f->unit);
      add_string (b, "limits", f->limits);
      add_string (b, "margin", f->margin);
      add_string (b, "step", step_to_string (f->step));
      add_string (b, "message", f->message);
      add_string (b, "message_en", f->message_en);
      add_string (b, "message_zh", f->message_zh);
      add_string (b, "source", f->source);
      add_string (b, "reference", f->reference);
      add_strv (b, "remedies", (const char * const *)f->remedies);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
