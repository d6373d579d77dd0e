/* dossier-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-schema"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "dossier-auth.h"
#include "dossier-expression.h"
#include "dossier-schema.h"
#include "dossier-store.h"
#include "dossier-units.h"
#include "dossier-validate.h"

#define TEXT_SHORT 200
#define TEXT_LONG  20000

static gboolean
validate_birth_year (const char  *value,
                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return dossier_validate_birth_year (value, g_date_time_get_year (now), error);
}

static gboolean
validate_registration_number (const char  *value,
                              GError     **error)
{
  /* The class is checked against the number by the store once both are known. */
  return dossier_validate_registration_number (value, 0, error);
}

static const DossierChoice sex_choices[] = {
  { "female", N_("Female") },
  { "male", N_("Male") },
  { "unknown", N_("Unknown") },
  { NULL }
};

static const DossierChoice filing_status_choices[] = {
  { "draft", N_("Draft") },
  { "filed", N_("Filed") },
  { "changed", N_("Changed") },
  { "cancelled", N_("Cancelled") },
  { NULL }
};

static const DossierChoice kind_choices[] = {
  { "customized", N_("Customized") },
  { "patient-matched", N_("Patient-matched") },
  { NULL }
};

static const DossierChoice dossier_status_choices[] = {
  { "order", N_("Order") },
  { "design", N_("Design") },
  { "design-review", N_("Design review") },
  { "design-approved", N_("Design approved") },
  { "processing", N_("Processing") },
  { "inspection", N_("Inspection") },
  { "released", N_("Released") },
  { "delivered", N_("Delivered") },
  { "used", N_("Used") },
  { "closed", N_("Closed") },
  { "cancelled", N_("Cancelled") },
  { NULL }
};

static const DossierChoice inspection_result_choices[] = {
  { "pass", N_("Pass") },
  { "fail", N_("Fail") },
  { "pending", N_("Pending") },
  { NULL }
};

static const DossierChoice outcome_choices[] = {
  { "used", N_("Used") },
  { "not-used", N_("Not used") },
  { "returned", N_("Returned") },
  { "destroyed", N_("Destroyed") },
  { NULL }
};

static const DossierChoice severity_choices[] = {
  { "death", N_("Death") },
  { "serious", N_("Serious injury") },
  { "other", N_("Other") },
  { NULL }
};

static const DossierChoice section_choices[] = {
  { "order", N_("Order") },
  { "design", N_("Design") },
  { "processing", N_("Processing") },
  { "inspection", N_("Inspection") },
  { "release", N_("Release") },
  { "delivery", N_("Delivery") },
  { "use", N_("Use") },
  { "other", N_("Other") },
  { NULL }
};

#define REQ DOSSIER_COLUMN_REQUIRED
#define IMM DOSSIER_COLUMN_IMMUTABLE
#define GEN DOSSIER_COLUMN_GENERATED
#define UNQ DOSSIER_COLUMN_UNIQUE
#define DEF (DOSSIER_COLUMN_REQUIRED | DOSSIER_COLUMN_DEFAULTED)

#define C_TEXT(n, l, f, len)        { n, l, DOSSIER_COLUMN_TEXT, f, 0, len, NULL, NULL, NULL }
#define C_CHECKED(n, l, f, len, fn) { n, l, DOSSIER_COLUMN_TEXT, f, 0, len, NULL, NULL, fn }
#define C_INT(n, l, f, lo, hi)      { n, l, DOSSIER_COLUMN_INTEGER, f, lo, hi, NULL, NULL, NULL }
#define C_BOOL(n, l, f)             { n, l, DOSSIER_COLUMN_BOOLEAN, f, 0, 1, NULL, NULL, NULL }
#define C_DATE(n, l, f)             { n, l, DOSSIER_COLUMN_DATE, f, 0, 0, NULL, NULL, NULL }
#define C_TIME(n, l, f)             { n, l, DOSSIER_COLUMN_TIMESTAMP, f, 0, 0, NULL, NULL, NULL }
#define C_CHOICE(n, l, f, c)        { n, l, DOSSIER_COLUMN_CHOICE, f, 0, 0, c, NULL, NULL }
#define C_REF(n, l, f, t)           { n, l, DOSSIER_COLUMN_REFERENCE, f, 0, 0, NULL, t, NULL }
#define C_DECIMAL(n, l, f)          { n, l, DOSSIER_COLUMN_DECIMAL, f, 0, 64, NULL, NULL, NULL }
#define C_END                       { NULL }

static const DossierColumn setting_columns[] = {
  C_TEXT ("key", N_("Key"), REQ | IMM | UNQ, 100),
  C_TEXT ("value", N_("Value"), REQ, 1000),
  C_TEXT ("source", N_("Source"), 0, 1000),
  C_TEXT ("description", N_("Description"), 0, 1000),
  C_END
};

