//! The domain services, wired once and shared by both GraphQL endpoints and the CLI.

use std::sync::Arc;

use clientele_assistance::AssistanceService;
use clientele_configuration::ConfigService;
use std::collections::HashMap;

use clientele_activity::NowOnline;
use clientele_audit::AuditLog;
use clientele_customer_attributes::AttributeService;
use clientele_customer_export::ExportLabels;
use clientele_customers::{
    AccountSharingGuard, Accounts, AddressBook, BackOffice, Customers, GroupReassignment,
    ShopperAuth,
};
use clientele_events::EventLog;
use clientele_grid_views::GridViews;
use clientele_groups::{GroupReferenceChecker, GroupService};
use clientele_kernel::cache::CacheBus;
use clientele_kernel::personal_data::PersonalData;
use clientele_kernel::{Clock, PageRequest};
use clientele_newsletter::NewsletterService;
use clientele_privacy::Privacy;
use clientele_sessions::{KeyStore, KeyWrapping, Limit, PasswordHasher, Throttle, TokenIssuer};
use clientele_staff::StaffService;
use clientele_stores::StoreService;
use clientele_webhooks::{TargetPolicy, WebhookRegistry};
use sea_orm::DatabaseConnection;

use crate::config::Settings;

/// Every domain service.
#[derive(Clone)]
pub struct Services {
    /// The database pool (for readiness checks and metrics).
    pub db: DatabaseConnection,
    /// The clock every service tells the time by.
    pub clock: Clock,
    /// Change notices for the in-memory copies of read-mostly data.
    pub cache_bus: CacheBus,
    /// Websites, store groups, store views.
    pub stores: StoreService,
    /// Scoped configuration.
    pub config: ConfigService,
    /// Customer groups and tax classes.
    pub groups: GroupService,
    /// Staff, roles, integrations.
    pub staff: StaffService,
    /// Customer accounts: the record, its rules and its newsletter subscriptions.
    pub accounts: Accounts,
    /// The address book of each customer.
    pub addresses: AddressBook,
    /// The Customers grid, mass actions, import, export and seed data.
    pub back_office: BackOffice,
    /// Each staff user's saved views of the Customers grid.
    pub grid_views: GridViews,
    /// Custom customer and address attributes, and the storefront forms.
    pub attributes: AttributeService,
    /// Token signing and verification.
    pub tokens: TokenIssuer,
    /// Password hashing on the bounded pool.
    pub hasher: PasswordHasher,
    /// Shopper sign-in, tokens, self-service and recovery.
    pub shoppers: ShopperAuth,
    /// Login as Customer.
    pub assistance: AssistanceService,
    /// Now Online: activity of customers and visitors.
    pub online: NowOnline,
    /// The record of changes to customers, read back as their timelines.
    pub events: EventLog,
    /// The staff audit log.
    pub audit: AuditLog,
    /// Webhooks and their deliveries.
    pub webhooks: WebhookRegistry,
    /// Seals and opens secrets at rest (signing keys, webhook secrets).
    pub wrapping: KeyWrapping,
    /// Where webhooks may point.
    pub target_policy: Arc<TargetPolicy>,
    /// The export of everything held about a customer, and their erasure.
    pub privacy: Privacy,
    /// The address clients reach this API at, for links in emails that lead to it.
    pub public_url: String,
    /// Per-client request counters.
    pub throttle: Throttle,
    /// The per-client limits.
    pub client_limits: ClientLimits,
}

/// What one client address may do before it is throttled.
#[derive(Debug, Clone, Copy)]
pub struct ClientLimits {
    /// Failed sign-ins.
    pub sign_in_failures: Limit,
    /// Sign-ups and confirmation emails.
    pub sign_ups: Limit,
    /// Visitor ids issued.
    pub visitor_ids: Limit,
}

/// Every domain holding a share of a person's data besides their account and address book, for
/// exports and erasures.
fn personal_data_holders() -> Vec<Arc<dyn PersonalData>> {
    vec![
        Arc::new(clientele_events::TimelineData),
        Arc::new(clientele_newsletter::SubscriptionData),
        Arc::new(clientele_activity::SignInData),
        Arc::new(clientele_assistance::AssistanceLogData),
        Arc::new(clientele_mail::OutboxData),
        Arc::new(clientele_webhooks::DeliveryData),
        Arc::new(clientele_kernel::idempotency::StoredAnswers),
        Arc::new(crate::graphql::throttle::AddressThrottles),
    ]
}

