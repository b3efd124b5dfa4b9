//! Settings, from (highest first) command-line flags, environment variables,
//! `brooklet.toml` in the working directory, and defaults.
//!
//! Every setting has one dotted name, used in all three places:
//! `--server.port 8502` on the command line, `BROOKLET_SERVER_PORT=8502` in the
//! environment, `[server] port = 8502` in `brooklet.toml`. Keeping one name
//! per setting means one parser ([`Config::set`]) serves every source.

use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use crate::error::{Error, Result};

/// All of Brooklet's settings.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Config {
    /// The web server.
    pub server: ServerConfig,
    /// Script threads and workers.
    pub runner: RunnerConfig,
    /// What the browser is shown.
    pub client: ClientSettings,
}

/// Settings of the web server. `docs/security.md` explains every limit.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Address to listen on (`server.address`, default `127.0.0.1`).
    pub address: IpAddr,
    /// Port to listen on (`server.port`, default 8501; 0 picks a free port).
    pub port: u16,
    /// Largest WebSocket message accepted from a client, in bytes
    /// (`server.max_message_bytes`, default 256 KiB): far above what
    /// interaction needs (a click is ~80 bytes, a form of long text fields a
    /// few KiB), far below what would let 100 tabs exhaust memory. Bulk input
    /// goes through file uploads.
    pub max_message_bytes: usize,
    /// Origins (e.g. `https://example.com`) allowed to open a WebSocket
    /// besides the server's own host (`server.allowed_origins`, comma
    /// separated).
    pub allowed_origins: Vec<String>,
    /// Host names (as in the `Host` header, without port) the server answers
    /// besides the loopback names when it listens on a loopback address
    /// (`server.allowed_hosts`, comma separated; `*` allows any). Guards
    /// against DNS rebinding.
    pub allowed_hosts: Vec<String>,
    /// How long a session whose tab disconnected is kept for the tab to
    /// reconnect (`server.session_ttl_secs`, default 120).
    pub session_ttl: Duration,
    /// The page title (`server.page_title`, default "Brooklet").
    pub page_title: String,
    /// Most sessions at once, counting those waiting for their tab to
    /// reconnect (`server.max_sessions`, default 5,000).
    pub max_sessions: usize,
    /// Most sessions at once from one client address
    /// (`server.max_sessions_per_ip`, default 200).
    pub max_sessions_per_ip: usize,
    /// Most open TCP connections at once (`server.max_connections`, default
    /// 8,192; also kept below the open-file limit).
    pub max_connections: usize,
    /// Time a client has to send a request's headers
    /// (`server.header_read_timeout_secs`, default 10).
    pub header_read_timeout: Duration,
    /// An HTTP connection on which no byte moves for this long is closed
    /// (`server.idle_timeout_secs`, default 60). A transfer in progress is
    /// never cut: only silence counts.
    pub idle_timeout: Duration,
    /// Who may show the app in a frame: the CSP `frame-ancestors` sources
    /// (`server.frame_ancestors`, default `'self'`; e.g.
    /// `https://portal.example` to allow embedding there, `*` for anyone).
    pub frame_ancestors: String,
    /// WebSocket liveness (`server.ws_timeout_secs`, default 20): the server
    /// pings this often, and drops a connection whose pong is this late or
    /// on which one send has been blocked this long (the client stopped
    /// reading).
    pub ws_timeout: Duration,
    /// Client messages per second one connection may send on average, with
    /// bursts of four seconds' worth (`server.max_messages_per_sec`, default
    /// 100); beyond it the connection is read more slowly.
    pub max_messages_per_sec: u32,
    /// Most bytes the app-wide payload store holds (images, audio, video,
    /// PDFs, downloads of bytes, Vega-Lite data) (`server.max_media_bytes`,
    /// default 1 GiB).
    pub max_media_bytes: usize,
    /// Most bytes of that store one session's page references at once
    /// (`server.max_media_bytes_per_session`, default 256 MiB), so that
    /// one visitor cannot fill it for everyone.
    pub max_media_bytes_per_session: usize,
    /// The largest file an upload widget takes, in MiB
    /// (`server.max_upload_mb`, default 200 as in Streamlit); a widget may
    /// set a lower one.
    pub max_upload_mb: u64,
    /// Most bytes of uploaded files one session holds at once, in MiB
    /// (`server.max_session_upload_mb`, default 1024).
    pub max_session_upload_mb: u64,
    /// Most bytes of uploaded files all sessions hold at once, in MiB
    /// (`server.max_total_upload_mb`, default 8192).
    pub max_total_upload_mb: u64,
    /// Most bytes of uploaded files held in memory, over all sessions, in
    /// MiB (`server.upload_memory_mb`, default 256): files beyond it, and
    /// every file over 4 MiB, are kept in temporary files instead.
    pub upload_memory_mb: u64,
    /// Serve the files under `./static/` at `/app/static/…`
    /// (`server.enable_static_serving`, default false).
    pub enable_static_serving: bool,
    /// The folder served at `/app/static/` (`server.static_dir`, default
    /// `static`, relative to the working directory).
    pub static_dir: std::path::PathBuf,
}

