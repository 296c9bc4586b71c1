//! The password policy of the Customer Configuration (minimum length, required character classes)
//! plus the rules that always hold: no leading or trailing space, not the account's email.
//! Messages are Adobe Commerce's, which storefronts show as they are.

use clientele_kernel::{Error, Result};

/// Longest password accepted, to bound hashing work.
pub const MAX_PASSWORD_LENGTH: usize = 256;

/// Checks `password` for the account with `email` under the configured policy.
pub fn check_password(
    field: &str,
    password: &str,
    email: &str,
    min_length: usize,
    required_classes: usize,
) -> Result<()> {
    let length = password.chars().count();
    if length < min_length {
        return Err(Error::invalid(
            field,
            format!(
                "The password needs at least {min_length} characters. Create a new password and try again."
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
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|present| **present)
    .count();
    if classes < required_classes {
        return Err(Error::invalid(
            field,
            format!(
                "Minimum of different classes of characters in password is {required_classes}. Classes of characters: Lower Case, Upper Case, Digits, Special Characters."
            ),
        ));
    }
    if password.eq_ignore_ascii_case(email.trim()) {
        return Err(Error::invalid(
            field,
            "The password can't be the same as the email address. Create a new password and try again.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str) -> Result<()> {
        check_password("password", password, "Ann@Example.com", 8, 3)
    }

    #[test]
    fn the_default_policy_needs_eight_characters_of_three_classes() {
        assert!(check("Abcdefg1").is_ok());
        assert!(check("Abc1").is_err());
        let err = check("abcdefgh1").expect_err("two classes");
        assert!(
            err.to_string()
                .starts_with("Minimum of different classes of characters in password is 3.")
        );
        assert!(check(" Abcdefg1").is_err());
        assert!(check("ann@example.com").is_err());
        assert!(check_password("p", "Ann@Example.COM1", "ann@example.com1", 8, 0).is_err());
    }
}
