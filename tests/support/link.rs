//! A TCP link between the server and its database that a test can cut and restore, to see what
//! the server does while the database is unreachable and after it comes back.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Forwards connections from a loopback port to `target` until cut.
pub struct FaultyLink {
    /// Where clients connect instead of the target.
    pub addr: SocketAddr,
    up: Arc<AtomicBool>,
    cuts: watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyLink {
    /// A link to `target` (`host:port`), up.
    pub async fn to(target: &str) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let up = Arc::new(AtomicBool::new(true));
        let (cuts, _) = watch::channel(0_u64);
        let target = target.to_owned();
        let task = {
            let up = up.clone();
            let cuts = cuts.clone();
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        // Refused: the connection closes at once.
                        continue;
                    }
                    let target = target.clone();
                    let mut cut = cuts.subscribe();
                    tokio::spawn(async move {
                        let Ok(server) = TcpStream::connect(&target).await else {
                            return;
                        };
                        let (mut client, mut server) = (client, server);
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            _ = cut.changed() => {}
                        }
                    });
                }
            })
        };
        Ok(Self {
            addr,
            up,
            cuts,
            task,
        })
    }

    /// Drops every open connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for FaultyLink {
    fn drop(&mut self) {
        self.task.abort();
    }
}
