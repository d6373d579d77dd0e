/* dossier-package-zip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-package"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "dossier-package-verify.h"
#include "dossier-package-zip.h"

#define CHUNK_SIZE (64 * 1024)
#define DEFLATE_LEVEL 6
#define DEFAULT_MAX_TOTAL_BYTES (G_GUINT64_CONSTANT (1) << 40)   /* 1 TiB */
#define DEFAULT_MAX_RATIO 1000

G_DEFINE_QUARK (dossier-package-error-quark, dossier_package_error)

static DossierPackageZipLimits test_limits;
static gboolean have_test_limits;

void
dossier_package_zip_get_limits (DossierPackageZipLimits *limits)
{
  g_return_if_fail (limits != NULL);

  if (have_test_limits)
    {
      *limits = test_limits;
      return;
    }
  limits->max_entries = DOSSIER_PACKAGE_MAX_FILES;
  limits->max_total_bytes = DEFAULT_MAX_TOTAL_BYTES;
  /* Deflate cannot do better than about 1032 : 1, so a larger declared ratio is a
   * lie; and no document of a package comes near it. */
  limits->max_ratio = DEFAULT_MAX_RATIO;
}

void
dossier_package_zip_set_limits_for_testing (const DossierPackageZipLimits *limits)
{
  have_test_limits = limits != NULL;
  if (limits != NULL)
    test_limits = *limits;
}

static void
add_finding (GPtrArray  *findings,
             const char *rule_id,
             const char *file,
             char       *message)   /* owned */
{
  DossierPackageFinding *f = g_new0 (DossierPackageFinding, 1);

  f->rule_id = g_strdup (rule_id);
  f->severity = DOSSIER_SEVERITY_ERROR;
  f->file = g_strdup (file);
  f->message = message;
  g_ptr_array_add (findings, f);
}

/* Writing ------------------------------------------------------------------------ */

/* libzip turns a time_t into the DOS date and time of the entry with localtime(), so
 * the time_t is made with mktime() from the wall-clock time wanted: the entry then
 * shows that time whatever the time zone of the machine that writes it. */
static time_t
entry_time (const char *generated_at)
{
  struct tm tm = { 0 };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;

  if (generated_at == NULL ||
      sscanf (generated_at, "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day, &hour, &minute, &second) != 6 ||
      year < 1980 || year > 2107 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59)
    {
      year = 1980;
      month = day = 1;
      hour = minute = second = 0;
    }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  tm.tm_isdst = -1;
  return mktime (&tm);
}

static int
cancel_callback (zip_t *za,
                 void  *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static void
set_zip_error (GError     **error,
               zip_t       *za,
               const char  *zip_path)
{
  if (error != NULL && *error != NULL)
    return;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not write the zip file “%s”: %s"), zip_path, zip_strerror (za));
}

gboolean
dossier_package_zip_write (const char    *folder,
                           GPtrArray     *paths,
                           const char    *generated_at,
                           const char    *zip_path,
                           GCancellable  *cancellable,
                           GError       **error)
{
  zip_t *za;
  int zerr = 0;
  time_t mtime;

  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (paths != NULL, FALSE);
  g_return_val_if_fail (zip_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  za = zip_open (zip_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  if (za == NULL)
    {
      zip_error_t ze;

      zip_error_init_with_code (&ze, zerr);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the zip file “%s”: %s"), zip_path, zip_error_strerror (&ze));
      zip_error_fini (&ze);
      return FALSE;
    }
  if (cancellable != NULL)
    zip_register_cancel_callback_with_state (za, cancel_callback, NULL, cancellable);

  mtime = entry_time (generated_at);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *rel = g_ptr_array_index (paths, i);
      g_autofree char *full = g_build_filename (folder, rel, NULL);
      gboolean stored = g_str_has_prefix (rel, "attachments/");
      zip_source_t *source;
      zip_int64_t idx;

      g_assert (dossier_package_path_is_safe (rel));

      /* Read from the file only when the archive is written, in chunks. */
      source = zip_source_file (za, full, 0, -1);
      if (source == NULL)
        goto fail;
      idx = zip_file_add (za, rel, source, ZIP_FL_ENC_UTF_8);
      if (idx < 0)
        {
          zip_source_free (source);
          goto fail;
        }
      /* The same archive every time: one time stamp, one mode, one compression per
       * kind of file (attachments as they are: often compressed already, and a
       * reader can hash them at disk speed), and no extra fields. */
      if (zip_set_file_compression (za, idx, stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                    stored ? 0 : DEFLATE_LEVEL) < 0 ||
          zip_file_set_mtime (za, idx, mtime, 0) < 0 ||
          zip_file_set_external_attributes (za, idx, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)(S_IFREG | 0644) << 16) < 0 ||
          zip_file_extra_field_delete (za, idx, ZIP_EXTRA_FIELD_ALL, ZIP_FL_LOCAL | ZIP_FL_CENTRAL) < 0)
        goto fail;
    }

  if (zip_close (za) < 0)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        set_zip_error (error, za, zip_path);
      zip_discard (za);
      return FALSE;
    }
  return TRUE;

fail:
  set_zip_error (error, za, zip_path);
  zip_discard (za);
  return FALSE;
}

gboolean
dossier_package_is_zip (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  guint8 magic[4] = { 0 };
  gsize n = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  file = g_file_new_for_path (path);
  in = g_file_read (file, NULL, NULL);
  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), magic, sizeof magic, &n, NULL, NULL) ||
      n != sizeof magic)
    return FALSE;
  return magic[0] == 'P' && magic[1] == 'K' &&
         ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

