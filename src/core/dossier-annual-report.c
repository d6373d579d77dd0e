/* dossier-annual-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-annual-report"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dossier-annual-report.h"
#include "dossier-auth-private.h"
#include "dossier-auth.h"
#include "dossier-package-verify.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"
#include "dossier-validate.h"

#define NO_TIME "1970-01-01T00:00:00+00:00"
#define MAX_XML_MESSAGES 20

G_DEFINE_QUARK (dossier-annual-report-error-quark, dossier_annual_report_error)

/* Memory ------------------------------------------------------------------------ */

static void
institution_free (DossierAnnualInstitution *i)
{
  g_free (i->name);
  g_free (i->licence);
  g_free (i->province_code);
  g_free (i);
}

static void
unit_free (DossierAnnualUnit *u)
{
  g_free (u->unit_no);
  g_free (u->institution_licence);
  g_free (u->status);
  g_free (u->ordered_on);
  g_free (u->designed_on);
  g_free (u->produced_on);
  g_free (u->released_on);
  g_free (u->delivered_on);
  g_free (u->outcome);
  g_free (u->outcome_on);
  g_free (u->cancelled_on);
  g_free (u);
}

static void
design_change_free (DossierAnnualDesignChange *c)
{
  g_free (c->unit_no);
  g_free (c->institution_licence);
  g_free (c->designed_on);
  g_free (c->designer);
  g_free (c->notes);
  g_free (c);
}

static void
adverse_event_free (DossierAnnualAdverseEvent *e)
{
  g_free (e->unit_no);
  g_free (e->institution_licence);
  g_free (e->institution_name);
  g_free (e->occurred_on);
  g_free (e->reported_on);
  g_free (e->severity);
  g_free (e->description);
  g_free (e);
}

static void
filing_free (DossierAnnualFiling *f)
{
  g_free (f->number);
  g_free (f->status);
  g_free (f->filed_on);
  g_free (f->province_code);
  g_free (f->device_name);
  g_free (f->institution.name);
  g_free (f->institution.licence);
  g_free (f->institution.province_code);
  g_clear_pointer (&f->institutions, g_ptr_array_unref);
  g_clear_pointer (&f->design_changes, g_ptr_array_unref);
  g_clear_pointer (&f->adverse_events, g_ptr_array_unref);
  g_clear_pointer (&f->units, g_ptr_array_unref);
  g_free (f);
}

static DossierAnnualFiling *
filing_new (void)
{
  DossierAnnualFiling *f = g_new0 (DossierAnnualFiling, 1);

  f->institutions = g_ptr_array_new_with_free_func ((GDestroyNotify)institution_free);
  f->design_changes = g_ptr_array_new_with_free_func ((GDestroyNotify)design_change_free);
  f->adverse_events = g_ptr_array_new_with_free_func ((GDestroyNotify)adverse_event_free);
  f->units = g_ptr_array_new_with_free_func ((GDestroyNotify)unit_free);
  return f;
}

G_DEFINE_BOXED_TYPE (DossierAnnualReport, dossier_annual_report,
                     dossier_annual_report_ref, dossier_annual_report_unref)

DossierAnnualReport *
dossier_annual_report_ref (DossierAnnualReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  g_atomic_ref_count_inc (&report->ref_count);
  return report;
}

void
dossier_annual_report_unref (DossierAnnualReport *report)
{
  g_return_if_fail (report != NULL);

  if (!g_atomic_ref_count_dec (&report->ref_count))
    return;

  g_free (report->period_from);
  g_free (report->period_to);
  g_free (report->scope_filing);
  g_free (report->generated_at);
  g_free (report->manufacturer_name);
  g_free (report->manufacturer_name_en);
  g_free (report->manufacturer_uscc);
  g_free (report->manufacturer_licence);
  g_clear_pointer (&report->filings, g_ptr_array_unref);
  g_free (report);
}

const char *
dossier_annual_threshold_state_to_string (DossierAnnualThresholdState state)
{
  switch (state)
    {
    case DOSSIER_ANNUAL_THRESHOLD_BELOW:   return "below";
    case DOSSIER_ANNUAL_THRESHOLD_NEAR:    return "near";
    case DOSSIER_ANNUAL_THRESHOLD_REACHED: return "reached";
    default:                               g_return_val_if_reached ("below");
    }
}

/* Permission ---------------------------------------------------------------------- */

gboolean
dossier_annual_report_check_permission (DossierStore  *store,
                                        GError       **error)
{
  const DossierUser *user;
  DossierRoles allowed = DOSSIER_ROLE_REGULATORY | DOSSIER_ROLE_ADMINISTRATOR;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_auth_has_accounts (store))
    return TRUE;

  user = dossier_store_get_user (store);
  if (user == NULL)
    {
      g_set_error_literal (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_AUTHENTICATION_FAILED,
                           _("Sign in to generate the annual report: this database has user accounts."));
      return FALSE;
    }
  if (!_dossier_auth_check_session (store, error))
    return FALSE;

  /* The session's roles as they are now (the check above refreshed them). */
  user = dossier_store_get_user (store);
  if ((user->roles & allowed) == 0)
    {
      g_autofree char *needed = dossier_roles_get_label (allowed);
      g_autofree char *has = dossier_roles_get_label (user->roles);

      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_PERMISSION_DENIED,
                   /* Translators: "Generating the annual report needs the role Regulatory affairs or Administrator; zhang.wei has the role Design engineer." */
                   _("Generating the annual report needs the role %s; %s has the role %s."),
                   needed, user->login, *has != '\0' ? has : _("none"));
      return FALSE;
    }

  return TRUE;
}

/* Reading ------------------------------------------------------------------------- */

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* The calendar date of a date or time stamp as recorded (its own time zone). */
static char *
column_date (sqlite3_stmt *stmt,
             int           column)
{
  const char *text;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  text = (const char *)sqlite3_column_text (stmt, column);
  if (text == NULL || strlen (text) < 10)
    return NULL;
  return g_strndup (text, 10);
}

typedef struct
{
  DossierStore        *store;
  DossierAnnualReport *report;
  const char          *from;
  const char          *to;
} Compute;

