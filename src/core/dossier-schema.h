/* dossier-schema.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the application knows about each table it writes: the columns it may set, how
 * a value for each is validated, and the human label used in messages and history.
 * The SQL schema itself lives in resources/migrations; this table is the one place
 * that says which identifiers the store may put into SQL text. */

typedef enum
{
  DOSSIER_COLUMN_TEXT,       /* free text, max_chars */
  DOSSIER_COLUMN_INTEGER,    /* min..max */
  DOSSIER_COLUMN_BOOLEAN,    /* "0" / "1" (also true/false/yes/no on input) */
  DOSSIER_COLUMN_DATE,       /* YYYY-MM-DD */
  DOSSIER_COLUMN_TIMESTAMP,  /* ISO 8601 with UTC offset */
  DOSSIER_COLUMN_CHOICE,     /* one of choices */
  DOSSIER_COLUMN_REFERENCE,  /* id of a row in ref_table */
  DOSSIER_COLUMN_DECIMAL,    /* a finite decimal number kept as text */
} DossierColumnKind;

typedef enum
{
  DOSSIER_COLUMN_REQUIRED  = 1 << 0, /* no empty value */
  DOSSIER_COLUMN_IMMUTABLE = 1 << 1, /* set on insert, never changed */
  DOSSIER_COLUMN_GENERATED = 1 << 2, /* set by the store only */
  DOSSIER_COLUMN_UNIQUE    = 1 << 3, /* a duplicate is refused with a message */
  DOSSIER_COLUMN_DEFAULTED = 1 << 4, /* with REQUIRED: may be left out on insert, the SQL default applies */
} DossierColumnFlags;

typedef gboolean (*DossierValidateFunc) (const char *value, GError **error);

typedef struct
{
  const char          *value;
  const char          *label;   /* N_() */
} DossierChoice;

typedef struct
{
  const char          *name;
  const char          *label;   /* N_() */
  DossierColumnKind    kind;
  DossierColumnFlags   flags;
  gint64               min;     /* INTEGER: bounds; TEXT: unused */
  gint64               max;     /* INTEGER: bound; TEXT: max characters */
  const DossierChoice *choices; /* CHOICE: ends with a NULL value */
  const char          *ref_table;
  DossierValidateFunc  validate; /* extra check for TEXT, or NULL */
} DossierColumn;

typedef struct
{
  const char          *name;
  const char          *label;   /* N_() */
  const DossierColumn *columns; /* ends with a NULL name */
  const char          *dossier_column; /* column that points at the owning dossier, or NULL */
} DossierTable;

const DossierTable  *dossier_schema_lookup_table  (const char          *table);
const DossierTable  *dossier_schema_tables        (guint               *n_tables);
const DossierColumn *dossier_schema_lookup_column (const DossierTable  *table,
                                                   const char          *column);
const char          *dossier_schema_choice_label  (const DossierColumn *column,
                                                   const char          *value);
const char          *dossier_schema_column_label  (const char          *table,
                                                   const char          *column);
const char          *dossier_schema_table_label   (const char          *table);

/* Normalises and checks one value; on success *normalized holds what is stored (or
 * NULL for SQL NULL).  The error message starts with the field's translated label. */
gboolean             dossier_schema_check_value   (const DossierTable  *table,
                                                   const DossierColumn *column,
                                                   const char          *value,
                                                   char               **normalized,
                                                   GError             **error);

G_END_DECLS
