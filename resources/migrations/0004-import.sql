-- 0004-import.sql: schema 4 of a Dossier database.
--
-- Filing packages imported into this database (docs/filing-package.md, "Import";
-- src/core/dossier-import.c).  A package carries each dossier's audit trail from the
-- database that exported it.  Those entries cannot become entries of this database's
-- own hash chain (their times, actors and sequence numbers belong to the other
-- chain), so they are kept here verbatim, and a dossier's history is the imported
-- entries followed by this database's own entries made after the import.  The rows
-- the import itself wrote are recorded by the normal audit triggers, in the name of
-- whoever imported, so the trail still matches the data.
--
-- Conventions as in 0001: every table has "id INTEGER PRIMARY KEY" and is audited by
-- generated triggers.  All three tables are append-only: what was imported is a fact
-- of the past.

-- One import: which package (its derived id and the SHA-256 of its package.xml),
-- when it was made and imported, by whom, and how many dossiers it added.  An import
-- that adds nothing writes nothing, this row included.
CREATE TABLE package_import (
  id             INTEGER PRIMARY KEY,
  package_id     TEXT NOT NULL CHECK (length (package_id) = 64),
  package_sha256 TEXT NOT NULL CHECK (length (package_sha256) = 64),
  generated_at   TEXT NOT NULL,
  imported_at    TEXT NOT NULL,
  imported_by    TEXT NOT NULL CHECK (imported_by <> ''),
  dossiers       INTEGER NOT NULL CHECK (dossiers >= 1)
);

-- A dossier an import added: the unit number and the id it had in the package
-- (ids can differ when the package's were taken here), and the rule check as the
-- package recorded it (JSON), which the next export repeats while the dossier has
-- not changed here.  This row is written after every other row of the dossier, so
-- its own creation entry marks where the dossier's history in this database begins.
CREATE TABLE imported_dossier (
  id          INTEGER PRIMARY KEY,
  import_id   INTEGER NOT NULL REFERENCES package_import (id),
  dossier_id  INTEGER NOT NULL UNIQUE REFERENCES dossier (id),
  unit_no     TEXT NOT NULL,
  origin_id   INTEGER NOT NULL,
  rule_check  TEXT NOT NULL DEFAULT ''
);

-- The dossier's audit trail as the package carried it, oldest first (position), field
-- for field as exported; row_id and seq are those of the database the package came
-- from.  A created or deleted row's copy is JSON text, as in audit_log.
CREATE TABLE imported_history (
  id          INTEGER PRIMARY KEY,
  dossier_id  INTEGER NOT NULL REFERENCES dossier (id),
  position    INTEGER NOT NULL CHECK (position >= 1),
  seq         INTEGER NOT NULL,
  at          TEXT,
  actor       TEXT,
  action      TEXT,
  table_name  TEXT,
  row_id      INTEGER NOT NULL,
  field       TEXT,
  old_value   TEXT,
  new_value   TEXT,
  reason      TEXT,
  UNIQUE (dossier_id, position)
);

CREATE TRIGGER package_import_immutable_update BEFORE UPDATE ON package_import
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be changed');
END;
CREATE TRIGGER package_import_immutable_delete BEFORE DELETE ON package_import
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be deleted');
END;
CREATE TRIGGER imported_dossier_immutable_update BEFORE UPDATE ON imported_dossier
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be changed');
END;
CREATE TRIGGER imported_dossier_immutable_delete BEFORE DELETE ON imported_dossier
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be deleted');
END;
CREATE TRIGGER imported_history_immutable_update BEFORE UPDATE ON imported_history
BEGIN
  SELECT RAISE (ABORT, 'imported history cannot be changed');
END;
CREATE TRIGGER imported_history_immutable_delete BEFORE DELETE ON imported_history
BEGIN
  SELECT RAISE (ABORT, 'imported history cannot be deleted');
END;

-- Where in its dossier's history each imported signature was made, as the package
-- says (the number of history entries before it): the covered changes after that
-- point are what made it no longer valid.  The sequence numbers of the history
-- cannot tell, as they come from different databases.
CREATE TABLE imported_signature (
  id               INTEGER PRIMARY KEY,
  signature_id     INTEGER NOT NULL UNIQUE REFERENCES signature (id),
  history_position INTEGER NOT NULL CHECK (history_position >= 0)
);

CREATE TRIGGER imported_signature_immutable_update BEFORE UPDATE ON imported_signature
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be changed');
END;
CREATE TRIGGER imported_signature_immutable_delete BEFORE DELETE ON imported_signature
BEGIN
  SELECT RAISE (ABORT, 'an import record cannot be deleted');
END;