static gboolean
in_year (const Compute *c,
         const char    *date)
{
  return date != NULL && strcmp (date, c->from) >= 0 && strcmp (date, c->to) <= 0;
}

static gboolean
step_done (DossierStore  *store,
           sqlite3_stmt  *stmt,
           int            rc,
           const char    *what,
           GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, what);
  return TRUE;
}

static gboolean
read_manufacturer (Compute  *c,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (c->store,
                                       "SELECT name_zh, name_en, uscc, production_licence FROM manufacturer WHERE id = 1",
                                       error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      c->report->manufacturer_name = column_text (stmt, 0);
      c->report->manufacturer_name_en = column_text (stmt, 1);
      c->report->manufacturer_uscc = column_text (stmt, 2);
      c->report->manufacturer_licence = column_text (stmt, 3);
      rc = SQLITE_DONE;
    }
  return step_done (c->store, stmt, rc, _("Reading the manufacturer"), error);
}

/* The time stamp of the data the report reads: its newest audit entry.  Entries of
 * sign-ins and of recorded reports are left out, so that generating a report does
 * not change the next one. */
static gboolean
read_generated_at (Compute  *c,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (c->store,
                                       "SELECT max (at) FROM audit_log WHERE table_name IN "
                                       "('manufacturer', 'institution', 'filing', 'dossier', 'design_iteration', "
                                       "'design_confirmation', 'processing_step', 'inspection', 'release', "
                                       "'delivery', 'use_record', 'adverse_event', 'setting')",
                                       error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      c->report->generated_at = column_text (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (c->report->generated_at == NULL)
    c->report->generated_at = g_strdup (NO_TIME);
  return step_done (c->store, stmt, rc, _("Reading the audit trail"), error);
}

static const char FILING_COLUMNS[] =
  "SELECT f.id, f.number, f.status, f.filed_on, f.province_code, f.device_name, f.case_threshold, "
  "i.name_zh, i.practising_licence, i.province_code FROM filing f JOIN institution i ON i.id = f.institution_id ";

static DossierAnnualFiling *
filing_from_row (sqlite3_stmt *stmt)
{
  DossierAnnualFiling *f = filing_new ();

  f->id = sqlite3_column_int64 (stmt, 0);
  f->number = column_text (stmt, 1);
  f->status = column_text (stmt, 2);
  f->filed_on = column_date (stmt, 3);
  f->province_code = column_text (stmt, 4);
  f->device_name = column_text (stmt, 5);
  f->threshold = (guint)CLAMP (sqlite3_column_int64 (stmt, 6), 1, G_MAXUINT);
  f->institution.name = column_text (stmt, 7);
  f->institution.licence = column_text (stmt, 8);
  f->institution.province_code = column_text (stmt, 9);
  return f;
}

static gboolean
read_filings (Compute     *c,
              const char  *number,
              GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Every filing in force at some time of the year: filed by its end; drafts have
   * nothing to report.  A filing asked for by number is reported whatever its
   * state. */
  if (number != NULL)
    sql = g_strconcat (FILING_COLUMNS, "WHERE f.number = ?1", NULL);
  else
    sql = g_strconcat (FILING_COLUMNS,
                       "WHERE f.status <> 'draft' AND (f.filed_on IS NULL OR f.filed_on <= ?2) "
                       "ORDER BY f.number, f.id", NULL);

  if (!(stmt = _dossier_store_prepare (c->store, sql, error)))
    return FALSE;
  if (number != NULL)
    sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, 2, c->to, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (c->report->filings, filing_from_row (stmt));

  if (!step_done (c->store, stmt, rc, _("Reading the filings"), error))
    return FALSE;

  if (number != NULL)
    {
      if (c->report->filings->len == 0)
        {
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                       _("There is no filing with number “%s”."), number);
          return FALSE;
        }
      c->report->scope_filing_id = ((DossierAnnualFiling *)g_ptr_array_index (c->report->filings, 0))->id;
    }
  return TRUE;
}

/* Every customized unit of the filing with the dates of its events.  The outcome of
 * use and a cancellation have no date of their own in the schema: the surgery date
 * when there is one, else the day the trail recorded the outcome or the
 * cancellation. */
static const char UNITS_SQL[] =
  "SELECT d.unit_no, d.status, coalesce (d.ordered_on, substr (d.created_at, 1, 10)), "
  "  i.practising_licence, i.name_zh, i.province_code, "
  "  (SELECT min (confirmed_on) FROM design_confirmation c WHERE c.dossier_id = d.id), "
  "  (SELECT max (substr (ended_at, 1, 10)) FROM processing_step s WHERE s.dossier_id = d.id), "
  "  (SELECT count (*) FROM processing_step s WHERE s.dossier_id = d.id AND s.ended_at IS NULL), "
  "  (SELECT count (*) FROM processing_step s WHERE s.dossier_id = d.id), "
  "  (SELECT count (*) FROM inspection n WHERE n.dossier_id = d.id), "
  "  r.released_at, v.delivered_on, u.outcome, "
  "  coalesce (u.surgery_on, (SELECT max (a.at) FROM audit_log a WHERE a.table_name = 'use_record' "
  "            AND a.row_id = u.id AND (a.action = 'create' OR a.field = 'outcome'))), "
  "  CASE WHEN d.status = 'cancelled' THEN "
  "    coalesce ((SELECT max (a.at) FROM audit_log a WHERE a.table_name = 'dossier' AND a.row_id = d.id "
  "               AND a.field = 'status' AND a.new_value = 'cancelled'), "
  "              (SELECT min (a.at) FROM audit_log a WHERE a.table_name = 'dossier' AND a.row_id = d.id "
  "               AND a.action = 'create')) END "
  "FROM dossier d JOIN institution i ON i.id = d.institution_id "
  "LEFT JOIN release r ON r.dossier_id = d.id "
  "LEFT JOIN delivery v ON v.dossier_id = d.id "
  "LEFT JOIN use_record u ON u.dossier_id = d.id "
  "WHERE d.filing_id = ?1 AND d.kind = 'customized' "
  "ORDER BY d.unit_no";

/* Statuses from which a unit has finished processing. */
static gboolean
past_processing (const char *status,
                 gint64      n_inspections)
{
  static const char * const past[] = { "inspection", "released", "delivered", "used", "closed", NULL };

  if (g_strv_contains (past, status))
    return TRUE;
  /* A cancelled unit was made if it reached inspection before it was called off. */
  return g_str_equal (status, "cancelled") && n_inspections > 0;
}

static DossierAnnualInstitution *
institution_for (DossierAnnualFiling *f,
                 const char          *licence,
                 const char          *name,
                 const char          *province_code)
{
  DossierAnnualInstitution *i;

  for (guint k = 0; k < f->institutions->len; k++)
    {
      i = g_ptr_array_index (f->institutions, k);
      if (g_str_equal (i->licence, licence))
        return i;
    }
  i = g_new0 (DossierAnnualInstitution, 1);
  i->licence = g_strdup (licence);
  i->name = g_strdup (name);
  i->province_code = g_strdup (province_code);
  g_ptr_array_add (f->institutions, i);
  return i;
}

static void
count_unit (const Compute       *c,
            DossierAnnualUnit   *u,
            DossierAnnualCounts *counts,
            gboolean            *any)
{
  gboolean found = FALSE;

#define COUNT(date, field) G_STMT_START { if (in_year (c, (date))) { counts->field++; found = TRUE; } } G_STMT_END
  COUNT (u->ordered_on, ordered);
  COUNT (u->designed_on, designed);
  COUNT (u->produced_on, produced);
  COUNT (u->released_on, released);
  COUNT (u->delivered_on, delivered);
  COUNT (u->cancelled_on, cancelled);
  if (u->outcome != NULL)
    {
      if (g_str_equal (u->outcome, "used"))
        COUNT (u->outcome_on, used);
      else if (g_str_equal (u->outcome, "not-used"))
        COUNT (u->outcome_on, not_used);
      else if (g_str_equal (u->outcome, "returned"))
        COUNT (u->outcome_on, returned);
      else if (g_str_equal (u->outcome, "destroyed"))
        COUNT (u->outcome_on, destroyed);
    }
#undef COUNT

  if (any != NULL)
    *any = found;
}

static int
compare_institutions (gconstpointer a,
                      gconstpointer b)
{
  const DossierAnnualInstitution *ia = *(DossierAnnualInstitution * const *)a;
  const DossierAnnualInstitution *ib = *(DossierAnnualInstitution * const *)b;

  return strcmp (ia->licence, ib->licence);
}

static void
add_counts (DossierAnnualCounts       *sum,
            const DossierAnnualCounts *add)
{
  sum->ordered += add->ordered;
  sum->designed += add->designed;
  sum->produced += add->produced;
  sum->released += add->released;
  sum->delivered += add->delivered;
  sum->used += add->used;
  sum->not_used += add->not_used;
  sum->returned += add->returned;
  sum->destroyed += add->destroyed;
  sum->cancelled += add->cancelled;
  sum->design_changes += add->design_changes;
  sum->adverse_events += add->adverse_events;
}

static gboolean
counts_are_zero (const DossierAnnualCounts *counts)
{
  static const DossierAnnualCounts zero = { 0 };

  return memcmp (counts, &zero, sizeof zero) == 0;
}

static gboolean
read_units (Compute              *c,
            DossierAnnualFiling  *f,
            GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (c->store, UNITS_SQL, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, f->id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierAnnualUnit *u = g_new0 (DossierAnnualUnit, 1);
      DossierAnnualInstitution *inst;
      gint64 n_open = sqlite3_column_int64 (stmt, 8);
      gint64 n_steps = sqlite3_column_int64 (stmt, 9);
      gint64 n_inspections = sqlite3_column_int64 (stmt, 10);
      gboolean any = FALSE;

      u->unit_no = column_text (stmt, 0);
      u->status = column_text (stmt, 1);
      u->ordered_on = column_date (stmt, 2);
      u->institution_licence = column_text (stmt, 3);
      u->designed_on = column_date (stmt, 6);
      if (n_steps > 0 && n_open == 0 && past_processing (u->status, n_inspections))
        u->produced_on = column_date (stmt, 7);
      u->released_on = column_date (stmt, 11);
      u->delivered_on = column_date (stmt, 12);
      u->outcome = column_text (stmt, 13);
      if (u->outcome != NULL)
        u->outcome_on = column_date (stmt, 14);
      u->cancelled_on = column_date (stmt, 15);

      /* Cases against the registration threshold, as of the end of the year. */
      if (!g_str_equal (u->status, "cancelled") && u->ordered_on != NULL && strcmp (u->ordered_on, c->to) <= 0)
        {
          f->cases++;
          if (u->outcome != NULL && g_str_equal (u->outcome, "used") &&
              u->outcome_on != NULL && strcmp (u->outcome_on, c->to) <= 0)
            f->cases_used++;
        }

      inst = institution_for (f, u->institution_licence, (const char *)sqlite3_column_text (stmt, 4),
                              (const char *)sqlite3_column_text (stmt, 5));
      count_unit (c, u, &inst->counts, &any);
      if (any)
        g_ptr_array_add (f->units, u);
      else
        unit_free (u);
    }
  return step_done (c->store, stmt, rc, _("Reading the dossiers"), error);
}

static const char CHANGES_SQL[] =
  "SELECT d.unit_no, i.practising_licence, it.version, it.designed_on, it.designer, it.notes, "
  "  EXISTS (SELECT 1 FROM design_confirmation c JOIN design_iteration ci ON ci.id = c.iteration_id "
  "          WHERE c.dossier_id = d.id AND ci.version < it.version AND c.confirmed_on <= it.designed_on) "
  "FROM design_iteration it JOIN dossier d ON d.id = it.dossier_id "
  "JOIN institution i ON i.id = d.institution_id "
  "WHERE d.filing_id = ?1 AND d.kind = 'customized' AND it.version > 1 "
  "  AND substr (it.designed_on, 1, 10) BETWEEN ?2 AND ?3 "
  "ORDER BY d.unit_no, it.version";

static gboolean
read_design_changes (Compute              *c,
                     DossierAnnualFiling  *f,
                     GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (c->store, CHANGES_SQL, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, f->id);
  sqlite3_bind_text (stmt, 2, c->from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, c->to, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierAnnualDesignChange *d = g_new0 (DossierAnnualDesignChange, 1);

      d->unit_no = column_text (stmt, 0);
      d->institution_licence = column_text (stmt, 1);
      d->version = sqlite3_column_int (stmt, 2);
      d->designed_on = column_date (stmt, 3);
      d->designer = column_text (stmt, 4);
      d->notes = column_text (stmt, 5);
      d->after_confirmation = sqlite3_column_int (stmt, 6) != 0;
      g_ptr_array_add (f->design_changes, d);
    }
  return step_done (c->store, stmt, rc, _("Reading the design versions"), error);
}

static const char EVENTS_SQL[] =
  "SELECT d.unit_no, i.practising_licence, i.name_zh, e.occurred_on, e.reported_on, e.severity, e.description "
  "FROM adverse_event e JOIN dossier d ON d.id = e.dossier_id "
  "JOIN institution i ON i.id = d.institution_id "
  "WHERE d.filing_id = ?1 AND d.kind = 'customized' "
  "  AND substr (e.occurred_on, 1, 10) BETWEEN ?2 AND ?3 "
  "ORDER BY e.occurred_on, d.unit_no, e.id";

static gboolean
read_adverse_events (Compute              *c,
                     DossierAnnualFiling  *f,
                     GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (c->store, EVENTS_SQL, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, f->id);
  sqlite3_bind_text (stmt, 2, c->from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, c->to, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierAnnualAdverseEvent *e = g_new0 (DossierAnnualAdverseEvent, 1);

      e->unit_no = column_text (stmt, 0);
      e->institution_licence = column_text (stmt, 1);
      e->institution_name = column_text (stmt, 2);
      e->occurred_on = column_date (stmt, 3);
      e->reported_on = column_date (stmt, 4);
      e->severity = column_text (stmt, 5);
      e->description = column_text (stmt, 6);
      g_ptr_array_add (f->adverse_events, e);
    }
  return step_done (c->store, stmt, rc, _("Reading the adverse events"), error);
}

static guint
setting_uint (DossierStore *store,
              const char   *key,
              guint         fallback,
              guint         max)
{
  g_autofree char *text = dossier_store_get_setting (store, key);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    return fallback;
  return (guint)value;
}

static gboolean
compute_filing (Compute              *c,
                DossierAnnualFiling  *f,
                guint                 near_percent,
                GError              **error)
{
  if (!read_units (c, f, error) ||
      !read_design_changes (c, f, error) ||
      !read_adverse_events (c, f, error))
    return FALSE;

  /* Design changes and adverse events count for the ordering institution of their
   * unit, which read_units() has already listed. */
  for (guint i = 0; i < f->design_changes->len; i++)
    {
      const DossierAnnualDesignChange *d = g_ptr_array_index (f->design_changes, i);
      institution_for (f, d->institution_licence, NULL, NULL)->counts.design_changes++;
    }
  for (guint i = 0; i < f->adverse_events->len; i++)
    {
      const DossierAnnualAdverseEvent *e = g_ptr_array_index (f->adverse_events, i);
      institution_for (f, e->institution_licence, NULL, NULL)->counts.adverse_events++;
    }

  /* Only institutions with something in the year are listed. */
  for (guint i = f->institutions->len; i > 0; i--)
    {
      const DossierAnnualInstitution *inst = g_ptr_array_index (f->institutions, i - 1);
      if (counts_are_zero (&inst->counts))
        g_ptr_array_remove_index (f->institutions, i - 1);
    }
  g_ptr_array_sort (f->institutions, compare_institutions);
  for (guint i = 0; i < f->institutions->len; i++)
    add_counts (&f->counts, &((DossierAnnualInstitution *)g_ptr_array_index (f->institutions, i))->counts);

  f->near_percent = near_percent;
  if (f->cases >= f->threshold)
    f->threshold_state = DOSSIER_ANNUAL_THRESHOLD_REACHED;
  else if ((guint64)f->cases * 100 >= (guint64)f->threshold * near_percent)
    f->threshold_state = DOSSIER_ANNUAL_THRESHOLD_NEAR;
  else
    f->threshold_state = DOSSIER_ANNUAL_THRESHOLD_BELOW;

  return TRUE;
}

static gboolean
is_timestamp (const char *text)
{
  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$",
                               text, 0, 0);
}

