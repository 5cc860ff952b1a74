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
];