impl Services {
    /// Wires the services over `db` (which must be migrated), all telling the time by `clock`.
    pub async fn build(
        db: DatabaseConnection,
        settings: &Settings,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let cache_bus = CacheBus::new(db.clone());
        let cache_ttl = std::time::Duration::from_secs(settings.cache_ttl_secs);
        let stores = StoreService::new(db.clone()).with_cache(&cache_bus, cache_ttl);
        let config = ConfigService::new(
            db.clone(),
            stores.clone(),
            Arc::new(GroupReferenceChecker::new(db.clone())),
            vec![Arc::new(AccountSharingGuard)],
            clock.clone(),
        )
        .with_cache(&cache_bus, cache_ttl);
        let groups = GroupService::new(
            db.clone(),
            config.clone(),
            vec![Arc::new(GroupReassignment {
                clock: clock.clone(),
            })],
            clock.clone(),
        )
        .with_cache(&cache_bus, cache_ttl);
        let hasher = PasswordHasher::new(settings.hash_concurrency, settings.hash_queue)?;
        let newsletter =
            NewsletterService::new(db.clone(), config.clone(), stores.clone(), clock.clone());
        let attributes =
            AttributeService::new(db.clone(), config.clone(), stores.clone(), clock.clone())
                .with_cache(&cache_bus, cache_ttl);
        let wrapping = crate::keys::key_wrapping(settings)?;
        let keys = KeyStore::open(db.clone(), wrapping.clone(), clock.clone()).await?;
        let tokens = TokenIssuer::new(keys, settings.jwt_issuer.clone());
        let staff = StaffService::new(
            db.clone(),
            hasher.clone(),
            tokens.clone(),
            config.clone(),
            clock.clone(),
        )
        .with_cache(&cache_bus, cache_ttl);
        let Customers {
            accounts,
            addresses,
            back_office,
            shoppers,
        } = Customers::new(
            db.clone(),
            config.clone(),
            stores.clone(),
            hasher.clone(),
            newsletter,
            tokens.clone(),
            clock.clone(),
        );
        let assistance = AssistanceService::new(
            db.clone(),
            config.clone(),
            stores.clone(),
            accounts.clone(),
            shoppers.clone(),
            staff.clone(),
            clock.clone(),
        );
        // Visitor ids have a verifier of their own, so a crowd of visitors does not push shopper
        // tokens out of its memory of checked signatures.
        let online = NowOnline::new(
            db.clone(),
            config.clone(),
            Arc::new(accounts.clone()),
            TokenIssuer::new(tokens.keys().clone(), settings.jwt_issuer.clone()),
            clock.clone(),
        );
        let grid_views = GridViews::new(db.clone(), clock.clone());
        let throttle = Throttle::new(db.clone(), clock.clone());
        let client_limits = ClientLimits {
            sign_in_failures: Limit {
                max: settings.sign_in_failures_per_client,
                window: chrono::Duration::minutes(15),
            },
            sign_ups: Limit {
                max: settings.sign_ups_per_client,
                window: chrono::Duration::minutes(10),
            },
            visitor_ids: Limit {
                max: settings.visitor_ids_per_client,
                window: chrono::Duration::minutes(10),
            },
        };
        let events = EventLog::new(db.clone());
        let audit = AuditLog::new(db.clone(), clock.clone());
        let target_policy = Arc::new(settings.webhook_target_policy()?);
        let webhooks = WebhookRegistry::new(
            db.clone(),
            clock.clone(),
            wrapping.clone(),
            target_policy.clone(),
        );
        webhooks.reseal_secrets().await?;
        let privacy = Privacy::new(
            db.clone(),
            clock.clone(),
            config.clone(),
            accounts.clone(),
            attributes.clone(),
            groups.clone(),
            personal_data_holders(),
        );
        Ok(Self {
            db,
            clock,
            cache_bus,
            stores,
            config,
            groups,
            staff,
            accounts,
            addresses,
            back_office,
            grid_views,
            attributes,
            tokens,
            hasher,
            shoppers,
            assistance,
            online,
            events,
            audit,
            webhooks,
            wrapping,
            target_policy,
            privacy,
            public_url: settings.public_url.clone(),
            throttle,
            client_limits,
        })
    }
}

impl Services {
    /// Group and website names for customer exports (every group, page by page).
    pub async fn export_labels(&self) -> clientele_kernel::Result<ExportLabels> {
        const PAGE: i64 = 300;
        let mut groups = HashMap::new();
        for page in 1.. {
            let result = self
                .groups
                .list(
                    &Default::default(),
                    Default::default(),
                    PageRequest::new(PAGE, page)?,
                )
                .await?;
            let last = result.items.len() < PAGE as usize;
            groups.extend(result.items.into_iter().map(|g| (g.id, g.name)));
            if last {
                break;
            }
        }
        let websites = self
            .stores
            .websites()
            .await?
            .into_iter()
            .map(|w| (w.id, w.name))
            .collect();
        Ok(ExportLabels { groups, websites })
    }
}