/// The stack of script threads and workers unless `runner.stack_bytes` says
/// otherwise: Rust's default of 2 MiB for spawned threads is easy to
/// overflow with deep recursion in app code, and an overflow aborts the
/// whole process.
pub(crate) const DEFAULT_STACK_BYTES: usize = 8 << 20;

/// Settings of the script threads and the workers app code starts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunnerConfig {
    /// The most script threads alive at once (runs beyond it wait for a
    /// thread). Setting: `runner.max_threads`, default 1,024.
    pub max_threads: usize,
    /// The most `ui.spawn` workers alive at once in the whole process
    /// (`runner.max_workers`, default 1,024). A spawn beyond it waits.
    pub max_workers: usize,
    /// The most `ui.spawn` workers alive at once per session
    /// (`runner.max_workers_per_session`, default 64).
    pub max_workers_per_session: usize,
    /// Stack size of script threads and workers, in bytes
    /// (`runner.stack_bytes`, default 8 MiB).
    pub stack_bytes: usize,
    /// How long a cancelled run (a Stop, a newer event, the tab leaving) may
    /// keep running before it is logged as ignoring its cancellation: code
    /// with no `Ui` call in a long loop (`runner.stuck_run_warning_secs`,
    /// default 10).
    pub stuck_run_warning: Duration,
}

/// How much of an error in app code the browser is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ErrorDetails {
    /// Message, source location and (with `RUST_BACKTRACE`) the backtrace.
    #[default]
    Full,
    /// The message only.
    Message,
    /// A generic notice; the details are only in the server's log.
    None,
}

/// What the browser is shown.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ClientSettings {
    /// How much of an app error reaches the page
    /// (`client.show_error_details`: `full`, `message` or `none`; default
    /// `full`). The server log always has everything.
    pub show_error_details: ErrorDetails,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            address: IpAddr::from([127, 0, 0, 1]),
            port: 8501,
            max_message_bytes: 256 * 1024,
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            session_ttl: Duration::from_secs(120),
            page_title: "Brooklet".to_owned(),
            max_sessions: 5_000,
            max_sessions_per_ip: 200,
            max_connections: 8_192,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            frame_ancestors: "'self'".to_owned(),
            max_messages_per_sec: 100,
            ws_timeout: Duration::from_secs(20),
            max_media_bytes: 1 << 30,
            max_media_bytes_per_session: 256 << 20,
            max_upload_mb: 200,
            max_session_upload_mb: 1024,
            max_total_upload_mb: 8192,
            upload_memory_mb: 256,
            enable_static_serving: false,
            static_dir: std::path::PathBuf::from("static"),
        }
    }
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            max_threads: 1024,
            max_workers: 1024,
            max_workers_per_session: 64,
            stack_bytes: DEFAULT_STACK_BYTES,
            stuck_run_warning: Duration::from_secs(10),
        }
    }
}