static const DossierColumn manufacturer_columns[] = {
  C_TEXT ("name_zh", N_("Name (Chinese)"), REQ, TEXT_SHORT),
  C_TEXT ("name_en", N_("Name (English)"), 0, TEXT_SHORT),
  C_CHECKED ("uscc", N_("Unified social credit code"), REQ, 18, dossier_validate_uscc),
  C_CHECKED ("production_licence", N_("Production licence number"), 0, 40, dossier_validate_production_licence),
  C_TEXT ("address", N_("Address"), 0, TEXT_SHORT),
  C_TEXT ("contact", N_("Contact"), 0, TEXT_SHORT),
  C_END
};

static const DossierColumn manufacturing_site_columns[] = {
  C_REF ("manufacturer_id", N_("Manufacturer"), DEF | IMM, "manufacturer"),
  C_TEXT ("name", N_("Site name"), REQ, TEXT_SHORT),
  C_TEXT ("address", N_("Address"), 0, TEXT_SHORT),
  C_END
};

static const DossierColumn institution_columns[] = {
  C_TEXT ("name_zh", N_("Name (Chinese)"), REQ, TEXT_SHORT),
  C_TEXT ("name_en", N_("Name (English)"), 0, TEXT_SHORT),
  C_CHECKED ("practising_licence", N_("Practising licence number"), REQ | UNQ, 40, dossier_validate_practising_licence),
  C_TEXT ("grade", N_("Grade"), 0, 40),
  C_CHECKED ("province_code", N_("Province"), REQ, 6, dossier_validate_province_code),
  C_TEXT ("address", N_("Address"), 0, TEXT_SHORT),
  C_BOOL ("active", N_("Active"), DEF),
  C_END
};

static const DossierColumn clinician_columns[] = {
  C_REF ("institution_id", N_("Institution"), REQ, "institution"),
  C_TEXT ("name_zh", N_("Name (Chinese)"), REQ, 100),
  C_TEXT ("name_en", N_("Name (English)"), 0, 100),
  C_TEXT ("department", N_("Department"), 0, 100),
  C_TEXT ("title", N_("Title"), 0, 100),
  C_CHECKED ("certificate_no", N_("Practising certificate number"), REQ | UNQ, 15, dossier_validate_clinician_certificate),
  C_BOOL ("active", N_("Active"), DEF),
  C_END
};

static const DossierColumn patient_columns[] = {
  C_CHECKED ("code", N_("Patient code"), REQ | IMM | UNQ, 32, dossier_validate_patient_code),
  C_CHOICE ("sex", N_("Sex"), REQ, sex_choices),
  C_CHECKED ("birth_year", N_("Birth year"), 0, 4, validate_birth_year),
  C_END
};

static const DossierColumn filing_columns[] = {
  C_TEXT ("number", N_("Filing number"), UNQ, 40),
  C_CHECKED ("province_code", N_("Province"), REQ, 6, dossier_validate_province_code),
  C_DATE ("filed_on", N_("Filing date"), 0),
  C_CHOICE ("status", N_("Status"), DEF, filing_status_choices),
  C_REF ("institution_id", N_("Partner institution"), REQ, "institution"),
  C_TEXT ("device_name", N_("Device name"), REQ, TEXT_SHORT),
  C_TEXT ("intended_use", N_("Intended use"), 0, TEXT_LONG),
  C_TEXT ("main_materials", N_("Main materials"), 0, TEXT_LONG),
  C_INT ("case_threshold", N_("Cases before registration"), DEF, 1, 100000),
  C_END
};

static const DossierColumn product_columns[] = {
  C_CHECKED ("certificate_no", N_("Registration certificate number"), REQ | UNQ, 40, validate_registration_number),
  C_INT ("device_class", N_("Device class"), REQ, 1, 3),
  C_TEXT ("name_zh", N_("Name (Chinese)"), REQ, TEXT_SHORT),
  C_TEXT ("name_en", N_("Name (English)"), 0, TEXT_SHORT),
  C_BOOL ("active", N_("Active"), DEF),
  C_END
};

static const DossierColumn product_model_columns[] = {
  C_REF ("product_id", N_("Registered product"), REQ | IMM, "product"),
  C_TEXT ("code", N_("Model code"), REQ, 60),
  C_TEXT ("name", N_("Model name"), 0, TEXT_SHORT),
  C_END
};

