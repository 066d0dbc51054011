//! The store's test harness, shared by every test file here: a store on a fresh SQLite
//! file or a fresh PostgreSQL database, and `on_both!` to run a test on each.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432` (override with
//! `TOME_TEST_POSTGRES`); each test creates its own database through the `test` database
//! and drops it at the end. Set `TOME_SKIP_POSTGRES=1` to skip those runs.

use sqlx::{AnyPool, AssertSqlSafe, Executor};
use tome_store::{Backend, Store};

/// A store under test plus what is needed to clean it up.
pub struct TestDb {
    pub store: Store,
    #[allow(dead_code)] // not every test file opens a side connection
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>, // (admin URL, database name)
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_data_dir(dir.path())
            .await
            .expect("open sqlite store");
        assert_eq!(store.backend(), Backend::Sqlite);
        let url = format!("sqlite:{}", dir.path().join("tome.db").display());
        TestDb {
            store,
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// `None` when the Postgres runs are switched off; panics when the server is unreachable.
    pub async fn postgres() -> Option<TestDb> {
        if std::env::var("TOME_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
            eprintln!("TOME_SKIP_POSTGRES=1: skipping the PostgreSQL run");
            return None;
        }
        sqlx::any::install_default_drivers();
        let base = std::env::var("TOME_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let admin_url = format!("{base}/test");
        let admin = sqlx::any::AnyPoolOptions::new()
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "PostgreSQL is not reachable at {admin_url} ({e}). Start it, point \
                 TOME_TEST_POSTGRES at one, or set TOME_SKIP_POSTGRES=1 to skip these tests."
                )
            });
        let name = format!("tome_test_{:016x}", rand::random::<u64>());
        admin
            .execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("create test database");
        admin.close().await;
        let url = format!("{base}/{name}");
        let store = Store::open(&url).await.expect("open postgres store");
        assert_eq!(store.backend(), Backend::Postgres);
        Some(TestDb {
            store,
            url,
            _dir: None,
            pg: Some((admin_url, name)),
        })
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = self.pg {
            let admin = AnyPool::connect(&admin_url).await.expect("reconnect admin");
            admin
                .execute(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await
                .expect("drop test database");
            admin.close().await;
        }
    }
}

/// Runs an `async fn(&TestDb)` on both backends.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let db = super::support::TestDb::sqlite().await;
                super::$name(&db).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = super::support::TestDb::postgres().await else { return };
                super::$name(&db).await;
                db.finish().await;
            }
        }
    )*};
}
