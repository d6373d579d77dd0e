/* dossier-editor-attachments-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-attachments-page"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#if HAVE_POPPLER
# include <poppler.h>
#endif

#include "dossier-editor-attachments-page.h"
#include "dossier-editor-dialogs.h"
#include "dossier-editor-import-stream.h"
#include "dossier-editor-logic.h"
#include "dossier-format.h"
#include "dossier-schema.h"
#include "dossier-signature.h"

#define THUMBNAIL_SIZE        48
#define PREVIEW_SIZE          480
/* Decoding is done whole; beyond these a preview costs more than it helps. */
#define MAX_IMAGE_PREVIEW     (64 * 1024 * 1024)
#define MAX_PDF_PREVIEW       (256 * 1024 * 1024)
#define PROGRESS_INTERVAL_MS  100

typedef struct _AddJob AddJob;

struct _DossierEditorAttachmentsPage
{
  DossierEditorPage     parent_instance;

  GCancellable         *previews;   /* cancelled when the rows go */
  AddJob               *job;        /* files being added, or NULL */
  GCancellable         *job_cancellable;
  guint                 progress_source;
  guint                 count;

  GtkScrolledWindow    *scroller;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkListBox           *attachments_list;
};

G_DEFINE_FINAL_TYPE (DossierEditorAttachmentsPage, dossier_editor_attachments_page, DOSSIER_TYPE_EDITOR_PAGE)

static DossierEditorSession *
session_of (DossierEditorAttachmentsPage *self)
{
  return dossier_editor_page_get_session (DOSSIER_EDITOR_PAGE (self));
}

static DossierStore *
store_of (DossierEditorAttachmentsPage *self)
{
  return dossier_editor_session_get_store (session_of (self));
}

/* Previews -------------------------------------------------------------------------- */

typedef struct
{
  GInputStream *stream;
  char         *media_type;
  int           size;
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_clear_object (&job->stream);
  g_free (job->media_type);
  g_free (job);
}

static gboolean
is_image (const char *media_type)
{
  return media_type != NULL && g_str_has_prefix (media_type, "image/") &&
         !g_str_equal (media_type, "image/svg+xml");
}

static gboolean
is_pdf (const char *media_type)
{
  return g_strcmp0 (media_type, "application/pdf") == 0;
}

static gboolean
can_preview (const char *media_type,
             guint64     size)
{
  if (is_image (media_type))
    return size <= MAX_IMAGE_PREVIEW;
#if HAVE_POPPLER
  if (is_pdf (media_type))
    return size <= MAX_PDF_PREVIEW;
#endif
  return FALSE;
}

#if HAVE_POPPLER
/* Poppler 22 declares no autoptr cleanups. */
static GdkTexture *
render_pdf_page (GInputStream  *stream,
                 int            size,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PopplerDocument *document;
  PopplerPage *page;
  GBytes *bytes;
  GdkTexture *texture;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height, scale;
  int w, h, stride;

  document = poppler_document_new_from_stream (stream, -1, NULL, cancellable, error);
  if (document == NULL)
    return NULL;

  page = poppler_document_get_page (document, 0);
  if (page == NULL)
    {
      g_object_unref (document);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The PDF has no pages."));
      return NULL;
    }

  poppler_page_get_size (page, &width, &height);
  scale = size / MAX (MAX (width, height), 1.0);
  w = MAX (1, (int)(width * scale));
  h = MAX (1, (int)(height * scale));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  /* Paper is white, whatever the theme. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_object_unref (page);
  g_object_unref (document);

  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize)stride * h);
  cairo_surface_destroy (surface);

  /* Cairo's ARGB32 is premultiplied B, G, R, A in memory on little-endian
   * machines, which is GDK_MEMORY_DEFAULT. */
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, stride);
  g_bytes_unref (bytes);
  return texture;
}
#endif

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = NULL;

  if (is_image (job->media_type))
    {
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream_at_scale (job->stream, job->size, job->size, TRUE,
                                                                          cancellable, &error);
      if (pixbuf != NULL)
        {
          g_autoptr(GdkPixbuf) oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
          texture = gdk_texture_new_for_pixbuf (oriented != NULL ? oriented : pixbuf);
        }
    }
