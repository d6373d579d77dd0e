/* dossier-editor-logic.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-logic"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "dossier-decimal.h"
#include "dossier-editor-logic.h"
#include "dossier-format.h"
#include "dossier-schema.h"

/* The workflow ------------------------------------------------------------------ */

/* Forward steps first; then the step back a change of plan needs; cancelling
 * last.  Approval and release are signatures (the store refuses them as plain
 * status changes once accounts exist, and says so). */
static const struct
{
  const char *status;
  const char *next[5];
} workflow[] = {
  { "order", { "design", "cancelled", NULL } },
  { "design", { "design-review", "order", "cancelled", NULL } },
  { "design-review", { "design-approved", "design", "cancelled", NULL } },
  { "design-approved", { "processing", "design", "cancelled", NULL } },
  { "processing", { "inspection", "design", "cancelled", NULL } },
  { "inspection", { "released", "processing", "cancelled", NULL } },
  { "released", { "delivered", "inspection", "cancelled", NULL } },
  { "delivered", { "used", "closed", NULL } },
  { "used", { "closed", NULL } },
};

const char * const *
dossier_editor_next_statuses (const char *status)
{
  static const char * const none[] = { NULL };

  if (status == NULL)
    return none;

  for (guint i = 0; i < G_N_ELEMENTS (workflow); i++)
    if (g_str_equal (workflow[i].status, status))
      return workflow[i].next;

  return none;
}

gboolean
dossier_editor_status_is_final (const char *status)
{
  return g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "closed") == 0;
}

/* Values -------------------------------------------------------------------------- */

gboolean
dossier_editor_values_equal (const char *a,
                             const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static gboolean
parse_days (const char *text,
            gint64     *days)
{
  return text != NULL && *text != '\0' &&
         g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, days, NULL);
}

gboolean
dossier_editor_is_implantable (const char *body_days,
                               gint64      min_days)
{
  gint64 days;

  return parse_days (body_days, &days) && days >= min_days;
}

const char *
dossier_editor_body_days_hint (const char *body_days,
                               gint64      min_days)
{
  gint64 days;

  if (!parse_days (body_days, &days))
    return NULL;

  return days >= min_days ? _("Implantable") : _("Not implantable");
}

char *
dossier_editor_timestamp_to_input (const char *stored)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (stored == NULL || *stored == '\0')
    return g_strdup ("");

  /* Typed as dates are, year first, whatever the display language: what is
   * shown must read back as the same time. */
  parsed = g_date_time_new_from_iso8601 (stored, NULL);
  if (parsed == NULL)
    return g_strdup (stored);

  local = g_date_time_to_local (parsed);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* "2026-03-02 14:05", with optional seconds, with a space or a T. */
static gboolean
parse_local_time (const char *text,
                  int        *y,
                  int        *mo,
                  int        *d,
                  int        *h,
                  int        *mi,
                  int        *s)
{
  char sep;
  int n = -1;

  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d:%2d%n", y, mo, d, &sep, h, mi, s, &n) == 7 &&
      n >= 0 && text[n] == '\0' && (sep == ' ' || sep == 'T'))
    return TRUE;

  n = -1;
  *s = 0;
  if (sscanf (text, "%4d-%2d-%2d%c%2d:%2d%n", y, mo, d, &sep, h, mi, &n) == 6 &&
      n >= 0 && text[n] == '\0' && (sep == ' ' || sep == 'T'))
    return TRUE;

  return FALSE;
}

char *
dossier_editor_timestamp_from_input (const char *text,
                                     GTimeZone  *zone)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GTimeZone) local = NULL;
  int y, mo, d, h, mi, s;

  if (text == NULL)
    return g_strdup ("");

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return g_strdup ("");

  /* With an offset it is already what the store keeps. */
  parsed = g_date_time_new_from_iso8601 (trimmed, NULL);
  if (parsed != NULL)
    return g_steal_pointer (&trimmed);

  if (!parse_local_time (trimmed, &y, &mo, &d, &h, &mi, &s))
    return g_steal_pointer (&trimmed);

  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  parsed = g_date_time_new (zone, y, mo, d, h, mi, s);
  if (parsed == NULL)
    return g_steal_pointer (&trimmed);

  return g_date_time_format (parsed, "%Y-%m-%dT%H:%M:%S%:z");
}

