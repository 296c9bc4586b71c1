//! Schema fuzzing (security requirement A12): documents generated from `schema.graphql` and
//! `admin.graphql` — every root field, with arguments of every kind of value, well-formed or
//! hostile — never make either endpoint answer 5xx or report an internal error. The generator is
//! seeded, so a failure names a seed and a document that reproduce it; the budget is bounded so
//! CI runs it every time (`CLIENTELE_FUZZ_DOCUMENTS` raises it).

use std::collections::HashMap;

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    BaseType, FieldDefinition, InputValueDefinition, Type, TypeDefinition, TypeKind,
    TypeSystemDefinition,
};
use clientele_tests::{TestApp, db_test};
use serde_json::{Value, json};

/// Root fields that end the fuzzer's own session or credentials; everything else is fair game.
const SPARED: &[&str] = &[
    "revokeCustomerToken",
    "deleteCustomer",
    "rotateSigningKey",
    "revokeStaffToken",
    "revokeStaffUserSessions",
    "updateStaffUser",
    "deleteStaffUser",
    "updateRole",
    "deleteRole",
];

/// xorshift64*: small, seeded, good enough to pick among choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Schema {
    types: HashMap<String, TypeDefinition>,
}

impl Schema {
    fn load(sdl: &str) -> Self {
        let document = parse_schema(sdl).expect("SDL parses");
        let types = document
            .definitions
            .into_iter()
            .filter_map(|d| match d {
                TypeSystemDefinition::Type(t) => Some((t.node.name.node.to_string(), t.node)),
                _ => None,
            })
            .collect();
        Self { types }
    }

    fn fields(&self, name: &str) -> Vec<FieldDefinition> {
        match self.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Object(o)) => o.fields.iter().map(|f| f.node.clone()).collect(),
            Some(TypeKind::Interface(i)) => i.fields.iter().map(|f| f.node.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// A literal for `ty`: usually plausible, sometimes hostile, never of the wrong kind
    /// (validation would refuse it before anything ran).
    fn value(&self, ty: &Type, rng: &mut Rng, depth: usize) -> String {
        if ty.nullable && rng.chance(15) {
            return "null".into();
        }
        match &ty.base {
            BaseType::List(inner) => {
                let n = if depth > 2 { 0 } else { rng.below(3) };
                let items: Vec<String> =
                    (0..n).map(|_| self.value(inner, rng, depth + 1)).collect();
                format!("[{}]", items.join(", "))
            }
            BaseType::Named(name) => self.named(name, rng, depth),
        }
    }

    fn named(&self, name: &str, rng: &mut Rng, depth: usize) -> String {
        match name {
            "Int" => rng
                .pick(&["0", "1", "-1", "2", "7", "300", "2147483647", "-2147483648"])
                .to_string(),
            "Float" => rng.pick(&["0.0", "1.5", "-2.25", "1e300"]).to_string(),
            "Boolean" => rng.pick(&["true", "false"]).to_string(),
            "String" | "ID" | "DateTime" | "Date" => {
                let hostile = [
                    String::new(),
                    "a".into(),
                    "ann@example.com".into(),
                    "%".into(),
                    "_\\\\'\"; DROP TABLE customers; --".into(),
                    "Zwölf 😀 \u{202e} ﷽".into(),
                    "x".repeat(5_000),
                    "1970-01-01".into(),
                    "9999-12-31T23:59:59Z".into(),
                    "MQ==".into(),
                    "{{ 7*7 }}".into(),
                    "../../etc/passwd".into(),
                ];
                serde_json::to_string(rng.pick(&hostile)).expect("string")
            }
            other => match self.types.get(other).map(|t| &t.kind) {
                Some(TypeKind::Enum(e)) => {
                    let values: Vec<String> = e
                        .values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect();
                    rng.pick(&values).clone()
                }
                Some(TypeKind::InputObject(input)) => {
                    let mut chosen = Vec::new();
                    for field in input.fields.iter().map(|f| &f.node) {
                        if !field.ty.node.nullable || (depth < 3 && rng.chance(50)) {
                            let value = self.value(&field.ty.node, rng, depth + 1);
                            chosen.push(format!("{}: {value}", field.name.node));
                        }
                    }
                    format!("{{{}}}", chosen.join(", "))
                }
                // Custom scalars take strings.
                _ => serde_json::to_string("x").expect("string"),
            },
        }
    }

    /// A selection of `type_name`: a few of its fields, leaves and a level of objects.
    fn selection(&self, type_name: &str, rng: &mut Rng, depth: usize) -> String {
        let fields = self.fields(type_name);
        if fields.is_empty() {
            return match self.types.get(type_name).map(|t| &t.kind) {
                Some(TypeKind::Union(_)) | Some(TypeKind::Interface(_)) => "{ __typename }".into(),
                _ => String::new(),
            };
        }
        let mut parts = vec!["__typename".to_owned()];
        for _ in 0..1 + rng.below(4) {
            let field = rng.pick(&fields);
            let target = base_name(&field.ty.node);
            let is_leaf = self.fields(target).is_empty()
                && !matches!(
                    self.types.get(target).map(|t| &t.kind),
                    Some(TypeKind::Union(_))
                );
            if !is_leaf && depth >= 2 {
                continue;
            }
            let arguments = self.arguments(&field.arguments, rng);
            let below = if is_leaf {
                String::new()
            } else {
                self.selection(target, rng, depth + 1)
            };
            parts.push(format!(
                "f{}: {}{} {}",
                parts.len(),
                field.name.node,
                arguments,
                below
            ));
        }
        format!("{{ {} }}", parts.join(" "))
    }

    fn arguments(
        &self,
        arguments: &[async_graphql::Positioned<InputValueDefinition>],
        rng: &mut Rng,
    ) -> String {
        let mut given = Vec::new();
        for argument in arguments.iter().map(|a| &a.node) {
            if !argument.ty.node.nullable || rng.chance(40) {
                let value = self.value(&argument.ty.node, rng, 0);
                given.push(format!("{}: {value}", argument.name.node));
            }
        }
        if given.is_empty() {
            String::new()
        } else {
            format!("({})", given.join(", "))
        }
    }

    /// One document: a root field of `Query` or `Mutation` with arguments and a selection.
    fn document(&self, rng: &mut Rng) -> String {
        let (operation, root) = if rng.chance(50) {
            ("query", "Query")
        } else {
            ("mutation", "Mutation")
        };
        let fields: Vec<FieldDefinition> = self
            .fields(root)
            .into_iter()
            .filter(|f| !SPARED.contains(&f.name.node.as_str()))
            .collect();
        let field = rng.pick(&fields);
        let arguments = self.arguments(&field.arguments, rng);
        let selection = self.selection(base_name(&field.ty.node), rng, 1);
        format!(
            "{operation} {{ {}{arguments} {selection} }}",
            field.name.node
        )
    }
}

fn base_name(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => base_name(inner),
    }
}