static const DossierColumn dossier_columns[] = {
  C_TEXT ("unit_no", N_("Unit number"), REQ | IMM | GEN | UNQ, 60),
  C_CHOICE ("kind", N_("Kind"), REQ | IMM, kind_choices),
  C_CHOICE ("status", N_("Status"), DEF, dossier_status_choices),
  C_REF ("institution_id", N_("Institution"), REQ | IMM, "institution"),
  C_REF ("clinician_id", N_("Ordering clinician"), REQ, "clinician"),
  C_REF ("patient_id", N_("Patient"), REQ | IMM, "patient"),
  C_REF ("filing_id", N_("Filing"), 0, "filing"),
  C_REF ("model_id", N_("Registered model"), 0, "product_model"),
  C_DATE ("ordered_on", N_("Order date"), 0),
  C_INT ("patient_age", N_("Patient age"), 0, 0, 150),
  C_TEXT ("condition", N_("Condition"), 0, TEXT_LONG),
  C_TEXT ("treatment_plan", N_("Treatment plan"), 0, TEXT_LONG),
  C_TEXT ("risks", N_("Risks"), 0, TEXT_LONG),
  C_TEXT ("necessity", N_("Why a customized device"), 0, TEXT_LONG),
  C_TEXT ("clinical_data", N_("Clinical data"), 0, TEXT_LONG),
  C_TEXT ("lesion_site", N_("Lesion site"), 0, TEXT_SHORT),
  C_TEXT ("design_requirements", N_("Design requirements"), 0, TEXT_LONG),
  C_TEXT ("delivery_requirements", N_("Delivery requirements"), 0, TEXT_LONG),
  C_TEXT ("acceptance_criteria", N_("Acceptance criteria"), 0, TEXT_LONG),
  C_DATE ("clinician_signed_on", N_("Clinician signed on"), 0),
  C_TEXT ("manufacturer_contact", N_("Manufacturer contact"), 0, 100),
  C_DATE ("manufacturer_signed_on", N_("Manufacturer signed on"), 0),
  C_INT ("body_days", N_("Intended days in the body"), 0, 0, 36500),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_TIME ("created_at", N_("Created"), GEN | IMM),
  C_TIME ("updated_at", N_("Updated"), GEN),
  C_END
};

static const DossierColumn design_input_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_TEXT ("title", N_("Title"), REQ, TEXT_SHORT),
  C_TEXT ("description", N_("Description"), 0, TEXT_LONG),
  C_TEXT ("source", N_("Source"), 0, TEXT_SHORT),
  C_END
};

static const DossierColumn design_iteration_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_INT ("version", N_("Version"), REQ | IMM, 1, 9999),
  C_DATE ("designed_on", N_("Design date"), REQ),
  C_TEXT ("designer", N_("Designer"), REQ, 100),
  C_TEXT ("software", N_("Software"), 0, 100),
  C_TEXT ("software_version", N_("Software version"), 0, 60),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_END
};

static const DossierColumn parameter_value_columns[] = {
  C_REF ("iteration_id", N_("Design iteration"), REQ | IMM, "design_iteration"),
  C_TEXT ("name", N_("Parameter"), REQ, 100),
  C_DECIMAL ("value", N_("Value"), 0),
  C_TEXT ("unit", N_("Unit"), 0, 20),
  C_TEXT ("category", N_("Category"), 0, 100),
  C_END
};

static const DossierColumn design_confirmation_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_REF ("iteration_id", N_("Design iteration"), REQ, "design_iteration"),
  C_REF ("clinician_id", N_("Confirming clinician"), REQ, "clinician"),
  C_DATE ("confirmed_on", N_("Confirmation date"), REQ),
  C_TEXT ("document_no", N_("Confirmation document number"), REQ, 60),
  C_REF ("attachment_id", N_("Scanned confirmation"), 0, "attachment"),
  C_END
};

static const DossierColumn material_lot_columns[] = {
  C_TEXT ("material", N_("Material"), REQ, TEXT_SHORT),
  C_TEXT ("lot_no", N_("Lot number"), REQ, 60),
  C_TEXT ("supplier", N_("Supplier"), 0, TEXT_SHORT),
  C_DATE ("received_on", N_("Received on"), 0),
  C_END
};

static const DossierColumn processing_step_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_INT ("position", N_("Step number"), REQ, 1, 999),
  C_TEXT ("step_type", N_("Operation"), REQ, 100),
  C_TEXT ("equipment", N_("Equipment"), 0, TEXT_SHORT),
  C_TEXT ("operator", N_("Operator"), 0, 100),
  C_TIME ("started_at", N_("Started"), 0),
  C_TIME ("ended_at", N_("Ended"), 0),
  C_TEXT ("parameters", N_("Process parameters"), 0, TEXT_LONG),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_END
};

static const DossierColumn step_material_columns[] = {
  C_REF ("step_id", N_("Processing step"), REQ | IMM, "processing_step"),
  C_REF ("lot_id", N_("Material lot"), REQ | IMM, "material_lot"),
  C_TEXT ("quantity", N_("Quantity"), 0, 60),
  C_END
};

static const DossierColumn inspection_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_TEXT ("item", N_("Inspection item"), REQ, TEXT_SHORT),
  C_TEXT ("requirement", N_("Requirement"), 0, TEXT_SHORT),
  C_TEXT ("measured", N_("Measured value"), 0, TEXT_SHORT),
  C_CHOICE ("result", N_("Result"), REQ, inspection_result_choices),
  C_TEXT ("inspector", N_("Inspector"), 0, 100),
  C_DATE ("inspected_on", N_("Inspection date"), 0),
  C_END
};

