//! `tome users add|list|role`: accounts from the server's shell, without prompts.

use std::io::Read;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use tome_model::Role;
use tome_web::accounts::AccountError;
use tome_web::accounts::service::create_account;

use crate::archive::Location;

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Create an account. The first one made with --admin is the archive's administrator.
    Add(AddArgs),
    /// List the accounts that can log in.
    List,
    /// Give or take a role: admin, tag_wrangler, moderator.
    Role(RoleArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The login (3-40 letters, digits, underscores).
    name: String,
    #[arg(long)]
    email: String,
    /// Make the account an admin.
    #[arg(long)]
    admin: bool,
    /// Further roles (repeatable): tag_wrangler, moderator, admin.
    #[arg(long = "role")]
    roles: Vec<String>,
    /// Read the password from standard input (else one is generated and printed once).
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct RoleArgs {
    name: String,
    #[arg(long)]
    add: Vec<String>,
    #[arg(long)]
    remove: Vec<String>,
}

fn parse_roles(names: &[String]) -> anyhow::Result<Vec<Role>> {
    names
        .iter()
        .map(|n| {
            Role::parse(n).with_context(|| {
                format!("unknown role {n:?} (admin, tag_wrangler, moderator, user)")
            })
        })
        .collect()
}

pub async fn run(archive: &Location, command: UsersCommand) -> anyhow::Result<ExitCode> {
    let store = archive.open().await?;
    let code = match command {
        UsersCommand::Add(args) => add(&store, args).await?,
        UsersCommand::List => {
            for a in store.list_accounts().await? {
                let roles = Role::join(&a.roles);
                println!(
                    "{}\t{}\t{}",
                    a.login,
                    a.email.as_deref().unwrap_or("-"),
                    if roles.is_empty() { "user" } else { &roles }
                );
            }
            ExitCode::SUCCESS
        }
        UsersCommand::Role(args) => {
            let Some(account) = store.account_by_login(&args.name).await? else {
                bail!("no account named {}", args.name);
            };
            let add = parse_roles(&args.add)?;
            let remove = parse_roles(&args.remove)?;
            let mut roles: Vec<Role> = account
                .roles
                .iter()
                .copied()
                .filter(|r| !remove.contains(r))
                .collect();
            roles.extend(add);
            store.set_roles(account.id, &roles).await?;
            let joined = Role::join(&roles);
            println!(
                "{}: {}",
                account.login,
                if joined.is_empty() { "user" } else { &joined }
            );
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

async fn add(store: &tome_store::Store, args: AddArgs) -> anyhow::Result<ExitCode> {
    let mut roles = parse_roles(&args.roles)?;
    if args.admin {
        roles.push(Role::Admin);
    }
    let (password, generated) = if args.password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the password from standard input")?;
        let pw = s.lines().next().unwrap_or("").to_string();
        (pw, false)
    } else {
        (tome_web::accounts::password::generate(), true)
    };
    match create_account(store, &args.name, &args.email, &password, &roles, None).await {
        Ok(a) => {
            let joined = Role::join(&a.roles);
            eprintln!(
                "created {} ({})",
                a.login,
                if joined.is_empty() { "user" } else { &joined }
            );
            if generated {
                println!("password: {password}");
                eprintln!("(shown once: keep it somewhere safe)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AccountError::Invalid(errors)) => {
            for (_, m) in &errors.0 {
                eprintln!("error: {m}");
            }
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}