/// Every setting: dotted name and what it means. `--help` prints this table.
const SETTINGS: &[(&str, &str)] = &[
    (
        "server.port",
        "port to listen on (default 8501; 0 = any free port)",
    ),
    ("server.address", "address to listen on (default 127.0.0.1)"),
    (
        "server.max_message_bytes",
        "largest client WebSocket message in bytes (default 262144)",
    ),
    (
        "server.allowed_origins",
        "comma-separated extra origins allowed to connect (default none)",
    ),
    (
        "server.allowed_hosts",
        "comma-separated extra Host names answered on loopback (default none)",
    ),
    (
        "server.session_ttl_secs",
        "seconds a disconnected session waits for its tab (default 120)",
    ),
    (
        "server.page_title",
        "the browser tab's title (default Brooklet)",
    ),
    (
        "server.max_sessions",
        "most sessions at once (default 5000)",
    ),
    (
        "server.max_sessions_per_ip",
        "most sessions at once per client address (default 200)",
    ),
    (
        "server.max_connections",
        "most open connections at once (default 8192)",
    ),
    (
        "server.header_read_timeout_secs",
        "seconds to send a request's headers (default 10)",
    ),
    (
        "server.idle_timeout_secs",
        "seconds an HTTP connection may move no byte (default 60)",
    ),
    (
        "server.frame_ancestors",
        "who may frame the app, CSP sources (default 'self')",
    ),
    (
        "server.ws_timeout_secs",
        "WebSocket ping interval, pong and send deadline in seconds (default 20)",
    ),
    (
        "server.max_messages_per_sec",
        "client messages per second per connection (default 100)",
    ),
    (
        "server.max_media_bytes",
        "bytes the payload store may hold (default 1073741824)",
    ),
    (
        "server.max_media_bytes_per_session",
        "bytes of the payload store one page may reference (default 268435456)",
    ),
    (
        "server.max_upload_mb",
        "largest uploaded file in MiB (default 200)",
    ),
    (
        "server.max_session_upload_mb",
        "MiB of uploads one session may hold (default 1024)",
    ),
    (
        "server.max_total_upload_mb",
        "MiB of uploads all sessions may hold (default 8192)",
    ),
    (
        "server.upload_memory_mb",
        "MiB of uploads kept in memory; the rest go to temporary files (default 256)",
    ),
    (
        "server.enable_static_serving",
        "serve ./static/ at /app/static/ (default false)",
    ),
    (
        "server.static_dir",
        "the folder served at /app/static/ (default static)",
    ),
    (
        "runner.max_threads",
        "most script threads at once (default 1024)",
    ),
    (
        "runner.max_workers",
        "most ui.spawn workers at once in the process (default 1024)",
    ),
    (
        "runner.max_workers_per_session",
        "most ui.spawn workers at once per session (default 64)",
    ),
    (
        "runner.stack_bytes",
        "stack of script threads and workers in bytes (default 8388608)",
    ),
    (
        "runner.stuck_run_warning_secs",
        "log a cancelled run still running after this long (default 10)",
    ),
    (
        "client.show_error_details",
        "app errors in the page: full, message or none (default full)",
    ),
];

