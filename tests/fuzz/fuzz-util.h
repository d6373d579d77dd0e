/* fuzz-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the fuzz targets share: one private scratch folder per process, emptied
 * after every input, and a round trip of a package through a fresh database. */

/* Sets up the process once (environment, fatal criticals, small zip limits). */
void         fuzz_init            (void);
/* The process's scratch folder (created on first use, removed at exit). */
const char  *fuzz_workdir         (void);
/* A new name inside the scratch folder, e.g. "db-17.db"; free with g_free(). */
char        *fuzz_path            (const char *prefix,
                                   const char *suffix);
/* Removes everything inside the scratch folder (but the folder itself). */
void         fuzz_clean           (void);
/* Verifies the package at path; when it verifies with no error, imports it into
 * a new database and exports that database again (as a zip when zip is TRUE). */
void         fuzz_round_trip      (const char *path,
                                   gboolean    zip);

G_END_DECLS