gboolean
dossier_editor_parameter_is_number (const char *text)
{
  DossierDecimal value;

  return text != NULL && dossier_decimal_try_parse (text, &value);
}

const char *
dossier_editor_parameter_shown (GHashTable *parameter)
{
  const char *value;

  g_return_val_if_fail (parameter != NULL, NULL);

  value = g_hash_table_lookup (parameter, "value");
  if (value != NULL)
    return value;

  value = g_hash_table_lookup (parameter, "category");
  return value != NULL ? value : "";
}

static gint64
next_of (GPtrArray  *rows,
         const char *column)
{
  gint64 highest = 0;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const char *text = g_hash_table_lookup (g_ptr_array_index (rows, i), column);
      gint64 v = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;

      highest = MAX (highest, v);
    }

  return highest + 1;
}

gint64
dossier_editor_next_version (GPtrArray *iterations)
{
  return next_of (iterations, "version");
}

gint64
dossier_editor_next_position (GPtrArray *steps)
{
  return next_of (steps, "position");
}

gint64
dossier_editor_row_id (GHashTable *row)
{
  const char *id = row != NULL ? g_hash_table_lookup (row, "id") : NULL;

  return id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0;
}

char *
dossier_editor_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

char *
dossier_editor_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S%:z");
}

/* Attachments ----------------------------------------------------------------- */

const char *
dossier_editor_section_for_page (const char *page_name)
{
  static const char * const pages[][2] = {
    { "order", "order" },
    { "design", "design" },
    { "processing", "processing" },
    { "inspection", "inspection" },
    { "delivery", "delivery" },
  };

  for (guint i = 0; page_name != NULL && i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i][0], page_name))
      return pages[i][1];

  return "other";
}

char *
dossier_editor_attachment_summary (GHashTable *attachment)
{
  const char *media_type = g_hash_table_lookup (attachment, "media_type");
  const char *size = g_hash_table_lookup (attachment, "size");
  g_autofree char *type = NULL;
  g_autofree char *description = NULL;
  g_autofree char *formatted = NULL;

  if (media_type != NULL)
    {
      type = g_content_type_from_mime_type (media_type);
      description = g_content_type_get_description (type != NULL ? type : media_type);
    }
  if (size != NULL)
    formatted = g_format_size (g_ascii_strtoull (size, NULL, 10));

  if (description != NULL && formatted != NULL)
    /* Translators: an attachment's type and size, e.g. "PDF document · 1.2 MB". */
    return g_strdup_printf (_("%s · %s"), description, formatted);

  return g_strdup (description != NULL ? description : formatted != NULL ? formatted : "");
}

char *
dossier_editor_attachment_added (GHashTable *attachment)
{
  const char *by = g_hash_table_lookup (attachment, "added_by");
  g_autofree char *at = dossier_format_timestamp (g_hash_table_lookup (attachment, "added_at"));

  /* Translators: who added an attachment and when, e.g. "Added by zhang.wei on 2026-03-02 14:05". */
  return g_strdup_printf (_("Added by %s on %s"), by != NULL ? by : "?", at != NULL ? at : "?");
}

char *
dossier_editor_safe_file_name (const char *original_name)
{
  g_autofree char *valid = NULL;
  const char *base;
  GString *name;

  if (original_name == NULL)
    return g_strdup ("attachment");

  valid = g_utf8_make_valid (original_name, -1);

  /* Names can come from other systems, with either separator. */
  base = valid;
  for (const char *p = valid; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;

  name = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        continue;
      g_string_append_unichar (name, c);
    }

  /* Keep it well inside the 255 bytes a file name may have, at a character boundary. */
  while (name->len > 200)
    {
      const char *last = g_utf8_find_prev_char (name->str, name->str + name->len);
      g_string_truncate (name, last - name->str);
    }

  if (name->len == 0 || g_str_equal (name->str, ".") || g_str_equal (name->str, ".."))
    {
      g_string_free (name, TRUE);
      return g_strdup ("attachment");
    }

  return g_string_free (name, FALSE);
}

