//! Search and browse: a tantivy index of the archive's listed works.
//!
//! The database stays the source of truth. The [`indexer`] reads the store's outbox into
//! the index and records its outbox position with each index commit (in the index itself,
//! so several nodes may keep their own index of one database), so a crash loses nothing
//! and a restart catches up. [`Search::search`] turns a [`WorkFilter`] into one query (see
//! [`query`]), sorts by one combined fast field per column that holds the work id as
//! tie-breaker (so pages are stable and match the SQL order `ORDER BY col, id`, see
//! [`sort`]), counts, and optionally computes
//! [`facets`]. Queries run on blocking threads, off the async runtime.

pub mod autocomplete;
pub mod blurbs;
pub mod bounds;
pub mod cache;
pub mod document;
pub mod facets;
pub mod indexer;
pub mod query;
pub mod schema;
pub mod sort;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::query::{Query, QueryParser};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher};
use tome_model::filter::WorkFilter;
use tome_store::{Store, StoreError, TagGraph};

pub use bounds::QueryTooComplex;
pub use cache::CacheStats;
pub use facets::{FacetCount, Facets};
pub use schema::Fields;

/// How deep a search may page: results past this many are not served.
pub const MAX_RESULTS: u64 = 10_000;
/// Tags shown per facet kind.
pub const FACET_TOP: usize = 10;
/// Memory budget of the results cache, in bytes (a page of ids, snippets and facets
/// weighs a few KB). `TOME_SEARCH_CACHE_BYTES` overrides it; `TOME_SEARCH_CACHE=0`
/// turns both caches off.
pub const RESULTS_CACHE_BYTES: u64 = 32 * 1024 * 1024;
/// Memory budget of the guests' rendered result pages, in bytes (a page of 20 blurbs
/// is 20-200 KB). `TOME_SEARCH_PAGES_BYTES` overrides it.
pub const PAGES_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// Default budget of the blurbs cache: about 40,000 typical blurbs.
pub const BLURBS_CACHE_BYTES: u64 = 48 * 1024 * 1024;
/// Memory budget of the index writer.
const WRITER_MEMORY: usize = 100_000_000;

/// What can go wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("cannot open the search index folder: {0}")]
    Dir(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("search index folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(
        "Only the first {max} results can be paged through; narrow the search or change the sort."
    )]
    TooDeep { max: u64 },
    /// The reader's search is past a bound (too long, too deep, too many terms or tags).
    #[error("{0}")]
    Query(#[from] QueryTooComplex),
    /// The reader's search text asks for something the index cannot answer (such as
    /// `title:*`, which needs a field kept for sorting); the message says so.
    #[error("{0}")]
    Unsearchable(String),
    #[error("search task failed: {0}")]
    Task(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// One search: the filter, who asks, how many per page, whether to count facets.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub filter: WorkFilter,
    /// Logged-in readers also see restricted works.
    pub member: bool,
    pub per_page: u32,
    pub facets: bool,
    /// Unix seconds, for relative dates.
    pub now: i64,
}

/// A page of results: work ids in order, the total, snippets and facets.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: u64,
    pub ids: Vec<i64>,
    /// Highlighted HTML snippet per work id (text queries only).
    pub snippets: HashMap<i64, String>,
    pub facets: Option<Facets>,
    /// Included tag names the archive does not know.
    pub unknown_tags: Vec<String>,
}

fn with_kinds(g: TagGraph) -> (Arc<TagGraph>, Arc<facets::Kinds>) {
    let kinds = facets::Kinds::of(&g);
    (Arc::new(g), Arc::new(kinds))
}

/// Memory budgets of the search caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheBudget {
    /// Bytes of engine answers ([`RESULTS_CACHE_BYTES`] by default; 0: off).
    pub results_bytes: u64,
    /// Bytes of guests' rendered result pages ([`PAGES_CACHE_BYTES`] by default; 0: off).
    pub pages_bytes: u64,
    /// Bytes of work blurbs ([`BLURBS_CACHE_BYTES`] by default; 0: off).
    pub blurbs_bytes: u64,
}

impl Default for CacheBudget {
    fn default() -> CacheBudget {
        CacheBudget {
            results_bytes: RESULTS_CACHE_BYTES,
            pages_bytes: PAGES_CACHE_BYTES,
            blurbs_bytes: BLURBS_CACHE_BYTES,
        }
    }
}

impl CacheBudget {
    /// The defaults with the environment's overrides: `TOME_SEARCH_CACHE_BYTES`,
    /// `TOME_SEARCH_PAGES_BYTES`, `TOME_BLURBS_BYTES`, and `TOME_SEARCH_CACHE=0` (no
    /// caching at all).
    pub fn from_env() -> CacheBudget {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let mut b = CacheBudget::default();
        if let Some(n) = var("TOME_SEARCH_CACHE_BYTES") {
            b.results_bytes = n;
        }
        if let Some(n) = var("TOME_SEARCH_PAGES_BYTES") {
            b.pages_bytes = n;
        }
        if let Some(n) = var("TOME_BLURBS_BYTES") {
            b.blurbs_bytes = n;
        }
        if var("TOME_SEARCH_CACHE") == Some(0) {
            b = CacheBudget {
                results_bytes: 0,
                pages_bytes: 0,
                blurbs_bytes: 0,
            };
        }
        b
    }
}

