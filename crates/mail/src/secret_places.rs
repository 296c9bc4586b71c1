//! Where a one-time secret may stand in a rendered email body: in text (a comment counts as
//! text), or as the whole value of a quoted `href` attribute. Nowhere else: not inside another
//! address (which would hand the secret to that site), not in an attribute that mail clients load
//! by themselves (`src`, `background`), not in a style or script.
//!
//! The scan is a small HTML tokenizer, enough for the structure that decides this (tags, quoted
//! and unquoted attribute values, comments, raw-text elements); it never has to understand the
//! rest of the document.

/// Whether every occurrence of `marker` in `html` stands in an allowed place.
pub(crate) fn stands_only_where_allowed(html: &str, marker: &str) -> bool {
    html.match_indices(marker)
        .all(|(at, _)| allowed_at(html, at, marker.len()))
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
    /// Inside a quoted attribute value that started at `value_start`.
    Quoted {
        attribute: String,
        quote: char,
        value_start: usize,
    },
}

fn allowed_at(html: &str, at: usize, len: usize) -> bool {
    match place_at(html, at) {
        Place::Text => true,
        Place::RawText | Place::Tag => false,
        Place::Quoted {
            attribute,
            quote,
            value_start,
        } => attribute == "href" && value_start == at && html[at + len..].starts_with(quote),
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
                    let name: String = rest[1..]
                        .chars()
                        .take_while(|n| n.is_ascii_alphanumeric() || *n == '/')
                        .collect();
                    tag_name = name.to_ascii_lowercase();
                    attribute.clear();
                    after_equals = false;
                    place = Place::Tag;
                    i += 1 + name.len();
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
        stands_only_where_allowed(&html.replace("M", M), M)
    }

    #[test]
    fn text_comments_and_whole_href_values_are_allowed() {
        assert!(ok("M"));
        assert!(ok("<p>Use M</p>"));
        assert!(ok("<a href=\"M\">M</a>"));
        assert!(ok("<a class='x' HREF='M'>go</a>"));
        assert!(ok("<!-- <a href=\"x?M\"> --><p>M</p>"));
        assert!(ok("<style>p{}</style><p>M</p>"));
        assert!(ok("<p title=\"a > b\">M</p>"));
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
    }
}
