//! The answers' shapes against the committed reference shapes.

use crate::context::Ctx;
use crate::outcome::{Outcome, Step};
use crate::shapes;

pub async fn match_reference(ctx: &Ctx) -> Step<Outcome> {
    let mut problems = Vec::new();
    for format in ctx.target.dialect.formats {
        let Some(expected) = shapes::reference(ctx.target.dialect.name, *format) else {
            continue;
        };
        let actual = shapes::scenario(ctx, *format).await?;
        problems.extend(shapes::differences(expected, &actual));
    }
    Ok(if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::fail(problems.join("\n"), Vec::new())
    })
}