DossierAnnualReport *
dossier_annual_report_compute (DossierStore                      *store,
                               const DossierAnnualReportOptions  *options,
                               GError                           **error)
{
  g_autoptr(DossierAnnualReport) report = NULL;
  Compute c = { 0 };
  guint near_percent;
  gboolean ok;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dossier_annual_report_check_permission (store, error))
    return NULL;

  /* The deadline of the report is in the following year, which must be one too. */
  if (options->year < 1900 || options->year > 9998)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("%d is not a year an annual report can be made for."), options->year);
      return NULL;
    }
  if (options->generated_at != NULL && !is_timestamp (options->generated_at))
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
                   _("“%s” is not a time stamp like 2026-03-02T10:15:03+08:00."), options->generated_at);
      return NULL;
    }

  report = g_new0 (DossierAnnualReport, 1);
  g_atomic_ref_count_init (&report->ref_count);
  report->year = options->year;
  report->period_from = g_strdup_printf ("%04d-01-01", options->year);
  report->period_to = g_strdup_printf ("%04d-12-31", options->year);
  report->scope_filing = g_strdup (options->filing_number);
  report->filings = g_ptr_array_new_with_free_func ((GDestroyNotify)filing_free);

  c.store = store;
  c.report = report;
  c.from = report->period_from;
  c.to = report->period_to;

  near_percent = setting_uint (store, DOSSIER_ANNUAL_REPORT_NEAR_KEY, DOSSIER_ANNUAL_REPORT_DEFAULT_NEAR, 100);

  ok = read_manufacturer (&c, error) &&
       (options->generated_at != NULL || read_generated_at (&c, error)) &&
       read_filings (&c, options->filing_number, error);
  for (guint i = 0; ok && i < report->filings->len; i++)
    ok = compute_filing (&c, g_ptr_array_index (report->filings, i), near_percent, error);
  if (!ok)
    return NULL;

  if (options->generated_at != NULL)
    report->generated_at = g_strdup (options->generated_at);

  /* A cancelled filing stays in the reports of the years it had units in. */
  if (options->filing_number == NULL)
    for (guint i = report->filings->len; i > 0; i--)
      {
        const DossierAnnualFiling *f = g_ptr_array_index (report->filings, i - 1);
        if (g_str_equal (f->status, "cancelled") && counts_are_zero (&f->counts) && f->units->len == 0)
          g_ptr_array_remove_index (report->filings, i - 1);
      }

  for (guint i = 0; i < report->filings->len; i++)
    add_counts (&report->totals, &((DossierAnnualFiling *)g_ptr_array_index (report->filings, i))->counts);

  return g_steal_pointer (&report);
}

