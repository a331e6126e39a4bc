//! Value types parsed at the edge: a value that exists is valid ("parse, don't validate").

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a text could not become a value type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("an INSZ has 11 digits")]
    InszLength,
    #[error("the check digits of the INSZ do not match")]
    InszCheckDigits,
    #[error("an IBAN starts with a country code and two check digits and has 15 to 34 characters")]
    IbanFormat,
    #[error("a Belgian IBAN has 16 characters, this one has {0}")]
    IbanBelgianLength(usize),
    #[error("the check digits of the IBAN do not match")]
    IbanCheckDigits,
    #[error("{0:?} is not an amount in euro")]
    EuroFormat(String),
    #[error("an amount in euro has at most two decimals (cents): {0}")]
    EuroTooPrecise(Decimal),
    #[error("{0:?} is not a UUID")]
    Id(String),
    #[error("an ondernemingsnummer has 10 digits and starts with 0 or 1")]
    EnterpriseNumberFormat,
    #[error("the check digits of the ondernemingsnummer do not match")]
    EnterpriseNumberCheckDigits,
}

impl ParseError {
    /// The same, in Dutch, for a staff member (the `Display` text is English).
    pub fn message_nl(&self) -> String {
        match self {
            Self::InszLength => "Een rijksregisternummer (INSZ) heeft 11 cijfers.".into(),
            Self::InszCheckDigits => {
                "De controlecijfers van het rijksregisternummer (INSZ) kloppen niet.".into()
            }
            Self::IbanFormat => {
                "Een IBAN begint met een landcode en twee controlecijfers en telt 15 tot 34 tekens."
                    .into()
            }
            Self::IbanBelgianLength(n) => {
                format!("Een Belgisch IBAN telt 16 tekens, dit telt er {n}.")
            }
            Self::IbanCheckDigits => "De controlecijfers van het IBAN kloppen niet.".into(),
            Self::EuroFormat(text) => format!("{text:?} is geen bedrag in euro."),
            Self::EuroTooPrecise(amount) => {
                format!("Een bedrag in euro heeft ten hoogste twee decimalen (centen): {amount}.")
            }
            Self::Id(text) => format!("{text:?} is geen geldige identificatie (UUID)."),
            Self::EnterpriseNumberFormat => {
                "Een ondernemingsnummer telt 10 cijfers en begint met 0 of 1.".into()
            }
            Self::EnterpriseNumberCheckDigits => {
                "De controlecijfers van het ondernemingsnummer kloppen niet.".into()
            }
        }
    }
}

/// Age of majority in Belgian civil law (art. 388 oud BW): not a VAPH parameter, so not in the
/// rule book.
pub const AGE_OF_MAJORITY: u32 = 18;

/// A Belgian rijksregisternummer or INSZ (identificatienummer van de sociale zekerheid).
///
/// Eleven digits: `YYMMDD`, a serial number of three digits and two check digits
/// (97 − the first nine digits mod 97; for persons born from 2000 on, a `2` is put before the
/// nine digits). For bis numbers the month is raised by 20 or 40.
///
/// `Debug` and `Display` never show the number: an INSZ must not reach logs. The full number is
/// only available through [`Insz::expose_digits`] and in serialised events.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Insz {
    digits: String,
    born_from_2000: bool,
}

impl Insz {
    /// Parses 11 digits; dots, dashes and spaces are ignored.
    ///
    /// # Errors
    /// When there are not exactly 11 digits or the check digits are wrong for both centuries.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, '.' | '-' | ' '))
            .collect();
        if digits.len() != 11 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(ParseError::InszLength);
        }
        let base: u64 = digits[..9].parse().map_err(|_| ParseError::InszLength)?;
        let check: u64 = digits[9..].parse().map_err(|_| ParseError::InszLength)?;
        let born_from_2000 = if 97 - (2_000_000_000 + base) % 97 == check {
            true
        } else if 97 - base % 97 == check {
            false
        } else {
            return Err(ParseError::InszCheckDigits);
        };
        Ok(Self {
            digits,
            born_from_2000,
        })
    }

    /// The birth date encoded in the number, when it is complete (bis numbers and numbers with
    /// an unknown day or month give `None`).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let year: i32 = self.digits[0..2].parse().ok()?;
        let month: u32 = self.digits[2..4].parse().ok()?;
        let day: u32 = self.digits[4..6].parse().ok()?;
        let century = if self.born_from_2000 { 2000 } else { 1900 };
        let month = match month {
            20..=32 => month - 20,
            40..=52 => month - 40,
            other => other,
        };
        NaiveDate::from_ymd_opt(century + year, month, day)
    }

    /// The eleven digits. Named so that every use is visible in review: never log this.
    pub fn expose_digits(&self) -> &str {
        &self.digits
    }

    fn masked(&self) -> String {
        format!("**.**.**-***.{}", &self.digits[9..])
    }
}

