//! The matte test bed: booth-like scenes with a known alpha, built from a real portrait.
//!
//! The person (F) and their alpha (A) come from tests/data/astronaut.png and our own matte of
//! it; each scene is `A·F + (1−A)·B` for a backdrop B, so A is the exact truth for that scene
//! however A was made. Each scene is standardized and measured against the truth; the numbers
//! print with `cargo test --test matte -- --nocapture`; `TUCAI_MATTE_OUT=DIR` also writes each
//! scene's input and output there, to look at.

use std::path::Path;

use image::{GrayImage, RgbImage};
use tucai::imaging::colour::{delta_e2000, srgb_to_lab};
use tucai::imaging::{HeadTopSource, PersonSegmenter, Pipeline, Point, SourcePhoto, Warper, decode_photo, load_photo};
use tucai::profile::{PhotoSpec, ProfileLibrary};

struct Scene {
    name: &'static str,
    frame: RgbImage,
}

struct Measures {
    interior_holes: f32,
    alpha_sad: f32,
    alpha_gradient_error: f32,
    background_within_de2: f32,
    halo_de: f32,
    head_top_margin_px: f32,
    head_top_source: HeadTopSource,
}

/// Deterministic noise in [-1, 1].
fn noise(x: u32, y: u32) -> f32 {
    let h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
    let h = (h ^ (h >> 15)).wrapping_mul(0x2C1B_3C6D);
    ((h >> 8) & 0xFFFF) as f32 / 32767.5 - 1.0
}

fn backdrops(w: u32, h: u32) -> Vec<(&'static str, RgbImage)> {
    let wall = RgbImage::from_fn(w, h, |x, y| {
        let n = 2.0 * noise(x, y);
        image::Rgb([(228.0 + n) as u8, (228.0 + n) as u8, (224.0 + n) as u8])
    });
    let cloth = RgbImage::from_fn(w, h, |x, y| {
        let fold = 1.0 + 0.06 * (x as f32 / 23.0).sin() * (y as f32 / 37.0).sin();
        image::Rgb([(70.0 * fold) as u8, (125.0 * fold) as u8, (205.0 * fold).min(255.0) as u8])
    });
    let gradient = RgbImage::from_fn(w, h, |x, y| {
        let v = 240.0 - 80.0 * x as f32 / w as f32 - 10.0 * y as f32 / h as f32;
        image::Rgb([v as u8, v as u8, (v - 6.0) as u8])
    });
    // A cluttered room: shelves of coloured blocks and stripes, no faces.
    let clutter = RgbImage::from_fn(w, h, |x, y| {
        let (bx, by) = (x / 37, y / 23);
        let k = (noise(bx, by) * 0.5 + 0.5) * 6.0;
        let stripe = if (x / 5) % 2 == 0 { 20 } else { 0 };
        let palette = [[170, 60, 40], [40, 90, 160], [200, 190, 150], [60, 120, 60], [230, 230, 230], [90, 70, 50]];
        let c = palette[(k as usize).min(5)];
        image::Rgb([c[0] + stripe, c[1] + stripe / 2, c[2]])
    });
    // A beige wall close to skin tones: the colour key must not eat into the face.
    let beige = RgbImage::from_fn(w, h, |x, y| {
        let n = 2.0 * noise(x, y);
        image::Rgb([(224.0 + n) as u8, (200.0 + n) as u8, (178.0 + n) as u8])
    });
    vec![
        ("plain wall", wall),
        ("beige wall", beige),
        ("blue cloth", cloth),
        ("lit gradient wall", gradient),
        ("cluttered room", clutter),
    ]
}

