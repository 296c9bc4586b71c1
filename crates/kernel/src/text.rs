//! Text rules shared by every input: codes, names, and the characters no stored text may hold.

use crate::{Error, Result};

/// Checks a machine code (`base`, `main_website_store`): starts with a letter, then lowercase
/// letters, digits or underscores, at most `max_len` characters.
pub fn validate_code(field: &str, value: &str, max_len: usize) -> Result<()> {
    let mut chars = value.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !starts_with_letter || !rest_ok {
        return Err(Error::invalid(
            field,
            format!(
                "The {field} may contain only letters (a-z), numbers (0-9) or underscore (_), and the first character must be a letter."
            ),
        ));
    }
    if value.len() > max_len {
        return Err(Error::invalid(
            field,
            format!("The {field} must be at most {max_len} characters."),
        ));
    }
    Ok(())
}

/// Trims a display name and checks it is present, short enough and free of control characters.
pub fn clean_name(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, format!("\"{field}\" is required.")));
    }
    if trimmed.chars().count() > max_chars {
        return Err(Error::invalid(
            field,
            format!("\"{field}\" must be at most {max_chars} characters."),
        ));
    }
    reject_control_chars(field, trimmed)?;
    Ok(trimmed.to_owned())
}

/// Escapes `\`, `%` and `_` so user text matches literally in `LIKE … ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Escapes `&`, `<`, `>` and both quotes, so text stands as text in HTML content and in quoted
/// attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// Refuses NUL and other control characters, which no stored text may hold (PostgreSQL rejects NUL).
pub fn reject_control_chars(field: &str, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(
            field,
            format!("\"{field}\" contains characters that are not allowed."),
        ));
    }
    Ok(())
}

/// Normalises and checks an email address: trimmed, one `@` with a non-empty local part, a dotted
/// domain, no spaces or control characters, at most 254 characters. Unicode and quoted local parts
/// are accepted. Returns the address as entered (trimmed) and its lowercase lookup key.
pub fn normalize_email(field: &str, raw: &str) -> Result<(String, String)> {
    let email = raw.trim();
    let well_formed = email.len() <= 254
        && email.matches('@').count() == 1
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if !well_formed {
        return Err(Error::invalid(
            field,
            format!("\"{email}\" is not a valid email address."),
        ));
    }
    Ok((email.to_owned(), email.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_covers_content_and_attributes() {
        assert_eq!(
            escape_html("a \"b\" <c> & 'd'\n"),
            "a &quot;b&quot; &lt;c&gt; &amp; &#039;d&#039;\n"
        );
    }

    #[test]
    fn codes_start_with_a_letter_and_use_a_small_alphabet() {
        assert!(validate_code("code", "main_website_store", 32).is_ok());
        assert!(validate_code("code", "9lives", 32).is_err());
        assert!(validate_code("code", "Base", 32).is_err());
        assert!(validate_code("code", "a-b", 32).is_err());
        assert!(validate_code("code", "", 32).is_err());
        assert!(validate_code("code", &"a".repeat(33), 32).is_err());
    }

    #[test]
    fn emails_follow_the_storefront_cases() {
        for ok in [
            "jØrgenV2@somedomain.com",
            "“emailV2”@example.com",
            " Ann@Example.COM ",
        ] {
            assert!(normalize_email("email", ok).is_ok(), "{ok}");
        }
        for bad in [
            "plainaddress",
            "#@%^%#$@#$@#.com",
            "@example.com",
            "Joe Smith <email@example.com>",
            "email.example.com",
            "email@example@example.com",
            "email@example.com (Joe Smith)",
            "email@example",
            "a\u{0}b@example.com",
        ] {
            assert!(normalize_email("email", bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_email("email", " Ann@Example.COM ").expect("ok").1,
            "ann@example.com"
        );
    }

    #[test]
    fn names_are_trimmed_and_refuse_control_characters() {
        assert_eq!(clean_name("name", "  Main ", 10).expect("ok"), "Main");
        assert!(clean_name("name", "   ", 10).is_err());
        assert!(clean_name("name", "a\0b", 10).is_err());
        assert!(clean_name("name", "abcdefghijk", 10).is_err());
    }
}
