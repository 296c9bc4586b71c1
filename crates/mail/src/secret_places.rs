//! Where a one-time secret may stand in a rendered email body: in text, or (the link only) as
//! the whole quoted `href` of an `<a>` or `<area>`. Nowhere else: not inside another address
//! (which would hand the secret to that site), not in an attribute that mail clients load by
//! themselves (`src`, `background`), not in a comment (Outlook renders conditional comments).
//!
//! A body that carries a secret may not contain the markup whose reading differs between
//! clients or that sends requests by itself: styles, scripts, comments, `<base>`, `<meta>`,
//! `<link>`, frames, objects, forms, SVG or MathML ([`has_forbidden_markup`]). What is left is
//! plain enough for the small tokenizer below (tags, quoted and unquoted attribute values) to read
//! as mail clients do.

/// Markup a body with a secret may not contain.
const FORBIDDEN: &[&str] = &[
    "<!--",
    "<style",
    "<script",
    "<base",
    "<meta",
    "<link",
    "<iframe",
    "<frame",
    "<object",
    "<embed",
    "<form",
    "<svg",
    "<math",
    "<template",
    "<noscript",
    "<xml",
];

/// Whether `html` contains markup that a body carrying a secret may not.
pub(crate) fn has_forbidden_markup(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    FORBIDDEN.iter().any(|tag| lower.contains(tag))
}

/// Whether every occurrence of `marker` in `html` stands in an allowed place: in text, or, when
/// `may_be_link` (the marker is the link's), as the whole `href` of an `<a>` or `<area>`.
pub(crate) fn stands_only_where_allowed(html: &str, marker: &str, may_be_link: bool) -> bool {
    html.match_indices(marker)
        .all(|(at, _)| allowed_at(html, at, marker.len(), may_be_link))
}

/// The tokenizer's state just before a position.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// Text between tags, or a comment.
    Text,
    /// Inside a `<script>` or `<style>` element's content.
    RawText,
    /// Inside a tag, outside any quoted value.
    Tag,
    /// Inside a quoted attribute value of `tag` that started at `value_start`.
    Quoted {
        tag: String,
        attribute: String,
        quote: char,
        value_start: usize,
    },
}

fn allowed_at(html: &str, at: usize, len: usize, may_be_link: bool) -> bool {
    match place_at(html, at) {
        Place::Text => true,
        Place::RawText | Place::Tag => false,
        Place::Quoted {
            tag,
            attribute,
            quote,
            value_start,
        } => {
            may_be_link
                && (tag == "a" || tag == "area")
                && attribute == "href"
                && value_start == at
                && html[at + len..].starts_with(quote)
        }
    }
}

