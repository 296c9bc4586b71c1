//! Adobe Commerce's public ids: `uid` is the base64 of the decimal numeric id (group 0 → `MA==`).

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Encodes a numeric id as a uid.
pub(crate) fn encode_uid(id: i32) -> ID {
    ID(STANDARD.encode(id.to_string()))
}

/// Decodes a uid back to its numeric id.
#[allow(dead_code)]
pub(crate) fn decode_uid(uid: &str) -> Option<i32> {
    let bytes = STANDARD.decode(uid).ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_base64_of_the_decimal_id() {
        assert_eq!(encode_uid(0).0, "MA==");
        assert_eq!(encode_uid(1).0, "MQ==");
        assert_eq!(decode_uid("MTIz"), Some(123));
        assert_eq!(decode_uid("not base64!"), None);
    }
}