/* Reading ------------------------------------------------------------------------ */

struct _DossierPackageZip
{
  zip_t                    *za;
  GPtrArray                *files;     /* names of the entries that passed */
  GHashTable               *index;     /* name → entry index + 1 */
  DossierPackageZipLimits   limits;
  guint64                   total_read;
  gboolean                  unsafe;
};

void
dossier_package_zip_close (DossierPackageZip *zip)
{
  if (zip == NULL)
    return;
  if (zip->za != NULL)
    zip_discard (zip->za);
  g_clear_pointer (&zip->files, g_ptr_array_unref);
  g_clear_pointer (&zip->index, g_hash_table_unref);
  g_free (zip);
}

GPtrArray *
dossier_package_zip_get_files (DossierPackageZip *zip)
{
  g_return_val_if_fail (zip != NULL, NULL);
  return zip->files;
}

gboolean
dossier_package_zip_is_unsafe (DossierPackageZip *zip)
{
  g_return_val_if_fail (zip != NULL, TRUE);
  return zip->unsafe;
}

/* Checks one entry; TRUE when it is a plain file that may be read. */
static gboolean
check_entry (DossierPackageZip *zip,
             zip_uint64_t       i,
             GHashTable        *seen,
             guint64           *total,
             GPtrArray         *findings)
{
  zip_stat_t st;
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  g_autofree char *shown = NULL;
  g_autofree char *name = NULL;
  gboolean directory;
  guint before = findings->len;

  zip_stat_init (&st);
  if (zip_stat_index (zip->za, i, ZIP_FL_ENC_RAW, &st) < 0 || !(st.valid & ZIP_STAT_NAME))
    {
      add_finding (findings, "PKG-ZIP", NULL,
                   g_strdup_printf (_("Entry %" PRIu64 " of the zip cannot be read: %s"),
                                    (guint64)i, zip_strerror (zip->za)));
      return FALSE;
    }
  /* A name is shown as UTF-8 even when it is not; it is checked as the raw bytes. */
  shown = g_utf8_make_valid (st.name, -1);
  directory = g_str_has_suffix (st.name, "/");
  name = directory ? g_strndup (st.name, strlen (st.name) - 1) : g_strdup (st.name);

  if (!dossier_package_path_is_safe (name))
    add_finding (findings, "PKG-PATH", shown,
                 g_strdup (_("The name is not allowed in a package: it must be relative, without “..”, "
                             "with “/” between folders, in ASCII letters, digits, “.”, “_” and “-”.")));

  if (zip_file_get_external_attributes (zip->za, i, 0, &opsys, &attributes) == 0 &&
      opsys == ZIP_OPSYS_UNIX)
    {
      guint32 type = (attributes >> 16) & S_IFMT;

      if (type != 0 && type != (directory ? S_IFDIR : S_IFREG))
        add_finding (findings, "PKG-PATH", shown,
                     g_strdup (_("The entry is a symbolic link or a special file; packages hold only plain files.")));
    }

  if (g_hash_table_contains (seen, st.name))
    add_finding (findings, "PKG-ZIP", shown, g_strdup (_("The name appears more than once in the zip.")));
  else
    g_hash_table_add (seen, g_strdup (st.name));

  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    add_finding (findings, "PKG-ZIP", shown, g_strdup (_("The entry is encrypted; packages are never encrypted.")));
  if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
    add_finding (findings, "PKG-ZIP", shown,
                 g_strdup_printf (_("The entry uses compression method %d; only store and deflate are allowed."),
                                  (int)st.comp_method));

  if (st.valid & ZIP_STAT_SIZE)
    {
      guint64 comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;

      if (*total <= zip->limits.max_total_bytes && st.size > zip->limits.max_total_bytes - *total)
        add_finding (findings, "PKG-ZIP", shown,
                     g_strdup_printf (_("The zip declares more than %" PRIu64 " bytes once unpacked; that is over the limit."),
                                      zip->limits.max_total_bytes));
      *total += st.size;
      if (st.size > 0 && st.size / MAX (comp, 1) > zip->limits.max_ratio)
        add_finding (findings, "PKG-ZIP", shown,
                     g_strdup_printf (_("The entry declares %" PRIu64 " bytes from %" PRIu64 " compressed, a ratio over "
                                        "%" PRIu64 " : 1 (a zip bomb?)."),
                                      (guint64)st.size, comp, zip->limits.max_ratio));
    }

  if (findings->len > before)
    {
      zip->unsafe = TRUE;
      return FALSE;
    }
  if (directory)
    return FALSE;

  g_hash_table_insert (zip->index, g_strdup (name), GSIZE_TO_POINTER ((gsize)i + 1));
  g_ptr_array_add (zip->files, g_steal_pointer (&name));
  return TRUE;
}

