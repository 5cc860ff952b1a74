//! Webcams through nokhwa's Video4Linux backend. The device is created, read and dropped on
//! its own thread (nokhwa's camera is not `Send`); frames are decoded here: MJPEG by `image`,
//! YUYV and NV12 by hand (BT.601, the colour space UVC webcams send).

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use image::RgbImage;
use nokhwa::Camera as Device;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType, Resolution,
};

use super::{CameraError, CameraStatus, Shared, WebcamInfo};

/// Frames in a row that may fail to decode before the operator is told.
const BAD_FRAMES_TOLERATED: u32 = 30;
/// Wait between attempts to reopen a lost camera.
const REOPEN_EVERY: Duration = Duration::from_secs(1);

pub(super) fn list() -> Vec<WebcamInfo> {
    nokhwa::query(ApiBackend::Video4Linux)
        .unwrap_or_default()
        .into_iter()
        .map(|info| WebcamInfo { index: info.index().as_string(), name: info.human_name() })
        .collect()
}

pub(super) fn spawn(device: String, size: [u32; 2], shared: Arc<Shared>) -> Result<JoinHandle<()>, CameraError> {
    std::thread::Builder::new()
        .name("tucai-camera".into())
        .spawn(move || capture_loop(&device, size, &shared))
        .map_err(CameraError::Thread)
}

/// Opens the device, reads frames until it fails, says why, and tries again every second.
fn capture_loop(device: &str, size: [u32; 2], shared: &Shared) {
    let label = format!("webcam:{device}");
    while !shared.stopping() {
        match open(device, size) {
            Ok(mut camera) => {
                let why = read_frames(&mut camera, &label, shared);
                let _ = camera.stop_stream();
                if let Some(why) = why {
                    shared.set_status(CameraStatus::Lost(why));
                }
            }
            Err(why) => shared.set_status(CameraStatus::Lost(why)),
        }
        let mut waited = Duration::ZERO;
        while waited < REOPEN_EVERY && !shared.stopping() {
            std::thread::sleep(Duration::from_millis(50));
            waited += Duration::from_millis(50);
        }
    }
}

/// Publishes frames until the device fails (returns why) or the camera is dropped (`None`).
fn read_frames(camera: &mut Device, label: &str, shared: &Shared) -> Option<String> {
    let mut bad_in_a_row = 0;
    while !shared.stopping() {
        let buffer = match camera.frame() {
            Ok(b) => b,
            Err(e) => return Some(format!("{label} stopped delivering frames (unplugged?): {e}")),
        };
        let resolution = buffer.resolution();
        match decode(buffer.source_frame_format(), resolution.width(), resolution.height(), buffer.buffer()) {
            Ok(image) => {
                bad_in_a_row = 0;
                shared.publish(Arc::new(image), label);
            }
            Err(why) => {
                bad_in_a_row += 1;
                if bad_in_a_row >= BAD_FRAMES_TOLERATED {
                    shared.set_status(CameraStatus::Lost(format!("{label}: {why}")));
                }
            }
        }
    }
    None
}

/// `0`, `/dev/video0` → index 0; anything else is passed on as nokhwa's string index.
fn index_of(device: &str) -> CameraIndex {
    let number = device.strip_prefix("/dev/video").unwrap_or(device);
    number.parse().map(CameraIndex::Index).unwrap_or_else(|_| CameraIndex::String(device.to_owned()))
}

/// Opens the device at the resolution closest to `size`, MJPEG preferred (30 fps at 720p over
/// USB 2), YUYV otherwise.
fn open(device: &str, size: [u32; 2]) -> Result<Device, String> {
    let mut why = String::new();
    for format in [FrameFormat::MJPEG, FrameFormat::YUYV] {
        let wanted = CameraFormat::new(Resolution::new(size[0], size[1]), format, 30);
        let request = RequestedFormat::new::<RgbFormat>(RequestedFormatType::Closest(wanted));
        let opened = Device::with_backend(index_of(device), request, ApiBackend::Video4Linux).and_then(|mut c| {
            c.open_stream()?;
            Ok(c)
        });
        match opened {
            Ok(camera) => return Ok(camera),
            Err(e) => why = e.to_string(),
        }
    }
    Err(format!("cannot open webcam {device}: {why}"))
}