static const DossierColumn release_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM | UNQ, "dossier"),
  C_TEXT ("released_by", N_("Released by"), REQ, 100),
  C_TIME ("released_at", N_("Released at"), REQ),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_END
};

static const DossierColumn delivery_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM | UNQ, "dossier"),
  C_DATE ("delivered_on", N_("Delivery date"), REQ),
  C_TEXT ("recipient", N_("Recipient"), 0, TEXT_SHORT),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_END
};

static const DossierColumn use_record_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM | UNQ, "dossier"),
  C_CHOICE ("outcome", N_("Outcome"), REQ, outcome_choices),
  C_DATE ("surgery_on", N_("Surgery date"), 0),
  C_TEXT ("surgeon", N_("Surgeon"), 0, 100),
  C_TEXT ("consent_ref", N_("Informed consent reference"), 0, 100),
  C_TEXT ("follow_up", N_("Follow-up"), 0, TEXT_LONG),
  C_DATE ("explanted_on", N_("Explant date"), 0),
  C_END
};

static const DossierColumn adverse_event_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_DATE ("occurred_on", N_("Occurred on"), REQ),
  C_DATE ("reported_on", N_("Reported on"), 0),
  C_CHOICE ("severity", N_("Severity"), REQ, severity_choices),
  C_TEXT ("description", N_("Description"), REQ, TEXT_LONG),
  C_END
};

static const DossierColumn attachment_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | IMM, "dossier"),
  C_CHOICE ("section", N_("Section"), REQ, section_choices),
  C_TEXT ("original_name", N_("File name"), REQ, 255),
  C_TEXT ("media_type", N_("Media type"), REQ | GEN, 255),
  C_INT ("size", N_("Size"), REQ | GEN | IMM, 0, G_MAXINT64),
  C_TEXT ("sha256", N_("SHA-256"), REQ | GEN | IMM, 64),
  C_TEXT ("added_by", N_("Added by"), REQ | GEN | IMM, 100),
  C_TIME ("added_at", N_("Added at"), REQ | GEN | IMM),
  C_END
};

/* Registered size ranges and the check rules (0002-envelopes.sql). */

static gboolean
validate_unit (const char  *value,
               GError     **error)
{
  return dossier_unit_parse (value, error) != NULL;
}

static gboolean
validate_parameter_name (const char  *value,
                         GError     **error)
{
  if (dossier_expression_is_valid_name (value))
    return TRUE;

  g_set_error (error, DOSSIER_VALIDATION_ERROR, DOSSIER_VALIDATION_ERROR_FORMAT,
               _("use letters, digits and _ (not first a digit), at most 63 characters, and not AND, OR, NOT, abs, min or max"));
  return FALSE;
}

static const DossierChoice envelope_status_choices[] = {
  { "draft", N_("Draft") },
  { "effective", N_("Effective") },
  { "withdrawn", N_("Withdrawn") },
  { NULL }
};

static const DossierChoice parameter_kind_choices[] = {
  { "numeric", N_("Numeric") },
  { "categorical", N_("Categorical") },
  { NULL }
};

static const DossierChoice rule_scope_choices[] = {
  { "patient-matched", N_("Patient-matched") },
  { "customized", N_("Customized") },
  { NULL }
};

static const DossierChoice rule_severity_choices[] = {
  { "error", N_("Error") },
  { "warning", N_("Warning") },
  { "info", N_("Information") },
  { NULL }
};

static const DossierColumn envelope_columns[] = {
  C_REF ("model_id", N_("Registered model"), REQ | IMM, "product_model"),
  C_INT ("version", N_("Size range version"), REQ | IMM, 1, 9999),
  C_CHOICE ("status", N_("Status"), DEF, envelope_status_choices),
  C_DATE ("effective_on", N_("Effective from"), REQ),
  C_DATE ("valid_until", N_("Valid until"), 0),
  C_CHECKED ("certificate_no", N_("Registration certificate number"), REQ, 40, validate_registration_number),
  C_TEXT ("change_document", N_("Change document"), 0, TEXT_SHORT),
  C_TEXT ("notes", N_("Notes"), 0, TEXT_LONG),
  C_END
};

