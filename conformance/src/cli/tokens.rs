//! Where the tokens come from: `--token`/`--token2` first, then `--token-file`, then
//! `FILEOPS_TOKEN`/`FILEOPS_TOKEN2`. Empty values count as unset, as CI leaves a secret a
//! fork cannot read.

use std::path::Path;

/// The tokens a run uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    /// The first user's.
    pub token: Option<String>,
    /// The second user's (isolation checks).
    pub token2: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

/// The tokens from the flags, the token file and the environment (`env` reads a variable).
pub fn resolve(
    flags: Tokens,
    file: Option<&Path>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Tokens, String> {
    let from_file = match file {
        Some(path) => read_file(path)?,
        None => Tokens::default(),
    };
    Ok(Tokens {
        token: non_empty(flags.token)
            .or(from_file.token)
            .or_else(|| non_empty(env("FILEOPS_TOKEN"))),
        token2: non_empty(flags.token2)
            .or(from_file.token2)
            .or_else(|| non_empty(env("FILEOPS_TOKEN2"))),
    })
}

/// A token file: its first non-empty line is the token, an optional second the second user's.
pub fn read_file(path: &Path) -> Result<Tokens, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
    let tokens = parse(&text);
    if tokens.token.is_none() {
        return Err(format!(
            "the token file {} holds no token: its first non-empty line is the token, an \
             optional second one the second user's",
            path.display()
        ));
    }
    Ok(tokens)
}

fn parse(text: &str) -> Tokens {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    Tokens {
        token: lines.next().map(str::to_owned),
        token2: lines.next().map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, resolve, Tokens};

    fn tokens(token: Option<&str>, token2: Option<&str>) -> Tokens {
        Tokens {
            token: token.map(str::to_owned),
            token2: token2.map(str::to_owned),
        }
    }

    #[test]
    fn a_token_file_holds_one_or_two_tokens() {
        assert_eq!(
            parse("\n  abc \r\n\r\n def\n"),
            tokens(Some("abc"), Some("def"))
        );
        assert_eq!(parse("abc"), tokens(Some("abc"), None));
        assert_eq!(parse(" \n\t\n"), tokens(None, None));
    }

    #[test]
    fn flags_win_over_the_environment_and_empty_values_are_unset() {
        let env = |name: &str| match name {
            "FILEOPS_TOKEN" => Some("from-env".to_owned()),
            "FILEOPS_TOKEN2" => Some(String::new()),
            _ => None,
        };
        let got = resolve(tokens(Some("flag"), None), None, env);
        assert_eq!(got, Ok(tokens(Some("flag"), None)));
        let got = resolve(tokens(Some(""), None), None, env);
        assert_eq!(got, Ok(tokens(Some("from-env"), None)));
    }
}
