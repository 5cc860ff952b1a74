//! How long the UI thread spends per frame and how often frames come, for the status bar and,
//! with `TUCAI_FRAME_STATS=1`, a line on stderr every ten seconds (p50/p99 since the start,
//! and the live-hint rate over the last ten seconds). Real time, not the app's clock.

use std::time::{Duration, Instant};

const REPORT_EVERY: Duration = Duration::from_secs(10);

/// Frame timings.
pub(super) struct FrameStats {
    /// Milliseconds of work per frame (logic and drawing, not the GPU's painting).
    work: Vec<f32>,
    /// Milliseconds between the starts of consecutive frames.
    gaps: Vec<f32>,
    /// Milliseconds each live check took on its worker, since the last report.
    live: Vec<f32>,
    started: Option<Instant>,
    report: bool,
    last_report: Instant,
    hints_at_report: u64,
}

fn p50_p99(values: &[f32]) -> (f32, f32) {
    let mut v = values.to_vec();
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort_by(f32::total_cmp);
    let at = |q: f32| v[((v.len() - 1) as f32 * q).round() as usize];
    (at(0.5), at(0.99))
}

impl FrameStats {
    pub(super) fn new() -> FrameStats {
        FrameStats {
            work: Vec::new(),
            gaps: Vec::new(),
            live: Vec::new(),
            started: None,
            report: std::env::var_os("TUCAI_FRAME_STATS").is_some(),
            last_report: Instant::now(),
            hints_at_report: 0,
        }
    }

    /// A frame starts (before its logic).
    pub(super) fn begin(&mut self) {
        let now = Instant::now();
        if let Some(previous) = self.started {
            self.gaps.push((now - previous).as_secs_f32() * 1000.0);
        }
        self.started = Some(now);
    }

    /// The frame's drawing is done; `hints` counts live results so far.
    pub(super) fn end(&mut self, hints: u64) {
        let Some(started) = self.started else { return };
        self.work.push(started.elapsed().as_secs_f32() * 1000.0);
        if self.work.len() > 200_000 {
            self.work.drain(..100_000);
            self.gaps.drain(..self.gaps.len().min(100_000));
        }
        if self.report && self.last_report.elapsed() >= REPORT_EVERY {
            let (w50, w99) = p50_p99(&self.work);
            let (g50, g99) = p50_p99(&self.gaps);
            let (l50, _) = p50_p99(&self.live);
            self.live.clear();
            let rate = (hints - self.hints_at_report) as f64 / self.last_report.elapsed().as_secs_f64();
            eprintln!(
                "tucai frame stats: {} frames; UI work p50 {w50:.2} ms, p99 {w99:.2} ms; frame interval p50 {g50:.1} ms, \
                 p99 {g99:.1} ms; live hints {rate:.1}/s, live check p50 {l50:.1} ms",
                self.work.len()
            );
            self.last_report = Instant::now();
            self.hints_at_report = hints;
        }
    }

    /// A live check took `elapsed` on its worker.
    pub(super) fn live_done(&mut self, elapsed: Duration) {
        if self.live.len() < 100_000 {
            self.live.push(elapsed.as_secs_f32() * 1000.0);
        }
    }

    /// The last frame's work in milliseconds.
    pub(super) fn last_ms(&self) -> f32 {
        self.work.last().copied().unwrap_or(0.0)
    }
}