DossierPackageZip *
dossier_package_zip_open (const char *path,
                          GPtrArray  *findings)
{
  g_autoptr(DossierPackageZip) zip = NULL;
  g_autoptr(GHashTable) seen = NULL;
  zip_int64_t n;
  guint64 total = 0;
  int zerr = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (findings != NULL, NULL);

  zip = g_new0 (DossierPackageZip, 1);
  dossier_package_zip_get_limits (&zip->limits);
  zip->files = g_ptr_array_new_with_free_func (g_free);
  zip->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Not ZIP_CHECKCONS: it refuses duplicate names without saying which. */
  zip->za = zip_open (path, ZIP_RDONLY, &zerr);
  if (zip->za == NULL)
    {
      zip_error_t ze;

      zip_error_init_with_code (&ze, zerr);
      add_finding (findings, zerr == ZIP_ER_NOZIP ? "PKG-CONTAINER" : "PKG-ZIP", NULL,
                   g_strdup_printf (_("“%s” is not a readable zip file: %s"), path, zip_error_strerror (&ze)));
      zip_error_fini (&ze);
      return NULL;
    }

  n = zip_get_num_entries (zip->za, 0);
  if (n < 0 || (guint64)n > zip->limits.max_entries)
    {
      add_finding (findings, "PKG-ZIP", NULL,
                   g_strdup_printf (_("The zip has %" PRId64 " entries; at most %" PRIu64 " are allowed."),
                                    (gint64)n, zip->limits.max_entries));
      zip->unsafe = TRUE;
      return g_steal_pointer (&zip);
    }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (zip_int64_t i = 0; i < n; i++)
    check_entry (zip, (zip_uint64_t)i, seen, &total, findings);

  return g_steal_pointer (&zip);
}

typedef gboolean (*ChunkFunc) (const guint8  *data,
                               gsize          length,
                               gpointer       user_data,
                               GError       **error);

/* Streams one entry to func.  FALSE with a finding when the entry is damaged or
 * breaks a limit, FALSE with error when cancelled or func failed. */
