/* dossier-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-check"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-check.h"
#include "dossier-check-private.h"
#include "dossier-envelope.h"
#include "dossier-expression.h"
#include "dossier-schema.h"
#include "dossier-store-private.h"
#include "dossier-units.h"

/* Changing what a check computes from its inputs changes this, so that every stored
 * result is computed again. */
#define CHECK_VERSION "dossier-check-v1"

/* Statuses of units that have been released: their values are the model's experience
 * for the worst-case tier. */
#define RELEASED_STATUSES "'released', 'delivered', 'used', 'closed'"

static const char *status_order[] = {
  "order", "design", "design-review", "design-approved", "processing", "inspection",
  "released", "delivered", "used", "closed", NULL
};

static int
status_rank (const char *status)
{
  for (int i = 0; status != NULL && status_order[i] != NULL; i++)
    if (g_str_equal (status_order[i], status))
      return i;
  return -1; /* cancelled, or unknown */
}

#define RANK_REVIEW 2
#define RANK_APPROVED 3
#define RANK_DELIVERED 7

/* Inputs -------------------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *value;
  char *unit;
  char *category;
} InputValue;

typedef struct
{
  gint64      id;
  char       *unit_no;
  char       *kind;
  char       *status;
  gint64      model_id;
  char       *model_code;
  gint64      filing_id;
  gint64      institution_id;
  gint64      clinician_id;
  gint64      clinician_institution;
  gint64      patient_id;
  char       *birth_year;
  char       *design_requirements;
  char      **order_values;          /* one per Context.order_fields; NULL where empty */
  guint       n_order_values;

  gint64      iteration_id;          /* the latest design version, or 0 */
  int         iteration_version;
  GPtrArray  *values;                /* InputValue, by name */

  char       *confirmed_on;          /* first confirmation of the latest version */
  gint64      confirmation_institution;
  int         last_confirmed_version; /* the newest version confirmed at all */
  gboolean    confirmation_foreign;  /* a confirmation names a design of another unit */
  char       *processing_start;
  gboolean    binding_changed;
} Input;

typedef struct
{
  gint64  id;
  char   *number;
  char   *status;
  gint64  institution_id;
  char   *institution_name;
  gint64  threshold;
  char   *main_materials;
  char   *device_name;
  gint64  cases;
  char   *folded_main_materials;  /* casefolded once for the eligibility terms */
  char   *folded_device_name;
  char   *digest;                 /* of all the above, for the inputs hash */
} Filing;

typedef struct
{
  DossierEnvelope *envelope;
  char            *digest;
  GPtrArray       *expressions;  /* DossierExpression, parallel to the envelope's rules */
  char            *problem;      /* why the envelope cannot be used, or NULL */
  char            *reference;
  GPtrArray       *ranges;       /* DossierCheckParameter templates, parallel to the parameters */
} Compiled;

typedef struct
{
  const DossierUnit *base;        /* of the first value; others must match */
  gboolean           has_numeric;
  DossierDecimal     min;         /* in base */
  DossierDecimal     max;
  GHashTable        *categories;  /* set of options */
  char              *digest;
} Seen;

typedef struct
{
  char           verdict;         /* 'p', 'w', 'e' */
  char           hash[65];
  char           checked_at[40];
} Stored;

typedef struct
{
  DossierStore        *store;
  DossierRuleSet      *rules;
  char                *today;
  const char          *as_status;
  DossierCheckFlags    flags;
  gint64               only;        /* one dossier, or 0 for all */
  gboolean             no_worst_case;

  GPtrArray           *envelopes;   /* DossierEnvelope, effective */
  GHashTable          *compiled;    /* DossierEnvelope * → Compiled */
  GHashTable          *filings;     /* gint64 * → Filing */
  GHashTable          *seen;        /* "model\037name" → Seen */
  GHashTable          *binding;     /* gint64 * set */
  GHashTable          *stored;      /* gint64 * → Stored */
  GChecksum           *checksum;    /* reused for every dossier */
  char                *config_digest; /* the check's version, rules and their settings */
  char                *now;         /* when this run checked */
  GStrv                order_fields;
  GStrv                bad_order_fields;
  GStrv                excluded_terms;
  GStrv                folded_terms;
  char                *dossier_sql;
} Context;

static void
input_value_free (InputValue *v)
{
  g_free (v->name);
  g_free (v->value);
  g_free (v->unit);
  g_free (v->category);
  g_free (v);
}

static void
input_clear (Input *in)
{
  g_free (in->unit_no);
  g_free (in->kind);
  g_free (in->status);
  g_free (in->model_code);
  g_free (in->birth_year);
  g_free (in->design_requirements);
  /* Not g_strfreev(): an empty field is a NULL in the middle. */
  for (guint i = 0; i < in->n_order_values; i++)
    g_free (in->order_values[i]);
  g_free (in->order_values);
  g_clear_pointer (&in->values, g_ptr_array_unref);
  g_free (in->confirmed_on);
  g_free (in->processing_start);
  memset (in, 0, sizeof *in);
}

static void
filing_free (Filing *f)
{
  g_free (f->number);
  g_free (f->status);
  g_free (f->institution_name);
  g_free (f->main_materials);
  g_free (f->device_name);
  g_free (f->folded_main_materials);
  g_free (f->folded_device_name);
  g_free (f->digest);
  g_free (f);
}

static void
compiled_free (Compiled *c)
{
  g_free (c->digest);
  g_clear_pointer (&c->expressions, g_ptr_array_unref);
  g_free (c->problem);
  g_free (c->reference);
  g_clear_pointer (&c->ranges, g_ptr_array_unref);
  g_free (c);
}

static void
seen_free (Seen *s)
{
  g_clear_pointer (&s->categories, g_hash_table_unref);
  g_free (s->digest);
  g_free (s);
}

static void
context_free (Context *ctx)
{
  g_clear_pointer (&ctx->rules, dossier_rule_set_unref);
  g_free (ctx->today);
  g_clear_pointer (&ctx->envelopes, g_ptr_array_unref);
  g_clear_pointer (&ctx->compiled, g_hash_table_unref);
  g_clear_pointer (&ctx->filings, g_hash_table_unref);
  g_clear_pointer (&ctx->seen, g_hash_table_unref);
  g_clear_pointer (&ctx->binding, g_hash_table_unref);
  g_clear_pointer (&ctx->stored, g_hash_table_unref);
  g_clear_pointer (&ctx->checksum, g_checksum_free);
  g_free (ctx->config_digest);
  g_free (ctx->now);
  g_strfreev (ctx->order_fields);
  g_strfreev (ctx->bad_order_fields);
  g_strfreev (ctx->excluded_terms);
  g_strfreev (ctx->folded_terms);
  g_free (ctx->dossier_sql);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Context, context_free)

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static gint64 *
new_id (gint64 id)
{
  gint64 *p = g_new (gint64, 1);
  *p = id;
  return p;
}

/* Runs a prepared statement that reads; binds the one dossier (or model) id to ?1
 * when the statement takes it. */
static sqlite3_stmt *
prepare (Context     *ctx,
         const char  *sql,
         gint64       arg,
         GError     **error)
{
  sqlite3_stmt *stmt = _dossier_store_prepare (ctx->store, sql, error);

  if (stmt != NULL && sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, arg);
  return stmt;
}

static gboolean
finish_reading (Context       *ctx,
                sqlite3_stmt  *stmt,
                int            rc,
                GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _dossier_store_set_error (ctx->store, error, rc, _("Reading the database for the check"));
  return TRUE;
}

/* Context ------------------------------------------------------------------------ */

static char *
today_local (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
load_filings (Context  *ctx,
              GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (ctx,
                  "SELECT f.id, f.number, f.status, f.institution_id, i.name_zh, f.case_threshold, "
                  "f.main_materials, f.device_name, "
                  "(SELECT count (*) FROM dossier x WHERE x.filing_id = f.id AND x.status <> 'cancelled') "
                  "FROM filing f JOIN institution i ON i.id = f.institution_id", 0, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Filing *f = g_new0 (Filing, 1);

      f->id = sqlite3_column_int64 (stmt, 0);
      f->number = column_text (stmt, 1);
      f->status = column_text (stmt, 2);
      f->institution_id = sqlite3_column_int64 (stmt, 3);
      f->institution_name = column_text (stmt, 4);
      f->threshold = sqlite3_column_int64 (stmt, 5);
      f->main_materials = column_text (stmt, 6);
      f->device_name = column_text (stmt, 7);
      f->cases = sqlite3_column_int64 (stmt, 8);
      f->folded_main_materials = g_utf8_casefold (f->main_materials != NULL ? f->main_materials : "", -1);
      f->folded_device_name = g_utf8_casefold (f->device_name != NULL ? f->device_name : "", -1);
      {
        g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);
        g_autofree char *text = g_strdup_printf ("%s\037%s\037%" G_GINT64_FORMAT "\037%s\037%" G_GINT64_FORMAT
                                                 "\037%" G_GINT64_FORMAT "\037%s\037%s",
                                                 f->number != NULL ? f->number : "", f->status, f->institution_id,
                                                 f->institution_name, f->threshold, f->cases,
                                                 f->main_materials != NULL ? f->main_materials : "",
                                                 f->device_name != NULL ? f->device_name : "");
        g_checksum_update (c, (const guchar *)text, -1);
        f->digest = g_strdup (g_checksum_get_string (c));
      }
      g_hash_table_insert (ctx->filings, new_id (f->id), f);
    }
  return finish_reading (ctx, stmt, rc, error);
}

