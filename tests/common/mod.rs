//! Shared by the benches and the tests: the booth frame, a real portrait (tests/data/grace_hopper.jpg) enlarged
//! to booth scale and placed in a wider frame, once on a plain wall (matted and composited:
//! the booth case) and once with her original flag behind her.

use std::path::Path;

use image::RgbImage;
use tucai::imaging::{Pipeline, SourcePhoto};

/// `(plain wall, cluttered)` frames of `size`; the person fills the frame's height as at 1080p.
pub fn booth_frames(pipeline: &mut Pipeline, (width, height): (u32, u32)) -> (SourcePhoto, SourcePhoto) {
    let portrait =
        tucai::imaging::load_photo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/grace_hopper.jpg"))
            .expect("test photo")
            .image;
    let alpha = pipeline.matte_frame(&portrait).expect("matte").alpha;
    let on_wall = RgbImage::from_fn(portrait.width(), portrait.height(), |x, y| {
        let a = f32::from(alpha.get_pixel(x, y).0[0]) / 255.0;
        let p = portrait.get_pixel(x, y).0;
        image::Rgb(std::array::from_fn(|c| (a * f32::from(p[c]) + (1.0 - a) * 208.0).round() as u8))
    });
    let k = height as f32 / 1080.0;
    let place = |person: &RgbImage| {
        let (pw, ph) = ((900.0 * k) as u32, (1055.0 * k) as u32);
        let tall = image::imageops::resize(person, pw, ph, image::imageops::FilterType::Lanczos3);
        let mut frame = RgbImage::from_pixel(width, height, image::Rgb([208, 208, 208]));
        image::imageops::overlay(&mut frame, &tall, i64::from((width - pw) / 2), (25.0 * k) as i64);
        SourcePhoto {
            image: frame,
            exif_orientation: "NoTransforms".into(),
            stored_size_px: [width, height],
            decode_ms: 0.0,
        }
    };
    (place(&on_wall), place(&portrait))
}

pub mod photo_store;