/* XML ----------------------------------------------------------------------------- */


static void
w_attr (xmlTextWriterPtr  w,
        const char       *name,
        const char       *value)
{
  g_autofree char *clean = NULL;

  if (value == NULL)
    return;
  clean = dossier_package_clean_text (value);
  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST clean);
}

static void
w_attr_uint (xmlTextWriterPtr  w,
             const char       *name,
             guint64           value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST text);
}

static void
w_text (xmlTextWriterPtr  w,
        const char       *text)
{
  g_autofree char *clean = dossier_package_clean_text (text);

  xmlTextWriterWriteString (w, BAD_CAST clean);
}

static void
w_element (xmlTextWriterPtr  w,
           const char       *name,
           const char       *text)
{
  xmlTextWriterStartElement (w, BAD_CAST name);
  w_text (w, text);
  xmlTextWriterEndElement (w);
}

static void
write_count_attributes (xmlTextWriterPtr           w,
                        const DossierAnnualCounts *n)
{
  w_attr_uint (w, "ordered", n->ordered);
  w_attr_uint (w, "designed", n->designed);
  w_attr_uint (w, "produced", n->produced);
  w_attr_uint (w, "released", n->released);
  w_attr_uint (w, "delivered", n->delivered);
  w_attr_uint (w, "used", n->used);
  w_attr_uint (w, "notUsed", n->not_used);
  w_attr_uint (w, "returned", n->returned);
  w_attr_uint (w, "destroyed", n->destroyed);
  w_attr_uint (w, "cancelled", n->cancelled);
  w_attr_uint (w, "designChanges", n->design_changes);
  w_attr_uint (w, "adverseEvents", n->adverse_events);
}

