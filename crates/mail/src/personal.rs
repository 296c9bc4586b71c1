//! A person's emails, for the export of their data and their erasure: the messages queued for or
//! sent to any of their addresses. An erasure deletes them, rendered bodies and all; a message
//! still waiting is not sent.

use async_trait::async_trait;
use clientele_kernel::Result;
use clientele_kernel::personal_data::{DataSubject, PersonalData};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::entity::outbox;

/// The outbox's share of a person's data.
pub struct OutboxData;

/// Messages to any of `subject`'s addresses, whatever the case the address was written in.
fn to_subject(subject: &DataSubject) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(outbox::Column::Recipient))).is_in(subject.emails.clone())
}

#[async_trait]
impl PersonalData for OutboxData {
    fn section(&self) -> &'static str {
        "emails"
    }

    /// What was sent and when; not the bodies, which may hold links that still work.
    async fn export(
        &self,
        txn: &DatabaseTransaction,
        subject: &DataSubject,
    ) -> Result<Option<Value>> {
        let rows = outbox::Entity::find()
            .filter(to_subject(subject))
            .order_by_asc(outbox::Column::Id)
            .all(txn)
            .await?;
        let emails = rows
            .into_iter()
            .map(|row| {
                let status = if row.sent_at.is_some() {
                    "SENT"
                } else if row.failed_at.is_some() {
                    "FAILED"
                } else {
                    "QUEUED"
                };
                json!({
                    "template": row.template,
                    "store_id": row.store_id,
                    "recipient": row.recipient,
                    "subject": row.subject,
                    "status": status,
                    "created_at": row.created_at.to_rfc3339(),
                    "sent_at": row.sent_at.map(|at| at.to_rfc3339()),
                })
            })
            .collect();
        Ok(Some(Value::Array(emails)))
    }

    async fn erase(&self, txn: &DatabaseTransaction, subject: &DataSubject) -> Result<()> {
        if subject.emails.is_empty() {
            return Ok(());
        }
        outbox::Entity::delete_many()
            .filter(to_subject(subject))
            .exec(txn)
            .await?;
        Ok(())
    }
}
