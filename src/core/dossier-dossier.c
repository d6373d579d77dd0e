/* dossier-dossier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dossier-dossier"

#include "config.h"

#include "dossier-dossier-private.h"
#include "dossier-signature.h"

struct _DossierDossier
{
  GObject   parent_instance;

  gint64    id;
  char     *unit_no;
  char     *kind;
  char     *status;
  char     *patient_code;
  char     *institution_name;
  char     *clinician_name;
  char     *product_name;
  char     *reference;
  char     *created_at;
  char     *updated_at;
  gboolean  implantable;
  gboolean  has_problems;
  gboolean  is_signed;

  /* Whether a signature no longer matches its content costs hashing the signed
   * content, so it is worked out when first asked (for the rows a view shows), from
   * the store the list read this dossier from; -1 until then. */
  DossierStore *store;
  int           changed_after_signature;
};

G_DEFINE_FINAL_TYPE (DossierDossier, dossier_dossier, G_TYPE_OBJECT)

/* Every property is construct-only: a dossier summary never changes once made,
 * so list rows can bind to it without watching for notifications. */
enum {
  PROP_0,
  PROP_ID,
  PROP_UNIT_NO,
  PROP_KIND,
  PROP_STATUS,
  PROP_PATIENT_CODE,
  PROP_INSTITUTION_NAME,
  PROP_CLINICIAN_NAME,
  PROP_PRODUCT_NAME,
  PROP_REFERENCE,
  PROP_IMPLANTABLE,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_HAS_PROBLEMS,
  PROP_SIGNED,
  PROP_CHANGED_AFTER_SIGNATURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dossier_dossier_dispose (GObject *object)
{
  DossierDossier *self = (DossierDossier *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (dossier_dossier_parent_class)->dispose (object);
}

static void
dossier_dossier_finalize (GObject *object)
{
  DossierDossier *self = (DossierDossier *)object;

  g_clear_pointer (&self->unit_no, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->patient_code, g_free);
  g_clear_pointer (&self->institution_name, g_free);
  g_clear_pointer (&self->clinician_name, g_free);
  g_clear_pointer (&self->product_name, g_free);
  g_clear_pointer (&self->reference, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->updated_at, g_free);

  G_OBJECT_CLASS (dossier_dossier_parent_class)->finalize (object);
}

static char **
string_field (DossierDossier *self,
              guint           prop_id)
{
  switch (prop_id)
    {
    case PROP_UNIT_NO:          return &self->unit_no;
    case PROP_KIND:             return &self->kind;
    case PROP_STATUS:           return &self->status;
    case PROP_PATIENT_CODE:     return &self->patient_code;
    case PROP_INSTITUTION_NAME: return &self->institution_name;
    case PROP_CLINICIAN_NAME:   return &self->clinician_name;
    case PROP_PRODUCT_NAME:     return &self->product_name;
    case PROP_REFERENCE:        return &self->reference;
    case PROP_CREATED_AT:       return &self->created_at;
    case PROP_UPDATED_AT:       return &self->updated_at;
    default:                    return NULL;
    }
}

static void
dossier_dossier_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DossierDossier *self = DOSSIER_DOSSIER (object);
  char **field;

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_IMPLANTABLE:
      g_value_set_boolean (value, self->implantable);
      break;

    case PROP_HAS_PROBLEMS:
      g_value_set_boolean (value, self->has_problems);
      break;

    case PROP_SIGNED:
      g_value_set_boolean (value, self->is_signed);
      break;

    case PROP_CHANGED_AFTER_SIGNATURE:
      g_value_set_boolean (value, dossier_dossier_get_changed_after_signature (self));
      break;

    default:
      if ((field = string_field (self, prop_id)) != NULL)
        g_value_set_string (value, *field);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dossier_dossier_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DossierDossier *self = DOSSIER_DOSSIER (object);
  char **field;

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_IMPLANTABLE:
      self->implantable = g_value_get_boolean (value);
      break;

    case PROP_HAS_PROBLEMS:
      self->has_problems = g_value_get_boolean (value);
      break;

    case PROP_SIGNED:
      self->is_signed = g_value_get_boolean (value);
      break;

    default:
      if ((field = string_field (self, prop_id)) != NULL)
        {
          g_free (*field);
          *field = g_value_dup_string (value);
        }
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
dossier_dossier_class_init (DossierDossierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dossier_dossier_dispose;
  object_class->finalize = dossier_dossier_finalize;
  object_class->get_property = dossier_dossier_get_property;
  object_class->set_property = dossier_dossier_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_UNIT_NO] = string_property ("unit-no");
  properties[PROP_KIND] = string_property ("kind");
  properties[PROP_STATUS] = string_property ("status");
  properties[PROP_PATIENT_CODE] = string_property ("patient-code");
  properties[PROP_INSTITUTION_NAME] = string_property ("institution-name");
  properties[PROP_CLINICIAN_NAME] = string_property ("clinician-name");
  properties[PROP_PRODUCT_NAME] = string_property ("product-name");
  properties[PROP_REFERENCE] = string_property ("reference");
  properties[PROP_IMPLANTABLE] =
    g_param_spec_boolean ("implantable", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] = string_property ("created-at");
  properties[PROP_UPDATED_AT] = string_property ("updated-at");
  properties[PROP_HAS_PROBLEMS] =
    g_param_spec_boolean ("has-problems", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SIGNED] =
    g_param_spec_boolean ("signed", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Read-only and worked out on first read; it never changes afterwards. */
  properties[PROP_CHANGED_AFTER_SIGNATURE] =
    g_param_spec_boolean ("changed-after-signature", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dossier_dossier_init (DossierDossier *self)
{
  self->changed_after_signature = -1;
}

gint64
dossier_dossier_get_id (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), 0);

  return self->id;
}

const char *
dossier_dossier_get_unit_no (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->unit_no;
}

const char *
dossier_dossier_get_kind (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->kind;
}

const char *
dossier_dossier_get_status (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->status;
}

const char *
dossier_dossier_get_patient_code (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->patient_code;
}

const char *
dossier_dossier_get_institution_name (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->institution_name;
}

const char *
dossier_dossier_get_clinician_name (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->clinician_name;
}

const char *
dossier_dossier_get_product_name (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->product_name;
}

const char *
dossier_dossier_get_reference (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->reference;
}

gboolean
dossier_dossier_get_implantable (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), FALSE);

