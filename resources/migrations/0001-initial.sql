-- 0001-initial.sql: schema 1 of a Dossier database.
--
-- Conventions: every user-data table has "id INTEGER PRIMARY KEY"; the application
-- generates audit triggers for each of them after every migration (see
-- dossier-store-audit.c), so nothing here writes audit entries by hand.  Dates are
-- ISO 8601 calendar dates (YYYY-MM-DD), times are ISO 8601 with a UTC offset.

-- Configurable figures and patterns (DOMAIN.md "configurable"): shipped as data, each
-- with the reference it comes from, changeable by an administrator.
CREATE TABLE setting (
  id          INTEGER PRIMARY KEY,
  key         TEXT NOT NULL UNIQUE,
  value       TEXT NOT NULL,
  source      TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);

INSERT INTO setting (key, value, source, description) VALUES
  ('filing.number_pattern', '{PROVINCE}械定制备{YYYY}{NNNN}号',
   'NMPA/NHC Announcement 2019 No. 53, chapter 2 (filing; number format as issued by provincial regulators)',
   'Pattern of customized-device filing numbers'),
  ('dossier.unit_number_pattern', 'DSR-{YYYY}-{NNNNNN}',
   'NMPA/NHC Announcement 2019 No. 53, chapter 3 (a unique number for every unit); pattern set by the manufacturer''s quality system',
   'Pattern of the unique number given to every device unit'),
  ('device.implantable_min_days', '30',
   'Rules for Classification of Medical Devices (CFDA Order No. 15, 2015): implantable = in the body 30 days or more',
   'Intended days in the body from which a device counts as implantable'),
  ('filing.default_case_threshold', '50',
   'NMPA/NHC Announcement 2019 No. 53 (move to registration when cases suffice); figure set by the manufacturer',
   'Clinical cases after which a customized filing should move to registration'),
  ('retention.default_years', '10',
   'GMP (2014) Appendix: customized devices; at least device lifetime and 2 years after release',
   'Record retention in years for non-implantable units'),
  ('annual_report.deadline', '01-31',
   'NMPA/NHC Announcement 2019 No. 53 (annual report on the previous year); deadline configurable',
   'Month and day by which the annual report is due');

-- Yearly serials for generated numbers (unit numbers).
CREATE TABLE serial (
  id        INTEGER PRIMARY KEY,
  name      TEXT NOT NULL,
  year      INTEGER NOT NULL,
  last      INTEGER NOT NULL DEFAULT 0 CHECK (last >= 0),
  UNIQUE (name, year)
);

CREATE TABLE manufacturer (
  id                   INTEGER PRIMARY KEY CHECK (id = 1),
  name_zh              TEXT NOT NULL CHECK (name_zh <> ''),
  name_en              TEXT NOT NULL DEFAULT '',
  uscc                 TEXT NOT NULL CHECK (length (uscc) = 18),
  production_licence   TEXT NOT NULL DEFAULT '',
  address              TEXT NOT NULL DEFAULT '',
  contact              TEXT NOT NULL DEFAULT ''
);

