-- 0002-envelopes.sql: schema 2 of a Dossier database.
--
-- Registered size ranges (design envelopes) per product model, the catalogue of the
-- rules every dossier is checked against, and the stored results of those checks.
-- Conventions as in 0001: every user-data table has "id INTEGER PRIMARY KEY" and is
-- audited by generated triggers; check_result is derived data and is not.

-- A registered model's size range, versioned: a registration change makes a new
-- version with its own effective date.  A unit is checked against the effective
-- version in force on its design confirmation date.  Only a draft can be edited; an
-- effective version can be withdrawn (it then never counts) or given an end date.
CREATE TABLE envelope (
  id              INTEGER PRIMARY KEY,
  model_id        INTEGER NOT NULL REFERENCES product_model (id),
  version         INTEGER NOT NULL CHECK (version >= 1),
  status          TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'effective', 'withdrawn')),
  effective_on    TEXT NOT NULL,
  valid_until     TEXT,
  certificate_no  TEXT NOT NULL CHECK (certificate_no <> ''),
  change_document TEXT NOT NULL DEFAULT '',
  notes           TEXT NOT NULL DEFAULT '',
  UNIQUE (model_id, version),
  CHECK (valid_until IS NULL OR valid_until >= effective_on)
);
CREATE INDEX envelope_model ON envelope (model_id, status, effective_on);

-- Numeric parameters keep their limits as decimal text, exactly as registered.
CREATE TABLE envelope_parameter (
  id            INTEGER PRIMARY KEY,
  envelope_id   INTEGER NOT NULL REFERENCES envelope (id),
  position      INTEGER NOT NULL DEFAULT 1 CHECK (position >= 1),
  name          TEXT NOT NULL CHECK (name <> ''),
  label_en      TEXT NOT NULL DEFAULT '',
  label_zh      TEXT NOT NULL DEFAULT '',
  kind          TEXT NOT NULL CHECK (kind IN ('numeric', 'categorical')),
  unit          TEXT NOT NULL DEFAULT '',
  minimum       TEXT,
  maximum       TEXT,
  min_inclusive INTEGER NOT NULL DEFAULT 1 CHECK (min_inclusive IN (0, 1)),
  max_inclusive INTEGER NOT NULL DEFAULT 1 CHECK (max_inclusive IN (0, 1)),
  step          TEXT,
  tolerance     TEXT,
  resolution    TEXT,
  UNIQUE (envelope_id, name),
  CHECK (kind = 'numeric' OR (minimum IS NULL AND maximum IS NULL AND step IS NULL
                              AND tolerance IS NULL AND resolution IS NULL)),
  CHECK (kind = 'categorical' OR minimum IS NOT NULL OR maximum IS NOT NULL)
);

-- The allowed values of a categorical parameter.
CREATE TABLE envelope_category (
  id           INTEGER PRIMARY KEY,
  parameter_id INTEGER NOT NULL REFERENCES envelope_parameter (id),
  value        TEXT NOT NULL CHECK (value <> ''),
  UNIQUE (parameter_id, value)
);

