//! The central server's address as the user gives it (`postgres://user:password@host/db`),
//! parsed once: the connection settings, the TLS mode, and a form fit to print — with the
//! password replaced, so that no message or log line ever carries it.
//!
//! TLS follows libpq's `sslmode`: `disable`; `prefer` (encrypted when the server offers it);
//! `require` (encrypted, the certificate checked only against a `sslrootcert` when one is
//! given); `verify-ca` (signed by a trusted authority: `sslrootcert`, else the system's);
//! `verify-full` (and issued for the host named) — **the default**. The modes that can be read
//! or impersonated on the way (`disable`, `prefer`, `require` without `sslrootcert`) are refused
//! unless the user says `--insecure-tls`, and then every sync result says so.
//!
//! The password: in the URL, else `--central-password-file` (owner-only, else refused), else
//! `PGPASSWORD`, else the first matching line of `PGPASSFILE` (default `~/.pgpass`, libpq's
//! `host:port:database:user:password` with `*`, also owner-only).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::SslMode;

use super::SyncError;
use crate::export::SecretFileProblem;

/// How the connection is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Never.
    Disable,
    /// When the server offers it, unverified.
    Prefer,
    /// Always; verified only against a given root certificate.
    Require,
    /// Always, and the certificate chain is checked.
    VerifyCa,
    /// Always, the chain and the host name are checked.
    VerifyFull,
}

/// A parsed central server address.
#[derive(Clone)]
pub struct CentralUrl {
    config: postgres::Config,
    tls: TlsMode,
    root_cert: Option<PathBuf>,
    shown: String,
}

/// How the user lets the address be used, besides the URL itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CentralAccess {
    /// `--insecure-tls`: allow the modes whose traffic can be read or whose server can be faked.
    pub insecure_tls: bool,
    /// `--central-password-file`: the password, alone in an owner-only file.
    pub password_file: Option<PathBuf>,
}

impl TlsMode {
    /// The libpq name.
    pub fn name(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        }
    }
}

/// How long to wait for the server to answer a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Unacknowledged data for this long means the network is gone (Linux `TCP_USER_TIMEOUT`), so
/// a cut cable ends a sync with a message instead of hanging it.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);
/// An idle connection is probed after this long.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);