CREATE TABLE manufacturing_site (
  id              INTEGER PRIMARY KEY,
  manufacturer_id INTEGER NOT NULL DEFAULT 1 REFERENCES manufacturer (id),
  name            TEXT NOT NULL CHECK (name <> ''),
  address         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE institution (
  id                 INTEGER PRIMARY KEY,
  name_zh            TEXT NOT NULL CHECK (name_zh <> ''),
  name_en            TEXT NOT NULL DEFAULT '',
  practising_licence TEXT NOT NULL UNIQUE,
  grade              TEXT NOT NULL DEFAULT '',
  province_code      TEXT NOT NULL CHECK (length (province_code) = 6),
  address            TEXT NOT NULL DEFAULT '',
  active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE clinician (
  id             INTEGER PRIMARY KEY,
  institution_id INTEGER NOT NULL REFERENCES institution (id),
  name_zh        TEXT NOT NULL CHECK (name_zh <> ''),
  name_en        TEXT NOT NULL DEFAULT '',
  department     TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL DEFAULT '',
  certificate_no TEXT NOT NULL UNIQUE,
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX clinician_institution ON clinician (institution_id);

-- Patients are identified by a traceable code only: no names are stored.
CREATE TABLE patient (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE CHECK (code <> ''),
  sex        TEXT NOT NULL CHECK (sex IN ('female', 'male', 'unknown')),
  birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2999)
);

CREATE TABLE filing (
  id               INTEGER PRIMARY KEY,
  number           TEXT UNIQUE,
  province_code    TEXT NOT NULL CHECK (length (province_code) = 6),
  filed_on         TEXT,
  status           TEXT NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'filed', 'changed', 'cancelled')),
  institution_id   INTEGER NOT NULL REFERENCES institution (id),
  device_name      TEXT NOT NULL CHECK (device_name <> ''),
  intended_use     TEXT NOT NULL DEFAULT '',
  main_materials   TEXT NOT NULL DEFAULT '',
  case_threshold   INTEGER NOT NULL DEFAULT 50 CHECK (case_threshold > 0),
  -- A filed filing has its number and date.
  CHECK (status = 'draft' OR (number IS NOT NULL AND filed_on IS NOT NULL))
);
CREATE INDEX filing_institution ON filing (institution_id);