#if HAVE_POPPLER
  else if (is_pdf (job->media_type))
    texture = render_pdf_page (job->stream, job->size, cancellable, &error);
#endif
  else
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "No preview for this type");

  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/* The picture gets the preview when it is ready; a stack shows it instead of
 * the type icon. */
static void
on_preview_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GtkWidget *target = GTK_WIDGET (source);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No preview: %s", error->message);
      return;
    }

  if (GTK_IS_STACK (target))
    {
      GtkWidget *picture = gtk_stack_get_child_by_name (GTK_STACK (target), "preview");

      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (GTK_STACK (target), "preview");
    }
  else if (GTK_IS_PICTURE (target))
    gtk_picture_set_paintable (GTK_PICTURE (target), GDK_PAINTABLE (texture));
}

static void
load_preview (DossierEditorAttachmentsPage *self,
              GtkWidget                    *target,
              gint64                        attachment_id,
              const char                   *media_type,
              int                           size)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PreviewJob *job;
  GInputStream *stream;

  /* Opening reads the row: on this thread, like every use of the store. */
  stream = dossier_store_open_attachment (store_of (self), attachment_id, &error);
  if (stream == NULL)
    {
      g_debug ("No preview of attachment %" G_GINT64_FORMAT ": %s", attachment_id, error->message);
      return;
    }

  job = g_new0 (PreviewJob, 1);
  job->stream = stream;
  job->media_type = g_strdup (media_type);
  job->size = size * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  task = g_task_new (target, self->previews, on_preview_ready, NULL);
  g_task_set_source_tag (task, load_preview);
  g_task_set_task_data (task, job, (GDestroyNotify)preview_job_free);
  g_task_run_in_thread (task, preview_thread);
}

static void
on_preview_popover_shown (GtkWidget *popover)
{
  DossierEditorAttachmentsPage *self = g_object_get_data (G_OBJECT (popover), "page");
  GtkWidget *picture = gtk_popover_get_child (GTK_POPOVER (popover));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (popover), "id"));

  if (gtk_picture_get_paintable (GTK_PICTURE (picture)) == NULL)
    load_preview (self, picture, id, g_object_get_data (G_OBJECT (popover), "media-type"), PREVIEW_SIZE);
}

static GtkWidget *
thumbnail_new (DossierEditorAttachmentsPage *self,
               gint64                        id,
               const char                   *media_type,
               const char                   *name,
               guint64                       size)
{
  g_autofree char *type = media_type != NULL ? g_content_type_from_mime_type (media_type) : NULL;
  g_autoptr(GIcon) icon = g_content_type_get_symbolic_icon (type != NULL ? type : "application/octet-stream");
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *image = gtk_image_new_from_gicon (icon);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *button;
  GtkWidget *popover;
  GtkWidget *large;
  g_autofree char *label = NULL;

  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (stack, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
  gtk_widget_add_css_class (stack, "attachment-thumbnail");
  /* Round corners clip the preview too. */
  gtk_widget_set_overflow (stack, GTK_OVERFLOW_HIDDEN);
  gtk_stack_add_named (GTK_STACK (stack), image, "icon");
  gtk_stack_add_named (GTK_STACK (stack), picture, "preview");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "icon");

  if (!can_preview (media_type, size))
    {
      gtk_widget_set_valign (stack, GTK_ALIGN_CENTER);
      return stack;
    }

  load_preview (self, stack, id, media_type, THUMBNAIL_SIZE);

  /* The thumbnail opens a larger preview. */
  large = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (large), TRUE);
  gtk_widget_set_size_request (large, PREVIEW_SIZE / 2, PREVIEW_SIZE / 2);
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), large);
  g_object_set_data (G_OBJECT (popover), "page", self);
  g_object_set_data (G_OBJECT (popover), "id", GSIZE_TO_POINTER (id));
  g_object_set_data_full (G_OBJECT (popover), "media-type", g_strdup (media_type), g_free);
  g_signal_connect (popover, "show", G_CALLBACK (on_preview_popover_shown), NULL);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), stack);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "attachment-preview-button");
  gtk_widget_set_tooltip_text (button, _("Preview"));
  /* Translators: accessible name of the thumbnail button, e.g. "Preview of scan.pdf". */
  label = g_strdup_printf (_("Preview of %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return button;
}

/* Opening ---------------------------------------------------------------------------- */

typedef struct
{
  GtkWindow *parent;
  char      *path;
} OpenJob;

static void
open_job_free (OpenJob *job)
{
  g_clear_object (&job->parent);
  g_free (job->path);
  g_free (job);
}

static void
show_file (OpenJob *job)
{
  g_autoptr(GFile) file = g_file_new_for_path (job->path);
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (job->parent, uri, GDK_CURRENT_TIME);
}

static void
on_copied (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *temp = g_strconcat (job->path, ".part", NULL);

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0 ||
      g_rename (temp, job->path) != 0)
    {
      g_autofree char *message = NULL;

      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
      g_unlink (temp);
      /* Translators: the attachment could not be copied out to be opened. */
      message = g_strdup_printf (_("Could not open the attachment: %s"), error->message);
      if (job->parent != NULL)
        dossier_editor_show_message (GTK_WIDGET (job->parent), message);
      else
        g_warning ("%s", message);
      open_job_free (job);
      return;
    }

  show_file (job);
  open_job_free (job);
}