static gboolean
load_binding (Context  *ctx,
              GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The binding trigger makes such an entry impossible; finding one means the
   * database was changed behind the application's back. */
  stmt = prepare (ctx,
                  ctx->only != 0
                    ? "SELECT DISTINCT row_id FROM audit_log INDEXED BY audit_log_binding WHERE table_name = 'dossier' "
                      "AND row_id = ?1 AND action = 'update' AND field IN ('patient_id', 'institution_id')"
                    : "SELECT DISTINCT row_id FROM audit_log INDEXED BY audit_log_binding WHERE table_name = 'dossier' "
                      "AND action = 'update' AND field IN ('patient_id', 'institution_id')",
                  ctx->only, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ctx->binding, new_id (sqlite3_column_int64 (stmt, 0)));
  return finish_reading (ctx, stmt, rc, error);
}

static gboolean
load_stored (Context  *ctx,
             GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (ctx,
                  ctx->only != 0
                    ? "SELECT dossier_id, inputs_hash, verdict, checked_at FROM check_result WHERE dossier_id = ?1"
                    : "SELECT dossier_id, inputs_hash, verdict, checked_at FROM check_result",
                  ctx->only, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Stored *s = g_new0 (Stored, 1);
      const char *hash = (const char *)sqlite3_column_text (stmt, 1);
      const char *verdict = (const char *)sqlite3_column_text (stmt, 2);

      const char *checked_at = (const char *)sqlite3_column_text (stmt, 3);

      g_strlcpy (s->hash, hash != NULL ? hash : "", sizeof s->hash);
      g_strlcpy (s->checked_at, checked_at != NULL ? checked_at : "", sizeof s->checked_at);
      s->verdict = verdict != NULL ? verdict[0] : 'e';
      g_hash_table_insert (ctx->stored, new_id (sqlite3_column_int64 (stmt, 0)), s);
    }
  return finish_reading (ctx, stmt, rc, error);
}

static char *
seen_key (gint64      model_id,
          const char *name)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "\037%s", model_id, name);
}

static void
seen_add (Context    *ctx,
          gint64      model_id,
          const char *name,
          const char *value,
          const char *unit,
          const char *category)
{
  g_autofree char *key = seen_key (model_id, name);
  Seen *s = g_hash_table_lookup (ctx->seen, key);

  if (s == NULL)
    {
      s = g_new0 (Seen, 1);
      s->categories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (ctx->seen, g_steal_pointer (&key), s);
    }

  if (category != NULL)
    {
      if (!g_hash_table_contains (s->categories, category))
        g_hash_table_add (s->categories, g_strdup (category));
      return;
    }

  if (value != NULL)
    {
      const DossierUnit *u = dossier_unit_lookup (unit);
      DossierDecimal d, base;

      /* A released value that cannot be read says nothing about the model. */
      if (u == NULL || !dossier_decimal_try_parse (value, &d))
        return;
      if (s->base == NULL)
        s->base = dossier_unit_get_base (u);
      if (!dossier_unit_convert (&d, u, s->base, &base, NULL, NULL))
        return;
      if (!s->has_numeric)
        {
          s->min = s->max = base;
          s->has_numeric = TRUE;
        }
      else if (dossier_decimal_compare (&base, &s->min) < 0)
        s->min = base;
      else if (dossier_decimal_compare (&base, &s->max) > 0)
        s->max = base;
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
sorted_keys (GHashTable *set)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static gboolean
load_seen (Context  *ctx,
           gint64    model_id,
           GError  **error)
{
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer value;
  int rc;

  /* Released units repeat the same sizes: SQLite hands over each distinct value
   * once, and only those are read as decimals. */
  stmt = prepare (ctx,
                  model_id != 0
                    ? "SELECT d.model_id, pv.name, pv.value, pv.unit, pv.category FROM dossier d "
                      "JOIN design_iteration it ON it.dossier_id = d.id "
                      "AND it.version = (SELECT max (i2.version) FROM design_iteration i2 WHERE i2.dossier_id = d.id) "
                      "JOIN parameter_value pv ON pv.iteration_id = it.id "
                      "WHERE d.model_id = ?1 AND d.status IN (" RELEASED_STATUSES ") "
                      "GROUP BY d.model_id, pv.name, pv.value, pv.unit, pv.category"
                    : "SELECT d.model_id, pv.name, pv.value, pv.unit, pv.category FROM dossier d "
                      "JOIN design_iteration it ON it.dossier_id = d.id "
                      "AND it.version = (SELECT max (i2.version) FROM design_iteration i2 WHERE i2.dossier_id = d.id) "
                      "JOIN parameter_value pv ON pv.iteration_id = it.id "
                      "WHERE d.model_id IS NOT NULL AND d.status IN (" RELEASED_STATUSES ") "
                      "GROUP BY d.model_id, pv.name, pv.value, pv.unit, pv.category",
                  model_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    seen_add (ctx, sqlite3_column_int64 (stmt, 0), (const char *)sqlite3_column_text (stmt, 1),
              (const char *)sqlite3_column_text (stmt, 2), (const char *)sqlite3_column_text (stmt, 3),
              (const char *)sqlite3_column_text (stmt, 4));
  if (!finish_reading (ctx, stmt, rc, error))
    return FALSE;

  /* What the inputs hash takes from the experience: the extremes and the options,
   * not how many units there were. */
  g_hash_table_iter_init (&iter, ctx->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Seen *s = value;
      g_autoptr(GPtrArray) options = sorted_keys (s->categories);
      GString *text = g_string_new (NULL);

      if (s->has_numeric)
        {
          g_autofree char *lo = dossier_decimal_to_string (&s->min);
          g_autofree char *hi = dossier_decimal_to_string (&s->max);
          g_string_append_printf (text, "%s..%s %s", lo, hi, dossier_unit_get_symbol (s->base));
        }
      g_ptr_array_sort (options, compare_strings);
      for (guint i = 0; i < options->len; i++)
        g_string_append_printf (text, "|%zu:%s", strlen (g_ptr_array_index (options, i)),
                                (const char *)g_ptr_array_index (options, i));
      g_free (s->digest);
      s->digest = g_string_free (text, FALSE);
    }

  return TRUE;
}

/* The configured lists of the customized rules. */
static void
load_rule_config (Context *ctx)
{
  const DossierRule *order = dossier_rule_set_lookup (ctx->rules, "CUS-ORDER-COMPLETE");
  const DossierRule *eligibility = dossier_rule_set_lookup (ctx->rules, "CUS-ELIGIBILITY");
  const DossierTable *dossier = dossier_schema_lookup_table ("dossier");
  GStrvBuilder *good = g_strv_builder_new ();
  GStrvBuilder *bad = g_strv_builder_new ();
  GString *sql;

  /* Field names come from data: only columns the schema knows go into SQL text. */
  for (guint i = 0; order->config != NULL && order->config[i] != NULL; i++)
    {
      const DossierColumn *c = dossier_schema_lookup_column (dossier, order->config[i]);

      if (c != NULL && !(c->flags & DOSSIER_COLUMN_GENERATED))
        g_strv_builder_add (good, order->config[i]);
      else
        g_strv_builder_add (bad, order->config[i]);
    }
  ctx->order_fields = g_strv_builder_end (good);
  ctx->bad_order_fields = g_strv_builder_end (bad);
  g_strv_builder_unref (good);
  g_strv_builder_unref (bad);

  ctx->excluded_terms = g_strdupv (eligibility->config);
  ctx->folded_terms = g_new0 (char *, g_strv_length (ctx->excluded_terms) + 1);
  for (guint i = 0; ctx->excluded_terms[i] != NULL; i++)
    ctx->folded_terms[i] = g_utf8_casefold (ctx->excluded_terms[i], -1);

  {
    g_autoptr(GChecksum) c = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (c, (const guchar *)CHECK_VERSION "\n", -1);
    g_checksum_update (c, (const guchar *)dossier_rule_set_get_digest (ctx->rules), -1);
    for (guint i = 0; ctx->excluded_terms[i] != NULL; i++)
      {
        g_checksum_update (c, (const guchar *)"\036", 1);
        g_checksum_update (c, (const guchar *)ctx->excluded_terms[i], -1);
      }
    for (guint i = 0; ctx->bad_order_fields[i] != NULL; i++)
      {
        g_checksum_update (c, (const guchar *)"\037", 1);
        g_checksum_update (c, (const guchar *)ctx->bad_order_fields[i], -1);
      }
    ctx->config_digest = g_strdup (g_checksum_get_string (c));
  }

  sql = g_string_new ("SELECT d.id, d.unit_no, d.kind, d.status, d.model_id, m.code, d.filing_id, "
                      "d.institution_id, d.clinician_id, c.institution_id, d.patient_id, p.birth_year, "
                      "d.design_requirements");
  for (guint i = 0; ctx->order_fields[i] != NULL; i++)
    {
      g_autofree char *quoted = _dossier_quote_identifier (ctx->order_fields[i]);
      g_string_append_printf (sql, ", d.%s", quoted);
    }
  g_string_append (sql, " FROM dossier d JOIN clinician c ON c.id = d.clinician_id "
                        "JOIN patient p ON p.id = d.patient_id "
                        "LEFT JOIN product_model m ON m.id = d.model_id ");
  g_string_append (sql, ctx->only != 0 ? "WHERE d.id = ?1 " : "");
  g_string_append (sql, "ORDER BY d.id");
  ctx->dossier_sql = g_string_free (sql, FALSE);
}

static Context *
context_new (DossierStore               *store,
             const DossierCheckOptions  *options,
             gint64                      only,
             gint64                      only_model,
             GError                    **error)
{
  g_autoptr(Context) ctx = g_new0 (Context, 1);

  ctx->store = store;
  ctx->only = only;
  ctx->today = options != NULL && options->today != NULL ? g_strdup (options->today) : today_local ();
  ctx->as_status = options != NULL ? options->as_status : NULL;
  ctx->flags = options != NULL ? options->flags : DOSSIER_CHECK_DEFAULT;
  ctx->compiled = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)compiled_free);
  ctx->filings = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)filing_free);
  ctx->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)seen_free);
  ctx->binding = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ctx->stored = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  ctx->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  ctx->now = _dossier_store_now ();

  if (!(ctx->rules = dossier_rule_set_load (store, error)))
    return NULL;
  load_rule_config (ctx);

  /* The worst-case tier needs the experience of every released unit of the model,
   * the slowest part of checking one dossier; the gate leaves it out when it cannot
   * block anyway, and then the incomplete result is not kept. */
  if ((ctx->flags & DOSSIER_CHECK_NO_WORST_CASE) &&
      dossier_rule_set_lookup (ctx->rules, "ENV-WORST-CASE")->severity != DOSSIER_SEVERITY_ERROR)
    {
      ctx->no_worst_case = TRUE;
      ctx->flags |= DOSSIER_CHECK_NO_STORE;
    }

  ctx->envelopes = only != 0
    ? (only_model != 0 ? dossier_envelope_list_for_model (store, only_model, error)
                       : g_ptr_array_new_with_free_func (g_object_unref))
    : dossier_envelope_list_effective (store, error);
  if (ctx->envelopes == NULL)
    return NULL;

  if (!load_filings (ctx, error) ||
      !load_binding (ctx, error) ||
      !load_stored (ctx, error) ||
      (!ctx->no_worst_case && (only == 0 || only_model != 0) && !load_seen (ctx, only != 0 ? only_model : 0, error)))
    return NULL;

  return g_steal_pointer (&ctx);
}

