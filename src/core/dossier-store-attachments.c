/* dossier-store-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-attachments"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dossier-auth.h"
#include "dossier-store-private.h"

/* Attachment content lives beside the database in "<database>.files/", one file per
 * distinct content, named by its SHA-256.  Adding one streams the content into a
 * temporary file in that folder while hashing it, flushes it to disk, renames it to
 * its hash and only then commits the row that refers to it.  A crash therefore
 * leaves at worst a file that no row refers to, which the next open removes; never
 * a row without its content.  Content of any size passes through a fixed buffer. */

#define CHUNK_SIZE (256 * 1024)
#define TEMP_PREFIX ".incoming-"
/* An unreferenced file younger than this may belong to a transaction still running
 * in another process. */
#define ORPHAN_AGE_SECONDS (60 * 60)

char *
dossier_store_get_attachment_dir (DossierStore *self)
{
  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  return g_strconcat (dossier_store_get_path (self), ".files", NULL);
}

static char *
content_path (DossierStore *self,
              const char   *sha256)
{
  g_autofree char *dir = dossier_store_get_attachment_dir (self);
  char sub[3] = { sha256[0], sha256[1], 0 };

  return g_build_filename (dir, sub, sha256, NULL);
}

static gboolean
sync_dir (const char  *dir,
          GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY, 0);

  if (fd < 0)
    return TRUE;
  fsync (fd);
  close (fd);
  return TRUE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }

  return TRUE;
}

/* Streams content into the folder; returns its hash and size. */
static char *
store_content (DossierStore  *self,
               GInputStream  *content,
               const char    *original_name,
               goffset       *size_out,
               char         **media_type_out,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *dir = dossier_store_get_attachment_dir (self);
  g_autofree char *tmp = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *final = NULL;
  g_autofree char *final_dir = NULL;
  g_autofree char *sha256 = NULL;
  goffset size = 0;
  gboolean first = TRUE;
  int fd;

  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("Cannot create the attachment folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_READ_ONLY,
                   _("Cannot write in the attachment folder “%s”: %s"), dir, g_strerror (saved));
      return NULL;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (content, buffer, CHUNK_SIZE, cancellable, error);

      if (n < 0)
        goto failed;
      if (n == 0)
        break;

      if (first && media_type_out != NULL && *media_type_out == NULL)
        {
          g_autofree char *type = g_content_type_guess (original_name, buffer, n, NULL);
          *media_type_out = g_content_type_get_mime_type (type);
          if (*media_type_out == NULL)
            *media_type_out = g_strdup ("application/octet-stream");
        }
      first = FALSE;

      g_checksum_update (checksum, buffer, n);
      if (!write_all (fd, buffer, n))
        {
          int saved = errno;
          g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                       _("Could not store the attachment: %s"), g_strerror (saved));
          goto failed;
        }
      size += n;
    }

  if (media_type_out != NULL && *media_type_out == NULL)
    *media_type_out = g_strdup ("application/octet-stream");

  if (fsync (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   _("Could not store the attachment: %s"), g_strerror (saved));
      goto failed;
    }
  close (fd);
  fd = -1;

  sha256 = g_strdup (g_checksum_get_string (checksum));
  final = content_path (self, sha256);
  final_dir = g_path_get_dirname (final);
  g_mkdir_with_parents (final_dir, 0750);

  if (g_file_test (final, G_FILE_TEST_EXISTS))
    g_unlink (tmp); /* Same content already stored. */
  else if (g_rename (tmp, final) != 0)
    {
      int saved = errno;
      g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_FAILED,
                   _("Could not store the attachment: %s"), g_strerror (saved));
      goto failed;
    }
  sync_dir (final_dir, NULL);

  *size_out = size;
  return g_steal_pointer (&sha256);

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return NULL;
}

/* Streams first, outside any transaction, so that a long copy never holds the
 * database's write lock; the row (with its reason, for signed content) is then
 * written in a short transaction of its own. */
