//! Who a scanned code (camera QR, barcode scanner, or a number typed by hand) names.

use crate::code::{CodeError, CodeMeaning, interpret};
use crate::profile::CodeRule;
use crate::store::{Store, StoreError, Student};

/// Why a scanned code names nobody (said in `i18n/errors.rs`).
#[derive(Debug)]
pub enum IdentifyError {
    /// The code itself means nothing.
    Code(CodeError),
    /// The store refused or failed.
    Store(StoreError),
}

impl From<StoreError> for IdentifyError {
    fn from(e: StoreError) -> IdentifyError {
        IdentifyError::Store(e)
    }
}

/// What a code tells about the student in front of the camera.
#[derive(Clone, Debug, PartialEq)]
pub enum Identity {
    /// The student is known.
    Student(Student),
    /// A CHSI code not bound yet: find the student by number or name and confirm the last 4
    /// ID digits once ([`Store::bind_chsi_code`]).
    Unbound {
        /// The code as scanned.
        code: String,
    },
}

/// Reads `payload`: a student number typed or scanned from a barcode, one of our capture cards
/// (the profile's `card_pattern`), or a CHSI code bound earlier.
pub fn identify(store: &Store, payload: &str, rule: &CodeRule) -> Result<Identity, IdentifyError> {
    let payload = payload.trim();
    if let Ok(student) = store.student(payload) {
        return Ok(Identity::Student(student));
    }
    match interpret(payload, rule).map_err(IdentifyError::Code)? {
        CodeMeaning::Card { student_no, .. } => Ok(store.student(&student_no).map(Identity::Student)?),
        CodeMeaning::Chsi { code } => match store.student_for_code(&code)? {
            Some(student) => Ok(Identity::Student(student)),
            // A short plain number is a student number typed or scanned from a barcode, not a
            // CHSI code (those are long and carry other characters): say it is not on the roster.
            None if looks_like_student_no(&code) => Err(StoreError::NoStudent(code).into()),
            None => Ok(Identity::Unbound { code }),
        },
    }
}

fn looks_like_student_no(text: &str) -> bool {
    text.len() <= 20 && text.chars().all(|c| c.is_ascii_alphanumeric())
}