/* Compiled envelopes -------------------------------------------------------------- */

static Compiled *
compile (Context         *ctx,
         DossierEnvelope *envelope)
{
  Compiled *c = g_hash_table_lookup (ctx->compiled, envelope);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GStrvBuilder *builder;
  const char *change;

  if (c != NULL)
    return c;

  c = g_new0 (Compiled, 1);
  c->envelope = envelope;
  c->digest = dossier_envelope_get_digest (envelope);
  c->expressions = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_expression_unref);
  change = dossier_envelope_get_change_document (envelope);
  c->reference = *change != '\0'
    ? g_strdup_printf (_("%s, size range version %d from %s (%s)"), dossier_envelope_get_certificate_no (envelope),
                       dossier_envelope_get_version (envelope), dossier_envelope_get_effective_on (envelope), change)
    : g_strdup_printf (_("%s, size range version %d from %s"), dossier_envelope_get_certificate_no (envelope),
                       dossier_envelope_get_version (envelope), dossier_envelope_get_effective_on (envelope));

  /* Stored data is validated again: an envelope written around the editor must not
   * pass silently. */
  if (!dossier_envelope_validate (envelope, &error))
    {
      c->problem = g_strdup (error->message);
      g_hash_table_insert (ctx->compiled, envelope, c);
      return c;
    }

  /* What each report says about the ranges is the same for every unit: made once. */
  c->ranges = g_ptr_array_new_with_free_func ((GDestroyNotify)_dossier_check_parameter_free);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < dossier_envelope_get_n_parameters (envelope); i++)
    {
      const DossierEnvelopeParameter *p = dossier_envelope_get_parameter (envelope, i);

      g_ptr_array_add (c->ranges, _dossier_check_parameter_new_range (p));
      if (p->kind == DOSSIER_PARAMETER_NUMERIC)
        g_strv_builder_add (builder, p->name);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  for (guint i = 0; i < dossier_envelope_get_n_rules (envelope); i++)
    {
      const DossierEnvelopeRule *r = dossier_envelope_get_rule (envelope, i);
      DossierExpression *e = dossier_expression_parse (r->expression, (const char * const *)names, &error);

      if (e == NULL)
        {
          c->problem = g_strdup (error->message);
          break;
        }
      g_ptr_array_add (c->expressions, e);
    }

  g_hash_table_insert (ctx->compiled, envelope, c);
  return c;
}

/* Inputs hash -------------------------------------------------------------------- */

/* Fields go into the checksum length-prefixed, so that no two different inputs
 * serialise alike; no text is formatted on the way, as this runs for every dossier. */
static void
hash_field (GChecksum  *c,
            const char *text)
{
  guint32 length = text != NULL ? (guint32)strlen (text) : G_MAXUINT32;

  g_checksum_update (c, (const guchar *)&length, sizeof length);
  if (text != NULL)
    g_checksum_update (c, (const guchar *)text, length);
}

static void
hash_int (GChecksum *c,
          gint64     value)
{
  g_checksum_update (c, (const guchar *)&value, sizeof value);
}

static InputValue *
find_value (Input      *in,
            const char *name)
{
  for (guint i = 0; in->values != NULL && i < in->values->len; i++)
    {
      InputValue *v = g_ptr_array_index (in->values, i);
      if (g_str_equal (v->name, name))
        return v;
    }
  return NULL;
}

/* Everything the result depends on, in one canonical serialisation: the check's
 * version, the rule catalogue, the dossier as the rules see it, the envelope in force,
 * the filing, and the model's released experience for each value. */
static void
compute_hash (Context    *ctx,
              Input      *in,
              const char *status,
              const char *reference_date,
              Compiled   *compiled,
              char        out[65])
{
  GChecksum *s = ctx->checksum;
  Filing *filing = in->filing_id != 0 ? g_hash_table_lookup (ctx->filings, &in->filing_id) : NULL;

  g_checksum_reset (s);
  hash_field (s, ctx->config_digest);
  hash_int (s, in->id);
  hash_field (s, in->unit_no);
  hash_field (s, in->kind);
  hash_field (s, status);
  hash_field (s, reference_date);
  hash_int (s, in->model_id);
  hash_field (s, in->model_code);
  hash_int (s, in->filing_id);
  hash_int (s, in->institution_id);
  hash_int (s, in->clinician_id);
  hash_int (s, in->clinician_institution);
  hash_int (s, in->patient_id);
  hash_field (s, in->birth_year);
  /* The order's texts matter to customized units only, and only whether they are
   * filled in; the design requirements are read for the eligibility terms. */
  if (g_strcmp0 (in->kind, "customized") == 0)
    {
      hash_field (s, in->design_requirements);
      for (guint i = 0; ctx->order_fields[i] != NULL; i++)
        {
          const char *v = in->order_values[i];
          gboolean empty = v == NULL || v[strspn (v, " \t\r\n")] == '\0';

          hash_field (s, ctx->order_fields[i]);
          hash_int (s, empty);
        }
    }

  hash_int (s, in->iteration_id);
  hash_int (s, in->iteration_version);
  hash_int (s, in->values != NULL ? in->values->len : 0);
  for (guint i = 0; in->values != NULL && i < in->values->len; i++)
    {
      InputValue *v = g_ptr_array_index (in->values, i);
      Seen *seen = NULL;

      if (in->model_id != 0)
        {
          g_autofree char *key = seen_key (in->model_id, v->name);
          seen = g_hash_table_lookup (ctx->seen, key);
        }
      hash_field (s, v->name);
      hash_field (s, v->value);
      hash_field (s, v->unit);
      hash_field (s, v->category);
      hash_field (s, seen != NULL ? seen->digest : NULL);
    }

  hash_field (s, in->confirmed_on);
  hash_int (s, in->confirmation_institution);
  hash_int (s, in->last_confirmed_version);
  hash_int (s, in->confirmation_foreign);
  hash_field (s, in->processing_start);
  hash_int (s, in->binding_changed);

  hash_field (s, compiled != NULL ? compiled->digest : NULL);
  hash_field (s, filing != NULL ? filing->digest : NULL);

  g_strlcpy (out, g_checksum_get_string (s), 65);
}

/* Evaluation: patient-matched ----------------------------------------------------- */

static void
arg (GHashTable *args,
     const char *name,
     const char *value)
{
  g_hash_table_insert (args, g_strdup (name), g_strdup (value != NULL ? value : ""));
}

/* How a unit follows a number: "%" and degrees sit on it, others after a space. */
static char *
unit_suffix (const char *unit)
{
  if (unit == NULL || *unit == '\0')
    return g_strdup ("");
  if (g_str_equal (unit, "°") || g_str_equal (unit, "%") || g_str_equal (unit, "′") || g_str_equal (unit, "″"))
    return g_strdup (unit);
  return g_strconcat (" ", unit, NULL);
}

static char *
with_unit (const DossierDecimal *value,
           const char           *unit)
{
  g_autofree char *number = dossier_decimal_to_display (value);

  if (unit == NULL || *unit == '\0')
    return g_steal_pointer (&number);
  if (g_str_equal (unit, "°") || g_str_equal (unit, "%") || g_str_equal (unit, "′") || g_str_equal (unit, "″"))
    return g_strconcat (number, unit, NULL);
  return g_strconcat (number, " ", unit, NULL);
}