CREATE TABLE product (
  id              INTEGER PRIMARY KEY,
  certificate_no  TEXT NOT NULL UNIQUE,
  device_class    INTEGER NOT NULL CHECK (device_class IN (1, 2, 3)),
  name_zh         TEXT NOT NULL CHECK (name_zh <> ''),
  name_en         TEXT NOT NULL DEFAULT '',
  active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE product_model (
  id          INTEGER PRIMARY KEY,
  product_id  INTEGER NOT NULL REFERENCES product (id),
  code        TEXT NOT NULL CHECK (code <> ''),
  name        TEXT NOT NULL DEFAULT '',
  UNIQUE (product_id, code)
);

CREATE TABLE dossier (
  id                       INTEGER PRIMARY KEY,
  unit_no                  TEXT NOT NULL UNIQUE,
  kind                     TEXT NOT NULL CHECK (kind IN ('customized', 'patient-matched')),
  status                   TEXT NOT NULL DEFAULT 'order'
                           CHECK (status IN ('order', 'design', 'design-review', 'design-approved',
                                             'processing', 'inspection', 'released', 'delivered',
                                             'used', 'closed', 'cancelled')),
  institution_id           INTEGER NOT NULL REFERENCES institution (id),
  clinician_id             INTEGER NOT NULL REFERENCES clinician (id),
  patient_id               INTEGER NOT NULL REFERENCES patient (id),
  filing_id                INTEGER REFERENCES filing (id),
  model_id                 INTEGER REFERENCES product_model (id),
  -- The order (制作订单), the design input.
  ordered_on               TEXT,
  patient_age              INTEGER CHECK (patient_age IS NULL OR patient_age BETWEEN 0 AND 150),
  condition                TEXT NOT NULL DEFAULT '',
  treatment_plan           TEXT NOT NULL DEFAULT '',
  risks                    TEXT NOT NULL DEFAULT '',
  necessity                TEXT NOT NULL DEFAULT '',
  clinical_data            TEXT NOT NULL DEFAULT '',
  lesion_site              TEXT NOT NULL DEFAULT '',
  design_requirements      TEXT NOT NULL DEFAULT '',
  delivery_requirements    TEXT NOT NULL DEFAULT '',
  acceptance_criteria      TEXT NOT NULL DEFAULT '',
  clinician_signed_on      TEXT,
  manufacturer_contact     TEXT NOT NULL DEFAULT '',
  manufacturer_signed_on   TEXT,
  body_days                INTEGER CHECK (body_days IS NULL OR body_days >= 0),
  notes                    TEXT NOT NULL DEFAULT '',
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL,
  -- A customized unit belongs to a filing, a patient-matched one to a registered model.
  CHECK ((kind = 'customized' AND filing_id IS NOT NULL AND model_id IS NULL)
      OR (kind = 'patient-matched' AND model_id IS NOT NULL AND filing_id IS NULL))
);
CREATE INDEX dossier_status ON dossier (status);
CREATE INDEX dossier_institution ON dossier (institution_id);
CREATE INDEX dossier_filing ON dossier (filing_id);
CREATE INDEX dossier_model ON dossier (model_id);
CREATE INDEX dossier_updated ON dossier (updated_at);

-- The unit number is on the label and every record; a unit is bound for ever to its
-- patient and ordering institution (Announcement 2019 No. 53).
CREATE TRIGGER dossier_binding BEFORE UPDATE OF unit_no, kind, institution_id, patient_id ON dossier
WHEN NEW.unit_no IS NOT OLD.unit_no OR NEW.kind IS NOT OLD.kind
  OR NEW.institution_id IS NOT OLD.institution_id OR NEW.patient_id IS NOT OLD.patient_id
BEGIN
  SELECT RAISE (ABORT, 'dossier binding: unit number, kind, institution and patient are immutable');
END;

CREATE TABLE design_input (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossier (id),
  title       TEXT NOT NULL CHECK (title <> ''),
  description TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX design_input_dossier ON design_input (dossier_id);

CREATE TABLE design_iteration (
  id               INTEGER PRIMARY KEY,
  dossier_id       INTEGER NOT NULL REFERENCES dossier (id),
  version          INTEGER NOT NULL CHECK (version >= 1),
  designed_on      TEXT NOT NULL,
  designer         TEXT NOT NULL CHECK (designer <> ''),
  software         TEXT NOT NULL DEFAULT '',
  software_version TEXT NOT NULL DEFAULT '',
  notes            TEXT NOT NULL DEFAULT '',
  UNIQUE (dossier_id, version)
);

-- A numeric value keeps the decimal text as entered, so that checks are exact at the
-- value's own resolution; a categorical value keeps its category.
CREATE TABLE parameter_value (
  id           INTEGER PRIMARY KEY,
  iteration_id INTEGER NOT NULL REFERENCES design_iteration (id),
  name         TEXT NOT NULL CHECK (name <> ''),
  value        TEXT,
  unit         TEXT NOT NULL DEFAULT '',
  category     TEXT,
  UNIQUE (iteration_id, name),
  CHECK ((value IS NULL) <> (category IS NULL))
);

CREATE TABLE design_confirmation (
  id            INTEGER PRIMARY KEY,
  dossier_id    INTEGER NOT NULL REFERENCES dossier (id),
  iteration_id  INTEGER NOT NULL REFERENCES design_iteration (id),
  clinician_id  INTEGER NOT NULL REFERENCES clinician (id),
  confirmed_on  TEXT NOT NULL,
  document_no   TEXT NOT NULL CHECK (document_no <> '')
);
CREATE INDEX design_confirmation_dossier ON design_confirmation (dossier_id);

CREATE TABLE material_lot (
  id          INTEGER PRIMARY KEY,
  material    TEXT NOT NULL CHECK (material <> ''),
  lot_no      TEXT NOT NULL CHECK (lot_no <> ''),
  supplier    TEXT NOT NULL DEFAULT '',
  received_on TEXT,
  UNIQUE (material, lot_no)
);

CREATE TABLE processing_step (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossier (id),
  position    INTEGER NOT NULL CHECK (position >= 1),
  step_type   TEXT NOT NULL CHECK (step_type <> ''),
  equipment   TEXT NOT NULL DEFAULT '',
  operator    TEXT NOT NULL DEFAULT '',
  started_at  TEXT,
  ended_at    TEXT,
  parameters  TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  UNIQUE (dossier_id, position),
  CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at)
);

CREATE TABLE step_material (
  id        INTEGER PRIMARY KEY,
  step_id   INTEGER NOT NULL REFERENCES processing_step (id),
  lot_id    INTEGER NOT NULL REFERENCES material_lot (id),
  quantity  TEXT NOT NULL DEFAULT '',
  UNIQUE (step_id, lot_id)
);

CREATE TABLE inspection (
  id           INTEGER PRIMARY KEY,
  dossier_id   INTEGER NOT NULL REFERENCES dossier (id),
  item         TEXT NOT NULL CHECK (item <> ''),
  requirement  TEXT NOT NULL DEFAULT '',
  measured     TEXT NOT NULL DEFAULT '',
  result       TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'pending')),
  inspector    TEXT NOT NULL DEFAULT '',
  inspected_on TEXT
);
CREATE INDEX inspection_dossier ON inspection (dossier_id);

