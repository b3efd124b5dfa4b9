//! What the WebSocket test suites share: a server on 127.0.0.1 and a client
//! that speaks the protocol and keeps what it received.
#![allow(dead_code)]

use std::time::Duration;

use brooklet::prelude::*;
use brooklet::{App, Config};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) fn serve(app: impl Fn(&Ui) + Send + Sync + 'static) -> brooklet::server::RunningServer {
    serve_with(test_config(), app)
}

/// The tests' configuration: any free port, a 64 KiB message limit.
pub(crate) fn test_config() -> Config {
    let mut config = Config::default();
    config.server.port = 0;
    config.server.max_message_bytes = 64 * 1024;
    config
}

pub(crate) fn serve_with(
    config: Config,
    app: impl Fn(&Ui) + Send + Sync + 'static,
) -> brooklet::server::RunningServer {
    App::new(app).config(config).spawn().expect("server starts")
}

pub(crate) struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Every server message received so far, in order.
    pub seen: Vec<Value>,
    /// Received messages `until` has not looked at yet.
    pub unread: std::collections::VecDeque<Value>,
}

impl Client {
    pub(crate) async fn connect(server: &brooklet::server::RunningServer) -> Client {
        Client::connect_with(server, None).await.expect("connects")
    }

    /// A new tab on `server` whose first run has finished.
    #[allow(dead_code)]
    pub(crate) async fn first_run(server: &brooklet::server::RunningServer) -> Client {
        let mut client = Client::connect(server).await;
        client.hello().await;
        client.until_finished().await;
        client
    }

    pub(crate) async fn connect_with(
        server: &brooklet::server::RunningServer,
        origin: Option<&str>,
    ) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
        let url = format!("ws://{}/_brooklet/ws", server.addr());
        let mut request = url.into_client_request()?;
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("origin", origin.parse().expect("header"));
        }
        let (ws, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Client {
            ws,
            seen: Vec::new(),
            unread: Default::default(),
        })
    }

    pub(crate) async fn send(&mut self, message: Value) {
        self.ws
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    pub(crate) async fn hello(&mut self) {
        self.send(json!({"type": "hello", "protocol": 1})).await;
    }

    /// The next frame's messages, or `None` when the socket closed.
    pub(crate) async fn frame(&mut self) -> Option<Vec<Value>> {
        loop {
            let message = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("a frame in time")?;
            match message.ok()? {
                Message::Text(text) => {
                    let messages: Vec<Value> =
                        serde_json::from_str(text.as_str()).expect("frames are JSON arrays");
                    self.seen.extend(messages.iter().cloned());
                    self.unread.extend(messages.iter().cloned());
                    return Some(messages);
                }
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// The next message (in arrival order, across frames) that matches;
    /// messages before it are skipped.
    pub(crate) async fn until(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        loop {
            while let Some(message) = self.unread.pop_front() {
                if matches(&message) {
                    return message;
                }
            }
            self.frame().await.expect("socket open while waiting");
        }
    }

    pub(crate) async fn until_finished(&mut self) -> Value {
        self.until(|m| m["type"] == "run_finished").await
    }

    /// Every `set` op received so far.
    pub(crate) fn sets(&self) -> Vec<Value> {
        self.seen
            .iter()
            .filter(|m| m["type"] == "delta")
            .flat_map(|m| m["ops"].as_array().cloned().unwrap_or_default())
            .filter(|op| op["op"] == "set")
            .collect()
    }

    pub(crate) fn widget_id(&self, kind: &str, label: &str) -> String {
        self.sets()
            .iter()
            .map(|op| &op["el"])
            .find(|el| el["kind"] == kind && el["label"] == label)
            .and_then(|el| el["id"].as_str())
            .unwrap_or_else(|| panic!("no {kind} {label:?} was sent"))
            .to_owned()
    }
}