static gboolean
read_entry (DossierPackageZip  *zip,
            const char         *name,
            ChunkFunc           func,
            gpointer            user_data,
            GPtrArray          *findings,
            GCancellable       *cancellable,
            GError            **error)
{
  gpointer value = g_hash_table_lookup (zip->index, name);
  zip_uint64_t idx;
  zip_stat_t st;
  zip_file_t *zf;
  g_autofree guint8 *buffer = NULL;
  guint64 done = 0;
  zip_int64_t n;
  gboolean ok = TRUE;

  if (value == NULL)
    {
      add_finding (findings, "PKG-MISSING", name, g_strdup (_("The file is not in the zip.")));
      return FALSE;
    }
  idx = GPOINTER_TO_SIZE (value) - 1;
  zip_stat_init (&st);
  if (zip_stat_index (zip->za, idx, 0, &st) < 0 || (zf = zip_fopen_index (zip->za, idx, 0)) == NULL)
    {
      add_finding (findings, "PKG-ZIP", name,
                   g_strdup_printf (_("The entry cannot be read: %s"), zip_strerror (zip->za)));
      return FALSE;
    }

  buffer = g_malloc (CHUNK_SIZE);
  while (ok && (n = zip_fread (zf, buffer, CHUNK_SIZE)) > 0)
    {
      /* Counted here rather than trusting the header: a forged size must not let
       * more out than was declared, nor the whole zip more than the limit. */
      done += (guint64)n;
      zip->total_read += (guint64)n;
      if (done > st.size)
        {
          add_finding (findings, "PKG-ZIP", name,
                       g_strdup_printf (_("The entry unpacks to more than the %" PRIu64 " bytes it declares."),
                                        (guint64)st.size));
          ok = FALSE;
        }
      else if (zip->total_read > zip->limits.max_total_bytes)
        {
          add_finding (findings, "PKG-ZIP", name,
                       g_strdup_printf (_("Unpacking stopped: the zip gives more than %" PRIu64 " bytes."),
                                        zip->limits.max_total_bytes));
          ok = FALSE;
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
               !func (buffer, (gsize)n, user_data, error))
        ok = FALSE;
    }
  if (ok && n < 0)
    {
      add_finding (findings, "PKG-ZIP", name,
                   g_strdup_printf (_("The entry is damaged: %s"), zip_file_strerror (zf)));
      ok = FALSE;
    }
  zip_fclose (zf);
  return ok;
}

typedef struct
{
  GByteArray *bytes;
  gsize       max;
} ReadAll;

static gboolean
append_chunk (const guint8  *data,
              gsize          length,
              gpointer       user_data,
              GError       **error)
{
  ReadAll *r = user_data;

  if (r->bytes->len + length > r->max)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "too large");
      return FALSE;
    }
  g_byte_array_append (r->bytes, data, length);
  return TRUE;
}

char *
dossier_package_zip_read (DossierPackageZip *zip,
                          const char        *name,
                          gsize              max_bytes,
                          gsize             *length,
                          GPtrArray         *findings)
{
  g_autoptr(GError) error = NULL;
  gpointer value;
  zip_stat_t st;
  ReadAll r;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (length != NULL, NULL);

  *length = 0;
  value = g_hash_table_lookup (zip->index, name);
  zip_stat_init (&st);
  if (value != NULL && zip_stat_index (zip->za, GPOINTER_TO_SIZE (value) - 1, 0, &st) == 0 &&
      st.size > max_bytes)
    {
      add_finding (findings, "PKG-XML", name,
                   g_strdup_printf (_("The file is too large (%" PRIu64 " bytes; at most %zu)."),
                                    (guint64)st.size, max_bytes));
      return NULL;
    }

  r.bytes = g_byte_array_sized_new (value != NULL ? (guint)MIN (st.size, max_bytes) + 1 : 1);
  r.max = max_bytes;
  if (!read_entry (zip, name, append_chunk, &r, findings, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        add_finding (findings, "PKG-XML", name,
                     g_strdup_printf (_("The file is larger than %zu bytes."), max_bytes));
      g_byte_array_unref (r.bytes);
      return NULL;
    }
  *length = r.bytes->len;
  g_byte_array_append (r.bytes, (const guint8 *)"", 1);
  return (char *)g_byte_array_free (r.bytes, FALSE);
}

typedef struct
{
  GChecksum *sum;
  guint64    size;
} Hash;

static gboolean
hash_chunk (const guint8  *data,
            gsize          length,
            gpointer       user_data,
            GError       **error)
{
  Hash *h = user_data;

  g_checksum_update (h->sum, data, length);
  h->size += length;
  return TRUE;
}

char *
dossier_package_zip_hash (DossierPackageZip  *zip,
                          const char         *name,
                          guint64            *size,
                          GPtrArray          *findings,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  Hash h = { sum, 0 };

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (size != NULL, NULL);

  *size = 0;
  if (!read_entry (zip, name, hash_chunk, &h, findings, cancellable, error))
    return NULL;
  *size = h.size;
  return g_strdup (g_checksum_get_string (sum));
}

/* Unpacking ---------------------------------------------------------------------- */

void
dossier_package_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        GStatBuf st;

        if (g_lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
          dossier_package_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static gboolean
write_chunk (const guint8  *data,
             gsize          length,
             gpointer       user_data,
             GError       **error)
{
  int fd = GPOINTER_TO_INT (user_data);

  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _("Could not write the unpacked file: %s"), g_strerror (errsv));
          return FALSE;
        }
      data += n;
      length -= (gsize)n;
    }
  return TRUE;
}

