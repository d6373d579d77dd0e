/* dossier-json.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "dossier-dossier.h"
#include "dossier-store.h"

G_BEGIN_DECLS

/* Dossiers as JSON, for the command-line tool and for anything that wants a whole
 * record in one document.  Members are column names (see dossier-schema.c) in schema
 * order, so the output of the same data is the same byte for byte.  Values keep the
 * type of their column: integers, references and sizes are numbers, yes/no columns
 * are booleans, decimals stay strings (so that 44.0 stays 44.0), absent values are
 * null. */

/* The summary that lists show: id, unit_no, kind, status, patient_code,
 * institution, clinician, product, reference, implantable, created_at, updated_at. */
JsonNode *dossier_json_dossier_summary (DossierDossier  *dossier);

/* The whole record of one dossier, as one object:
 *
 *   dossier                the dossier row
 *   institution, clinician, patient
 *   filing                 customized units, else null
 *   product, model         patient-matched units, else null
 *   design_inputs          [row]
 *   design_iterations      [row + "parameter_values": [row]]
 *   design_confirmations   [row + "clinician": row]
 *   processing_steps       [row + "materials": [row + "lot": material_lot row]]
 *   inspections            [row]
 *   release, delivery, use_record   row or null
 *   adverse_events, attachments     [row]
 *   history                [{seq, at, actor, action, table, row_id, field, old, new,
 *                           reason}] oldest first; old and new are the field value
 *                          as text, or for a created or deleted row the row object
 *
 * Read in one snapshot, so a record is consistent even while another process
 * writes.  Fails with DOSSIER_STORE_ERROR_NOT_FOUND when there is no such dossier. */
JsonNode *dossier_json_dossier_record  (DossierStore    *store,
                                        gint64           dossier_id,
                                        GError         **error);

/* Serialises node as UTF-8 JSON (non-ASCII text is not escaped), indented when
 * pretty, ending with a newline. */
char     *dossier_json_to_string       (JsonNode        *node,
                                        gboolean         pretty);

G_END_DECLS