fn scenes() -> (Vec<Scene>, Vec<f32>, u32, u32) {
    let person =
        load_photo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/astronaut.png")).expect("photo").image;
    let (w, h) = (person.width(), person.height());
    let mut segmenter = PersonSegmenter::new();
    let truth: Vec<f32> = segmenter
        .matte(&person, &mut Warper::default())
        .expect("matte")
        .alpha
        .as_raw()
        .iter()
        .map(|&a| f32::from(a) / 255.0)
        .collect();
    let scenes = backdrops(w, h)
        .into_iter()
        .map(|(name, back)| {
            let frame = RgbImage::from_fn(w, h, |x, y| {
                let a = truth[(y * w + x) as usize];
                let (f, b) = (person.get_pixel(x, y).0, back.get_pixel(x, y).0);
                image::Rgb(std::array::from_fn(|c| (a * f32::from(f[c]) + (1.0 - a) * f32::from(b[c])).round() as u8))
            });
            Scene { name, frame }
        })
        .collect();
    (scenes, truth, w, h)
}

fn sample(values: &[f32], w: u32, h: u32, p: Point) -> f32 {
    let x = (p.x - 0.5).clamp(0.0, (w - 1) as f32);
    let y = (p.y - 0.5).clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let v = |x: u32, y: u32| values[(y * w + x) as usize];
    (v(x0, y0) * (1.0 - fx) + v(x1, y0) * fx) * (1.0 - fy) + (v(x0, y1) * (1.0 - fx) + v(x1, y1) * fx) * fy
}

/// Whether a pixel within `r` of (x, y) is not solid person.
fn near_backdrop(truth: &[f32], w: usize, h: usize, x: usize, y: usize, r: usize) -> bool {
    (y.saturating_sub(r)..(y + r + 1).min(h))
        .any(|yy| (x.saturating_sub(r)..(x + r + 1).min(w)).any(|xx| truth[yy * w + xx] <= 0.99))
}

/// Whether any pixel within `r` of (x, y) is set in `mask`.
fn near(mask: &[bool], w: usize, h: usize, x: usize, y: usize, r: usize) -> bool {
    (y.saturating_sub(r)..(y + r + 1).min(h))
        .any(|yy| (x.saturating_sub(r)..(x + r + 1).min(w)).any(|xx| mask[yy * w + xx]))
}

fn measure(pipeline: &mut Pipeline, scene: &Scene, truth: &[f32], (fw, fh): (u32, u32), spec: &PhotoSpec) -> Measures {
    let source = SourcePhoto {
        image: scene.frame.clone(),
        exif_orientation: String::new(),
        stored_size_px: [fw, fh],
        decode_ms: 0.0,
    };
    let out = pipeline.standardize(&source, spec).unwrap_or_else(|e| panic!("{}: {e}", scene.name));
    if let Ok(dir) = std::env::var("TUCAI_MATTE_OUT") {
        // For looking at the results: `TUCAI_MATTE_OUT=/tmp/m cargo test --test matte`.
        let stem = scene.name.replace(' ', "_");
        std::fs::create_dir_all(&dir).expect("output folder");
        std::fs::write(Path::new(&dir).join(format!("{stem}.jpg")), &out.jpeg.bytes).expect("write");
        scene.frame.save(Path::new(&dir).join(format!("{stem}.input.png"))).expect("write");
    }
    let alpha: &GrayImage = out.alpha.as_ref().expect("matted");
    let photo = decode_photo(&out.jpeg.bytes).expect("decodes").image;
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let truth_out: Vec<f32> = (0..w * h)
        .map(|k| {
            sample(
                truth,
                fw,
                fh,
                out.plan.photo_to_frame.dst_to_src(Point::new((k % w) as f32 + 0.5, (k / w) as f32 + 0.5)),
            )
        })
        .collect();
    let got: Vec<f32> = alpha.as_raw().iter().map(|&a| f32::from(a) / 255.0).collect();
    let person: Vec<bool> = truth_out.iter().map(|&a| a > 0.02).collect();
    let target = srgb_to_lab(spec.output.background_rgb);

    let (mut sad, mut grad, mut band_n) = (0.0f32, 0.0f32, 0usize);
    let (mut holes, mut interior_n) = (0usize, 0usize);
    let (mut bg_ok, mut bg_n) = (0usize, 0usize);
    let (mut halo, mut halo_n) = (0.0f32, 0usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let k = y * w + x;
            let in_band = truth_out[k] > 0.02 && truth_out[k] < 0.98
                || (person[k] != near(&person, w, h, x, y, 0) || near(&person, w, h, x, y, 3) && !person[k]);
            if in_band {
                sad += (got[k] - truth_out[k]).abs();
                let g = |v: &[f32]| ((v[k + 1] - v[k]).powi(2) + (v[k + w] - v[k]).powi(2)).sqrt();
                grad += (g(&got) - g(&truth_out)).abs();
                band_n += 1;
            }
            if person[k] {
                // Interior: solid in the truth and 6 px from any backdrop pixel.
                if truth_out[k] > 0.99 && !near_backdrop(&truth_out, w, h, x, y, 6) {
                    interior_n += 1;
                    holes += usize::from(got[k] < 0.95);
                }
                continue;
            }
            let de = delta_e2000(srgb_to_lab(photo.get_pixel(x as u32, y as u32).0), target);
            if near(&person, w, h, x, y, 4) {
                halo += de;
                halo_n += 1;
            } else {
                bg_n += 1;
                bg_ok += usize::from(de <= 2.0);
            }
        }
    }
    Measures {
        interior_holes: holes as f32 / interior_n.max(1) as f32,
        alpha_sad: sad / band_n.max(1) as f32,
        alpha_gradient_error: grad / band_n.max(1) as f32,
        background_within_de2: bg_ok as f32 / bg_n.max(1) as f32,
        halo_de: halo / halo_n.max(1) as f32,
        head_top_margin_px: out.plan.placed.head_top_margin_px,
        head_top_source: out.head.head_top_source,
    }
}