/// Scans `html` up to byte `end` and tells where that position stands.
fn place_at(html: &str, end: usize) -> Place {
    let text = &html[..end];
    let mut i = 0;
    let mut place = Place::Text;
    let mut raw_end_tag: Option<String> = None;
    // The tag and attribute being read.
    let mut tag_name = String::new();
    let mut attribute = String::new();
    let mut after_equals = false;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        match &place {
            Place::Text => {
                if rest.starts_with("<!--") {
                    match rest.find("-->") {
                        Some(close) => i += close + 3,
                        None => return Place::Text,
                    }
                    continue;
                }
                if c == '<' && rest[1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/')
                {
                    let closing = rest[1..].starts_with('/');
                    let name: String = rest[1 + usize::from(closing)..]
                        .chars()
                        .take_while(|n| n.is_ascii_alphanumeric())
                        .collect();
                    i += 1 + usize::from(closing) + name.len();
                    tag_name = if closing {
                        format!("/{}", name.to_ascii_lowercase())
                    } else {
                        name.to_ascii_lowercase()
                    };
                    attribute.clear();
                    after_equals = false;
                    place = Place::Tag;
                    continue;
                }
            }
            Place::RawText => {
                let closing = raw_end_tag.as_deref().unwrap_or("");
                if rest.len() >= closing.len()
                    && rest.is_char_boundary(closing.len())
                    && rest[..closing.len()].eq_ignore_ascii_case(closing)
                {
                    tag_name = closing[1..].to_owned();
                    i += closing.len();
                    raw_end_tag = None;
                    place = Place::Tag;
                    continue;
                }
            }
            Place::Tag => {
                if c == '>' {
                    place = if tag_name == "script" || tag_name == "style" {
                        raw_end_tag = Some(format!("</{tag_name}"));
                        Place::RawText
                    } else {
                        Place::Text
                    };
                } else if c == '=' {
                    after_equals = true;
                } else if after_equals && (c == '"' || c == '\'') {
                    place = Place::Quoted {
                        tag: tag_name.clone(),
                        attribute: std::mem::take(&mut attribute),
                        quote: c,
                        value_start: i + 1,
                    };
                    after_equals = false;
                } else if c.is_whitespace() || c == '/' {
                    if !after_equals {
                        attribute.clear();
                    }
                } else if after_equals {
                    // An unquoted value: read to its end, as a place where nothing may stand.
                    after_equals = false;
                    let value_len = rest
                        .find(|v: char| v.is_whitespace() || v == '>')
                        .unwrap_or(rest.len());
                    if i + value_len >= text.len() {
                        return Place::Tag;
                    }
                    attribute.clear();
                    i += value_len;
                    continue;
                } else {
                    attribute.push(c.to_ascii_lowercase());
                }
            }
            Place::Quoted { quote, .. } => {
                if c == *quote {
                    place = Place::Tag;
                }
            }
        }
        i += c.len_utf8();
    }
    place
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: &str = "\u{E000}m\u{E001}";

    fn ok(html: &str) -> bool {
        let html = html.replace("M", M);
        !has_forbidden_markup(&html) && stands_only_where_allowed(&html, M, true)
    }

    #[test]
    fn text_and_whole_link_hrefs_are_allowed() {
        assert!(ok("M"));
        assert!(ok("<p>Use M</p>"));
        assert!(ok("<a href=\"M\">M</a>"));
        assert!(ok("<A class='x' HREF='M'>go</A>"));
        assert!(ok("<map><area href=\"M\"></map>"));
        assert!(ok("<p title=\"a > b\">M</p>"));
        // Tokens and keys stand in text only.
        let html = "<a href=\"M\">x</a>".replace('M', M);
        assert!(!stands_only_where_allowed(&html, M, false));
    }

    #[test]
    fn other_places_are_refused() {
        assert!(!ok("<a href=\"https://e.test/?M\">x</a>"));
        assert!(!ok("<a href=\"M#x\">x</a>"));
        assert!(!ok("<img src=\"M\">"));
        assert!(!ok("<a href=M>x</a>"));
        assert!(!ok("<a data-href=\"M\">x</a>"));
        assert!(!ok("<td background=\"M\">"));
        assert!(!ok("<style>a{background:url(M)}</style>"));
        assert!(!ok("<SCRIPT>M</SCRIPT>"));
        assert!(!ok("<p>M</p><a href=\"https://e.test/M\">"));
        assert!(!ok("<a M>x</a>"));
        assert!(!ok("<link rel=\"stylesheet\" href=\"M\">"));
        assert!(!ok("<img/src=\"M\">"));
        // Markup that clients read differently, or that fetches by itself, is refused outright.
        assert!(!ok("<style/>a{background:url(https://e.test/?M)}</style>"));
        assert!(!ok("<style></stylex>url(https://e.test/?M)</style>"));
        assert!(!ok("<!-- --!><img src=\"https://e.test/?M\"> -->"));
        assert!(!ok(
            "<!--[if mso]><img src=\"https://e.test/?M\"><![endif]-->"
        ));
        assert!(!ok("<base href=\"https://e.test/\"><a href=\"M\">x</a>"));
        assert!(!ok("<p>M</p><!-- note -->"));
    }
}