impl fmt::Debug for Insz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Insz({})", self.masked())
    }
}

impl fmt::Display for Insz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for Insz {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Insz> for String {
    fn from(value: Insz) -> Self {
        value.digits
    }
}

impl JsonSchema for Insz {
    fn schema_name() -> Cow<'static, str> {
        "Insz".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{11}$",
            "description": "INSZ / rijksregisternummer: 11 digits with valid mod-97 check digits."
        })
    }
}

/// A Belgian ondernemingsnummer (KBO enterprise number): ten digits, the first 0 or 1, the last two
/// 97 − (the first eight mod 97). Dots, spaces and a leading `BE` are ignored.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnterpriseNumber(String);

impl EnterpriseNumber {
    /// # Errors
    /// When there are not ten digits starting with 0 or 1, or the check digits are wrong.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let text = text.trim();
        let text = text
            .strip_prefix("BE")
            .or_else(|| text.strip_prefix("be"))
            .unwrap_or(text);
        let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        if digits.len() != 10
            || !digits.chars().all(|c| c.is_ascii_digit())
            || !matches!(digits.as_bytes()[0], b'0' | b'1')
        {
            return Err(ParseError::EnterpriseNumberFormat);
        }
        let base: u64 = digits[..8]
            .parse()
            .map_err(|_| ParseError::EnterpriseNumberFormat)?;
        let check: u64 = digits[8..]
            .parse()
            .map_err(|_| ParseError::EnterpriseNumberFormat)?;
        if 97 - base % 97 != check {
            return Err(ParseError::EnterpriseNumberCheckDigits);
        }
        Ok(Self(digits))
    }

    /// The ten digits.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EnterpriseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EnterpriseNumber({self})")
    }
}

/// As the KBO prints it: `0123.456.749`.
impl fmt::Display for EnterpriseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", &self.0[..4], &self.0[4..7], &self.0[7..])
    }
}

impl TryFrom<String> for EnterpriseNumber {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EnterpriseNumber> for String {
    fn from(value: EnterpriseNumber) -> Self {
        value.0
    }
}

impl JsonSchema for EnterpriseNumber {
    fn schema_name() -> Cow<'static, str> {
        "EnterpriseNumber".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[01][0-9]{9}$",
            "description": "Ondernemingsnummer (KBO): 10 digits starting with 0 or 1, mod-97 checked."
        })
    }
}

/// An IBAN: normalised (no spaces, upper case), mod-97 checked; a Belgian IBAN has 16 characters.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

impl Iban {
    const BELGIAN_LENGTH: usize = 16;

    /// # Errors
    /// When the format, the Belgian length or the check digits are wrong.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let iban: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let well_formed = (15..=34).contains(&iban.len())
            && iban.chars().all(|c| c.is_ascii_alphanumeric())
            && iban[..2].chars().all(|c| c.is_ascii_alphabetic())
            && iban[2..4].chars().all(|c| c.is_ascii_digit());
        if !well_formed {
            return Err(ParseError::IbanFormat);
        }
        if iban.starts_with("BE") && iban.len() != Self::BELGIAN_LENGTH {
            return Err(ParseError::IbanBelgianLength(iban.len()));
        }
        let rearranged = iban[4..].chars().chain(iban[..4].chars());
        let remainder = rearranged.fold(0u32, |acc, c| {
            let value = c.to_digit(36).unwrap_or(0);
            if value >= 10 {
                (acc * 100 + value) % 97
            } else {
                (acc * 10 + value) % 97
            }
        });
        if remainder != 1 {
            return Err(ParseError::IbanCheckDigits);
        }
        Ok(Self(iban))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iban({self})")
    }
}

/// Groups of four, as printed on a bank card: `BE68 5390 0754 7034`.
impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = self
            .0
            .as_bytes()
            .chunks(4)
            .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
            .collect();
        f.write_str(&groups.join(" "))
    }
}

