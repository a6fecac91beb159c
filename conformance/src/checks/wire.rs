//! The wire checks: every answer of the run, judged against the dialect's projection.
//! They run last, so they see every answer the other checks received.

use crate::context::Ctx;
use crate::judge::{Rule, Severity};
use crate::outcome::{Outcome, Step};

macro_rules! verdicts {
    ($($name:ident => $id:literal, $rule:ident, $severity:ident;)*) => {
        $(
            #[doc = concat!("The verdict on `", stringify!($rule), "` (", stringify!($severity), ").")]
            pub async fn $name(ctx: &Ctx) -> Step<Outcome> {
                Ok(ctx.answers.verdict(Rule::$rule, Severity::$severity))
            }
        )*

        /// Each wire check's id, rule and the severity it reports: the verdicts judged
        /// traffic gets too.
        pub const VERDICTS: &[(&str, Rule, Severity)] =
            &[$(($id, Rule::$rule, Severity::$severity)),*];
    };
}

verdicts! {
    syntax => "wire.syntax", Syntax, Fail;
    status => "wire.status", Status, Fail;
    content_type => "wire.content-type", ContentType, Fail;
    envelope => "wire.envelope", Envelope, Fail;
    types => "wire.types", Types, Fail;
    required => "wire.required", Required, Fail;
    enum_domain => "wire.enum-domain", EnumDomain, Fail;
    enum_unknown => "wire.enum-unknown", EnumDomain, Warn;
    range => "wire.range", Range, Fail;
    format => "wire.format", Format, Fail;
    escaping => "wire.escaping", Escaping, Fail;
    xml => "wire.xml", Xml, Fail;
}

#[cfg(test)]
mod tests {
    use super::VERDICTS;
    use crate::catalogue::CATALOGUE;

    #[test]
    fn every_wire_check_has_its_verdict() {
        let wire: Vec<&str> = CATALOGUE
            .iter()
            .map(|c| c.id)
            .filter(|id| id.starts_with("wire."))
            .collect();
        let verdicts: Vec<&str> = VERDICTS.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(wire, verdicts);
    }
}
