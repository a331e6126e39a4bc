//! Synthetic data for the demo history and the benchmarks: a seeded pseudo-random stream and
//! valid INSZ numbers. Both are deterministic, so a run can be repeated exactly.

use chrono::{Datelike, NaiveDate};
use domain::Insz;

/// A linear congruential generator: reproducible and without a dependency; not for secrets.
#[derive(Debug, Clone)]
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A valid INSZ for a birth date and a serial number `1..=999` (check digits with the 2000+
/// rule for births from 2000).
///
/// # Panics
/// When `serial` is outside `1..=999`.
pub fn insz(birth: NaiveDate, serial: u32) -> Insz {
    assert!(
        (1..=999).contains(&serial),
        "INSZ serial {serial} out of range"
    );
    let base = format!(
        "{:02}{:02}{:02}{serial:03}",
        birth.year() % 100,
        birth.month(),
        birth.day(),
    );
    let number: u64 = base.parse().expect("nine digits");
    let number = if birth.year() >= 2000 {
        2_000_000_000 + number
    } else {
        number
    };
    let check = 97 - number % 97;
    Insz::parse(&format!("{base}{check:02}")).expect("a generated INSZ is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_carry_the_birth_date_and_valid_check_digits() {
        for (birth, serial) in [
            (NaiveDate::from_ymd_opt(1985, 7, 30).unwrap(), 1),
            (NaiveDate::from_ymd_opt(2012, 5, 17).unwrap(), 999),
        ] {
            let insz = insz(birth, serial);
            assert_eq!(insz.birth_date(), Some(birth));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let (mut a, mut b) = (Lcg(7), Lcg(7));
        let first: Vec<u64> = (0..5).map(|_| a.below(100)).collect();
        assert_eq!(first, (0..5).map(|_| b.below(100)).collect::<Vec<_>>());
        assert!(first.iter().all(|n| *n < 100));
    }
}
