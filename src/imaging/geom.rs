//! Small geometry types shared by the stages: points, rectangles and the similarity transform
//! that maps output-photo pixels back into the camera frame.

use serde::Serialize;

/// A point in some pixel space; the variable name says which (`eye_in_frame`, `eye_in_crop`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Point {
    /// Column, pixels from the left edge.
    pub x: f32,
    /// Row, pixels from the top edge.
    pub y: f32,
}

impl Point {
    /// A point at `(x, y)`.
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    /// The point halfway to `other`.
    pub fn midpoint(self, other: Point) -> Point {
        Point::new(0.5 * (self.x + other.x), 0.5 * (self.y + other.y))
    }

    /// Euclidean distance to `other`.
    pub fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    /// The point `t` of the way from here to `other` (0: here, 1: there).
    pub fn lerp_towards(self, other: Point, t: f32) -> Point {
        Point::new(self.x + t * (other.x - self.x), self.y + t * (other.y - self.y))
    }

    /// Whether this point lies inside the closed polygon `corners` (even–odd rule).
    pub fn is_inside(self, corners: &[Point]) -> bool {
        let mut inside = false;
        for (i, a) in corners.iter().enumerate() {
            let b = corners[(i + 1) % corners.len()];
            if (a.y > self.y) != (b.y > self.y) && self.x < a.x + (self.y - a.y) / (b.y - a.y) * (b.x - a.x) {
                inside = !inside;
            }
        }
        inside
    }
}

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// The centre point.
    pub fn centre(&self) -> Point {
        Point::new(self.x + 0.5 * self.width, self.y + 0.5 * self.height)
    }

    /// Intersection over union with `other`, for non-maximum suppression.
    pub fn iou(&self, other: &Rect) -> f32 {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = (self.x + self.width).min(other.x + other.width);
        let y1 = (self.y + self.height).min(other.y + other.height);
        let inter = (x1 - x0).max(0.0) * (y1 - y0).max(0.0);
        let union = self.width * self.height + other.width * other.height - inter;
        if union > 0.0 { inter / union } else { 0.0 }
    }
}

/// Maps a destination pixel to a source pixel: `src = origin + R(angle) · (dst − anchor) / scale`.
///
/// `scale` is destination pixels per source pixel, so `scale > 1` means upscaling. Used for the
/// final crop (photo → frame) and for the model crops (model input → frame).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Similarity {
    /// Destination pixels per source pixel.
    pub scale: f32,
    /// Rotation of the destination axes in the source, radians, clockwise on screen (y down).
    pub angle_rad: f32,
    /// The destination point that lands on `origin_in_src`.
    pub anchor_in_dst: Point,
    /// The source point under `anchor_in_dst`.
    pub origin_in_src: Point,
}

impl Similarity {
    /// Letterboxing: the whole `src_size` image scaled to fit `dst_size` with its aspect kept,
    /// centred (the model inputs: detector, segmentation, matting).
    pub fn letterbox((src_w, src_h): (u32, u32), (dst_w, dst_h): (u32, u32)) -> Similarity {
        let (sw, sh, dw, dh) = (src_w as f32, src_h as f32, dst_w as f32, dst_h as f32);
        Similarity {
            scale: (dw / sw).min(dh / sh),
            angle_rad: 0.0,
            anchor_in_dst: Point::new(dw / 2.0, dh / 2.0),
            origin_in_src: Point::new(sw / 2.0, sh / 2.0),
        }
    }

    /// Where destination pixel `p` comes from in the source.
    pub fn dst_to_src(&self, p: Point) -> Point {
        let (sin, cos) = self.angle_rad.sin_cos();
        let dx = (p.x - self.anchor_in_dst.x) / self.scale;
        let dy = (p.y - self.anchor_in_dst.y) / self.scale;
        Point::new(self.origin_in_src.x + cos * dx - sin * dy, self.origin_in_src.y + sin * dx + cos * dy)
    }

