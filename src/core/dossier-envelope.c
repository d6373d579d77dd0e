/* dossier-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-envelope"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-envelope.h"
#include "dossier-expression.h"
#include "dossier-rules.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

#define XSD_PATH RESOURCE_BASE "/schemas/envelope-1.xsd"

G_DEFINE_QUARK (dossier-envelope-error-quark, dossier_envelope_error)

struct _DossierEnvelope
{
  GObject    parent_instance;

  gint64     id;
  gint64     model_id;
  int        version;
  char      *status;
  char      *effective_on;
  char      *valid_until;
  char      *certificate_no;
  char      *change_document;
  char      *notes;
  GPtrArray *parameters;  /* DossierEnvelopeParameter */
  GPtrArray *rules;       /* DossierEnvelopeRule */
};

G_DEFINE_FINAL_TYPE (DossierEnvelope, dossier_envelope, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_MODEL_ID,
  PROP_VERSION,
  PROP_STATUS,
  PROP_EFFECTIVE_ON,
  PROP_VALID_UNTIL,
  PROP_CERTIFICATE_NO,
  PROP_CHANGE_DOCUMENT,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
parameter_free (DossierEnvelopeParameter *p)
{
  if (p == NULL)
    return;
  g_free (p->name);
  g_free (p->label_en);
  g_free (p->label_zh);
  g_free (p->unit);
  g_free (p->minimum);
  g_free (p->maximum);
  g_free (p->step);
  g_free (p->tolerance);
  g_free (p->resolution);
  g_clear_pointer (&p->categories, g_ptr_array_unref);
  g_free (p);
}

static void
rule_free (DossierEnvelopeRule *r)
{
  if (r == NULL)
    return;
  g_free (r->expression);
  g_free (r->description_en);
  g_free (r->description_zh);
  g_free (r->source);
  g_free (r);
}

static void
dossier_envelope_finalize (GObject *object)
{
  DossierEnvelope *self = (DossierEnvelope *)object;

  g_clear_pointer (&self->parameters, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_free (self->status);
  g_free (self->effective_on);
  g_free (self->valid_until);
  g_free (self->certificate_no);
  g_free (self->change_document);
  g_free (self->notes);

  G_OBJECT_CLASS (dossier_envelope_parent_class)->finalize (object);
}

static void
dossier_envelope_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DossierEnvelope *self = DOSSIER_ENVELOPE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_MODEL_ID:
      g_value_set_int64 (value, self->model_id);
      break;
    case PROP_VERSION:
      g_value_set_int (value, self->version);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_EFFECTIVE_ON:
      g_value_set_string (value, self->effective_on);
      break;
    case PROP_VALID_UNTIL:
      g_value_set_string (value, self->valid_until);
      break;
    case PROP_CERTIFICATE_NO:
      g_value_set_string (value, self->certificate_no);
      break;
    case PROP_CHANGE_DOCUMENT:
      g_value_set_string (value, self->change_document);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_envelope_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DossierEnvelope *self = DOSSIER_ENVELOPE (object);

  switch (prop_id)
    {
    case PROP_MODEL_ID:
      dossier_envelope_set_model_id (self, g_value_get_int64 (value));
      break;
    case PROP_VERSION:
      dossier_envelope_set_version (self, g_value_get_int (value));
      break;
    case PROP_EFFECTIVE_ON:
      dossier_envelope_set_effective_on (self, g_value_get_string (value));
      break;
    case PROP_VALID_UNTIL:
      dossier_envelope_set_valid_until (self, g_value_get_string (value));
      break;
    case PROP_CERTIFICATE_NO:
      dossier_envelope_set_certificate_no (self, g_value_get_string (value));
      break;
    case PROP_CHANGE_DOCUMENT:
      dossier_envelope_set_change_document (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      dossier_envelope_set_notes (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_envelope_class_init (DossierEnvelopeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dossier_envelope_finalize;
  object_class->get_property = dossier_envelope_get_property;
  object_class->set_property = dossier_envelope_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] = g_param_spec_int64 ("model-id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_VERSION] = g_param_spec_int ("version", NULL, NULL, 0, 9999, 0, rw);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "draft",
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EFFECTIVE_ON] = g_param_spec_string ("effective-on", NULL, NULL, NULL, rw);
  properties[PROP_VALID_UNTIL] = g_param_spec_string ("valid-until", NULL, NULL, NULL, rw);
  properties[PROP_CERTIFICATE_NO] = g_param_spec_string ("certificate-no", NULL, NULL, NULL, rw);
  properties[PROP_CHANGE_DOCUMENT] = g_param_spec_string ("change-document", NULL, NULL, NULL, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_envelope_init (DossierEnvelope *self)
{
  self->status = g_strdup ("draft");
  self->change_document = g_strdup ("");
  self->notes = g_strdup ("");
  self->parameters = g_ptr_array_new_with_free_func ((GDestroyNotify)parameter_free);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify)rule_free);
}

DossierEnvelope *
dossier_envelope_new (void)
{
  return g_object_new (DOSSIER_TYPE_ENVELOPE, NULL);
}

/* Accessors ----------------------------------------------------------------------- */

static void
set_string (DossierEnvelope  *self,
            char            **field,
            const char       *value,
            guint             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

gint64
dossier_envelope_get_id (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  return self->id;
}

gint64
dossier_envelope_get_model_id (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  return self->model_id;
}

void
dossier_envelope_set_model_id (DossierEnvelope *self,
                               gint64           model_id)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));

  if (self->model_id == model_id)
    return;
  self->model_id = model_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
}

int
dossier_envelope_get_version (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  return self->version;
}

void
dossier_envelope_set_version (DossierEnvelope *self,
                              int              version)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));

  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

const char *
dossier_envelope_get_status (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->status;
}

const char *
dossier_envelope_get_effective_on (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->effective_on;
}

void
dossier_envelope_set_effective_on (DossierEnvelope *self,
                                   const char      *date)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  set_string (self, &self->effective_on, date, PROP_EFFECTIVE_ON);
}

const char *
dossier_envelope_get_valid_until (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->valid_until;
}

void
dossier_envelope_set_valid_until (DossierEnvelope *self,
                                  const char      *date)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  set_string (self, &self->valid_until, date != NULL && *date != '\0' ? date : NULL, PROP_VALID_UNTIL);
}

const char *
dossier_envelope_get_certificate_no (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->certificate_no;
}

void
dossier_envelope_set_certificate_no (DossierEnvelope *self,
                                     const char      *certificate_no)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  set_string (self, &self->certificate_no, certificate_no, PROP_CERTIFICATE_NO);
}

const char *
dossier_envelope_get_change_document (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->change_document;
}

void
dossier_envelope_set_change_document (DossierEnvelope *self,
                                      const char      *document)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  set_string (self, &self->change_document, document != NULL ? document : "", PROP_CHANGE_DOCUMENT);
}

const char *
dossier_envelope_get_notes (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  return self->notes;
}

void
dossier_envelope_set_notes (DossierEnvelope *self,
                            const char      *notes)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  set_string (self, &self->notes, notes != NULL ? notes : "", PROP_NOTES);
}

guint
dossier_envelope_get_n_parameters (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  return self->parameters->len;
}

const DossierEnvelopeParameter *
dossier_envelope_get_parameter (DossierEnvelope *self,
                                guint            index)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  g_return_val_if_fail (index < self->parameters->len, NULL);
  return g_ptr_array_index (self->parameters, index);
}

static int
find_parameter (DossierEnvelope *self,
                const char      *name)
{
  for (guint i = 0; i < self->parameters->len; i++)
    if (g_str_equal (((DossierEnvelopeParameter *)g_ptr_array_index (self->parameters, i))->name, name))
      return (int)i;
  return -1;
}

const DossierEnvelopeParameter *
dossier_envelope_lookup_parameter (DossierEnvelope *self,
                                   const char      *name)
{
  int i;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  i = find_parameter (self, name);
  return i >= 0 ? g_ptr_array_index (self->parameters, i) : NULL;
}

guint
dossier_envelope_get_n_rules (DossierEnvelope *self)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  return self->rules->len;
}

const DossierEnvelopeRule *
dossier_envelope_get_rule (DossierEnvelope *self,
                           guint            index)
{
  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  g_return_val_if_fail (index < self->rules->len, NULL);
  return g_ptr_array_index (self->rules, index);
}

/* Parameters ---------------------------------------------------------------------- */

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0')
    return invalid (error, _("A parameter needs a name"));
  if (!dossier_expression_is_valid_name (name))
    {
      g_autofree char *valid = g_utf8_make_valid (name, MIN (strlen (name), 64));
      return invalid (error, _("“%s” cannot be a parameter name: use letters, digits and _ (not first a digit), at most 63 characters, and not AND, OR, NOT, abs, min or max"),
                      valid);
    }
  return TRUE;
}

/* Parses one optional decimal of a parameter; *has says whether it was given. */
static gboolean
parse_option (const char      *name,
              const char      *what,
              const char      *text,
              DossierDecimal  *out,
              gboolean        *has,
              GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  *has = FALSE;
  if (text == NULL)
    return TRUE;
  if (!dossier_decimal_parse (text, out, &local_error))
    /* Translators: "outer_diameter, minimum: “4x” is not a number" */
    return invalid (error, _("%s, %s: %s"), name, what, local_error->message);
  *has = TRUE;
  return TRUE;
}