void
dossier_editor_attachments_page_open (DossierEditorAttachmentsPage *self,
                                      gint64                        attachment_id)
{
  g_autoptr(GHashTable) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) content = NULL;
  g_autoptr(GFile) temp_file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *temp = NULL;
  GtkRoot *root;
  OpenJob *job;
  GStatBuf st;

  g_return_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self));

  row = dossier_store_get_row (store_of (self), "attachment", attachment_id, &error);
  if (row == NULL)
    {
      dossier_editor_page_report (DOSSIER_EDITOR_PAGE (self), error);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  job = g_new0 (OpenJob, 1);
  job->parent = GTK_IS_WINDOW (root) ? g_object_ref (GTK_WINDOW (root)) : NULL;
  job->path = dossier_editor_open_path (g_get_user_cache_dir (), attachment_id,
                                        g_hash_table_lookup (row, "original_name"));

  /* Content never changes under an id: a copy of the right size is the file. */
  if (g_stat (job->path, &st) == 0 &&
      (guint64)st.st_size == g_ascii_strtoull (g_hash_table_lookup (row, "size"), NULL, 10))
    {
      show_file (job);
      open_job_free (job);
      return;
    }

  dir = g_path_get_dirname (job->path);
  temp = g_strconcat (job->path, ".part", NULL);
  temp_file = g_file_new_for_path (temp);

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !(content = dossier_store_open_attachment (store_of (self), attachment_id, &error)) ||
      !(out = g_file_replace (temp_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the attachment: %s"),
                                                  error != NULL ? error->message : g_strerror (errno));

      dossier_editor_show_message (GTK_WIDGET (self), message);
      open_job_free (job);
      return;
    }

  g_output_stream_splice_async (G_OUTPUT_STREAM (out), content,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, on_copied, job);
}

/* Rows -------------------------------------------------------------------------------- */

static void
on_open_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkWidget *row = user_data;
  DossierEditorAttachmentsPage *self = g_object_get_data (G_OBJECT (row), "page");

  dossier_editor_attachments_page_open (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id")));
}

typedef struct
{
  DossierEditorAttachmentsPage *page;
  gint64                        id;
} Removal;

static void
removal_free (Removal *removal)
{
  g_object_unref (removal->page);
  g_free (removal);
}

static void remove_attachment (Removal    *removal,
                               const char *reason);

static void
on_remove_reason (const char *reason,
                  gpointer    user_data)
{
  if (reason != NULL)
    remove_attachment (user_data, reason);
}

static void
remove_attachment (Removal    *removal,
                   const char *reason)
{
  DossierEditorSession *session = session_of (removal->page);
  g_autoptr(GError) error = NULL;

  if (session == NULL)
    return;

  if (dossier_editor_session_delete (session, "attachment", removal->id, reason, &error))
    {
      dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (removal->page));
      return;
    }

  if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && reason == NULL)
    {
      Removal *again = g_new0 (Removal, 1);

      again->page = g_object_ref (removal->page);
      again->id = removal->id;
      dossier_editor_ask_reason (GTK_WIDGET (removal->page), error->message, on_remove_reason, again,
                                 (GDestroyNotify)removal_free);
      return;
    }

  dossier_editor_page_report (DOSSIER_EDITOR_PAGE (removal->page), error);
}