static void
set_invalid_error (GError    **error,
                   const char *zip_path,
                   GPtrArray  *findings)
{
  g_autoptr(GString) message = g_string_new (NULL);

  g_string_printf (message, _("“%s” was not unpacked, because it is not a safe package:"), zip_path);
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = dossier_package_finding_format (g_ptr_array_index (findings, i));
      g_string_append_printf (message, "\n  %s", line);
    }
  g_set_error_literal (error, DOSSIER_PACKAGE_ERROR, DOSSIER_PACKAGE_ERROR_INVALID, message->str);
}

/* Writes one entry below root; the name was checked, root is a new folder that
 * holds only what was unpacked so far (no links), and O_EXCL | O_NOFOLLOW make sure
 * no existing file is written through. */
static gboolean
unpack_file (DossierPackageZip  *zip,
             const char         *root,
             const char         *name,
             GPtrArray          *findings,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autofree char *full = g_build_filename (root, name, NULL);
  g_autofree char *parent = g_path_get_dirname (full);
  gboolean ok;
  int fd;

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder “%s”: %s"), parent, g_strerror (errsv));
      return FALSE;
    }
  fd = open (full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), full, g_strerror (errsv));
      return FALSE;
    }
  ok = read_entry (zip, name, write_chunk, GINT_TO_POINTER (fd), findings, cancellable, error);
  if (close (fd) != 0 && ok)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not write “%s”: %s"), full, g_strerror (errsv));
      ok = FALSE;
    }
  return ok;
}

gboolean
dossier_package_unpack (const char    *zip_path,
                        const char    *dest_dir,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(DossierPackageZip) zip = NULL;
  g_autofree char *tmpl = NULL;
  char *tmp;
  gboolean ok = TRUE;

  g_return_val_if_fail (zip_path != NULL, FALSE);
  g_return_val_if_fail (dest_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_file_test (dest_dir, G_FILE_TEST_EXISTS) || g_file_test (dest_dir, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” already exists; a package is only unpacked into a new folder."), dest_dir);
      return FALSE;
    }

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)dossier_package_finding_free);
  zip = dossier_package_zip_open (zip_path, findings);
  if (zip == NULL || findings->len > 0)
    {
      set_invalid_error (error, zip_path, findings);
      return FALSE;
    }

  tmpl = g_strconcat (dest_dir, ".partial-XXXXXX", NULL);
  tmp = g_mkdtemp_full (tmpl, 0755);
  if (tmp == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create “%s”: %s"), tmpl, g_strerror (errsv));
      return FALSE;
    }

  for (guint i = 0; ok && i < zip->files->len; i++)
    {
      ok = unpack_file (zip, tmp, g_ptr_array_index (zip->files, i), findings, cancellable, error);
      if (!ok && (error == NULL || *error == NULL))
        set_invalid_error (error, zip_path, findings);
    }

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;
  if (ok && g_rename (tmp, dest_dir) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not rename “%s” to “%s”: %s"), tmp, dest_dir, g_strerror (errsv));
      ok = FALSE;
    }
  if (!ok)
    dossier_package_remove_tree (tmp);
  return ok;
}
