//! The wire checks: every answer of the run, judged against the dialect's projection.
//! They run last, so they see every answer the other checks received.

use crate::context::Ctx;
use crate::judge::{Rule, Severity};
use crate::outcome::{Outcome, Step};

macro_rules! verdicts {
    ($($name:ident => $rule:ident, $severity:ident;)*) => {$(
        #[doc = concat!("The verdict on `", stringify!($rule), "` (", stringify!($severity), ").")]
        pub async fn $name(ctx: &Ctx) -> Step<Outcome> {
            Ok(ctx.answers.verdict(Rule::$rule, Severity::$severity))
        }
    )*};
}

verdicts! {
    syntax => Syntax, Fail;
    status => Status, Fail;
    content_type => ContentType, Fail;
    envelope => Envelope, Fail;
    types => Types, Fail;
    required => Required, Fail;
    enum_domain => EnumDomain, Fail;
    enum_unknown => EnumDomain, Warn;
    range => Range, Fail;
    format => Format, Fail;
    escaping => Escaping, Fail;
    xml => Xml, Fail;
}
