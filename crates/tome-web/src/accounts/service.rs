//! The account services: every rule of signing up, logging in, changing a password,
//! deleting an account and adding pseuds lives here, so handlers stay thin and the CLI
//! (`tome users add`) shares the same checks.

use tome_model::Role;
use tome_store::login_limits::LimitRule;
use tome_store::{Account, NewAccount, Store, StoreError, WorksOnDelete};

use crate::AppState;
use crate::accounts::session::{SESSION_TTL, new_session_id};
use crate::accounts::{now, password, sha256_hex};
use crate::error::WebError;

/// Failed logins allowed for one account from one address before waiting is required;
/// the owner logging in from elsewhere is not affected.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failed logins allowed from one address (any accounts) before waiting is required.
pub const IP_FAILURES: i64 = 20;
/// The first wait, in seconds; each further failure doubles it, up to [`MAX_WAIT`].
pub const FIRST_WAIT: i64 = 60;
/// The longest wait, in seconds (one hour).
pub const MAX_WAIT: i64 = 60 * 60;
/// Failures are forgotten this long after the last one (15 minutes).
pub const LOGIN_WINDOW: i64 = 15 * 60;

/// Limits per account and address.
pub const PAIR_RULE: LimitRule = LimitRule {
    free: ACCOUNT_FAILURES,
    base_wait: FIRST_WAIT,
    max_wait: MAX_WAIT,
    forget_after: LOGIN_WINDOW,
};
/// Limits per address.
pub const ADDRESS_RULE: LimitRule = LimitRule {
    free: IP_FAILURES,
    base_wait: FIRST_WAIT,
    max_wait: MAX_WAIT,
    forget_after: LOGIN_WINDOW,
};

/// The limit key of an account (as typed) from an address.
pub fn pair_key(login: &str, addr: &str) -> String {
    format!("login:{}|{}", login.trim().to_lowercase(), addr_key(addr))
}

/// The limit key of an address.
pub fn address_key(addr: &str) -> String {
    format!("addr:{}", addr_key(addr))
}

fn addr_key(addr: &str) -> String {
    addr.parse::<std::net::IpAddr>()
        .map(crate::accounts::client_addr::limit_key)
        .unwrap_or_else(|_| addr.to_string())
}

/// Messages beside form fields, by field name (`login`, `email`, `password`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a field was refused.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    /// The attributes that mark a refused field for assistive technology: ` aria-invalid`
    /// and `aria-describedby` naming its message (`<p id="FIELD-error">`); empty when the
    /// field is fine. Field names are the form's own constants, never user input.
    pub fn aria(&self, field: &str) -> String {
        if self.has(field) {
            format!(r#" aria-invalid="true" aria-describedby="{field}-error""#)
        } else {
            String::new()
        }
    }

    /// The messages of one field.
    pub fn of(&self, field: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
            .collect()
    }
}

/// Why an account action was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The form has mistakes; each is shown beside its field.
    #[error("the form has errors")]
    Invalid(FieldErrors),
    /// Wrong login or password (deliberately not saying which).
    #[error("The password or user name you entered doesn't match our records.")]
    BadCredentials,
    /// Too many failed logins.
    #[error("{0}")]
    RateLimited(String),
    #[error(transparent)]
    Web(#[from] WebError),
}

impl From<StoreError> for AccountError {
    fn from(e: StoreError) -> AccountError {
        AccountError::Web(e.into())
    }
}

/// What the sign-up form sends.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    pub login: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
    pub invitation: String,
    /// The Terms of Service (`/tos`) ticked as read and agreed to.
    pub accepts_terms: bool,
    /// Ticked: at least [`MINIMUM_AGE`] years old.
    pub old_enough: bool,
}

/// The youngest a member may be (AO3's Terms of Service say 13).
pub const MINIMUM_AGE: u32 = 13;

/// Logins that would clash with the site's own addresses.
const RESERVED: &[&str] = &[
    "new",
    "login",
    "logout",
    "delete",
    "password",
    "orphan_account",
    "anonymous",
];

/// AO3's rules for a user name.
pub fn check_login(login: &str, errors: &mut FieldErrors) {
    let n = login.chars().count();
    if !(3..=40).contains(&n) {
        errors.add(
            "login",
            "User name must be between 3 and 40 characters long.",
        );
    }
    let ok_chars = login.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let ends_ok = login
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && login
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if n > 0 && (!ok_chars || !ends_ok) {
        errors.add(
            "login",
            "User name must begin and end with a letter or number; it may also contain \
             underscores. It may not contain any other characters, including spaces.",
        );
    }
    if RESERVED.contains(&login.to_ascii_lowercase().as_str()) {
        errors.add("login", "User name is reserved; please choose another.");
    }
}

