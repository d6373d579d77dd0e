/* dossier-choices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-choices"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "dossier-choices.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

void
dossier_option_free (DossierOption *option)
{
  if (option == NULL)
    return;

  g_free (option->title);
  g_free (option->subtitle);
  g_free (option);
}

static GPtrArray *
option_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_option_free);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

/* Joins the non-empty parts with " · ". */
static char *
join_parts (const char *first,
            ...) G_GNUC_NULL_TERMINATED;

static char *
join_parts (const char *first,
            ...)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *part = first;
  va_list args;

  va_start (args, first);
  for (; part != NULL; part = va_arg (args, const char *))
    {
      if (*part == '\0')
        continue;
      if (s->len > 0)
        g_string_append (s, " · ");
      g_string_append (s, part);
    }
  va_end (args);

  return s->len > 0 ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

/* Describing a row ------------------------------------------------------------- */

/* Every listing query gives id, title, active, then three columns of its own
 * (a, b, c) that its describe function turns into the second line. */
typedef void (*DescribeFunc) (sqlite3_stmt  *stmt,
                              DossierOption *option);

static const char *
nonnull (const char *text)
{
  return text != NULL ? text : "";
}

static const char *
province_name (const char *code)
{
  const DossierProvince *province = code != NULL ? dossier_province_lookup (code) : NULL;

  return province != NULL ? _(province->name_en) : nonnull (code);
}

static const char *
choice_label (const char *table,
              const char *column,
              const char *value)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *c = t != NULL ? dossier_schema_lookup_column (t, column) : NULL;

  return c != NULL ? nonnull (dossier_schema_choice_label (c, value)) : nonnull (value);
}

/* a: province code, b: practising licence */
static void
describe_institution (sqlite3_stmt  *stmt,
                      DossierOption *option)
{
  option->subtitle = join_parts (province_name (column_text (stmt, 3)), nonnull (column_text (stmt, 4)), NULL);
}

/* a: department, b: institution, c: certificate number */
static void
describe_clinician (sqlite3_stmt  *stmt,
                    DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), nonnull (column_text (stmt, 4)), NULL);
}

/* a: sex, b: birth year */
static void
describe_patient (sqlite3_stmt  *stmt,
                  DossierOption *option)
{
  const char *sex = choice_label ("patient", "sex", column_text (stmt, 3));
  g_autofree char *born = NULL;

  if (column_text (stmt, 4) != NULL)
    /* Translators: a patient's birth year, e.g. "born 1968" */
    born = g_strdup_printf (_("born %s"), column_text (stmt, 4));

  option->subtitle = join_parts (sex, born != NULL ? born : "", NULL);
}

/* a: number, b: status, c: partner institution */
static void
describe_filing (sqlite3_stmt  *stmt,
                 DossierOption *option)
{
  const char *number = column_text (stmt, 3);

  option->subtitle = join_parts (number != NULL ? number : _("Not yet numbered"),
                                 choice_label ("filing", "status", column_text (stmt, 4)),
                                 nonnull (column_text (stmt, 5)), NULL);
}

/* a: number, b: case threshold, c: units made under it */
static void
describe_filing_in_force (sqlite3_stmt  *stmt,
                          DossierOption *option)
{
  g_autofree char *made = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 5));
  g_autofree char *threshold = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 4));
  g_autofree char *cases = NULL;

  /* Translators: units made under a filing against the number after which it
   * should move to registration, e.g. "12 of 50 cases" */
  cases = g_strdup_printf (_("%s of %s cases"), made, threshold);
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), cases, NULL);
}

static const char *
device_class_label (int device_class)
{
  switch (device_class)
    {
    case 1: return _("Class I");
    case 2: return _("Class II");
    case 3: return _("Class III");
    default: return "";
    }
}

/* a: certificate number, b: class */
static void
describe_product (sqlite3_stmt  *stmt,
                  DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)),
                                 device_class_label (sqlite3_column_int (stmt, 4)), NULL);
}

/* a: model name, b: product name */
static void
describe_model (sqlite3_stmt  *stmt,
                DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), NULL);
}

/* a: model name, b: certificate number (the title is product · model code) */
static void
describe_model_choice (sqlite3_stmt  *stmt,
                       DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), nonnull (column_text (stmt, 4)), NULL);
}

