/* dossier-dossier-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-dossier-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "dossier-dossier-list.h"
#include "dossier-dossier-private.h"
#include "dossier-store-private.h"

/* Rows are read in pages of PAGE_SIZE and at most MAX_PAGES pages are kept, so a
 * list over a million dossiers holds the same few hundred objects as one over a
 * thousand: what the view shows, plus a little on either side. */
#define PAGE_SIZE 100
#define MAX_PAGES 8

/* Search words shorter than the trigram tokenizer's three characters cannot use
 * the index and are matched with LIKE instead; each becomes one bound parameter,
 * and a search made of more of them than this only uses the first ones. */
#define MAX_SHORT_TERMS 8

/* Above this many search hits, pages are read by walking the sort order's index
 * and testing each row against the hits, which stops after one page; below it,
 * the hits are sorted directly, which is cheaper than walking the index. */
#define WALK_INDEX_MIN_HITS 1000

/* Statement variants are few (they depend only on which filters are on), but
 * keep the cache bounded all the same. */
#define MAX_STATEMENTS 32

#define DEFAULT_IMPLANTABLE_MIN_DAYS 30

typedef struct
{
  guint      index;
  GPtrArray *items; /* DossierDossier */
} Page;

struct _DossierDossierList
{
  GObject       parent_instance;

  DossierStore *store;

  /* The query.  search is what the user typed (trimmed); match and like_terms
   * are derived from it and only ever reach SQLite as bound parameters. */
  char         *search;
  char         *match;       /* FTS5 expression, or NULL */
  GPtrArray    *like_terms;  /* LIKE patterns with % and _ escaped */
  char         *status;
  char         *kind;
  gint64        institution_id;
  DossierSort   sort;

  /* The ids a search finds, gathered once per search into a table of this
   * connection's temporary schema, so that counting and every page read do not
   * search again; NULL when the table could not be made. */
  char         *hits_table;

  guint         n_items;
  GQueue        pages;       /* Page *, most recently used first */
  GHashTable   *statements;  /* SQL text → sqlite3_stmt */
  gint64        implantable_min_days;
  GError       *error;
};

static void dossier_dossier_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DossierDossierList, dossier_dossier_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dossier_dossier_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Summary columns, in the order read_item() expects them. */
#define SUMMARY_COLUMNS \
  "d.id, d.unit_no, d.kind, d.status, p.code, i.name_zh, c.name_zh, " \
  "coalesce (pr.name_zh, f.device_name), coalesce (m.code, f.number), " \
  "d.body_days, d.created_at, d.updated_at, coalesce (cr.n_errors, 0) > 0, " \
  "EXISTS (SELECT 1 FROM signature s WHERE s.dossier_id = d.id)"

#define SUMMARY_JOINS \
  " FROM dossier d" \
  " JOIN patient p ON p.id = d.patient_id" \
  " JOIN institution i ON i.id = d.institution_id" \
  " JOIN clinician c ON c.id = d.clinician_id" \
  " LEFT JOIN product_model m ON m.id = d.model_id" \
  " LEFT JOIN product pr ON pr.id = m.product_id" \
  " LEFT JOIN filing f ON f.id = d.filing_id" \
  " LEFT JOIN check_result cr ON cr.dossier_id = d.id"

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
clear_pages (DossierDossierList *self)
{
  Page *page;

  while ((page = g_queue_pop_head (&self->pages)))
    page_free (page);
}

static void
dossier_dossier_list_dispose (GObject *object)
{
  DossierDossierList *self = (DossierDossierList *)object;

  clear_pages (self);
  /* Statements belong to the store's connection: finalize them before letting
   * the store go. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->hits_table != NULL && self->store != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS %s", self->hits_table);

      sqlite3_exec (dossier_store_get_handle (self->store), sql, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->hits_table, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_dossier_list_parent_class)->dispose (object);
}

static void
dossier_dossier_list_finalize (GObject *object)
{
  DossierDossierList *self = (DossierDossierList *)object;

  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->match, g_free);
  g_clear_pointer (&self->like_terms, g_ptr_array_unref);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (dossier_dossier_list_parent_class)->finalize (object);
}

/* SQL ------------------------------------------------------------------------- */

/* Keeps the error for dossier_dossier_list_get_error(), in the store's words
 * (a locked or damaged database is named as such). */
static void
set_error (DossierDossierList *self,
           int                 rc,
           const char         *what)
{
  g_clear_error (&self->error);
  _dossier_store_set_error (self->store, &self->error, rc, what);
  g_debug ("%s", self->error->message);
}

static sqlite3_stmt *
prepare (DossierDossierList *self,
         const char         *sql)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (dossier_store_get_handle (self->store), sql, -1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, _("Reading the list of dossiers"));
      return NULL;
    }

  if (g_hash_table_size (self->statements) >= MAX_STATEMENTS)
    g_hash_table_remove_all (self->statements);
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