/// The search index of one archive. Cheap to clone.
#[derive(Clone)]
pub struct Search {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<IndexWriter>,
    store: Store,
    /// The graph and its dense kind table (what facets count by), replaced together.
    graph: RwLock<(Arc<TagGraph>, Arc<facets::Kinds>)>,
    /// Whole-corpus facets per audience (member?), dropped on every commit.
    corpus_facets: Mutex<HashMap<bool, Facets>>,
    /// Recent answers, dropped on every reload of the reader.
    results: cache::ResultsCache,
    /// Pages rendered from results, kept by the web layer, dropped with `results`.
    pages: cache::Cache<cache::KeptPage>,
    /// Blurbs of works, each forgotten when the indexer applies a change to its work.
    blurbs: blurbs::BlurbCache,
    /// One catch-up at a time: each reads the position the previous one committed.
    catching_up: tokio::sync::Mutex<()>,
}

/// Name of the index folder inside a data folder.
pub const INDEX_DIR: &str = "index";

impl Search {
    /// Opens the index in `dir`, creating an empty one when the folder is new or holds an
    /// index of another schema version (the indexer then fills it from the outbox).
    pub async fn open(dir: &Path, store: Store) -> Result<Search> {
        Search::open_with(dir, store, CacheBudget::from_env()).await
    }

