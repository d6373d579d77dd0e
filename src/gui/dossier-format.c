/* dossier-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-format"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "dossier-format.h"
#include "dossier-schema.h"

/* One CSS class per status value; style.css gives related statuses the same
 * colour (waiting for review, approved, done, closed, cancelled). */
static const char * const status_classes[] = {
  "status-order",
  "status-design",
  "status-design-review",
  "status-design-approved",
  "status-processing",
  "status-inspection",
  "status-released",
  "status-delivered",
  "status-used",
  "status-closed",
  "status-cancelled",
  "status-unknown",
  NULL
};

DossierContentPage
dossier_format_content_page (guint    n_items,
                             gboolean narrowed,
                             gboolean selected)
{
  if (selected)
    return DOSSIER_CONTENT_DOSSIER;
  if (n_items == 0)
    return narrowed ? DOSSIER_CONTENT_NO_MATCH : DOSSIER_CONTENT_NO_DOSSIERS;
  return DOSSIER_CONTENT_NO_SELECTION;
}

const char *
dossier_format_content_page_name (DossierContentPage page)
{
  switch (page)
    {
    case DOSSIER_CONTENT_NO_MATCH:     return "no-match";
    case DOSSIER_CONTENT_NO_DOSSIERS:  return "no-dossiers";
    case DOSSIER_CONTENT_DOSSIER:      return "dossier";
    case DOSSIER_CONTENT_NO_SELECTION:
    default:                           return "no-selection";
    }
}

char *
dossier_format_list_count (guint    n_items,
                           gboolean narrowed)
{
  /* %'u groups the digits as the locale does. */
  if (narrowed)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u found", "%'u found", n_items), n_items);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u dossier", "%'u dossiers", n_items), n_items);
}

static const char *
choice_label (const char *column,
              const char *value)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *c = table != NULL ? dossier_schema_lookup_column (table, column) : NULL;

  if (value == NULL)
    return "";
  if (c == NULL)
    return value;
  return dossier_schema_choice_label (c, value);
}

const char *
dossier_format_status_label (const char *status)
{
  return choice_label ("status", status);
}

const char *
dossier_format_kind_label (const char *kind)
{
  return choice_label ("kind", kind);
}

const char *
dossier_format_status_css_class (const char *status)
{
  if (status != NULL)
    {
      for (guint i = 0; status_classes[i] != NULL; i++)
        if (g_str_equal (status_classes[i] + strlen ("status-"), status))
          return status_classes[i];
    }

  return "status-unknown";
}

const char * const *
dossier_format_status_css_classes (void)
{
  return status_classes;
}

/* Ends the arguments of join_parts(), whose parts may be NULL. */
#define END ((const char *)-1)

/* Joins the non-empty parts with a middle dot, the separator GNOME uses in
 * subtitles. */
static char *
join_parts (const char *first,
            ...)
{
  GString *s = g_string_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *part = first; part != END; part = va_arg (args, const char *))
    {
      if (part == NULL || *part == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, " · ");
      g_string_append (s, part);
    }
  va_end (args);

  return g_string_free (s, FALSE);
}

char *
dossier_format_row_subtitle (DossierDossier *dossier)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (dossier), NULL);

  return join_parts (dossier_dossier_get_patient_code (dossier),
                     dossier_dossier_get_institution_name (dossier),
                     END);
}

char *
dossier_format_product_line (DossierDossier *dossier)
{
  const char *reference;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER (dossier), NULL);

  reference = dossier_dossier_get_reference (dossier);

  /* A draft filing has no number yet; say so rather than show nothing. */
  if (reference == NULL && g_strcmp0 (dossier_dossier_get_kind (dossier), "customized") == 0)
    reference = _("Filing not yet numbered");

  return join_parts (dossier_dossier_get_product_name (dossier), reference, END);
}

