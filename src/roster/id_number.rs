//! Resident identity card numbers (GB 11643-1999): 6-digit region, 8-digit birth date,
//! 3-digit sequence, and a check character (ISO 7064 MOD 11-2) that catches any single wrong
//! digit and any swap of two neighbours. Also the mask shown everywhere but to an admin.

/// Weights of the 17 body digits (2^(17−i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0–10.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why an ID number is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 18 characters.
    Length(usize),
    /// A non-digit among the first 17, or a last character other than a digit or X.
    Character(char),
    /// The birth date is not a date.
    BirthDate(String),
    /// The check character does not match.
    Check {
        /// In the number.
        found: char,
        /// Computed.
        expected: char,
    },
}

/// Checks an 18-character ID number; returns it normalized (upper-case X).
pub fn validate(raw: &str) -> Result<String, IdNumberError> {
    let number: String = raw.trim().to_uppercase();
    let chars: Vec<char> = number.chars().collect();
    if chars.len() != 18 {
        return Err(IdNumberError::Length(chars.len()));
    }
    if let Some(&c) = chars[..17].iter().find(|c| !c.is_ascii_digit()) {
        return Err(IdNumberError::Character(c));
    }
    if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
        return Err(IdNumberError::Character(chars[17]));
    }
    let digit = |i: usize| chars[i].to_digit(10).unwrap_or(0);
    let birth: String = chars[6..14].iter().collect();
    let (year, month, day) = (
        (6..10).fold(0, |n, i| n * 10 + digit(i)),
        (10..12).fold(0, |n, i| n * 10 + digit(i)),
        (12..14).fold(0, |n, i| n * 10 + digit(i)),
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if !(1900..=2100).contains(&year) || day == 0 || day > days_in_month {
        return Err(IdNumberError::BirthDate(birth));
    }
    let sum: u32 = WEIGHTS.iter().enumerate().map(|(i, w)| w * digit(i)).sum();
    let expected = CHECK[(sum % 11) as usize];
    if chars[17] != expected {
        return Err(IdNumberError::Check { found: chars[17], expected });
    }
    Ok(number)
}

/// The number as shown to everyone but an admin: the first 3 and last 4 characters.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_example_passes_and_every_single_error_is_caught() {
        // The example number of GB 11643-1999, Annex A.
        assert_eq!(validate("11010519491231002x"), Ok("11010519491231002X".into()));
        let good = "11010519491231002X";
        for i in 0..17 {
            let mut chars: Vec<char> = good.chars().collect();
            chars[i] = if chars[i] == '9' { '8' } else { '9' };
            let bad: String = chars.iter().collect();
            assert!(validate(&bad).is_err(), "{bad} passed");
        }
        assert!(matches!(validate("11010519491231002"), Err(IdNumberError::Length(17))));
        assert!(matches!(validate("11010519491331002X"), Err(IdNumberError::BirthDate(_))));
        assert!(matches!(validate("1101051949123100AX"), Err(IdNumberError::Character('A'))));
    }

    #[test]
    fn mask_keeps_three_and_four() {
        assert_eq!(mask("11010519491231002X"), "110***********002X");
    }
}