char *
dossier_editor_open_path (const char *cache_dir,
                          gint64      attachment_id,
                          const char *original_name)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, attachment_id);
  g_autofree char *name = dossier_editor_safe_file_name (original_name);

  return g_build_filename (cache_dir, "dossier", "open", id, name, NULL);
}

const char *
dossier_editor_result_css_class (const char *result)
{
  if (g_strcmp0 (result, "pass") == 0)
    return "success";
  if (g_strcmp0 (result, "fail") == 0)
    return "error";
  return "warning";
}

/* History --------------------------------------------------------------------------- */

#define HISTORY_VALUE_CHARS 60

void
dossier_editor_history_item_free (DossierEditorHistoryItem *item)
{
  if (item == NULL)
    return;

  g_free (item->day);
  g_free (item->time);
  g_free (item->text);
  g_free (item->tooltip);
  g_free (item);
}

/* The rows an entry is about, as far as the trail tells: column → text. */
static GHashTable *
row_from_json (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  GHashTable *row;
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  if (json == NULL)
    return NULL;

  node = json_from_string (json, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  row = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  object = json_node_get_object (node);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      char *text = NULL;

      if (!JSON_NODE_HOLDS_VALUE (value))
        continue;

      switch (json_node_get_value_type (value))
        {
        case G_TYPE_INT64:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            text = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value)));
          }
          break;
        case G_TYPE_BOOLEAN:
          text = g_strdup (json_node_get_boolean (value) ? "1" : "0");
          break;
        case G_TYPE_STRING:
          text = g_strdup (json_node_get_string (value));
          break;
        default:
          break;
        }

      if (text != NULL)
        g_hash_table_insert (row, g_strdup (member), text);
    }

  return row;
}

static char *
shorten (const char *value,
         gboolean   *shortened)
{
  g_autofree char *flat = NULL;

  if (value == NULL)
    return g_strdup ("");

  /* One line: a multi-line text is still one sentence here. */
  flat = g_strdup (value);
  g_strdelimit (flat, "\r\n\t", ' ');

  if (g_utf8_strlen (flat, -1) > HISTORY_VALUE_CHARS)
    {
      g_autofree char *head = g_utf8_substring (flat, 0, HISTORY_VALUE_CHARS);

      *shortened = TRUE;
      return g_strconcat (head, "…", NULL);
    }

  return g_steal_pointer (&flat);
}

/* A stored value as a person reads it. */
static char *
readable_value (const char                 *table,
                const char                 *column,
                const char                 *value,
                DossierEditorReferenceFunc  func,
                gpointer                    user_data)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *c = t != NULL && column != NULL ? dossier_schema_lookup_column (t, column) : NULL;

  if (value == NULL || c == NULL)
    return g_strdup (value);

  switch (c->kind)
    {
    case DOSSIER_COLUMN_CHOICE:
      return g_strdup (dossier_schema_choice_label (c, value));

    case DOSSIER_COLUMN_BOOLEAN:
      return g_strdup (g_str_equal (value, "1") ? _("Yes") : _("No"));

    case DOSSIER_COLUMN_TIMESTAMP:
      return dossier_format_timestamp (value);

    case DOSSIER_COLUMN_REFERENCE:
      if (func != NULL)
        {
          char *name = func (c->ref_table, g_ascii_strtoll (value, NULL, 10), user_data);
          if (name != NULL)
            return name;
        }
      return g_strdup_printf ("#%s", value);

    case DOSSIER_COLUMN_TEXT:
    case DOSSIER_COLUMN_INTEGER:
    case DOSSIER_COLUMN_DATE:
    case DOSSIER_COLUMN_DECIMAL:
    default:
      return g_strdup (value);
    }
}