/// Upright RGB from one frame as the device sent it.
fn decode(format: FrameFormat, width: u32, height: u32, bytes: &[u8]) -> Result<RgbImage, String> {
    let (w, h) = (width as usize, height as usize);
    let short = |need: usize| format!("a {format} frame of {width}×{height} has {} bytes, not {need}", bytes.len());
    match format {
        FrameFormat::MJPEG => image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .map(|i| i.to_rgb8())
            .map_err(|e| format!("a damaged MJPEG frame: {e}")),
        FrameFormat::YUYV => {
            let row = 2 * w;
            (bytes.len() >= row * h).then_some(()).ok_or_else(|| short(row * h))?;
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let (x, y) = (x as usize, y as usize);
                let pair = y * row + (x & !1) * 2;
                let luma = bytes[pair + if x % 2 == 0 { 0 } else { 2 }];
                image::Rgb(yuv_to_rgb(luma, bytes[pair + 1], bytes[pair + 3]))
            }))
        }
        FrameFormat::NV12 => {
            let need = w * h + w * h.div_ceil(2);
            (bytes.len() >= need).then_some(()).ok_or_else(|| short(need))?;
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let (x, y) = (x as usize, y as usize);
                let chroma = w * h + (y / 2) * w + (x & !1);
                image::Rgb(yuv_to_rgb(bytes[y * w + x], bytes[chroma], bytes[chroma + 1]))
            }))
        }
        FrameFormat::GRAY => {
            (bytes.len() >= w * h).then_some(()).ok_or_else(|| short(w * h))?;
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let v = bytes[y as usize * w + x as usize];
                image::Rgb([v, v, v])
            }))
        }
        FrameFormat::RAWRGB | FrameFormat::RAWBGR => {
            (bytes.len() >= 3 * w * h).then_some(()).ok_or_else(|| short(3 * w * h))?;
            let bgr = format == FrameFormat::RAWBGR;
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let i = 3 * (y as usize * w + x as usize);
                let p = [bytes[i], bytes[i + 1], bytes[i + 2]];
                image::Rgb(if bgr { [p[2], p[1], p[0]] } else { p })
            }))
        }
    }
}

/// BT.601 limited-range YCbCr to RGB.
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 1.164 * (f32::from(y) - 16.0);
    let (d, e) = (f32::from(u) - 128.0, f32::from(v) - 128.0);
    let clamp = |x: f32| x.round().clamp(0.0, 255.0) as u8;
    [clamp(c + 1.596 * e), clamp(c - 0.392 * d - 0.813 * e), clamp(c + 2.017 * d)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_and_nv12_decode_known_colours() {
        // Two pixels: white (Y 235) and black (Y 16), no colour (U = V = 128).
        let yuyv = [235, 128, 16, 128];
        let img = decode(FrameFormat::YUYV, 2, 1, &yuyv).expect("decodes");
        assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(img.get_pixel(1, 0).0, [0, 0, 0]);
        // A 2×2 NV12 frame of pure red: Y 81, U 90, V 240 (BT.601).
        let nv12 = [81, 81, 81, 81, 90, 240];
        let img = decode(FrameFormat::NV12, 2, 2, &nv12).expect("decodes");
        let [r, g, b] = img.get_pixel(1, 1).0;
        assert!(r > 250 && g < 5 && b < 5, "{r} {g} {b}");
    }

    #[test]
    fn short_and_damaged_frames_say_what() {
        let why = decode(FrameFormat::YUYV, 4, 4, &[0; 10]).expect_err("too short");
        assert!(why.contains("4×4") && why.contains("10 bytes"), "{why}");
        let why = decode(FrameFormat::MJPEG, 4, 4, b"not a jpeg").expect_err("damaged");
        assert!(why.contains("MJPEG"), "{why}");
    }

    #[test]
    fn device_names_map_to_indices() {
        assert_eq!(index_of("0"), CameraIndex::Index(0));
        assert_eq!(index_of("/dev/video2"), CameraIndex::Index(2));
        assert_eq!(index_of("usb-cam"), CameraIndex::String("usb-cam".into()));
    }

    #[test]
    fn a_missing_webcam_is_reported_not_a_panic() {
        // No device 63 on any test machine: opening fails with words.
        let Err(why) = open("63", [640, 480]) else { panic!("opened a webcam 63") };
        assert!(why.contains("webcam 63"), "{why}");
    }
}