char *
dossier_format_row_accessible_label (DossierDossier *dossier)
{
  g_autofree char *product = NULL;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER (dossier), NULL);

  product = dossier_format_product_line (dossier);

  return join_parts (dossier_dossier_get_unit_no (dossier),
                     dossier_format_status_label (dossier_dossier_get_status (dossier)),
                     dossier_dossier_get_patient_code (dossier),
                     dossier_dossier_get_institution_name (dossier),
                     product,
                     dossier_dossier_get_implantable (dossier) ? _("Implantable") : NULL,
                     dossier_dossier_get_has_problems (dossier) ? _("Has errors") : NULL,
                     dossier_dossier_get_changed_after_signature (dossier) ? _("Changed after signature") : NULL,
                     END);
}

void
dossier_format_field_free (DossierFormatField *field)
{
  if (field == NULL)
    return;

  g_free (field->value);
  g_free (field);
}

static DossierFormatField *
field_new (const char *column,
           const char *label,
           const char *value)
{
  DossierFormatField *field = g_new0 (DossierFormatField, 1);

  field->column = column;
  field->label = label;
  field->value = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
  return field;
}

GPtrArray *
dossier_format_summary_fields (DossierDossier *dossier,
                               GHashTable     *patient)
{
  const DossierTable *patient_table = dossier_schema_lookup_table ("patient");
  GPtrArray *fields;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER (dossier), NULL);

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_format_field_free);

  g_ptr_array_add (fields, field_new ("patient_code", dossier_schema_column_label ("patient", "code"),
                                      dossier_dossier_get_patient_code (dossier)));
  if (patient != NULL && patient_table != NULL)
    {
      const DossierColumn *sex = dossier_schema_lookup_column (patient_table, "sex");
      const char *value = g_hash_table_lookup (patient, "sex");

      g_ptr_array_add (fields, field_new ("sex", dossier_schema_column_label ("patient", "sex"),
                                          sex != NULL ? dossier_schema_choice_label (sex, value) : value));
      g_ptr_array_add (fields, field_new ("birth_year", dossier_schema_column_label ("patient", "birth_year"),
                                          g_hash_table_lookup (patient, "birth_year")));
    }
  g_ptr_array_add (fields, field_new ("institution", dossier_schema_column_label ("dossier", "institution_id"),
                                      dossier_dossier_get_institution_name (dossier)));
  g_ptr_array_add (fields, field_new ("clinician", dossier_schema_column_label ("dossier", "clinician_id"),
                                      dossier_dossier_get_clinician_name (dossier)));

  if (g_strcmp0 (dossier_dossier_get_kind (dossier), "customized") == 0)
    {
      DossierFormatField *number;

      g_ptr_array_add (fields, field_new ("product", dossier_schema_column_label ("dossier", "filing_id"),
                                          dossier_dossier_get_product_name (dossier)));
      number = field_new ("reference", dossier_schema_column_label ("filing", "number"),
                          dossier_dossier_get_reference (dossier));
      /* A draft filing has no number yet; say so rather than "not recorded". */
      if (number->value == NULL)
        number->value = g_strdup (_("Filing not yet numbered"));
      g_ptr_array_add (fields, number);
    }
  else
    {
      g_ptr_array_add (fields, field_new ("product", dossier_schema_column_label ("product_model", "product_id"),
                                          dossier_dossier_get_product_name (dossier)));
      g_ptr_array_add (fields, field_new ("reference", dossier_schema_column_label ("product_model", "code"),
                                          dossier_dossier_get_reference (dossier)));
    }

  return fields;
}

/* Dates and times --------------------------------------------------------------- */

/* Dates follow the language of the interface rather than LC_TIME's %x, which
 * writes 11/23/2026 in en_US and would mix languages when LC_TIME and the
 * translations differ.  Each style is spelled out: Chinese records write
 * 2026年11月23日; English uses the day-month-year order that reads the same in
 * every English-speaking country, with month names that never depend on LC_TIME. */
typedef enum
{
  DATE_STYLE_ENGLISH,
  DATE_STYLE_CHINESE,
} DateStyle;

static const char * const english_months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static gboolean
is_c_locale (const char *name)
{
  return g_str_equal (name, "C") || g_str_equal (name, "POSIX") || g_str_has_prefix (name, "C.");
}

static DateStyle
date_style_for (const char *language)
{
  if (language != NULL && g_str_has_prefix (language, "zh"))
    return DATE_STYLE_CHINESE;
  return DATE_STYLE_ENGLISH;
}

