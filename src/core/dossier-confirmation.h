/* dossier-confirmation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "dossier-store.h"

G_BEGIN_DECLS

/* The clinician's design confirmation.
 *
 * The clinician is not a user of Dossier: the confirmation is an external document.
 * Dossier records its document number and date, the design version it confirms and
 * the scanned document as an attachment.  Whether it still covers the current design
 * is computed, never stored: a design version newer than the confirmed one is not
 * covered, and the clinician must be told (Announcement 2019 No. 53: a change after
 * confirmation is verified again and the clinician informed). */

typedef struct
{
  gboolean  confirmed;          /* any confirmation recorded */
  gint64    confirmation_id;    /* the newest, by confirmed version */
  gint64    iteration_id;
  int       confirmed_version;
  int       current_version;    /* the newest design version; 0 when there is none */
  char     *confirmed_on;
  char     *document_no;
  gint64    clinician_id;
  char     *clinician_name;
  gint64    attachment_id;      /* the scan, or 0 */
  gboolean  covers_current;     /* confirmed and no newer design version */
  char     *reminder;           /* what to tell the user when it does not cover the current design, else NULL */
} DossierConfirmationStatus;

void      dossier_confirmation_status_free (DossierConfirmationStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DossierConfirmationStatus, dossier_confirmation_status_free)

/* Never NULL without an error; confirmed is FALSE when there is no confirmation. */
DossierConfirmationStatus *dossier_confirmation_get_status (DossierStore  *store,
                                                            gint64         dossier_id,
                                                            GError       **error);

/* Records a confirmation of design iteration iteration_id by clinician_id, with the
 * scanned document (scan may be NULL when it is attached later), in one transaction.
 * Returns the confirmation id, or 0. */
gint64    dossier_confirmation_record      (DossierStore  *store,
                                            gint64         dossier_id,
                                            gint64         iteration_id,
                                            gint64         clinician_id,
                                            const char    *confirmed_on,
                                            const char    *document_no,
                                            GInputStream  *scan,
                                            const char    *scan_name,
                                            const char    *scan_media_type,
                                            GCancellable  *cancellable,
                                            GError       **error);

G_END_DECLS
