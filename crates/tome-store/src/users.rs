//! Users and their pseuds (author names).

use crate::{PseudRef, Result, Store, StoreError, UserInfo};

impl Store {
    /// A user by login (case-insensitive), with pseuds and number of works.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserInfo>> {
        let _ = login;
        Err(StoreError::Invalid("not yet".into()))
    }

    /// A pseud of a user, both case-insensitive.
    pub async fn pseud(&self, login: &str, pseud: &str) -> Result<Option<PseudRef>> {
        let _ = (login, pseud);
        Err(StoreError::Invalid("not yet".into()))
    }
}