static void
on_remove_confirmed (gboolean confirmed,
                     gpointer user_data)
{
  if (confirmed)
    remove_attachment (user_data, NULL);
}

static void
on_remove_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkWidget *row = user_data;
  DossierEditorAttachmentsPage *self = g_object_get_data (G_OBJECT (row), "page");
  const char *name = g_object_get_data (G_OBJECT (row), "name");
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), name != NULL ? name : "?");
  Removal *removal = g_new0 (Removal, 1);

  removal->page = g_object_ref (self);
  removal->id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id"));

  /* The store makes attachment rows itself, so this cannot be undone here. */
  dossier_editor_confirm (GTK_WIDGET (self), heading,
                          _("The file is no longer part of the dossier. The history keeps the record of it; this cannot be undone."),
                          _("_Remove"), TRUE, on_remove_confirmed, removal, (GDestroyNotify)removal_free);
}

static void
on_section_changed (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  GtkWidget *row = user_data;
  DossierEditorAttachmentsPage *self = g_object_get_data (G_OBJECT (row), "page");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id"));
  g_autoptr(GError) error = NULL;
  const DossierField fields[] = {
    { "section", g_variant_get_string (value, NULL) },
    { NULL }
  };

  if (!dossier_editor_session_update (session_of (self), "attachment", id, fields, NULL, &error))
    {
      dossier_editor_page_report (DOSSIER_EDITOR_PAGE (self), error);
      return;
    }

  g_simple_action_set_state (action, value);
  dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (self));
}

static GMenuModel *
row_menu_new (void)
{
  const DossierColumn *section = dossier_schema_lookup_column (dossier_schema_lookup_table ("attachment"), "section");
  g_autoptr(GMenu) sections = g_menu_new ();
  g_autoptr(GMenu) submenu = g_menu_new ();
  GMenu *menu = g_menu_new ();

  for (const DossierChoice *c = section->choices; c->value != NULL; c++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (dossier_schema_choice_label (section, c->value), NULL);

      g_menu_item_set_action_and_target (item, "attachment.section", "s", c->value);
      g_menu_append_item (sections, item);
    }
  g_menu_append_section (submenu, NULL, G_MENU_MODEL (sections));

  g_menu_append_submenu (menu, _("_Section"), G_MENU_MODEL (submenu));
  g_menu_append (menu, _("_Open"), "attachment.open");
  g_menu_append (menu, _("_Remove…"), "attachment.remove");

  return G_MENU_MODEL (menu);
}

static GtkWidget *
caption_label (const char *text,
               gboolean    wrap)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static GtkWidget *