-- Dependency rules between parameters, e.g. "wall_thickness >= 0.1 * span"; checked
-- by dossier-expression.c when saved, never run as SQL text.
CREATE TABLE envelope_rule (
  id             INTEGER PRIMARY KEY,
  envelope_id    INTEGER NOT NULL REFERENCES envelope (id),
  position       INTEGER NOT NULL DEFAULT 1 CHECK (position >= 1),
  expression     TEXT NOT NULL CHECK (expression <> ''),
  description_en TEXT NOT NULL DEFAULT '',
  description_zh TEXT NOT NULL DEFAULT '',
  source         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX envelope_rule_envelope ON envelope_rule (envelope_id);

-- What a unit was checked against must stay as it was: an envelope that is no
-- longer a draft is frozen, except that it may be withdrawn, given an end date or
-- annotated; and it cannot take effect without parameters.
CREATE TRIGGER envelope_frozen_update BEFORE UPDATE ON envelope
WHEN OLD.status <> 'draft'
  AND (NEW.model_id IS NOT OLD.model_id OR NEW.version IS NOT OLD.version
       OR NEW.effective_on IS NOT OLD.effective_on OR NEW.certificate_no IS NOT OLD.certificate_no
       OR NEW.change_document IS NOT OLD.change_document OR NEW.status = 'draft'
       OR (OLD.status = 'withdrawn' AND NEW.status IS NOT OLD.status))
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_needs_parameters BEFORE UPDATE OF status ON envelope
WHEN OLD.status = 'draft' AND NEW.status = 'effective'
  AND NOT EXISTS (SELECT 1 FROM envelope_parameter WHERE envelope_id = NEW.id)
BEGIN
  SELECT RAISE (ABORT, 'a size range without parameters cannot take effect');
END;

CREATE TRIGGER envelope_frozen_delete BEFORE DELETE ON envelope
WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be deleted; withdraw it');
END;

CREATE TRIGGER envelope_parameter_frozen_insert BEFORE INSERT ON envelope_parameter
WHEN (SELECT status FROM envelope WHERE id = NEW.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_parameter_frozen_update BEFORE UPDATE ON envelope_parameter
WHEN (SELECT status FROM envelope WHERE id = OLD.envelope_id) <> 'draft'
  OR (SELECT status FROM envelope WHERE id = NEW.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_parameter_frozen_delete BEFORE DELETE ON envelope_parameter
WHEN (SELECT status FROM envelope WHERE id = OLD.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_category_frozen_insert BEFORE INSERT ON envelope_category
WHEN (SELECT e.status FROM envelope e JOIN envelope_parameter p ON p.envelope_id = e.id
      WHERE p.id = NEW.parameter_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_category_frozen_update BEFORE UPDATE ON envelope_category
WHEN (SELECT e.status FROM envelope e JOIN envelope_parameter p ON p.envelope_id = e.id
      WHERE p.id = OLD.parameter_id) <> 'draft'
  OR (SELECT e.status FROM envelope e JOIN envelope_parameter p ON p.envelope_id = e.id
      WHERE p.id = NEW.parameter_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_category_frozen_delete BEFORE DELETE ON envelope_category
WHEN (SELECT e.status FROM envelope e JOIN envelope_parameter p ON p.envelope_id = e.id
      WHERE p.id = OLD.parameter_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_rule_frozen_insert BEFORE INSERT ON envelope_rule
WHEN (SELECT status FROM envelope WHERE id = NEW.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_rule_frozen_update BEFORE UPDATE ON envelope_rule
WHEN (SELECT status FROM envelope WHERE id = OLD.envelope_id) <> 'draft'
  OR (SELECT status FROM envelope WHERE id = NEW.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

CREATE TRIGGER envelope_rule_frozen_delete BEFORE DELETE ON envelope_rule
WHEN (SELECT status FROM envelope WHERE id = OLD.envelope_id) <> 'draft'
BEGIN
  SELECT RAISE (ABORT, 'an effective size range cannot be changed; make a new version');
END;

-- The binding rule of customized units looks for trail entries that changed a
-- dossier's patient or institution; normally there are none, and this index finds
-- that out without reading the trail.
-- The check reads every released unit of a model (its experience, for the worst-case
-- tier) and counts the cases of a filing; these indexes answer both without reading
-- the dossiers' long texts.
CREATE INDEX dossier_model_status ON dossier (model_id, status);
CREATE INDEX dossier_filing_status ON dossier (filing_id, status);

CREATE INDEX audit_log_binding ON audit_log (row_id)
WHERE table_name = 'dossier' AND action = 'update' AND field IN ('patient_id', 'institution_id');

-- The rule catalogue.  The code is the stable rule ID that results, reports and the
-- command line refer to; messages are templates with named {placeholders} in both
-- languages; source is the regulation, guideline or registration the rule comes from;
-- remedies names the ways forward the application offers (comma-separated keys);
-- config holds a rule's configurable figures (DOMAIN.md), for CUS-ELIGIBILITY the
-- excluded terms and for CUS-ORDER-COMPLETE the required order fields, comma-separated.
-- Severities are data an administrator may change, except that the registered size
-- range is binding: its findings stay errors.
CREATE TABLE check_rule (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE CHECK (code <> ''),
  scope      TEXT NOT NULL CHECK (scope IN ('patient-matched', 'customized')),
  severity   TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  message_en TEXT NOT NULL CHECK (message_en <> ''),
  message_zh TEXT NOT NULL CHECK (message_zh <> ''),
  source     TEXT NOT NULL CHECK (source <> ''),
  remedies   TEXT NOT NULL DEFAULT '',
  config     TEXT NOT NULL DEFAULT '',
  CHECK (severity = 'error'
         OR code NOT IN ('ENV-NO-ENVELOPE', 'ENV-ENVELOPE-INVALID', 'ENV-NO-DESIGN', 'ENV-MISSING',
                         'ENV-VALUE', 'ENV-UNIT', 'ENV-RANGE', 'ENV-STEP', 'ENV-CATEGORY',
                         'ENV-DEPENDENCY'))
);

CREATE TRIGGER check_rule_stable_code BEFORE UPDATE OF code ON check_rule
WHEN NEW.code IS NOT OLD.code
BEGIN
  SELECT RAISE (ABORT, 'rule IDs are stable and cannot be renamed');
END;

CREATE TRIGGER check_rule_keep BEFORE DELETE ON check_rule
BEGIN
  SELECT RAISE (ABORT, 'the rule catalogue keeps every rule; change its severity instead');
END;

INSERT INTO check_rule (code, scope, severity, message_en, message_zh, source, remedies, config) VALUES
  ('ENV-NO-ENVELOPE', 'patient-matched', 'error',
   'No registered size range of model {model} is in force on {date}, so the unit cannot be shown to be that registered product.',
   '型号 {model} 在 {date} 没有生效的注册尺寸范围，无法证明该单元属于该注册产品。',
   'NMPA/NHC Announcement 2019 No. 53 (patient-matched devices are registered products whose registered models and specifications cover every size produced)',
   'enter-envelope,customized-route', ''),
  ('ENV-ENVELOPE-INVALID', 'patient-matched', 'error',
   'The registered size range of model {model} (version {version}) cannot be used: {problem}',
   '型号 {model} 的注册尺寸范围（第 {version} 版）无法使用：{problem}',
   'Registered size range (design envelope) of the model',
   'correct-envelope', ''),
  ('ENV-NO-DESIGN', 'patient-matched', 'error',
   'No design version with parameter values has been recorded yet.',
   '尚未记录含参数值的设计版本。',
   'NMPA/NHC Announcement 2019 No. 53, Ch. 3 (design and processing records)',
   'record-design', ''),
  ('ENV-DESIGN-PENDING', 'patient-matched', 'info',
   'The design has not been entered yet; it is checked against the registered size range as soon as parameter values are recorded.',
   '尚未录入设计；录入参数值后即按注册尺寸范围核对。',
   'NMPA/NHC Announcement 2019 No. 53, Ch. 3 (design and processing records)',
   'record-design', ''),
  ('ENV-MISSING', 'patient-matched', 'error',
   '{parameter} has no value; the registered range is {limits}.',
   '{parameter} 缺少数值；注册范围为 {limits}。',
   'Registered size range: every registered parameter must be shown to lie within it',
   'record-design', ''),
  ('ENV-UNKNOWN', 'patient-matched', 'warning',
   '{parameter} = {value}{unit} is not a parameter of the registered size range of model {model}; check its name.',
   '{parameter} = {value}{unit} 不是型号 {model} 注册尺寸范围中的参数；请核对参数名称。',
   'Registered size range (design envelope) of the model',
   'rename-parameter', ''),
  ('ENV-VALUE', 'patient-matched', 'error',
   '{parameter}: {problem}',
   '{parameter}：{problem}',
   'Registered size range: values are recorded as exact decimal numbers',
   'correct-value', ''),
  ('ENV-UNIT', 'patient-matched', 'error',
   '{parameter} = {value}: {problem}',
   '{parameter} = {value}：{problem}',
   'Registered size range: units are explicit and never mixed',
   'correct-value', ''),
  ('ENV-RANGE', 'patient-matched', 'error',
   '{parameter} = {value}{unit} is outside the registered range {limits}.',
   '{parameter} = {value}{unit} 超出注册尺寸范围 {limits}。',
   'NMPA/NHC Announcement 2019 No. 53 (a unit outside the registered models and specifications is not that registered product)',
   'redesign,worst-case-testing,customized-route', ''),
  ('ENV-STEP', 'patient-matched', 'error',
   '{parameter} = {value}{unit} is not one of the registered sizes {grid}; the nearest are {below} and {above}.',
   '{parameter} = {value}{unit} 不属于注册规格序列 {grid}；最接近的规格为 {below} 和 {above}。',
   'Registered size range: registered increments (steps) of the model',
   'redesign,customized-route', ''),
  ('ENV-CATEGORY', 'patient-matched', 'error',
   '{parameter} = {value} is not a registered option; registered: {allowed}.',
   '{parameter} = {value} 不是注册的可选项；已注册：{allowed}。',
   'Registered size range: registered options (for example material grades)',
   'redesign,customized-route', ''),
  ('ENV-TOLERANCE', 'patient-matched', 'warning',
   '{parameter} = {value}{unit} is within the manufacturing tolerance ±{tolerance}{range_unit} of a registered limit ({limits}); a made part may fall outside.',
   '{parameter} = {value}{unit} 与注册限值（{limits}）的距离小于制造公差 ±{tolerance}{range_unit}；成品可能超出范围。',
   'Registered size range with manufacturing tolerance (ISO 14253-1 decision rules)',
   'redesign', ''),
  ('ENV-DEPENDENCY', 'patient-matched', 'error',
   'Rule {expression} is not met: {values}.',
   '不满足参数关系 {expression}：{values}。',
   'Registered size range: dependency rules between parameters',
   'redesign,worst-case-testing,customized-route', ''),
  ('ENV-WORST-CASE', 'patient-matched', 'warning',
   '{parameter} = {value}{unit} is outside the values of released units of this model ({seen}): a new worst case, to be tested before use.',
   '{parameter} = {value}{unit} 超出本型号已放行单元的取值（{seen}）：属于新的最差情况，使用前须经测试。',
   'NMPA guideline for the registration review of additively manufactured patient-matched mandibular prostheses (collect each unit''s values per model; a new worst case is tested before use)',
   'worst-case-testing,redesign', ''),
  ('CUS-ELIGIBILITY', 'customized', 'error',
   '{field} mentions “{term}”: customized devices may not contain drugs or biologically active substances such as cells or tissues, and in-vitro diagnostics are out of scope.',
   '{field}中出现“{term}”：定制式医疗器械不得含有药物成分或细胞、组织等生物活性物质，体外诊断试剂亦不适用。',
   'NMPA/NHC Announcement 2019 No. 53 (scope of customized devices: no drugs, no biologically active substances such as cells or tissues, no in-vitro diagnostics; the excluded terms are this rule''s configuration)',
   'check-eligibility',
   'drug, drugs, medicinal, antibiotic, antibiotics, gentamicin, vancomycin, heparin, growth factor, BMP, cell, cells, stem cell, living tissue, biologically active, in vitro diagnostic, IVD, 药物, 药品, 含药, 抗生素, 庆大霉素, 万古霉素, 肝素, 生长因子, 骨形态发生蛋白, 细胞, 干细胞, 活性组织, 生物活性, 体外诊断'),
  ('CUS-FILING-ACTIVE', 'customized', 'error',
   'Filing {filing} is not in force (status: {status}); a customized unit is made only under a filed filing.',
   '备案 {filing} 未生效（状态：{status}）；定制式医疗器械须在有效备案下生产。',
   'NMPA/NHC Announcement 2019 No. 53, Art. 3 (customized devices are filed before production)',
   'renew-filing', ''),
  ('CUS-PARTNER', 'customized', 'error',
   'The ordering institution is not the partner institution of filing {filing} ({partner}).',
   '下单医疗机构不是备案 {filing} 的合作医疗机构（{partner}）。',
   'NMPA/NHC Announcement 2019 No. 53, Art. 5 (only the ordering institution of the filing, for the designated patient)',
   'check-order', ''),
  ('CUS-ORDER-COMPLETE', 'customized', 'error',
   'The production order is incomplete: {fields}.',
   '制作订单不完整：{fields}。',
   'NMPA/NHC Announcement 2019 No. 53, Art. 14 (content of the production order); the required fields are this rule''s configuration',
   'complete-order',
   'ordered_on, patient_age, condition, treatment_plan, risks, necessity, clinical_data, lesion_site, design_requirements, delivery_requirements, acceptance_criteria, clinician_signed_on, manufacturer_contact, manufacturer_signed_on'),
  ('CUS-DESIGN-CONFIRMED', 'customized', 'error',
   'Design version {version} has not been confirmed by the clinician ({confirmed}).',
   '设计版本 {version} 尚未经临床医生确认（{confirmed}）。',
   'NMPA/NHC Announcement 2019 No. 53, Ch. 3 (the clinician confirms the design in writing; a change after confirmation is confirmed again)',
   'confirm-design', ''),
  ('CUS-DESIGN-BEFORE-PROCESSING', 'customized', 'error',
   'Processing started on {started}, before the design was confirmed on {confirmed}.',
   '加工于 {started} 开始，早于设计确认日期 {confirmed}。',
   'NMPA/NHC Announcement 2019 No. 53, Ch. 3 (design confirmed before processing starts)',
   'confirm-design', ''),
  ('CUS-BINDING', 'customized', 'error',
   'The unit is not bound to one patient and one institution: {problem}',
   '该单元未绑定唯一的患者和医疗机构：{problem}',
   'NMPA/NHC Announcement 2019 No. 53, Art. 5 (used only by the ordering institution on the designated patient)',
   'check-order', ''),
  ('CUS-CASE-THRESHOLD', 'customized', 'warning',
   'Filing {filing} has {count} cases, reaching its threshold of {threshold}: the filers should apply for registration.',
   '备案 {filing} 已有 {count} 例，达到阈值 {threshold} 例：备案人应申报注册。',
   'NMPA/NHC Announcement 2019 No. 53, Art. 4 (move to registration when the clinical cases suffice); threshold per filing',
   'register-product', '');

-- Derived: the newest result of checking each dossier, with what it was computed
-- from.  inputs_hash is SHA-256 over the canonical inputs (dossier-check.c); a result
-- whose hash still matches is current.  report is JSON (dossier-check-report.c).
CREATE TABLE check_result (
  id               INTEGER PRIMARY KEY,
  dossier_id       INTEGER NOT NULL UNIQUE REFERENCES dossier (id),
  envelope_id      INTEGER,
  envelope_version INTEGER,
  inputs_hash      TEXT NOT NULL CHECK (length (inputs_hash) = 64),
  checked_at       TEXT NOT NULL,
  -- Written for every dossier a check computes: the comparisons are spelled out
  -- because SQLite builds a temporary table for an IN list on every row it checks.
  verdict          TEXT NOT NULL CHECK (verdict = 'pass' OR verdict = 'warning' OR verdict = 'error'),
  n_errors         INTEGER NOT NULL DEFAULT 0,
  n_warnings       INTEGER NOT NULL DEFAULT 0,
  report           TEXT NOT NULL
);
-- Covers what a full check reads of every stored result, so that it never reads the
-- reports themselves; and what a list reads for its problem marker.
CREATE INDEX check_result_current ON check_result (dossier_id, inputs_hash, verdict, n_errors, n_warnings, checked_at);
CREATE INDEX check_result_verdict ON check_result (verdict);
