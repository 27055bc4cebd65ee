//! The listening socket and the HTTP servers taking connections from it.
//!
//! Accepted connections inherit the socket's receive timeout (Linux copies it), so a
//! client that announces a body and stops sending cannot hold a worker. The same timeout
//! makes `accept` itself return an error after that long without a new connection, and
//! tiny_http ends its accept loop on any error: the editor stopped taking connections
//! after ten idle seconds (an open page then could neither check nor save). The socket
//! is kept here, so it never stops listening, and a new server takes over accepting when
//! one stops; the older ones still carry the connections they accepted until those end.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tiny_http::{Request, Server};

/// How long a server that stopped accepting is still asked for requests on the
/// connections it holds (they end after the receive timeout once idle).
const RETIRED_FOR: Duration = Duration::from_secs(60);

/// One server taking connections from the socket.
#[derive(Clone)]
struct Taker {
    server: Arc<Server>,
    /// When it took over accepting (`None`: the first).
    started: Option<Instant>,
    /// When it stopped accepting.
    retired: Option<Instant>,
}

/// The socket and its servers, the newest last.
pub struct Listening {
    socket: TcpListener,
    servers: Mutex<Vec<Taker>>,
}

impl Listening {
    /// Starts accepting on `socket`.
    pub fn new(socket: TcpListener) -> std::io::Result<Listening> {
        let server = Server::from_listener(socket.try_clone()?, None).map_err(std::io::Error::other)?;
        let first = Taker { server: Arc::new(server), started: None, retired: None };
        Ok(Listening { socket, servers: Mutex::new(vec![first]) })
    }

    /// The port listened on.
    pub fn port(&self) -> Option<u16> {
        self.socket.local_addr().ok().map(|a| a.port())
    }

    /// The next request: one already waiting on an older server's connections, else one
    /// of the newest server's, waiting at most `wait`.
    pub fn next(&self, wait: Duration) -> Option<Request> {
        let servers: Vec<_> = self.servers.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let (newest, older) = servers.split_last()?;
        for taker in older {
            if let Ok(Some(request)) = taker.server.try_recv() {
                return Some(request);
            }
        }
        match newest.server.recv_timeout(wait) {
            Ok(request) => request,
            Err(_) => {
                // An accept that fails at once again (no file descriptors left) is not
                // retried in a loop: at most one new server per second.
                if newest.started.is_some_and(|started| started.elapsed() < Duration::from_secs(1)) {
                    std::thread::sleep(Duration::from_secs(1));
                }
                self.renew(&newest.server);
                None
            }
        }
    }

    /// A new server accepting on the socket in place of `stopped` (once, whichever worker
    /// sees it first); servers retired long ago are let go.
    fn renew(&self, stopped: &Arc<Server>) {
        let mut servers = self.servers.lock().unwrap_or_else(PoisonError::into_inner);
        if !servers.last().is_some_and(|t| Arc::ptr_eq(&t.server, stopped)) {
            return;
        }
        let Some(server) = self.socket.try_clone().ok().and_then(|s| Server::from_listener(s, None).ok()) else {
            return;
        };
        let now = Instant::now();
        if let Some(last) = servers.last_mut() {
            last.retired = Some(now);
        }
        servers.retain(|t| t.retired.is_none_or(|at| now.duration_since(at) < RETIRED_FOR));
        servers.push(Taker { server: Arc::new(server), started: Some(now), retired: None });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn connections_are_taken_after_the_accept_timeout_passes() {
        let socket = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        super::super::set_receive_timeout(&socket, Duration::from_millis(100));
        let listening = Arc::new(Listening::new(socket).unwrap());
        let port = listening.port().unwrap();
        let worker = {
            let listening = listening.clone();
            std::thread::spawn(move || {
                let mut answered = 0;
                let started = Instant::now();
                while answered < 2 && started.elapsed() < Duration::from_secs(10) {
                    if let Some(request) = listening.next(Duration::from_millis(50)) {
                        let _ = request.respond(tiny_http::Response::from_string("ok"));
                        answered += 1;
                    }
                }
                answered
            })
        };
        let ask = || {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("still listening");
            stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            let mut reply = String::new();
            let _ = stream.read_to_string(&mut reply);
            reply
        };
        assert!(ask().ends_with("ok"));
        // Longer than the accept timeout without a connection.
        std::thread::sleep(Duration::from_millis(600));
        assert!(ask().ends_with("ok"));
        assert_eq!(worker.join().unwrap(), 2);
    }
}
