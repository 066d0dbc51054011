//! `WorkFilter` -> tantivy query: one `Must(TermQuery)` per included tag, one
//! `MustNot(TermQuery)` per excluded tag, range queries on fast fields for numbers
//! and dates, the query parser for the text, and `Must(AllQuery)` when nothing is positive
//! (a boolean query of only exclusions matches nothing).

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Term};
use tome_model::filter::{Crossover, WorkFilter};
use tome_model::visibility::{self, Audience, Flag};
use tome_store::TagGraph;

use crate::bounds::{self, QueryTooComplex};
use crate::schema::Fields;

/// A filter with its tag names resolved to canonical ids.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub include: Vec<i64>,
    pub exclude: Vec<i64>,
    pub any_of: Vec<Vec<i64>>,
    /// Included names the archive does not know: nothing can match.
    pub unknown: Vec<String>,
}

/// Resolves names and maps every tag to its canonical tag (synonyms' works are indexed
/// under the canonical id too).
pub fn resolve(filter: &WorkFilter, graph: &TagGraph) -> Resolved {
    let mut r = Resolved::default();
    let push = |v: &mut Vec<i64>, id: i64| {
        let c = graph.canonical(id);
        if !v.contains(&c) {
            v.push(c);
        }
    };
    for t in &filter.include {
        push(&mut r.include, t.id);
    }
    for n in &filter.include_names {
        match graph.by_name(n) {
            Some(id) => push(&mut r.include, id),
            None => r.unknown.push(n.clone()),
        }
    }
    for t in &filter.exclude {
        push(&mut r.exclude, t.id);
    }
    for n in &filter.exclude_names {
        if let Some(id) = graph.by_name(n) {
            push(&mut r.exclude, id);
        }
    }
    for g in &filter.any_of {
        let mut group = Vec::new();
        for id in g {
            push(&mut group, *id);
        }
        r.any_of.push(group);
    }
    r
}

fn u64_term(field: Field, v: i64) -> Term {
    Term::from_field_u64(field, u64::try_from(v).unwrap_or(0))
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn u64_range(field: Field, lo: Option<u64>, hi: Option<u64>) -> Box<dyn Query> {
    let b = |v: Option<u64>| {
        v.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_u64(field, v))
        })
    };
    Box::new(RangeQuery::new(b(lo), b(hi)))
}

fn i64_range(field: Field, lo: Option<i64>, hi: Option<i64>) -> Box<dyn Query> {
    let b = |v: Option<i64>| {
        v.map_or(Bound::Unbounded, |v| {
            Bound::Included(Term::from_field_i64(field, v))
        })
    };
    Box::new(RangeQuery::new(b(lo), b(hi)))
}

/// The parser of reader's search text: the text fields, all words required by default,
/// titles and tags weighing more.
pub fn parser(index: &Index, f: &Fields) -> QueryParser {
    let mut p = QueryParser::for_index(
        index,
        vec![f.title, f.summary, f.notes, f.tag_names, f.creator, f.body],
    );
    p.set_conjunction_by_default();
    p.set_field_boost(f.title, 3.0);
    p.set_field_boost(f.tag_names, 2.0);
    p.set_field_boost(f.summary, 1.5);
    p
}

/// Query building on its own, over an empty in-memory index of the archive's schema:
/// what the property tests and the fuzz target drive through the same [`build`] every
/// search uses, and then run.
pub struct Standalone {
    index: Index,
    fields: Fields,
    parser: QueryParser,
}

impl Standalone {
    pub fn new() -> tantivy::Result<Standalone> {
        let (schema, fields) = crate::schema::build();
        let index = Index::create_in_ram(schema);
        let parser = parser(&index, &fields);
        Ok(Standalone {
            index,
            fields,
            parser,
        })
    }

    /// Builds the query of a filter read from query-string pairs, as a guest's search.
    pub fn build(&self, filter: &WorkFilter) -> Result<Box<dyn Query>, QueryTooComplex> {
        build(
            &self.fields,
            filter,
            &Resolved::default(),
            &self.parser,
            false,
            0,
        )
    }

    /// Builds and runs the filter's query: the number of matches (always 0: the index
    /// is empty, but the query's weights and scorers are made as for a real search).
    pub fn run(&self, filter: &WorkFilter) -> Result<usize, crate::SearchError> {
        let q = self.build(filter)?;
        let reader = self.index.reader()?;
        reader
            .searcher()
            .search(&*q, &tantivy::collector::Count)
            .map_err(|e| reader_error(e.into(), filter))
    }
}

