//! What each stored event type is called in Dutch, for what staff and citizens read (a history,
//! a subject-access export). One table; a test holds it complete.

/// The Dutch name of every stored event type.
pub const EVENT_LABELS_NL: &[(&str, &str)] = &[
    // Rule book and registry
    ("RuleParameterPublished", "Regelparameter gepubliceerd"),
    ("OrganisationLicensed", "Organisatie vergund"),
    (
        "OrganisationLicenceWithdrawn",
        "Vergunning van organisatie ingetrokken",
    ),
    // The person of a dossier
    ("PersonRegistered", "Dossier geopend voor de persoon"),
    ("BirthDateCorrected", "Geboortedatum verbeterd"),
    ("PersonNameRecorded", "Naam geregistreerd"),
    ("PersonDeceased", "Overlijden geregistreerd"),
    (
        "DossierVoided",
        "Dossier vernietigd (bij vergissing geopend)",
    ),
    (
        "DossierDataErased",
        "Persoonsgegevens van het dossier gewist",
    ),
    ("InszCorrected", "INSZ verbeterd"),
    (
        "LegalRepresentativeAssigned",
        "Wettelijk vertegenwoordiger geregistreerd",
    ),
    (
        "LegalRepresentativeEnded",
        "Wettelijke vertegenwoordiging beëindigd",
    ),
    ("BudgetHolderDesignated", "Budgethouder aangeduid"),
    ("BudgetAccountRegistered", "Budgetrekening geregistreerd"),
    ("BudgetAccountCorrected", "Budgetrekening verbeterd"),
    (
        "BudgetAccountProxyChanged",
        "Gevolmachtigde van de budgetrekening gewijzigd",
    ),
    ("PersonReachedMajority", "Meerderjarig geworden"),
    // Budgets
    ("PabApplicationSubmitted", "PAB aangevraagd"),
    ("PabGranted", "PAB toegekend"),
    (
        "BoValueVoucherIssued",
        "Waardebon bijstandsorganisatie uitgereikt",
    ),
    (
        "BoValueVoucherRedeemed",
        "Waardebon bijstandsorganisatie ingewisseld",
    ),
    (
        "BoValueVoucherExpired",
        "Waardebon bijstandsorganisatie vervallen",
    ),
    ("PvbMadeAvailable", "PVB ter beschikking gesteld"),
    ("AnnualBudgetAmountSet", "Jaarbudget vastgesteld"),
    (
        "HomeGuidanceDeregistrationAttested",
        "Attest van uitschrijving uit de thuisbegeleiding ontvangen",
    ),
    ("BudgetStarted", "Budget gestart"),
    (
        "BudgetAvailabilityLapsed",
        "Budget vervallen (niet tijdig gestart)",
    ),
    ("BudgetStopped", "Budget stopgezet"),
    (
        "PabConvertedToPvbNaJeugdhulp",
        "PAB omgezet naar PVB na jeugdhulp",
    ),
    (
        "VoluntarySwitchToZorgbudgetRecorded",
        "Overstap naar het zorgbudget geregistreerd",
    ),
    // Agreements
    ("AgreementRegistered", "Overeenkomst geregistreerd"),
    ("AgreementApproved", "Overeenkomst goedgekeurd"),
    ("AgreementRejected", "Overeenkomst afgewezen"),
    ("AgreementAmended", "Overeenkomst gewijzigd"),
    ("AgreementNoticeGiven", "Overeenkomst opgezegd"),
    ("AgreementTerminated", "Overeenkomst beëindigd"),
    ("AgreementVoided", "Overeenkomst vernietigd"),
    // PAB combinations and assistance organisations
    ("PabCombinationStarted", "Combinatie met PAB gestart"),
    ("PabCombinationChanged", "Combinatie met PAB gewijzigd"),
    ("PabCombinationEnded", "Combinatie met PAB beëindigd"),
    (
        "BoMembershipRecorded",
        "Lidmaatschap van een bijstandsorganisatie geregistreerd",
    ),
    (
        "BoAssistanceRecorded",
        "Bijstand door een bijstandsorganisatie geregistreerd",
    ),
    (
        "SuspectedMisuseReported",
        "Vermoeden van oneigenlijk gebruik gemeld",
    ),
    // Cost claims and money
    ("CostClaimSubmitted", "Kostenstaat ingediend"),
    ("CostLineAccepted", "Kostenlijn aanvaard"),
    ("CostLineRejected", "Kostenlijn geweigerd"),
    ("CostLineHeld", "Kostenlijn in behandeling gehouden"),
    (
        "CostLineDecidedByStaff",
        "Over kostenlijn beslist door een medewerker",
    ),
    (
        "CostLineDecisionOverridden",
        "Beslissing over kostenlijn herzien",
    ),
    ("CostClaimVoided", "Kostenstaat vernietigd"),
    (
        "CovidOverrunAllowanceGranted",
        "COVID-19-verhoging toegekend",
    ),
    (
        "CovidOverrunAllowanceRaised",
        "COVID-19-verhoging opgetrokken",
    ),
    ("CashPartDeclared", "Cashgedeelte aangegeven"),
    ("AdvancePaid", "Voorschot betaald"),
    ("PaymentOrdered", "Betaling bevolen"),
    ("PaymentExecuted", "Betaling uitgevoerd"),
    (
        "RecoveryOffset",
        "Terugvordering verrekend met een betaling",
    ),
    (
        "ExtraSeveranceAllowanceGranted",
        "Extra opzegvergoeding toegekend",
    ),
    ("BudgetYearClosed", "Budgetjaar afgesloten"),
    (
        "OverrunTopUpRequested",
        "Bijbetaling van een overschrijding gevraagd",
    ),
    ("RecoveryDecided", "Terugvordering beslist"),
    ("RecoveryRepaid", "Terugvordering terugbetaald"),
    ("RecoveryWrittenOff", "Terugvordering afgeboekt"),
    (
        "ProvisionalFinalSettlementIssued",
        "Voorlopige eindafrekening opgemaakt",
    ),
    (
        "FinalSettlementIssued",
        "Definitieve eindafrekening opgemaakt",
    ),
    // Controls and fraud
    ("ControlCaseOpened", "Controle geopend"),
    ("EvidenceRequested", "Bewijsstukken opgevraagd"),
    ("EvidenceReceived", "Bewijsstuk ontvangen"),
    ("InspectionVisitHeld", "Inspectiebezoek gebracht"),
    ("ControlConcluded", "Controle afgesloten"),
    ("FraudSuspicionReported", "Vermoeden van fraude gemeld"),
    ("ControlSampleDrawn", "Controlesteekproef getrokken"),
    // Person records and their indexes
    ("PersonIdentified", "Persoon geregistreerd"),
    ("PersonNameCorrected", "Naam verbeterd"),
    ("PersonContactRecorded", "Contactgegevens geregistreerd"),
    ("PersonInszCorrected", "INSZ verbeterd"),
    ("PersonDataErased", "Persoonsgegevens gewist"),
    (
        "PersonIndexKeyCreated",
        "Sleutel van de persoonsindex aangemaakt",
    ),
    ("PersonClaimed", "INSZ aan een dossier gekoppeld"),
    ("PersonClaimReleased", "INSZ van een dossier losgekoppeld"),
    ("PersonIndexed", "Persoon opgenomen in de index"),
    ("PersonUnindexed", "Persoon uit de index gehaald"),
    // Access and signals
    ("UserAdded", "Gebruiker toegevoegd"),
    ("TokenIssued", "Toegangstoken uitgereikt"),
    ("TokenRevoked", "Toegangstoken ingetrokken"),
    ("DataAccessed", "Gegevens ingekeken"),
    (
        "LogResealed",
        "Log versleuteld overgenomen uit een vorige log",
    ),
    ("RiskSignalDismissed", "Risicosignaal afgewezen"),
    ("RiskSignalEscalated", "Risicosignaal doorgezet"),
    // Four-eyes
    ("DecisionProposed", "Besluit voorgesteld"),
    (
        "ProposalConfirmed",
        "Voorstel bevestigd door een tweede collega",
    ),
    ("ProposalRefused", "Voorstel geweigerd"),
    ("ProposalWithdrawn", "Voorstel ingetrokken"),
    // Work queues
    ("WorkItemTaken", "Werkitem genomen"),
    ("WorkItemReleased", "Werkitem vrijgegeven"),
];