/* a: address */
static void
describe_site (sqlite3_stmt  *stmt,
               DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), NULL);
}

/* a: unified social credit code */
static void
describe_manufacturer (sqlite3_stmt  *stmt,
                       DossierOption *option)
{
  option->subtitle = join_parts (nonnull (column_text (stmt, 3)), NULL);
}

static DossierOption *
option_from_statement (sqlite3_stmt *stmt,
                       DescribeFunc  describe)
{
  DossierOption *option = g_new0 (DossierOption, 1);

  option->id = sqlite3_column_int64 (stmt, 0);
  option->title = g_strdup (nonnull (column_text (stmt, 1)));
  option->active = sqlite3_column_int (stmt, 2) != 0;
  describe (stmt, option);

  return option;
}

/* Registry listings ------------------------------------------------------------ */

/* Parameters: ?1 the LIKE pattern or NULL, ?2 the parent id or NULL, ?3 the
 * limit (-1: none), ?4 one record's id or NULL.  Search covers the names and the
 * numbers a person would type. */
typedef struct
{
  const char   *table;
  const char   *filter_column;
  const char   *sql;
  DescribeFunc  describe;
} Listing;

static const Listing listings[] = {
  { "manufacturer", NULL,
    "SELECT id, name_zh, 1, uscc FROM manufacturer "
    "WHERE (?1 IS NULL OR name_zh LIKE ?1 ESCAPE '\\' OR name_en LIKE ?1 ESCAPE '\\' OR uscc LIKE ?1 ESCAPE '\\') "
    "AND (?4 IS NULL OR id = ?4) AND (?2 IS NULL OR 1) "
    "ORDER BY id LIMIT ?3",
    describe_manufacturer },
  { "manufacturing_site", "manufacturer_id",
    "SELECT id, name, 1, address FROM manufacturing_site "
    "WHERE (?1 IS NULL OR name LIKE ?1 ESCAPE '\\' OR address LIKE ?1 ESCAPE '\\') "
    "AND (?2 IS NULL OR manufacturer_id = ?2) AND (?4 IS NULL OR id = ?4) "
    "ORDER BY name, id LIMIT ?3",
    describe_site },
  { "institution", NULL,
    "SELECT id, name_zh, active, province_code, practising_licence FROM institution "
    "WHERE (?1 IS NULL OR name_zh LIKE ?1 ESCAPE '\\' OR name_en LIKE ?1 ESCAPE '\\' "
    "       OR practising_licence LIKE ?1 ESCAPE '\\') "
    "AND (?4 IS NULL OR id = ?4) AND (?2 IS NULL OR 1) "
    "ORDER BY active DESC, name_zh, id LIMIT ?3",
    describe_institution },
  { "clinician", "institution_id",
    "SELECT c.id, c.name_zh, c.active, c.department, i.name_zh "
    "FROM clinician c JOIN institution i ON i.id = c.institution_id "
    "WHERE (?1 IS NULL OR c.name_zh LIKE ?1 ESCAPE '\\' OR c.name_en LIKE ?1 ESCAPE '\\' "
    "       OR c.department LIKE ?1 ESCAPE '\\' OR c.certificate_no LIKE ?1 ESCAPE '\\') "
    "AND (?2 IS NULL OR c.institution_id = ?2) AND (?4 IS NULL OR c.id = ?4) "
    "ORDER BY c.active DESC, c.name_zh, c.id LIMIT ?3",
    describe_clinician },
  { "patient", NULL,
    "SELECT id, code, 1, sex, birth_year FROM patient "
    "WHERE (?1 IS NULL OR code LIKE ?1 ESCAPE '\\') AND (?4 IS NULL OR id = ?4) AND (?2 IS NULL OR 1) "
    "ORDER BY code LIMIT ?3",
    describe_patient },
  { "filing", "institution_id",
    "SELECT f.id, f.device_name, f.status IN ('filed', 'changed'), f.number, f.status, i.name_zh "
    "FROM filing f JOIN institution i ON i.id = f.institution_id "
    "WHERE (?1 IS NULL OR f.device_name LIKE ?1 ESCAPE '\\' OR f.number LIKE ?1 ESCAPE '\\' "
    "       OR i.name_zh LIKE ?1 ESCAPE '\\') "
    "AND (?2 IS NULL OR f.institution_id = ?2) AND (?4 IS NULL OR f.id = ?4) "
    "ORDER BY f.status IN ('filed', 'changed') DESC, f.device_name, f.id LIMIT ?3",
    describe_filing },
  { "product", NULL,
    "SELECT id, name_zh, active, certificate_no, device_class FROM product "
    "WHERE (?1 IS NULL OR name_zh LIKE ?1 ESCAPE '\\' OR name_en LIKE ?1 ESCAPE '\\' "
    "       OR certificate_no LIKE ?1 ESCAPE '\\') "
    "AND (?4 IS NULL OR id = ?4) AND (?2 IS NULL OR 1) "
    "ORDER BY active DESC, name_zh, id LIMIT ?3",
    describe_product },
  { "product_model", "product_id",
    "SELECT m.id, m.code, p.active, m.name FROM product_model m JOIN product p ON p.id = m.product_id "
    "WHERE (?1 IS NULL OR m.code LIKE ?1 ESCAPE '\\' OR m.name LIKE ?1 ESCAPE '\\') "
    "AND (?2 IS NULL OR m.product_id = ?2) AND (?4 IS NULL OR m.id = ?4) "
    "ORDER BY m.code, m.id LIMIT ?3",
    describe_model },
};