attachment_row_new (DossierEditorAttachmentsPage *self,
                    GHashTable                   *attachment)
{
  const DossierColumn *section_column = dossier_schema_lookup_column (dossier_schema_lookup_table ("attachment"), "section");
  gint64 id = dossier_editor_row_id (attachment);
  const char *name = g_hash_table_lookup (attachment, "original_name");
  const char *media_type = g_hash_table_lookup (attachment, "media_type");
  const char *sha256 = g_hash_table_lookup (attachment, "sha256");
  const char *section = g_hash_table_lookup (attachment, "section");
  const char *size = g_hash_table_lookup (attachment, "size");
  g_autofree char *summary = dossier_editor_attachment_summary (attachment);
  g_autofree char *with_section = NULL;
  g_autofree char *added = dossier_editor_attachment_added (attachment);
  g_autofree char *hash_text = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *more_label = NULL;
  g_autofree char *accessible = NULL;
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();
  g_autoptr(GMenuModel) menu = row_menu_new ();
  g_autoptr(GSimpleAction) open_action = NULL;
  g_autoptr(GSimpleAction) remove_action = NULL;
  g_autoptr(GSimpleAction) section_action = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *hash;
  GtkWidget *open;
  GtkWidget *more;

  gtk_widget_set_name (row, "attachment");
  gtk_widget_add_css_class (row, "attachment-row");
  g_object_set_data (G_OBJECT (row), "page", self);
  g_object_set_data (G_OBJECT (row), "id", GSIZE_TO_POINTER (id));
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (name), g_free);

  /* Translators: an attachment's type and size, then its section: "PDF document · 1.2 MB · Design". */
  with_section = g_strdup_printf (_("%s · %s"), summary, dossier_schema_choice_label (section_column, section));

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_name (title, "attachment-name");

  hash_text = g_strdup_printf ("SHA-256 %s", sha256 != NULL ? sha256 : "");
  hash = caption_label (hash_text, FALSE);
  gtk_label_set_selectable (GTK_LABEL (hash), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (hash), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (hash, "monospace");
  gtk_widget_set_tooltip_text (hash, sha256);
  gtk_widget_set_name (hash, "attachment-sha256");

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), caption_label (with_section, TRUE));
  gtk_box_append (GTK_BOX (text), caption_label (added, TRUE));
  gtk_box_append (GTK_BOX (text), hash);

  open = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (open, _("Open With the Default Application"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "attachment.open");
  /* Translators: accessible names of an attachment's buttons, e.g. "Open scan.pdf". */
  open_label = g_strdup_printf (_("Open %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);

  more = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), menu);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (more, _("More"));
  more_label = g_strdup_printf (_("More about %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, more_label, -1);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), thumbnail_new (self, id, media_type, name,
                                                size != NULL ? g_ascii_strtoull (size, NULL, 10) : 0));
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), open);
  gtk_box_append (GTK_BOX (box), more);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  open_action = g_simple_action_new ("open", NULL);
  g_signal_connect (open_action, "activate", G_CALLBACK (on_open_activated), row);
  remove_action = g_simple_action_new ("remove", NULL);
  g_signal_connect (remove_action, "activate", G_CALLBACK (on_remove_activated), row);
  section_action = g_simple_action_new_stateful ("section", G_VARIANT_TYPE_STRING,
                                                 g_variant_new_string (section != NULL ? section : "other"));
  g_signal_connect (section_action, "change-state", G_CALLBACK (on_section_changed), row);
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (open_action));
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (remove_action));
  g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (section_action));
  gtk_widget_insert_action_group (row, "attachment", G_ACTION_GROUP (actions));

  /* Translators: an attachment for screen readers: name, then type, size and section. */
  accessible = g_strdup_printf (_("%s, %s"), name, with_section);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
on_row_activated (DossierEditorAttachmentsPage *self,
                  GtkListBoxRow                *row)
{
  if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), "attachment") == 0)
    gtk_widget_activate_action (GTK_WIDGET (row), "attachment.open", NULL);
}

/* Adding ------------------------------------------------------------------------------------ */

struct _AddJob
{
  DossierStore           *store;
  gint64                  dossier_id;
  char                   *section;
  char                   *reason;
  GPtrArray              *files;   /* GFile */
  guint                   first;   /* where this run starts in files */
  DossierEditorStoreLock *lock;

  GMutex                  mutex;   /* guards what the progress bar reads */
  guint                   current;
  char                   *current_name;
  guint64                 total;
  guint64                 done;
  DossierEditorImportStream *stream;

  guint                   n_added;
  GPtrArray              *failures; /* "name: message" */
  gboolean                cancelled;
  gboolean                needs_reason;
  char                   *reason_message;
  guint                   resume;   /* the file that needs the reason */
};

static void
add_job_free (AddJob *job)
{
  g_clear_object (&job->store);
  g_free (job->section);
  g_free (job->reason);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->lock, dossier_editor_store_lock_free);
  g_free (job->current_name);
  g_clear_object (&job->stream);
  g_clear_pointer (&job->failures, g_ptr_array_unref);
  g_free (job->reason_message);
  g_mutex_clear (&job->mutex);
  g_free (job);
}