typedef struct
{
  gboolean        usable;     /* a number in the range's unit */
  gboolean        conforms;   /* inside the range and on the grid */
  DossierDecimal  value;      /* in the range's unit, at its resolution */
} Evaluated;

static DossierCheckFinding *
parameter_finding (DossierCheckReport *report,
                   const char         *rule,
                   const char         *name,
                   InputValue         *v,
                   const char         *limits,
                   GHashTable         *args)
{
  DossierCheckFinding *f;

  if (v != NULL)
    {
      if (!g_hash_table_contains (args, "value"))
        arg (args, "value", v->value != NULL ? v->value : v->category);
      if (!g_hash_table_contains (args, "unit"))
        g_hash_table_insert (args, g_strdup ("unit"), unit_suffix (v->unit));
    }
  if (limits != NULL && !g_hash_table_contains (args, "limits"))
    arg (args, "limits", limits);

  f = _dossier_check_report_add_finding (report, rule, name, args);
  if (v != NULL)
    {
      f->value = g_strdup (v->value != NULL ? v->value : v->category);
      f->unit = g_strdup (v->unit);
    }
  f->limits = g_strdup (limits);
  return f;
}

static Evaluated
evaluate_numeric (DossierCheckReport             *report,
                  DossierCheckParameter          *cp,
                  const DossierEnvelopeParameter *p,
                  InputValue                     *v,
                  const char                     *reference)
{
  Evaluated result = { FALSE, FALSE, { 0 } };
  g_autoptr(GError) error = NULL;
  const DossierUnit *unit;
  DossierDecimal x;
  gboolean below, above;
  DossierCheckFinding *f;

  if (v->value == NULL)
    {
      GHashTable *args = _dossier_check_args_new ();
      g_autofree char *problem = g_strdup_printf (_("a number is expected, not the option “%s”"), v->category);

      arg (args, "problem", problem);
      f = parameter_finding (report, "ENV-VALUE", p->name, v, cp->limits, args);
      f->reference = g_strdup (reference);
      return result;
    }

  if (!dossier_decimal_parse (v->value, &x, &error))
    {
      GHashTable *args = _dossier_check_args_new ();

      arg (args, "problem", error->message);
      f = parameter_finding (report, "ENV-VALUE", p->name, v, cp->limits, args);
      f->reference = g_strdup (reference);
      return result;
    }

  unit = dossier_unit_parse (v->unit, &error);
  if (unit != NULL && (v->unit == NULL || *v->unit == '\0') && *p->unit != '\0')
    {
      g_set_error (&error, DOSSIER_UNIT_ERROR, DOSSIER_UNIT_ERROR_MISSING,
                   _("no unit is given; the registered range is in %s"), p->unit);
      unit = NULL;
    }
  if (unit != NULL)
    {
      gboolean exact = TRUE;

      if (!dossier_unit_convert (&x, unit, p->unit_info, &x, &exact, &error))
        unit = NULL;
      else if (unit != p->unit_info)
        {
          g_free (cp->converted);
          cp->converted = with_unit (&x, p->unit);
        }
    }
  if (unit == NULL)
    {
      GHashTable *args = _dossier_check_args_new ();

      arg (args, "problem", error->message);
      f = parameter_finding (report, "ENV-UNIT", p->name, v, cp->limits, args);
      f->reference = g_strdup (reference);
      return result;
    }

  /* At the registered resolution, a reading's last-digit noise does not count. */
  if (p->has_resolution)
    {
      dossier_decimal_quantize (&x, &p->resolution_value, DOSSIER_ROUND_HALF_UP, &x);
      g_free (cp->converted);
      cp->converted = with_unit (&x, p->unit);
    }

  result.usable = TRUE;
  result.value = x;

  below = p->has_min && (p->min_inclusive ? dossier_decimal_compare (&x, &p->min_value) < 0
                                          : dossier_decimal_compare (&x, &p->min_value) <= 0);
  above = p->has_max && (p->max_inclusive ? dossier_decimal_compare (&x, &p->max_value) > 0
                                          : dossier_decimal_compare (&x, &p->max_value) >= 0);

  /* Margin to the nearest limit, negative outside. */
  {
    DossierDecimal m = { 0 }, m2;
    gboolean has = FALSE;

    if (p->has_min)
      {
        dossier_decimal_subtract (&x, &p->min_value, &m);
        has = TRUE;
      }
    if (p->has_max)
      {
        dossier_decimal_subtract (&p->max_value, &x, &m2);
        if (!has || dossier_decimal_compare (&m2, &m) < 0)
          m = m2;
        has = TRUE;
      }
    if (has)
      cp->margin = dossier_decimal_to_string (&m);
  }

  if (below || above)
    {
      GHashTable *args = _dossier_check_args_new ();

      if (cp->converted != NULL)
        {
          g_autofree char *suffix = unit_suffix (v->unit);
          g_autofree char *shown = g_strdup_printf ("%s (= %s)", suffix, cp->converted);
          arg (args, "unit", shown);
        }
      f = parameter_finding (report, "ENV-RANGE", p->name, v, cp->limits, args);
      f->margin = g_strdup (cp->margin);
      f->reference = g_strdup (reference);
      return result;
    }

  if (p->has_step)
    {
      DossierDecimal offset;

      dossier_decimal_subtract (&x, &p->min_value, &offset);
      if (dossier_decimal_is_multiple (&offset, &p->step_value))
        cp->step_conformity = DOSSIER_STEP_ON_GRID;
      else
        {
          GHashTable *args = _dossier_check_args_new ();
          g_autofree char *grid = dossier_envelope_parameter_describe_grid (p);
          g_autofree char *lower = NULL;
          g_autofree char *upper = NULL;
          DossierDecimal n, lo, hi;

          cp->step_conformity = DOSSIER_STEP_OFF_GRID;
          dossier_decimal_quantize (&offset, &p->step_value, DOSSIER_ROUND_FLOOR, &n);
          dossier_decimal_add (&p->min_value, &n, &lo);
          dossier_decimal_add (&lo, &p->step_value, &hi);
          lower = with_unit (&lo, p->unit);
          upper = p->has_max && dossier_decimal_compare (&hi, &p->max_value) > 0 ? g_strdup ("—") : with_unit (&hi, p->unit);
          arg (args, "grid", grid);
          arg (args, "below", lower);
          arg (args, "above", upper);
          f = parameter_finding (report, "ENV-STEP", p->name, v, cp->limits, args);
          f->step = DOSSIER_STEP_OFF_GRID;
          f->margin = g_strdup (cp->margin);
          f->reference = g_strdup (reference);
          return result;
        }
    }

  result.conforms = TRUE;

  if (p->has_tolerance && dossier_decimal_sign (&p->tolerance_value) > 0)
    {
      DossierDecimal lo, hi;
      gboolean out;

      dossier_decimal_subtract (&x, &p->tolerance_value, &lo);
      dossier_decimal_add (&x, &p->tolerance_value, &hi);
      out = (p->has_min && (p->min_inclusive ? dossier_decimal_compare (&lo, &p->min_value) < 0
                                             : dossier_decimal_compare (&lo, &p->min_value) <= 0)) ||
            (p->has_max && (p->max_inclusive ? dossier_decimal_compare (&hi, &p->max_value) > 0
                                             : dossier_decimal_compare (&hi, &p->max_value) >= 0));
      if (out)
        {
          GHashTable *args = _dossier_check_args_new ();
          g_autofree char *tol = dossier_decimal_to_string (&p->tolerance_value);

          arg (args, "tolerance", tol);
          g_hash_table_insert (args, g_strdup ("range_unit"), unit_suffix (p->unit));
          f = parameter_finding (report, "ENV-TOLERANCE", p->name, v, cp->limits, args);
          f->margin = g_strdup (cp->margin);
          f->reference = g_strdup (reference);
        }
    }

  return result;
}

static gboolean
evaluate_categorical (DossierCheckReport             *report,
                      DossierCheckParameter          *cp,
                      const DossierEnvelopeParameter *p,
                      InputValue                     *v,
                      const char                     *reference)
{
  DossierCheckFinding *f;
  GHashTable *args;

  if (v->category != NULL)
    for (guint i = 0; i < p->categories->len; i++)
      if (g_str_equal (g_ptr_array_index (p->categories, i), v->category))
        return TRUE;

  args = _dossier_check_args_new ();
  arg (args, "allowed", cp->limits);
  f = parameter_finding (report, "ENV-CATEGORY", p->name, v, cp->limits, args);
  f->reference = g_strdup (reference);
  return FALSE;
}

