//! The window's colours, by what they mean. One shade per meaning, so a pass looks the same
//! on every screen.

use eframe::egui::Color32;

/// Passed, saved, done.
pub(super) const OK: Color32 = Color32::from_rgb(30, 140, 60);
/// Over the camera preview: all live checks green (brighter, to read over a photo).
pub(super) const LIVE_OK: Color32 = Color32::from_rgb(40, 170, 70);
/// A warning: close to a limit, not stored, something to check.
pub(super) const WARN: Color32 = Color32::from_rgb(200, 120, 0);
/// Failed, refused, an error.
pub(super) const BAD: Color32 = Color32::from_rgb(200, 40, 40);
/// Neutral information drawn over the preview (the guide's target lines).
pub(super) const INFO: Color32 = Color32::from_rgb(40, 120, 220);