static const DossierColumn envelope_parameter_columns[] = {
  C_REF ("envelope_id", N_("Registered size range"), REQ | IMM, "envelope"),
  C_INT ("position", N_("Position"), 0, 1, 999),
  C_CHECKED ("name", N_("Parameter name"), REQ, 63, validate_parameter_name),
  C_TEXT ("label_en", N_("Label (English)"), 0, TEXT_SHORT),
  C_TEXT ("label_zh", N_("Label (Chinese)"), 0, TEXT_SHORT),
  C_CHOICE ("kind", N_("Parameter kind"), REQ, parameter_kind_choices),
  C_CHECKED ("unit", N_("Unit"), 0, 20, validate_unit),
  C_DECIMAL ("minimum", N_("Minimum"), 0),
  C_DECIMAL ("maximum", N_("Maximum"), 0),
  C_BOOL ("min_inclusive", N_("Minimum included"), 0),
  C_BOOL ("max_inclusive", N_("Maximum included"), 0),
  C_DECIMAL ("step", N_("Step"), 0),
  C_DECIMAL ("tolerance", N_("Manufacturing tolerance"), 0),
  C_DECIMAL ("resolution", N_("Resolution"), 0),
  C_END
};

static const DossierColumn envelope_category_columns[] = {
  C_REF ("parameter_id", N_("Size range parameter"), REQ | IMM, "envelope_parameter"),
  C_TEXT ("value", N_("Allowed value"), REQ, 100),
  C_END
};

static const DossierColumn envelope_rule_columns[] = {
  C_REF ("envelope_id", N_("Registered size range"), REQ | IMM, "envelope"),
  C_INT ("position", N_("Position"), 0, 1, 999),
  C_TEXT ("expression", N_("Rule"), REQ, 1000),
  C_TEXT ("description_en", N_("Description (English)"), 0, TEXT_LONG),
  C_TEXT ("description_zh", N_("Description (Chinese)"), 0, TEXT_LONG),
  C_TEXT ("source", N_("Source"), 0, 1000),
  C_END
};

static const DossierColumn check_rule_columns[] = {
  C_TEXT ("code", N_("Rule ID"), REQ | IMM | UNQ, 60),
  C_CHOICE ("scope", N_("Applies to"), REQ | IMM, rule_scope_choices),
  C_CHOICE ("severity", N_("Severity"), REQ, rule_severity_choices),
  C_TEXT ("message_en", N_("Message (English)"), REQ, 1000),
  C_TEXT ("message_zh", N_("Message (Chinese)"), REQ, 1000),
  C_TEXT ("source", N_("Source"), REQ, 1000),
  C_TEXT ("remedies", N_("Ways forward"), 0, TEXT_SHORT),
  C_TEXT ("config", N_("Rule settings"), 0, 2000),
  C_END
};

/* Users, sign-in attempts and signatures (0003-users-signatures.sql).  Attempts and
 * signatures are written only by dossier-auth.c and dossier-signature.c; they are
 * described so that their fields have labels and the audit trail covers them. */

static const DossierChoice role_choices[] = {
  { "engineer", N_("Design engineer") },
  { "qa-reviewer", N_("QA reviewer") },
  { "regulatory", N_("Regulatory affairs") },
  { "administrator", N_("Administrator") },
  { NULL }
};

static const DossierChoice attempt_purpose_choices[] = {
  { "sign-in", N_("Sign-in") },
  { "unlock", N_("Unlock") },
  { "signature", N_("Signature") },
  { NULL }
};

static const DossierChoice attempt_outcome_choices[] = {
  { "success", N_("Success") },
  { "wrong-password", N_("Wrong password") },
  { "unknown-user", N_("Unknown login") },
  { "inactive", N_("Account deactivated") },
  { "throttled", N_("Too soon after failed attempts") },
  { NULL }
};

static const DossierChoice sign_point_choices[] = {
  { "design-review", N_("Design review") },
  { "design-approval", N_("Design approval") },
  { "processing-review", N_("Processing record review") },
  { "release", N_("Release") },
  { NULL }
};

static const DossierChoice sign_meaning_choices[] = {
  { "reviewed", N_("Reviewed") },
  { "approved", N_("Approved") },
  { "released", N_("Released") },
  { NULL }
};

static const DossierColumn user_account_columns[] = {
  C_CHECKED ("login", N_("Login"), REQ | IMM | UNQ, 64, dossier_auth_validate_login),
  C_TEXT ("full_name", N_("Full name"), REQ, 100),
  C_CHECKED ("roles", N_("Roles"), REQ, 200, dossier_auth_validate_roles),
  C_BOOL ("active", N_("Active"), DEF),
  C_TEXT ("password_hash", N_("Password hash"), REQ | GEN, 255),
  C_TIME ("password_changed_at", N_("Password changed"), REQ | GEN),
  C_TIME ("created_at", N_("Created"), REQ | GEN | IMM),
  C_END
};

static const DossierColumn login_attempt_columns[] = {
  C_TEXT ("login", N_("Login"), REQ | GEN | IMM, 100),
  C_REF ("user_id", N_("User account"), GEN | IMM, "user_account"),
  C_TIME ("at", N_("Time"), REQ | GEN | IMM),
  C_CHOICE ("purpose", N_("Purpose"), REQ | GEN | IMM, attempt_purpose_choices),
  C_CHOICE ("outcome", N_("Outcome"), REQ | GEN | IMM, attempt_outcome_choices),
  C_INT ("delay_seconds", N_("Delay before the next attempt"), DEF | GEN | IMM, 0, 86400),
  C_END
};