/* The WHERE clause is assembled only from the fixed fragments below, chosen by
 * which filters are set; everything the user typed is bound as a parameter.
 *
 * Short words use LIKE with an ESCAPE clause, which also keeps SQLite from
 * handing the pattern to the trigram tokenizer: SQLite 3.40 answers a LIKE of
 * fewer than three characters from the trigram index with no rows at all. */
static gboolean
is_searching (DossierDossierList *self)
{
  return self->match != NULL || self->like_terms->len > 0;
}

/* The search as a query for the ids of matching dossiers. */
static void
append_search (DossierDossierList *self,
               GString            *sql)
{
  g_string_append (sql, "SELECT rowid FROM search_dossier WHERE 1");
  if (self->match != NULL)
    g_string_append (sql, " AND search_dossier MATCH :match");
  for (guint i = 0; i < self->like_terms->len; i++)
    g_string_append_printf (sql, " AND body LIKE :like%u ESCAPE '\\'", i);
}

static void
append_filters (DossierDossierList *self,
                GString            *sql,
                gboolean            walk_index)
{
  g_string_append (sql, " WHERE 1");

  if (is_searching (self))
    {
      /* The unary + keeps the planner from driving the query by the hits. */
      g_string_append (sql, walk_index ? " AND +d.id IN (" : " AND d.id IN (");
      if (self->hits_table != NULL)
        g_string_append_printf (sql, "SELECT id FROM %s", self->hits_table);
      else
        append_search (self, sql);
      g_string_append (sql, ")");
    }

  if (self->status != NULL)
    g_string_append (sql, " AND d.status = :status");
  if (self->kind != NULL)
    g_string_append (sql, " AND d.kind = :kind");
  if (self->institution_id != 0)
    g_string_append (sql, " AND d.institution_id = :institution");
}

static void
append_order (DossierDossierList *self,
              GString            *sql)
{
  switch (self->sort)
    {
    case DOSSIER_SORT_UNIT_NO:
      /* unit_no is unique, so its index alone gives a total order. */
      g_string_append (sql, " ORDER BY d.unit_no");
      break;

    case DOSSIER_SORT_UPDATED_DESC:
    default:
      /* The index on updated_at carries the rowid, so this walks it backwards. */
      g_string_append (sql, " ORDER BY d.updated_at DESC, d.id DESC");
      break;
    }
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_assert (index > 0);
  sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_search (DossierDossierList *self,
             sqlite3_stmt       *stmt)
{
  if (self->match != NULL)
    bind_text (stmt, ":match", self->match);

  for (guint i = 0; i < self->like_terms->len; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, ":like%u", i);
      bind_text (stmt, name, g_ptr_array_index (self->like_terms, i));
    }
}

static void
bind_filters (DossierDossierList *self,
              sqlite3_stmt       *stmt)
{
  if (is_searching (self) && self->hits_table == NULL)
    bind_search (self, stmt);

  if (self->status != NULL)
    bind_text (stmt, ":status", self->status);
  if (self->kind != NULL)
    bind_text (stmt, ":kind", self->kind);
  if (self->institution_id != 0)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":institution"),
                        self->institution_id);
}

static gboolean
run_statement (DossierDossierList *self,
               sqlite3_stmt       *stmt,
               const char         *what)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, what);
      return FALSE;
    }

  return TRUE;
}

/* Gathers the search's hits and returns how many there are, or -1 on error.
 * This writes only to the connection's temporary schema, which takes no lock on
 * the database file.  (Inside a transaction of the store's, a rollback takes the
 * hits back too; reload() gathers them again.) */
