//! The password policy: the Customer Configuration's minimum length and required character
//! classes (Adobe Commerce's rule, which operators may relax to 0 classes), the rules that always
//! hold (no leading or trailing space, not the account's email, a bounded length), and a
//! guessability check: zxcvbn's estimate, fed with the words a guesser would try first for this
//! account (the email's local part and the store's names), must reach the configured strength.
//! Messages are Adobe Commerce's where it has one, and in its style where it does not.

use clientele_configuration::{ResolvedConfig, keys};
use clientele_kernel::{Error, Result};

/// Longest password accepted, to bound hashing work.
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// The answer to a password that is too easy to guess.
pub const TOO_GUESSABLE: &str = "The password is too easy to guess: avoid common passwords and words from your email address or the store's name. Create a new password and try again.";

/// What a new password must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordRules {
    /// Fewest characters.
    pub min_length: usize,
    /// Fewest character classes (lower case, upper case, digits, others), 0 to 4.
    pub required_classes: usize,
    /// Lowest zxcvbn score (0 to 4) accepted; 0 turns the guessability check off.
    pub min_strength: u8,
}

impl PasswordRules {
    /// The rules the Customer Configuration's password options set in `config`, with Adobe
    /// Commerce's defaults where one is unset.
    pub fn configured(config: &ResolvedConfig) -> Self {
        use keys::customer::{
            PASSWORD_MINIMUM_PASSWORD_LENGTH, PASSWORD_MINIMUM_PASSWORD_STRENGTH,
            PASSWORD_REQUIRED_CHARACTER_CLASSES_NUMBER,
        };
        let read = |key, fallback: usize| {
            config
                .number(key)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(fallback)
        };
        Self {
            min_length: read(PASSWORD_MINIMUM_PASSWORD_LENGTH, 8),
            required_classes: read(PASSWORD_REQUIRED_CHARACTER_CLASSES_NUMBER, 3),
            min_strength: read(PASSWORD_MINIMUM_PASSWORD_STRENGTH, 3).min(4) as u8,
        }
    }
}

/// What a guesser knows of the account: its email and the names of the store it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct PasswordContext<'a> {
    /// The account's email address.
    pub email: &'a str,
    /// Store, store view or website names (or a product name, for staff accounts).
    pub names: &'a [&'a str],
}

/// Checks a new `password` for the account of `context` under `rules`; `field` names the input
/// in the error.
pub fn check_password(
    field: &str,
    password: &str,
    rules: &PasswordRules,
    context: &PasswordContext<'_>,
) -> Result<()> {
    let length = password.chars().count();
    if length < rules.min_length {
        return Err(Error::invalid(
            field,
            format!(
                "The password needs at least {} characters. Create a new password and try again.",
                rules.min_length
            ),
        ));
    }
    if length > MAX_PASSWORD_LENGTH {
        return Err(Error::invalid(
            field,
            format!("Please enter a password with at most {MAX_PASSWORD_LENGTH} characters."),
        ));
    }
    if password.trim() != password {
        return Err(Error::invalid(
            field,
            "The password can't begin or end with a space. Verify the password and try again.",
        ));
    }
    if character_classes(password) < rules.required_classes {
        return Err(Error::invalid(
            field,
            format!(
                "Minimum of different classes of characters in password is {}. Classes of characters: Lower Case, Upper Case, Digits, Special Characters.",
                rules.required_classes
            ),
        ));
    }
    if password.eq_ignore_ascii_case(context.email.trim()) {
        return Err(Error::invalid(
            field,
            "The password can't be the same as the email address. Create a new password and try again.",
        ));
    }
    if rules.min_strength > 0 && strength(password, context) < rules.min_strength {
        return Err(Error::invalid(field, TOO_GUESSABLE));
    }
    Ok(())
}

fn character_classes(password: &str) -> usize {
    [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|present| **present)
    .count()
}

/// Characters zxcvbn looks at: its matching grows faster than the length, and a password longer
/// than this is strong by length alone.
const SCORED_CHARACTERS: usize = 100;

/// zxcvbn's score of `password` (0 to 4) for a guesser who also tries the context's words.
fn strength(password: &str, context: &PasswordContext<'_>) -> u8 {
    if password.chars().count() > SCORED_CHARACTERS {
        return 4;
    }
    let words = context_words(context);
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    u8::from(zxcvbn::zxcvbn(password, &inputs).score())
}

/// The words a guesser would build a password from: the email's local part whole, its pieces
/// and its pieces run together, and the same of each name.
fn context_words(context: &PasswordContext<'_>) -> Vec<String> {
    let local_part = context
        .email
        .trim()
        .rsplit_once('@')
        .map_or(context.email.trim(), |(local, _)| local);
    let mut words = Vec::new();
    for source in std::iter::once(local_part).chain(context.names.iter().copied()) {
        let source = source.trim().to_lowercase();
        let pieces: Vec<&str> = source
            .split(|c: char| !c.is_alphanumeric())
            .filter(|piece| piece.chars().count() >= 3)
            .collect();
        words.push(pieces.concat());
        words.extend(pieces.iter().map(|piece| (*piece).to_owned()));
        words.push(source.clone());
    }
    words.retain(|word| !word.is_empty());
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PasswordRules = PasswordRules {
        min_length: 8,
        required_classes: 3,
        min_strength: 3,
    };

    fn check(password: &str) -> Result<()> {
        let context = PasswordContext {
            email: "Ann.Lee@Example.com",
            names: &["Sunshine Outfitters"],
        };
        check_password("password", password, &RULES, &context)
    }

    fn message(result: Result<()>) -> String {
        result.expect_err("refused").to_string()
    }

    #[test]
    fn the_default_policy_needs_eight_characters_of_three_classes() {
        assert!(check("Quartz-Ladle-87").is_ok());
        assert!(check("Abc1").is_err());
        assert!(
            message(check("quartzladle871"))
                .starts_with("Minimum of different classes of characters in password is 3.")
        );
        assert!(check(" Quartz-Ladle-87").is_err());
        let same = PasswordContext {
            email: "ann@example.com1",
            names: &[],
        };
        let relaxed = PasswordRules {
            required_classes: 0,
            min_strength: 0,
            ..RULES
        };
        assert!(check_password("p", "Ann@Example.COM1", &relaxed, &same).is_err());
    }

    #[test]
    fn common_and_context_passwords_are_too_easy_to_guess() {
        for weak in [
            "Password123!",
            "Qwerty123!",
            "Welcome2026!",
            "AnnLee2026!",
            "Ann.Lee.1990",
            "Outfitters2026!",
            "SunshineOutfitters!1",
        ] {
            assert!(
                message(check(weak)).starts_with("The password is too easy to guess"),
                "{weak}"
            );
        }
    }

    #[test]
    fn the_strength_check_can_be_turned_off() {
        let off = PasswordRules {
            min_strength: 0,
            ..RULES
        };
        let context = PasswordContext {
            email: "ann@example.com",
            names: &[],
        };
        assert!(check_password("password", "Password123!", &off, &context).is_ok());
    }

    #[test]
    fn context_words_cover_pieces_and_their_run() {
        let words = context_words(&PasswordContext {
            email: "ann.lee@example.com",
            names: &["Main Website"],
        });
        for expected in [
            "ann",
            "lee",
            "annlee",
            "ann.lee",
            "main",
            "website",
            "mainwebsite",
        ] {
            assert!(words.iter().any(|w| w == expected), "{expected}: {words:?}");
        }
    }
}
