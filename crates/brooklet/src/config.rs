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
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Config {
    /// The web server.
    pub server: ServerConfig,
    /// The most script threads alive at once (runs beyond it wait for a
    /// thread). Setting: `runner.max_threads`.
    pub max_script_threads: usize,
}

/// Settings of the web server.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// Address to listen on (`server.address`, default `127.0.0.1`).
    pub address: IpAddr,
    /// Port to listen on (`server.port`, default 8501; 0 picks a free port).
    pub port: u16,
    /// Largest WebSocket message accepted from a client, in bytes
    /// (`server.max_message_bytes`, default 16 MiB).
    pub max_message_bytes: usize,
    /// Origins (e.g. `https://example.com`) allowed to open a WebSocket
    /// besides the server's own host (`server.allowed_origins`, comma
    /// separated).
    pub allowed_origins: Vec<String>,
    /// How long a session whose tab disconnected is kept for the tab to
    /// reconnect (`server.session_ttl_secs`, default 120).
    pub session_ttl: Duration,
    /// The page title (`server.page_title`, default "Brooklet").
    pub page_title: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            server: ServerConfig::default(),
            max_script_threads: 1024,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            address: IpAddr::from([127, 0, 0, 1]),
            port: 8501,
            max_message_bytes: 16 * 1024 * 1024,
            allowed_origins: Vec::new(),
            session_ttl: Duration::from_secs(120),
            page_title: "Brooklet".to_string(),
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
        "largest client WebSocket message in bytes (default 16777216)",
    ),
    (
        "server.allowed_origins",
        "comma-separated extra origins allowed to connect (default none)",
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
        "runner.max_threads",
        "most script threads at once (default 1024)",
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
        match key.as_str() {
            "server.port" => self.server.port = value.parse().map_err(|_| bad("a port number"))?,
            "server.address" => {
                self.server.address = value.parse().map_err(|_| bad("an IP address"))?
            }
            "server.max_message_bytes" => {
                let n: usize = value.parse().map_err(|_| bad("a number of bytes"))?;
                if n < 1024 {
                    return Err(bad("at least 1024 bytes"));
                }
                self.server.max_message_bytes = n;
            }
            "server.allowed_origins" => {
                self.server.allowed_origins = value
                    .split(',')
                    .map(|s| s.trim().trim_end_matches('/').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "server.session_ttl_secs" => {
                let secs: u64 = value.parse().map_err(|_| bad("a number of seconds"))?;
                self.server.session_ttl = Duration::from_secs(secs);
            }
            "server.page_title" => self.server.page_title = value.to_string(),
            "runner.max_threads" => {
                let n: usize = value.parse().map_err(|_| bad("a number"))?;
                if n == 0 {
                    return Err(bad("at least 1"));
                }
                self.max_script_threads = n;
            }
            _ => {
                return Err(Error::Config(format!(
                    "unknown setting `{key}`; run with --help for the list"
                )))
            }
        }
        Ok(())
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
            if arg == "--help" || arg == "-h" {
                let program = std::env::args().next().unwrap_or_else(|| "app".into());
                println!("{}", Config::help_text(&program));
                return Err(Error::HelpRequested);
            }
            let Some(flag) = arg.strip_prefix("--") else {
                return Err(Error::Config(format!(
                    "unexpected argument `{arg}`; run with --help"
                )));
            };
            let (key, value) = match flag.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => {
                    let value = iter.next().ok_or_else(|| {
                        Error::Config(format!("--{flag} needs a value; run with --help"))
                    })?;
                    (flag.to_string(), value.clone())
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

        let env = vec![("BROOKLET_SERVER_PORT".to_string(), "7100".to_string())];
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
