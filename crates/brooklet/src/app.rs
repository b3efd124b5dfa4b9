//! [`App`]: the entry point that serves an app function.

use std::sync::Arc;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::server::{self, RunningServer};
use crate::ui::Ui;
use crate::ui::{AppFn, AppShared};

/// An app: a function that draws the page, re-run top to bottom on every
/// interaction.
///
/// ```no_run
/// fn app(ui: &brooklet::Ui) {
///     ui.title("Hello, Brooklet");
/// }
///
/// fn main() -> brooklet::Result<()> {
///     brooklet::App::new(app).run()
/// }
/// ```
pub struct App {
    app: Arc<AppFn>,
    config: Option<Config>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl App {
    /// An app drawn by `app`.
    ///
    /// Whatever the function returns is ignored, so a one-liner such as
    /// `|ui| ui.title("Hi")` works.
    pub fn new<R>(app: impl Fn(&Ui) -> R + Send + Sync + 'static) -> App {
        App {
            app: Arc::new(move |ui: &Ui| {
                app(ui);
            }),
            config: None,
        }
    }

    /// Use `config` instead of reading flags, environment and
    /// `brooklet.toml`.
    pub fn config(mut self, config: Config) -> App {
        self.config = Some(config);
        self
    }

    fn shared(&self, config: &Config) -> Result<Arc<AppShared>> {
        AppShared::new(self.app.clone(), config).map_err(|error| {
            Error::Io(std::io::Error::other(format!(
                "no OS randomness for the media ids' key: {error}"
            )))
        })
    }

    /// Serve the app until Ctrl-C or SIGTERM, then shut down gracefully
    /// (sessions are told, runs are cancelled).
    ///
    /// Settings come from `--server.port 8502`-style flags, `BROOKLET_*`
    /// environment variables and `./brooklet.toml`; `--help` lists them.
    /// Logging goes to stderr; set `BROOKLET_LOG=debug` for more.
    pub fn run(self) -> Result<()> {
        init_logging();
        let config = match self.config.clone() {
            Some(config) => config,
            None => {
                let args: Vec<String> = std::env::args().collect();
                if Config::wants_help(args.get(1..).unwrap_or_default()) {
                    let program = args.first().map_or("app", String::as_str);
                    // The binary's own output, like the address below.
                    #[allow(clippy::print_stdout)]
                    {
                        println!("{}", Config::help_text(program));
                    }
                    return Ok(());
                }
                Config::load()?
            }
        };
        let shared = self.shared(&config)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("brooklet-server")
            .build()?;
        runtime.block_on(async move {
            let addr = std::net::SocketAddr::new(config.server.address, config.server.port);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|source| Error::Bind { addr, source })?;
            let local = listener.local_addr()?;
            // Where to point the browser: the one line a person running the
            // app needs, on stdout like any program's result (logs go to stderr).
            #[allow(clippy::print_stdout)]
            {
                println!("\n  Brooklet app running at http://{local}\n  Press Ctrl-C to stop.\n");
            }
            // Spilled uploads of servers that were killed (their temporary
            // folders are not locked any more): removed in the background.
            tokio::task::spawn_blocking(|| {
                let removed = crate::uploads::sweep_orphans(&std::env::temp_dir());
                if removed > 0 {
                    tracing::info!(removed, "removed uploads left by servers that did not stop");
                }
            });
            server::serve(listener, config, shared, shutdown_signal()).await
        })?;
        runtime.shutdown_timeout(std::time::Duration::from_secs(2));
        Ok(())
    }

    /// Start serving on background threads and return at once; the server
    /// stops when the handle is shut down or dropped. Used by tests and by
    /// programs that embed a Brooklet app. Port 0 picks a free port.
    ///
    /// ```
    /// let mut config = brooklet::Config::default();
    /// config.server.port = 0;
    /// let server = brooklet::App::new(|ui| ui.title("Hi")).config(config).spawn().unwrap();
    /// assert!(server.url().starts_with("http://127.0.0.1:"));
    /// server.shutdown();
    /// ```
    pub fn spawn(self) -> Result<RunningServer> {
        let config = match self.config.clone() {
            Some(config) => config,
            None => Config::load()?,
        };
        let shared = self.shared(&config)?;
        server::spawn(config, shared)
    }
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Log to stderr at `BROOKLET_LOG` level (default `info`), once.
fn init_logging() {
    let level = std::env::var("BROOKLET_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
