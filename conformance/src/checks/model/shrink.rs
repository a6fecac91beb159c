//! The last shrinking pass over proptest's minimal failing case.

use proptest_state_machine::ReferenceStateMachine;

use super::state::Model;
use super::steps::Op;
use super::Failure;

/// Whether the model allows `ops` from `start`.
fn acceptable(start: &Model, ops: &[Op]) -> bool {
    let mut state = start.clone();
    for op in ops {
        if !<Model as ReferenceStateMachine>::preconditions(&state, op) {
            return false;
        }
        state = <Model as ReferenceStateMachine>::apply(state, op);
    }
    true
}

/// Start states one file or one empty folder smaller.
fn smaller_starts(start: &Model) -> Vec<Model> {
    let mut out = Vec::new();
    for (u, side) in start.sides.iter().enumerate() {
        for i in 0..side.trash.len() {
            let mut smaller = start.clone();
            smaller.sides[u].trash.remove(i);
            out.push(smaller);
        }
        for at in side.folders() {
            let dir = side.root.at(&at).expect("listed");
            for i in 0..dir.files.len() {
                let mut smaller = start.clone();
                if let Some(d) = smaller.sides[u].root.at_mut(&at) {
                    d.files.remove(i);
                }
                out.push(smaller);
            }
            if let (true, Some((parent, title))) = (dir.is_empty(), at.split()) {
                let mut smaller = start.clone();
                if let Some(p) = smaller.sides[u].root.at_mut(&parent) {
                    p.dirs.remove(title);
                }
                out.push(smaller);
            }
        }
    }
    out
}

/// Runs a case again (start, steps).
type Rerun<'a> = dyn FnMut(&Model, &[Op]) -> Result<(), Failure> + 'a;

/// The most re-runs the final shrinking pass makes.
const POLISH_RUNS: usize = 96;

/// A last shrinking pass over proptest's minimal case, which deletes steps only once, from
/// the back, before it simplifies the rest: cuts the steps after the failing one, then tries
/// again to delete each step and to take a file or an empty folder from the start, until
/// nothing more goes (or the budget is spent).
pub(super) fn polish(
    run: &mut Rerun<'_>,
    mut start: Model,
    mut ops: Vec<Op>,
    mut reason: String,
) -> (Model, Vec<Op>, String) {
    let mut budget = POLISH_RUNS;
    let mut attempt = |start: &Model, ops: &[Op], budget: &mut usize| -> Option<Failure> {
        if *budget == 0 || !acceptable(start, ops) {
            return None;
        }
        *budget -= 1;
        run(start, ops).err()
    };
    match attempt(&start, &ops, &mut budget) {
        Some((ran, why)) => {
            ops.truncate(ran.max(1));
            reason = why;
        }
        // It did not fail again: keep what proptest found.
        None => return (start, ops, reason),
    }
    loop {
        let mut progress = false;
        for i in (0..ops.len()).rev() {
            if ops.len() == 1 || i >= ops.len() {
                continue;
            }
            let mut fewer = ops.clone();
            fewer.remove(i);
            if let Some((ran, why)) = attempt(&start, &fewer, &mut budget) {
                fewer.truncate(ran.max(1));
                (ops, reason, progress) = (fewer, why, true);
            }
        }
        for smaller in smaller_starts(&start) {
            if let Some((ran, why)) = attempt(&smaller, &ops, &mut budget) {
                ops.truncate(ran.max(1));
                (start, reason, progress) = (smaller, why, true);
                break;
            }
        }
        if !progress || budget == 0 {
            return (start, ops, reason);
        }
    }
}
