//! The command line: `serve` (default), `migrate`, `schema`, `admin create`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use clientele_customer_export::{ExportFormat, export_head, export_rows, export_tail};
use clientele_customers::{ImportControl, ImportEntity, ImportOptions};
use clientele_kernel::Clock;
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};

use crate::import::{parse_behavior, parse_strategy};
use migration::{Migrator, MigratorTrait, SchemaManager};
use sea_orm::TransactionTrait;

use crate::app::{App, open_database, shutdown_signal};
use crate::config::Settings;
use crate::graphql::{admin_sdl, storefront_sdl};
use crate::grid_filter::{CustomerGridFilterInput, grid_query};
use crate::services::Services;
use crate::telemetry;

/// Clientele: a headless GraphQL customer-management API.
#[derive(Parser)]
#[command(name = "clientele", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the storefront and admin GraphQL endpoints (the default).
    Serve,
    /// Apply, roll back or list database migrations.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Print the GraphQL SDL of both endpoints (or write schema.graphql and admin.graphql).
    Schema {
        /// Print only this endpoint.
        #[arg(long, value_enum)]
        endpoint: Option<SchemaEndpoint>,
        /// Write `schema.graphql` and `admin.graphql` into this directory instead of printing.
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// Manage staff accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Work with customer accounts.
    Customers {
        #[command(subcommand)]
        action: CustomersAction,
    },
    /// Add realistic sample data (customers with addresses), in bulk.
    Seed {
        /// How many customers to add.
        #[arg(long)]
        customers: u64,
        /// Rows per insert.
        #[arg(long, default_value_t = 500)]
        batch: u64,
    },
}

#[derive(Subcommand)]
enum CustomersAction {
    /// Export the Customers grid (all customers, or those matching --search / --filter).
    Export {
        /// `csv` or `xml` (Excel 2003 XML).
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to this file (standard output when absent).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Keyword search of the grid.
        #[arg(long)]
        search: Option<String>,
        /// Grid filter as JSON, e.g. '{"group_id": {"eq": 1}}'.
        #[arg(long)]
        filter: Option<String>,
    },
    /// Import an Adobe Commerce "Customers Main File" or "Customer Addresses" CSV file.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// `customer` (Customers Main File) or `customer_address` (Customer Addresses).
        #[arg(long, default_value = "customer")]
        entity: String,
        /// `add_update`, `replace` or `delete`.
        #[arg(long, default_value = "add_update")]
        behavior: String,
        /// `stop_on_error` or `skip_errors`.
        #[arg(long, default_value = "stop_on_error")]
        validation_strategy: String,
        /// Bad rows tolerated with `skip_errors`.
        #[arg(long, default_value_t = 10)]
        allowed_error_count: u64,
        /// Check every row and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Roll back the latest migrations.
    Down {
        /// How many to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether they are applied.
    Status,
    /// Place every table on the Citus cluster the database has become a coordinator of (for a
    /// database migrated before the `citus` extension was installed); see the scaling guide.
    Place,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaEndpoint {
    Storefront,
    Admin,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create a staff user. The password is read from standard input with --password-stdin, or
    /// generated and printed once.
    Create {
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Role name.
        #[arg(long, default_value = "Administrators")]
        role: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Parses the arguments and runs the command.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::Migrate { action } => migrate(action).await,
        Command::Schema { endpoint, write } => schema(endpoint, write),
        Command::Admin { action } => admin(action).await,
        Command::Customers { action } => customers(action).await,
        Command::Seed { customers, batch } => seed(customers, batch).await,
    }
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::load()?;
    telemetry::init(&settings)?;
    let app = App::build(settings).await?;
    app.run_until_stopped(shutdown_signal()).await
}

async fn migrate(action: MigrateAction) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    telemetry::init(&settings)?;
    let db = open_database(&settings).await?;
    match action {
        MigrateAction::Up => {
            Migrator::up(&db, None).await?;
            write_stdout("migrations applied\n")?;
        }
        MigrateAction::Down { steps } => {
            Migrator::down(&db, Some(steps)).await?;
            write_stdout(&format!("rolled back {steps} migration(s)\n"))?;
        }
        MigrateAction::Place => {
            // Placing needs the keys migration 31 gives the per-customer tables.
            if !Migrator::get_pending_migrations(&db).await?.is_empty() {
                bail!("migrations are pending: run `clientele migrate up` first");
            }
            let txn = db.begin().await?;
            let citus = migration::placement::place_all(&SchemaManager::new(&txn)).await?;
            txn.commit().await?;
            write_stdout(if citus {
                "every table placed\n"
            } else {
                "not a Citus coordinator (no citus extension): nothing to place\n"
            })?;
        }
        MigrateAction::Status => {
            let mut listing = String::new();
            for migration in Migrator::get_migration_with_status(&db).await? {
                listing.push_str(&format!("{}\t{}\n", migration.status(), migration.name()));
            }
            write_stdout(&listing)?;
        }
    }
    Ok(())
}

fn schema(endpoint: Option<SchemaEndpoint>, write: Option<PathBuf>) -> anyhow::Result<()> {
    if let Some(dir) = write {
        std::fs::write(dir.join("schema.graphql"), storefront_sdl()).context("schema.graphql")?;
        std::fs::write(dir.join("admin.graphql"), admin_sdl()).context("admin.graphql")?;
        return Ok(());
    }
    let text = match endpoint {
        Some(SchemaEndpoint::Storefront) => storefront_sdl(),
        Some(SchemaEndpoint::Admin) => admin_sdl(),
        None => format!(
            "# Storefront endpoint: /graphql\n\n{}\n# Admin endpoint: /admin/graphql\n\n{}",
            storefront_sdl(),
            admin_sdl()
        ),
    };
    write_stdout(&text)
}

/// Writes `text` to standard output. A reader that stopped reading (`clientele schema | head`)
/// is not an error: the output was simply not wanted any further.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(error).context("writing to standard output")
        }
        _ => Ok(()),
    }
}