/* The first of the user's languages that Dossier writes dates for, the same
 * walk gettext makes to pick the translation. */
static DateStyle
current_date_style (void)
{
  const char * const *names = g_get_language_names_with_category ("LC_MESSAGES");

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "zh"))
        return DATE_STYLE_CHINESE;
      if (g_str_has_prefix (names[i], "en") || is_c_locale (names[i]))
        return DATE_STYLE_ENGLISH;
    }

  return DATE_STYLE_ENGLISH;
}

static char *
format_ymd (DateStyle style,
            int       year,
            int       month,
            int       day)
{
  g_assert (month >= 1 && month <= 12);

  if (style == DATE_STYLE_CHINESE)
    return g_strdup_printf ("%d年%d月%d日", year, month, day);

  return g_strdup_printf ("%d %s %d", day, english_months[month - 1], year);
}

/* A calendar date (YYYY-MM-DD) as written, or the local date of a timestamp;
 * NULL when text is neither. */
static GDateTime *
parse_date (const char *text)
{
  GDateTime *parsed;
  int year, month, day;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3 &&
      strlen (text) == strlen ("YYYY-MM-DD") &&
      g_date_valid_dmy (day, month, year))
    return g_date_time_new_local (year, month, day, 0, 0, 0);

  parsed = g_date_time_new_from_iso8601 (text, NULL);
  if (parsed != NULL)
    {
      GDateTime *local = g_date_time_to_local (parsed);

      g_date_time_unref (parsed);
      return local;
    }

  return NULL;
}

char *
dossier_format_date_for_language (const char *date,
                                  const char *language)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (date == NULL)
    return NULL;

  parsed = parse_date (date);
  if (parsed == NULL)
    return g_strdup (date);

  return format_ymd (language != NULL ? date_style_for (language) : current_date_style (),
                     g_date_time_get_year (parsed),
                     g_date_time_get_month (parsed),
                     g_date_time_get_day_of_month (parsed));
}

char *
dossier_format_date (const char *date)
{
  return dossier_format_date_for_language (date, NULL);
}

char *
dossier_format_timestamp_for_language (const char *iso8601,
                                       const char *language)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  DateStyle style;

  if (iso8601 == NULL)
    return NULL;

  parsed = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (parsed == NULL)
    return g_strdup (iso8601);

  local = g_date_time_to_local (parsed);
  style = language != NULL ? date_style_for (language) : current_date_style ();
  day = format_ymd (style,
                    g_date_time_get_year (local),
                    g_date_time_get_month (local),
                    g_date_time_get_day_of_month (local));

  if (style == DATE_STYLE_CHINESE)
    return g_strdup_printf ("%s %02d:%02d", day,
                            g_date_time_get_hour (local), g_date_time_get_minute (local));

  return g_strdup_printf ("%s, %02d:%02d", day,
                          g_date_time_get_hour (local), g_date_time_get_minute (local));
}

char *
dossier_format_timestamp (const char *iso8601)
{
  return dossier_format_timestamp_for_language (iso8601, NULL);
}