static gboolean
validate_numeric (DossierEnvelopeParameter  *p,
                  GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  const DossierUnit *unit;

  if (!check_name (p->name, error))
    return FALSE;

  unit = dossier_unit_parse (p->unit, &local_error);
  if (unit == NULL)
    return invalid (error, _("%s, unit: %s"), p->name, local_error->message);
  p->unit_info = unit;
  /* Keep the canonical spelling, so that "um" and "µm" are the same range. */
  if (!g_str_equal (p->unit, dossier_unit_get_symbol (unit)))
    {
      g_free (p->unit);
      p->unit = g_strdup (dossier_unit_get_symbol (unit));
    }

  if (!parse_option (p->name, _("minimum"), p->minimum, &p->min_value, &p->has_min, error) ||
      !parse_option (p->name, _("maximum"), p->maximum, &p->max_value, &p->has_max, error) ||
      !parse_option (p->name, _("step"), p->step, &p->step_value, &p->has_step, error) ||
      !parse_option (p->name, _("tolerance"), p->tolerance, &p->tolerance_value, &p->has_tolerance, error) ||
      !parse_option (p->name, _("resolution"), p->resolution, &p->resolution_value, &p->has_resolution, error))
    return FALSE;

  if (!p->has_min && !p->has_max)
    return invalid (error, _("%s: a numeric parameter needs a minimum, a maximum or both"), p->name);

  if (p->has_min && p->has_max)
    {
      int cmp = dossier_decimal_compare (&p->min_value, &p->max_value);

      if (cmp > 0)
        return invalid (error, _("%s: the minimum %s is above the maximum %s"), p->name, p->minimum, p->maximum);
      if (cmp == 0 && !(p->min_inclusive && p->max_inclusive))
        return invalid (error, _("%s: with a minimum equal to the maximum, both must be included"), p->name);
    }

  if (p->has_step)
    {
      if (dossier_decimal_sign (&p->step_value) <= 0)
        return invalid (error, _("%s: the step must be greater than zero"), p->name);
      if (!p->has_min)
        return invalid (error, _("%s: a step counts from the minimum, so the parameter needs a minimum"), p->name);
    }
  if (p->has_tolerance && dossier_decimal_sign (&p->tolerance_value) < 0)
    return invalid (error, _("%s: the tolerance cannot be negative"), p->name);
  if (p->has_resolution && dossier_decimal_sign (&p->resolution_value) <= 0)
    return invalid (error, _("%s: the resolution must be greater than zero"), p->name);

  return TRUE;
}

static gboolean
validate_categorical (DossierEnvelopeParameter  *p,
                      GError                   **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!check_name (p->name, error))
    return FALSE;

  if (p->categories == NULL || p->categories->len == 0)
    return invalid (error, _("%s: a categorical parameter needs at least one allowed value"), p->name);

  for (guint i = 0; i < p->categories->len; i++)
    {
      const char *value = g_ptr_array_index (p->categories, i);
      g_autoptr(GError) local_error = NULL;

      if (!dossier_validate_text (value, 100, TRUE, &local_error))
        return invalid (error, _("%s, allowed value: %s"), p->name, local_error->message);
      if (!g_hash_table_add (seen, (gpointer)value))
        return invalid (error, _("%s: the allowed value “%s” is listed twice"), p->name, value);
    }

  return TRUE;
}

static gboolean
validate_parameter (DossierEnvelopeParameter  *p,
                    GError                   **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((p->label_en != NULL && !dossier_validate_text (p->label_en, 200, FALSE, &local_error)) ||
      (p->label_zh != NULL && !dossier_validate_text (p->label_zh, 200, FALSE, &local_error)))
    return invalid (error, _("%s, label: %s"), p->name, local_error->message);

  return p->kind == DOSSIER_PARAMETER_NUMERIC ? validate_numeric (p, error) : validate_categorical (p, error);
}

static void
replace_parameter (DossierEnvelope          *self,
                   DossierEnvelopeParameter *p)
{
  int i = find_parameter (self, p->name);

  if (i >= 0)
    {
      DossierEnvelopeParameter *old = g_ptr_array_index (self->parameters, i);

      /* Labels belong to the name, not to the range. */
      if (*p->label_en == '\0')
        {
          g_free (p->label_en);
          p->label_en = g_strdup (old->label_en);
        }
      if (*p->label_zh == '\0')
        {
          g_free (p->label_zh);
          p->label_zh = g_strdup (old->label_zh);
        }
      parameter_free (old);
      self->parameters->pdata[i] = p;
    }
  else
    g_ptr_array_add (self->parameters, p);
}

gboolean
dossier_envelope_set_numeric (DossierEnvelope  *self,
                              const char       *name,
                              const char       *unit,
                              const char       *minimum,
                              const char       *maximum,
                              gboolean          min_inclusive,
                              gboolean          max_inclusive,
                              const char       *step,
                              const char       *tolerance,
                              const char       *resolution,
                              GError          **error)
{
  DossierEnvelopeParameter *p;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  p = g_new0 (DossierEnvelopeParameter, 1);
  p->name = g_strdup (name);
  p->label_en = g_strdup ("");
  p->label_zh = g_strdup ("");
  p->kind = DOSSIER_PARAMETER_NUMERIC;
  p->unit = g_strdup (unit != NULL ? unit : "");
  p->minimum = g_strdup (minimum);
  p->maximum = g_strdup (maximum);
  p->min_inclusive = min_inclusive;
  p->max_inclusive = max_inclusive;
  p->step = g_strdup (step);
  p->tolerance = g_strdup (tolerance);
  p->resolution = g_strdup (resolution);

  if (!validate_numeric (p, error))
    {
      parameter_free (p);
      return FALSE;
    }

  replace_parameter (self, p);
  return TRUE;
}

gboolean
dossier_envelope_set_categorical (DossierEnvelope     *self,
                                  const char          *name,
                                  const char * const  *values,
                                  GError             **error)
{
  DossierEnvelopeParameter *p;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  p = g_new0 (DossierEnvelopeParameter, 1);
  p->name = g_strdup (name);
  p->label_en = g_strdup ("");
  p->label_zh = g_strdup ("");
  p->kind = DOSSIER_PARAMETER_CATEGORICAL;
  p->unit = g_strdup ("");
  p->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    g_ptr_array_add (p->categories, g_strdup (values[i]));

  if (!validate_categorical (p, error))
    {
      parameter_free (p);
      return FALSE;
    }

  replace_parameter (self, p);
  return TRUE;
}

gboolean
dossier_envelope_set_labels (DossierEnvelope *self,
                             const char      *name,
                             const char      *label_en,
                             const char      *label_zh)
{
  DossierEnvelopeParameter *p;
  int i;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  i = find_parameter (self, name);
  if (i < 0)
    return FALSE;
  p = g_ptr_array_index (self->parameters, i);
  g_free (p->label_en);
  g_free (p->label_zh);
  p->label_en = g_strdup (label_en != NULL ? label_en : "");
  p->label_zh = g_strdup (label_zh != NULL ? label_zh : "");
  return TRUE;
}

gboolean
dossier_envelope_remove_parameter (DossierEnvelope *self,
                                   const char      *name)
{
  int i;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  i = find_parameter (self, name);
  if (i < 0)
    return FALSE;
  g_ptr_array_remove_index (self->parameters, i);
  return TRUE;
}

/* The names a rule may use: the numeric parameters. */
static GStrv
numeric_names (DossierEnvelope *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv names;

  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierEnvelopeParameter *p = g_ptr_array_index (self->parameters, i);
      if (p->kind == DOSSIER_PARAMETER_NUMERIC)
        g_strv_builder_add (builder, p->name);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

static gboolean
check_rule (DossierEnvelope  *self,
            const char       *expression,
            GError          **error)
{
  g_auto(GStrv) names = numeric_names (self);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DossierExpression) parsed = dossier_expression_parse (expression, (const char * const *)names, &local_error);

  if (parsed == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (expression != NULL ? expression : "", MIN (strlen (expression != NULL ? expression : ""), 80));
      /* Translators: "Rule “a >= b”: “b” at position 6 is not a numeric parameter" */
      return invalid (error, _("Rule “%s”: %s"), shown, local_error->message);
    }
  return TRUE;
}

gboolean
dossier_envelope_add_rule (DossierEnvelope  *self,
                           const char       *expression,
                           const char       *description_en,
                           const char       *description_zh,
                           const char       *source,
                           GError          **error)
{
  DossierEnvelopeRule *rule;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  if (!check_rule (self, expression, error))
    return FALSE;

  rule = g_new0 (DossierEnvelopeRule, 1);
  rule->expression = g_strdup (expression);
  rule->description_en = g_strdup (description_en != NULL ? description_en : "");
  rule->description_zh = g_strdup (description_zh != NULL ? description_zh : "");
  rule->source = g_strdup (source != NULL ? source : "");
  g_ptr_array_add (self->rules, rule);
  return TRUE;
}

void
dossier_envelope_remove_rule (DossierEnvelope *self,
                              guint            index)
{
  g_return_if_fail (DOSSIER_IS_ENVELOPE (self));
  g_return_if_fail (index < self->rules->len);

  g_ptr_array_remove_index (self->rules, index);
}

