//! The central server's address as the user gives it (`postgres://user:password@host/db`),
//! parsed once: the connection settings, the TLS mode, and a form fit to print — with the
//! password replaced, so that no message or log line ever carries it.
//!
//! TLS follows libpq's `sslmode`: `disable`; `prefer` (the default: encrypted when the server
//! offers it); `require` (encrypted, the certificate checked only against a `sslrootcert` when
//! one is given); `verify-ca` (signed by a trusted authority: `sslrootcert`, else the system's);
//! `verify-full` (and issued for the host named).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::SslMode;

use super::SyncError;

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

/// How long to wait for the server to answer a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Unacknowledged data for this long means the network is gone (Linux `TCP_USER_TIMEOUT`), so
/// a cut cable ends a sync with a message instead of hanging it.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);
/// An idle connection is probed after this long.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);

impl CentralUrl {
    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]`. A
    /// missing password is taken from `PGPASSWORD`.
    pub fn parse(text: &str) -> Result<CentralUrl, SyncError> {
        let (base, query) = text.split_once('?').unwrap_or((text, ""));
        let mut tls = TlsMode::Prefer;
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
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
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
        TlsMode::Disable => "?sslmode=disable",
        TlsMode::Prefer => "",
        TlsMode::Require => "?sslmode=require",
        TlsMode::VerifyCa => "?sslmode=verify-ca",
        TlsMode::VerifyFull => "?sslmode=verify-full",
    };
    format!("postgres://{user}{password}@{}/{}{mode}", hosts.join(","), config.get_dbname().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let url =
            CentralUrl::parse("postgres://office:s3cret-pw@10.0.0.5:5433/photos?sslmode=require").expect("parses");
        assert_eq!(url.shown(), "postgres://office:***@10.0.0.5:5433/photos?sslmode=require");
        assert_eq!(url.tls, TlsMode::Require);
        let bad = CentralUrl::parse("postgres://office:s3cret-pw@host/db?sslmode=sometimes").err().expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        let bad = CentralUrl::parse("http://office:s3cret-pw@host/db").err().expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
        let bad = CentralUrl::parse("postgres://office:s3cret-pw@host:notaport/db").err().expect("refused");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
    }

    #[test]
    fn verify_modes_and_root_certificates_are_ours_to_handle() {
        let url = CentralUrl::parse("postgres://u@h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=x")
            .expect("parses");
        assert_eq!(url.tls, TlsMode::VerifyFull);
        assert_eq!(url.root_cert.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
        assert_eq!(url.config.get_ssl_mode(), SslMode::Require);
    }
}
