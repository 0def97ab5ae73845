//! What the store is doing, for whoever shows it: counters that transfers
//! and metadata reads bump as they go (a progress display polls them), and
//! the warnings a run gets over (a retry, a damaged cache file), handed to
//! the display so that they do not break its lines.

use std::io::BufRead;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

type WarningSink = Box<dyn Fn(&str) + Send + Sync>;

#[derive(Default)]
pub struct Activity {
    received: AtomicU64,
    metadata_read: AtomicU64,
    warnings: OnceLock<WarningSink>,
}

/// The counters at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActivitySnapshot {
    /// Bytes received from the network, finished files or not.
    pub received: u64,
    /// Metadata bytes read, decompressed.
    pub metadata_read: u64,
}

impl std::fmt::Debug for Activity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.snapshot().fmt(f)
    }
}

impl Activity {
    pub fn snapshot(&self) -> ActivitySnapshot {
        ActivitySnapshot {
            received: self.received.load(Ordering::Relaxed),
            metadata_read: self.metadata_read.load(Ordering::Relaxed),
        }
    }

    /// Send warnings to `sink` rather than to stderr (once; later calls
    /// are ignored).
    pub fn on_warning(&self, sink: impl Fn(&str) + Send + Sync + 'static) {
        let _ = self.warnings.set(Box::new(sink));
    }

    pub(crate) fn warn(&self, message: &str) {
        match self.warnings.get() {
            Some(sink) => sink(message),
            None => eprintln!("warning: {message}"),
        }
    }

    pub(crate) fn received(&self, bytes: u64) {
        self.received.fetch_add(bytes, Ordering::Relaxed);
    }

    /// `input`, counted as metadata as it is read.
    pub(crate) fn counting<'a>(
        self: &Arc<Self>,
        input: Box<dyn BufRead + Send + 'a>,
    ) -> Box<dyn BufRead + Send + 'a> {
        Box::new(Counted {
            inner: input,
            activity: self.clone(),
        })
    }
}

struct Counted<R> {
    inner: R,
    activity: Arc<Activity>,
}

impl<R: BufRead> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.activity
            .metadata_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.activity
            .metadata_read
            .fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }
}