CREATE TABLE release (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL UNIQUE REFERENCES dossier (id),
  released_by TEXT NOT NULL CHECK (released_by <> ''),
  released_at TEXT NOT NULL,
  notes       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE delivery (
  id           INTEGER PRIMARY KEY,
  dossier_id   INTEGER NOT NULL UNIQUE REFERENCES dossier (id),
  delivered_on TEXT NOT NULL,
  recipient    TEXT NOT NULL DEFAULT '',
  notes        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE use_record (
  id            INTEGER PRIMARY KEY,
  dossier_id    INTEGER NOT NULL UNIQUE REFERENCES dossier (id),
  outcome       TEXT NOT NULL CHECK (outcome IN ('used', 'not-used', 'returned', 'destroyed')),
  surgery_on    TEXT,
  surgeon       TEXT NOT NULL DEFAULT '',
  consent_ref   TEXT NOT NULL DEFAULT '',
  follow_up     TEXT NOT NULL DEFAULT '',
  explanted_on  TEXT
);

CREATE TABLE adverse_event (
  id           INTEGER PRIMARY KEY,
  dossier_id   INTEGER NOT NULL REFERENCES dossier (id),
  occurred_on  TEXT NOT NULL,
  reported_on  TEXT,
  severity     TEXT NOT NULL CHECK (severity IN ('death', 'serious', 'other')),
  description  TEXT NOT NULL CHECK (description <> '')
);
CREATE INDEX adverse_event_dossier ON adverse_event (dossier_id);

-- File content lives beside the database, named by its SHA-256 (see
-- dossier-store-attachments.c); this row is what makes a file part of a dossier.
CREATE TABLE attachment (
  id            INTEGER PRIMARY KEY,
  dossier_id    INTEGER NOT NULL REFERENCES dossier (id),
  section       TEXT NOT NULL CHECK (section IN ('order', 'design', 'processing', 'inspection',
                                                 'release', 'delivery', 'use', 'other')),
  original_name TEXT NOT NULL CHECK (original_name <> ''),
  media_type    TEXT NOT NULL,
  size          INTEGER NOT NULL CHECK (size >= 0),
  sha256        TEXT NOT NULL CHECK (length (sha256) = 64),
  added_by      TEXT NOT NULL,
  added_at      TEXT NOT NULL
);
CREATE INDEX attachment_dossier ON attachment (dossier_id);
CREATE INDEX attachment_sha256 ON attachment (sha256);

-- The audit trail.  Rows are appended by the generated audit triggers and sealed into a
-- SHA-256 hash chain by the application before each commit; once sealed a row can
-- neither change nor go.
CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  table_name TEXT NOT NULL,
  row_id     INTEGER NOT NULL,
  field      TEXT,
  old_value,
  new_value,
  reason     TEXT,
  prev_hash  TEXT,
  hash       TEXT
);
CREATE INDEX audit_log_row ON audit_log (table_name, row_id, seq);

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE (ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
  OR NEW.action IS NOT OLD.action OR NEW.table_name IS NOT OLD.table_name
  OR NEW.row_id IS NOT OLD.row_id OR NEW.field IS NOT OLD.field
  OR NEW.old_value IS NOT OLD.old_value OR NEW.new_value IS NOT OLD.new_value
  OR NEW.reason IS NOT OLD.reason
BEGIN
  SELECT RAISE (ABORT, 'the audit trail is append-only');
END;

-- Full-text search over what people search dossiers by.  Trigram tokens give substring
-- search in Chinese as well as in unit numbers; it is derived data, not audited.
CREATE VIRTUAL TABLE search_dossier USING fts5 (body, tokenize = 'trigram');

CREATE VIEW dossier_search_text AS
SELECT d.id AS id,
       d.unit_no || ' ' || p.code || ' ' || i.name_zh || ' ' || i.name_en || ' ' ||
       c.name_zh || ' ' || c.name_en || ' ' ||
       coalesce (pr.name_zh || ' ' || pr.name_en || ' ' || m.code || ' ' || pr.certificate_no, '') || ' ' ||
       coalesce (f.device_name || ' ' || coalesce (f.number, ''), '') || ' ' ||
       d.condition || ' ' || d.lesion_site || ' ' || d.notes AS body
FROM dossier d
JOIN patient p ON p.id = d.patient_id
JOIN institution i ON i.id = d.institution_id
JOIN clinician c ON c.id = d.clinician_id
LEFT JOIN product_model m ON m.id = d.model_id
LEFT JOIN product pr ON pr.id = m.product_id
LEFT JOIN filing f ON f.id = d.filing_id;

CREATE TRIGGER search_dossier_insert AFTER INSERT ON dossier
BEGIN
  INSERT INTO search_dossier (rowid, body) SELECT id, body FROM dossier_search_text WHERE id = NEW.id;
END;

CREATE TRIGGER search_dossier_update
AFTER UPDATE OF clinician_id, filing_id, model_id, condition, lesion_site, notes ON dossier
BEGIN
  DELETE FROM search_dossier WHERE rowid = OLD.id;
  INSERT INTO search_dossier (rowid, body) SELECT id, body FROM dossier_search_text WHERE id = NEW.id;
END;

CREATE TRIGGER search_dossier_delete AFTER DELETE ON dossier
BEGIN
  DELETE FROM search_dossier WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_institution_update AFTER UPDATE OF name_zh, name_en ON institution
BEGIN
  DELETE FROM search_dossier WHERE rowid IN (SELECT id FROM dossier WHERE institution_id = NEW.id);
  INSERT INTO search_dossier (rowid, body)
    SELECT id, body FROM dossier_search_text WHERE id IN (SELECT id FROM dossier WHERE institution_id = NEW.id);
END;

CREATE TRIGGER search_clinician_update AFTER UPDATE OF name_zh, name_en ON clinician
BEGIN
  DELETE FROM search_dossier WHERE rowid IN (SELECT id FROM dossier WHERE clinician_id = NEW.id);
  INSERT INTO search_dossier (rowid, body)
    SELECT id, body FROM dossier_search_text WHERE id IN (SELECT id FROM dossier WHERE clinician_id = NEW.id);
END;

CREATE TRIGGER search_patient_update AFTER UPDATE OF code ON patient
BEGIN
  DELETE FROM search_dossier WHERE rowid IN (SELECT id FROM dossier WHERE patient_id = NEW.id);
  INSERT INTO search_dossier (rowid, body)
    SELECT id, body FROM dossier_search_text WHERE id IN (SELECT id FROM dossier WHERE patient_id = NEW.id);
END;

CREATE TRIGGER search_product_update AFTER UPDATE OF name_zh, name_en, certificate_no ON product
BEGIN
  DELETE FROM search_dossier WHERE rowid IN
    (SELECT d.id FROM dossier d JOIN product_model m ON m.id = d.model_id WHERE m.product_id = NEW.id);
  INSERT INTO search_dossier (rowid, body)
    SELECT id, body FROM dossier_search_text WHERE id IN
      (SELECT d.id FROM dossier d JOIN product_model m ON m.id = d.model_id WHERE m.product_id = NEW.id);
END;

CREATE TRIGGER search_filing_update AFTER UPDATE OF device_name, number ON filing
BEGIN
  DELETE FROM search_dossier WHERE rowid IN (SELECT id FROM dossier WHERE filing_id = NEW.id);
  INSERT INTO search_dossier (rowid, body)
    SELECT id, body FROM dossier_search_text WHERE id IN (SELECT id FROM dossier WHERE filing_id = NEW.id);
END;
