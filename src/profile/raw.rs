//! The profile file as written: serde structs that mirror the TOML one to one.
//!
//! Nothing outside `profile/` sees these; `spec.rs` turns them into a checked [`PhotoSpec`].
//! `deny_unknown_fields` everywhere so that a misspelt key is an error, not a silent default.
//!
//! [`PhotoSpec`]: super::PhotoSpec

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfile {
    pub profile: RawIdentity,
    pub output: RawOutput,
    pub geometry: RawGeometry,
    pub pose: RawPose,
    pub print: RawPrint,
    #[serde(default)]
    pub checks: super::CheckThresholds,
    #[serde(default)]
    pub retake: super::RetakePolicy,
    #[serde(default)]
    pub burst: super::BurstPolicy,
    #[serde(default)]
    pub codes: super::CodeRule,
    #[serde(default)]
    pub export: super::ExportPolicy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentity {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(default)]
    pub standard: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOutput {
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: u16,
    pub jpeg_quality_min: u8,
    pub file_size_kib: [f64; 2],
    pub background_rgb: [u8; 3],
    pub file_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGeometry {
    pub head_top_margin_px: [f32; 2],
    pub eye_line_from_top_px: [f32; 2],
    pub face_width_px: [f32; 2],
    #[serde(default)]
    pub head_height_px: Option<[f32; 2]>,
    pub center_tolerance_px: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPose {
    pub max_roll_deg: f32,
    pub max_yaw_deg: f32,
    pub max_pitch_deg: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrint {
    pub width_mm: f32,
    pub height_mm: f32,
    pub copies: u32,
}