static void
write_counts (xmlTextWriterPtr           w,
              const DossierAnnualCounts *n)
{
  xmlTextWriterStartElement (w, BAD_CAST "counts");
  write_count_attributes (w, n);
  xmlTextWriterEndElement (w);
}

static void
write_institution (xmlTextWriterPtr                w,
                   const DossierAnnualInstitution *i,
                   gboolean                        with_counts)
{
  xmlTextWriterStartElement (w, BAD_CAST "institution");
  w_attr (w, "licence", i->licence);
  w_attr (w, "province", i->province_code);
  w_element (w, "name", i->name);
  if (with_counts)
    write_counts (w, &i->counts);
  xmlTextWriterEndElement (w);
}

static void
write_filing (xmlTextWriterPtr           w,
              const DossierAnnualFiling *f)
{
  xmlTextWriterStartElement (w, BAD_CAST "filing");
  w_attr (w, "number", f->number);
  w_attr (w, "status", f->status);
  w_attr (w, "filedOn", f->filed_on);
  w_attr (w, "province", f->province_code);

  w_element (w, "deviceName", f->device_name);
  write_institution (w, &f->institution, FALSE);
  write_counts (w, &f->counts);

  xmlTextWriterStartElement (w, BAD_CAST "byInstitution");
  for (guint i = 0; i < f->institutions->len; i++)
    write_institution (w, g_ptr_array_index (f->institutions, i), TRUE);
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "threshold");
  w_attr_uint (w, "threshold", f->threshold);
  w_attr_uint (w, "cases", f->cases);
  w_attr_uint (w, "used", f->cases_used);
  w_attr_uint (w, "nearPercent", f->near_percent);
  w_attr (w, "state", dossier_annual_threshold_state_to_string (f->threshold_state));
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "designChanges");
  w_attr_uint (w, "count", f->design_changes->len);
  {
    guint after = 0;
    for (guint i = 0; i < f->design_changes->len; i++)
      after += ((DossierAnnualDesignChange *)g_ptr_array_index (f->design_changes, i))->after_confirmation;
    w_attr_uint (w, "afterConfirmation", after);
  }
  for (guint i = 0; i < f->design_changes->len; i++)
    {
      const DossierAnnualDesignChange *d = g_ptr_array_index (f->design_changes, i);

      xmlTextWriterStartElement (w, BAD_CAST "change");
      w_attr (w, "unitNo", d->unit_no);
      w_attr_uint (w, "version", (guint64)MAX (d->version, 1));
      w_attr (w, "designedOn", d->designed_on);
      w_attr (w, "designer", d->designer);
      w_attr (w, "afterConfirmation", d->after_confirmation ? "true" : "false");
      if (d->notes != NULL && d->notes[0] != '\0')
        w_element (w, "notes", d->notes);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "adverseEvents");
  w_attr_uint (w, "count", f->adverse_events->len);
  for (guint i = 0; i < f->adverse_events->len; i++)
    {
      const DossierAnnualAdverseEvent *e = g_ptr_array_index (f->adverse_events, i);

      xmlTextWriterStartElement (w, BAD_CAST "event");
      w_attr (w, "unitNo", e->unit_no);
      w_attr (w, "institution", e->institution_name);
      w_attr (w, "occurredOn", e->occurred_on);
      w_attr (w, "reportedOn", e->reported_on);
      w_attr (w, "severity", e->severity);
      w_element (w, "description", e->description);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "units");
  w_attr_uint (w, "count", f->units->len);
  for (guint i = 0; i < f->units->len; i++)
    {
      const DossierAnnualUnit *u = g_ptr_array_index (f->units, i);

      xmlTextWriterStartElement (w, BAD_CAST "unit");
      w_attr (w, "unitNo", u->unit_no);
      w_attr (w, "institution", u->institution_licence);
      w_attr (w, "status", u->status);
      w_attr (w, "orderedOn", u->ordered_on);
      w_attr (w, "designedOn", u->designed_on);
      w_attr (w, "producedOn", u->produced_on);
      w_attr (w, "releasedOn", u->released_on);
      w_attr (w, "deliveredOn", u->delivered_on);
      w_attr (w, "outcome", u->outcome);
      w_attr (w, "outcomeOn", u->outcome_on);
      w_attr (w, "cancelledOn", u->cancelled_on);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);

  xmlTextWriterEndElement (w);
}