    /// The same map as an affine `[a, b, c, d, e, f]`: `src = (a·x + b·y + c, d·x + e·y + f)`,
    /// for loops over many pixels (no trigonometry per pixel).
    pub fn dst_to_src_affine(&self) -> [f32; 6] {
        let (sin, cos) = self.angle_rad.sin_cos();
        let (a, b, d, e) = (cos / self.scale, -sin / self.scale, sin / self.scale, cos / self.scale);
        let (ax, ay) = (self.anchor_in_dst.x, self.anchor_in_dst.y);
        [a, b, self.origin_in_src.x - a * ax - b * ay, d, e, self.origin_in_src.y - d * ax - e * ay]
    }

    /// Where source point `p` lands in the destination.
    pub fn src_to_dst(&self, p: Point) -> Point {
        let (sin, cos) = self.angle_rad.sin_cos();
        let dx = p.x - self.origin_in_src.x;
        let dy = p.y - self.origin_in_src.y;
        Point::new(
            self.anchor_in_dst.x + self.scale * (cos * dx + sin * dy),
            self.anchor_in_dst.y + self.scale * (-sin * dx + cos * dy),
        )
    }

    /// The four corners of a `width × height` destination, in source pixels (clockwise from top-left).
    pub fn dst_corners_in_src(&self, width: f32, height: f32) -> [Point; 4] {
        [
            self.dst_to_src(Point::new(0.0, 0.0)),
            self.dst_to_src(Point::new(width, 0.0)),
            self.dst_to_src(Point::new(width, height)),
            self.dst_to_src(Point::new(0.0, height)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_inside_a_polygon_by_the_even_odd_rule() {
        // A chevron (concave): its notch is outside.
        let chevron = [
            Point::new(0.0, 0.0),
            Point::new(10.0, 0.0),
            Point::new(10.0, 10.0),
            Point::new(5.0, 4.0),
            Point::new(0.0, 10.0),
        ];
        assert!(Point::new(5.0, 2.0).is_inside(&chevron));
        assert!(Point::new(1.0, 8.0).is_inside(&chevron));
        assert!(!Point::new(5.0, 8.0).is_inside(&chevron));
        assert!(!Point::new(-1.0, 5.0).is_inside(&chevron));
        assert!(!Point::new(5.0, 5.0).is_inside(&[]));
        assert_eq!(Point::new(0.0, 0.0).lerp_towards(Point::new(10.0, 20.0), 0.25), Point::new(2.5, 5.0));
    }

    #[test]
    fn similarity_round_trips() {
        let t = Similarity {
            scale: 0.5,
            angle_rad: 0.2,
            anchor_in_dst: Point::new(240.0, 250.0),
            origin_in_src: Point::new(900.0, 400.0),
        };
        let p = Point::new(13.0, 600.0);
        let back = t.src_to_dst(t.dst_to_src(p));
        assert!((back.x - p.x).abs() < 1e-3 && (back.y - p.y).abs() < 1e-3, "{back:?}");
        assert_eq!(t.dst_to_src(t.anchor_in_dst), t.origin_in_src);
        let [a, b, c, d, e, f] = t.dst_to_src_affine();
        let via_affine = Point::new(a * p.x + b * p.y + c, d * p.x + e * p.y + f);
        let direct = t.dst_to_src(p);
        assert!((via_affine.x - direct.x).abs() < 1e-3 && (via_affine.y - direct.y).abs() < 1e-3);
    }

    #[test]
    fn similarity_scale_is_destination_per_source() {
        let t =
            Similarity { scale: 2.0, angle_rad: 0.0, anchor_in_dst: Point::default(), origin_in_src: Point::default() };
        assert_eq!(t.dst_to_src(Point::new(10.0, 4.0)), Point::new(5.0, 2.0));
    }

    #[test]
    fn letterbox_fits_the_long_side_and_centres() {
        let t = Similarity::letterbox((1920, 1080), (128, 128));
        assert!((t.scale - 128.0 / 1920.0).abs() < 1e-6);
        let top_left = t.src_to_dst(Point::new(0.0, 0.0));
        assert!(top_left.x.abs() < 1e-3 && (top_left.y - 28.0).abs() < 1e-3, "{top_left:?}");
    }

    #[test]
    fn iou_of_half_overlap() {
        let a = Rect { x: 0.0, y: 0.0, width: 2.0, height: 1.0 };
        let b = Rect { x: 1.0, y: 0.0, width: 2.0, height: 1.0 };
        assert!((a.iou(&b) - 1.0 / 3.0).abs() < 1e-6);
    }
}