impl TryFrom<String> for Iban {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Iban> for String {
    fn from(value: Iban) -> Self {
        value.0
    }
}

impl JsonSchema for Iban {
    fn schema_name() -> Cow<'static, str> {
        "Iban".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$",
            "description": "IBAN, normalised without spaces; mod-97 checked; 16 characters for BE."
        })
    }
}

/// An amount in euro, exact to the cent. Never a float.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Euro(Decimal);

impl Euro {
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// Parses `1234.56` (a decimal point, at most two decimals).
    ///
    /// # Errors
    /// When the text is not a number or has more than two decimals.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let amount: Decimal = text
            .trim()
            .parse()
            .map_err(|_| ParseError::EuroFormat(text.to_owned()))?;
        Self::exact(amount)
    }

    /// An amount that already is in whole cents.
    ///
    /// # Errors
    /// When the amount has more than two decimals.
    pub fn exact(amount: Decimal) -> Result<Self, ParseError> {
        if amount.normalize().scale() > 2 {
            return Err(ParseError::EuroTooPrecise(amount));
        }
        Ok(Self(amount))
    }

    /// The result of a computation, rounded to the cent, half away from zero: the one rounding
    /// rule of the regulation, applied where a rule computes an amount.
    pub fn rounded(amount: Decimal) -> Self {
        Self(amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// `€ 1.234,56`, as shown to staff (nl-BE).
    pub fn to_dutch(self) -> String {
        let cents = self.0.round_dp(2);
        let negative = cents.is_sign_negative() && !cents.is_zero();
        let text = format!("{:.2}", cents.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        format!("€ {}{grouped},{fraction}", if negative { "-" } else { "" })
    }
}

impl Euro {
    /// `self × factor`, rounded to the cent half away from zero: for a rule that computes an
    /// amount (a percentage, a fraction of a budget).
    pub fn times(self, factor: Decimal) -> Self {
        Self::rounded(self.0 * factor)
    }

    /// `self × percent / 100`, rounded to the cent.
    pub fn percent(self, percent: Decimal) -> Self {
        Self::rounded(self.0 * percent / Decimal::ONE_HUNDRED)
    }

    /// `self × numerator / denominator`, rounded to the cent (zero for a zero denominator).
    pub fn fraction(self, numerator: u32, denominator: u32) -> Self {
        if denominator == 0 {
            return Self::ZERO;
        }
        Self::rounded(self.0 * Decimal::from(numerator) / Decimal::from(denominator))
    }

    /// The larger of the amount and zero.
    #[must_use]
    pub fn at_least_zero(self) -> Self {
        self.max(Self::ZERO)
    }

    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }
}

/// Sums and differences of amounts in whole cents stay in whole cents: no rounding involved.
impl std::ops::Add for Euro {
    type Output = Self;
    fn add(self, other: Self) -> Self {
        Self(self.0 + other.0)
    }
}

impl std::ops::AddAssign for Euro {
    fn add_assign(&mut self, other: Self) {
        self.0 += other.0;
    }
}

impl std::ops::Sub for Euro {
    type Output = Self;
    fn sub(self, other: Self) -> Self {
        Self(self.0 - other.0)
    }
}

impl std::ops::SubAssign for Euro {
    fn sub_assign(&mut self, other: Self) {
        self.0 -= other.0;
    }
}

impl std::ops::Neg for Euro {
    type Output = Self;
    fn neg(self) -> Self {
        Self(-self.0)
    }
}

impl std::iter::Sum for Euro {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Euro {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EUR {:.2}", self.0)
    }
}

impl TryFrom<Decimal> for Euro {
    type Error = ParseError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::exact(value)
    }
}

impl From<Euro> for Decimal {
    fn from(value: Euro) -> Self {
        value.0
    }
}

impl JsonSchema for Euro {
    fn schema_name() -> Cow<'static, str> {
        "Euro".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,2})?$",
            "description": "Amount in euro as a decimal string, at most two decimals."
        })
    }
}

