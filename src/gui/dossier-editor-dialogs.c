/* dossier-editor-dialogs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-editor-dialogs"

#include "config.h"

#include <glib/gi18n.h>

#include "dossier-editor-dialogs.h"
#include "dossier-reason-dialog.h"

typedef struct
{
  DossierEditorReasonFunc   reason_func;
  DossierEditorConfirmFunc  confirm_func;
  gpointer                  user_data;
  GDestroyNotify            destroy;
  gboolean                  answered;
} Question;

static void
question_free (Question *question)
{
  /* Closing the window without a response is a no. */
  if (!question->answered)
    {
      if (question->reason_func != NULL)
        question->reason_func (NULL, question->user_data);
      else if (question->confirm_func != NULL)
        question->confirm_func (FALSE, question->user_data);
    }

  if (question->destroy != NULL)
    question->destroy (question->user_data);
  g_free (question);
}

static GtkWindow *
parent_window (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_reason_answered (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Question *question = user_data;
  g_autofree char *reason = dossier_gui_ask_reason_finish (result, NULL);

  question->answered = TRUE;
  question->reason_func (reason, question->user_data);
  question_free (question);
}

void
dossier_editor_ask_reason (GtkWidget               *widget,
                           const char              *message,
                           DossierEditorReasonFunc  func,
                           gpointer                 user_data,
                           GDestroyNotify           destroy)
{
  Question *question;

  g_return_if_fail (func != NULL);

  question = g_new0 (Question, 1);
  question->reason_func = func;
  question->user_data = user_data;
  question->destroy = destroy;

  /* The same question everywhere a signed record is changed. */
  dossier_gui_ask_reason (parent_window (widget), message, NULL, on_reason_answered, question);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Question         *question)
{
  question->answered = TRUE;
  question->confirm_func (g_str_equal (response, "accept"), question->user_data);
}

void
dossier_editor_confirm (GtkWidget                *widget,
                        const char               *heading,
                        const char               *body,
                        const char               *accept_label,
                        gboolean                  destructive,
                        DossierEditorConfirmFunc  func,
                        gpointer                  user_data,
                        GDestroyNotify            destroy)
{
  Question *question;
  GtkWidget *dialog;

  g_return_if_fail (func != NULL);

  question = g_new0 (Question, 1);
  question->confirm_func = func;
  question->user_data = user_data;
  question->destroy = destroy;

  dialog = adw_message_dialog_new (parent_window (widget), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "accept", accept_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), destructive ? "cancel" : "accept");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response), question,
                         (GClosureNotify)(void (*) (void))question_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

void
dossier_editor_show_message (GtkWidget  *widget,
                             const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  /* Never silent: without an editor around it (a test building a page alone),
   * the message still reaches the log. */
  if (!gtk_widget_activate_action (widget, "editor.show-message", "s", message))
    g_message ("%s", message);
}