static gint64
collect_hits (DossierDossierList *self)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  g_string_printf (sql, "DELETE FROM %s", self->hits_table);
  if (!(stmt = prepare (self, sql->str)) ||
      !run_statement (self, stmt, _("Searching dossiers")))
    return -1;

  if (!is_searching (self))
    return 0;

  g_string_printf (sql, "INSERT INTO %s (id) ", self->hits_table);
  append_search (self, sql);
  if (!(stmt = prepare (self, sql->str)))
    return -1;
  bind_search (self, stmt);

  if (!run_statement (self, stmt, _("Searching dossiers")))
    return -1;

  return sqlite3_changes64 (dossier_store_get_handle (self->store));
}

static guint
query_count (DossierDossierList *self)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM dossier d");
  sqlite3_stmt *stmt;
  gint64 n = 0;
  int rc;

  append_filters (self, sql, FALSE);
  if (!(stmt = prepare (self, sql->str)))
    return 0;

  bind_filters (self, stmt);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    set_error (self, rc, _("Counting dossiers"));
  sqlite3_reset (stmt);

  return (guint)CLAMP (n, 0, G_MAXUINT);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static DossierDossier *
read_item (DossierDossierList *self,
           sqlite3_stmt       *stmt)
{
  DossierDossier *dossier;
  gboolean implantable = FALSE;
  gboolean is_signed = sqlite3_column_int (stmt, 13) != 0;

  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    implantable = sqlite3_column_int64 (stmt, 9) >= self->implantable_min_days;

  dossier = g_object_new (DOSSIER_TYPE_DOSSIER,
                          "id", sqlite3_column_int64 (stmt, 0),
                          "unit-no", column_text (stmt, 1),
                          "kind", column_text (stmt, 2),
                          "status", column_text (stmt, 3),
                          "patient-code", column_text (stmt, 4),
                          "institution-name", column_text (stmt, 5),
                          "clinician-name", column_text (stmt, 6),
                          "product-name", column_text (stmt, 7),
                          "reference", column_text (stmt, 8),
                          "implantable", implantable,
                          "created-at", column_text (stmt, 10),
                          "updated-at", column_text (stmt, 11),
                          "has-problems", sqlite3_column_int (stmt, 12) != 0,
                          "signed", is_signed,
                          NULL);

  /* Only an index lookup here; whether a signature still holds is worked out
   * when a view first shows the row. */
  if (is_signed)
    _dossier_dossier_set_store (dossier, self->store);

  return dossier;
}

/* The page's ids are picked by the inner query, which only walks the dossier
 * table's indexes (cheap even for a far OFFSET); the joins then run for those
 * PAGE_SIZE rows only. */
static Page *
load_page (DossierDossierList *self,
           guint               index)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " SUMMARY_COLUMNS SUMMARY_JOINS
                                         " WHERE d.id IN (SELECT d.id FROM dossier d");
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt;
  Page *page;
  int rc;

  append_filters (self, sql, self->n_items >= WALK_INDEX_MIN_HITS);
  append_order (self, sql);
  g_string_append (sql, " LIMIT :limit OFFSET :offset)");
  append_order (self, sql);

  if (!(stmt = prepare (self, sql->str)))
    return NULL;

  bind_filters (self, stmt);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), PAGE_SIZE);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"),
                      (gint64)index * PAGE_SIZE);

  items = g_ptr_array_new_full (PAGE_SIZE, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, read_item (self, stmt));

  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, _("Reading the list of dossiers"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_steal_pointer (&items);

  g_queue_push_head (&self->pages, page);
  while (g_queue_get_length (&self->pages) > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static Page *
lookup_page (DossierDossierList *self,
             guint               index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          if (l != self->pages.head)
            {
              g_queue_unlink (&self->pages, l);
              g_queue_push_head_link (&self->pages, l);
            }
          return page;
        }
    }

  return NULL;
}

/* Re-reads the count with the current query and tells views that everything
 * may have changed: one signal, whatever was changed. */
