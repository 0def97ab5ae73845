//! Progress for long work: spinners on a terminal, plain log lines otherwise
//! (nightly jobs read logs, not terminals).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, MultiProgress, ProgressBar, ProgressStyle};

use crate::repo::{ActivitySnapshot, Store, StoreStats};

#[derive(Clone)]
pub struct Progress {
    multi: Option<MultiProgress>,
    quiet: bool,
}

impl Progress {
    /// Spinners when stderr is a terminal, log lines when it is not; nothing but warnings when `quiet`.
    pub fn new(quiet: bool) -> Progress {
        let multi = (!quiet && std::io::stderr().is_terminal()).then(MultiProgress::new);
        Progress { multi, quiet }
    }

    pub fn task(&self, label: &str) -> TaskProgress {
        let bar = self.multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:.bold} {msg} [{elapsed}]")
                    .expect("static template"),
            );
            bar.set_prefix(label.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        TaskProgress {
            bar,
            label: label.to_string(),
            quiet: self.quiet,
            started: Instant::now(),
        }
    }

    /// Run `work` with the store's warnings shown here and, on a
    /// terminal, a line that follows its transfers and metadata reads.
    pub fn watch<T>(&self, store: &Store, work: impl FnOnce() -> T) -> T {
        let shown = self.clone();
        store
            .activity()
            .on_warning(move |message| shown.warn(message));
        let Some(multi) = &self.multi else {
            return work();
        };
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}")
                .expect("static template"),
        );
        bar.set_prefix("repositories");
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            let ticker = s.spawn(|| {
                let mut last = (Instant::now(), store.activity().snapshot());
                while !done.load(Ordering::Relaxed) {
                    std::thread::park_timeout(Duration::from_millis(250));
                    let now = (Instant::now(), store.activity().snapshot());
                    bar.set_message(activity_line(&last, &now, &store.stats()));
                    bar.tick();
                    last = now;
                }
                bar.finish_and_clear();
            });
            let out = work();
            done.store(true, Ordering::Relaxed);
            ticker.thread().unpark();
            out
        })
    }

    pub fn warn(&self, message: &str) {
        match &self.multi {
            Some(m) => {
                let _ = m.println(format!("warning: {message}"));
            }
            None => eprintln!("warning: {message}"),
        }
    }
}

pub struct TaskProgress {
    bar: Option<ProgressBar>,
    label: String,
    quiet: bool,
    started: Instant,
}

impl TaskProgress {
    pub fn step(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_string()),
            None if !self.quiet => eprintln!(
                "[{}] {message} ({:.1}s)",
                self.label,
                self.started.elapsed().as_secs_f64()
            ),
            None => {}
        }
    }

    /// A passing state (`fetched 35/120 packages`): shown on a terminal,
    /// left out of logs, whose reader wants the outcome.
    pub fn live(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    pub fn warn(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(format!("warning: [{}] {message}", self.label)),
            None => eprintln!("warning: [{}] {message}", self.label),
        }
    }

    pub fn finish(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.finish_with_message(message.to_string()),
            None => self.step(message),
        }
    }

    pub fn fail(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.abandon_with_message(format!("FAILED: {message}")),
            None => eprintln!("[{}] FAILED: {message}", self.label),
        }
    }
}

/// `12.3 MiB received (4 files, 2.1 MiB/s), 250.0 MiB of metadata read`:
/// the rate over the last interval.
fn activity_line(
    (then, before): &(Instant, ActivitySnapshot),
    (now, after): &(Instant, ActivitySnapshot),
    stats: &StoreStats,
) -> String {
    let seconds = now.duration_since(*then).as_secs_f64().max(1e-3);
    let rate = (after.received - before.received) as f64 / seconds;
    format!(
        "{} received ({} files, {}/s), {} of metadata read",
        HumanBytes(after.received),
        stats.downloads,
        HumanBytes(rate as u64),
        HumanBytes(after.metadata_read)
    )
}
