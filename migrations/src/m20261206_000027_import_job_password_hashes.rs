//! Passwords of an import job, hashed before the job writes anything: hashing is the slow part of
//! a file with a `password` column, and done inside the import's transaction it would hold
//! SQLite's only writer for the whole time. Kept by line until the job ends, so a job run again
//! after its node stopped hashes only the rest.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ImportJobPasswordHashes {
    Table,
    JobId,
    Line,
    PasswordHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportJobPasswordHashes::Table)
                    .col(string_len(ImportJobPasswordHashes::JobId, 36))
                    .col(big_integer(ImportJobPasswordHashes::Line))
                    .col(text(ImportJobPasswordHashes::PasswordHash))
                    .primary_key(
                        Index::create()
                            .col(ImportJobPasswordHashes::JobId)
                            .col(ImportJobPasswordHashes::Line),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ImportJobPasswordHashes::Table,
                                ImportJobPasswordHashes::JobId,
                            )
                            .to(ImportJobs::Table, ImportJobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ImportJobPasswordHashes::Table)
                    .to_owned(),
            )
            .await
    }
}