static void
refresh (DossierDossierList *self)
{
  guint old_n = self->n_items;

  clear_pages (self);
  g_clear_error (&self->error);

  if (self->hits_table != NULL)
    {
      gint64 n_hits = collect_hits (self);

      /* The search index holds exactly the dossiers (its triggers see to it), so
       * with no other filter the hits are the count. */
      if (n_hits < 0)
        self->n_items = 0;
      else if (is_searching (self) && self->status == NULL && self->kind == NULL &&
               self->institution_id == 0)
        self->n_items = (guint)MIN (n_hits, G_MAXUINT);
      else
        self->n_items = query_count (self);
    }
  else
    self->n_items = query_count (self);

  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Search text ------------------------------------------------------------------ */

static char *
fts_string_literal (const char *term)
{
  GString *s = g_string_new ("\"");

  for (const char *p = term; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');

  return g_string_free (s, FALSE);
}

static char *
like_pattern (const char *term)
{
  GString *s = g_string_new ("%");

  for (const char *p = term; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

/* Words are matched independently (all must occur, in any order), so that
 * "李明 髋臼杯" finds the clinician's hip cups.  Each word is a substring: words of
 * three characters or more go through the trigram index as FTS5 string
 * literals, shorter ones are matched with LIKE over the indexed text. */
static void
parse_search (DossierDossierList *self)
{
  g_autoptr(GString) match = g_string_new (NULL);
  const char *p = self->search;

  g_clear_pointer (&self->match, g_free);
  g_ptr_array_set_size (self->like_terms, 0);

  while (p != NULL && *p != '\0')
    {
      const char *start;
      g_autofree char *term = NULL;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      term = g_strndup (start, p - start);

      if (g_utf8_strlen (term, -1) >= 3)
        {
          g_autofree char *literal = fts_string_literal (term);

          if (match->len > 0)
            g_string_append_c (match, ' ');
          g_string_append (match, literal);
        }
      else if (self->like_terms->len < MAX_SHORT_TERMS)
        {
          g_ptr_array_add (self->like_terms, like_pattern (term));
        }
    }

  if (match->len > 0)
    self->match = g_string_free (g_steal_pointer (&match), FALSE);
}

/* GListModel ------------------------------------------------------------------- */

static GType
dossier_dossier_list_get_item_type (GListModel *model)
{
  return DOSSIER_TYPE_DOSSIER;
}

static guint
dossier_dossier_list_get_n_items (GListModel *model)
{
  return DOSSIER_DOSSIER_LIST (model)->n_items;
}

static gpointer
dossier_dossier_list_get_item (GListModel *model,
                               guint       position)
{
  DossierDossierList *self = DOSSIER_DOSSIER_LIST (model);
  guint index = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, index);
  if (page == NULL)
    page = load_page (self, index);

  /* A page can be short when another program deleted rows since the count was
   * taken; the next reload() fixes the count. */
  if (page == NULL || offset >= page->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

static void
dossier_dossier_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dossier_dossier_list_get_item_type;
  iface->get_n_items = dossier_dossier_list_get_n_items;
  iface->get_item = dossier_dossier_list_get_item;
}

/* GObject ---------------------------------------------------------------------- */

static void
dossier_dossier_list_constructed (GObject *object)
{
  DossierDossierList *self = (DossierDossierList *)object;
  g_autofree char *min_days = NULL;

  G_OBJECT_CLASS (dossier_dossier_list_parent_class)->constructed (object);

  g_assert (DOSSIER_IS_STORE (self->store));

  /* Read once: the threshold is configurable data (DOMAIN.md), not a constant. */
  min_days = dossier_store_get_setting (self->store, "device.implantable_min_days");
  self->implantable_min_days = DEFAULT_IMPLANTABLE_MIN_DAYS;
  if (min_days != NULL)
    {
      gint64 value;

      if (g_ascii_string_to_signed (min_days, 10, 0, G_MAXINT32, &value, NULL))
        self->implantable_min_days = value;
      else
        g_warning ("Setting device.implantable_min_days is not a number (“%s”); using %d",
                   min_days, DEFAULT_IMPLANTABLE_MIN_DAYS);
    }

  /* Each list has its own table (several may share the store's connection);
   * the name is made from a counter, never from outside text. */
  {
    static guint serial;
    g_autofree char *name = g_strdup_printf ("temp.dossier_list_hits_%u", ++serial);
    g_autofree char *sql = g_strdup_printf ("CREATE TEMP TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY)",
                                            name + strlen ("temp."));

    if (sqlite3_exec (dossier_store_get_handle (self->store), sql, NULL, NULL, NULL) == SQLITE_OK)
      self->hits_table = g_steal_pointer (&name);
    else
      g_debug ("No table for search hits, searching on every read: %s",
               sqlite3_errmsg (dossier_store_get_handle (self->store)));
  }

  self->n_items = query_count (self);
}

static void
dossier_dossier_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DossierDossierList *self = DOSSIER_DOSSIER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DossierDossierList *self = DOSSIER_DOSSIER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SEARCH:
      dossier_dossier_list_set_search (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_list_class_init (DossierDossierListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dossier_dossier_list_constructed;
  object_class->dispose = dossier_dossier_list_dispose;
  object_class->finalize = dossier_dossier_list_finalize;
  object_class->get_property = dossier_dossier_list_get_property;
  object_class->set_property = dossier_dossier_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOSSIER_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_dossier_list_init (DossierDossierList *self)
{
  g_queue_init (&self->pages);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->like_terms = g_ptr_array_new_with_free_func (g_free);
  self->sort = DOSSIER_SORT_UPDATED_DESC;
  self->implantable_min_days = DEFAULT_IMPLANTABLE_MIN_DAYS;
}

/* Public ----------------------------------------------------------------------- */

DossierDossierList *
dossier_dossier_list_new (DossierStore *store)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (store), NULL);

  return g_object_new (DOSSIER_TYPE_DOSSIER_LIST, "store", store, NULL);
}

DossierStore *
dossier_dossier_list_get_store (DossierDossierList *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), NULL);

  return self->store;
}

void
dossier_dossier_list_set_search (DossierDossierList *self,
                                 const char         *text)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));

  if (text != NULL)
    {
      trimmed = g_utf8_make_valid (text, -1);
      g_strstrip (trimmed);
      if (*trimmed == '\0')
        g_clear_pointer (&trimmed, g_free);
    }

  if (g_strcmp0 (trimmed, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&trimmed);
  parse_search (self);

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

const char *
dossier_dossier_list_get_search (DossierDossierList *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), NULL);

  return self->search;
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
dossier_dossier_list_set_status (DossierDossierList *self,
                                 const char         *status)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));

  if (replace_string (&self->status, status))
    refresh (self);
}