static const DossierColumn annual_report_run_columns[] = {
  C_INT ("year", N_("Year"), REQ | GEN | IMM, 1900, 9999),
  C_REF ("filing_id", N_("Filing"), GEN | IMM, "filing"),
  C_TIME ("generated_at", N_("Generated at"), REQ | GEN | IMM),
  C_TEXT ("generated_by", N_("Generated by"), REQ | GEN | IMM, 100),
  C_TEXT ("sha256", N_("SHA-256"), REQ | GEN | IMM, 64),
  C_TIME ("recorded_at", N_("Recorded at"), REQ | GEN | IMM),
  C_END
};

static const DossierColumn signature_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | GEN | IMM, "dossier"),
  C_CHOICE ("point", N_("Sign-off"), REQ | GEN | IMM, sign_point_choices),
  C_CHOICE ("meaning", N_("Meaning"), REQ | GEN | IMM, sign_meaning_choices),
  C_REF ("user_id", N_("User account"), REQ | GEN | IMM, "user_account"),
  C_TEXT ("login", N_("Login"), REQ | GEN | IMM, 64),
  C_TEXT ("full_name", N_("Signed by"), REQ | GEN | IMM, 100),
  C_CHOICE ("role", N_("Role"), REQ | GEN | IMM, role_choices),
  C_TIME ("signed_at", N_("Signed at"), REQ | GEN | IMM),
  C_TEXT ("content_hash", N_("SHA-256 of the signed content"), REQ | GEN | IMM, 64),
  C_TEXT ("serialization", N_("Serialisation"), REQ | GEN | IMM, 60),
  C_TEXT ("comment", N_("Comment"), GEN | IMM, TEXT_LONG),
  C_END
};

/* Imported filing packages (0004-import.sql).  Written only by dossier-import.c;
 * described so that their fields have labels and the audit trail covers them. */

static const DossierColumn package_import_columns[] = {
  C_TEXT ("package_id", N_("Package"), REQ | GEN | IMM, 64),
  C_TEXT ("package_sha256", N_("SHA-256 of package.xml"), REQ | GEN | IMM, 64),
  C_TIME ("generated_at", N_("Package made at"), REQ | GEN | IMM),
  C_TIME ("imported_at", N_("Imported at"), REQ | GEN | IMM),
  C_TEXT ("imported_by", N_("Imported by"), REQ | GEN | IMM, 100),
  C_INT ("dossiers", N_("Dossiers added"), REQ | GEN | IMM, 1, G_MAXINT64),
  C_END
};

static const DossierColumn imported_dossier_columns[] = {
  C_REF ("import_id", N_("Import"), REQ | GEN | IMM, "package_import"),
  C_REF ("dossier_id", N_("Dossier"), REQ | GEN | IMM | UNQ, "dossier"),
  C_TEXT ("unit_no", N_("Unit number"), REQ | GEN | IMM, 60),
  C_INT ("origin_id", N_("Id in the package"), REQ | GEN | IMM, 1, G_MAXINT64),
  C_TEXT ("rule_check", N_("Rule check in the package"), GEN | IMM, 1000000),
  C_END
};

static const DossierColumn imported_history_columns[] = {
  C_REF ("dossier_id", N_("Dossier"), REQ | GEN | IMM, "dossier"),
  C_INT ("position", N_("Position"), REQ | GEN | IMM, 1, G_MAXINT64),
  C_INT ("seq", N_("Entry in the exporting database"), REQ | GEN | IMM, G_MININT64, G_MAXINT64),
  C_TEXT ("at", N_("Time"), GEN | IMM, 100),
  C_TEXT ("actor", N_("Who"), GEN | IMM, TEXT_SHORT),
  C_TEXT ("action", N_("Action"), GEN | IMM, 20),
  C_TEXT ("table_name", N_("Record"), GEN | IMM, 100),
  C_INT ("row_id", N_("Record id"), REQ | GEN | IMM, G_MININT64, G_MAXINT64),
  C_TEXT ("field", N_("Field"), GEN | IMM, 100),
  C_TEXT ("old_value", N_("Old value"), GEN | IMM, 1000000),
  C_TEXT ("new_value", N_("New value"), GEN | IMM, 1000000),
  C_TEXT ("reason", N_("Reason"), GEN | IMM, TEXT_LONG),
  C_END
};

static const DossierColumn imported_signature_columns[] = {
  C_REF ("signature_id", N_("Signature"), REQ | GEN | IMM | UNQ, "signature"),
  C_INT ("history_position", N_("Position in the history"), REQ | GEN | IMM, 0, G_MAXINT64),
  C_END
};