static void
check_worst_case (Context                        *ctx,
                  DossierCheckReport             *report,
                  Input                          *in,
                  const DossierEnvelopeParameter *p,
                  InputValue                     *v,
                  const Evaluated                *e)
{
  g_autofree char *key = seen_key (in->model_id, p->name);
  Seen *s = g_hash_table_lookup (ctx->seen, key);
  g_autofree char *seen_text = NULL;
  gboolean outside;
  GHashTable *args;

  if (p->kind == DOSSIER_PARAMETER_CATEGORICAL)
    {
      outside = s == NULL || !g_hash_table_contains (s->categories, v->category);
      if (outside && s != NULL && g_hash_table_size (s->categories) > 0)
        {
          g_autoptr(GPtrArray) options = sorted_keys (s->categories);
          g_ptr_array_sort (options, compare_strings);
          g_ptr_array_add (options, NULL);
          {
            g_autofree char *joined = g_strjoinv (" | ", (char **)options->pdata);
            seen_text = g_strdup_printf ("{%s}", joined);
          }
        }
    }
  else
    {
      DossierDecimal lo, hi, base;
      gboolean comparable;

      if (!e->usable)
        return;
      comparable = s != NULL && s->has_numeric && dossier_unit_is_compatible (s->base, p->unit_info) &&
                   dossier_unit_convert (&e->value, p->unit_info, s->base, &base, NULL, NULL);
      outside = !comparable ||
                dossier_decimal_compare (&base, &s->min) < 0 || dossier_decimal_compare (&base, &s->max) > 0;
      /* The range seen is written out only for the warning. */
      if (outside && comparable)
        {
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          dossier_unit_convert (&s->min, s->base, p->unit_info, &lo, NULL, NULL);
          dossier_unit_convert (&s->max, s->base, p->unit_info, &hi, NULL, NULL);
          a = dossier_decimal_to_display (&lo);
          b = with_unit (&hi, p->unit);
          seen_text = g_strdup_printf ("%s – %s", a, b);
        }
    }

  if (!outside)
    return;

  args = _dossier_check_args_new ();
  arg (args, "seen", seen_text != NULL ? seen_text : "—");
  parameter_finding (report, "ENV-WORST-CASE", p->name, v, NULL, args);
}

static void
check_dependencies (DossierCheckReport *report,
                    Compiled           *compiled,
                    GHashTable         *usable)
{
  DossierEnvelope *envelope = compiled->envelope;

  for (guint i = 0; i < compiled->expressions->len; i++)
    {
      DossierExpression *e = g_ptr_array_index (compiled->expressions, i);
      const DossierEnvelopeRule *rule = dossier_envelope_get_rule (envelope, i);
      const char * const *names = dossier_expression_get_names (e);
      g_autofree DossierDecimal *values = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) shown = g_string_new (NULL);
      g_autofree char *canonical = NULL;
      gboolean holds = FALSE;
      gboolean complete = TRUE;
      guint n = g_strv_length ((char **)names);
      DossierCheckFinding *f;
      GHashTable *args;

      values = g_new0 (DossierDecimal, MAX (n, 1));
      for (guint k = 0; k < n && complete; k++)
        {
          const DossierDecimal *d = g_hash_table_lookup (usable, names[k]);
          const DossierEnvelopeParameter *p = dossier_envelope_lookup_parameter (envelope, names[k]);
          g_autofree char *text = NULL;

          /* A value that is missing or unreadable is reported on its own. */
          if (d == NULL)
            {
              complete = FALSE;
              break;
            }
          values[k] = *d;
          text = with_unit (d, p != NULL ? p->unit : NULL);
          g_string_append_printf (shown, "%s%s = %s", k > 0 ? ", " : "", names[k], text);
        }

      if (!complete || (dossier_expression_evaluate (e, values, &holds, &error) && holds))
        continue;

      args = _dossier_check_args_new ();
      canonical = dossier_expression_to_string (e);
      arg (args, "expression", canonical);
      arg (args, "values", error != NULL ? error->message : shown->str);
      arg (args, "description_en", rule->description_en);
      arg (args, "description_zh", rule->description_zh);
      f = _dossier_check_report_add_finding (report, "ENV-DEPENDENCY", NULL, args);
      f->related = g_strdupv ((char **)names);
      f->reference = g_strdup (compiled->reference);
      if (rule->source != NULL && *rule->source != '\0')
        {
          g_autofree char *with_source = g_strdup_printf ("%s; %s", compiled->reference, rule->source);
          g_free (f->reference);
          f->reference = g_steal_pointer (&with_source);
        }
    }
}

static void
evaluate_patient_matched (Context            *ctx,
                          DossierCheckReport *report,
                          Input              *in,
                          const char         *status,
                          const char         *reference_date,
                          Compiled           *compiled)
{
  g_autoptr(GHashTable) usable = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  DossierEnvelope *envelope;
  GHashTable *args;
  DossierCheckFinding *f;

  if (compiled == NULL)
    {
      args = _dossier_check_args_new ();
      arg (args, "model", in->model_code);
      arg (args, "date", reference_date);
      _dossier_check_report_add_finding (report, "ENV-NO-ENVELOPE", NULL, args);
      for (guint i = 0; in->values != NULL && i < in->values->len; i++)
        {
          InputValue *v = g_ptr_array_index (in->values, i);
          DossierCheckParameter *cp = _dossier_check_report_add_parameter (report, v->name);

          cp->value = g_strdup (v->value != NULL ? v->value : v->category);
          cp->unit = g_strdup (v->unit);
        }
      return;
    }

  envelope = compiled->envelope;
  _dossier_check_report_set_envelope (report, dossier_envelope_get_id (envelope), dossier_envelope_get_version (envelope));

  if (compiled->problem != NULL)
    {
      g_autofree char *version = g_strdup_printf ("%d", dossier_envelope_get_version (envelope));

      args = _dossier_check_args_new ();
      arg (args, "model", in->model_code);
      arg (args, "version", version);
      arg (args, "problem", compiled->problem);
      f = _dossier_check_report_add_finding (report, "ENV-ENVELOPE-INVALID", NULL, args);
      f->reference = g_strdup (compiled->reference);
      return;
    }

  for (guint i = 0; i < dossier_envelope_get_n_parameters (envelope); i++)
    _dossier_check_parameter_copy_range (_dossier_check_report_add_parameter (report, dossier_envelope_get_parameter (envelope, i)->name),
                                         g_ptr_array_index (compiled->ranges, i));

  if (in->values == NULL || in->values->len == 0)
    {
      /* Before the design is up for review (or once the order is cancelled), no design
       * yet is the normal state. */
      f = _dossier_check_report_add_finding (report,
                                             status_rank (status) < RANK_REVIEW
                                               ? "ENV-DESIGN-PENDING" : "ENV-NO-DESIGN",
                                             NULL, NULL);
      f->reference = g_strdup (compiled->reference);
      return;
    }

  for (guint i = 0; i < dossier_envelope_get_n_parameters (envelope); i++)
    {
      const DossierEnvelopeParameter *p = dossier_envelope_get_parameter (envelope, i);
      DossierCheckParameter *cp = _dossier_check_report_add_parameter (report, p->name);
      InputValue *v = find_value (in, p->name);
      Evaluated e = { FALSE, FALSE, { 0 } };

      if (v == NULL)
        {
          f = parameter_finding (report, "ENV-MISSING", p->name, NULL, cp->limits, _dossier_check_args_new ());
          f->reference = g_strdup (compiled->reference);
          continue;
        }

      cp->value = g_strdup (v->value != NULL ? v->value : v->category);
      cp->unit = g_strdup (v->unit);

      if (p->kind == DOSSIER_PARAMETER_NUMERIC)
        {
          e = evaluate_numeric (report, cp, p, v, compiled->reference);
          if (e.usable)
            g_hash_table_insert (usable, p->name, g_memdup2 (&e.value, sizeof e.value));
        }
      else
        e.conforms = evaluate_categorical (report, cp, p, v, compiled->reference);

      /* Out of the registered range is an error already; the softer tier is for
       * values that are registered but new to the model's released units. */
      if (e.conforms && !ctx->no_worst_case)
        check_worst_case (ctx, report, in, p, v, &e);
    }

  for (guint i = 0; i < in->values->len; i++)
    {
      InputValue *v = g_ptr_array_index (in->values, i);
      DossierCheckParameter *cp;

      if (dossier_envelope_lookup_parameter (envelope, v->name) != NULL)
        continue;
      cp = _dossier_check_report_add_parameter (report, v->name);
      cp->value = g_strdup (v->value != NULL ? v->value : v->category);
      cp->unit = g_strdup (v->unit);
      args = _dossier_check_args_new ();
      arg (args, "model", in->model_code);
      f = parameter_finding (report, "ENV-UNKNOWN", v->name, v, NULL, args);
      f->reference = g_strdup (compiled->reference);
    }

  check_dependencies (report, compiled, usable);
}

/* Evaluation: customized ---------------------------------------------------------- */

static gboolean
is_word_char (gunichar c)
{
  return c < 128 && (g_ascii_isalnum (c) || c == '_');
}

/* Whether text mentions term: case-insensitive, whole words for Latin script (so that
 * "cell" does not match "cancellous"), anywhere for Chinese. */
static gboolean
mentions (const char *folded_text,
          const char *folded)
{
  gboolean latin = TRUE;
  const char *p = folded_text;

  for (const char *t = folded; *t; t++)
    if ((guchar)*t >= 128)
      latin = FALSE;

  while ((p = strstr (p, folded)) != NULL)
    {
      const char *end = p + strlen (folded);

      if (!latin)
        return TRUE;
      if ((p == folded_text || !is_word_char (g_utf8_get_char (g_utf8_prev_char (p)))) &&
          (*end == '\0' || !is_word_char (g_utf8_get_char (end))))
        return TRUE;
      p = g_utf8_next_char (p);
    }
  return FALSE;
}