static const Listing *
lookup_listing (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (listings); i++)
    if (g_strcmp0 (listings[i].table, table) == 0)
      return &listings[i];

  return NULL;
}

gboolean
dossier_choices_is_registry (const char *table)
{
  return lookup_listing (table) != NULL;
}

/* A LIKE pattern that matches the text literally anywhere (or at the start). */
static char *
like_pattern (const char *text,
              gboolean    anywhere)
{
  g_autoptr(GString) s = g_string_new (anywhere ? "%" : "");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* Runs a prepared query and collects one option per row.  The statement is
 * reset (and so ready for the next use) whatever happens. */
static GPtrArray *
collect_options (DossierStore  *store,
                 sqlite3_stmt  *stmt,
                 DescribeFunc   describe,
                 guint          limit,
                 gboolean      *more,
                 GError       **error)
{
  g_autoptr(GPtrArray) options = option_array_new ();
  int rc;

  if (more != NULL)
    *more = FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* One row past the limit was asked for, to tell whether there are more. */
      if (limit > 0 && options->len == limit)
        {
          if (more != NULL)
            *more = TRUE;
          rc = SQLITE_DONE;
          break;
        }
      g_ptr_array_add (options, option_from_statement (stmt, describe));
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the database"));
      return NULL;
    }

  return g_steal_pointer (&options);
}

static GPtrArray *
run_listing (DossierStore   *store,
             const Listing  *listing,
             const char     *search,
             gint64          filter_value,
             gint64          id,
             guint           limit,
             gboolean       *more,
             GError        **error)
{
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _dossier_store_prepare (store, listing->sql, error)))
    return NULL;

  if (search != NULL && *search != '\0')
    {
      pattern = like_pattern (search, TRUE);
      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
    }
  if (filter_value > 0)
    sqlite3_bind_int64 (stmt, 2, filter_value);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64)limit + 1 : -1);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 4, id);

  return collect_options (store, stmt, listing->describe, limit, more, error);
}

GPtrArray *
dossier_choices_list_records (DossierStore  *store,
                              const char    *table,
                              const char    *search,
                              const char    *filter_column,
                              gint64         filter_value,
                              guint          limit,
                              gboolean      *more,
                              GError       **error)
{
  const Listing *listing;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  listing = lookup_listing (table);
  if (listing == NULL ||
      (filter_column != NULL && g_strcmp0 (filter_column, listing->filter_column) != 0))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   "No listing of “%s” by “%s”", table, filter_column != NULL ? filter_column : "");
      return NULL;
    }

  return run_listing (store, listing, search, filter_column != NULL ? filter_value : 0,
                      0, limit, more, error);
}

DossierOption *
dossier_choices_get_record (DossierStore  *store,
                            const char    *table,
                            gint64         id,
                            GError       **error)
{
  const Listing *listing;
  g_autoptr(GPtrArray) options = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  listing = lookup_listing (table);
  if (listing == NULL)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED, "No listing of “%s”", table);
      return NULL;
    }

  if (id <= 0 || !(options = run_listing (store, listing, NULL, 0, id, 1, NULL, error)) || options->len == 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                     _("There is no %s with id %" PRId64 "."),
                     dossier_schema_table_label (table), id);
      return NULL;
    }

  return g_ptr_array_steal_index (options, 0);
}