static const DossierTable tables[] = {
  { "setting", N_("Setting"), setting_columns, NULL },
  { "manufacturer", N_("Manufacturer"), manufacturer_columns, NULL },
  { "manufacturing_site", N_("Manufacturing site"), manufacturing_site_columns, NULL },
  { "institution", N_("Institution"), institution_columns, NULL },
  { "clinician", N_("Clinician"), clinician_columns, NULL },
  { "patient", N_("Patient"), patient_columns, NULL },
  { "filing", N_("Filing"), filing_columns, NULL },
  { "product", N_("Registered product"), product_columns, NULL },
  { "product_model", N_("Registered model"), product_model_columns, NULL },
  { "dossier", N_("Dossier"), dossier_columns, "id" },
  { "design_input", N_("Design input"), design_input_columns, "dossier_id" },
  { "design_iteration", N_("Design iteration"), design_iteration_columns, "dossier_id" },
  { "parameter_value", N_("Parameter value"), parameter_value_columns, NULL },
  { "design_confirmation", N_("Design confirmation"), design_confirmation_columns, "dossier_id" },
  { "material_lot", N_("Material lot"), material_lot_columns, NULL },
  { "processing_step", N_("Processing step"), processing_step_columns, "dossier_id" },
  { "step_material", N_("Material used"), step_material_columns, NULL },
  { "inspection", N_("Inspection"), inspection_columns, "dossier_id" },
  { "release", N_("Release"), release_columns, "dossier_id" },
  { "delivery", N_("Delivery"), delivery_columns, "dossier_id" },
  { "use_record", N_("Use record"), use_record_columns, "dossier_id" },
  { "adverse_event", N_("Adverse event"), adverse_event_columns, "dossier_id" },
  { "attachment", N_("Attachment"), attachment_columns, "dossier_id" },
  { "envelope", N_("Registered size range"), envelope_columns, NULL },
  { "envelope_parameter", N_("Size range parameter"), envelope_parameter_columns, NULL },
  { "envelope_category", N_("Allowed value"), envelope_category_columns, NULL },
  { "envelope_rule", N_("Dependency rule"), envelope_rule_columns, NULL },
  { "check_rule", N_("Check rule"), check_rule_columns, NULL },
  { "user_account", N_("User account"), user_account_columns, NULL },
  { "login_attempt", N_("Sign-in attempt"), login_attempt_columns, NULL },
  { "signature", N_("Signature"), signature_columns, "dossier_id" },
  { "package_import", N_("Package import"), package_import_columns, NULL },
  { "imported_dossier", N_("Imported dossier"), imported_dossier_columns, NULL },
  { "imported_history", N_("Imported history entry"), imported_history_columns, NULL },
  { "imported_signature", N_("Imported signature"), imported_signature_columns, NULL },
  { "annual_report_run", N_("Annual report"), annual_report_run_columns, NULL },
};

const DossierTable *
dossier_schema_tables (guint *n_tables)
{
  if (n_tables != NULL)
    *n_tables = G_N_ELEMENTS (tables);
  return tables;
}

const DossierTable *
dossier_schema_lookup_table (const char *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i].name, table))
      return &tables[i];

  return NULL;
}

const DossierColumn *
dossier_schema_lookup_column (const DossierTable *table,
                              const char         *column)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (column != NULL, NULL);

  for (const DossierColumn *c = table->columns; c->name != NULL; c++)
    if (g_str_equal (c->name, column))
      return c;

  return NULL;
}

const char *
dossier_schema_choice_label (const DossierColumn *column,
                             const char          *value)
{
  g_return_val_if_fail (column != NULL, NULL);

  if (value == NULL || column->choices == NULL)
    return value;

  for (const DossierChoice *c = column->choices; c->value != NULL; c++)
    if (g_str_equal (c->value, value))
      return _(c->label);

  return value;
}

const char *
dossier_schema_table_label (const char *table)
{
  const DossierTable *t = dossier_schema_lookup_table (table);

  return t != NULL ? _(t->label) : table;
}

const char *
dossier_schema_column_label (const char *table,
                             const char *column)
{
  const DossierTable *t = dossier_schema_lookup_table (table);
  const DossierColumn *c;

  if (t == NULL || column == NULL)
    return column;
  c = dossier_schema_lookup_column (t, column);
  return c != NULL ? _(c->label) : column;
}

/* Shows at most a short, valid piece of what was typed, so that a message about a
 * megabyte of bad input is still a sentence. */