/// The Dutch name of `event_type`, or the stored name itself for a type without one.
pub fn event_label_nl(event_type: &str) -> &str {
    EVENT_LABELS_NL
        .iter()
        .find(|(stored, _)| *stored == event_type)
        .map_or(event_type, |(_, label)| label)
}

/// Who recorded an event, in Dutch, from the actor kind its metadata holds
/// (`Actor::kind_code`); an unknown kind reads as itself.
pub fn actor_kind_nl(kind: &str) -> &str {
    match kind {
        "staff" => "een medewerker van het VAPH",
        "admin" => "een beheerder van het VAPH",
        "investigator" => "een fraudeonderzoeker van het VAPH",
        "holder" => "de budgethouder of een vertegenwoordiger",
        "organisation" => "een organisatie",
        "system" => "het systeem (dagelijkse verwerking)",
        "migration" => "overname uit een vorig systeem",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::STREAM_KINDS;

    #[test]
    fn every_stored_event_type_has_a_dutch_name_and_every_name_an_event_type() {
        let stored: Vec<&str> = STREAM_KINDS
            .iter()
            .flat_map(|kind| (kind.schemas)())
            .map(|schema| schema.event_type)
            .collect();
        for event_type in &stored {
            assert!(
                EVENT_LABELS_NL.iter().any(|(t, _)| t == event_type),
                "{event_type} has no Dutch name"
            );
        }
        for (event_type, _) in EVENT_LABELS_NL {
            assert!(stored.contains(event_type), "{event_type} is not stored");
        }
        assert_eq!(event_label_nl("PabGranted"), "PAB toegekend");
    }

    #[test]
    fn every_actor_kind_has_a_dutch_name() {
        use crate::{Actor, UserId};
        let user = UserId::from_uuid(uuid::Uuid::nil());
        for actor in [
            Actor::Staff { user },
            Actor::Admin { user },
            Actor::Investigator { user },
            Actor::System,
            Actor::Migration,
        ] {
            assert_ne!(actor_kind_nl(actor.kind_code()), actor.kind_code());
        }
    }
}
