//! The database a test archive lives in, chosen by the environment, shared by the web,
//! search and CLI test harnesses (included with `#[path]`).
//!
//! `TOME_TEST_BACKEND=postgres` gives each archive a fresh PostgreSQL database on
//! `TOME_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`, created through its
//! `test` database), dropped when the [`TestDatabase`] is dropped. Anything else (the
//! default) keeps the archive in a SQLite file in its data folder, as `tome` does.
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyPool, AssertSqlSafe, Executor};
use tome_store::Store;

/// Whether this run asked for PostgreSQL.
pub fn postgres_wanted() -> bool {
    std::env::var("TOME_TEST_BACKEND").is_ok_and(|v| v.eq_ignore_ascii_case("postgres"))
}

/// A test archive's database: nothing to hold for SQLite, a scratch database for PostgreSQL.
pub struct TestDatabase {
    /// `Some` on PostgreSQL: the database URL, the admin URL and the database's name.
    pg: Option<(String, String, String)>,
}

/// Runs `f` to completion on a runtime of its own, on another thread: callable from sync
/// code and from inside a test's runtime alike.
fn block_on<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    })
    .join()
    .expect("database set-up thread")
}

impl TestDatabase {
    /// The database the environment asks for (see the module notes).
    pub fn from_env() -> TestDatabase {
        if !postgres_wanted() {
            return TestDatabase { pg: None };
        }
        TestDatabase::postgres()
    }

    /// Nothing to hold: for a second handle on an archive another holder keeps.
    pub fn none() -> TestDatabase {
        TestDatabase { pg: None }
    }

    /// A fresh PostgreSQL database, whatever the environment says.
    pub fn postgres() -> TestDatabase {
        static N: AtomicU64 = AtomicU64::new(0);
        sqlx::any::install_default_drivers();
        let base = std::env::var("TOME_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let admin_url = format!("{base}/test");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "tome_t{}_{}_{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let (a, n) = (admin_url.clone(), name.clone());
        block_on(async move {
            let admin = AnyPool::connect(&a).await.unwrap_or_else(|e| {
                panic!(
                    "TOME_TEST_BACKEND=postgres but PostgreSQL is not reachable at {a} ({e}); \
                     start it or point TOME_TEST_POSTGRES at one"
                )
            });
            admin
                .execute(AssertSqlSafe(format!("CREATE DATABASE {n}")))
                .await
                .expect("create test database");
            admin.close().await;
        });
        TestDatabase {
            pg: Some((format!("{base}/{name}"), admin_url, name)),
        }
    }

    /// The PostgreSQL URL, or `None` for SQLite in the data folder.
    pub fn url(&self) -> Option<&str> {
        self.pg.as_ref().map(|(u, _, _)| u.as_str())
    }

    /// Opens the archive's store: this database, or `DIR/tome.db`.
    pub async fn open(&self, dir: &Path) -> Store {
        match self.url() {
            Some(url) => Store::open(url).await.expect("open postgres store"),
            None => Store::open_data_dir(dir).await.expect("open sqlite store"),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((_, admin_url, name)) = self.pg.take() else {
            return;
        };
        block_on(async move {
            if let Ok(admin) = AnyPool::connect(&admin_url).await {
                // FORCE ends the connections a server under test may still hold.
                let _ = admin
                    .execute(AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await;
                admin.close().await;
            }
        });
    }
}