async fn admin(action: AdminAction) -> anyhow::Result<()> {
    let AdminAction::Create {
        email,
        name,
        role,
        password_stdin,
    } = action;
    let services = quiet_services().await?;
    let roles = services.staff.roles().await?;
    let Some(role) = roles.iter().find(|r| r.name.eq_ignore_ascii_case(&role)) else {
        let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
        bail!("no role named {role:?}; roles: {}", names.join(", "));
    };
    let (password, generated) = if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the password")?;
        (text.trim_end_matches(['\n', '\r']).to_owned(), false)
    } else {
        (generate_password()?, true)
    };
    let user = services
        .staff
        .create_user(
            None,
            clientele_staff::NewStaffUser {
                email,
                name,
                password: password.clone(),
                role_id: role.id,
                is_active: true,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut told = format!(
        "created staff user {} <{}> with role {}\n",
        user.id, user.email, role.name
    );
    if generated {
        told.push_str(&format!("password (shown once): {password}\n"));
    }
    write_stdout(&told)?;
    Ok(())
}

async fn quiet_services() -> anyhow::Result<Services> {
    let settings = Settings::load()?;
    telemetry::init(&Settings {
        log_level: "warn".into(),
        ..settings.clone()
    })?;
    let db = open_database(&settings).await?;
    Migrator::up(&db, None).await.context("migrations failed")?;
    Services::build(db, &settings, Clock::system()).await
}

fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {what} ({{per_sec}}, eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

async fn customers(action: CustomersAction) -> anyhow::Result<()> {
    let (format, output, search, filter) = match action {
        CustomersAction::Export {
            format,
            output,
            search,
            filter,
        } => (format, output, search, filter),
        CustomersAction::Import {
            file,
            entity,
            behavior,
            validation_strategy,
            allowed_error_count,
            dry_run,
        } => {
            let options = ImportOptions {
                entity: match entity.as_str() {
                    "customer" => ImportEntity::Customers,
                    "customer_address" => ImportEntity::Addresses,
                    other => bail!("unknown entity {other:?}: use customer or customer_address"),
                },
                behavior: parse_behavior(Some(&behavior)).map_err(anyhow::Error::msg)?,
                strategy: parse_strategy(Some(&validation_strategy)).map_err(anyhow::Error::msg)?,
                allowed_errors: allowed_error_count,
                dry_run,
                websites: None,
            };
            return import(&file, &options).await;
        }
    };
    let format = match format.as_str() {
        "csv" => ExportFormat::Csv,
        "xml" | "excel" => ExportFormat::ExcelXml,
        other => bail!("unknown format {other:?}: use csv or xml"),
    };
    let filter: CustomerGridFilterInput = match filter {
        Some(json) => serde_json::from_str(&json).context("--filter is not a valid grid filter")?,
        None => CustomerGridFilterInput::default(),
    };
    let query = grid_query(search, filter)?;
    let services = quiet_services().await?;
    let total = services.back_office.export_count(&query, None).await?;
    let labels = services.export_labels().await?;
    let mut sink: Box<dyn std::io::Write> = match &output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let bar = progress_bar(total, "customers");
    sink.write_all(&export_head(format)?)?;
    let as_of = services.clock.now();
    let mut batches = Box::pin(services.back_office.export_batches(query, None, 1000));
    while let Some(batch) = batches.next().await {
        let batch = batch?;
        sink.write_all(&export_rows(format, &batch, &labels, as_of)?)?;
        bar.inc(batch.len() as u64);
    }
    sink.write_all(&export_tail(format))?;
    sink.flush()?;
    bar.finish();
    Ok(())
}

async fn import(file: &std::path::Path, options: &ImportOptions) -> anyhow::Result<()> {
    use tokio::io::AsyncReadExt;
    let services = quiet_services().await?;
    let mut source = tokio::fs::File::open(file)
        .await
        .with_context(|| format!("cannot open {}", file.display()))?;
    let size = source.metadata().await?.len();
    let started = std::time::Instant::now();
    // The file is staged as a job first, as an upload is, so the admin API shows its progress
    // and can cancel it, and it is applied in one transaction whatever its size.
    let mut upload = services.back_office.begin_upload(options, "cli").await?;
    let bar = progress_bar(size, "bytes staged");
    let mut buffer = vec![0; 1024 * 1024];
    loop {
        let read = match source.read(&mut buffer).await {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) => {
                upload.abandon().await?;
                return Err(error).with_context(|| format!("cannot read {}", file.display()));
            }
        };
        upload.write(&buffer[..read]).await?;
        bar.set_position(upload.bytes());
    }
    bar.finish_and_clear();
    let control = ImportControl::default();
    let rows = progress_bar(upload.rows(), "rows");
    let follow = {
        let (control, rows) = (control.clone(), rows.clone());
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(std::time::Duration::from_millis(200));
            loop {
                tokio::select! {
                    _ = ticker.tick() => rows.set_position(control.rows_read()),
                    _ = tokio::signal::ctrl_c() => {
                        eprintln!("cancelling: nothing will be written");
                        control.cancel();
                    }
                }
            }
        })
    };
    let job = services.back_office.run_upload_here(upload, &control).await;
    follow.abort();
    rows.finish();
    let job = job.map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(report) = job.report else {
        bail!(
            "the import was not written ({}): {}",
            job.state.name(),
            job.error.unwrap_or_default()
        );
    };
    let secs = started.elapsed().as_secs_f64();
    for error in &report.errors {
        eprintln!(
            "line {}{}: {}",
            error.line,
            error
                .column
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            error.message
        );
    }
    let planned = report.planned;
    eprintln!(
        "{} rows in {secs:.1}s ({:.0}/s): {} created, {} updated, {} deleted, {} skipped, {} errors; {}",
        report.rows,
        report.rows as f64 / secs.max(0.001),
        planned.created,
        planned.updated,
        planned.deleted,
        report.skipped,
        report.error_count,
        if report.committed {
            "written"
        } else if options.dry_run {
            "dry run, nothing written"
        } else {
            "nothing written"
        }
    );
    let clean_dry_run = options.dry_run && report.error_count == 0;
    if !(report.committed || clean_dry_run) {
        bail!("the import was not written");
    }
    Ok(())
}

async fn seed(count: u64, batch: u64) -> anyhow::Result<()> {
    let services = quiet_services().await?;
    let bar = progress_bar(count, "customers");
    let run = format!("{:x}", services.clock.now().timestamp());
    let started = std::time::Instant::now();
    let added = services
        .back_office
        .seed(count, batch, &run, |done| bar.set_position(done))
        .await?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "added {added} customers in {secs:.1}s ({:.0}/s)",
        added as f64 / secs.max(0.001)
    );
    Ok(())
}

/// 20 characters from an alphabet with every character class, from the OS CSPRNG.
fn generate_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = [0u8; 17];
    getrandom::fill(&mut bytes).context("rng")?;
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(format!("{body}-7a"))
}