impl Config {
    /// Reads the configuration the way `App::run` does: defaults, then
    /// `./brooklet.toml`, then `BROOKLET_*` environment variables, then the
    /// process's command-line flags.
    pub fn load() -> Result<Config> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let env: Vec<(String, String)> = std::env::vars().collect();
        Config::from_sources(Path::new("brooklet.toml"), &env, &args)
    }

    /// Builds a configuration from explicit sources (used by [`Config::load`]
    /// and by tests). A missing file is not an error.
    pub fn from_sources(
        toml_path: &Path,
        env: &[(String, String)],
        args: &[String],
    ) -> Result<Config> {
        let mut config = Config::default();
        if toml_path.exists() {
            config.apply_toml_file(toml_path)?;
        }
        for (name, value) in env {
            if let Some(rest) = name.strip_prefix("BROOKLET_") {
                let key = env_name_to_key(rest);
                if SETTINGS.iter().any(|(k, _)| *k == key) {
                    config.set(&key, value)?;
                }
            }
        }
        config.apply_args(args)?;
        Ok(config)
    }

    /// Sets one setting by its dotted name from its text form.
    ///
    /// ```
    /// let mut config = brooklet::Config::default();
    /// config.set("server.port", "9000").unwrap();
    /// assert_eq!(config.server.port, 9000);
    /// assert!(config.set("server.port", "many").is_err());
    /// ```
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let bad = |what: &str| Error::Config(format!("{key} = {value:?}: expected {what}"));
        let key = key.replace('-', "_");
        let count = |min: usize| -> Result<usize> {
            match value.parse::<usize>() {
                Ok(n) if n >= min => Ok(n),
                _ => Err(bad(&format!("a whole number, at least {min}"))),
            }
        };
        let seconds = || -> Result<Duration> {
            match value.parse::<u64>() {
                Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
                _ => Err(bad("a whole number of seconds, at least 1")),
            }
        };
        let list = || -> Vec<String> {
            value
                .split(',')
                .map(|s| s.trim().trim_end_matches('/').to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let server = &mut self.server;
        let runner = &mut self.runner;
        match key.as_str() {
            "server.port" => server.port = value.parse().map_err(|_| bad("a port number"))?,
            "server.address" => server.address = value.parse().map_err(|_| bad("an IP address"))?,
            "server.max_message_bytes" => server.max_message_bytes = count(1024)?,
            "server.allowed_origins" => server.allowed_origins = list(),
            "server.allowed_hosts" => server.allowed_hosts = list(),
            "server.session_ttl_secs" => {
                let secs: u64 = value.parse().map_err(|_| bad("a number of seconds"))?;
                server.session_ttl = Duration::from_secs(secs);
            }
            "server.page_title" => server.page_title = value.to_owned(),
            "server.max_sessions" => server.max_sessions = count(1)?,
            "server.max_sessions_per_ip" => server.max_sessions_per_ip = count(1)?,
            "server.max_connections" => server.max_connections = count(16)?,
            "server.header_read_timeout_secs" => server.header_read_timeout = seconds()?,
            "server.idle_timeout_secs" => server.idle_timeout = seconds()?,
            "server.ws_timeout_secs" => server.ws_timeout = seconds()?,
            "server.frame_ancestors" => {
                // Sources go into a header: refuse anything that could end
                // the directive or the header.
                if value.trim().is_empty()
                    || value
                        .chars()
                        .any(|c| c == ';' || c == ',' || c.is_control())
                {
                    return Err(bad(
                        "CSP sources separated by spaces, e.g. 'self' https://a.example",
                    ));
                }
                server.frame_ancestors = value.trim().to_owned();
            }
            "server.max_media_bytes" => server.max_media_bytes = count(1 << 20)?,
            "server.max_media_bytes_per_session" => {
                server.max_media_bytes_per_session = count(1 << 20)?
            }
            "server.max_upload_mb" => server.max_upload_mb = count(1)? as u64,
            "server.max_session_upload_mb" => server.max_session_upload_mb = count(1)? as u64,
            "server.max_total_upload_mb" => server.max_total_upload_mb = count(1)? as u64,
            "server.upload_memory_mb" => server.upload_memory_mb = count(0)? as u64,
            "server.enable_static_serving" => {
                server.enable_static_serving = match value.to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(bad("true or false")),
                }
            }
            "server.static_dir" => server.static_dir = std::path::PathBuf::from(value),
            "server.max_messages_per_sec" => {
                server.max_messages_per_sec = u32::try_from(count(1)?).unwrap_or(u32::MAX)
            }
            "runner.max_threads" => runner.max_threads = count(1)?,
            "runner.max_workers" => runner.max_workers = count(1)?,
            "runner.max_workers_per_session" => runner.max_workers_per_session = count(1)?,
            "runner.stack_bytes" => runner.stack_bytes = count(256 * 1024)?,
            "runner.stuck_run_warning_secs" => runner.stuck_run_warning = seconds()?,
            "client.show_error_details" => {
                self.client.show_error_details = match value.to_ascii_lowercase().as_str() {
                    "full" | "true" => ErrorDetails::Full,
                    "message" => ErrorDetails::Message,
                    "none" | "false" => ErrorDetails::None,
                    _ => return Err(bad("full, message or none")),
                }
            }
            _ => {
                return Err(Error::Config(format!(
                    "unknown setting `{key}`; run with --help for the list"
                )))
            }
        }
        Ok(())
    }

    /// Whether `args` (without the program name) ask for the help text.
    ///
    /// ```
    /// assert!(brooklet::Config::wants_help(&["--help".to_string()]));
    /// assert!(!brooklet::Config::wants_help(&["--server.port".into(), "9000".into()]));
    /// // A setting's value is not a flag.
    /// assert!(!brooklet::Config::wants_help(&["--server.page_title".into(), "-h".into()]));
    /// ```
    pub fn wants_help(args: &[String]) -> bool {
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if is_help_flag(arg) {
                return true;
            }
            // `--key value`: the value is not a flag, even if it is `-h`.
            if arg.starts_with("--") && !arg.contains('=') {
                args.next();
            }
        }
        false
    }

    /// The text `--help` prints.
    pub fn help_text(program: &str) -> String {
        let mut out = format!(
            "Usage: {program} [--SETTING VALUE]...\n\n\
             Serves a Brooklet app. Settings, highest priority first: command-line\n\
             flags, BROOKLET_* environment variables, ./brooklet.toml, defaults.\n\n"
        );
        out.push_str("  flag                          environment                       meaning\n");
        for (key, meaning) in SETTINGS {
            let flag = format!("--{key}");
            let env = format!("BROOKLET_{}", key.replace('.', "_").to_uppercase());
            out.push_str(&format!("  {flag:<30}{env:<34}{meaning}\n"));
        }
        out.push_str(
            "\nIn brooklet.toml, `server.port` is `[server]` / `port = 8501`.\n  --help                        print this text\n",
        );
        out
    }

    fn apply_args(&mut self, args: &[String]) -> Result<()> {
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if is_help_flag(arg) {
                // Help is the binary's job (`App::run` prints it before it
                // reads the configuration); parsing never prints.
                return Err(Error::Config(
                    "`--help` is not a setting; `App::run` prints the help".into(),
                ));
            }
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(Error::Config(format!(
                    "unexpected argument `{arg}`; run with --help"
                )));
            };
            let (key, value) = match flag.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => {
                    let value = iter.next().ok_or_else(|| {
                        Error::Config(format!("--{flag} needs a value; run with --help"))
                    })?;
                    (flag.to_owned(), value.clone())
                }
            };
            self.set(&key, &value)?;
        }
        Ok(())
    }

    fn apply_toml_file(&mut self, path: &Path) -> Result<()> {
        let file_error = |message: String| Error::ConfigFile {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| file_error(e.to_string()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| file_error(e.to_string()))?;
        for (section, entries) in &table {
            let toml::Value::Table(entries) = entries else {
                return Err(file_error(format!("`{section}` must be a [section]")));
            };
            for (name, value) in entries {
                let text = match value {
                    toml::Value::Array(items) => items
                        .iter()
                        .map(toml_scalar)
                        .collect::<Option<Vec<_>>>()
                        .map(|items| items.join(",")),
                    other => toml_scalar(other),
                }
                .ok_or_else(|| {
                    file_error(format!(
                        "`{section}.{name}` must be a string, number, boolean or list of them"
                    ))
                })?;
                self.set(&format!("{section}.{name}"), &text)
                    .map_err(|e| file_error(e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// The text form of a TOML scalar, as it would be written on the command line.
fn toml_scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `SERVER_MAX_MESSAGE_BYTES` → `server.max_message_bytes`: the first `_`
/// separates the section.
fn is_help_flag(arg: &str) -> bool {
    arg == "--help" || arg == "-h"
}

fn env_name_to_key(rest: &str) -> String {
    let lower = rest.to_lowercase();
    match lower.split_once('_') {
        Some((section, name)) => format!("{section}.{name}"),
        None => lower,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_beat_env_beat_file_beat_defaults() {
        let dir = std::env::temp_dir().join(format!("brooklet-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("brooklet.toml");
        std::fs::write(
            &file,
            "[server]\nport = 7000\naddress = \"0.0.0.0\"\nallowed_origins = [\"https://a.example\"]\n",
        )
        .expect("write toml");

        let only_file = Config::from_sources(&file, &[], &[]).expect("file");
        assert_eq!(only_file.server.port, 7000);
        assert_eq!(only_file.server.address.to_string(), "0.0.0.0");
        assert_eq!(only_file.server.allowed_origins, vec!["https://a.example"]);

        let env = vec![("BROOKLET_SERVER_PORT".to_owned(), "7100".to_owned())];
        assert_eq!(
            Config::from_sources(&file, &env, &[])
                .expect("env")
                .server
                .port,
            7100
        );

        let args = strings(&["--server.port", "7200", "--server.address=127.0.0.2"]);
        let all = Config::from_sources(&file, &env, &args).expect("flags");
        assert_eq!(all.server.port, 7200);
        assert_eq!(all.server.address.to_string(), "127.0.0.2");

        let defaults = Config::from_sources(&dir.join("missing.toml"), &[], &[]).expect("none");
        assert_eq!(defaults, Config::default());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let err = Config::from_sources(
            Path::new("/nonexistent"),
            &[],
            &strings(&["--server.port", "x"]),
        )
        .expect_err("bad port");
        assert!(err.to_string().contains("server.port"), "{err}");
        let err = Config::from_sources(Path::new("/nonexistent"), &[], &strings(&["--nope", "1"]))
            .expect_err("unknown");
        assert!(err.to_string().contains("unknown setting"), "{err}");
        let err =
            Config::from_sources(Path::new("/nonexistent"), &[], &strings(&["--server.port"]))
                .expect_err("missing value");
        assert!(err.to_string().contains("needs a value"), "{err}");
    }

    #[test]
    fn help_lists_every_setting() {
        let help = Config::help_text("hello");
        for (key, _) in SETTINGS {
            assert!(
                help.contains(&format!("--{key}")),
                "{key} missing from help"
            );
        }
        assert!(help.contains("BROOKLET_SERVER_PORT"));
    }
}
