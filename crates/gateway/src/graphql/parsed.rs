//! Parsed documents by query text. Storefronts send the same few queries over and over (a client
//! library's queries are fixed strings), and parsing costs more than copying a parsed document.
//! Only queries that passed the document checks are kept, never mutations (whose text may carry
//! passwords), and the texts kept are bounded in number and in bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{ExecutableDocument, OperationType};

/// Most documents kept.
const CAPACITY: usize = 512;
/// Most bytes of query text kept (a parsed document takes some tens of times its text).
const BUDGET: usize = 256 * 1024;
/// Longer query texts are parsed every time (real clients' queries are far shorter).
const LONGEST: usize = 4 * 1024;

#[derive(Default)]
struct Kept {
    documents: HashMap<String, Arc<ExecutableDocument>>,
    bytes: usize,
}

/// The parsed documents of the queries seen most recently.
#[derive(Default)]
pub(crate) struct ParsedDocuments {
    kept: Mutex<Kept>,
}

impl ParsedDocuments {
    /// The parsed document of `query`, if it was kept.
    pub(crate) fn get(&self, query: &str) -> Option<ExecutableDocument> {
        let found = {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.documents.get(query).cloned()
        };
        found.map(|doc| ExecutableDocument::clone(&doc))
    }

    /// Keeps the parsed document of `query`, a document that passed the checks; when the
    /// bounds are reached, the cache starts over.
    pub(crate) fn keep(&self, query: &str, document: &ExecutableDocument) {
        let mutates = document
            .operations
            .iter()
            .any(|(_, op)| op.node.ty != OperationType::Query);
        if mutates || query.len() > LONGEST {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.documents.len() >= CAPACITY || kept.bytes + query.len() > BUDGET {
            *kept = Kept::default();
        }
        kept.bytes += query.len();
        kept.documents
            .insert(query.to_owned(), Arc::new(document.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).expect("parses")
    }

    #[test]
    fn queries_are_kept_by_their_exact_text() {
        let cache = ParsedDocuments::default();
        let query = "{ customer { email } }";
        assert!(cache.get(query).is_none());
        cache.keep(query, &parse(query));
        assert!(cache.get(query).is_some());
        assert!(
            cache.get("{ customer { email  } }").is_none(),
            "another text misses"
        );
    }

    #[test]
    fn mutations_and_long_texts_are_never_kept() {
        let cache = ParsedDocuments::default();
        let mutation =
            "mutation { generateCustomerToken(email: \"a@b.c\", password: \"secret\") { token } }";
        cache.keep(mutation, &parse(mutation));
        assert!(cache.get(mutation).is_none());
        let long = format!("{{ {} }}", "a ".repeat(LONGEST));
        cache.keep(&long, &parse(&long));
        assert!(cache.get(&long).is_none());
    }

    #[test]
    fn the_cache_stays_within_its_bounds() {
        let cache = ParsedDocuments::default();
        for i in 0..(CAPACITY * 2) {
            let query = format!("{{ field_{i} {} }}", "x ".repeat(i % 400));
            cache.keep(&query, &parse(&query));
            let kept = cache.kept.lock().expect("lock");
            assert!(kept.documents.len() <= CAPACITY && kept.bytes <= BUDGET);
        }
    }
}