void
dossier_dossier_list_set_kind (DossierDossierList *self,
                               const char         *kind)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));

  if (replace_string (&self->kind, kind))
    refresh (self);
}

void
dossier_dossier_list_set_institution (DossierDossierList *self,
                                      gint64              institution_id)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));
  g_return_if_fail (institution_id >= 0);

  if (self->institution_id == institution_id)
    return;

  self->institution_id = institution_id;
  refresh (self);
}

void
dossier_dossier_list_set_sort (DossierDossierList *self,
                               DossierSort         sort)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));
  g_return_if_fail (sort == DOSSIER_SORT_UPDATED_DESC || sort == DOSSIER_SORT_UNIT_NO);

  if (self->sort == sort)
    return;

  self->sort = sort;
  refresh (self);
}

DossierSort
dossier_dossier_list_get_sort (DossierDossierList *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), DOSSIER_SORT_UPDATED_DESC);

  return self->sort;
}

void
dossier_dossier_list_reload (DossierDossierList *self)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER_LIST (self));

  refresh (self);
}

const GError *
dossier_dossier_list_get_error (DossierDossierList *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), NULL);

  return self->error;
}

guint
dossier_dossier_list_get_cached_pages (DossierDossierList *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), 0);

  return g_queue_get_length (&self->pages);
}

GPtrArray *
dossier_dossier_list_get_institutions (DossierDossierList  *self,
                                       GError             **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER_LIST (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* dossier_institution makes each EXISTS one index lookup. */
  stmt = _dossier_store_prepare (self->store,
                                 "SELECT i.id, i.name_zh, i.name_en FROM institution i"
                                 " WHERE EXISTS (SELECT 1 FROM dossier d WHERE d.institution_id = i.id)"
                                 " ORDER BY i.name_zh, i.id",
                                 error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GHashTable *row = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      g_hash_table_insert (row, (gpointer)"id", g_strdup_printf ("%" G_GINT64_FORMAT,
                                                                 (gint64)sqlite3_column_int64 (stmt, 0)));
      g_hash_table_insert (row, (gpointer)"name_zh", g_strdup (column_text (stmt, 1)));
      if (column_text (stmt, 2) != NULL && *column_text (stmt, 2) != '\0')
        g_hash_table_insert (row, (gpointer)"name_en", g_strdup (column_text (stmt, 2)));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _dossier_store_set_error (self->store, error, rc, _("Reading the list of institutions"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}
