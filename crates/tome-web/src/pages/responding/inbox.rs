//! Subscriptions (to a work, a series or a user) and the inbox of notifications,
//! `/users/{login}/inbox`, for its owner only.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use tome_store::subscriptions::{Subscription, SubscriptionKind};

use crate::AppState;
use crate::accounts::{CsrfForm, RequireUser, Viewer};
use crate::error::WebError;
use crate::format::blurb_date;
use crate::layout::Layout;
use crate::pages::account::must_be;
use crate::pages::responding::{see_other, truthy};
use crate::pages::user::find;
use crate::pages::{parse_id, render};
use crate::responding::service;

#[derive(Debug, Deserialize, Default)]
pub struct SubscribeForm {
    pub subscribe: Option<String>,
}

fn on(form: &SubscribeForm) -> bool {
    form.subscribe.is_none() || truthy(form.subscribe.as_deref())
}

pub async fn subscribe_work(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<SubscribeForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    service::set_subscription(
        &state,
        &viewer,
        &user,
        SubscriptionKind::Work,
        id,
        on(&form),
    )
    .await?;
    Ok(see_other(&format!("/works/{id}")))
}

pub async fn subscribe_series(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<SubscribeForm>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    service::set_subscription(
        &state,
        &viewer,
        &user,
        SubscriptionKind::Series,
        id,
        on(&form),
    )
    .await?;
    Ok(see_other(&format!("/users/{}/subscriptions", user.login)))
}

pub async fn subscribe_user(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    viewer: Viewer,
    CsrfForm(form): CsrfForm<SubscribeForm>,
) -> Result<Response, WebError> {
    let target = find(&state, &login).await?;
    service::set_subscription(
        &state,
        &viewer,
        &user,
        SubscriptionKind::User,
        target.id,
        on(&form),
    )
    .await?;
    Ok(see_other(&format!("/users/{}/subscriptions", user.login)))
}

/// A subscription as listed.
pub struct SubscriptionView {
    pub kind: &'static str,
    pub name: String,
    pub href: String,
    pub action: String,
}

impl SubscriptionView {
    fn of(s: &Subscription, login_of_target: Option<&str>) -> SubscriptionView {
        let (kind, href, action) = match s.kind {
            SubscriptionKind::Work => (
                "Work",
                format!("/works/{}", s.target_id),
                format!("/works/{}/subscriptions", s.target_id),
            ),
            SubscriptionKind::Series => (
                "Series",
                format!("/series/{}", s.target_id),
                format!("/series/{}/subscriptions", s.target_id),
            ),
            SubscriptionKind::User => {
                let l = login_of_target.unwrap_or(&s.name);
                (
                    "User",
                    crate::views::user_href(l),
                    format!("{}/subscriptions", crate::views::user_href(l)),
                )
            }
        };
        SubscriptionView {
            kind,
            name: s.name.clone(),
            href,
            action,
        }
    }
}

#[derive(Template)]
#[template(path = "responding/subscriptions.html")]
pub struct SubscriptionsTemplate {
    pub l: Layout,
    pub login: String,
    pub subscriptions: Vec<SubscriptionView>,
}

pub async fn subscriptions(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let subs = state.store().subscriptions_of(user.id).await?;
    render(&SubscriptionsTemplate {
        l: Layout::new(&state, "Subscriptions"),
        login: user.login.clone(),
        subscriptions: subs.iter().map(|s| SubscriptionView::of(s, None)).collect(),
    })
}

/// An inbox line as printed.
pub struct NotificationView {
    pub kind: String,
    pub text: String,
    pub link: String,
    pub date: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "responding/inbox.html")]
pub struct InboxTemplate {
    pub l: Layout,
    pub login: String,
    pub unread: u64,
    pub notifications: Vec<NotificationView>,
}

pub async fn show(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    let store = state.store();
    let list = store.notifications(user.id, 200).await?;
    render(&InboxTemplate {
        l: Layout::new(&state, "Inbox"),
        login: user.login.clone(),
        unread: store.unread_notifications(user.id).await?,
        notifications: list
            .into_iter()
            .map(|n| NotificationView {
                kind: n.kind,
                text: n.text,
                link: n.link,
                date: blurb_date(n.created_at),
                unread: !n.read,
            })
            .collect(),
    })
}

pub async fn mark_read(
    State(state): State<AppState>,
    Path(login): Path<String>,
    RequireUser(user): RequireUser,
    CsrfForm(_form): CsrfForm<SubscribeForm>,
) -> Result<Response, WebError> {
    must_be(&user, &login)?;
    state.store().mark_notifications_read(user.id).await?;
    Ok(see_other(&format!("/users/{}/inbox", user.login)))
}