    /// [`Search::open`] with explicit cache budgets.
    pub async fn open_with(dir: &Path, store: Store, budget: CacheBudget) -> Result<Search> {
        let (schema, fields) = schema::build();
        let version_file = dir.join("tome-schema-version");
        let current = std::fs::read_to_string(&version_file)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok());
        if current != Some(schema::SCHEMA_VERSION) {
            if dir.exists() {
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Io(dir.into(), e))?;
            }
            std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(dir.into(), e))?;
            std::fs::write(&version_file, schema::SCHEMA_VERSION.to_string())
                .map_err(|e| SearchError::Io(dir.into(), e))?;
            // A fresh index has no position: it reads the outbox from the start, or
            // refills itself from the works when the outbox was pruned.
        }
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(mmap, schema)?;
        let graph = store.tag_graph().await?;
        Search::from_index(index, fields, store, graph, budget)
    }

    fn from_index(
        mut index: Index,
        fields: Fields,
        store: Store,
        graph: TagGraph,
        budget: CacheBudget,
    ) -> Result<Search> {
        // One query's segments are searched on all cores: a search over a million works
        // scans every segment, and splitting them roughly divides its latency by the cores.
        index.set_default_multithread_executor()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        Ok(Search {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                writer: Mutex::new(writer),
                store,
                graph: RwLock::new(with_kinds(graph)),
                corpus_facets: Mutex::new(HashMap::new()),
                results: cache::ResultsCache::new(budget.results_bytes),
                pages: cache::Cache::new(budget.pages_bytes),
                blurbs: blurbs::BlurbCache::new(budget.blurbs_bytes),
                catching_up: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The store this index is fed from.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The tag graph queries are resolved against (refreshed by the indexer).
    pub fn graph(&self) -> Arc<TagGraph> {
        self.graph_and_kinds().0
    }

    fn graph_and_kinds(&self) -> (Arc<TagGraph>, Arc<facets::Kinds>) {
        self.inner
            .graph
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn set_graph(&self, g: TagGraph) {
        let new = with_kinds(g);
        let mut w = self.inner.graph.write().unwrap_or_else(|p| p.into_inner());
        *w = new;
    }

    /// Documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Runs a search: from the results cache when the same request (same audience) was
    /// answered since the index last changed, else on a blocking thread.
    pub async fn search(&self, req: SearchRequest) -> Result<SearchResults> {
        let key = cache::key(&req);
        if let Some(hit) = self.inner.results.get(&key) {
            return Ok(hit);
        }
        let generation = self.inner.results.generation();
        let results = self.search_uncached(req).await?;
        self.inner.results.put(key, generation, &results);
        Ok(results)
    }

    /// Runs a search on a blocking thread, bypassing the results cache (benchmarks).
    pub async fn search_uncached(&self, req: SearchRequest) -> Result<SearchResults> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.search_blocking(&req))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))?
    }

    /// How the results cache is doing.
    pub fn cache_stats(&self) -> CacheStats {
        self.inner.results.stats()
    }

    /// The blurbs of `ids` in the order given (works that no longer exist skipped): kept
    /// ones from memory, the others from the store in one read (see [`blurbs`]).
    pub async fn blurbs(&self, ids: &[i64]) -> tome_store::Result<Vec<tome_store::WorkBlurb>> {
        self.inner.blurbs.blurbs(&self.inner.store, ids).await
    }

    /// How the blurbs cache is doing.
    pub fn blurb_cache_stats(&self) -> CacheStats {
        self.inner.blurbs.stats()
    }

    /// How the rendered pages cache is doing.
    pub fn page_cache_stats(&self) -> CacheStats {
        self.inner.pages.stats()
    }

    /// Pages rendered from results (listings, search results): the web layer keys them
    /// by the request and audience and stores them with [`cache::Cache::generation`]
    /// read before searching. Emptied with the results cache, on every reload of the
    /// index.
    pub fn page_cache(&self) -> &cache::Cache<cache::KeptPage> {
        &self.inner.pages
    }

    /// Empties the results cache (the index or the tag graph changed).
    fn forget_results(&self) {
        self.inner.results.invalidate();
        self.inner.pages.invalidate();
    }

    /// Runs a search on this thread.
    pub fn search_blocking(&self, req: &SearchRequest) -> Result<SearchResults> {
        let f = &self.inner.fields;
        let per_page = u64::from(req.per_page.clamp(1, 1000));
        let offset = u64::from(req.filter.page.max(1) - 1) * per_page;
        if offset + per_page > MAX_RESULTS {
            return Err(SearchError::TooDeep { max: MAX_RESULTS });
        }
        let (graph, kinds) = self.graph_and_kinds();
        bounds::check_filter(&req.filter)?;
        let resolved = query::resolve(&req.filter, &graph);
        let parser = self.parser();
        let q = query::build(f, &req.filter, &resolved, &parser, req.member, req.now)?;
        let searcher = self.inner.reader.searcher();
        let top = (per_page as usize, offset as usize);
        let (col, dir) = req.filter.effective_sort();
        let want_facets = req.facets;
        let cached = if want_facets && !req.filter.narrows() {
            self.cached_facets(req.member)
        } else {
            None
        };
        let facet_collector = (want_facets && cached.is_none()).then(|| facets::FacetCollector {
            field: "facets".into(),
            bound: kinds.bound(),
        });
        let (total, docs, counts) = sort::sorted(&searcher, &*q, top, col, dir, facet_collector)
            .map_err(|e| query::reader_error(e, &req.filter))?;
        let ids = self.doc_ids(&searcher, &docs)?;
        let facets = match (cached, counts) {
            (Some(c), _) => Some(c),
            (None, Some(counts)) => {
                let fc = facets::top(&counts, &kinds, &graph, FACET_TOP);
                if !req.filter.narrows() {
                    self.cache_facets(req.member, fc.clone());
                }
                Some(fc)
            }
            (None, None) => None,
        };
        let snippets = match query::text_query(&req.filter, &parser)? {
            Some(tq) => self.snippets(&searcher, &*tq, &docs, &ids)?,
            None => HashMap::new(),
        };
        Ok(SearchResults {
            total: total as u64,
            ids,
            snippets,
            facets,
            unknown_tags: resolved.unknown,
        })
    }

    fn parser(&self) -> QueryParser {
        query::parser(&self.inner.index, &self.inner.fields)
    }

    fn doc_ids(&self, searcher: &Searcher, docs: &[DocAddress]) -> Result<Vec<i64>> {
        let mut cols = HashMap::new();
        let mut out = Vec::with_capacity(docs.len());
        for d in docs {
            let col = match cols.entry(d.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(d.segment_ord)
                        .fast_fields()
                        .u64("id")?,
                ),
            };
            if let Some(id) = col.first(d.doc_id) {
                out.push(i64::try_from(id).unwrap_or(0));
            }
        }
        Ok(out)
    }

    fn snippets(
        &self,
        searcher: &Searcher,
        tq: &dyn Query,
        docs: &[DocAddress],
        ids: &[i64],
    ) -> Result<HashMap<i64, String>> {
        use tantivy::schema::Value;
        let f = &self.inner.fields;
        let mut body = SnippetGenerator::create(searcher, tq, f.body)?;
        body.set_max_num_chars(240);
        let mut summary = SnippetGenerator::create(searcher, tq, f.summary)?;
        summary.set_max_num_chars(240);
        let mut out = HashMap::new();
        for (d, id) in docs.iter().zip(ids) {
            let doc: tantivy::TantivyDocument = searcher.doc(*d)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            let mut s = body.snippet(&text(f.excerpt));
            if s.highlighted().is_empty() {
                s = summary.snippet(&text(f.summary));
            }
            if !s.highlighted().is_empty() {
                out.insert(*id, s.to_html());
            }
        }
        Ok(out)
    }

    fn cached_facets(&self, member: bool) -> Option<Facets> {
        self.inner
            .corpus_facets
            .lock()
            .ok()
            .and_then(|c| c.get(&member).cloned())
    }

    fn cache_facets(&self, member: bool, f: Facets) {
        if let Ok(mut c) = self.inner.corpus_facets.lock() {
            c.insert(member, f);
        }
    }

    fn forget_facets(&self) {
        if let Ok(mut c) = self.inner.corpus_facets.lock() {
            c.clear();
        }
    }
}
