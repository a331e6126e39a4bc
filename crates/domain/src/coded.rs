//! Enums whose variants carry a stable code.
//!
//! A code is stored in events, sent on the wire and written in read-model columns, so it must be
//! one string per variant, written once. [`coded_enum!`] puts it beside the variant: the same
//! literal becomes the serde name and the result of `code()`, and `ALL` lists the variants.

/// Declares an enum with a stable code per variant: `Variant = "code"`.
///
/// Generates `#[serde(rename = "code")]` on each variant, `const fn code(self) -> &'static str`
/// and `const ALL: &[Self]` (declaration order). The caller writes the derives, which must
/// include `Clone, Copy, Serialize, Deserialize`.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable code: the serialised name, as stored in events.
            pub const fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }
        }
    };
}

pub(crate) use coded_enum;

#[cfg(test)]
mod tests {
    use crate::dossier::{
        AgreementKind, ControlKind, CostCategory, CostNature, LateExceptionReason, LineReason,
        PaymentForm, Severity, StopReason,
    };
    use crate::rule_book::Parameter;
    use serde::{Serialize, de::DeserializeOwned};

    fn code_is_the_serialised_name<T>(all: &[T], code: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned,
    {
        for &variant in all {
            let json = serde_json::to_value(variant).unwrap();
            assert_eq!(json, serde_json::Value::from(code(variant)), "{variant:?}");
            assert_eq!(serde_json::from_value::<T>(json).unwrap(), variant);
        }
    }

    #[test]
    fn every_code_is_the_name_stored_in_events() {
        code_is_the_serialised_name(StopReason::ALL, StopReason::code);
        code_is_the_serialised_name(PaymentForm::ALL, PaymentForm::code);
        code_is_the_serialised_name(AgreementKind::ALL, AgreementKind::code);
        code_is_the_serialised_name(CostCategory::ALL, CostCategory::code);
        code_is_the_serialised_name(CostNature::ALL, CostNature::code);
        code_is_the_serialised_name(LateExceptionReason::ALL, LateExceptionReason::code);
        code_is_the_serialised_name(ControlKind::ALL, ControlKind::code);
        code_is_the_serialised_name(Severity::ALL, Severity::code);
        code_is_the_serialised_name(LineReason::ALL, LineReason::code);
        code_is_the_serialised_name(Parameter::ALL, Parameter::code);
        // Spot checks against names in stored events, which must never change.
        assert_eq!(
            LineReason::PabOtherCostsOver5Pct.code(),
            "PAB_OTHER_COSTS_OVER_5PCT"
        );
        assert_eq!(CostCategory::FreePart.code(), "free_part");
        assert_eq!(
            Parameter::PabStartDeadlineMonths.code(),
            "pab.start_deadline_months"
        );
    }
}