gboolean
dossier_envelope_validate (DossierEnvelope  *self,
                           GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), FALSE);

  if (self->effective_on == NULL || !dossier_validate_date (self->effective_on, &local_error))
    return invalid (error, _("Effective from: %s"), local_error != NULL ? local_error->message : _("is required"));
  if (self->valid_until != NULL)
    {
      if (!dossier_validate_date (self->valid_until, &local_error))
        return invalid (error, _("Valid until: %s"), local_error->message);
      if (strcmp (self->valid_until, self->effective_on) < 0)
        return invalid (error, _("Valid until: %s is before the effective date %s"), self->valid_until, self->effective_on);
    }
  if (self->certificate_no == NULL || !dossier_validate_registration_number (self->certificate_no, 0, &local_error))
    return invalid (error, _("Registration certificate number: %s"),
                    local_error != NULL ? local_error->message : _("is required"));
  if (!dossier_validate_text (self->change_document, 200, FALSE, &local_error))
    return invalid (error, _("Change document: %s"), local_error->message);
  if (self->version < 0 || self->version > 9999)
    return invalid (error, _("Version: must be between 1 and 9999"));
  if (self->parameters->len == 0)
    return invalid (error, _("The size range has no parameters"));
  if (self->parameters->len > 200)
    return invalid (error, _("The size range has more than 200 parameters"));

  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierEnvelopeParameter *p = g_ptr_array_index (self->parameters, i);

      if (!validate_parameter (p, error))
        return FALSE;
      if (!g_hash_table_add (names, p->name))
        return invalid (error, _("%s: the parameter is listed twice"), p->name);
    }

  for (guint i = 0; i < self->rules->len; i++)
    if (!check_rule (self, ((DossierEnvelopeRule *)g_ptr_array_index (self->rules, i))->expression, error))
      return FALSE;

  return TRUE;
}

char *
dossier_envelope_get_digest (DossierEnvelope *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) s = g_string_new ("dossier-envelope-v1\n");

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);

  /* Fields are length-prefixed so that no two contents serialise alike. */
#define FIELD(v) g_string_append_printf (s, "%zu:%s;", strlen ((v) != NULL ? (v) : ""), (v) != NULL ? (v) : "")
  g_string_append_printf (s, "%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";%d;", self->id, self->model_id, self->version);
  FIELD (self->status);
  FIELD (self->effective_on);
  FIELD (self->valid_until);
  FIELD (self->certificate_no);
  FIELD (self->change_document);
  g_string_append_c (s, '\n');
  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierEnvelopeParameter *p = g_ptr_array_index (self->parameters, i);

      FIELD (p->name);
      g_string_append_printf (s, "%d;", p->kind);
      FIELD (p->unit);
      FIELD (p->minimum);
      FIELD (p->maximum);
      g_string_append_printf (s, "%d;%d;", p->min_inclusive, p->max_inclusive);
      FIELD (p->step);
      FIELD (p->tolerance);
      FIELD (p->resolution);
      for (guint c = 0; p->categories != NULL && c < p->categories->len; c++)
        FIELD ((const char *)g_ptr_array_index (p->categories, c));
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < self->rules->len; i++)
    {
      FIELD (((DossierEnvelopeRule *)g_ptr_array_index (self->rules, i))->expression);
      g_string_append_c (s, '\n');
    }
#undef FIELD

  g_checksum_update (checksum, (const guchar *)s->str, s->len);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Descriptions ------------------------------------------------------------------- */

const char *
dossier_envelope_parameter_get_label (const DossierEnvelopeParameter *parameter,
                                      const char                     *language)
{
  g_return_val_if_fail (parameter != NULL, NULL);

  if (language == NULL)
    language = dossier_rules_get_language ();
  if (g_str_equal (language, "zh") && parameter->label_zh != NULL && *parameter->label_zh != '\0')
    return parameter->label_zh;
  if (parameter->label_en != NULL && *parameter->label_en != '\0')
    return parameter->label_en;
  return parameter->name;
}

static void
append_unit (GString    *s,
             const char *unit)
{
  if (unit == NULL || *unit == '\0')
    return;
  /* Degrees and percent sit on the number; other units after a space. */
  if (!g_str_equal (unit, "°") && !g_str_equal (unit, "′") && !g_str_equal (unit, "″") && !g_str_equal (unit, "%"))
    g_string_append_c (s, ' ');
  g_string_append (s, unit);
}

/* Limits are shown as registered: 2.0 stays 2.0. */
static char *
display (const DossierDecimal *d)
{
  return dossier_decimal_to_string (d);
}

char *
dossier_envelope_parameter_describe (const DossierEnvelopeParameter *p)
{
  GString *s;

  g_return_val_if_fail (p != NULL, NULL);

  s = g_string_new (NULL);
  if (p->kind == DOSSIER_PARAMETER_CATEGORICAL)
    {
      g_string_append_c (s, '{');
      for (guint i = 0; p->categories != NULL && i < p->categories->len; i++)
        {
          if (i > 0)
            g_string_append (s, " | ");
          g_string_append (s, g_ptr_array_index (p->categories, i));
        }
      g_string_append_c (s, '}');
      return g_string_free (s, FALSE);
    }

  if (p->has_min && p->has_max)
    {
      g_autofree char *lo = display (&p->min_value);
      g_autofree char *hi = display (&p->max_value);

      g_string_append_printf (s, "%s %s x %s %s", lo, p->min_inclusive ? "≤" : "<",
                              p->max_inclusive ? "≤" : "<", hi);
    }
  else if (p->has_min)
    {
      g_autofree char *lo = display (&p->min_value);
      g_string_append_printf (s, "x %s %s", p->min_inclusive ? "≥" : ">", lo);
    }
  else if (p->has_max)
    {
      g_autofree char *hi = display (&p->max_value);
      g_string_append_printf (s, "x %s %s", p->max_inclusive ? "≤" : "<", hi);
    }
  append_unit (s, p->unit);

  if (p->has_step)
    {
      g_autofree char *grid = dossier_envelope_parameter_describe_grid (p);
      g_string_append_printf (s, " (%s)", grid);
    }
  if (p->has_tolerance && dossier_decimal_sign (&p->tolerance_value) > 0)
    {
      g_autofree char *tol = display (&p->tolerance_value);
      g_string_append_printf (s, ", ±%s", tol);
      append_unit (s, p->unit);
    }

  return g_string_free (s, FALSE);
}

char *
dossier_envelope_parameter_describe_grid (const DossierEnvelopeParameter *p)
{
  DossierDecimal second, last;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *z = NULL;
  GString *s;

  g_return_val_if_fail (p != NULL, NULL);

  if (!p->has_step)
    return g_strdup ("");

  /* "44, 44.5, …, 58 mm": the first two sizes and the last that fits. */
  s = g_string_new (NULL);
  dossier_decimal_add (&p->min_value, &p->step_value, &second);
  a = display (&p->min_value);
  b = display (&second);
  g_string_append_printf (s, "%s, %s, …", a, b);
  if (p->has_max)
    {
      DossierDecimal span, n, top;

      dossier_decimal_subtract (&p->max_value, &p->min_value, &span);
      dossier_decimal_quantize (&span, &p->step_value, DOSSIER_ROUND_FLOOR, &n);
      dossier_decimal_add (&p->min_value, &n, &top);
      last = top;
      z = display (&last);
      g_string_append_printf (s, ", %s", z);
    }
  append_unit (s, p->unit);
  return g_string_free (s, FALSE);
}

/* Store ------------------------------------------------------------------------ */

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static DossierEnvelope *
envelope_from_row (sqlite3_stmt *stmt)
{
  DossierEnvelope *self = dossier_envelope_new ();

  self->id = sqlite3_column_int64 (stmt, 0);
  self->model_id = sqlite3_column_int64 (stmt, 1);
  self->version = sqlite3_column_int (stmt, 2);
  g_free (self->status);
  self->status = column_text (stmt, 3);
  self->effective_on = column_text (stmt, 4);
  self->valid_until = column_text (stmt, 5);
  self->certificate_no = column_text (stmt, 6);
  g_free (self->change_document);
  self->change_document = column_text (stmt, 7);
  g_free (self->notes);
  self->notes = column_text (stmt, 8);
  return self;
}

#define ENVELOPE_COLUMNS "id, model_id, version, status, effective_on, valid_until, certificate_no, change_document, notes"

/* Parameters, allowed values and rules of one envelope, as stored.  Values that no
 * longer validate are kept as they are; the check reports them. */