static char *
display_name_of (GFile        *file,
                 GFileInfo    *info)
{
  if (info != NULL && g_file_info_get_display_name (info) != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_basename (file);
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AddJob *job = task_data;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify)g_object_unref);
  guint64 total = 0;

  /* Sizes first, for an honest progress bar; no store here. */
  for (guint i = job->first; i < job->files->len; i++)
    {
      GFileInfo *info = g_file_query_info (g_ptr_array_index (job->files, i),
                                           G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                           G_FILE_QUERY_INFO_NONE, cancellable, NULL);

      g_ptr_array_add (infos, info != NULL ? info : g_file_info_new ());
      if (info != NULL)
        total += g_file_info_get_size (info);
    }

  g_mutex_lock (&job->mutex);
  job->total = total;
  g_mutex_unlock (&job->mutex);

  for (guint i = job->first; i < job->files->len; i++)
    {
      GFile *file = g_ptr_array_index (job->files, i);
      GFileInfo *info = g_ptr_array_index (infos, i - job->first);
      g_autofree char *name = display_name_of (file, info);
      g_autoptr(GFileInputStream) in = NULL;
      g_autoptr(GInputStream) wrapped = NULL;
      g_autoptr(GError) error = NULL;
      gint64 id;

      if (g_cancellable_is_cancelled (cancellable))
        {
          job->cancelled = TRUE;
          break;
        }

      g_mutex_lock (&job->mutex);
      job->current = i;
      g_free (job->current_name);
      job->current_name = g_strdup (name);
      g_mutex_unlock (&job->mutex);

      in = g_file_read (file, cancellable, &error);
      if (in == NULL)
        {
          g_ptr_array_add (job->failures, g_strdup_printf (_("%s: %s"), name, error->message));
          continue;
        }

      /* With a reason the store holds a transaction while it reads: the main
       * thread stays away from the store the whole time. */
      wrapped = dossier_editor_import_stream_new (G_INPUT_STREAM (in), job->lock, job->reason == NULL);
      g_mutex_lock (&job->mutex);
      g_set_object (&job->stream, DOSSIER_EDITOR_IMPORT_STREAM (wrapped));
      g_mutex_unlock (&job->mutex);

      dossier_editor_store_lock_acquire (job->lock);
      if (job->reason != NULL)
        id = dossier_store_add_attachment_with_reason (job->store, job->dossier_id, job->section, name, NULL,
                                                       wrapped, job->reason, cancellable, &error);
      else
        id = dossier_store_add_attachment (job->store, job->dossier_id, job->section, name, NULL,
                                           wrapped, cancellable, &error);
      dossier_editor_store_lock_release (job->lock);

      g_mutex_lock (&job->mutex);
      job->done += dossier_editor_import_stream_get_read (job->stream);
      g_clear_object (&job->stream);
      g_mutex_unlock (&job->mutex);

      if (id > 0)
        {
          job->n_added++;
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          job->cancelled = TRUE;
          break;
        }

      if (g_error_matches (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_REASON_REQUIRED) && job->reason == NULL)
        {
          job->needs_reason = TRUE;
          job->reason_message = g_strdup (error->message);
          job->resume = i;
          break;
        }

      g_ptr_array_add (job->failures, g_strdup_printf (_("%s: %s"), name, error->message));
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
update_progress (gpointer user_data)
{
  DossierEditorAttachmentsPage *self = user_data;
  AddJob *job = self->job;
  g_autofree char *text = NULL;
  guint64 done;

  if (job == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&job->mutex);
  done = job->done + (job->stream != NULL ? dossier_editor_import_stream_get_read (job->stream) : 0);
  if (job->current_name != NULL)
    /* Translators: progress of adding attachments: file name, its number, how many. */
    text = g_strdup_printf (_("Adding “%s” (%u of %u)…"), job->current_name,
                            job->current + 1, job->files->len);
  if (job->total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double)done / (double)job->total));
  g_mutex_unlock (&job->mutex);

  if (text != NULL)
    gtk_label_set_label (self->progress_label, text);

  return G_SOURCE_CONTINUE;
}

static void start_job (DossierEditorAttachmentsPage *self,
                       AddJob                       *job);

typedef struct
{
  DossierEditorAttachmentsPage *page;
  AddJob                       *job;
} Resume;

static void
on_add_reason (const char *reason,
               gpointer    user_data)
{
  Resume *resume = user_data;
  AddJob *job = g_steal_pointer (&resume->job);

  if (reason == NULL || resume->page->job != NULL)
    {
      dossier_editor_show_message (GTK_WIDGET (resume->page), _("Not added: changing signed content needs a reason."));
      add_job_free (job);
      return;
    }

  job->reason = g_strdup (reason);
  job->first = job->resume;
  job->needs_reason = FALSE;
  g_clear_pointer (&job->reason_message, g_free);
  job->done = 0;
  job->lock = dossier_editor_store_lock_new (NULL);
  start_job (resume->page, job);
}

