//! The demo camera: for each student of the demo roster, the capture card they hold up to the
//! camera (a QR code our code rule reads), then their portrait. Pressing N (next) steps
//! through them, as the next person stepping in front of a real camera would.

use image::{Rgb, RgbImage};

use crate::code::{card_payload, qr_image};
use crate::imaging::decode_photo;
use crate::roster::demo_roster;

/// Public-domain portraits compiled into the binary (see assets/demo/README.md), in the demo
/// roster's order.
const PORTRAITS: [(&str, &[u8]); 2] = [
    ("grace_hopper.jpg", include_bytes!("../../assets/demo/grace_hopper.jpg")),
    ("astronaut.png", include_bytes!("../../assets/demo/astronaut.png")),
];

/// A capture card held up in front of a grey wall: the QR code of `payload`, large enough to
/// read at a glance.
pub fn card_frame(payload: &str) -> RgbImage {
    let mut frame = RgbImage::from_pixel(800, 600, Rgb([128, 132, 136]));
    if let Ok(qr) = qr_image(payload, 9) {
        let (x, y) = ((800 - i64::from(qr.width())) / 2, (600 - i64::from(qr.height())) / 2);
        // The card: a white margin round the code.
        let card = RgbImage::from_pixel(qr.width() + 60, qr.height() + 60, Rgb([245, 245, 245]));
        image::imageops::overlay(&mut frame, &card, x - 30, y - 30);
        image::imageops::overlay(&mut frame, &qr, x, y);
    }
    frame
}

/// The demo camera's frames: card, portrait, card, portrait.
pub fn demo_frames() -> Vec<(String, RgbImage)> {
    let roster = demo_roster();
    let mut frames = Vec::new();
    for (student, (label, bytes)) in roster.records.iter().zip(PORTRAITS) {
        let payload = card_payload(&student.student_no, &student.name);
        frames.push((format!("card {} {}", student.student_no, student.name), card_frame(&payload)));
        if let Ok(photo) = decode_photo(bytes) {
            frames.push((label.to_owned(), photo.image));
        }
    }
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_frames_alternate_readable_cards_and_portraits() {
        let frames = demo_frames();
        assert_eq!(frames.len(), 4, "two cards and two portraits");
        let roster = demo_roster();
        for (i, student) in roster.records.iter().enumerate() {
            let found = crate::code::single_code(&frames[2 * i].1).expect("the card reads");
            assert_eq!(found.text, card_payload(&student.student_no, &student.name));
            assert!(crate::code::decode_image(&frames[2 * i + 1].1).is_empty(), "no code in a portrait");
        }
    }
}