/* New dossier choices ------------------------------------------------------------ */

static GPtrArray *
query_options (DossierStore  *store,
               const char    *sql,
               gint64         arg,
               DescribeFunc   describe,
               GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _dossier_store_prepare (store, sql, error)))
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);

  return collect_options (store, stmt, describe, 0, NULL, error);
}

GPtrArray *
dossier_choices_institutions (DossierStore  *store,
                              const char    *kind,
                              GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (kind, "customized") != 0 && g_strcmp0 (kind, "patient-matched") != 0)
    return option_array_new ();

  /* No unit can be ordered without an active clinician, so an institution
   * without one is not offered either. */
  return query_options (store,
                        "SELECT i.id, i.name_zh, i.active, i.province_code, i.practising_licence "
                        "FROM institution i "
                        "WHERE i.active = 1 "
                        "AND EXISTS (SELECT 1 FROM clinician c WHERE c.institution_id = i.id AND c.active = 1) "
                        "AND (?1 = 0 OR EXISTS (SELECT 1 FROM filing f WHERE f.institution_id = i.id "
                        "                       AND f.status IN ('filed', 'changed'))) "
                        "ORDER BY i.name_zh, i.id",
                        g_str_equal (kind, "customized"), describe_institution, error);
}

GPtrArray *
dossier_choices_clinicians (DossierStore  *store,
                            gint64         institution_id,
                            GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return query_options (store,
                        "SELECT c.id, c.name_zh, c.active, c.department, i.name_zh "
                        "FROM clinician c JOIN institution i ON i.id = c.institution_id "
                        "WHERE c.institution_id = ?1 AND c.active = 1 "
                        "ORDER BY c.name_zh, c.id",
                        institution_id, describe_clinician, error);
}

GPtrArray *
dossier_choices_filings (DossierStore  *store,
                         gint64         institution_id,
                         GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Cancelled units do not count as clinical cases. */
  return query_options (store,
                        "SELECT f.id, f.device_name, 1, f.number, f.case_threshold, "
                        "       (SELECT count(*) FROM dossier d WHERE d.filing_id = f.id AND d.status <> 'cancelled') "
                        "FROM filing f JOIN institution i ON i.id = f.institution_id "
                        "WHERE f.institution_id = ?1 AND i.active = 1 AND f.status IN ('filed', 'changed') "
                        "ORDER BY f.device_name, f.id",
                        institution_id, describe_filing_in_force, error);
}

GPtrArray *
dossier_choices_models (DossierStore  *store,
                        GError       **error)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return query_options (store,
                        "SELECT m.id, p.name_zh || ' · ' || m.code, p.active, m.name, p.certificate_no "
                        "FROM product_model m JOIN product p ON p.id = m.product_id "
                        "WHERE p.active = 1 "
                        "ORDER BY p.name_zh, m.code, m.id",
                        0, describe_model_choice, error);
}

GPtrArray *
dossier_choices_patients (DossierStore  *store,
                          const char    *prefix,
                          guint          limit,
                          GError       **error)
{
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(stmt = _dossier_store_prepare (store,
                                       "SELECT id, code, 1, sex, birth_year FROM patient "
                                       "WHERE (?1 IS NULL OR code LIKE ?1 ESCAPE '\\') "
                                       "ORDER BY code LIMIT ?2",
                                       error)))
    return NULL;

  if (prefix != NULL && *prefix != '\0')
    {
      pattern = like_pattern (prefix, FALSE);
      sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64)limit : -1);

  return collect_options (store, stmt, describe_patient, 0, NULL, error);
}