static gboolean inject_invalid;

void
dossier_annual_report_set_inject_invalid_for_testing (gboolean inject)
{
  inject_invalid = inject;
}

typedef struct
{
  GString *messages;
  guint    n;
} Collector;

static void
collect_error (void        *data,
               xmlErrorPtr  error)
{
  Collector *c = data;
  g_autofree char *message = NULL;

  if (error == NULL || error->level == XML_ERR_WARNING)
    return;
  if (c->n++ >= MAX_XML_MESSAGES)
    return;
  message = g_strstrip (g_strdup (error->message != NULL ? error->message : "?"));
  g_string_append_printf (c->messages, "\n  %d: %s", error->line, message);
}

static xmlSchemaPtr
get_schema (void)
{
  static xmlSchemaPtr schema;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_autoptr(GBytes) bytes = dossier_package_get_schema (DOSSIER_ANNUAL_REPORT_SCHEMA);

      xmlInitParser ();
      if (bytes != NULL)
        {
          xmlSchemaParserCtxtPtr ctxt = xmlSchemaNewMemParserCtxt (g_bytes_get_data (bytes, NULL),
                                                                   (int)g_bytes_get_size (bytes));
          schema = xmlSchemaParse (ctxt);
          xmlSchemaFreeParserCtxt (ctxt);
        }
      if (schema == NULL)
        g_critical ("The shipped schema %s does not load", DOSSIER_ANNUAL_REPORT_SCHEMA);
      g_once_init_leave (&initialized, 1);
    }
  return schema;
}

/* The document is ours, but it is parsed as carefully as a foreign one: no network,
 * no entities. */
static gboolean
validate (const char  *data,
          gsize        length,
          GError     **error)
{
  g_autoptr(GString) messages = g_string_new (NULL);
  Collector c = { messages, 0 };
  xmlSchemaPtr schema = get_schema ();
  xmlParserCtxtPtr ctxt;
  xmlSchemaValidCtxtPtr vctxt;
  xmlDocPtr doc;
  int rc;

  if (schema == NULL)
    {
      g_set_error_literal (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_INVALID,
                           _("The schema of the annual report is missing from this installation."));
      return FALSE;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    g_error ("Out of memory");
  xmlSetStructuredErrorFunc (&c, collect_error);
  doc = xmlCtxtReadMemory (ctxt, data, (int)length, "annual-report.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA);
  xmlSetStructuredErrorFunc (NULL, NULL);
  xmlFreeParserCtxt (ctxt);

  if (doc != NULL)
    {
      vctxt = xmlSchemaNewValidCtxt (schema);
      xmlSchemaSetValidStructuredErrors (vctxt, collect_error, &c);
      rc = xmlSchemaValidateDoc (vctxt, doc);
      xmlSchemaFreeValidCtxt (vctxt);
      xmlFreeDoc (doc);
    }
  else
    rc = -1;

  if (rc != 0 || messages->len > 0)
    {
      g_set_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_INVALID,
                   _("The annual report would not follow its schema (%s), so it was not written:%s"),
                   DOSSIER_ANNUAL_REPORT_SCHEMA, messages->len > 0 ? messages->str : "");
      return FALSE;
    }
  return TRUE;
}

GBytes *
dossier_annual_report_to_xml (DossierAnnualReport  *report,
                              GError              **error)
{
  xmlBufferPtr buffer;
  xmlTextWriterPtr w;
  GBytes *bytes;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buffer = xmlBufferCreate ();
  w = xmlNewTextWriterMemory (buffer, 0);
  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST "  ");
  xmlTextWriterStartDocument (w, "1.0", "UTF-8", NULL);

  xmlTextWriterStartElementNS (w, NULL, BAD_CAST "annualReport", BAD_CAST DOSSIER_ANNUAL_REPORT_NAMESPACE);
  w_attr (w, "schemaVersion", DOSSIER_ANNUAL_REPORT_SCHEMA_VERSION);
  w_attr_uint (w, "year", (guint64)report->year);

  xmlTextWriterStartElement (w, BAD_CAST "generator");
  w_attr (w, "name", "Dossier");
  w_attr (w, "version", PACKAGE_VERSION);
  xmlTextWriterEndElement (w);
  w_element (w, "generatedAt", report->generated_at);

  xmlTextWriterStartElement (w, BAD_CAST "period");
  w_attr (w, "from", report->period_from);
  w_attr (w, "to", report->period_to);
  xmlTextWriterEndElement (w);

  xmlTextWriterStartElement (w, BAD_CAST "scope");
  w_attr (w, "kind", report->scope_filing != NULL ? "filing" : "all");
  w_attr (w, "filing", report->scope_filing);
  xmlTextWriterEndElement (w);

  if (report->manufacturer_name != NULL)
    {
      xmlTextWriterStartElement (w, BAD_CAST "manufacturer");
      w_attr (w, "uscc", report->manufacturer_uscc);
      if (report->manufacturer_licence != NULL && report->manufacturer_licence[0] != '\0')
        w_attr (w, "productionLicence", report->manufacturer_licence);
      w_element (w, "name", report->manufacturer_name);
      if (report->manufacturer_name_en != NULL && report->manufacturer_name_en[0] != '\0')
        w_element (w, "nameEn", report->manufacturer_name_en);
      xmlTextWriterEndElement (w);
    }

  xmlTextWriterStartElement (w, BAD_CAST "totals");
  write_count_attributes (w, &report->totals);
  w_attr_uint (w, "filings", report->filings->len);
  xmlTextWriterEndElement (w);

  for (guint i = 0; i < report->filings->len; i++)
    write_filing (w, g_ptr_array_index (report->filings, i));

  if (inject_invalid)
    xmlTextWriterWriteElement (w, BAD_CAST "injected", BAD_CAST "not in the schema");

  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);

  if (!validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    {
      g_bytes_unref (bytes);
      return NULL;
    }
  return bytes;
}