/// Sends `count` generated documents to `path` and fails on the first server error.
async fn fuzz(app: &TestApp, path: &str, sdl: &str, token: Option<&str>, seed: u64, count: usize) {
    let schema = Schema::load(sdl);
    let mut rng = Rng(seed);
    let mut ran = 0;
    for i in 0..count {
        let document = schema.document(&mut rng);
        let mut request = app
            .http
            .post(format!("{}{path}", app.base))
            .json(&json!({ "query": document }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("a response");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
            panic!("#{i} (seed {seed}) answered non-JSON {status}: {text}\n{document}")
        });
        assert!(
            status < 500,
            "#{i} (seed {seed}) answered {status}: {body}\n{document}"
        );
        let internal = body["errors"].as_array().is_some_and(|errors| {
            errors.iter().any(|e| {
                e["extensions"]["code"] == "INTERNAL" || e["extensions"]["category"] == "internal"
            })
        });
        assert!(
            !internal,
            "#{i} (seed {seed}) failed inside: {body}\n{document}"
        );
        assert!(
            body.get("data").is_some() || body.get("errors").is_some(),
            "{body}"
        );
        // It ran when it got past validation: data came back, or a resolver's error did.
        let resolved = !body["data"].is_null()
            || body["errors"]
                .as_array()
                .is_some_and(|errors| errors.iter().any(|e| e["path"].is_array()));
        if resolved {
            ran += 1;
        } else if std::env::var_os("CLIENTELE_FUZZ_DEBUG").is_some() {
            eprintln!("{}\n  {document}", body["errors"][0]["message"]);
        }
    }
    // Most documents must get past validation, or the fuzzing tests little
    // (`CLIENTELE_FUZZ_DEBUG=1` prints those that did not).
    eprintln!("{path}: {ran} of {count} documents ran");
    assert!(
        ran * 2 > count,
        "only {ran} of {count} generated documents ran"
    );
}

fn budget() -> usize {
    std::env::var("CLIENTELE_FUZZ_DOCUMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

db_test!(
    generated_documents_never_make_either_endpoint_fail,
    settings | s | {
        s.sign_in_failures_per_client = 0;
        s.sign_ups_per_client = 0;
        s.visitor_ids_per_client = 0;
    },
    |app| {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let storefront = std::fs::read_to_string(root.join("schema.graphql")).expect("schema");
        let admin = std::fs::read_to_string(root.join("admin.graphql")).expect("schema");
        let token = app.root_token().await;
        app.import_customers(&token, &["fuzz@example.com"], "Sunny-Day-42")
            .await;
        let (_, body) = app
            .storefront("mutation { generateCustomerToken(email: \"fuzz@example.com\", password: \"Sunny-Day-42\") { token } }")
            .await;
        let shopper = body["data"]["generateCustomerToken"]["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let n = budget();
        fuzz(app, "/graphql", &storefront, None, 0x5eed_0001, n).await;
        fuzz(app, "/graphql", &storefront, Some(&shopper), 0x5eed_0002, n).await;
        fuzz(app, "/admin/graphql", &admin, Some(&token), 0x5eed_0003, n).await;
    }
);