impl CentralUrl {
    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]` as
    /// `access` allows; a missing password comes from the password file, `PGPASSWORD` or
    /// `PGPASSFILE`.
    pub fn parse(text: &str, access: &CentralAccess) -> Result<CentralUrl, SyncError> {
        let (base, query) = text.split_once('?').unwrap_or((text, ""));
        let mut tls = TlsMode::VerifyFull;
        let mut root_cert = None;
        let mut passed = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => {
                    tls = match value {
                        "disable" => TlsMode::Disable,
                        "allow" | "prefer" => TlsMode::Prefer,
                        "require" => TlsMode::Require,
                        "verify-ca" => TlsMode::VerifyCa,
                        "verify-full" => TlsMode::VerifyFull,
                        other => {
                            return Err(SyncError::Url(format!(
                                "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                            )));
                        }
                    }
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(value)),
                _ => passed.push(pair),
            }
        }
        let rebuilt = if passed.is_empty() { base.to_owned() } else { format!("{base}?{}", passed.join("&")) };
        if !(rebuilt.starts_with("postgres://") || rebuilt.starts_with("postgresql://")) {
            return Err(SyncError::Url(
                "it must start with postgres:// (postgres://user:password@host/database)".into(),
            ));
        }
        // The parser's own message never contains the text it was given.
        let mut config = postgres::Config::from_str(&rebuilt)
            .map_err(|e| SyncError::Url(format!("{e} (expected postgres://user:password@host[:port]/database)")))?;
        let url = CentralUrl { config: config.clone(), tls, root_cert: root_cert.clone(), shown: String::new() };
        if url.is_insecure() && !access.insecure_tls {
            return Err(SyncError::InsecureTls { mode: tls.name() });
        }
        if config.get_password().is_none()
            && let Some(password) = password(&config, access)?
        {
            config.password(password);
        }
        config.ssl_mode(match tls {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.keepalives(true).keepalives_idle(KEEPALIVE_IDLE).tcp_user_timeout(TCP_USER_TIMEOUT);
        let shown = shown(&config, tls);
        Ok(CentralUrl { config, tls, root_cert, shown })
    }

    /// Whether the connection can be read or its server faked on the way (`disable`, `prefer`,
    /// `require` without a root certificate).
    pub fn is_insecure(&self) -> bool {
        match self.tls {
            TlsMode::Disable | TlsMode::Prefer => true,
            TlsMode::Require => self.root_cert.is_none(),
            TlsMode::VerifyCa | TlsMode::VerifyFull => false,
        }
    }

    /// The address fit to print: `postgres://user:***@host:port/database`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Opens a connection, named `application_name` on the server (`tucai-sync st-…`).
    pub fn connect(&self, application_name: &str) -> Result<postgres::Client, SyncError> {
        let mut config = self.config.clone();
        config.application_name(application_name);
        let connected = if self.tls == TlsMode::Disable {
            config.connect(postgres::NoTls)
        } else {
            config.connect(self.tls_connector()?)
        };
        connected.map_err(|source| SyncError::Connect { at: self.shown.clone(), source })
    }

    fn tls_connector(&self) -> Result<postgres_openssl::MakeTlsConnector, SyncError> {
        use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
        let tls_error = |e: openssl::error::ErrorStack| SyncError::Tls(e.to_string());
        let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(tls_error)?;
        if let Some(root) = &self.root_cert {
            builder
                .set_ca_file(root)
                .map_err(|e| SyncError::Tls(format!("cannot use sslrootcert {}: {e}", root.display())))?;
        }
        let verify_chain = matches!(self.tls, TlsMode::VerifyCa | TlsMode::VerifyFull)
            || (self.tls == TlsMode::Require && self.root_cert.is_some());
        builder.set_verify(if verify_chain { SslVerifyMode::PEER } else { SslVerifyMode::NONE });
        let mut connector = postgres_openssl::MakeTlsConnector::new(builder.build());
        if self.tls != TlsMode::VerifyFull {
            connector.set_callback(|config, _| {
                config.set_verify_hostname(false);
                Ok(())
            });
        }
        Ok(connector)
    }
}

/// The password for `config` when its URL has none: the password file, `PGPASSWORD`, then the
/// first matching line of `PGPASSFILE` (or `~/.pgpass`). Files open to others are refused.
fn password(config: &postgres::Config, access: &CentralAccess) -> Result<Option<String>, SyncError> {
    if let Some(file) = &access.password_file {
        let text = owner_only(file)?
            .ok_or_else(|| SyncError::PasswordFile { path: file.clone(), problem: SecretFileProblem::Missing })?;
        return Ok(text.lines().next().map(str::to_owned).filter(|p| !p.is_empty()));
    }
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Ok(Some(password));
    }
    let pgpass =
        std::env::var_os("PGPASSFILE").map(PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")));
    let Some(pgpass) = pgpass else { return Ok(None) };
    let Some(text) = owner_only(&pgpass)? else { return Ok(None) };
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(name)) => name.clone(),
        _ => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let wanted = [host.as_str(), &port, config.get_dbname().unwrap_or(""), config.get_user().unwrap_or("")];
    Ok(text.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let fields = pgpass_fields(line);
        let [h, p, d, u, password] = fields.as_slice() else { return None };
        let matches =
            [h, p, d, u].iter().zip(wanted).all(|(field, want)| field.as_str() == "*" || field.as_str() == want);
        matches.then(|| password.clone())
    }))
}

/// A pgpass line's fields: `:` separates, `\:` and `\\` are a literal colon and backslash.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().into_iter().for_each(|f| f.extend(chars.next())),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