/// What every id type is: a UUID with a name of its own.
pub trait EntityId: Copy {
    fn of(id: Uuid) -> Self;
    fn uuid(&self) -> Uuid;
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// A UUID (v7) generated outside the domain and passed in commands.
        // The nil UUID (the default) is "not given": the server makes the id of what a command
        // creates (`DossierCommand::fill_created_id`).
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            JsonSchema,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl EntityId for $name {
            fn of(id: Uuid) -> Self {
                Self(id)
            }

            fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// # Errors
            /// When the text is not a UUID.
            pub fn parse(text: &str) -> Result<Self, ParseError> {
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|_| ParseError::Id(text.to_owned()))
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// One dossier: one person with a disability and everything about their budgets.
    DossierId
);
id_type!(
    /// A natural person: the person with a disability, a representative, a worker.
    PersonId
);
id_type!(
    /// A budget (PAB or PVB) within a dossier.
    BudgetId
);
id_type!(
    /// An agreement (overeenkomst) registered for spending a budget.
    AgreementId
);
id_type!(
    /// An organisation: a bijstandsorganisatie (BO), a vergunde zorgaanbieder (VZA), an MFC, ...
    OrganisationId
);
id_type!(
    /// A combination of the PAB with other care (combinatieformulier).
    CombinationId
);
id_type!(
    /// A waardebon "verkennend gesprek met een bijstandsorganisatie".
    VoucherId
);
id_type!(
    /// A staff member or administrator of VAPH.
    UserId
);
id_type!(
    /// A bearer token of a user (its secret is never stored, only its SHA-256).
    TokenId
);

id_type!(
    /// A report of suspected misuse or fraud.
    ReportId
);

id_type!(
    /// A cost claim (kostenstaat).
    ClaimId
);
id_type!(
    /// A payment order.
    PaymentId
);
id_type!(
    /// A recovery decision (terugvordering).
    RecoveryId
);
id_type!(
    /// A control case in a dossier.
    ControlId
);
id_type!(
    /// A random control sample drawn in the controls stream.
    SampleId
);
id_type!(
    /// A weighty decision proposed by one person, waiting for a second (four-eyes).
    ProposalId
);

/// A date as shown to staff: `31/12/2020`.
pub fn dutch_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// The day a person born on `birth_date` reaches `years` of age. For 29 February the birthday
/// falls on 28 February in other years (chrono clamps to the month end) [U: to be confirmed].
pub fn birthday(birth_date: NaiveDate, years: u32) -> NaiveDate {
    birth_date
        .checked_add_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MAX)
}

/// Age in completed years on `on`.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> u32 {
    if on < birth_date {
        return 0;
    }
    let mut age = u32::try_from(on.year() - birth_date.year()).unwrap_or(0);
    if birthday(birth_date, age) > on {
        age = age.saturating_sub(1);
    }
    age
}

