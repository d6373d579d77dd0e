/* dossier-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-rules"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-rules.h"
#include "dossier-store-private.h"

struct _DossierRuleSet
{
  gatomicrefcount  ref_count;
  GHashTable      *by_code;    /* code → DossierRule */
  GHashTable      *fallbacks;  /* code → DossierRule made up for unknown codes */
  char            *digest;
};

static const struct
{
  DossierSeverity  severity;
  const char      *text;
  const char      *label;
} severities[] = {
  { DOSSIER_SEVERITY_INFO, "info", N_("Information") },
  { DOSSIER_SEVERITY_WARNING, "warning", N_("Warning") },
  { DOSSIER_SEVERITY_ERROR, "error", N_("Error") },
};

const char *
dossier_severity_to_string (DossierSeverity severity)
{
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    if (severities[i].severity == severity)
      return severities[i].text;
  g_return_val_if_reached ("error");
}

gboolean
dossier_severity_from_string (const char      *text,
                              DossierSeverity *severity)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (severities); i++)
    if (g_str_equal (severities[i].text, text))
      {
        *severity = severities[i].severity;
        return TRUE;
      }
  return FALSE;
}

const char *
dossier_severity_get_label (DossierSeverity severity)
{
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    if (severities[i].severity == severity)
      return _(severities[i].label);
  g_return_val_if_reached (NULL);
}

static void
rule_free (DossierRule *rule)
{
  g_free (rule->code);
  g_free (rule->scope);
  g_free (rule->message_en);
  g_free (rule->message_zh);
  g_free (rule->source);
  g_strfreev (rule->remedies);
  g_strfreev (rule->config);
  g_free (rule);
}

/* "a, b ,c," → { "a", "b", "c" } */
static char **
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (g_strdup (parts[i]));
      if (*item != '\0')
        g_ptr_array_add (list, item);
      else
        g_free (item);
    }
  g_ptr_array_add (list, NULL);

  return (char **)g_ptr_array_free (list, FALSE);
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  const DossierRule *ra = *(const DossierRule * const *)a;
  const DossierRule *rb = *(const DossierRule * const *)b;

  return strcmp (ra->code, rb->code);
}

DossierRuleSet *
dossier_rule_set_load (DossierStore  *store,
                       GError       **error)
{
  g_autoptr(DossierRuleSet) self = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) ordered = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  stmt = _dossier_store_prepare (store,
                                 "SELECT code, scope, severity, message_en, message_zh, source, remedies, config "
                                 "FROM check_rule ORDER BY code", error);
  if (stmt == NULL)
    return NULL;

  self = g_new0 (DossierRuleSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)rule_free);
  self->fallbacks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)rule_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DossierRule *rule = g_new0 (DossierRule, 1);

      rule->code = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      rule->scope = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      if (!dossier_severity_from_string ((const char *)sqlite3_column_text (stmt, 2), &rule->severity))
        rule->severity = DOSSIER_SEVERITY_ERROR;
      rule->message_en = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      rule->message_zh = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      rule->source = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      rule->remedies = split_list ((const char *)sqlite3_column_text (stmt, 6));
      rule->config = split_list ((const char *)sqlite3_column_text (stmt, 7));
      g_hash_table_replace (self->by_code, rule->code, rule);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (store, error, rc, _("Reading the check rules"));
      return NULL;
    }

  ordered = dossier_rule_set_list (self);
  g_checksum_update (checksum, (const guchar *)"dossier-rules-v1\n", -1);
  for (guint i = 0; i < ordered->len; i++)
    {
      const DossierRule *rule = g_ptr_array_index (ordered, i);
      g_autofree char *config = g_strjoinv (",", rule->config);
      g_autofree char *line = g_strdup_printf ("%s\t%s\t%s\n", rule->code,
                                               dossier_severity_to_string (rule->severity), config);

      g_checksum_update (checksum, (const guchar *)line, -1);
    }
  self->digest = g_strdup (g_checksum_get_string (checksum));

  return g_steal_pointer (&self);
}