#[test]
fn matte_on_booth_backdrops_meets_its_floors() {
    let spec = ProfileLibrary::load(&[]).resolve("chsi-graduate").expect("profile");
    let (scenes, truth, w, h) = scenes();
    let mut pipeline = Pipeline::new();
    println!(
        "{:<18} {:>8} {:>9} {:>9} {:>10} {:>8} {:>9}",
        "backdrop", "holes", "α SAD", "α grad", "bg ΔE≤2", "halo ΔE", "head top"
    );
    let mut failures = Vec::new();
    for scene in &scenes {
        let m = measure(&mut pipeline, scene, &truth, (w, h), &spec);
        println!(
            "{:<18} {:>7.2}% {:>9.3} {:>9.3} {:>9.2}% {:>8.2} {:>6.0} px ({:?})",
            scene.name,
            100.0 * m.interior_holes,
            m.alpha_sad,
            m.alpha_gradient_error,
            100.0 * m.background_within_de2,
            m.halo_de,
            m.head_top_margin_px,
            m.head_top_source
        );
        if m.background_within_de2 < 0.99 {
            failures.push(format!(
                "{}: only {:.2}% of the background within ΔE2000 2",
                scene.name,
                100.0 * m.background_within_de2
            ));
        }
        if m.interior_holes > 0.005 {
            failures.push(format!(
                "{}: {:.2}% of the person's interior lost alpha",
                scene.name,
                100.0 * m.interior_holes
            ));
        }
        // Floors with room above what was measured (SAD 0.045–0.081, gradient 0.015–0.022,
        // halo 0.24–0.38 ΔE; see the session note), so a regression shows and noise does not.
        if m.alpha_sad > 0.15 {
            failures.push(format!("{}: alpha SAD {:.3} in the edge band", scene.name, m.alpha_sad));
        }
        if m.alpha_gradient_error > 0.05 {
            failures
                .push(format!("{}: alpha gradient error {:.3} in the edge band", scene.name, m.alpha_gradient_error));
        }
        if m.halo_de > 1.5 {
            failures.push(format!("{}: halo, mean ΔE2000 {:.2} just outside the person", scene.name, m.halo_de));
        }
        if !spec.geometry.head_top_margin_px.contains(m.head_top_margin_px) || m.head_top_source != HeadTopSource::Matte
        {
            failures
                .push(format!("{}: head top {:.0} px from {:?}", scene.name, m.head_top_margin_px, m.head_top_source));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
