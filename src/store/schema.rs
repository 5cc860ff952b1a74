//! The schema, as numbered migrations. `PRAGMA user_version` says how many have run; each
//! runs in its own transaction, so a crash mid-upgrade leaves the previous version intact.

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the station store.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE operators (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('operator', 'reviewer', 'admin')),
        pin_hash   TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE students (
        id         INTEGER PRIMARY KEY,
        student_no TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL,
        id_number  TEXT,
        college    TEXT NOT NULL DEFAULT '',
        major      TEXT NOT NULL DEFAULT '',
        class      TEXT NOT NULL DEFAULT '',
        exam_no    TEXT NOT NULL DEFAULT '',
        status     TEXT NOT NULL DEFAULT 'waiting'
                   CHECK (status IN ('waiting', 'draft', 'accepted', 'approved', 'to_recall')),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX students_name ON students (name);
    CREATE INDEX students_class ON students (college, class);
    CREATE TABLE capture_codes (
        code       TEXT PRIMARY KEY,
        student_id INTEGER NOT NULL REFERENCES students (id),
        kind       TEXT NOT NULL,
        bound_at   TEXT NOT NULL
    );
    -- Photo bytes by content: a capture refers to its original and its photo by SHA-256.
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        bytes  BLOB NOT NULL
    );
    -- One row per attempt (a shot or an imported photo), failed ones included.
    CREATE TABLE captures (
        id              TEXT PRIMARY KEY,
        station_id      TEXT NOT NULL,
        student_id      INTEGER NOT NULL REFERENCES students (id),
        attempt_no      INTEGER NOT NULL,
        taken_at        TEXT NOT NULL,
        operator_id     INTEGER REFERENCES operators (id),
        profile         TEXT NOT NULL,
        status          TEXT NOT NULL
                        CHECK (status IN ('failed', 'draft', 'accepted', 'approved', 'rejected', 'superseded')),
        verdict         TEXT NOT NULL,
        failure_kind    TEXT,
        original_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
        photo_sha256    TEXT REFERENCES blobs (sha256),
        trail_json      TEXT NOT NULL,
        report_json     TEXT NOT NULL,
        error           TEXT,
        UNIQUE (student_id, attempt_no)
    );
    CREATE INDEX captures_student ON captures (student_id, taken_at);
    CREATE TABLE reviews (
        id          INTEGER PRIMARY KEY,
        capture_id  TEXT NOT NULL REFERENCES captures (id),
        reviewer_id INTEGER REFERENCES operators (id),
        decision    TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
        reason      TEXT NOT NULL DEFAULT '',
        at          TEXT NOT NULL
    );
    CREATE TABLE overrides (
        id          INTEGER PRIMARY KEY,
        student_id  INTEGER NOT NULL REFERENCES students (id),
        operator_id INTEGER REFERENCES operators (id),
        at          TEXT NOT NULL
    );
    CREATE TABLE batches (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        target     TEXT NOT NULL,
        state      TEXT NOT NULL
    );
    -- Every state change: who, when, what, before and after.
    CREATE TABLE audit (
        id        INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        before    TEXT,
        after     TEXT
    );
    "#,
    // 2: what was printed for whom, and which photo went into which export batch.
    r#"
    CREATE TABLE prints (
        id         INTEGER PRIMARY KEY,
        capture_id TEXT NOT NULL REFERENCES captures (id),
        student_id INTEGER NOT NULL REFERENCES students (id),
        copies     INTEGER NOT NULL,
        paper      TEXT NOT NULL,
        target     TEXT NOT NULL,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL
    );
    CREATE INDEX prints_student ON prints (student_id);
    CREATE TABLE export_files (
        batch_id   INTEGER NOT NULL REFERENCES batches (id),
        capture_id TEXT NOT NULL REFERENCES captures (id),
        file_name  TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        PRIMARY KEY (batch_id, capture_id)
    );
    CREATE INDEX export_files_capture ON export_files (capture_id);
    "#,
    // 3: sync with a central server. Captures from other booths are held too (their rows; the
    // bytes only where they were pulled), so `captures` is rebuilt: attempt numbers are unique
    // per booth, a photo's bytes may live elsewhere, and the central clock's time is kept
    // beside the booth's. Reviews and prints made elsewhere keep their global id (`uid`).
    // The outbox is filled by triggers in the same transaction as the change, so no code path
    // can forget it; while a pull is applied (`meta.pulling`), nothing goes in.
    r#"
    CREATE TABLE captures_v3 (
        id               TEXT PRIMARY KEY,
        station_id       TEXT NOT NULL,
        student_id       INTEGER NOT NULL REFERENCES students (id),
        attempt_no       INTEGER NOT NULL,
        taken_at         TEXT NOT NULL,
        operator_id      INTEGER REFERENCES operators (id),
        profile          TEXT NOT NULL,
        status           TEXT NOT NULL
                         CHECK (status IN ('failed', 'draft', 'accepted', 'approved', 'rejected', 'superseded')),
        verdict          TEXT NOT NULL,
        failure_kind     TEXT,
        original_sha256  TEXT NOT NULL,
        photo_sha256     TEXT,
        trail_json       TEXT NOT NULL,
        report_json      TEXT NOT NULL,
        error            TEXT,
        central_taken_at TEXT,
        UNIQUE (station_id, student_id, attempt_no)
    );
    INSERT INTO captures_v3 SELECT *, NULL FROM captures;
    DROP TABLE captures;
    ALTER TABLE captures_v3 RENAME TO captures;
    CREATE INDEX captures_student ON captures (student_id, taken_at);
    ALTER TABLE reviews ADD COLUMN uid TEXT;
    ALTER TABLE reviews ADD COLUMN reviewer TEXT;
    ALTER TABLE reviews ADD COLUMN central_at TEXT;
    CREATE UNIQUE INDEX reviews_uid ON reviews (uid);
    ALTER TABLE prints ADD COLUMN uid TEXT;
    CREATE UNIQUE INDEX prints_uid ON prints (uid);
    CREATE TABLE outbox (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        entity    TEXT NOT NULL,
        entity_id TEXT NOT NULL
    );
    CREATE TRIGGER outbox_capture_new AFTER INSERT ON captures
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling')
     AND NEW.station_id = (SELECT value FROM meta WHERE key = 'station_id')
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('capture', NEW.id); END;
    CREATE TRIGGER outbox_capture_status AFTER UPDATE OF status ON captures
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling') AND OLD.status IS NOT NEW.status
     AND NEW.station_id = (SELECT value FROM meta WHERE key = 'station_id')
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('capture', NEW.id); END;
    CREATE TRIGGER outbox_review AFTER INSERT ON reviews
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling') AND NEW.uid IS NULL
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('review', NEW.id); END;
    CREATE TRIGGER outbox_print AFTER INSERT ON prints
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling') AND NEW.uid IS NULL
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('print', NEW.id); END;
    CREATE TRIGGER outbox_audit AFTER INSERT ON audit
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling')
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('audit', NEW.id); END;
    CREATE TRIGGER outbox_student_new AFTER INSERT ON students
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling')
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('student', NEW.student_no); END;
    CREATE TRIGGER outbox_student_roster AFTER UPDATE ON students
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling')
     AND (OLD.name, OLD.id_number, OLD.college, OLD.major, OLD.class, OLD.exam_no)
         IS NOT (NEW.name, NEW.id_number, NEW.college, NEW.major, NEW.class, NEW.exam_no)
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('student', NEW.student_no); END;
    -- What this store already holds goes out at the first sync.
    INSERT INTO outbox (entity, entity_id) SELECT 'student', student_no FROM students;
    INSERT INTO outbox (entity, entity_id) SELECT 'capture', id FROM captures;
    INSERT INTO outbox (entity, entity_id) SELECT 'review', id FROM reviews;
    INSERT INTO outbox (entity, entity_id) SELECT 'print', id FROM prints;
    INSERT INTO outbox (entity, entity_id) SELECT 'audit', id FROM audit;
    "#,
    // 4: personal data under control. Accounts can be disabled (whether a PIN must be changed
    // is seen from the PIN itself at login: shorter than today's minimum); failed logins are counted by the name
    // typed — known or not, so an unknown name behaves exactly like a wrong PIN — and lock the
    // name for a while (kept here, so a restart does not reset it). A purged student keeps
    // their row and counts, not their ID number or photo bytes.
    r#"
    ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE login_failures (
        name         TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL DEFAULT 0,
        lockouts     INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER
    );
    ALTER TABLE students ADD COLUMN purged_at TEXT;
    -- Purging a student's ID number is this booth's business: it is not sent to the server.
    DROP TRIGGER outbox_student_roster;
    CREATE TRIGGER outbox_student_roster AFTER UPDATE ON students
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'pulling') AND NEW.purged_at IS NULL
     AND (OLD.name, OLD.id_number, OLD.college, OLD.major, OLD.class, OLD.exam_no)
         IS NOT (NEW.name, NEW.id_number, NEW.college, NEW.major, NEW.class, NEW.exam_no)
    BEGIN INSERT INTO outbox (entity, entity_id) VALUES ('student', NEW.student_no); END;
    "#,
    // 5: which store this is (`identity.rs`) and where roster lines stand. Audit rows made
    // before a restore keep the station that wrote them; a roster line knows the server's
    // revision it was last seen at and whether its values came from a correction made elsewhere
    // (an older roster file re-imported here must not undo it).
    r#"
    ALTER TABLE audit ADD COLUMN station_id TEXT;
    ALTER TABLE students ADD COLUMN central_rev INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE students ADD COLUMN corrected_elsewhere INTEGER NOT NULL DEFAULT 0;
    "#,
];