/* The New Dossier state ------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  return text == NULL || *text == '\0';
}

void
dossier_new_dossier_state_compute (const DossierNewDossier *choices,
                                   int                      current_year,
                                   DossierNewDossierState  *state)
{
  gboolean customized;
  gboolean matched;
  gboolean patient_ready = FALSE;

  g_return_if_fail (choices != NULL);
  g_return_if_fail (state != NULL);

  memset (state, 0, sizeof *state);

  customized = g_strcmp0 (choices->kind, "customized") == 0;
  matched = g_strcmp0 (choices->kind, "patient-matched") == 0;

  state->needs_filing = customized;
  state->needs_model = matched;
  state->institution_sensitive = customized || matched;
  state->clinician_sensitive = state->institution_sensitive && choices->institution_id > 0;
  state->product_sensitive = (customized && choices->institution_id > 0) || matched;

  if (choices->patient_id > 0)
    patient_ready = TRUE;
  else if (!is_blank (choices->patient_code))
    {
      const DossierTable *table = dossier_schema_lookup_table ("patient");
      const DossierColumn *sex = dossier_schema_lookup_column (table, "sex");
      g_autoptr(GError) local_error = NULL;

      state->new_patient = TRUE;

      /* The same checks and messages as the store's, in the order of the form. */
      if (!dossier_validate_patient_code (choices->patient_code, &local_error))
        {
          state->patient_error_column = "code";
          state->patient_error = g_strdup_printf (_("%s: %s"), dossier_schema_column_label ("patient", "code"),
                                                  local_error->message);
        }
      else if (is_blank (choices->patient_sex))
        {
          /* Not chosen yet is not a mistake; the hint asks for it. */
        }
      else if (dossier_schema_choice_label (sex, choices->patient_sex) == choices->patient_sex)
        {
          state->patient_error_column = "sex";
          state->patient_error = g_strdup_printf (_("%s: %s"), dossier_schema_column_label ("patient", "sex"),
                                                  _("choose female, male or unknown"));
        }
      else if (!is_blank (choices->patient_birth_year) &&
               !dossier_validate_birth_year (choices->patient_birth_year, current_year, &local_error))
        {
          state->patient_error_column = "birth_year";
          state->patient_error = g_strdup_printf (_("%s: %s"), dossier_schema_column_label ("patient", "birth_year"),
                                                  local_error->message);
        }
      else
        patient_ready = TRUE;
    }

  if (!customized && !matched)
    {
      state->step = DOSSIER_NEW_DOSSIER_KIND;
      state->hint = _("Choose the kind of device.");
    }
  else if (choices->institution_id <= 0)
    {
      state->step = DOSSIER_NEW_DOSSIER_INSTITUTION;
      state->hint = customized ? _("Choose the ordering institution: the partner of a filing in force.")
                               : _("Choose the ordering institution.");
    }
  else if (choices->clinician_id <= 0)
    {
      state->step = DOSSIER_NEW_DOSSIER_CLINICIAN;
      state->hint = _("Choose the ordering clinician.");
    }
  else if (!patient_ready)
    {
      state->step = DOSSIER_NEW_DOSSIER_PATIENT;
      if (state->patient_error != NULL)
        state->hint = _("Correct the new patient’s details.");
      else if (state->new_patient)
        state->hint = _("Choose the new patient’s sex.");
      else
        state->hint = _("Enter the patient’s code, or pick an existing patient.");
    }
  else if (customized && choices->filing_id <= 0)
    {
      state->step = DOSSIER_NEW_DOSSIER_PRODUCT;
      state->hint = _("Choose the filing the device is made under.");
    }
  else if (matched && choices->model_id <= 0)
    {
      state->step = DOSSIER_NEW_DOSSIER_PRODUCT;
      state->hint = _("Choose the registered model.");
    }
  else
    {
      state->step = DOSSIER_NEW_DOSSIER_COMPLETE;
      state->can_create = TRUE;
      state->hint = state->new_patient ? _("Ready: the dossier and the new patient will be created.")
                                       : _("Ready to create the dossier.");
    }
}

void
dossier_new_dossier_state_clear (DossierNewDossierState *state)
{
  g_return_if_fail (state != NULL);

  g_clear_pointer (&state->patient_error, g_free);
}

/* Checking and creating ----------------------------------------------------------- */

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *problem)
{
  g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
               /* Translators: "<field label>: <what is wrong>" */
               _("%s: %s"), field, problem);
  return FALSE;
}

static gboolean
offered (GPtrArray *options,
         gint64     id)
{
  for (guint i = 0; i < options->len; i++)
    if (((DossierOption *)g_ptr_array_index (options, i))->id == id)
      return TRUE;

  return FALSE;
}

