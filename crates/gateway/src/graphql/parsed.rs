//! Parsed documents by query text. Storefronts send the same few queries over and over (a client
//! library's queries are fixed strings), and parsing costs more than copying a parsed document.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// Most documents kept; when full, the cache starts over, so a flood of distinct queries costs
/// memory no larger than this.
const CAPACITY: usize = 512;
/// Longer query texts are parsed every time (real clients' queries are far shorter).
const LONGEST: usize = 16 * 1024;

/// The parsed documents of the queries seen most recently.
#[derive(Default)]
pub(crate) struct ParsedDocuments {
    documents: Mutex<HashMap<String, Arc<ExecutableDocument>>>,
}

impl ParsedDocuments {
    /// The parsed document of `query`, if it was parsed before.
    pub(crate) fn get(&self, query: &str) -> Option<ExecutableDocument> {
        let documents = self.documents.lock().unwrap_or_else(|e| e.into_inner());
        documents
            .get(query)
            .map(|doc| ExecutableDocument::clone(doc))
    }

    /// Keeps the parsed document of `query`.
    pub(crate) fn keep(&self, query: &str, document: &ExecutableDocument) {
        if query.len() > LONGEST {
            return;
        }
        let mut documents = self.documents.lock().unwrap_or_else(|e| e.into_inner());
        if documents.len() >= CAPACITY {
            documents.clear();
        }
        documents.insert(query.to_owned(), Arc::new(document.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_once_and_the_cache_stays_bounded() {
        let cache = ParsedDocuments::default();
        let query = "{ customer { email } }";
        assert!(cache.get(query).is_none());
        let doc = async_graphql::parser::parse_query(query).expect("parses");
        cache.keep(query, &doc);
        assert!(cache.get(query).is_some());
        for i in 0..CAPACITY {
            let q = format!("{{ f{i} }}");
            cache.keep(&q, &async_graphql::parser::parse_query(&q).expect("parses"));
        }
        let size = cache.documents.lock().expect("lock").len();
        assert!(size <= CAPACITY, "{size}");
        let long = format!("{{ {} }}", "a ".repeat(LONGEST));
        cache.keep(&long, &doc);
        assert!(cache.get(&long).is_none(), "long texts are not kept");
    }
}