  return self->implantable;
}

const char *
dossier_dossier_get_created_at (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->created_at;
}

const char *
dossier_dossier_get_updated_at (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), NULL);

  return self->updated_at;
}

gboolean
dossier_dossier_get_has_problems (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), FALSE);

  return self->has_problems;
}

gboolean
dossier_dossier_get_signed (DossierDossier *self)
{
  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), FALSE);

  return self->is_signed;
}

gboolean
dossier_dossier_get_changed_after_signature (DossierDossier *self)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (DOSSIER_IS_DOSSIER (self), FALSE);

  if (self->changed_after_signature >= 0)
    return self->changed_after_signature;

  if (!self->is_signed || self->store == NULL)
    return FALSE;

  /* A marker in a list is no place for an error: the Sign-offs page and
   * `dossier-cli signatures verify` say what is wrong.  Asked again next time. */
  if (!dossier_signature_changed_after_signing (self->store, self->id, &changed, &error))
    {
      g_debug ("Signatures of %s: %s", self->unit_no, error->message);
      return FALSE;
    }

  self->changed_after_signature = changed;
  return changed;
}

void
_dossier_dossier_set_store (DossierDossier *self,
                            DossierStore   *store)
{
  g_return_if_fail (DOSSIER_IS_DOSSIER (self));
  g_return_if_fail (store == NULL || DOSSIER_IS_STORE (store));

  g_set_object (&self->store, store);
}