/* Writing files ------------------------------------------------------------------- */

/* Writes data to a new file beside out_path and returns its name; the caller renames
 * it into place. */
static char *
write_temporary (const char  *out_path,
                 GBytes      *data,
                 GError     **error)
{
  g_autofree char *tmpl = g_strconcat (out_path, ".partial-XXXXXX", NULL);
  const char *p = g_bytes_get_data (data, NULL);
  gsize left = g_bytes_get_size (data);
  int fd;

  if (g_file_test (out_path, G_FILE_TEST_EXISTS) || g_file_test (out_path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; a report is only written to a new name."), out_path);
      return NULL;
    }

  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), tmpl, g_strerror (errsv));
      return NULL;
    }
  while (left > 0)
    {
      gssize n = write (fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          close (fd);
          g_unlink (tmpl);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not write “%s”: %s"), tmpl, g_strerror (errsv));
          return NULL;
        }
      p += n;
      left -= n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int errsv = errno;
      g_unlink (tmpl);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not write “%s”: %s"), tmpl, g_strerror (errsv));
      return NULL;
    }
  return g_steal_pointer (&tmpl);
}

static gboolean
rename_into_place (const char  *tmp,
                   const char  *out_path,
                   GError     **error)
{
  if (g_rename (tmp, out_path) != 0)
    {
      int errsv = errno;
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not rename “%s” to “%s”: %s"), tmp, out_path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static gboolean
record_run (DossierStore         *store,
            DossierAnnualReport  *report,
            const char           *sha256,
            GError              **error)
{
  const DossierUser *user = dossier_store_get_user (store);
  const char *by = user != NULL ? user->login : dossier_store_get_actor (store);
  g_autofree char *now = _dossier_store_now ();
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _dossier_store_prepare (store,
                                       "INSERT INTO annual_report_run (year, filing_id, generated_at, generated_by, "
                                       "sha256, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, report->year);
  if (report->scope_filing_id != 0)
    sqlite3_bind_int64 (stmt, 2, report->scope_filing_id);
  sqlite3_bind_text (stmt, 3, report->generated_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, by != NULL && *by != '\0' ? by : "unknown", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Recording the annual report"));
  return TRUE;
}

gboolean
dossier_annual_report_write_xml (DossierStore         *store,
                                 DossierAnnualReport  *report,
                                 const char           *out_path,
                                 GError              **error)
{
  g_autoptr(GBytes) xml = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *sha256 = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dossier_annual_report_check_permission (store, error))
    return FALSE;
  if (!(xml = dossier_annual_report_to_xml (report, error)))
    return FALSE;
  if (!(tmp = write_temporary (out_path, xml, error)))
    return FALSE;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, xml);

  /* The run is recorded in the same transaction as the file appears: a report that
   * could not be recorded is not left behind, and a recorded one exists. */
  if (!dossier_store_begin (store, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (!record_run (store, report, sha256, error) ||
      !rename_into_place (tmp, out_path, error))
    {
      dossier_store_rollback (store);
      g_unlink (tmp);
      return FALSE;
    }
  if (!dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      g_unlink (out_path);
      return FALSE;
    }
  return TRUE;
}

gboolean
dossier_annual_report_write_html (DossierAnnualReport  *report,
                                  const char           *out_path,
                                  GError              **error)
{
  g_autoptr(GBytes) html = NULL;
  g_autofree char *tmp = NULL;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  html = dossier_annual_report_to_html (report);
  if (!(tmp = write_temporary (out_path, html, error)))
    return FALSE;
  return rename_into_place (tmp, out_path, error);
}

gboolean
dossier_annual_report_has_run (DossierStore  *store,
                               int            year,
                               gboolean      *has_run,
                               GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (has_run != NULL, FALSE);

  if (!(stmt = _dossier_store_prepare (store, "SELECT EXISTS (SELECT 1 FROM annual_report_run WHERE year = ?1)", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, year);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *has_run = sqlite3_column_int (stmt, 0) != 0;
      rc = SQLITE_DONE;
    }
  return step_done (store, stmt, rc, _("Reading the annual reports"), error);
}

/* Deadline and reminder ------------------------------------------------------------- */

gboolean
dossier_annual_report_parse_deadline (const char  *text,
                                      guint       *month,
                                      guint       *day,
                                      GError     **error)
{
  guint m, d;

  g_return_val_if_fail (month != NULL && day != NULL, FALSE);

  if (text == NULL || strlen (text) != 5 || text[2] != '-' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    goto invalid;

  m = (guint)((text[0] - '0') * 10 + (text[1] - '0'));
  d = (guint)((text[3] - '0') * 10 + (text[4] - '0'));
  /* 2000 is a leap year, so every day that exists in some year is accepted. */
  if (m < 1 || m > 12 || d < 1 || d > g_date_get_days_in_month ((GDateMonth)m, 2000))
    goto invalid;

  *month = m;
  *day = d;
  return TRUE;

invalid:
  g_set_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_SETTING,
               _("“%s” is not a deadline like 01-31 (month and day)."), text != NULL ? text : "");
  return FALSE;
}

void
dossier_annual_report_deadline_for (guint  month,
                                     guint  day,
                                     int    year,
                                     GDate *deadline)
{
  GDateYear due_year;

  g_return_if_fail (deadline != NULL);
  g_return_if_fail (month >= 1 && month <= 12);
  g_return_if_fail (year >= 1 && year < 9999);

  due_year = (GDateYear)(year + 1);
  /* 02-29 in a year without it is the last day of February. */
  day = MIN (day, g_date_get_days_in_month ((GDateMonth)month, due_year));
  g_date_clear (deadline, 1);
  g_date_set_dmy (deadline, (GDateDay)MAX (day, 1), (GDateMonth)month, due_year);
}

void
dossier_annual_report_get_deadline (DossierStore *store,
                                    int           year,
                                    GDate        *deadline)
{
  g_autofree char *text = NULL;
  guint month = 1, day = 31;

  g_return_if_fail (DOSSIER_IS_STORE (store));
  g_return_if_fail (deadline != NULL);

  text = dossier_store_get_setting (store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  if (text != NULL && !dossier_annual_report_parse_deadline (text, &month, &day, NULL))
    {
      g_warning ("The setting %s is “%s”, not a month and day; using %s",
                 DOSSIER_ANNUAL_REPORT_DEADLINE_KEY, text, DOSSIER_ANNUAL_REPORT_DEFAULT_DEADLINE);
      month = 1;
      day = 31;
    }
  dossier_annual_report_deadline_for (month, day, year, deadline);
}

guint
dossier_annual_report_get_reminder_days (DossierStore *store)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), DOSSIER_ANNUAL_REPORT_DEFAULT_REMINDER);

  return setting_uint (store, DOSSIER_ANNUAL_REPORT_REMINDER_KEY, DOSSIER_ANNUAL_REPORT_DEFAULT_REMINDER, 366);
}

/* The deadline and the reminder are regulatory matters: regulatory staff may change
 * them as well as administrators, who keep the other settings. */
static gboolean
set_setting (DossierStore  *store,
             const char    *key,
             const char    *value,
             const char    *reason,
             GError       **error)
{
  gboolean ok;

  if (!dossier_annual_report_check_permission (store, error))
    return FALSE;

  _dossier_auth_begin_privileged (store);
  ok = dossier_store_set_setting (store, key, value, reason, error);
  _dossier_auth_end_privileged (store);
  return ok;
}

gboolean
dossier_annual_report_set_deadline (DossierStore  *store,
                                    const char    *deadline,
                                    const char    *reason,
                                    GError       **error)
{
  guint month, day;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (!dossier_annual_report_parse_deadline (deadline, &month, &day, error))
    return FALSE;
  return set_setting (store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY, deadline, reason, error);
}

gboolean
dossier_annual_report_set_reminder_days (DossierStore  *store,
                                         guint          days,
                                         const char    *reason,
                                         GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  if (days > 366)
    {
      g_set_error (error, DOSSIER_ANNUAL_REPORT_ERROR, DOSSIER_ANNUAL_REPORT_ERROR_SETTING,
                   _("A reminder can start at most 366 days before the deadline, not %u."), days);
      return FALSE;
    }
  text = g_strdup_printf ("%u", days);
  return set_setting (store, DOSSIER_ANNUAL_REPORT_REMINDER_KEY, text, reason, error);
}

gboolean
dossier_annual_report_reminder_due (const GDate *today,
                                    guint        month,
                                    guint        day,
                                    guint        reminder_days,
                                    gboolean     previous_generated,
                                    gboolean     current_generated,
                                    int         *year,
                                    int         *days_left)
{
  int this_year;
  GDate deadline;
  int left;

  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  this_year = g_date_get_year (today);

  /* The previous year's report: due from reminder_days before its deadline until it
   * is generated. */
  dossier_annual_report_deadline_for (month, day, this_year - 1, &deadline);
  left = g_date_days_between (today, &deadline);
  if (!previous_generated && left <= (int)reminder_days)
    {
      if (year != NULL)
        *year = this_year - 1;
      if (days_left != NULL)
        *days_left = left;
      return TRUE;
    }

  /* This year's report, when its deadline (next year) is near already. */
  dossier_annual_report_deadline_for (month, day, this_year, &deadline);
  left = g_date_days_between (today, &deadline);
  if (!current_generated && left <= (int)reminder_days)
    {
      if (year != NULL)
        *year = this_year;
      if (days_left != NULL)
        *days_left = left;
      return TRUE;
    }

  return FALSE;
}

gboolean
dossier_annual_report_reminder (DossierStore *store,
                                const GDate  *today,
                                int          *year,
                                int          *days_left)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint month = 1, day = 31;
  gboolean previous = FALSE, current = FALSE;
  int this_year;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  this_year = g_date_get_year (today);
  text = dossier_store_get_setting (store, DOSSIER_ANNUAL_REPORT_DEADLINE_KEY);
  if (text != NULL && !dossier_annual_report_parse_deadline (text, &month, &day, NULL))
    {
      month = 1;
      day = 31;
    }

  if (!dossier_annual_report_has_run (store, this_year - 1, &previous, &error) ||
      !dossier_annual_report_has_run (store, this_year, &current, &error))
    {
      g_warning ("Could not read the annual reports: %s", error->message);
      return FALSE;
    }

  return dossier_annual_report_reminder_due (today, month, day, dossier_annual_report_get_reminder_days (store),
                                             previous, current, year, days_left);
}

char *
dossier_annual_report_format_date (const GDate *date)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  dt = g_date_time_new_utc (g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), 0, 0, 0);
  /* Translators: a full date as in “31 January 2027”, in strftime() format; in
   * Chinese for example “%Y年%-m月%-d日”. */
  return g_date_time_format (dt, _("%-d %B %Y"));
}

char *
dossier_annual_report_describe_reminder (int          year,
                                         const GDate *deadline,
                                         int          days_left)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (deadline != NULL && g_date_valid (deadline), NULL);

  date = dossier_annual_report_format_date (deadline);
  if (days_left > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The annual report for %d is due on %s (%d day).",
                                         "The annual report for %d is due on %s (%d days).",
                                         days_left),
                            year, date, days_left);
  if (days_left == 0)
    return g_strdup_printf (_("The annual report for %d is due today, %s."), year, date);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The annual report for %d was due on %s (%d day ago).",
                                       "The annual report for %d was due on %s (%d days ago).",
                                       -days_left),
                          year, date, -days_left);
}