static gboolean
load_content (DossierEnvelope  *self,
              DossierStore     *store,
              GError          **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dossier_store_prepare (store,
                                 "SELECT id, name, label_en, label_zh, kind, unit, minimum, maximum, "
                                 "min_inclusive, max_inclusive, step, tolerance, resolution "
                                 "FROM envelope_parameter WHERE envelope_id = ?1 ORDER BY position, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierEnvelopeParameter *p = g_new0 (DossierEnvelopeParameter, 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      p->name = column_text (stmt, 1);
      p->label_en = column_text (stmt, 2);
      p->label_zh = column_text (stmt, 3);
      p->kind = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 4), "categorical") == 0
        ? DOSSIER_PARAMETER_CATEGORICAL : DOSSIER_PARAMETER_NUMERIC;
      p->unit = column_text (stmt, 5);
      p->minimum = column_text (stmt, 6);
      p->maximum = column_text (stmt, 7);
      p->min_inclusive = sqlite3_column_int (stmt, 8) != 0;
      p->max_inclusive = sqlite3_column_int (stmt, 9) != 0;
      p->step = column_text (stmt, 10);
      p->tolerance = column_text (stmt, 11);
      p->resolution = column_text (stmt, 12);
      if (p->kind == DOSSIER_PARAMETER_CATEGORICAL)
        p->categories = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->parameters, p);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading a registered size range"));

  for (guint i = 0; i < ids->len; i++)
    g_hash_table_insert (by_id, &g_array_index (ids, gint64, i), g_ptr_array_index (self->parameters, i));

  stmt = _dossier_store_prepare (store,
                                 "SELECT c.parameter_id, c.value FROM envelope_category c "
                                 "JOIN envelope_parameter p ON p.id = c.parameter_id "
                                 "WHERE p.envelope_id = ?1 ORDER BY c.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pid = sqlite3_column_int64 (stmt, 0);
      DossierEnvelopeParameter *p = g_hash_table_lookup (by_id, &pid);

      if (p != NULL && p->categories != NULL)
        g_ptr_array_add (p->categories, column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading a registered size range"));

  stmt = _dossier_store_prepare (store,
                                 "SELECT expression, description_en, description_zh, source FROM envelope_rule "
                                 "WHERE envelope_id = ?1 ORDER BY position, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierEnvelopeRule *r = g_new0 (DossierEnvelopeRule, 1);

      r->expression = column_text (stmt, 0);
      r->description_en = column_text (stmt, 1);
      r->description_zh = column_text (stmt, 2);
      r->source = column_text (stmt, 3);
      g_ptr_array_add (self->rules, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading a registered size range"));

  /* Fill in the parsed values; a broken stored parameter stays unparsed. */
  for (guint i = 0; i < self->parameters->len; i++)
    validate_parameter (g_ptr_array_index (self->parameters, i), NULL);

  return TRUE;
}

static GPtrArray *
load_list (DossierStore  *store,
           const char    *sql,
           gint64         arg,
           GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return NULL;
  if (arg != 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, envelope_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading registered size ranges"));
      return NULL;
    }

  for (guint i = 0; i < list->len; i++)
    if (!load_content (g_ptr_array_index (list, i), store, error))
      return NULL;

  return g_steal_pointer (&list);
}

DossierEnvelope *
dossier_envelope_load (DossierStore  *store,
                       gint64         id,
                       GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  list = load_list (store, "SELECT " ENVELOPE_COLUMNS " FROM envelope WHERE id = ?1", id, error);
  if (list == NULL)
    return NULL;
  if (list->len == 0)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("There is no registered size range with id %" PRId64 "."), id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (list, 0));
}

GPtrArray *
dossier_envelope_list_for_model (DossierStore  *store,
                                 gint64         model_id,
                                 GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return load_list (store, "SELECT " ENVELOPE_COLUMNS " FROM envelope WHERE model_id = ?1 ORDER BY version",
                    model_id, error);
}

GPtrArray *
dossier_envelope_list_effective (DossierStore  *store,
                                 GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return load_list (store, "SELECT " ENVELOPE_COLUMNS " FROM envelope WHERE status = 'effective' "
                    "ORDER BY model_id, version", 0, error);
}

DossierEnvelope *
dossier_envelope_pick_in_force (GPtrArray  *envelopes,
                                gint64      model_id,
                                const char *date)
{
  DossierEnvelope *best = NULL;

  g_return_val_if_fail (envelopes != NULL, NULL);
  g_return_val_if_fail (date != NULL, NULL);

  for (guint i = 0; i < envelopes->len; i++)
    {
      DossierEnvelope *e = g_ptr_array_index (envelopes, i);

      if (e->model_id != model_id || g_strcmp0 (e->status, "effective") != 0)
        continue;
      /* ISO dates compare as text. */
      if (strcmp (e->effective_on, date) > 0)
        continue;
      if (best == NULL || strcmp (e->effective_on, best->effective_on) > 0 ||
          (strcmp (e->effective_on, best->effective_on) == 0 && e->version > best->version))
        best = e;
    }

  /* A newer version supersedes the older ones for good: when it has run out, the
   * model has no size range in force, rather than the old one again. */
  if (best != NULL && best->valid_until != NULL && strcmp (best->valid_until, date) < 0)
    return NULL;

  return best;
}

DossierEnvelope *
dossier_envelope_find_in_force (DossierStore  *store,
                                gint64         model_id,
                                const char    *date,
                                GError       **error)
{
  g_autoptr(GPtrArray) list = NULL;
  DossierEnvelope *best;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  list = load_list (store, "SELECT " ENVELOPE_COLUMNS " FROM envelope WHERE model_id = ?1 "
                    "AND status = 'effective' ORDER BY version", model_id, error);
  if (list == NULL)
    return NULL;

  best = dossier_envelope_pick_in_force (list, model_id, date);
  if (best == NULL)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("No registered size range of this model is in force on %s."), date);
      return NULL;
    }
  return g_object_ref (best);
}

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static gboolean
query_status (DossierStore  *store,
              gint64         id,
              char         **status,
              gint64        *model_id,
              GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, "SELECT status, model_id FROM envelope WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *status = column_text (stmt, 0);
      if (model_id != NULL)
        *model_id = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("There is no registered size range with id %" PRId64 "."), id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (store, error, rc, _("Reading registered size ranges"));
  return TRUE;
}

static gint64
next_version (DossierStore  *store,
              gint64         model_id,
              GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, "SELECT coalesce (max (version), 0) + 1 FROM envelope WHERE model_id = ?1", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, model_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _dossier_store_set_error (store, error, rc, _("Reading registered size ranges"));
      return 0;
    }
  return version;
}

static gboolean
version_taken (DossierStore  *store,
               gint64         model_id,
               int            version,
               gint64         except_id,
               gboolean      *taken,
               GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store, "SELECT 1 FROM envelope WHERE model_id = ?1 AND version = ?2 AND id IS NOT ?3", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, model_id);
  sqlite3_bind_int (stmt, 2, version);
  if (except_id > 0)
    sqlite3_bind_int64 (stmt, 3, except_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading registered size ranges"));
  *taken = rc == SQLITE_ROW;
  return TRUE;
}

static gint64
insert_parameter (DossierStore                    *store,
                  gint64                           envelope_id,
                  guint                            position,
                  const DossierEnvelopeParameter  *p,
                  GError                         **error)
{
  g_autofree char *eid = int_text (envelope_id);
  g_autofree char *pos = int_text (position);
  gboolean numeric = p->kind == DOSSIER_PARAMETER_NUMERIC;
  gint64 id;

  id = dossier_store_insert (store, "envelope_parameter", (DossierField[]) {
    { "envelope_id", eid }, { "position", pos }, { "name", p->name },
    { "label_en", p->label_en }, { "label_zh", p->label_zh },
    { "kind", numeric ? "numeric" : "categorical" }, { "unit", p->unit },
    { "minimum", p->minimum }, { "maximum", p->maximum },
    { "min_inclusive", p->min_inclusive ? "1" : "0" }, { "max_inclusive", p->max_inclusive ? "1" : "0" },
    { "step", p->step }, { "tolerance", p->tolerance }, { "resolution", p->resolution },
    { NULL } }, error);
  if (id == 0)
    return 0;

  for (guint c = 0; p->categories != NULL && c < p->categories->len; c++)
    {
      g_autofree char *pid = int_text (id);

      if (!dossier_store_insert (store, "envelope_category", (DossierField[]) {
            { "parameter_id", pid }, { "value", g_ptr_array_index (p->categories, c) }, { NULL } }, error))
        return 0;
    }

  return id;
}

/* Rows of one envelope as column → text, keyed by what identifies them. */
static GHashTable *
existing_rows (DossierStore  *store,
               const char    *table,
               const char    *column,
               gint64         owner,
               const char    *key,
               GError       **error)
{
  g_autoptr(GPtrArray) rows = dossier_store_list_rows (store, table, column, owner, error);
  GHashTable *by_key;

  if (rows == NULL)
    return NULL;
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      const char *k = g_hash_table_lookup (row, key);

      g_hash_table_insert (by_key, g_strdup (k != NULL ? k : ""), g_hash_table_ref (row));
    }
  return by_key;
}

