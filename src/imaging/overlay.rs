//! The inspection overlay: the frame with the landmarks and the crop box, beside the output
//! photo with the profile's windows, so a person can see why the crop is where it is.

use image::{Rgb, RgbImage, imageops};

use super::Standardized;
use super::geom::Point;
use crate::profile::PhotoSpec;

const RED: Rgb<u8> = Rgb([230, 40, 40]);
const GREEN: Rgb<u8> = Rgb([40, 200, 60]);
const YELLOW: Rgb<u8> = Rgb([250, 210, 0]);
const CYAN: Rgb<u8> = Rgb([0, 200, 230]);
const MAGENTA: Rgb<u8> = Rgb([220, 0, 220]);

/// Draws the overlay: left, the frame scaled to the photo's height with the mesh points and
/// the crop quadrilateral; right, the photo with window bands (green = allowed range) and
/// the measured lines (red = eye line, yellow = head top, cyan = face width).
pub fn draw_overlay(frame: &RgbImage, result: &Standardized, spec: &PhotoSpec) -> RgbImage {
    let (pw, ph) = (result.photo.width(), result.photo.height());
    let k = ph as f32 / frame.height() as f32;
    let fw = ((frame.width() as f32 * k).round() as u32).max(1);
    let mut left = imageops::resize(frame, fw, ph, imageops::FilterType::Triangle);
    let to_left = |p: Point| Point::new(p.x * k, p.y * k);
    for [x, y, _] in &result.landmarks.points_in_frame {
        dot(&mut left, to_left(Point::new(*x, *y)), 1, GREEN);
    }
    let corners = result.plan.crop_corners_in_frame.map(to_left);
    for i in 0..4 {
        line(&mut left, corners[i], corners[(i + 1) % 4], YELLOW);
    }
    dot(&mut left, to_left(result.head.eye_mid_in_frame), 3, RED);

    let mut right = result.photo.clone();
    let g = &spec.geometry;
    let w = pw as f32;
    band_rows(&mut right, g.head_top_margin_px.min, g.head_top_margin_px.max, GREEN);
    band_rows(&mut right, g.eye_line_from_top_px.min, g.eye_line_from_top_px.max, GREEN);
    let fw_half = (g.face_width_px.min / 2.0, g.face_width_px.max / 2.0);
    band_cols(&mut right, w / 2.0 - fw_half.1, w / 2.0 - fw_half.0, GREEN);
    band_cols(&mut right, w / 2.0 + fw_half.0, w / 2.0 + fw_half.1, GREEN);
    let placed = &result.plan.placed;
    line(&mut right, Point::new(0.0, placed.eye_line_from_top_px), Point::new(w, placed.eye_line_from_top_px), RED);
    line(&mut right, Point::new(0.0, placed.head_top_margin_px), Point::new(w, placed.head_top_margin_px), YELLOW);
    line(&mut right, Point::new(w / 2.0, 0.0), Point::new(w / 2.0, ph as f32), MAGENTA);
    let cheek_y = placed.eye_line_from_top_px + 0.25 * (placed.face_width_px);
    for x in [w / 2.0 - placed.face_width_px / 2.0, w / 2.0 + placed.face_width_px / 2.0] {
        line(&mut right, Point::new(x, cheek_y - 30.0), Point::new(x, cheek_y + 30.0), CYAN);
    }
    for [x, y, _] in &result.landmarks.points_in_frame {
        dot(&mut right, result.plan.photo_to_frame.src_to_dst(Point::new(*x, *y)), 0, GREEN);
    }

    let mut out = RgbImage::from_pixel(fw + pw + 8, ph, Rgb([40, 40, 40]));
    imageops::replace(&mut out, &left, 0, 0);
    imageops::replace(&mut out, &right, i64::from(fw) + 8, 0);
    out
}

fn put(img: &mut RgbImage, x: i64, y: i64, c: Rgb<u8>) {
    if x >= 0 && y >= 0 && x < i64::from(img.width()) && y < i64::from(img.height()) {
        img.put_pixel(x as u32, y as u32, c);
    }
}

fn dot(img: &mut RgbImage, p: Point, radius: i64, c: Rgb<u8>) {
    let (cx, cy) = (p.x.round() as i64, p.y.round() as i64);
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            if dx * dx + dy * dy <= radius * radius {
                put(img, cx + dx, cy + dy, c);
            }
        }
    }
}

fn line(img: &mut RgbImage, a: Point, b: Point, c: Rgb<u8>) {
    let steps = a.distance(b).ceil().max(1.0) as i64;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        put(img, (a.x + t * (b.x - a.x)).round() as i64, (a.y + t * (b.y - a.y)).round() as i64, c);
    }
}

/// Tints rows `[y0, y1]` half-way towards `c` and outlines them.
fn band_rows(img: &mut RgbImage, y0: f32, y1: f32, c: Rgb<u8>) {
    let (w, h) = (img.width(), img.height());
    for y in (y0.max(0.0) as u32)..(y1.min(h as f32 - 1.0) as u32 + 1).min(h) {
        for x in 0..w {
            blend(img, x, y, c);
        }
    }
}

/// Tints columns `[x0, x1]` in a short strip across the cheeks.
fn band_cols(img: &mut RgbImage, x0: f32, x1: f32, c: Rgb<u8>) {
    let (w, h) = (img.width(), img.height());
    for x in (x0.max(0.0) as u32)..(x1.min(w as f32 - 1.0) as u32 + 1).min(w) {
        for y in (h * 2 / 5)..(h * 2 / 5 + 12).min(h) {
            blend(img, x, y, c);
        }
    }
}

fn blend(img: &mut RgbImage, x: u32, y: u32, c: Rgb<u8>) {
    let p = img.get_pixel_mut(x, y);
    for i in 0..3 {
        p.0[i] = ((u16::from(p.0[i]) * 3 + u16::from(c.0[i])) / 4) as u8;
    }
}
