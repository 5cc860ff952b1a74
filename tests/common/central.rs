//! A real PostgreSQL for the sync tests: `TUCAI_TEST_CENTRAL` names a server and a role that
//! may create databases (`packaging/test-postgres.sh` starts one on loopback and prints it;
//! `.ci/run` does so). Each test gets a database of its own, made afresh.
#![allow(dead_code)]

/// The password `packaging/test-postgres.sh` gives the test role: no output may contain it.
pub const TEST_SECRET: &str = "tucai-test-secret";

/// The server to test against; `None` (the test says SKIPPED) outside CI when none is set.
/// Under CI a missing server is a failure, not a skip.
pub fn server() -> Option<String> {
    match std::env::var("TUCAI_TEST_CENTRAL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but TUCAI_TEST_CENTRAL is not set: .ci/run starts PostgreSQL (packaging/test-postgres.sh)")
        }
        _ => {
            eprintln!(
                "SKIPPED: no PostgreSQL to sync with; run `export TUCAI_TEST_CENTRAL=$(packaging/test-postgres.sh)` first"
            );
            None
        }
    }
}

/// The test server has Debian's self-signed "snakeoil" certificate, which nothing can verify:
/// the tests reach it with `sslmode=prefer` in their URLs, which needs `--insecure-tls`.
pub const INSECURE: tucai::sync::CentralAccess = tucai::sync::CentralAccess { insecure_tls: true, password_file: None };

/// A new empty database `name` on the server (dropped first if there), as a URL with
/// `sslmode=prefer` (see [`INSECURE`]).
pub fn fresh_database(server: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(server, postgres::NoTls).expect("the test server accepts the test role");
    // Two statements: a multi-statement string would run as one transaction, which these refuse.
    retried(|| admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")), "the old one dropped");
    retried(|| admin.batch_execute(&format!("CREATE DATABASE {name}")), "a fresh database");
    let (prefix, _) = server.rsplit_once('/').expect("a URL with a database");
    format!("{prefix}/{name}?sslmode=prefer")
}

/// Runs `step` again while the server's autovacuum is in the way: a worker still busy in the
/// old database (which the test role may not terminate) or in the template being copied.
fn retried(mut step: impl FnMut() -> Result<(), postgres::Error>, what: &str) {
    use postgres::error::SqlState;
    for _ in 0..40 {
        match step() {
            Err(e)
                if [SqlState::INSUFFICIENT_PRIVILEGE, SqlState::OBJECT_IN_USE]
                    .contains(e.code().unwrap_or(&SqlState::SUCCESSFUL_COMPLETION)) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            done => return done.expect(what),
        }
    }
    step().expect(what)
}

/// A plain connection to `url`, for the tests' own checks.
pub fn connect(url: &str) -> postgres::Client {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connects");
    client.batch_execute("SET search_path = tucai").expect("schema");
    client
}
