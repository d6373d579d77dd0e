/* dossier-package-zip.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Filing packages as one zip file (docs/filing-package.md, "Zip packages").
 *
 * Writing is deterministic: the entries are the package's files in the order given
 * (package.xml, manifest.xml, then the manifest's order), each with the same fixed
 * time stamp, Unix permissions 0644, no extra fields, no comment, XML and schemas
 * deflated at level 6 and attachments stored as they are.  Content is streamed from
 * the files; nothing is held whole in memory.
 *
 * Reading treats the file as hostile.  Before any entry is read, every entry is
 * checked: a safe name (dossier_package_path_is_safe()), no symbolic link or other
 * special file, no duplicate, no encryption, only the store and deflate methods,
 * and limits on the number of entries, the total declared size and each entry's
 * declared compression ratio.  While reading, the bytes actually inflated are
 * counted and reading stops at the entry's declared size and at the total limit.
 * Findings use the rule IDs of dossier-package-verify.h, and PKG-ZIP for what is
 * wrong with the zip container itself. */

#define DOSSIER_PACKAGE_ERROR (dossier_package_error_quark ())

typedef enum
{
  DOSSIER_PACKAGE_ERROR_INVALID,  /* the zip is unsafe or not a package; the message lists why */
} DossierPackageError;

GQuark dossier_package_error_quark (void);

/* The limits a zip package is read with. */
typedef struct
{
  guint64 max_entries;         /* default 1,000,000 (DOSSIER_PACKAGE_MAX_FILES) */
  guint64 max_total_bytes;     /* uncompressed, all entries together; default 1 TiB */
  guint64 max_ratio;           /* uncompressed : compressed per entry; default 1000 */
} DossierPackageZipLimits;

void      dossier_package_zip_get_limits            (DossierPackageZipLimits       *limits);
/* Tests: smaller limits, so that a bomb test stays fast; NULL restores the defaults. */
void      dossier_package_zip_set_limits_for_testing (const DossierPackageZipLimits *limits);

/* Writes zip_path (replaced if it exists; the caller writes to a temporary name)
 * from the files paths (relative to folder, in this order).  generated_at is the
 * package's time stamp (ISO 8601 with offset); its wall-clock time as written is the
 * entries' time stamp, 1980-01-01 00:00:00 when it is earlier or cannot be read. */
gboolean  dossier_package_zip_write                 (const char    *folder,
                                                     GPtrArray     *paths,
                                                     const char    *generated_at,
                                                     const char    *zip_path,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* Whether path is a regular file that starts like a zip (a local file header or an
 * empty archive's end record). */
gboolean  dossier_package_is_zip                    (const char    *path);

/* Reading, for verification.  Opening checks every entry as described above and
 * appends findings; it returns NULL (with a PKG-CONTAINER or PKG-ZIP finding) only
 * when the file is not a readable zip at all. */
typedef struct _DossierPackageZip DossierPackageZip;

DossierPackageZip *dossier_package_zip_open         (const char         *path,
                                                     GPtrArray          *findings);
void               dossier_package_zip_close        (DossierPackageZip  *zip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierPackageZip, dossier_package_zip_close)

/* The plain files that passed the checks, in the zip's order (owned by zip). */
GPtrArray         *dossier_package_zip_get_files    (DossierPackageZip  *zip);
/* Whether the entry checks found anything (then nothing should be extracted). */
gboolean           dossier_package_zip_is_unsafe    (DossierPackageZip  *zip);

/* Reads one file whole, at most max_bytes (else a PKG-XML finding); NULL with a
 * finding when it cannot be read. */
char              *dossier_package_zip_read         (DossierPackageZip  *zip,
                                                     const char         *name,
                                                     gsize               max_bytes,
                                                     gsize              *length,
                                                     GPtrArray          *findings);
/* Streams one file through SHA-256 (hex) and gives its size; NULL with a finding
 * when it cannot be read (damaged, larger than declared, over the limits), or with
 * error only when cancelled. */
char              *dossier_package_zip_hash         (DossierPackageZip  *zip,
                                                     const char         *name,
                                                     guint64            *size,
                                                     GPtrArray          *findings,
                                                     GCancellable       *cancellable,
                                                     GError            **error);

/* Removes the folder path and everything in it, without following links: what a
 * failed export or unpacking, or an import of a zip, wrote. */
void               dossier_package_remove_tree      (const char         *path);

/* Extracts the zip package zip_path into the new folder dest_dir (which must not
 * exist), with the same checks and limits as verification: written under a
 * temporary name beside dest_dir and renamed, so a refused, failed or cancelled
 * unpacking leaves nothing, and nothing is ever written outside dest_dir.  It does
 * not verify the package's content (manifest, hashes, schemas): verify the zip
 * first (dossier_package_verify()).  Errors: DOSSIER_PACKAGE_ERROR_INVALID listing
 * the findings, G_IO_ERROR_EXISTS, G_IO_ERROR_CANCELLED, the file system's. */
gboolean           dossier_package_unpack           (const char         *zip_path,
                                                     const char         *dest_dir,
                                                     GCancellable       *cancellable,
                                                     GError            **error);

G_END_DECLS