static gboolean
sync_parameter (DossierStore                    *store,
                gint64                           envelope_id,
                guint                            position,
                const DossierEnvelopeParameter  *p,
                GHashTable                      *row,
                GError                         **error)
{
  gint64 id = g_ascii_strtoll (g_hash_table_lookup (row, "id"), NULL, 10);
  g_autofree char *pos = int_text (position);
  g_autoptr(GHashTable) categories = NULL;
  gboolean numeric = p->kind == DOSSIER_PARAMETER_NUMERIC;

  if (!dossier_store_update (store, "envelope_parameter", id, (DossierField[]) {
        { "position", pos }, { "label_en", p->label_en }, { "label_zh", p->label_zh },
        { "kind", numeric ? "numeric" : "categorical" }, { "unit", p->unit },
        { "minimum", p->minimum }, { "maximum", p->maximum },
        { "min_inclusive", p->min_inclusive ? "1" : "0" }, { "max_inclusive", p->max_inclusive ? "1" : "0" },
        { "step", p->step }, { "tolerance", p->tolerance }, { "resolution", p->resolution },
        { NULL } }, NULL, error))
    return FALSE;

  /* Allowed values by set difference, so the trail shows what was added or dropped. */
  if (!(categories = existing_rows (store, "envelope_category", "parameter_id", id, "value", error)))
    return FALSE;
  for (guint c = 0; p->categories != NULL && c < p->categories->len; c++)
    {
      const char *value = g_ptr_array_index (p->categories, c);
      g_autofree char *pid = int_text (id);

      if (g_hash_table_remove (categories, value))
        continue;
      if (!dossier_store_insert (store, "envelope_category", (DossierField[]) {
            { "parameter_id", pid }, { "value", value }, { NULL } }, error))
        return FALSE;
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, categories);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (!dossier_store_delete (store, "envelope_category",
                                 g_ascii_strtoll (g_hash_table_lookup (value, "id"), NULL, 10), NULL, error))
        return FALSE;
  }

  return TRUE;
}

static gboolean
delete_parameter_rows (DossierStore  *store,
                       GHashTable    *row,
                       GError       **error)
{
  gint64 id = g_ascii_strtoll (g_hash_table_lookup (row, "id"), NULL, 10);
  g_autoptr(GPtrArray) categories = dossier_store_list_rows (store, "envelope_category", "parameter_id", id, error);

  if (categories == NULL)
    return FALSE;
  for (guint i = 0; i < categories->len; i++)
    if (!dossier_store_delete (store, "envelope_category",
                               g_ascii_strtoll (g_hash_table_lookup (g_ptr_array_index (categories, i), "id"), NULL, 10),
                               NULL, error))
      return FALSE;
  return dossier_store_delete (store, "envelope_parameter", id, NULL, error);
}

static gboolean
rules_equal (DossierEnvelope *self,
             GPtrArray       *rows)
{
  if (rows->len != self->rules->len)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      GHashTable *row = g_ptr_array_index (rows, i);
      DossierEnvelopeRule *r = g_ptr_array_index (self->rules, i);

      if (g_strcmp0 (g_hash_table_lookup (row, "expression"), r->expression) != 0 ||
          g_strcmp0 (g_hash_table_lookup (row, "description_en"), r->description_en) != 0 ||
          g_strcmp0 (g_hash_table_lookup (row, "description_zh"), r->description_zh) != 0 ||
          g_strcmp0 (g_hash_table_lookup (row, "source"), r->source) != 0)
        return FALSE;
    }
  return TRUE;
}

static int
compare_position (gconstpointer a,
                  gconstpointer b)
{
  GHashTable *ra = *(GHashTable * const *)a;
  GHashTable *rb = *(GHashTable * const *)b;
  gint64 pa = g_ascii_strtoll (g_hash_table_lookup (ra, "position"), NULL, 10);
  gint64 pb = g_ascii_strtoll (g_hash_table_lookup (rb, "position"), NULL, 10);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  pa = g_ascii_strtoll (g_hash_table_lookup (ra, "id"), NULL, 10);
  pb = g_ascii_strtoll (g_hash_table_lookup (rb, "id"), NULL, 10);
  return pa < pb ? -1 : (pa > pb);
}

gint64
dossier_envelope_save (DossierEnvelope  *self,
                       DossierStore     *store,
                       GError          **error)
{
  g_autofree char *model = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GPtrArray) rule_rows = NULL;
  gboolean taken = FALSE;
  gint64 id = self->id;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), 0);
  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);

  if (!dossier_envelope_validate (self, error))
    return 0;
  if (self->model_id <= 0)
    {
      invalid (error, _("The size range is not attached to a registered model"));
      return 0;
    }

  if (!dossier_store_begin (store, error))
    return 0;

  if (id > 0)
    {
      g_autofree char *status = NULL;

      if (!query_status (store, id, &status, NULL, error))
        goto failed;
      if (!g_str_equal (status, "draft"))
        {
          g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN,
                       _("Version %d of this size range is %s and can no longer be changed; make a new version instead."),
                       self->version, g_str_equal (status, "effective") ? _("effective") : _("withdrawn"));
          goto failed;
        }
    }

  if (self->version == 0)
    {
      gint64 v = next_version (store, self->model_id, error);
      if (v == 0)
        goto failed;
      self->version = (int)v;
    }
  if (!version_taken (store, self->model_id, self->version, id, &taken, error))
    goto failed;
  if (taken)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_EXISTS,
                   _("This model already has a size range version %d."), self->version);
      goto failed;
    }

  model = int_text (self->model_id);
  version = int_text (self->version);

  if (id == 0)
    {
      id = dossier_store_insert (store, "envelope", (DossierField[]) {
        { "model_id", model }, { "version", version }, { "status", "draft" },
        { "effective_on", self->effective_on }, { "valid_until", self->valid_until },
        { "certificate_no", self->certificate_no }, { "change_document", self->change_document },
        { "notes", self->notes }, { NULL } }, error);
      if (id == 0)
        goto failed;

      for (guint i = 0; i < self->parameters->len; i++)
        if (!insert_parameter (store, id, i + 1, g_ptr_array_index (self->parameters, i), error))
          goto failed;
    }
  else
    {
      GHashTableIter iter;
      gpointer value;

      if (!dossier_store_update (store, "envelope", id, (DossierField[]) {
            { "effective_on", self->effective_on }, { "valid_until", self->valid_until },
            { "certificate_no", self->certificate_no }, { "change_document", self->change_document },
            { "notes", self->notes }, { NULL } }, NULL, error))
        goto failed;

      if (!(params = existing_rows (store, "envelope_parameter", "envelope_id", id, "name", error)))
        goto failed;

      for (guint i = 0; i < self->parameters->len; i++)
        {
          DossierEnvelopeParameter *p = g_ptr_array_index (self->parameters, i);
          GHashTable *row = g_hash_table_lookup (params, p->name);

          if (row != NULL)
            {
              if (!sync_parameter (store, id, i + 1, p, row, error))
                goto failed;
              g_hash_table_remove (params, p->name);
            }
          else if (!insert_parameter (store, id, i + 1, p, error))
            goto failed;
        }

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!delete_parameter_rows (store, value, error))
          goto failed;
    }

  /* Rules are few: when anything about them changed, they are written again. */
  if (!(rule_rows = dossier_store_list_rows (store, "envelope_rule", "envelope_id", id, error)))
    goto failed;
  g_ptr_array_sort (rule_rows, compare_position);
  if (!rules_equal (self, rule_rows))
    {
      for (guint i = 0; i < rule_rows->len; i++)
        if (!dossier_store_delete (store, "envelope_rule",
                                   g_ascii_strtoll (g_hash_table_lookup (g_ptr_array_index (rule_rows, i), "id"), NULL, 10),
                                   NULL, error))
          goto failed;
      for (guint i = 0; i < self->rules->len; i++)
        {
          DossierEnvelopeRule *r = g_ptr_array_index (self->rules, i);
          g_autofree char *eid = int_text (id);
          g_autofree char *pos = int_text (i + 1);

          if (!dossier_store_insert (store, "envelope_rule", (DossierField[]) {
                { "envelope_id", eid }, { "position", pos }, { "expression", r->expression },
                { "description_en", r->description_en }, { "description_zh", r->description_zh },
                { "source", r->source }, { NULL } }, error))
            goto failed;
        }
    }

  if (!dossier_store_commit (store, error))
    goto failed;

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
  return id;

failed:
  dossier_store_rollback (store);
  return 0;
}

static gboolean
set_status (DossierStore  *store,
            gint64         id,
            const char    *status,
            const char    *reason,
            GError       **error)
{
  return dossier_store_update (store, "envelope", id, (DossierField[]) { { "status", status }, { NULL } },
                               reason, error);
}

gboolean
dossier_envelope_make_effective (DossierStore  *store,
                                 gint64         id,
                                 const char    *reason,
                                 GError       **error)
{
  g_autoptr(DossierEnvelope) envelope = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!(envelope = dossier_envelope_load (store, id, error)))
    return FALSE;
  if (!g_str_equal (envelope->status, "draft"))
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN,
                   _("Only a draft size range can take effect; version %d is not a draft."), envelope->version);
      return FALSE;
    }
  /* What was stored may have been written around this module: check it all again. */
  if (!dossier_envelope_validate (envelope, error))
    {
      g_prefix_error (error, _("The size range cannot take effect: "));
      return FALSE;
    }

  return set_status (store, id, "effective", reason, error);
}

gboolean
dossier_envelope_withdraw (DossierStore  *store,
                           gint64         id,
                           const char    *reason,
                           GError       **error)
{
  g_autofree char *status = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!query_status (store, id, &status, NULL, error))
    return FALSE;
  if (!g_str_equal (status, "effective"))
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN,
                   _("Only an effective size range can be withdrawn; delete a draft instead."));
      return FALSE;
    }
  return set_status (store, id, "withdrawn", reason, error);
}