/// A plausible email address (something@domain.tld, no spaces).
pub fn check_email(email: &str, errors: &mut FieldErrors) {
    let valid = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if email.is_empty() {
        errors.add("email", "Email can't be blank.");
    } else if !valid {
        errors.add("email", "Email does not seem to be a valid address.");
    }
}

/// AO3's password length rule, and the confirmation.
pub fn check_password(password: &str, confirmation: &str, errors: &mut FieldErrors) {
    let n = password.chars().count();
    if n < 6 {
        errors.add(
            "password",
            "Password is too short (minimum is 6 characters).",
        );
    } else if n > 40 {
        errors.add(
            "password",
            "Password is too long (maximum is 40 characters).",
        );
    }
    if password != confirmation {
        errors.add(
            "password_confirmation",
            "Password confirmation doesn't match Password.",
        );
    }
}

/// Creates an account (hashing the password) after checking the login and email are
/// free. Shared by sign-up and `tome users add`.
pub async fn create_account(
    store: &Store,
    login: &str,
    email: &str,
    password: &str,
    roles: &[Role],
    invitation: Option<&str>,
) -> Result<Account, AccountError> {
    let mut errors = FieldErrors::default();
    check_login(login, &mut errors);
    check_email(email, &mut errors);
    check_password(password, password, &mut errors);
    availability(store, login, email, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    insert(store, login, email, password, roles, invitation).await
}

async fn availability(
    store: &Store,
    login: &str,
    email: &str,
    errors: &mut FieldErrors,
) -> Result<(), AccountError> {
    if errors.of("login").is_empty()
        && let Some(existing) = store.account_by_login(login).await?
    {
        if existing.password_hash.is_none() {
            errors.add(
                "login",
                format!(
                    "{} is the name of an author whose works were imported into this archive. \
                     Claiming imported works is not available yet; please choose another user name.",
                    existing.login
                ),
            );
        } else {
            errors.add("login", "User name has already been taken.");
        }
    }
    if errors.of("email").is_empty() && store.email_taken(email).await? {
        errors.add("email", "Email has already been taken.");
    }
    Ok(())
}

async fn insert(
    store: &Store,
    login: &str,
    email: &str,
    pw: &str,
    roles: &[Role],
    invitation: Option<&str>,
) -> Result<Account, AccountError> {
    let hash = password::hash(pw.to_string()).await?;
    let new = NewAccount {
        login,
        email: Some(email),
        password_hash: Some(&hash),
        roles,
        invitation,
    };
    match store.create_account(&new).await {
        Ok(a) => Ok(a),
        // Lost a race with another sign-up.
        Err(StoreError::Conflict(m)) => {
            let mut errors = FieldErrors::default();
            if m.starts_with("email") {
                errors.add("email", "Email has already been taken.");
            } else {
                errors.add("login", "User name has already been taken.");
            }
            Err(AccountError::Invalid(errors))
        }
        Err(StoreError::Invalid(m)) => {
            let mut errors = FieldErrors::default();
            errors.add("invitation", m);
            Err(AccountError::Invalid(errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// Signs up from the web form: the archive's invitation rule, then [`create_account`].
pub async fn sign_up(state: &AppState, form: &SignUp) -> Result<Account, AccountError> {
    state.accounts().refresh_settings(state.store(), true).await;
    let invite_only = state.settings().invite_only;
    let login = form.login.trim();
    let email = form.email.trim();
    let mut errors = FieldErrors::default();
    check_login(login, &mut errors);
    check_email(email, &mut errors);
    check_password(&form.password, &form.password_confirmation, &mut errors);
    if !form.old_enough {
        errors.add(
            "age_over_13",
            format!("You must be at least {MINIMUM_AGE} years old to create an account."),
        );
    }
    if !form.accepts_terms {
        errors.add(
            "terms_of_service",
            "Sorry, you need to accept the Terms of Service in order to sign up.",
        );
    }
    let code = form.invitation.trim();
    if invite_only && code.is_empty() {
        errors.add(
            "invitation",
            "This archive is invite-only: an invitation code is required to sign up.",
        );
    }
    availability(state.store(), login, email, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let invitation = (invite_only && !code.is_empty()).then_some(code);
    insert(state.store(), login, email, &form.password, &[], invitation).await
}

/// A session made by logging in: the raw id goes in the cookie.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub session_id: String,
    pub account: Account,
}

/// "N minute(s)" until `until` (at least 1).
fn minutes_until(until: i64, t: i64) -> String {
    let n = ((until - t + 59) / 60).max(1);
    format!("{n} minute{}", if n == 1 { "" } else { "s" })
}

/// Logs in. First an attempt slot is taken, atomically, on the account-and-address key
/// and on the address key (so parallel guesses cannot all pass a check made before any
/// of them failed); then the slow password check; then the outcome is recorded. Limits
/// live in the database, so they hold across nodes.
pub async fn log_in(
    state: &AppState,
    login: &str,
    pw: &str,
    ip: &str,
    user_agent: Option<&str>,
) -> Result<NewSession, AccountError> {
    let store = state.store();
    let login = login.trim();
    let t = now();
    let pair = pair_key(login, ip);
    let address = address_key(ip);
    let keys = [(pair.as_str(), PAIR_RULE), (address.as_str(), ADDRESS_RULE)];
    if let Err(refused) = store.take_login_slot(&keys).await? {
        let wait = if refused.until > t {
            format!("try again in {}", minutes_until(refused.until, t))
        } else {
            "try again in a moment".to_string()
        };
        return Err(AccountError::RateLimited(if refused.key == 0 {
            format!("Too many failed logins for this account from your address; {wait}.")
        } else {
            format!("Too many failed logins from your address; {wait}.")
        }));
    }
    let outcome = verify_login(store, login, pw).await;
    // A success starts the account-and-address key afresh (the address keeps its
    // count); an error of ours gives the slots back without counting.
    let (success, reset) = match &outcome {
        Ok(Some(_)) => (true, [true, false]),
        Ok(None) => (false, [false, false]),
        Err(_) => (true, [false, false]),
    };
    store.finish_login_attempt(&keys, success, &reset).await?;
    let Some(account) = outcome? else {
        return Err(AccountError::BadCredentials);
    };
    let session_id = new_session_id();
    store
        .create_session(
            &sha256_hex(&session_id),
            account.id,
            t + SESSION_TTL,
            user_agent,
        )
        .await?;
    Ok(NewSession {
        session_id,
        account,
    })
}

/// The account if `pw` is its password.
async fn verify_login(
    store: &Store,
    login: &str,
    pw: &str,
) -> Result<Option<Account>, AccountError> {
    let account = if login.is_empty() {
        None
    } else {
        store.account_by_login(login).await?
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let ok = password::verify(pw.to_string(), stored).await;
    Ok(account.filter(|_| ok))
}

/// Ends a session (log out).
pub async fn log_out(state: &AppState, session_hash: &str) -> Result<(), AccountError> {
    state.store().delete_session(session_hash).await?;
    Ok(())
}

/// Changes a password after checking the current one; every other session of the user
/// ends (the one in `keep_session_hash` stays logged in).
pub async fn change_password(
    state: &AppState,
    user_id: i64,
    current: &str,
    new: &str,
    confirmation: &str,
    keep_session_hash: Option<&str>,
) -> Result<(), AccountError> {
    let store = state.store();
    let account = store
        .account(user_id)
        .await?
        .ok_or(AccountError::Web(WebError::NotFound))?;
    let mut errors = FieldErrors::default();
    if !password::verify(current.to_string(), account.password_hash.clone()).await {
        errors.add("password_check", "Your old password was incorrect.");
    }
    check_password(new, confirmation, &mut errors);
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let hash = password::hash(new.to_string()).await?;
    store.set_password_hash(user_id, &hash).await?;
    store
        .delete_user_sessions(user_id, keep_session_hash)
        .await?;
    Ok(())
}

/// Deletes an account; its works are orphaned or deleted as the user chose.
pub async fn delete_account(
    state: &AppState,
    user_id: i64,
    works: WorksOnDelete,
) -> Result<(), AccountError> {
    state.store().delete_account(user_id, works).await?;
    state.pages().clear();
    Ok(())
}

/// Adds a pseud (1–40 characters: letters, digits, spaces, underscores, hyphens).
pub async fn add_pseud(
    state: &AppState,
    user_id: i64,
    name: &str,
) -> Result<tome_store::PseudRef, AccountError> {
    let name = name.trim();
    let mut errors = FieldErrors::default();
    let n = name.chars().count();
    if n == 0 || n > 40 {
        errors.add("name", "Name must be between 1 and 40 characters long.");
    } else if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == ' ' || c == '-')
    {
        errors.add(
            "name",
            "Pseuds can contain letters, numbers, spaces, underscores, and dashes.",
        );
    } else if name.eq_ignore_ascii_case("new") {
        errors.add("name", "Name is reserved; please choose another.");
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    match state.store().add_pseud(user_id, name).await {
        Ok(p) => Ok(p),
        Err(StoreError::Conflict(m)) => {
            errors.add("name", m);
            Err(AccountError::Invalid(errors))
        }
        Err(e) => Err(e.into()),
    }
}