/// An error of running a query, as the reader should see it: a schema error while the
/// filter has search text comes from what was typed (`title:*` asks whether the field
/// exists, which only fields kept for sorting can answer), so it is the reader's to
/// change, not a failure of ours.
pub fn reader_error(e: crate::SearchError, filter: &WorkFilter) -> crate::SearchError {
    match e {
        crate::SearchError::Index(
            tantivy::TantivyError::SchemaError(_) | tantivy::TantivyError::FieldNotFound(_),
        ) if !filter.query.trim().is_empty() => crate::SearchError::Unsearchable(
            "Part of the search text can't be searched (a field name followed by * \
                 or a range on a text field); please search for words instead."
                .into(),
        ),
        e => e,
    }
}

/// The text part alone (also used for snippets), `None` when there is no text. The text
/// is checked against the [`bounds`] before the parser sees it: the parser recurses per
/// group, so an unchecked `((((…` could overflow the stack.
pub fn text_query(
    filter: &WorkFilter,
    parser: &QueryParser,
) -> Result<Option<Box<dyn Query>>, QueryTooComplex> {
    let q = filter.query.trim();
    if q.is_empty() {
        return Ok(None);
    }
    bounds::check_query(q)?;
    // Lenient: a stray quote or colon in a reader's query must not become an error page.
    let (query, _errors) = parser.parse_query_lenient(q);
    Ok(Some(query))
}

/// The whole query. `member`: for a logged-in reader (what each audience sees is
/// `tome_model::visibility`'s rule). A filter past the [`bounds`] is refused before
/// anything is parsed.
pub fn build(
    f: &Fields,
    filter: &WorkFilter,
    resolved: &Resolved,
    parser: &QueryParser,
    member: bool,
    now: i64,
) -> Result<Box<dyn Query>, QueryTooComplex> {
    bounds::check_filter(filter)?;
    if !resolved.unknown.is_empty() {
        return Ok(Box::new(EmptyQuery));
    }
    let mut must: Vec<Box<dyn Query>> = Vec::new();
    let mut must_not: Vec<Box<dyn Query>> = Vec::new();
    for id in &resolved.include {
        must.push(term_query(u64_term(f.tags, *id)));
    }
    for group in &resolved.any_of {
        must.push(Box::new(TermSetQuery::new(
            group.iter().map(|id| u64_term(f.tags, *id)),
        )));
    }
    // One clause per excluded tag rather than one term set: a term set reads every
    // posting of every excluded tag up front (millions for 20 popular tags), while
    // separate clauses only skip to the candidates the positive clauses produce.
    for id in &resolved.exclude {
        must_not.push(term_query(u64_term(f.tags, *id)));
    }
    match filter.crossover {
        Crossover::Include => {}
        Crossover::Only => must.push(u64_range(f.fandoms, Some(2), None)),
        Crossover::Exclude => must.push(u64_range(f.fandoms, None, Some(1))),
    }
    if let Some(n) = filter.max_fandoms {
        must.push(u64_range(f.fandoms, None, Some(u64::from(n))));
    }
    if let Some(c) = filter.complete {
        must.push(term_query(Term::from_field_u64(f.complete, u64::from(c))));
    }
    if filter.single_chapter {
        must.push(u64_range(f.chapters, Some(1), Some(1)));
    }
    if filter.words_from.is_some() || filter.words_to.is_some() {
        must.push(u64_range(f.words, filter.words_from, filter.words_to));
    }
    if let Some(d) = filter.updated {
        let (lo, hi) = d.resolve(now);
        must.push(i64_range(f.updated, lo, hi));
    }
    if let Some(d) = filter.posted {
        let (lo, hi) = d.resolve(now);
        must.push(i64_range(f.published, lo, hi));
    }
    if let Some(l) = &filter.language {
        must.push(term_query(Term::from_field_text(f.language, l)));
    }
    // What this audience must not see, from the one definition of visibility. Drafts
    // and hidden works are never indexed (`visibility::indexed`); a flag the index has
    // no field for makes the query match nothing rather than leak.
    for flag in visibility::search_exclusions(Audience::from_member(member)) {
        match flag {
            Flag::Restricted => {
                must_not.push(term_query(Term::from_field_u64(f.restricted, 1)));
            }
            Flag::Draft | Flag::Hidden | Flag::Anonymous => return Ok(Box::new(EmptyQuery)),
        }
    }
    if let Some(t) = text_query(filter, parser)? {
        must.push(t);
    }
    if must.is_empty() {
        must.push(Box::new(AllQuery));
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = must
        .into_iter()
        .map(|q| (Occur::Must, q))
        .chain(must_not.into_iter().map(|q| (Occur::MustNot, q)))
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}