gint64
_dossier_store_add_attachment_full (DossierStore  *self,
                                    gint64         dossier_id,
                                    const char    *section,
                                    const char    *original_name,
                                    const char    *media_type,
                                    GInputStream  *content,
                                    const char    *reason,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *type = g_strdup (media_type);
  g_autofree char *dossier = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *now = NULL;
  goffset size = 0;
  gint64 id;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), 0);
  g_return_val_if_fail (G_IS_INPUT_STREAM (content), 0);
  g_return_val_if_fail (original_name != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  /* Refused before the content is streamed, not after (dossier-auth.c checks again
   * when the row is written). */
  if (!dossier_auth_check_permission (self, "attachment", DOSSIER_AUTH_INSERT, error))
    return 0;

  sha256 = store_content (self, content, original_name, &size, &type, cancellable, error);
  if (sha256 == NULL)
    return 0;

  dossier = g_strdup_printf ("%" G_GINT64_FORMAT, dossier_id);
  size_text = g_strdup_printf ("%" G_GOFFSET_FORMAT, size);
  now = _dossier_store_now ();

  {
    const DossierField fields[] = {
      { "dossier_id", dossier },
      { "section", section != NULL ? section : "other" },
      { "original_name", original_name },
      { "media_type", type },
      { "size", size_text },
      { "sha256", sha256 },
      { "added_by", dossier_store_get_actor (self) },
      { "added_at", now },
      { NULL }
    };

    if (!dossier_store_begin (self, error))
      return 0;
    _dossier_store_set_reason (self, reason);
    id = _dossier_store_insert_internal (self, "attachment", fields, error);
    _dossier_store_set_reason (self, NULL);
    if (id == 0 || !dossier_store_commit (self, error))
      {
        /* The content file stays until the next garbage collection: another row
         * may share it. */
        dossier_store_rollback (self);
        return 0;
      }
  }

  return id;
}

gint64
dossier_store_add_attachment (DossierStore  *self,
                              gint64         dossier_id,
                              const char    *section,
                              const char    *original_name,
                              const char    *media_type,
                              GInputStream  *content,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return _dossier_store_add_attachment_full (self, dossier_id, section, original_name, media_type,
                                             content, NULL, cancellable, error);
}

GInputStream *
dossier_store_open_attachment (DossierStore  *self,
                               gint64         attachment_id,
                               GError       **error)
{
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *sha256;

  g_return_val_if_fail (DOSSIER_IS_STORE (self), NULL);

  row = dossier_store_get_row (self, "attachment", attachment_id, error);
  if (row == NULL)
    return NULL;

  sha256 = g_hash_table_lookup (row, "sha256");
  path = content_path (self, sha256);
  file = g_file_new_for_path (path);

  return G_INPUT_STREAM (g_file_read (file, NULL, error));
}

static gboolean
is_referenced (DossierStore *self,
               const char   *sha256)
{
  sqlite3_stmt *stmt = _dossier_store_prepare (self, "SELECT 1 FROM attachment WHERE sha256 = ?1 LIMIT 1", NULL);
  gboolean found;

  if (stmt == NULL)
    return TRUE; /* When in doubt, keep. */

  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

static void
collect_dir (DossierStore *self,
             const char   *path,
             gint64        now)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_stat (child, &st) != 0)
        continue;

      if (S_ISDIR (st.st_mode))
        {
          if (strlen (name) == 2)
            collect_dir (self, child, now);
          continue;
        }

      if (now - st.st_mtime < ORPHAN_AGE_SECONDS)
        continue;

      if (g_str_has_prefix (name, TEMP_PREFIX) ||
          (strlen (name) == 64 && !is_referenced (self, name)))
        {
          g_debug ("Removing unreferenced attachment content %s", child);
          g_unlink (child);
        }
    }
}

void
_dossier_attachments_collect_garbage (DossierStore *self)
{
  g_autofree char *dir = dossier_store_get_attachment_dir (self);

  collect_dir (self, dir, g_get_real_time () / G_USEC_PER_SEC);
}