static void
check_eligibility (Context            *ctx,
                   DossierCheckReport *report,
                   Input              *in,
                   Filing             *filing)
{
  g_autofree char *folded_requirements = g_utf8_casefold (in->design_requirements != NULL ? in->design_requirements : "", -1);
  const struct { const char *table; const char *column; const char *folded; } texts[] = {
    { "filing", "device_name", filing != NULL ? filing->folded_device_name : NULL },
    { "filing", "main_materials", filing != NULL ? filing->folded_main_materials : NULL },
    { "dossier", "design_requirements", folded_requirements },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *folded = texts[i].folded;

      if (folded == NULL || *folded == '\0')
        continue;
      for (guint t = 0; ctx->excluded_terms[t] != NULL; t++)
        if (mentions (folded, ctx->folded_terms[t]))
          {
            GHashTable *args = _dossier_check_args_new ();
            DossierCheckFinding *f;

            arg (args, "term", ctx->excluded_terms[t]);
            arg (args, "field", dossier_schema_column_label (texts[i].table, texts[i].column));
            f = _dossier_check_report_add_finding (report, "CUS-ELIGIBILITY", NULL, args);
            f->reference = g_strdup (filing != NULL ? filing->number : NULL);
            break; /* one finding per text is enough to act on */
          }
    }
}

static void
evaluate_customized (Context            *ctx,
                     DossierCheckReport *report,
                     Input              *in,
                     const char         *status)
{
  Filing *filing = in->filing_id != 0 ? g_hash_table_lookup (ctx->filings, &in->filing_id) : NULL;
  g_autofree char *filing_name = NULL;
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) binding = g_ptr_array_new_with_free_func (g_free);
  gboolean approved = status_rank (status) >= RANK_APPROVED || in->processing_start != NULL;
  DossierCheckFinding *f;
  GHashTable *args;

  filing_name = filing != NULL && filing->number != NULL
    ? g_strdup (filing->number)
    : g_strdup_printf (_("no. %" PRId64 " (draft)"), in->filing_id);

  /* The values entered are shown, though no size range applies. */
  for (guint i = 0; in->values != NULL && i < in->values->len; i++)
    {
      InputValue *v = g_ptr_array_index (in->values, i);
      DossierCheckParameter *cp = _dossier_check_report_add_parameter (report, v->name);

      cp->value = g_strdup (v->value != NULL ? v->value : v->category);
      cp->unit = g_strdup (v->unit);
    }

  check_eligibility (ctx, report, in, filing);

  if (filing == NULL || (!g_str_equal (filing->status, "filed") && !g_str_equal (filing->status, "changed")))
    {
      args = _dossier_check_args_new ();
      arg (args, "filing", filing_name);
      arg (args, "status", filing != NULL ? filing->status : "?");
      f = _dossier_check_report_add_finding (report, "CUS-FILING-ACTIVE", NULL, args);
      f->reference = g_strdup (filing_name);
    }

  if (filing != NULL && filing->institution_id != in->institution_id)
    {
      args = _dossier_check_args_new ();
      arg (args, "filing", filing_name);
      arg (args, "partner", filing->institution_name);
      f = _dossier_check_report_add_finding (report, "CUS-PARTNER", NULL, args);
      f->reference = g_strdup (filing_name);
    }

  for (guint i = 0; ctx->order_fields[i] != NULL; i++)
    {
      g_autofree char *copy = g_strdup (in->order_values[i] != NULL ? in->order_values[i] : "");
      gboolean empty = *g_strstrip (copy) == '\0';

      /* The patient's age may come from the birth year. */
      if (empty && g_str_equal (ctx->order_fields[i], "patient_age") && in->birth_year != NULL)
        empty = FALSE;
      if (empty)
        g_ptr_array_add (missing, ctx->order_fields[i]);
    }
  for (guint i = 0; ctx->bad_order_fields[i] != NULL; i++)
    g_ptr_array_add (missing, ctx->bad_order_fields[i]);
  if (missing->len > 0)
    {
      g_autofree char *fields = NULL;

      g_ptr_array_add (missing, NULL);
      fields = g_strjoinv (",", (char **)missing->pdata);
      args = _dossier_check_args_new ();
      arg (args, "fields", fields);
      f = _dossier_check_report_add_finding (report, "CUS-ORDER-COMPLETE", NULL, args);
      f->reference = g_strdup (filing_name);
    }

  if (approved && (in->iteration_id == 0 || in->confirmed_on == NULL))
    {
      g_autofree char *version = in->iteration_id != 0 ? g_strdup_printf ("%d", in->iteration_version) : g_strdup ("—");
      g_autofree char *confirmed = in->iteration_id == 0
        ? g_strdup (_("no design is recorded"))
        : in->last_confirmed_version > 0
          ? g_strdup_printf (_("the last confirmation covers version %d"), in->last_confirmed_version)
          : g_strdup (_("no confirmation is recorded"));

      args = _dossier_check_args_new ();
      arg (args, "version", version);
      arg (args, "confirmed", confirmed);
      _dossier_check_report_add_finding (report, "CUS-DESIGN-CONFIRMED", NULL, args);
    }

  if (in->confirmed_on != NULL && in->processing_start != NULL &&
      strncmp (in->processing_start, in->confirmed_on, 10) < 0)
    {
      g_autofree char *started = g_strndup (in->processing_start, 10);

      args = _dossier_check_args_new ();
      arg (args, "started", started);
      arg (args, "confirmed", in->confirmed_on);
      _dossier_check_report_add_finding (report, "CUS-DESIGN-BEFORE-PROCESSING", NULL, args);
    }

  if (in->binding_changed)
    g_ptr_array_add (binding, g_strdup (_("the audit trail shows that its patient or institution was changed")));
  if (in->clinician_institution != in->institution_id)
    g_ptr_array_add (binding, g_strdup (_("the ordering clinician does not work at the ordering institution")));
  if (in->confirmed_on != NULL && in->confirmation_institution != in->institution_id)
    g_ptr_array_add (binding, g_strdup (_("the confirming clinician does not work at the ordering institution")));
  if (in->confirmation_foreign)
    g_ptr_array_add (binding, g_strdup (_("a design confirmation refers to a design of another unit")));
  if (binding->len > 0)
    {
      g_autofree char *problem = NULL;

      g_ptr_array_add (binding, NULL);
      problem = g_strjoinv ("; ", (char **)binding->pdata);
      args = _dossier_check_args_new ();
      arg (args, "problem", problem);
      f = _dossier_check_report_add_finding (report, "CUS-BINDING", NULL, args);
      f->reference = g_strdup (filing_name);
    }

  if (filing != NULL && filing->threshold > 0 && filing->cases >= filing->threshold)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, filing->cases);
      g_autofree char *threshold = g_strdup_printf ("%" G_GINT64_FORMAT, filing->threshold);

      args = _dossier_check_args_new ();
      arg (args, "filing", filing_name);
      arg (args, "count", count);
      arg (args, "threshold", threshold);
      f = _dossier_check_report_add_finding (report, "CUS-CASE-THRESHOLD", NULL, args);
      f->reference = g_strdup (filing_name);
    }
}

/* Storing ------------------------------------------------------------------------ */