gboolean
dossier_choices_check (DossierStore             *store,
                       const DossierNewDossier  *choices,
                       GError                  **error)
{
  g_autoptr(GPtrArray) institutions = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(GPtrArray) products = NULL;
  gboolean customized;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (choices != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  customized = g_strcmp0 (choices->kind, "customized") == 0;
  if (!customized && g_strcmp0 (choices->kind, "patient-matched") != 0)
    return invalid (error, dossier_schema_column_label ("dossier", "kind"),
                    _("choose customized or patient-matched"));

  if (!(institutions = dossier_choices_institutions (store, choices->kind, error)))
    return FALSE;
  if (!offered (institutions, choices->institution_id))
    return invalid (error, dossier_schema_column_label ("dossier", "institution_id"),
                    customized ? _("a customized device needs an active institution with an active clinician "
                                   "that is the partner of a filing in force")
                               : _("the institution is not active or has no active clinician"));

  if (!(clinicians = dossier_choices_clinicians (store, choices->institution_id, error)))
    return FALSE;
  if (!offered (clinicians, choices->clinician_id))
    return invalid (error, dossier_schema_column_label ("dossier", "clinician_id"),
                    _("the clinician is not an active clinician of the ordering institution"));

  if (customized)
    {
      if (!(products = dossier_choices_filings (store, choices->institution_id, error)))
        return FALSE;
      if (!offered (products, choices->filing_id))
        return invalid (error, dossier_schema_column_label ("dossier", "filing_id"),
                        _("the filing is not in force or its partner is another institution"));
    }
  else
    {
      if (!(products = dossier_choices_models (store, error)))
        return FALSE;
      if (!offered (products, choices->model_id))
        return invalid (error, dossier_schema_column_label ("dossier", "model_id"),
                        _("the model does not belong to an active registered product"));
    }

  if (choices->patient_id > 0)
    {
      g_autoptr(GHashTable) row = dossier_store_get_row (store, "patient", choices->patient_id, error);

      if (row == NULL)
        return FALSE;
    }
  else if (is_blank (choices->patient_code))
    return invalid (error, dossier_schema_column_label ("dossier", "patient_id"),
                    _("choose a patient or enter the code of a new one"));

  return TRUE;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

gint64
dossier_choices_create_dossier (DossierStore             *store,
                                const DossierNewDossier  *choices,
                                char                    **unit_no,
                                gint64                   *patient_id,
                                GError                  **error)
{
  g_autofree char *institution = NULL;
  g_autofree char *clinician = NULL;
  g_autofree char *patient = NULL;
  g_autofree char *product = NULL;
  gboolean customized;
  gint64 pid;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), 0);
  g_return_val_if_fail (choices != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* The checks and the writes see the same data: nobody can cancel the filing
   * in between. */
  if (!dossier_store_begin (store, error))
    return 0;

  if (!dossier_choices_check (store, choices, error))
    goto failed;

  pid = choices->patient_id;
  if (pid <= 0)
    {
      /* Without a birth year the list ends early, and the column stays NULL. */
      const DossierField fields[] = {
        { "code", choices->patient_code },
        { "sex", choices->patient_sex },
        { is_blank (choices->patient_birth_year) ? NULL : "birth_year", choices->patient_birth_year },
        { NULL }
      };

      pid = dossier_store_insert (store, "patient", fields, error);
      if (pid == 0)
        goto failed;
    }

  customized = g_str_equal (choices->kind, "customized");
  institution = id_text (choices->institution_id);
  clinician = id_text (choices->clinician_id);
  patient = id_text (pid);
  product = id_text (customized ? choices->filing_id : choices->model_id);

  {
    const DossierField fields[] = {
      { "kind", choices->kind },
      { "institution_id", institution },
      { "clinician_id", clinician },
      { "patient_id", patient },
      { customized ? "filing_id" : "model_id", product },
      { NULL }
    };

    id = dossier_store_create_dossier (store, fields, unit_no, error);
    if (id == 0)
      goto failed;
  }

  if (!dossier_store_commit (store, error))
    {
      if (unit_no != NULL)
        g_clear_pointer (unit_no, g_free);
      goto failed;
    }

  if (patient_id != NULL)
    *patient_id = pid;

  return id;

failed:
  dossier_store_rollback (store);
  return 0;
}