static void
resume_free (Resume *resume)
{
  g_object_unref (resume->page);
  g_clear_pointer (&resume->job, add_job_free);
  g_free (resume);
}

static void
on_add_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DossierEditorAttachmentsPage *self = DOSSIER_EDITOR_ATTACHMENTS_PAGE (source);
  AddJob *job = g_steal_pointer (&self->job);
  DossierEditorSession *session = session_of (self);

  g_task_propagate_boolean (G_TASK (result), NULL);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->job_cancellable);
  g_clear_pointer (&job->lock, dossier_editor_store_lock_free);

  /* The page went away while the files were added: they are in the store, and
   * whoever shows the dossier next reads them. */
  if (self->progress_revealer == NULL)
    {
      add_job_free (job);
      return;
    }

  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

  if (job->n_added > 0 && session != NULL && dossier_editor_session_get_dossier_id (session) == job->dossier_id)
    {
      dossier_editor_session_notify_changed (session, "attachment", 0);
      dossier_editor_page_reload (DOSSIER_EDITOR_PAGE (self));
    }

  if (job->failures->len > 0)
    {
      g_autofree char *list = NULL;
      g_autofree char *message = NULL;

      g_ptr_array_add (job->failures, NULL);
      list = g_strjoinv ("\n", (char **)job->failures->pdata);
      g_ptr_array_remove_index (job->failures, job->failures->len - 1);
      if (job->failures->len == 1)
        /* Translators: the file's name and what went wrong follow. */
        message = g_strdup_printf (_("Could not add a file: %s"), list);
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Could not add %u file:\n%s",
                                                "Could not add %u files:\n%s", job->failures->len),
                                   job->failures->len, list);
      dossier_editor_show_message (GTK_WIDGET (self), message);
    }

  if (job->cancelled)
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "Adding files was cancelled; %u file was added.",
                                                               "Adding files was cancelled; %u files were added.",
                                                               job->n_added),
                                                  job->n_added);
      dossier_editor_show_message (GTK_WIDGET (self), message);
    }

  if (job->needs_reason && session != NULL)
    {
      Resume *resume = g_new0 (Resume, 1);

      resume->page = g_object_ref (self);
      resume->job = job;
      job->n_added = 0;
      g_ptr_array_set_size (job->failures, 0);
      dossier_editor_ask_reason (GTK_WIDGET (self), job->reason_message, on_add_reason, resume,
                                 (GDestroyNotify)resume_free);
      return;
    }

  add_job_free (job);
}

static void
start_job (DossierEditorAttachmentsPage *self,
           AddJob                       *job)
{
  g_autoptr(GTask) task = NULL;

  self->job = job;
  self->job_cancellable = g_cancellable_new ();

  gtk_label_set_label (self->progress_label, _("Adding files…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, update_progress, self);

  task = g_task_new (self, self->job_cancellable, on_add_done, NULL);
  g_task_set_source_tag (task, start_job);
  /* The job outlives the task: on_add_done() takes it from self. */
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, add_thread);
}

gboolean
dossier_editor_attachments_page_add_files (DossierEditorAttachmentsPage *self,
                                           GSList                       *files,
                                           const char                   *section)
{
  DossierEditorSession *session;
  AddJob *job;

  g_return_val_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self), FALSE);

  session = session_of (self);
  if (session == NULL || files == NULL)
    return FALSE;

  if (self->job != NULL)
    {
      dossier_editor_show_message (GTK_WIDGET (self), _("Files are being added; wait until they are, then add more."));
      return FALSE;
    }

  /* Fields with unsaved typing go first, so that nothing waits behind the files. */
  dossier_editor_session_flush (session);

  job = g_new0 (AddJob, 1);
  g_mutex_init (&job->mutex);
  job->store = g_object_ref (store_of (self));
  job->dossier_id = dossier_editor_session_get_dossier_id (session);
  job->section = g_strdup (section != NULL ? section : "other");
  job->files = g_ptr_array_new_with_free_func (g_object_unref);
  job->failures = g_ptr_array_new_with_free_func (g_free);
  job->lock = dossier_editor_store_lock_new (NULL);
  for (GSList *l = files; l != NULL; l = l->next)
    g_ptr_array_add (job->files, g_object_ref (l->data));

  start_job (self, job);
  return TRUE;
}