static gboolean
store_result (Context             *ctx,
              DossierCheckReport  *report,
              GError             **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *json = _dossier_check_report_serialize (report);
  int rc;

  stmt = _dossier_store_prepare (ctx->store,
                                 "INSERT INTO check_result (dossier_id, envelope_id, envelope_version, inputs_hash, "
                                 "checked_at, verdict, n_errors, n_warnings, report) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                                 "ON CONFLICT (dossier_id) DO UPDATE SET envelope_id = excluded.envelope_id, "
                                 "envelope_version = excluded.envelope_version, inputs_hash = excluded.inputs_hash, "
                                 "checked_at = excluded.checked_at, verdict = excluded.verdict, "
                                 "n_errors = excluded.n_errors, n_warnings = excluded.n_warnings, report = excluded.report",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, dossier_check_report_get_dossier_id (report));
  if (dossier_check_report_get_envelope_id (report) > 0)
    {
      sqlite3_bind_int64 (stmt, 2, dossier_check_report_get_envelope_id (report));
      sqlite3_bind_int (stmt, 3, dossier_check_report_get_envelope_version (report));
    }
  sqlite3_bind_text (stmt, 4, dossier_check_report_get_inputs_hash (report), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, dossier_check_report_get_checked_at (report), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, dossier_verdict_to_string (dossier_check_report_get_verdict (report)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, dossier_check_report_get_n_errors (report));
  sqlite3_bind_int (stmt, 8, dossier_check_report_get_n_warnings (report));
  sqlite3_bind_text (stmt, 9, json, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _dossier_store_set_error (ctx->store, error, rc, _("Saving the check result"));

  return TRUE;
}

DossierCheckReport *
dossier_check_get_stored_report (DossierStore  *store,
                                 gint64         dossier_id,
                                 GError       **error)
{
  g_autoptr(DossierRuleSet) rules = NULL;
  g_autoptr(DossierEnvelope) envelope = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *checked_at = NULL;
  g_autofree char *json = NULL;
  DossierCheckReport *report;
  gint64 envelope_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  stmt = _dossier_store_prepare (store, "SELECT inputs_hash, checked_at, report, envelope_id FROM check_result "
                                        "WHERE dossier_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      hash = column_text (stmt, 0);
      checked_at = column_text (stmt, 1);
      json = column_text (stmt, 2);
      envelope_id = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the check result"));
      return NULL;
    }
  if (json == NULL)
    return NULL;

  if (!(rules = dossier_rule_set_load (store, error)))
    return NULL;
  /* Effective envelopes never change, so the stored id brings back its ranges. */
  if (envelope_id > 0 && !(envelope = dossier_envelope_load (store, envelope_id, error)))
    return NULL;

  report = _dossier_check_report_deserialize (json, rules, envelope, error);
  if (report != NULL)
    _dossier_check_report_set_stored (report, hash, checked_at, TRUE);
  return report;
}

/* The run ------------------------------------------------------------------------ */

typedef struct
{
  sqlite3_stmt *stmt;
  int           rc;
} Cursor;

static int
compare_values (gconstpointer a,
                gconstpointer b)
{
  const InputValue *va = *(const InputValue * const *)a;
  const InputValue *vb = *(const InputValue * const *)b;

  return strcmp (va->name, vb->name);
}

static gboolean
cursor_open (Context     *ctx,
             Cursor      *cursor,
             const char  *sql,
             GError     **error)
{
  cursor->stmt = prepare (ctx, sql, ctx->only, error);
  if (cursor->stmt == NULL)
    return FALSE;
  cursor->rc = sqlite3_step (cursor->stmt);
  return TRUE;
}

/* Moves the cursor past the rows of dossiers before id; TRUE when it is on a row of
 * id. */
static gboolean
cursor_seek (Cursor *cursor,
             gint64  id)
{
  while (cursor->rc == SQLITE_ROW && sqlite3_column_int64 (cursor->stmt, 0) < id)
    cursor->rc = sqlite3_step (cursor->stmt);
  return cursor->rc == SQLITE_ROW && sqlite3_column_int64 (cursor->stmt, 0) == id;
}

static gboolean
cursor_close (Context  *ctx,
              Cursor   *cursor,
              GError  **error)
{
  int rc = cursor->rc;

  if (cursor->stmt == NULL)
    return TRUE;
  sqlite3_reset (cursor->stmt);
  cursor->stmt = NULL;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (ctx->store, error, rc, _("Reading the database for the check"));
  return TRUE;
}

static void
read_dossier_row (Context      *ctx,
                  sqlite3_stmt *stmt,
                  Input        *in)
{
  guint n = g_strv_length (ctx->order_fields);

  in->id = sqlite3_column_int64 (stmt, 0);
  in->unit_no = column_text (stmt, 1);
  in->kind = column_text (stmt, 2);
  in->status = column_text (stmt, 3);
  in->model_id = sqlite3_column_int64 (stmt, 4);
  in->model_code = column_text (stmt, 5);
  in->filing_id = sqlite3_column_int64 (stmt, 6);
  in->institution_id = sqlite3_column_int64 (stmt, 7);
  in->clinician_id = sqlite3_column_int64 (stmt, 8);
  in->clinician_institution = sqlite3_column_int64 (stmt, 9);
  in->patient_id = sqlite3_column_int64 (stmt, 10);
  in->birth_year = column_text (stmt, 11);
  in->design_requirements = column_text (stmt, 12);
  in->order_values = g_new0 (char *, n + 1);
  in->n_order_values = n;
  for (guint i = 0; i < n; i++)
    in->order_values[i] = column_text (stmt, 13 + (int)i);
}

static gboolean
check_one (Context              *ctx,
           Input                *in,
           DossierCheckReport  **out_report,
           DossierCheckSummary  *summary,
           GError              **error)
{
  gboolean want_report = out_report != NULL;
  const char *status = ctx->as_status != NULL ? ctx->as_status : in->status;
  const char *reference_date = in->confirmed_on != NULL ? in->confirmed_on : ctx->today;
  Compiled *compiled = NULL;
  DossierCheckReport *report = NULL;
  Stored *stored;
  char hash[65];
  gboolean current;
  DossierVerdict verdict;

  if (g_strcmp0 (in->kind, "patient-matched") == 0 && in->model_id != 0)
    {
      DossierEnvelope *envelope = dossier_envelope_pick_in_force (ctx->envelopes, in->model_id, reference_date);
      if (envelope != NULL)
        compiled = compile (ctx, envelope);
    }

  compute_hash (ctx, in, status, reference_date, compiled, hash);
  stored = g_hash_table_lookup (ctx->stored, &in->id);

  current = !(ctx->flags & DOSSIER_CHECK_FORCE) && stored != NULL && g_str_equal (stored->hash, hash);

  /* A current result need not be looked at again unless the caller wants it (and
   * not even then when it passes and only problems are wanted). */
  if (current && (!want_report || (stored->verdict == 'p' && (ctx->flags & DOSSIER_CHECK_PROBLEMS))))
    {
      summary->n_reused++;
      verdict = stored->verdict == 'p' ? DOSSIER_VERDICT_PASS
              : stored->verdict == 'w' ? DOSSIER_VERDICT_WARNING : DOSSIER_VERDICT_ERROR;
      goto counted;
    }

  report = _dossier_check_report_new (in->id, in->unit_no, in->kind, status, reference_date, in->model_code);
  if (g_strcmp0 (in->kind, "customized") == 0)
    evaluate_customized (ctx, report, in, status);
  else
    evaluate_patient_matched (ctx, report, in, status, reference_date, compiled);
  _dossier_check_report_finish (report, ctx->rules);

  /* For a current result the report is derived again from the very inputs it was
   * stored from, which is faster than reading the stored JSON back; it must come to
   * the same verdict, or the stored result was made by other code and is replaced. */
  if (current && dossier_verdict_to_string (dossier_check_report_get_verdict (report))[0] == stored->verdict)
    {
      _dossier_check_report_set_stored (report, hash, stored->checked_at, TRUE);
      summary->n_reused++;
      verdict = dossier_check_report_get_verdict (report);
      goto counted;
    }

  _dossier_check_report_set_stored (report, hash, ctx->now, FALSE);

  if (!(ctx->flags & DOSSIER_CHECK_NO_STORE) && !store_result (ctx, report, error))
    {
      g_object_unref (report);
      return FALSE;
    }
  summary->n_recomputed++;
  verdict = dossier_check_report_get_verdict (report);

counted:
  summary->n_checked++;
  if (verdict == DOSSIER_VERDICT_PASS)
    summary->n_passed++;
  else if (verdict == DOSSIER_VERDICT_WARNING)
    summary->n_warnings++;
  else
    summary->n_errors++;

  if (out_report != NULL)
    *out_report = report;
  else
    g_clear_object (&report);
  return TRUE;
}

static gboolean
run (Context              *ctx,
     DossierCheckFunc      func,
     gpointer              user_data,
     DossierCheckSummary  *summary,
     GCancellable         *cancellable,
     GError              **error)
{
  Cursor dossiers = { 0 }, values = { 0 }, confirmations = { 0 }, processing = { 0 };
  gboolean ok = FALSE;
  guint n = 0;

  if (!cursor_open (ctx, &dossiers, ctx->dossier_sql, error) ||
      !cursor_open (ctx, &values,
                    ctx->only != 0
                      ? "SELECT it.dossier_id, it.id, it.version, pv.name, pv.value, pv.unit, pv.category "
                        "FROM design_iteration it LEFT JOIN parameter_value pv ON pv.iteration_id = it.id "
                        "WHERE it.dossier_id = ?1 AND it.version = (SELECT max (i2.version) FROM design_iteration i2 "
                        "WHERE i2.dossier_id = it.dossier_id) ORDER BY it.dossier_id"
                      : "SELECT it.dossier_id, it.id, it.version, pv.name, pv.value, pv.unit, pv.category "
                        "FROM design_iteration it LEFT JOIN parameter_value pv ON pv.iteration_id = it.id "
                        "WHERE it.version = (SELECT max (i2.version) FROM design_iteration i2 "
                        "WHERE i2.dossier_id = it.dossier_id) ORDER BY it.dossier_id",
                    error) ||
      !cursor_open (ctx, &confirmations,
                    ctx->only != 0
                      ? "SELECT dc.dossier_id, dc.iteration_id, it.version, it.dossier_id, dc.confirmed_on, "
                        "c.institution_id FROM design_confirmation dc JOIN design_iteration it ON it.id = dc.iteration_id "
                        "JOIN clinician c ON c.id = dc.clinician_id WHERE dc.dossier_id = ?1 ORDER BY dc.dossier_id"
                      : "SELECT dc.dossier_id, dc.iteration_id, it.version, it.dossier_id, dc.confirmed_on, "
                        "c.institution_id FROM design_confirmation dc JOIN design_iteration it ON it.id = dc.iteration_id "
                        "JOIN clinician c ON c.id = dc.clinician_id ORDER BY dc.dossier_id",
                    error) ||
      !cursor_open (ctx, &processing,
                    ctx->only != 0
                      ? "SELECT dossier_id, min (started_at) FROM processing_step WHERE dossier_id = ?1 "
                        "AND started_at IS NOT NULL GROUP BY dossier_id ORDER BY dossier_id"
                      : "SELECT dossier_id, min (started_at) FROM processing_step WHERE started_at IS NOT NULL "
                        "GROUP BY dossier_id ORDER BY dossier_id",
                    error))
    goto out;

  while (dossiers.rc == SQLITE_ROW)
    {
      g_autoptr(DossierCheckReport) report = NULL;
      Input in = { 0 };

      if (++n % 1000 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      read_dossier_row (ctx, dossiers.stmt, &in);
      in.values = g_ptr_array_new_with_free_func ((GDestroyNotify)input_value_free);

      while (cursor_seek (&values, in.id))
        {
          in.iteration_id = sqlite3_column_int64 (values.stmt, 1);
          in.iteration_version = sqlite3_column_int (values.stmt, 2);
          if (sqlite3_column_type (values.stmt, 3) != SQLITE_NULL)
            {
              InputValue *v = g_new0 (InputValue, 1);

              v->name = column_text (values.stmt, 3);
              v->value = column_text (values.stmt, 4);
              v->unit = column_text (values.stmt, 5);
              v->category = column_text (values.stmt, 6);
              g_ptr_array_add (in.values, v);
            }
          values.rc = sqlite3_step (values.stmt);
        }

      /* By name, so that the inputs hash does not depend on the order rows come in. */
      g_ptr_array_sort (in.values, compare_values);

      while (cursor_seek (&confirmations, in.id))
        {
          gint64 iteration = sqlite3_column_int64 (confirmations.stmt, 1);
          int version = sqlite3_column_int (confirmations.stmt, 2);

          if (sqlite3_column_int64 (confirmations.stmt, 3) != in.id)
            in.confirmation_foreign = TRUE;
          else
            {
              in.last_confirmed_version = MAX (in.last_confirmed_version, version);
              /* The first confirmation of the latest version is the one that counts. */
              if (iteration == in.iteration_id &&
                  (in.confirmed_on == NULL ||
                   g_strcmp0 ((const char *)sqlite3_column_text (confirmations.stmt, 4), in.confirmed_on) < 0))
                {
                  g_free (in.confirmed_on);
                  in.confirmed_on = column_text (confirmations.stmt, 4);
                  in.confirmation_institution = sqlite3_column_int64 (confirmations.stmt, 5);
                }
            }
          confirmations.rc = sqlite3_step (confirmations.stmt);
        }

      if (cursor_seek (&processing, in.id))
        in.processing_start = column_text (processing.stmt, 1);

      in.binding_changed = g_hash_table_contains (ctx->binding, &in.id);

      if (!check_one (ctx, &in, func != NULL ? &report : NULL, summary, error))
        {
          input_clear (&in);
          goto out;
        }
      input_clear (&in);

      if (func != NULL && report != NULL &&
          (!(ctx->flags & DOSSIER_CHECK_PROBLEMS) || dossier_check_report_get_verdict (report) != DOSSIER_VERDICT_PASS) &&
          !func (report, user_data))
        break;

      dossiers.rc = sqlite3_step (dossiers.stmt);
    }

  ok = TRUE;

out:
  {
    Cursor *cursors[] = { &dossiers, &values, &confirmations, &processing };

    /* Every cursor is reset; the first problem is the one reported. */
    for (guint i = 0; i < G_N_ELEMENTS (cursors); i++)
      if (!cursor_close (ctx, cursors[i], ok ? error : NULL))
        ok = FALSE;
  }
  return ok;
}

static gboolean
dossier_model (DossierStore  *store,
               gint64         dossier_id,
               gint64        *model_id,
               char         **status,
               GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _dossier_store_prepare (store, "SELECT model_id, status FROM dossier WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *model_id = sqlite3_column_int64 (stmt, 0);
      if (status != NULL)
        *status = column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_NOT_FOUND,
                   _("There is no %s with id %" PRId64 "."), dossier_schema_table_label ("dossier"), dossier_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _dossier_store_set_error (store, error, rc, _("Reading the database for the check"));
  return TRUE;
}

static gboolean
check_in_transaction (DossierStore               *store,
                      gint64                      only,
                      gint64                      only_model,
                      const DossierCheckOptions  *options,
                      DossierCheckFunc            func,
                      gpointer                    user_data,
                      DossierCheckSummary        *summary,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  g_autoptr(Context) ctx = NULL;

  /* One transaction: every query sees the same state, and the results are written
   * together. */
  if (!dossier_store_begin (store, error))
    return FALSE;

  ctx = context_new (store, options, only, only_model, error);
  if (ctx == NULL || !run (ctx, func, user_data, summary, cancellable, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }

  if (!dossier_store_commit (store, error))
    {
      dossier_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  DossierCheckReport *report;
} OneResult;

static gboolean
keep_report (DossierCheckReport *report,
             gpointer            user_data)
{
  OneResult *result = user_data;

  g_set_object (&result->report, report);
  return TRUE;
}

DossierCheckReport *
dossier_check_dossier (DossierStore               *store,
                       gint64                      dossier_id,
                       const DossierCheckOptions  *options,
                       GError                    **error)
{
  DossierCheckSummary summary = { 0 };
  OneResult result = { NULL };
  gint64 model_id = 0;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);
  g_return_val_if_fail (dossier_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!dossier_model (store, dossier_id, &model_id, NULL, error) ||
      !check_in_transaction (store, dossier_id, model_id, options, keep_report, &result, &summary, NULL, error))
    {
      g_clear_object (&result.report);
      return NULL;
    }

  return result.report;
}

gboolean
dossier_check_dossiers (DossierStore               *store,
                        const gint64               *ids,
                        gsize                       n_ids,
                        const DossierCheckOptions  *options,
                        DossierCheckFunc            func,
                        gpointer                    user_data,
                        DossierCheckSummary        *summary,
                        GCancellable               *cancellable,
                        GError                    **error)
{
  DossierCheckSummary local = { 0 };

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (summary == NULL)
    summary = &local;
  memset (summary, 0, sizeof *summary);

  if (ids == NULL)
    return check_in_transaction (store, 0, 0, options, func, user_data, summary, cancellable, error);

  for (gsize i = 0; i < n_ids; i++)
    {
      gint64 model_id = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !dossier_model (store, ids[i], &model_id, NULL, error) ||
          !check_in_transaction (store, ids[i], model_id, options, func, user_data, summary, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
dossier_check_get_stored (DossierStore    *store,
                          gint64           dossier_id,
                          DossierVerdict  *verdict,
                          guint           *n_errors,
                          guint           *n_warnings,
                          GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;
  gboolean found = FALSE;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);

  stmt = _dossier_store_prepare (store, "SELECT verdict, n_errors, n_warnings FROM check_result WHERE dossier_id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, dossier_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *v = (const char *)sqlite3_column_text (stmt, 0);

      found = TRUE;
      if (verdict != NULL)
        *verdict = g_strcmp0 (v, "pass") == 0 ? DOSSIER_VERDICT_PASS
                 : g_strcmp0 (v, "warning") == 0 ? DOSSIER_VERDICT_WARNING : DOSSIER_VERDICT_ERROR;
      if (n_errors != NULL)
        *n_errors = sqlite3_column_int (stmt, 1);
      if (n_warnings != NULL)
        *n_warnings = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return _dossier_store_set_error (store, error, rc, _("Reading the check result"));
  return found;
}

gboolean
dossier_check_is_gated (const char *old_status,
                        const char *new_status)
{
  int from = status_rank (old_status);
  int to = status_rank (new_status);

  if (g_strcmp0 (old_status, new_status) == 0 || to < 0)
    return FALSE;
  /* Into design approval up to delivery: the way to release. */
  if (to >= RANK_APPROVED && to <= RANK_DELIVERED)
    return TRUE;
  /* Use and closure record what happened after delivery; jumping there from before
   * design approval would skip the gate. */
  return to > RANK_DELIVERED && (from < RANK_APPROVED);
}

gboolean
dossier_check_gate (DossierStore  *store,
                    gint64         dossier_id,
                    const char    *new_status,
                    GError       **error)
{
  g_autoptr(DossierCheckReport) report = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *old_status = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *ways = NULL;
  g_auto(GStrv) remedies = NULL;
  DossierCheckOptions options = { NULL, new_status, DOSSIER_CHECK_NO_WORST_CASE };
  const char *label;
  gint64 model_id = 0;
  guint n;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), FALSE);
  g_return_val_if_fail (new_status != NULL, FALSE);

  if (!dossier_model (store, dossier_id, &model_id, &old_status, error))
    return FALSE;
  if (!dossier_check_is_gated (old_status, new_status))
    return TRUE;

  report = dossier_check_dossier (store, dossier_id, &options, &local_error);
  if (report == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("The dossier could not be checked before its status changes: "));
      return FALSE;
    }

  n = dossier_check_report_get_n_errors (report);
  if (n == 0)
    return TRUE;

  errors = dossier_check_report_describe_errors (report, 10);
  remedies = dossier_check_report_get_remedies (report);
  {
    GString *s = g_string_new (NULL);

    for (guint i = 0; remedies[i] != NULL; i++)
      {
        if (i > 0)
          g_string_append (s, _("; "));
        g_string_append (s, dossier_remedy_get_label (remedies[i]));
      }
    ways = g_string_free (s, FALSE);
  }
  label = dossier_schema_choice_label (dossier_schema_lookup_column (dossier_schema_lookup_table ("dossier"), "status"),
                                       new_status);

  g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_CONSTRAINT,
               g_dngettext (GETTEXT_PACKAGE,
                            "Dossier %s cannot move to “%s” while %u error stands:\n%s\nWays forward: %s.",
                            "Dossier %s cannot move to “%s” while %u errors stand:\n%s\nWays forward: %s.",
                            n),
               dossier_check_report_get_unit_no (report), label, n, errors, ways);
  return FALSE;
}