char *
dossier_format_number (gint64 number)
{
  /* %' groups the digits as LC_NUMERIC does: 12,345 in zh_CN and en. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, number);
}

/* The order fields as Announcement 2019 No. 53 lists them: clinical request
 * first, then requirements, then signatures. */
static const struct
{
  const char *column;
  gboolean    multiline;
  gboolean    customized_only;
} order_columns[] = {
  { "ordered_on", FALSE, FALSE },
  { "patient_age", FALSE, FALSE },
  { "condition", TRUE, FALSE },
  { "lesion_site", FALSE, FALSE },
  { "treatment_plan", TRUE, FALSE },
  { "risks", TRUE, FALSE },
  { "necessity", TRUE, TRUE },
  { "clinical_data", TRUE, FALSE },
  { "design_requirements", TRUE, FALSE },
  { "delivery_requirements", TRUE, FALSE },
  { "acceptance_criteria", TRUE, FALSE },
  { "body_days", FALSE, FALSE },
  { "clinician_signed_on", FALSE, FALSE },
  { "manufacturer_contact", FALSE, FALSE },
  { "manufacturer_signed_on", FALSE, FALSE },
  { "notes", TRUE, FALSE },
};

static char *
format_value (const char *column,
              const char *value,
              gboolean    implantable)
{
  const DossierTable *table = dossier_schema_lookup_table ("dossier");
  const DossierColumn *c = table != NULL ? dossier_schema_lookup_column (table, column) : NULL;

  if (value == NULL || *value == '\0')
    return NULL;

  if (c != NULL && c->kind == DOSSIER_COLUMN_DATE)
    return dossier_format_date (value);

  if (g_str_equal (column, "body_days"))
    {
      guint64 days = g_ascii_strtoull (value, NULL, 10);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s day", "%s days", days), value);

      /* The implantable status follows from the duration (DOMAIN.md). */
      if (implantable)
        /* Translators: the duration in the body, e.g. "90 days — implantable". */
        return g_strdup_printf (_("%s — implantable"), text);
      return g_steal_pointer (&text);
    }

  if (g_str_equal (column, "patient_age"))
    {
      guint64 years = g_ascii_strtoull (value, NULL, 10);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s year", "%s years", years), value);
    }

  return g_strdup (value);
}

GPtrArray *
dossier_format_order_fields (GHashTable *row,
                             gboolean    implantable)
{
  GPtrArray *fields;
  gboolean customized;

  g_return_val_if_fail (row != NULL, NULL);

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_format_field_free);
  customized = g_strcmp0 (g_hash_table_lookup (row, "kind"), "customized") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (order_columns); i++)
    {
      const char *column = order_columns[i].column;
      DossierFormatField *field;

      if (order_columns[i].customized_only && !customized)
        continue;

      field = g_new0 (DossierFormatField, 1);
      field->column = column;
      field->label = dossier_schema_column_label ("dossier", column);
      field->value = format_value (column, g_hash_table_lookup (row, column), implantable);
      field->multiline = order_columns[i].multiline;
      g_ptr_array_add (fields, field);
    }

  return fields;
}

char *
dossier_format_iteration_title (GHashTable *iteration)
{
  const char *version;

  g_return_val_if_fail (iteration != NULL, NULL);

  version = g_hash_table_lookup (iteration, "version");
  /* Translators: a design iteration, e.g. "Version 2". */
  return g_strdup_printf (_("Version %s"), version != NULL ? version : "?");
}

char *
dossier_format_iteration_subtitle (GHashTable *iteration)
{
  const char *software;
  const char *version;
  g_autofree char *tool = NULL;
  g_autofree char *designed_on = NULL;

  g_return_val_if_fail (iteration != NULL, NULL);

  software = g_hash_table_lookup (iteration, "software");
  version = g_hash_table_lookup (iteration, "software_version");
  if (software != NULL && *software != '\0' && version != NULL && *version != '\0')
    tool = g_strconcat (software, " ", version, NULL);
  else
    tool = g_strdup (software);

  designed_on = dossier_format_date (g_hash_table_lookup (iteration, "designed_on"));

  return join_parts (designed_on,
                     g_hash_table_lookup (iteration, "designer"),
                     tool,
                     END);
}

char *
dossier_format_parameter_value (GHashTable *parameter)
{
  const char *value;
  const char *unit;

  g_return_val_if_fail (parameter != NULL, NULL);

  value = g_hash_table_lookup (parameter, "value");
  if (value == NULL)
    return g_strdup (g_hash_table_lookup (parameter, "category"));

  unit = g_hash_table_lookup (parameter, "unit");
  if (unit == NULL || *unit == '\0')
    return g_strdup (value);

  /* Degrees and percent stick to the number; other units take a space. */
  if (g_str_equal (unit, "°") || g_str_equal (unit, "%"))
    return g_strconcat (value, unit, NULL);

  return g_strconcat (value, " ", unit, NULL);
}

char *
dossier_format_escape_mnemonic (const char *text)
{
  GString *s;

  if (text == NULL)
    return NULL;

  s = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (s, '_');
      g_string_append_c (s, *p);
    }

  return g_string_free (s, FALSE);
}
