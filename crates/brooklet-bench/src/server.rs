//! Starting the app under test and watching it from the outside: start-up
//! time, CPU time, resident memory, threads and open files, read from
//! `/proc`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// A running app.
pub(crate) struct Server {
    child: Child,
    /// `127.0.0.1:port`.
    pub addr: String,
    /// From spawn to the first `200 ok` from `/_brooklet/health`.
    pub startup: Duration,
}

/// Settings every benchmark app gets: the server's abuse caps raised far
/// above what a scenario does (1,000 sessions from 127.0.0.1, each pressing
/// as fast as its reruns finish), so that scenarios measure reruns, not the
/// caps. A scenario that wants a default back passes it to
/// [`Server::start_with`], which puts it after these (the last flag wins).
const GENEROUS: [&str; 8] = [
    "--server.max_sessions",
    "100000",
    "--server.max_sessions_per_ip",
    "100000",
    "--server.max_messages_per_sec",
    "1000000",
    "--server.max_connections",
    "60000",
];

impl Server {
    /// Spawn `binary` on a free port with [`GENEROUS`] caps and wait until
    /// it is healthy.
    pub(crate) async fn start(binary: &Path) -> Result<Server, String> {
        Server::start_with(binary, &[]).await
    }

    /// Like [`Server::start`], with more settings (`--server.x value`
    /// pairs) that override the generous caps.
    pub(crate) async fn start_with(binary: &Path, extra: &[&str]) -> Result<Server, String> {
        Server::start_with_env(binary, extra, &[]).await
    }

    /// Like [`Server::start_with`], with more environment variables.
    pub(crate) async fn start_with_env(
        binary: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Server, String> {
        let started = Instant::now();
        let mut child = Command::new(binary)
            .args(["--server.port", "0"])
            .args(GENEROUS)
            .args(extra)
            .envs(env.iter().copied())
            .env("BROOKLET_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = tokio::time::timeout(Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split("http://").nth(1) {
                    return Some(rest.trim().to_owned());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .ok_or("the app did not print its address")?;
        // Keep draining stdout so the app never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let deadline = Instant::now() + Duration::from_secs(20);
        while !healthy(&addr).await {
            if Instant::now() > deadline {
                return Err("the app never became healthy".into());
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        Ok(Server {
            child,
            addr,
            startup: started.elapsed(),
        })
    }

    /// The process id.
    pub(crate) fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// CPU time (user + system) used so far.
    pub(crate) fn cpu_time(&self) -> Duration {
        self.pid().and_then(cpu_time).unwrap_or_default()
    }

    /// Resident memory in bytes.
    pub(crate) fn rss(&self) -> u64 {
        self.pid().and_then(rss).unwrap_or_default()
    }

    /// Resident memory, threads and open files now (zeros once it is gone).
    pub(crate) fn usage(&self) -> Usage {
        self.pid().and_then(usage).unwrap_or_default()
    }

    /// Stop it (SIGKILL via tokio; the benchmark has what it needs).
    pub(crate) async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// One `GET /_brooklet/health`.
async fn healthy(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return false;
    };
    let request =
        format!("GET /_brooklet/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    response.starts_with(b"HTTP/1.1 200")
}

fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// utime + stime of a process, from `/proc/<pid>/stat`.
pub(crate) fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces: fields start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let ticks = clock_ticks_per_second();
    Some(Duration::from_secs_f64(
        (utime + stime) as f64 / ticks as f64,
    ))
}

/// VmRSS of a process in bytes, from `/proc/<pid>/status`.
pub(crate) fn rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// What a process holds at one moment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Usage {
    /// VmRSS in bytes.
    pub rss: u64,
    /// `Threads` of `/proc/<pid>/status`.
    pub threads: u64,
    /// Entries of `/proc/<pid>/fd`.
    pub fds: u64,
}

impl Usage {
    /// The larger of each field.
    pub(crate) fn max(self, other: Usage) -> Usage {
        Usage {
            rss: self.rss.max(other.rss),
            threads: self.threads.max(other.threads),
            fds: self.fds.max(other.fds),
        }
    }
}

/// RSS, threads and open files of a process, from `/proc`.
pub(crate) fn usage(pid: u32) -> Option<Usage> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some(Usage {
        rss: field("VmRSS:")? * 1024,
        threads: field("Threads:")?,
        fds,
    })
}