/// The text of `path` if it exists and only its owner may read it (`None`: no such file).
fn owner_only(path: &std::path::Path) -> Result<Option<String>, SyncError> {
    crate::export::read_secret_file(path).map_err(|problem| SyncError::PasswordFile { path: path.to_owned(), problem })
}

/// `postgres://user:***@host:port/database?sslmode=…`, from the parsed settings.
fn shown(config: &postgres::Config, tls: TlsMode) -> String {
    let user = config.get_user().unwrap_or("");
    let password = if config.get_password().is_some() { ":***" } else { "" };
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
        .map(|(host, port)| match host {
            postgres::config::Host::Tcp(name) => format!("{name}:{port}"),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let mode = match tls {
        TlsMode::VerifyFull => String::new(),
        other => format!("?sslmode={}", other.name()),
    };
    format!("postgres://{user}{password}@{}/{}{mode}", hosts.join(","), config.get_dbname().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSECURE: CentralAccess = CentralAccess { insecure_tls: true, password_file: None };

    #[test]
    fn weak_tls_needs_to_be_asked_for() {
        let strict = CentralAccess::default();
        let url = CentralUrl::parse("postgres://u:p@h/d", &strict).expect("verify-full by default");
        assert_eq!((url.tls, url.is_insecure()), (TlsMode::VerifyFull, false));
        for weak in ["disable", "prefer", "require"] {
            let text = format!("postgres://u:p@h/d?sslmode={weak}");
            let refused = CentralUrl::parse(&text, &strict).err().expect("refused");
            assert!(matches!(refused, SyncError::InsecureTls { mode } if mode == weak));
            assert!(CentralUrl::parse(&text, &INSECURE).expect("allowed when asked").is_insecure());
        }
        let pinned = CentralUrl::parse("postgres://u:p@h/d?sslmode=require&sslrootcert=/etc/ca.pem", &strict);
        assert!(!pinned.expect("a pinned root is verified").is_insecure());
    }

    #[test]
    fn password_files_must_be_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("tucai-pwfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("pw");
        std::fs::write(&file, "pass:word\n").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let access = CentralAccess { insecure_tls: false, password_file: Some(file.clone()) };
        let refused = CentralUrl::parse("postgres://u@h/d", &access).err().expect("refused");
        assert!(matches!(
            refused,
            SyncError::PasswordFile { problem: SecretFileProblem::OpenToOthers { mode: 0o644 }, .. }
        ));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let url = CentralUrl::parse("postgres://u@h/d", &access).expect("parses");
        assert_eq!(url.config.get_password(), Some(&b"pass:word"[..]));
        assert_eq!(pgpass_fields("h:5432:*:u:pa\\:ss"), ["h", "5432", "*", "u", "pa:ss"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_password_is_never_shown() {
        let url = CentralUrl::parse("postgres://office:s3cret-pw@10.0.0.5:5433/photos?sslmode=require", &INSECURE)
            .expect("parses");
        assert_eq!(url.shown(), "postgres://office:***@10.0.0.5:5433/photos?sslmode=require");
        assert_eq!(url.tls, TlsMode::Require);
        let bad = CentralUrl::parse("postgres://office:s3cret-pw@host/db?sslmode=sometimes", &INSECURE)
            .err()
            .expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        let bad = CentralUrl::parse("http://office:s3cret-pw@host/db", &INSECURE).err().expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        let bad = CentralUrl::parse("postgres://office:s3cret-pw@host:notaport/db", &INSECURE).err().expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
    }

    #[test]
    fn verify_modes_and_root_certificates_are_ours_to_handle() {
        let url = CentralUrl::parse(
            "postgres://u:p@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=x",
            &CentralAccess::default(),
        )
        .expect("parses");
        assert_eq!(url.tls, TlsMode::VerifyFull);
        assert_eq!(url.root_cert.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        assert_eq!(url.config.get_ssl_mode(), SslMode::Require);
    }
}