gint64
dossier_envelope_new_version (DossierStore  *store,
                              gint64         id,
                              const char    *effective_on,
                              GError       **error)
{
  g_autoptr(DossierEnvelope) envelope = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);

  if (!(envelope = dossier_envelope_load (store, id, error)))
    return 0;

  envelope->id = 0;
  envelope->version = 0;
  g_free (envelope->status);
  envelope->status = g_strdup ("draft");
  if (effective_on != NULL)
    dossier_envelope_set_effective_on (envelope, effective_on);
  dossier_envelope_set_valid_until (envelope, NULL);

  return dossier_envelope_save (envelope, store, error);
}

gboolean
dossier_envelope_delete_draft (DossierStore  *store,
                               gint64         id,
                               const char    *reason,
                               GError       **error)
{
  g_autofree char *status = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_store_begin (store, error))
    return FALSE;
  if (!query_status (store, id, &status, NULL, error))
    goto failed;
  if (!g_str_equal (status, "draft"))
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_FROZEN,
                   _("Only a draft size range can be deleted; withdraw an effective one."));
      goto failed;
    }

  if (!(params = dossier_store_list_rows (store, "envelope_parameter", "envelope_id", id, error)) ||
      !(rules = dossier_store_list_rows (store, "envelope_rule", "envelope_id", id, error)))
    goto failed;
  for (guint i = 0; i < params->len; i++)
    if (!delete_parameter_rows (store, g_ptr_array_index (params, i), error))
      goto failed;
  for (guint i = 0; i < rules->len; i++)
    if (!dossier_store_delete (store, "envelope_rule",
                               g_ascii_strtoll (g_hash_table_lookup (g_ptr_array_index (rules, i), "id"), NULL, 10),
                               reason, error))
      goto failed;
  if (!dossier_store_delete (store, "envelope", id, reason, error) ||
      !dossier_store_commit (store, error))
    goto failed;

  return TRUE;

failed:
  dossier_store_rollback (store);
  return FALSE;
}

/* XML -------------------------------------------------------------------------------- */

#define NS ((const xmlChar *)DOSSIER_ENVELOPE_XML_NAMESPACE)
#define X(s) ((const xmlChar *)(s))

typedef struct
{
  char *message;
  int   line;
} XmlProblem;

static void
collect_xml_error (void        *data,
                   xmlErrorPtr  error)
{
  XmlProblem *problem = data;

  /* The first problem is the one worth reading; the rest usually follow from it. */
  if (problem->message != NULL || error == NULL || error->level == XML_ERR_WARNING)
    return;
  problem->message = g_strstrip (g_strdup (error->message != NULL ? error->message : "?"));
  problem->line = error->line;
}

static gboolean
xml_error (GError     **error,
           XmlProblem  *problem,
           const char  *fallback)
{
  if (problem->message != NULL && problem->line > 0)
    g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                 /* Translators: "The size range file is not valid (line 12): <libxml2's message>" */
                 _("The size range file is not valid (line %d): %s"), problem->line, problem->message);
  else if (problem->message != NULL)
    g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                 _("The size range file is not valid: %s"), problem->message);
  else
    g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML, fallback);
  g_clear_pointer (&problem->message, g_free);
  return FALSE;
}

static xmlSchemaPtr
get_schema (GError **error)
{
  static xmlSchemaPtr schema;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GBytes) bytes = NULL;
      XmlProblem problem = { NULL, 0 };

      xmlInitParser ();
      bytes = g_resources_lookup_data (XSD_PATH, 0, NULL);
      if (bytes != NULL)
        {
          xmlSchemaParserCtxtPtr ctxt = xmlSchemaNewMemParserCtxt (g_bytes_get_data (bytes, NULL),
                                                                   (int)g_bytes_get_size (bytes));

          xmlSchemaSetParserStructuredErrors (ctxt, collect_xml_error, &problem);
          schema = xmlSchemaParse (ctxt);
          xmlSchemaFreeParserCtxt (ctxt);
          if (schema == NULL)
            g_critical ("The shipped schema %s does not load: %s", XSD_PATH,
                        problem.message != NULL ? problem.message : "?");
          g_free (problem.message);
        }
      g_once_init_leave (&initialized, 1);
    }

  if (schema == NULL)
    g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                         _("The schema for size range files is missing from this installation."));
  return schema;
}

/* Parses without touching the network, without loading or honouring any DTD and
 * without expanding entities; a document that declares a DTD at all is refused, which
 * also rules out entity expansion attacks. */
static xmlDocPtr
parse_document (const char  *data,
                gsize        length,
                GError     **error)
{
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  XmlProblem problem = { NULL, 0 };

  xmlInitParser ();

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                           _("The size range file is empty."));
      return NULL;
    }
  if (length > DOSSIER_ENVELOPE_XML_MAX_BYTES)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                   _("The size range file is too large (%zu bytes; at most %d)."),
                   length, DOSSIER_ENVELOPE_XML_MAX_BYTES);
      return NULL;
    }
  /* Only UTF-8 (which has no NUL bytes in text), so that the look for a DTD below
   * cannot be dodged with UTF-16. */
  if (memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                           _("The size range file is not UTF-8 text."));
      return NULL;
    }
  if (g_strstr_len (data, length, "<!DOCTYPE") != NULL || g_strstr_len (data, length, "<!ENTITY") != NULL)
    {
      g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                           _("The size range file declares a DTD or entities, which are not allowed."));
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML, _("Out of memory"));
      return NULL;
    }
  xmlSetStructuredErrorFunc (&problem, collect_xml_error);
  doc = xmlCtxtReadMemory (ctxt, data, (int)length, "envelope.xml", NULL,
                           XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS);
  xmlSetStructuredErrorFunc (NULL, NULL);
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL)
    {
      xml_error (error, &problem, _("The size range file is not well-formed XML."));
      return NULL;
    }
  g_free (problem.message);

  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlFreeDoc (doc);
      g_set_error_literal (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_XML,
                           _("The size range file declares a DTD or entities, which are not allowed."));
      return NULL;
    }

  return doc;
}

static gboolean
validate_document (xmlDocPtr   doc,
                   GError    **error)
{
  xmlSchemaPtr schema = get_schema (error);
  xmlSchemaValidCtxtPtr vctxt;
  XmlProblem problem = { NULL, 0 };
  int rc;

  if (schema == NULL)
    return FALSE;

  vctxt = xmlSchemaNewValidCtxt (schema);
  xmlSchemaSetValidStructuredErrors (vctxt, collect_xml_error, &problem);
  rc = xmlSchemaValidateDoc (vctxt, doc);
  xmlSchemaFreeValidCtxt (vctxt);

  if (rc != 0)
    return xml_error (error, &problem, _("The size range file does not follow the size range schema."));
  g_free (problem.message);
  return TRUE;
}

gboolean
dossier_envelope_validate_xml (const char  *data,
                               gsize        length,
                               GError     **error)
{
  xmlDocPtr doc = parse_document (data, length, error);
  gboolean ok;

  if (doc == NULL)
    return FALSE;
  ok = validate_document (doc, error);
  xmlFreeDoc (doc);
  return ok;
}

static gboolean
is_element (xmlNodePtr  node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL && xmlStrEqual (node->ns->href, NS) &&
         xmlStrEqual (node->name, X (name));
}

static char *
attribute (xmlNodePtr  node,
           const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, X (name));
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *)value);
  xmlFree (value);
  return copy;
}

static char *
text_of (xmlNodePtr node)
{
  xmlChar *value = xmlNodeGetContent (node);
  char *copy = g_strdup (value != NULL ? (const char *)value : "");

  xmlFree (value);
  return copy;
}

static gboolean
boolean_attribute (xmlNodePtr  node,
                   const char *name)
{
  g_autofree char *value = attribute (node, name);

  /* The schema allows true, false, 1 and 0 and defaults to true. */
  return value == NULL || g_str_equal (value, "true") || g_str_equal (value, "1");
}

static gboolean
at_line (GError     **error,
         xmlNodePtr   node)
{
  g_prefix_error (error, _("Line %ld: "), xmlGetLineNo (node));
  return FALSE;
}

static void
read_labels (xmlNodePtr   node,
             char       **en,
             char       **zh)
{
  for (xmlNodePtr c = node->children; c != NULL; c = c->next)
    if (is_element (c, "label"))
      {
        g_autofree char *lang = attribute (c, "lang");
        char **target = g_strcmp0 (lang, "zh") == 0 ? zh : en;

        g_free (*target);
        *target = text_of (c);
      }
}

