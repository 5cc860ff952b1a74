//! Tucai (图采): an offline photo station for the graduate-photo registration (CHSI/学信网).
//!
//! Crate map — one line per module:
//! - [`profile`]: photo standards as TOML files → checked `PhotoSpec`s.
//! - [`imaging`]: frame → standard photo (detect, landmarks, level, crop, matte, resample,
//!   composite, encode).
//! - [`camera`]: the capture thread keeping the newest frame: a webcam (nokhwa) or a replay
//!   (the demo's cards and portraits, or a folder).
//! - [`limits`]: the sizes and characters allowed in from outside, and terminal-safe output.
//! - [`quality`]: the checks: a photo (and its analysis) → a report of findings with fixes.
//! - [`i18n`]: every sentence a person reads, Chinese and English, said by one trait (`Say`).
//! - [`store`]: the station's SQLite store: roster, codes, captures with bytes, reviews, audit.
//! - [`roster`]: roster files (CSV in UTF-8 or GBK, XLSX) → checked student records.
//! - [`code`]: capture codes from images or a scanner, and what they mean.
//! - [`print`]: print sheets (5-up at true size) and capture cards as PDF; CUPS printers.
//! - [`export`]: verified export batches for the upload (photos, manifests, zips).
//! - [`progress`]: progress and cancel of long runs, shared by the terminal and the window.
//! - [`fonts`]: the CJK font the window and the sheets use.
//! - [`sync`]: several booths, one collection: outbox batches to a central PostgreSQL,
//!   decisions and other booths' photos back.
//! - [`station`]: the work off the UI thread: pipeline worker, live-hint thread, store thread.
//! - [`cli`]: the command line: arguments → plan → run → exit code.
//! - `ui` (feature `gui`): the egui station window; the only module that names egui.

pub mod camera;
pub mod cli;
pub mod code;
pub mod export;
pub mod fonts;
pub mod i18n;
pub mod imaging;
pub mod limits;
pub mod print;
pub mod profile;
pub mod progress;
pub mod quality;
pub mod roster;
pub mod station;
pub mod store;
pub mod sync;
#[cfg(feature = "gui")]
pub mod ui;
