/* dossier-rules.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The rule catalogue of the checks, read from the check_rule table: each rule has a
 * stable ID ("ENV-RANGE"), a severity, a message template in English and Chinese with
 * named {placeholders}, the source it comes from (regulation and article, guideline or
 * the registration), the ways forward it suggests and its configurable figures.  The
 * catalogue is data an administrator maintains; the code only knows which rule IDs it
 * reports and what placeholders it fills in. */

typedef enum
{
  DOSSIER_SEVERITY_INFO,
  DOSSIER_SEVERITY_WARNING,
  DOSSIER_SEVERITY_ERROR,
} DossierSeverity;

const char *dossier_severity_to_string   (DossierSeverity  severity); /* "error" */
gboolean    dossier_severity_from_string (const char      *text,
                                          DossierSeverity *severity);
const char *dossier_severity_get_label   (DossierSeverity  severity); /* translated */

typedef struct
{
  char            *code;        /* stable rule ID */
  char            *scope;       /* "patient-matched" or "customized" */
  DossierSeverity  severity;
  char            *message_en;
  char            *message_zh;
  char            *source;
  char           **remedies;    /* keys, see dossier_remedy_get_label() */
  char           **config;      /* the rule's configurable figures, trimmed */
} DossierRule;

typedef struct _DossierRuleSet DossierRuleSet;

DossierRuleSet     *dossier_rule_set_load       (DossierStore    *store,
                                                 GError         **error);
DossierRuleSet     *dossier_rule_set_ref        (DossierRuleSet  *self);
void                dossier_rule_set_unref      (DossierRuleSet  *self);
/* A rule the catalogue lacks (an older database, a typo) is reported as an error with
 * its ID as message, never silently dropped: this never returns NULL. */
const DossierRule  *dossier_rule_set_lookup     (DossierRuleSet  *self,
                                                 const char      *code);
gboolean            dossier_rule_set_contains   (DossierRuleSet  *self,
                                                 const char      *code);
/* All rules, ordered by code. */
GPtrArray          *dossier_rule_set_list       (DossierRuleSet  *self);
/* SHA-256 (hex) over what changes a verdict: codes, severities, configuration. */
const char         *dossier_rule_set_get_digest (DossierRuleSet  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierRuleSet, dossier_rule_set_unref)

/* "zh" when the first of g_get_language_names() that Dossier has messages for is
 * Chinese, otherwise "en". */
const char *dossier_rules_get_language  (void);

/* Fills the template of rule in language ("en" or "zh"; NULL: the current one) with
 * args (placeholder name → text); a placeholder without a value stays as written. */
char       *dossier_rule_render         (const DossierRule *rule,
                                         const char        *language,
                                         GHashTable        *args);
char       *dossier_rule_render_template (const char       *template_text,
                                          GHashTable       *args);

/* What the application says for a way forward ("redesign" → "Redesign within the
 * registered range"), translated; unknown keys come back as they are. */
const char *dossier_remedy_get_label    (const char        *key);

G_END_DECLS