DossierEnvelope *
dossier_envelope_from_xml (const char  *data,
                           gsize        length,
                           char       **product_certificate,
                           char       **model_code,
                           GError     **error)
{
  g_autoptr(DossierEnvelope) self = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *code = NULL;
  xmlDocPtr doc;
  xmlNodePtr root;
  gboolean ok = FALSE;

  doc = parse_document (data, length, error);
  if (doc == NULL)
    return NULL;
  if (!validate_document (doc, error))
    goto out;

  self = dossier_envelope_new ();
  root = xmlDocGetRootElement (doc);

  /* Parameters first, rules after: a rule names parameters. */
  for (xmlNodePtr n = root->children; n != NULL; n = n->next)
    {
      if (is_element (n, "model"))
        {
          certificate = attribute (n, "certificate");
          code = attribute (n, "code");
        }
      else if (is_element (n, "version"))
        {
          g_autofree char *number = attribute (n, "number");
          g_autofree char *effective_on = attribute (n, "effective-on");
          g_autofree char *valid_until = attribute (n, "valid-until");
          g_autofree char *cert = attribute (n, "certificate");
          g_autofree char *change = attribute (n, "change-document");

          self->version = (int)g_ascii_strtoll (number, NULL, 10);
          dossier_envelope_set_effective_on (self, effective_on);
          dossier_envelope_set_valid_until (self, valid_until);
          dossier_envelope_set_certificate_no (self, cert);
          dossier_envelope_set_change_document (self, change);
        }
      else if (is_element (n, "notes"))
        {
          g_autofree char *notes = text_of (n);
          dossier_envelope_set_notes (self, notes);
        }
      else if (is_element (n, "parameters"))
        {
          for (xmlNodePtr p = n->children; p != NULL; p = p->next)
            {
              g_autofree char *name = NULL;
              g_autofree char *en = NULL;
              g_autofree char *zh = NULL;

              if (p->type != XML_ELEMENT_NODE)
                continue;
              name = attribute (p, "name");
              read_labels (p, &en, &zh);

              if (is_element (p, "numeric"))
                {
                  g_autofree char *unit = attribute (p, "unit");
                  g_autofree char *min = attribute (p, "min");
                  g_autofree char *max = attribute (p, "max");
                  g_autofree char *step = attribute (p, "step");
                  g_autofree char *tolerance = attribute (p, "tolerance");
                  g_autofree char *resolution = attribute (p, "resolution");

                  if (!dossier_envelope_set_numeric (self, name, unit != NULL ? unit : "", min, max,
                                                     boolean_attribute (p, "min-inclusive"),
                                                     boolean_attribute (p, "max-inclusive"),
                                                     step, tolerance, resolution, error))
                    {
                      at_line (error, p);
                      goto out;
                    }
                }
              else if (is_element (p, "categorical"))
                {
                  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

                  for (xmlNodePtr v = p->children; v != NULL; v = v->next)
                    if (is_element (v, "value"))
                      g_ptr_array_add (values, text_of (v));
                  g_ptr_array_add (values, NULL);
                  if (!dossier_envelope_set_categorical (self, name, (const char * const *)values->pdata, error))
                    {
                      at_line (error, p);
                      goto out;
                    }
                }
              dossier_envelope_set_labels (self, name, en, zh);
            }
        }
    }

  for (xmlNodePtr n = root->children; n != NULL; n = n->next)
    if (is_element (n, "rules"))
      for (xmlNodePtr r = n->children; r != NULL; r = r->next)
        {
          g_autofree char *expression = NULL;
          g_autofree char *en = NULL;
          g_autofree char *zh = NULL;
          g_autofree char *source = NULL;

          if (!is_element (r, "rule"))
            continue;
          for (xmlNodePtr c = r->children; c != NULL; c = c->next)
            {
              if (is_element (c, "expression"))
                expression = text_of (c);
              else if (is_element (c, "description"))
                {
                  g_autofree char *lang = attribute (c, "lang");
                  char **target = g_strcmp0 (lang, "zh") == 0 ? &zh : &en;
                  g_free (*target);
                  *target = text_of (c);
                }
              else if (is_element (c, "source"))
                source = text_of (c);
            }
          if (!dossier_envelope_add_rule (self, expression, en, zh, source, error))
            {
              at_line (error, r);
              goto out;
            }
        }

  if (!dossier_envelope_validate (self, error))
    goto out;

  ok = TRUE;

out:
  xmlFreeDoc (doc);
  if (!ok)
    return NULL;

  if (product_certificate != NULL)
    *product_certificate = g_steal_pointer (&certificate);
  if (model_code != NULL)
    *model_code = g_steal_pointer (&code);
  return g_steal_pointer (&self);
}

static void
set_attribute (xmlNodePtr  node,
               const char *name,
               const char *value)
{
  if (value != NULL)
    xmlSetProp (node, X (name), X (value));
}

static void
add_text_child (xmlNodePtr  parent,
                xmlNsPtr    ns,
                const char *name,
                const char *text,
                const char *lang)
{
  xmlNodePtr node = xmlNewChild (parent, ns, X (name), NULL);

  /* xmlNodeAddContent escapes; xmlNewChild's content argument would not. */
  xmlNodeAddContent (node, X (text));
  if (lang != NULL)
    xmlSetProp (node, X ("lang"), X (lang));
}

char *
dossier_envelope_to_xml (DossierEnvelope  *self,
                         const char       *product_certificate,
                         const char       *model_code,
                         gsize            *length,
                         GError          **error)
{
  xmlDocPtr doc;
  xmlNodePtr root, node, params;
  xmlNsPtr ns;
  xmlChar *buffer = NULL;
  int size = 0;
  g_autofree char *version = NULL;
  char *result;

  g_return_val_if_fail (DOSSIER_IS_ENVELOPE (self), NULL);
  g_return_val_if_fail (product_certificate != NULL && model_code != NULL, NULL);

  if (!dossier_envelope_validate (self, error))
    return NULL;

  doc = xmlNewDoc (X ("1.0"));
  root = xmlNewNode (NULL, X ("envelope"));
  ns = xmlNewNs (root, NS, NULL);
  xmlSetNs (root, ns);
  xmlDocSetRootElement (doc, root);
  xmlSetProp (root, X ("format"), X ("1"));

  node = xmlNewChild (root, ns, X ("model"), NULL);
  set_attribute (node, "certificate", product_certificate);
  set_attribute (node, "code", model_code);

  node = xmlNewChild (root, ns, X ("version"), NULL);
  version = g_strdup_printf ("%d", self->version > 0 ? self->version : 1);
  set_attribute (node, "number", version);
  set_attribute (node, "effective-on", self->effective_on);
  set_attribute (node, "valid-until", self->valid_until);
  set_attribute (node, "certificate", self->certificate_no);
  if (self->change_document != NULL && *self->change_document != '\0')
    set_attribute (node, "change-document", self->change_document);

  if (self->notes != NULL && *self->notes != '\0')
    add_text_child (root, ns, "notes", self->notes, NULL);

  params = xmlNewChild (root, ns, X ("parameters"), NULL);
  for (guint i = 0; i < self->parameters->len; i++)
    {
      DossierEnvelopeParameter *p = g_ptr_array_index (self->parameters, i);
      gboolean numeric = p->kind == DOSSIER_PARAMETER_NUMERIC;

      node = xmlNewChild (params, ns, X (numeric ? "numeric" : "categorical"), NULL);
      set_attribute (node, "name", p->name);
      if (numeric)
        {
          set_attribute (node, "unit", p->unit);
          set_attribute (node, "min", p->minimum);
          set_attribute (node, "max", p->maximum);
          set_attribute (node, "min-inclusive", p->min_inclusive ? "true" : "false");
          set_attribute (node, "max-inclusive", p->max_inclusive ? "true" : "false");
          set_attribute (node, "step", p->step);
          set_attribute (node, "tolerance", p->tolerance);
          set_attribute (node, "resolution", p->resolution);
        }
      if (p->label_en != NULL && *p->label_en != '\0')
        add_text_child (node, ns, "label", p->label_en, "en");
      if (p->label_zh != NULL && *p->label_zh != '\0')
        add_text_child (node, ns, "label", p->label_zh, "zh");
      for (guint c = 0; !numeric && c < p->categories->len; c++)
        add_text_child (node, ns, "value", g_ptr_array_index (p->categories, c), NULL);
    }

  if (self->rules->len > 0)
    {
      xmlNodePtr rules = xmlNewChild (root, ns, X ("rules"), NULL);

      for (guint i = 0; i < self->rules->len; i++)
        {
          DossierEnvelopeRule *r = g_ptr_array_index (self->rules, i);
          xmlNodePtr rule = xmlNewChild (rules, ns, X ("rule"), NULL);

          add_text_child (rule, ns, "expression", r->expression, NULL);
          if (r->description_en != NULL && *r->description_en != '\0')
            add_text_child (rule, ns, "description", r->description_en, "en");
          if (r->description_zh != NULL && *r->description_zh != '\0')
            add_text_child (rule, ns, "description", r->description_zh, "zh");
          if (r->source != NULL && *r->source != '\0')
            add_text_child (rule, ns, "source", r->source, NULL);
        }
    }

  xmlDocDumpFormatMemoryEnc (doc, &buffer, &size, "UTF-8", 1);
  xmlFreeDoc (doc);

  result = g_strndup ((const char *)buffer, size);
  xmlFree (buffer);
  if (length != NULL)
    *length = (gsize)size;
  return result;
}