gboolean
dossier_editor_attachments_page_is_busy (DossierEditorAttachmentsPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self), FALSE);

  return self->job != NULL;
}

void
dossier_editor_attachments_page_cancel (DossierEditorAttachmentsPage *self)
{
  g_return_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self));

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
}

static void
on_cancel_clicked (DossierEditorAttachmentsPage *self)
{
  dossier_editor_attachments_page_cancel (self);
}

static void
on_chooser_response (GtkNativeDialog              *chooser,
                     int                           response,
                     DossierEditorAttachmentsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      GSList *files = NULL;

      for (guint i = g_list_model_get_n_items (list); i > 0; i--)
        files = g_slist_prepend (files, g_list_model_get_item (list, i - 1));

      dossier_editor_attachments_page_add_files (self, files, "other");
      g_slist_free_full (files, g_object_unref);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
dossier_editor_attachments_page_choose_files (DossierEditorAttachmentsPage *self)
{
  GtkFileChooserNative *chooser;
  GtkRoot *root;

  g_return_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  chooser = gtk_file_chooser_native_new (_("Add Files"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_add_clicked (DossierEditorAttachmentsPage *self)
{
  dossier_editor_attachments_page_choose_files (self);
}

guint
dossier_editor_attachments_page_get_count (DossierEditorAttachmentsPage *self)
{
  g_return_val_if_fail (DOSSIER_IS_EDITOR_ATTACHMENTS_PAGE (self), 0);

  return self->count;
}

/* Page --------------------------------------------------------------------------------------- */

static void
dossier_editor_attachments_page_reload (DossierEditorPage *page)
{
  DossierEditorAttachmentsPage *self = DOSSIER_EDITOR_ATTACHMENTS_PAGE (page);
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->previews);
  g_clear_object (&self->previews);
  self->previews = g_cancellable_new ();

  dossier_editor_page_clear_box (GTK_WIDGET (self->attachments_list));
  dossier_editor_page_clear_fields (page);
  self->count = 0;

  if (session_of (self) == NULL)
    {
      /* Files still being added belong to the dossier they were dropped on. */
      return;
    }

  attachments = dossier_store_list_rows (store_of (self), "attachment", "dossier_id",
                                         dossier_editor_session_get_dossier_id (session_of (self)), &error);
  if (attachments == NULL)
    {
      dossier_editor_page_report (page, error);
      return;
    }

  self->count = attachments->len;
  if (attachments->len == 0)
    {
      gtk_list_box_append (self->attachments_list,
                           dossier_editor_page_placeholder_new (_("No files attached yet. Add them with the button above, or drop them here.")));
      return;
    }

  /* Newest first: the file just added is the one looked for. */
  for (guint i = attachments->len; i > 0; i--)
    gtk_list_box_append (self->attachments_list, attachment_row_new (self, g_ptr_array_index (attachments, i - 1)));
}

static void
dossier_editor_attachments_page_dispose (GObject *object)
{
  DossierEditorAttachmentsPage *self = (DossierEditorAttachmentsPage *)object;

  if (self->previews != NULL)
    g_cancellable_cancel (self->previews);
  g_clear_object (&self->previews);
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (object), DOSSIER_TYPE_EDITOR_ATTACHMENTS_PAGE);

  G_OBJECT_CLASS (dossier_editor_attachments_page_parent_class)->dispose (object);
}

static void
dossier_editor_attachments_page_class_init (DossierEditorAttachmentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  DossierEditorPageClass *page_class = DOSSIER_EDITOR_PAGE_CLASS (klass);

  object_class->dispose = dossier_editor_attachments_page_dispose;
  page_class->reload = dossier_editor_attachments_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dossier-editor-attachments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DossierEditorAttachmentsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorAttachmentsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorAttachmentsPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorAttachmentsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DossierEditorAttachmentsPage, attachments_list);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
dossier_editor_attachments_page_init (DossierEditorAttachmentsPage *self)
{
  self->previews = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