DossierRuleSet *
dossier_rule_set_ref (DossierRuleSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dossier_rule_set_unref (DossierRuleSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->fallbacks, g_hash_table_unref);
  g_free (self->digest);
  g_free (self);
}

const DossierRule *
dossier_rule_set_lookup (DossierRuleSet *self,
                         const char     *code)
{
  DossierRule *rule;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  rule = g_hash_table_lookup (self->by_code, code);
  if (rule != NULL)
    return rule;

  rule = g_hash_table_lookup (self->fallbacks, code);
  if (rule == NULL)
    {
      rule = g_new0 (DossierRule, 1);
      rule->code = g_strdup (code);
      rule->scope = g_strdup ("");
      rule->severity = DOSSIER_SEVERITY_ERROR;
      rule->message_en = g_strdup_printf ("%s: {problem}", code);
      rule->message_zh = g_strdup_printf ("%s：{problem}", code);
      rule->source = g_strdup (_("not in the rule catalogue of this database"));
      rule->remedies = g_new0 (char *, 1);
      rule->config = g_new0 (char *, 1);
      g_hash_table_insert (self->fallbacks, rule->code, rule);
    }
  return rule;
}

gboolean
dossier_rule_set_contains (DossierRuleSet *self,
                           const char     *code)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->by_code, code);
}

GPtrArray *
dossier_rule_set_list (DossierRuleSet *self)
{
  GPtrArray *list;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (self != NULL, NULL);

  list = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->by_code);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_codes);

  return list;
}

const char *
dossier_rule_set_get_digest (DossierRuleSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->digest;
}

const char *
dossier_rules_get_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "zh"))
        return "zh";
      if (g_str_has_prefix (names[i], "en") || g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        return "en";
    }

  return "en";
}

char *
dossier_rule_render_template (const char *template_text,
                              GHashTable *args)
{
  GString *s = g_string_new (NULL);
  const char *p = template_text != NULL ? template_text : "";

  while (*p != '\0')
    {
      const char *close;

      if (*p == '{' && (close = strchr (p + 1, '}')) != NULL && close - p < 40)
        {
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          const char *value = args != NULL ? g_hash_table_lookup (args, name) : NULL;

          if (value != NULL)
            {
              g_string_append (s, value);
              p = close + 1;
              continue;
            }
        }
      g_string_append_c (s, *p++);
    }

  return g_string_free (s, FALSE);
}

char *
dossier_rule_render (const DossierRule *rule,
                     const char        *language,
                     GHashTable        *args)
{
  g_return_val_if_fail (rule != NULL, NULL);

  if (language == NULL)
    language = dossier_rules_get_language ();

  return dossier_rule_render_template (g_str_equal (language, "zh") ? rule->message_zh : rule->message_en, args);
}

const char *
dossier_remedy_get_label (const char *key)
{
  static const struct { const char *key; const char *label; } remedies[] = {
    { "redesign", N_("Redesign within the registered range") },
    { "worst-case-testing", N_("Test the new worst case before use (and register it if needed)") },
    { "customized-route", N_("Make it as a customized device under a filing, if the case is eligible") },
    { "enter-envelope", N_("Enter the registered size range of the model") },
    { "correct-envelope", N_("Correct the registered size range") },
    { "record-design", N_("Record the design parameters") },
    { "rename-parameter", N_("Correct the parameter name") },
    { "correct-value", N_("Correct the value or its unit") },
    { "check-eligibility", N_("Check that the device may be made as a customized device") },
    { "renew-filing", N_("Bring the filing into force") },
    { "check-order", N_("Check the ordering institution and the patient") },
    { "complete-order", N_("Complete the production order") },
    { "confirm-design", N_("Have the clinician confirm the current design") },
    { "register-product", N_("Apply for registration of the product") },
  };

  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (remedies); i++)
    if (g_str_equal (remedies[i].key, key))
      return _(remedies[i].label);

  return key;
}