static gboolean
model_identity (DossierStore  *store,
                gint64         model_id,
                char         **certificate,
                char         **code,
                GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dossier_store_prepare (store,
                                 "SELECT p.certificate_no, m.code FROM product_model m "
                                 "JOIN product p ON p.id = m.product_id WHERE m.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, model_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *certificate = column_text (stmt, 0);
      *code = column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("There is no registered model with id %" PRId64 "."), model_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (store, error, rc, _("Reading registered models"));
  return TRUE;
}

char *
dossier_envelope_export_xml (DossierStore  *store,
                             gint64         id,
                             gsize         *length,
                             GError       **error)
{
  g_autoptr(DossierEnvelope) envelope = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *code = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  if (!(envelope = dossier_envelope_load (store, id, error)) ||
      !model_identity (store, envelope->model_id, &certificate, &code, error))
    return NULL;

  return dossier_envelope_to_xml (envelope, certificate, code, length, error);
}

gint64
dossier_envelope_import_xml (DossierStore  *store,
                             const char    *data,
                             gsize          length,
                             GError       **error)
{
  g_autoptr(DossierEnvelope) envelope = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *code = NULL;
  sqlite3_stmt *stmt;
  gint64 model_id = 0;
  gboolean taken = FALSE;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);

  envelope = dossier_envelope_from_xml (data, length, &certificate, &code, error);
  if (envelope == NULL)
    return 0;

  stmt = _dossier_store_prepare (store,
                                 "SELECT m.id FROM product_model m JOIN product p ON p.id = m.product_id "
                                 "WHERE p.certificate_no = ?1 AND m.code = ?2", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, certificate, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    model_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading registered models"));
      return 0;
    }
  if (model_id == 0)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_NOT_FOUND,
                   _("The size range is for model “%s” of registration certificate %s, which this database does not have. Add the product and the model first."),
                   code, certificate);
      return 0;
    }

  if (!version_taken (store, model_id, envelope->version, 0, &taken, error))
    return 0;
  if (taken)
    {
      g_set_error (error, DOSSIER_ENVELOPE_ERROR, DOSSIER_ENVELOPE_ERROR_EXISTS,
                   _("Model “%s” already has a size range version %d; it was not imported again."),
                   code, envelope->version);
      return 0;
    }

  dossier_envelope_set_model_id (envelope, model_id);
  return dossier_envelope_save (envelope, store, error);
}

/* Demo data ---------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *label_en;
  const char *label_zh;
  const char *unit;          /* NULL: categorical, values in min */
  const char *min;
  const char *max;
  const char *step;
  const char *tolerance;
} DemoParameter;

typedef struct
{
  const char          *code;
  const char          *effective_on;
  const char          *change_document;
  const DemoParameter *parameters;
  const char          *rule;
  const char          *rule_en;
  const char          *rule_zh;
} DemoEnvelope;

#define CUP_COMMON(wall_min, wall_max) \
  { "wall_thickness", "Wall thickness", "壁厚", "mm", wall_min, wall_max, "0.1", "0.15" }, \
  { "porosity", "Porosity", "孔隙率", "%", "60", "80", NULL, NULL }, \
  { "mean_pore_size", "Mean pore size", "平均孔径", "µm", "400", "800", NULL, NULL }, \
  { "screw_holes", "Screw holes", "螺钉孔数", "", "0", "6", "1", NULL }, \
  { "material_grade", "Material grade", "材料牌号", NULL, "Ti-6Al-4V ELI", NULL, NULL, NULL }, \
  { NULL }

static const DemoParameter ac48[] = {
  { "outer_diameter", "Outer diameter", "外径", "mm", "40", "50", "1", "0.2" },
  CUP_COMMON ("2.0", "3.5")
};
static const DemoParameter ac52[] = {
  { "outer_diameter", "Outer diameter", "外径", "mm", "44", "58", "1", "0.2" },
  CUP_COMMON ("2.0", "4.0")
};
static const DemoParameter ac56[] = {
  { "outer_diameter", "Outer diameter", "外径", "mm", "52", "60", "1", "0.2" },
  CUP_COMMON ("2.5", "4.0")
};
static const DemoParameter og_hto[] = {
  { "slot_width", "Saw slot width", "导向槽宽", "mm", "1.0", "1.5", NULL, "0.05" },
  { "pin_hole_diameter", "Pin hole diameter", "固定针孔径", "mm", "2.0", "3.2", NULL, NULL },
  { "guide_thickness", "Guide thickness", "导板厚度", "mm", "3.0", "6.0", NULL, NULL },
  { "correction_angle", "Correction angle", "矫正角", "°", "5", "15", NULL, NULL },
  { "material_grade", "Material grade", "材料牌号", NULL, "PA12", NULL, NULL, NULL },
  { NULL }
};
static const DemoParameter og_man[] = {
  { "slot_width", "Saw slot width", "导向槽宽", "mm", "0.8", "1.4", NULL, "0.05" },
  { "pin_hole_diameter", "Pin hole diameter", "固定针孔径", "mm", "1.2", "2.5", NULL, NULL },
  { "guide_thickness", "Guide thickness", "导板厚度", "mm", "2.0", "5.0", NULL, NULL },
  { "resection_length", "Resection length", "截骨长度", "mm", "10", "120", NULL, NULL },
  { "material_grade", "Material grade", "材料牌号", NULL, "PA12", NULL, NULL, NULL },
  { NULL }
};

#define CUP_RULE "wall_thickness >= 0.04 * outer_diameter"
#define CUP_RULE_EN "The wall is at least 4 % of the outer diameter (fatigue-tested worst case)."
#define CUP_RULE_ZH "壁厚不小于外径的 4 %（疲劳试验最差情况）。"

static const DemoEnvelope demo_envelopes[] = {
  { "AC-48", "2024-03-01", "", ac48, CUP_RULE, CUP_RULE_EN, CUP_RULE_ZH },
  { "AC-52", "2024-03-01", "", ac52, CUP_RULE, CUP_RULE_EN, CUP_RULE_ZH },
  { "AC-56", "2024-03-01", "", ac56, CUP_RULE, CUP_RULE_EN, CUP_RULE_ZH },
  { "OG-HTO", "2023-08-15", "", og_hto, "pin_hole_diameter < guide_thickness", "A pin hole is narrower than the guide is thick.", "固定针孔径小于导板厚度。" },
  { "OG-MAN", "2023-08-15", "", og_man, "pin_hole_diameter < guide_thickness", "A pin hole is narrower than the guide is thick.", "固定针孔径小于导板厚度。" },
};

gboolean
dossier_envelope_seed_demo (DossierStore  *store,
                            GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_store_begin (store, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_envelopes); i++)
    {
      const DemoEnvelope *d = &demo_envelopes[i];
      g_autoptr(DossierEnvelope) envelope = NULL;
      g_autoptr(GArray) models = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func (g_free);
      int rc;

      stmt = _dossier_store_prepare (store,
                                     "SELECT m.id, p.certificate_no FROM product_model m JOIN product p ON p.id = m.product_id "
                                     "WHERE m.code = ?1 AND NOT EXISTS (SELECT 1 FROM envelope e WHERE e.model_id = m.id) "
                                     "ORDER BY m.id", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_text (stmt, 1, d->code, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (models, id);
          g_ptr_array_add (certificates, column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _dossier_store_set_error (store, error, rc, _("Reading registered models"));
          goto failed;
        }

      for (guint m = 0; m < models->len; m++)
        {
          gint64 id;

          g_clear_object (&envelope);
          envelope = dossier_envelope_new ();
          dossier_envelope_set_model_id (envelope, g_array_index (models, gint64, m));
          dossier_envelope_set_effective_on (envelope, d->effective_on);
          dossier_envelope_set_certificate_no (envelope, g_ptr_array_index (certificates, m));
          dossier_envelope_set_change_document (envelope, d->change_document);
          dossier_envelope_set_notes (envelope, "演示数据：注册证附件“产品型号规格及其划分说明”所列尺寸范围");

          for (const DemoParameter *p = d->parameters; p->name != NULL; p++)
            {
              gboolean ok;

              if (p->unit == NULL)
                {
                  const char *values[] = { p->min, NULL };
                  ok = dossier_envelope_set_categorical (envelope, p->name, values, error);
                }
              else
                ok = dossier_envelope_set_numeric (envelope, p->name, p->unit, p->min, p->max, TRUE, TRUE,
                                                   p->step, p->tolerance, NULL, error);
              if (!ok)
                goto failed;
              dossier_envelope_set_labels (envelope, p->name, p->label_en, p->label_zh);
            }
          if (!dossier_envelope_add_rule (envelope, d->rule, d->rule_en, d->rule_zh,
                                          "注册检验报告（疲劳与静态力学性能，最差情况）", error))
            goto failed;

          id = dossier_envelope_save (envelope, store, error);
          if (id == 0 || !dossier_envelope_make_effective (store, id, "演示数据", error))
            goto failed;

          /* AC-52 shows versioning: a registration change in 2026 widened the porosity. */
          if (g_str_equal (d->code, "AC-52"))
            {
              g_autoptr(DossierEnvelope) v2 = NULL;
              gint64 id2 = dossier_envelope_new_version (store, id, "2026-05-01", error);

              if (id2 == 0 || !(v2 = dossier_envelope_load (store, id2, error)))
                goto failed;
              dossier_envelope_set_change_document (v2, "变更注册文件 国械注准20243130417（2026 年 4 月批准）");
              if (!dossier_envelope_set_numeric (v2, "porosity", "%", "55", "80", TRUE, TRUE, NULL, NULL, NULL, error) ||
                  dossier_envelope_save (v2, store, error) == 0 ||
                  !dossier_envelope_make_effective (store, id2, "演示数据", error))
                goto failed;
            }
        }
    }

  return dossier_store_commit (store, error);

failed:
  dossier_store_rollback (store);
  return FALSE;
}