static char *
quote_input (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  if (g_utf8_strlen (valid, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (valid, 0, 40);
      return g_strdup_printf ("“%s…”", head);
    }

  return g_strdup_printf ("“%s”", valid);
}

static gboolean
fail (GError              **error,
      const DossierColumn  *column,
      const char           *problem)
{
  g_set_error (error, DOSSIER_STORE_ERROR, DOSSIER_STORE_ERROR_INVALID,
               /* Translators: "<field label>: <what is wrong>" */
               _("%s: %s"), _(column->label), problem);
  return FALSE;
}

static gboolean
parse_integer (const char *value,
               gint64     *out)
{
  char *end = NULL;
  gint64 v;

  if (*value == '\0' || g_ascii_isspace (*value))
    return FALSE;

  errno = 0;
  v = g_ascii_strtoll (value, &end, 10);
  if (errno != 0 || end == value || *end != '\0')
    return FALSE;

  *out = v;
  return TRUE;
}

/* A decimal number as a person writes it: optional sign, digits, optional fraction,
 * optional exponent.  Kept as text so that 44.0 stays 44.0. */
static gboolean
is_decimal (const char *value)
{
  static GRegex *regex;
  char *end = NULL;
  double d;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new ("^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?$",
                                            G_REGEX_OPTIMIZE, 0, NULL));

  if (!g_regex_match (regex, value, 0, NULL))
    return FALSE;

  d = g_ascii_strtod (value, &end);
  return isfinite (d);
}

gboolean
dossier_schema_check_value (const DossierTable   *table,
                            const DossierColumn  *column,
                            const char           *value,
                            char                **normalized,
                            GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);
  g_return_val_if_fail (normalized != NULL, FALSE);

  *normalized = NULL;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    return fail (error, column, _("is not valid UTF-8 text"));

  if (value == NULL || *value == '\0')
    {
      if (column->flags & DOSSIER_COLUMN_REQUIRED)
        return fail (error, column, _("is required"));
      /* Free text columns keep an empty string; everything else stores NULL. */
      if (column->kind == DOSSIER_COLUMN_TEXT && value != NULL)
        *normalized = g_strdup ("");
      return TRUE;
    }

  switch (column->kind)
    {
    case DOSSIER_COLUMN_TEXT:
      if (!dossier_validate_text (value, column->max > 0 ? column->max : TEXT_LONG,
                                  (column->flags & DOSSIER_COLUMN_REQUIRED) != 0, &local_error))
        return fail (error, column, local_error->message);
      if (column->validate != NULL && !column->validate (value, &local_error))
        return fail (error, column, local_error->message);
      break;

    case DOSSIER_COLUMN_INTEGER:
    case DOSSIER_COLUMN_REFERENCE:
      {
        gint64 v;
        gint64 min = column->kind == DOSSIER_COLUMN_REFERENCE ? 1 : column->min;
        gint64 max = column->kind == DOSSIER_COLUMN_REFERENCE ? G_MAXINT64 : column->max;

        if (!parse_integer (value, &v))
          {
            g_autofree char *q = quote_input (value);
            g_autofree char *msg = g_strdup_printf (_("%s is not a whole number"), q);
            return fail (error, column, msg);
          }
        if (v < min || v > max)
          {
            g_autofree char *msg = g_strdup_printf (_("must be between %" PRId64 " and %" PRId64 ", found %" PRId64),
                                                    min, max, v);
            return fail (error, column, msg);
          }
        *normalized = g_strdup_printf ("%" G_GINT64_FORMAT, v);
        return TRUE;
      }

    case DOSSIER_COLUMN_BOOLEAN:
      {
        g_autofree char *down = g_ascii_strdown (value, -1);

        if (g_str_equal (down, "1") || g_str_equal (down, "true") || g_str_equal (down, "yes"))
          *normalized = g_strdup ("1");
        else if (g_str_equal (down, "0") || g_str_equal (down, "false") || g_str_equal (down, "no"))
          *normalized = g_strdup ("0");
        else
          return fail (error, column, _("must be yes or no"));
        return TRUE;
      }

    case DOSSIER_COLUMN_DATE:
      if (!dossier_validate_date (value, &local_error))
        return fail (error, column, local_error->message);
      break;

    case DOSSIER_COLUMN_TIMESTAMP:
      if (!dossier_validate_timestamp (value, &local_error))
        return fail (error, column, local_error->message);
      break;

    case DOSSIER_COLUMN_CHOICE:
      {
        g_autoptr(GString) allowed = g_string_new (NULL);
        g_autofree char *q = NULL;
        g_autofree char *msg = NULL;

        for (const DossierChoice *c = column->choices; c->value != NULL; c++)
          if (g_str_equal (c->value, value))
            {
              *normalized = g_strdup (value);
              return TRUE;
            }

        for (const DossierChoice *c = column->choices; c->value != NULL; c++)
          g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", c->value);
        q = quote_input (value);
        msg = g_strdup_printf (_("%s is not allowed; use one of: %s"), q, allowed->str);
        return fail (error, column, msg);
      }

    case DOSSIER_COLUMN_DECIMAL:
      if (strlen (value) > (gsize) column->max || !is_decimal (value))
        {
          g_autofree char *q = quote_input (value);
          g_autofree char *msg = g_strdup_printf (_("%s is not a finite decimal number (for example 44.5)"), q);
          return fail (error, column, msg);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  *normalized = g_strdup (value);
  return TRUE;
}