/// Adds calendar months (clamped to the month end), for deadlines such as "within 3 months".
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_enterprise_number_is_ten_digits_with_mod_97_check_digits() {
        // 04031707 mod 97 = 96, 97 - 96 = 01.
        let number = EnterpriseNumber::parse("BE 0403.170.701").unwrap();
        assert_eq!(number.digits(), "0403170701");
        assert_eq!(number.to_string(), "0403.170.701");
        assert_eq!(
            EnterpriseNumber::parse("0403.170.702"),
            Err(ParseError::EnterpriseNumberCheckDigits)
        );
        assert_eq!(
            EnterpriseNumber::parse("2403170701"),
            Err(ParseError::EnterpriseNumberFormat)
        );
        assert_eq!(
            EnterpriseNumber::parse("040317070"),
            Err(ParseError::EnterpriseNumberFormat)
        );
    }

    #[test]
    fn insz_before_2000_parses_and_gives_the_birth_date() {
        // 85.07.30-033.28: 850730033 mod 97 = 69, 97 - 69 = 28.
        let insz = Insz::parse("85.07.30-033.28").unwrap();
        assert_eq!(insz.birth_date(), Some(date(1985, 7, 30)));
        assert_eq!(insz.expose_digits(), "85073003328");
    }

    #[test]
    fn insz_from_2000_uses_the_leading_two() {
        let base = 170_512_001u64;
        let check = 97 - (2_000_000_000 + base) % 97;
        let insz = Insz::parse(&format!("{base:09}{check:02}")).unwrap();
        assert_eq!(insz.birth_date(), Some(date(2017, 5, 12)));
    }

    #[test]
    fn insz_with_wrong_check_digits_or_length_is_refused() {
        assert_eq!(Insz::parse("85073003327"), Err(ParseError::InszCheckDigits));
        assert_eq!(Insz::parse("8507300332"), Err(ParseError::InszLength));
        assert_eq!(Insz::parse("85O73003328"), Err(ParseError::InszLength));
    }

    #[test]
    fn insz_bis_number_has_no_derivable_birth_date_when_day_unknown() {
        let base = 852_000_001u64; // month 20 + 0: unknown month
        let check = 97 - base % 97;
        let insz = Insz::parse(&format!("{base:09}{check:02}")).unwrap();
        assert_eq!(insz.birth_date(), None);
    }

    #[test]
    fn insz_never_shows_the_full_number_in_debug_or_display() {
        let insz = Insz::parse("85073003328").unwrap();
        for shown in [format!("{insz:?}"), format!("{insz}")] {
            assert!(!shown.contains("850730"), "{shown}");
            assert!(shown.ends_with("28") || shown.ends_with("28)"), "{shown}");
        }
    }

    #[test]
    fn insz_round_trips_through_json_in_full() {
        let insz = Insz::parse("85073003328").unwrap();
        let json = serde_json::to_string(&insz).unwrap();
        assert_eq!(json, "\"85073003328\"");
        assert_eq!(serde_json::from_str::<Insz>(&json).unwrap(), insz);
        assert!(serde_json::from_str::<Insz>("\"85073003327\"").is_err());
    }

    #[test]
    fn iban_is_normalised_and_checked() {
        let iban = Iban::parse("be68 5390 0754 7034").unwrap();
        assert_eq!(iban.as_str(), "BE68539007547034");
        assert_eq!(iban.to_string(), "BE68 5390 0754 7034");
        assert_eq!(
            Iban::parse("BE69539007547034"),
            Err(ParseError::IbanCheckDigits)
        );
        assert_eq!(
            Iban::parse("BE6853900754703"),
            Err(ParseError::IbanBelgianLength(15))
        );
        assert!(Iban::parse("NL91ABNA0417164300").is_ok());
        assert_eq!(Iban::parse("1234"), Err(ParseError::IbanFormat));
    }

    #[test]
    fn a_rule_computing_a_share_rounds_to_the_cent_half_away_from_zero() {
        let e = |t: &str| Euro::parse(t).unwrap();
        // 5/12 of 10 000.10 = 4 166.7083…; 1/4 of 0.02 = 0.005; 25.5 % of 30 000.02 = 7 650.0051.
        assert_eq!(e("10000.10").fraction(5, 12), e("4166.71"));
        assert_eq!(e("0.02").fraction(1, 4), e("0.01"));
        assert_eq!(e("-0.02").fraction(1, 4), e("-0.01"));
        assert_eq!(e("30000.02").percent(dec!(25.5)), e("7650.01"));
        assert_eq!(e("0.10").percent(dec!(5)), e("0.01"));
        assert_eq!(e("1.00").fraction(1, 0), Euro::ZERO);
        assert_eq!(e("2500.00") + e("-1000.00"), e("1500.00"));
        assert_eq!([e("0.10"), e("0.20")].into_iter().sum::<Euro>(), e("0.30"));
        assert_eq!((e("1.00") - e("3.00")).at_least_zero(), Euro::ZERO);
    }

    #[test]
    fn euro_rounds_half_away_from_zero_and_prints_in_dutch() {
        assert_eq!(Euro::rounded(dec!(0.125)).amount(), dec!(0.13));
        assert_eq!(Euro::rounded(dec!(-0.125)).amount(), dec!(-0.13));
        assert_eq!(Euro::rounded(dec!(0.124)).amount(), dec!(0.12));
        assert_eq!(Euro::parse("1234.56").unwrap().to_dutch(), "€ 1.234,56");
        assert_eq!(Euro::parse("1234567").unwrap().to_dutch(), "€ 1.234.567,00");
        assert_eq!(Euro::parse("0.5").unwrap().to_dutch(), "€ 0,50");
        assert_eq!(Euro::parse("-12.5").unwrap().to_dutch(), "€ -12,50");
        assert!(matches!(
            Euro::parse("1.005"),
            Err(ParseError::EuroTooPrecise(_))
        ));
        assert!(Euro::parse("abc").is_err());
    }

    #[test]
    fn dates_are_shown_day_first() {
        assert_eq!(dutch_date(date(2020, 12, 31)), "31/12/2020");
    }

    #[test]
    fn age_changes_on_the_birthday_not_the_day_before() {
        let born = date(2002, 6, 30);
        assert_eq!(age_on(born, date(2020, 6, 29)), 17);
        assert_eq!(age_on(born, date(2020, 6, 30)), 18);
        assert_eq!(age_on(born, date(2020, 7, 1)), 18);
        assert_eq!(birthday(date(2004, 2, 29), 18), date(2022, 2, 28));
    }
}
