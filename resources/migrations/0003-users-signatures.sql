-- 0003-users-signatures.sql: schema 3 of a Dossier database.
--
-- Local user accounts with roles, the record of sign-in attempts, and electronic
-- signatures on the sign-off points of the workflow (see docs/signatures.md and
-- src/core/dossier-auth.c, dossier-signature.c).  Conventions as in 0001: every
-- user-data table has "id INTEGER PRIMARY KEY" and is audited by generated triggers,
-- so a change made to any of these tables behind the application's back is found by
-- "dossier-cli audit verify".

-- Access control figures (DOMAIN.md "configurable"): shipped as data with their
-- source, changed by an administrator.
INSERT INTO setting (key, value, source, description) VALUES
  ('auth.idle_lock_minutes', '15',
   '21 CFR 11.10(d) and 11.300 (limiting system access); EU GMP Annex 11 §12.1 (computerised systems, security); figure set by the manufacturer',
   'Minutes without activity after which the session locks until the password is entered again'),
  ('auth.failed_attempts_free', '3',
   '21 CFR 11.300(d) (safeguards against unauthorized use of passwords); figure set by the manufacturer',
   'Failed password attempts for one login that are not delayed'),
  ('auth.failed_delay_seconds', '5',
   '21 CFR 11.300(d) (safeguards against unauthorized use of passwords); figure set by the manufacturer',
   'Seconds to wait after the first delayed failure; the wait doubles with every further failure'),
  ('auth.failed_delay_max_seconds', '300',
   '21 CFR 11.300(d) (safeguards against unauthorized use of passwords); figure set by the manufacturer',
   'Longest wait between password attempts for one login'),
  ('auth.password_min_length', '8',
   '21 CFR 11.300 (controls for identification codes and passwords); figure set by the manufacturer',
   'Shortest password accepted for a user account');

-- A person who uses Dossier.  Roles are a comma-separated set of engineer,
-- qa-reviewer, regulatory and administrator (checked by dossier-auth.c).  The password
-- is only ever stored as an Argon2id hash in libsodium's string format; the CHECK makes
-- storing anything else impossible even by mistake.  The hash is audited like every
-- other value, so that replacing it behind the application's back is detected.
-- Accounts are never deleted (signatures and the trail refer to them): they are
-- deactivated.
CREATE TABLE user_account (
  id                  INTEGER PRIMARY KEY,
  login               TEXT NOT NULL UNIQUE CHECK (login <> ''),
  full_name           TEXT NOT NULL CHECK (full_name <> ''),
  roles               TEXT NOT NULL CHECK (roles <> ''),
  active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  password_hash       TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  password_changed_at TEXT NOT NULL,
  created_at          TEXT NOT NULL
);

-- Every password check: signing in, unlocking an idle session, signing.  Failed ones
-- slow down the next attempt for the same login (dossier-auth.c computes the delay
-- from the consecutive failures recorded here).
CREATE TABLE login_attempt (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL,
  user_id       INTEGER REFERENCES user_account (id),
  at            TEXT NOT NULL,
  purpose       TEXT NOT NULL CHECK (purpose IN ('sign-in', 'unlock', 'signature')),
  outcome       TEXT NOT NULL CHECK (outcome IN ('success', 'wrong-password', 'unknown-user',
                                                 'inactive', 'throttled')),
  delay_seconds INTEGER NOT NULL DEFAULT 0 CHECK (delay_seconds >= 0)
);
CREATE INDEX login_attempt_login ON login_attempt (login, id);

-- An electronic signature on one sign-off point of one dossier: who (account, login
-- and printed name as they were when signing, and the role signed in), what it means,
-- when (ISO 8601 with UTC offset), and the SHA-256 of the canonical serialisation of
-- exactly the content it covers (docs/signatures.md, dossier-canonical.c).  A
-- signature is valid while that content still hashes to content_hash.  Signatures are
-- never changed or deleted; a new signature on the same point supersedes the old one.
CREATE TABLE signature (
  id            INTEGER PRIMARY KEY,
  dossier_id    INTEGER NOT NULL REFERENCES dossier (id),
  point         TEXT NOT NULL CHECK (point IN ('design-review', 'design-approval',
                                               'processing-review', 'release')),
  meaning       TEXT NOT NULL CHECK (meaning IN ('reviewed', 'approved', 'released')),
  user_id       INTEGER NOT NULL REFERENCES user_account (id),
  login         TEXT NOT NULL CHECK (login <> ''),
  full_name     TEXT NOT NULL CHECK (full_name <> ''),
  role          TEXT NOT NULL CHECK (role IN ('engineer', 'qa-reviewer', 'regulatory', 'administrator')),
  signed_at     TEXT NOT NULL,
  content_hash  TEXT NOT NULL CHECK (length (content_hash) = 64),
  serialization TEXT NOT NULL CHECK (serialization <> ''),
  comment       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signature_dossier ON signature (dossier_id, point, id);

CREATE TRIGGER signature_immutable_update BEFORE UPDATE ON signature
BEGIN
  SELECT RAISE (ABORT, 'a signature cannot be changed');
END;

CREATE TRIGGER signature_immutable_delete BEFORE DELETE ON signature
BEGIN
  SELECT RAISE (ABORT, 'a signature cannot be deleted');
END;

-- The clinician's design confirmation is external: its scanned document is an
-- attachment of the dossier, linked here.
ALTER TABLE design_confirmation ADD COLUMN attachment_id INTEGER REFERENCES attachment (id);