/* The column that names a row of a table in a sentence, or NULL. */
static const char *
key_column (const char *table)
{
  static const char * const keys[][2] = {
    { "design_input", "title" },
    { "design_iteration", "version" },
    { "parameter_value", "name" },
    { "design_confirmation", "document_no" },
    { "processing_step", "step_type" },
    { "step_material", "lot_id" },
    { "inspection", "item" },
    { "delivery", "delivered_on" },
    { "use_record", "outcome" },
    { "adverse_event", "occurred_on" },
    { "attachment", "original_name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i][0], table))
      return keys[i][1];

  return NULL;
}

/* "Design iteration “Version 2”", "Release". */
static char *
describe_row (const char                 *table,
              GHashTable                 *row,
              DossierEditorReferenceFunc  func,
              gpointer                    user_data)
{
  const char *label = dossier_schema_table_label (table);
  const char *column = key_column (table);
  const char *value = column != NULL && row != NULL ? g_hash_table_lookup (row, column) : NULL;
  g_autofree char *key = NULL;
  g_autofree char *shown = NULL;
  gboolean shortened = FALSE;

  if (value == NULL || *value == '\0')
    return g_strdup (label);

  if (g_str_equal (table, "design_iteration"))
    key = g_strdup_printf (_("Version %s"), value);
  else
    key = readable_value (table, column, value, func, user_data);

  shown = shorten (key, &shortened);
  /* Translators: a record named in the history, e.g. "Design input “Bone model”". */
  return g_strdup_printf (_("%s “%s”"), label, shown);
}

static char *
describe_entry (DossierAuditEntry          *entry,
                GHashTable                 *row,
                DossierEditorReferenceFunc  func,
                gpointer                    user_data,
                char                      **tooltip)
{
  const char *actor = entry->actor != NULL ? entry->actor : "?";
  gboolean is_dossier = g_strcmp0 (entry->table_name, "dossier") == 0;
  g_autofree char *item = describe_row (entry->table_name, row, func, user_data);

  *tooltip = NULL;

  if (g_strcmp0 (entry->action, "create") == 0)
    {
      if (is_dossier)
        return g_strdup_printf (_("%s created the dossier"), actor);
      /* Translators: "zhang.wei added Design input “Bone model”". */
      return g_strdup_printf (_("%s added %s"), actor, item);
    }

  if (g_strcmp0 (entry->action, "delete") == 0)
    /* Translators: "zhang.wei removed Parameter value “wall”". */
    return g_strdup_printf (_("%s removed %s"), actor, item);

  {
    const char *field = dossier_schema_column_label (entry->table_name, entry->field);
    g_autofree char *old_full = readable_value (entry->table_name, entry->field, entry->old_value, func, user_data);
    g_autofree char *new_full = readable_value (entry->table_name, entry->field, entry->new_value, func, user_data);
    gboolean shortened = FALSE;
    g_autofree char *old_text = shorten (old_full, &shortened);
    g_autofree char *new_text = shorten (new_full, &shortened);
    gboolean had = old_full != NULL && *old_full != '\0';
    gboolean has = new_full != NULL && *new_full != '\0';
    char *text;

    if (field == NULL)
      field = "?";

    if (is_dossier)
      {
        if (had && has)
          /* Translators: actor, field, old value, new value. */
          text = g_strdup_printf (_("%s changed %s from “%s” to “%s”"), actor, field, old_text, new_text);
        else if (has)
          /* Translators: actor, field, new value. */
          text = g_strdup_printf (_("%s set %s to “%s”"), actor, field, new_text);
        else
          /* Translators: actor, field, old value. */
          text = g_strdup_printf (_("%s cleared %s (was “%s”)"), actor, field, old_text);
      }
    else
      {
        if (had && has)
          /* Translators: actor, field, record, old value, new value, e.g. "zhang.wei changed
           * Designer of Design iteration “Version 2” from “张伟” to “李娜”". */
          text = g_strdup_printf (_("%1$s changed %2$s of %3$s from “%4$s” to “%5$s”"),
                                  actor, field, item, old_text, new_text);
        else if (has)
          /* Translators: actor, field, record, new value. */
          text = g_strdup_printf (_("%1$s set %2$s of %3$s to “%4$s”"), actor, field, item, new_text);
        else
          /* Translators: actor, field, record, old value. */
          text = g_strdup_printf (_("%1$s cleared %2$s of %3$s (was “%4$s”)"), actor, field, item, old_text);
      }

    if (shortened)
      /* Translators: the tooltip of a history entry whose values were shortened. */
      *tooltip = g_strdup_printf (_("Before: %s\nAfter: %s"),
                                  had ? old_full : "—", has ? new_full : "—");

    return text;
  }
}

static char *
row_key (const char *table,
         gint64      id)
{
  return g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, id);
}

GPtrArray *
dossier_editor_history_build (GPtrArray                  *entries,
                              DossierEditorReferenceFunc  func,
                              gpointer                    user_data)
{
  g_autoptr(GHashTable) rows = NULL;
  GPtrArray *items;

  g_return_val_if_fail (entries != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_editor_history_item_free);
  rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);

  for (guint i = 0; i < entries->len; i++)
    {
      DossierAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *key = row_key (entry->table_name != NULL ? entry->table_name : "", entry->row_id);
      g_autoptr(GDateTime) at = entry->at != NULL ? g_date_time_new_from_iso8601 (entry->at, NULL) : NULL;
      g_autoptr(GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;
      DossierEditorHistoryItem *item;
      GHashTable *row;
      g_autofree char *sentence = NULL;
      g_autofree char *timed = NULL;

      /* Follow each row through its life, so that a record is named as it was. */
      if (g_strcmp0 (entry->action, "create") == 0 || g_strcmp0 (entry->action, "delete") == 0)
        {
          GHashTable *copy = row_from_json (g_strcmp0 (entry->action, "create") == 0 ? entry->new_value
                                                                                      : entry->old_value);
          if (copy != NULL)
            g_hash_table_replace (rows, g_strdup (key), copy);
        }
      row = g_hash_table_lookup (rows, key);

      item = g_new0 (DossierEditorHistoryItem, 1);
      item->seq = entry->seq;
      item->day = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup (entry->at != NULL ? entry->at : "");
      item->time = local != NULL ? g_date_time_format (local, "%H:%M") : g_strdup ("");

      sentence = describe_entry (entry, row, func, user_data, &item->tooltip);
      /* Translators: a history entry, its time and what happened: "15:04 · zhang.wei changed …". */
      timed = g_strdup_printf (_("%s · %s"), item->time, sentence);
      if (entry->reason != NULL && *entry->reason != '\0')
        /* Translators: a history entry and the reason given for it. */
        item->text = g_strdup_printf (_("%s — %s"), timed, entry->reason);
      else
        item->text = g_steal_pointer (&timed);

      /* Later entries name the row by its value after this change. */
      if (row != NULL && g_strcmp0 (entry->action, "update") == 0 && entry->field != NULL)
        {
          if (entry->new_value != NULL)
            g_hash_table_replace (row, g_strdup (entry->field), g_strdup (entry->new_value));
          else
            g_hash_table_remove (row, entry->field);
        }

      g_ptr_array_add (items, item);
    }

  /* Newest first: people look for what changed last. */
  for (guint i = 0, j = items->len; items->len > 1 && i < --j; i++)
    {
      gpointer tmp = items->pdata[i];
      items->pdata[i] = items->pdata[j];
      items->pdata[j] = tmp;
    }

  return items;
}

char *
dossier_editor_history_day_heading (const char *day,
                                    const char *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today_text = today != NULL ? g_strdup (today) : g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GDateTime) today_date = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autofree char *yesterday_text = NULL;
  int y, m, d;

  if (day == NULL)
    return g_strdup ("");

  if (g_str_equal (day, today_text))
    return g_strdup (_("Today"));

  if (sscanf (today_text, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
      (today_date = g_date_time_new_utc (y, m, d, 12, 0, 0)) != NULL)
    {
      yesterday = g_date_time_add_days (today_date, -1);
      yesterday_text = g_date_time_format (yesterday, "%Y-%m-%d");
      if (g_str_equal (day, yesterday_text))
        return g_strdup (_("Yesterday"));
    }

  if (sscanf (day, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      (date = g_date_time_new_utc (y, m, d, 12, 0, 0)) == NULL)
    return g_strdup (day);

  /* Translators: the heading of a day in the history, a g_date_time_format() pattern;
   * for Chinese "%Y年%-m月%-d日 %A". */
  return g_date_time_format (date, _("%A, %-d %B %Y"));
}
