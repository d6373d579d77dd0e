-- 0005-annual-report.sql: the annual report of customized devices.
--
-- The report's configurable figures and the record of every report generated (see
-- docs/annual-report.md and src/core/dossier-annual-report.c).  The deadline itself,
-- annual_report.deadline, has been a setting since schema 1.
--
-- Written so that it does not depend on any other migration after 0003 and can run
-- before or after them: it only adds, and only what is not there yet.

INSERT OR IGNORE INTO setting (key, value, source, description) VALUES
  ('annual_report.reminder_days', '30',
   'NMPA/NHC Announcement 2019 No. 53 (annual report on the previous year); reminder period set by the manufacturer',
   'Days before the annual report deadline from which regulatory staff are reminded'),
  ('annual_report.threshold_near_percent', '80',
   'NMPA/NHC Announcement 2019 No. 53, Art. 4 (move to registration when the clinical cases suffice); warning level set by the manufacturer',
   'Share of a filing''s case threshold, in percent, from which the annual report marks the filing as near it');

-- One row per annual report written: which year, which filing (NULL: every filing),
-- the report's own time stamp, who generated it, the SHA-256 of the XML written,
-- and when.  Audited like every table; rows are written only by
-- dossier-annual-report.c.
CREATE TABLE IF NOT EXISTS annual_report_run (
  id            INTEGER PRIMARY KEY,
  year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  filing_id     INTEGER REFERENCES filing (id),
  generated_at  TEXT NOT NULL,
  generated_by  TEXT NOT NULL CHECK (generated_by <> ''),
  sha256        TEXT NOT NULL CHECK (length (sha256) = 64),
  recorded_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS annual_report_run_year ON annual_report_run (year, filing_id);
