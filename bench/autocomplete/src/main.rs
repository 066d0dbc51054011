//! `bench-autocomplete [--tags N] [--queries N] [--seed N]`: generates N tags (default
//! 1,000,000) plus synonyms, builds the autocomplete index, and times N typed terms
//! (default 10,000) one by one, printing median and p99 per shape of term, with and
//! without a kind filter. Build with `--release`.

use std::time::{Duration, Instant};

use tome_bench_autocomplete::{generate, terms};
use tome_search::autocomplete::{DEFAULT_LIMIT, TagIndex};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let tags = arg("--tags", 1_000_000) as usize;
    let queries = arg("--queries", 10_000) as usize;
    let seed = arg("--seed", 42);

    let t = Instant::now();
    let rows = generate(tags, seed);
    let generated = t.elapsed();
    let synonyms = rows.iter().filter(|r| r.merger_id.is_some()).count();
    let rss_before = rss_kb("VmRSS:");

    let t = Instant::now();
    let index = TagIndex::build(&rows);
    let built = t.elapsed();
    let rss_after = rss_kb("VmRSS:");

    println!(
        "vocabulary: {} tags + {} synonyms = {} rows, generated in {:.1} s",
        rows.len() - synonyms,
        synonyms,
        rows.len(),
        generated.as_secs_f64()
    );
    println!(
        "index: {} names offered (unwrangled tags without listed uses left out), {} word-start suffixes",
        index.len(),
        index.suffixes()
    );
    println!(
        "build: {:.2} s; index heap {:.1} MB; process RSS {:.0} MB before the build, {:.0} MB after",
        built.as_secs_f64(),
        index.heap_bytes() as f64 / 1e6,
        rss_before as f64 / 1e3,
        rss_after as f64 / 1e3
    );

    let terms = terms(&rows, queries, seed ^ 0x5eed);
    // One untimed pass so the first queries do not pay for page faults alone.
    for t in &terms {
        std::hint::black_box(index.search(&t.text, t.kind, DEFAULT_LIMIT));
    }
    let mut timed: Vec<(String, bool, Duration, usize)> = Vec::with_capacity(terms.len());
    for t in &terms {
        let start = Instant::now();
        let hits = index.search(&t.text, t.kind, DEFAULT_LIMIT);
        let took = start.elapsed();
        timed.push((t.shape.clone(), t.kind.is_some(), took, hits.len()));
    }

    println!();
    println!("| term | kind filter | queries | median µs | p99 µs | max µs | mean answers |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let mut shapes: Vec<String> = timed.iter().map(|t| t.0.clone()).collect();
    shapes.sort();
    shapes.dedup();
    let mut groups: Vec<(String, Option<bool>)> = Vec::new();
    for s in &shapes {
        groups.push((s.clone(), Some(false)));
        groups.push((s.clone(), Some(true)));
    }
    groups.push(("all".into(), Some(false)));
    groups.push(("all".into(), Some(true)));
    groups.push(("all".into(), None));
    for (shape, filtered) in groups {
        let mut d: Vec<Duration> = Vec::new();
        let mut answers = 0usize;
        for (s, f, took, n) in &timed {
            if (shape == "all" || *s == shape) && filtered.is_none_or(|want| want == *f) {
                d.push(*took);
                answers += n;
            }
        }
        if d.is_empty() {
            continue;
        }
        d.sort();
        let label = match shape.as_str() {
            "all" => "all".to_owned(),
            "2 words" => "2 words, 2–3 letters each".to_owned(),
            n => format!("{n} letter{}", if n == "1" { "" } else { "s" }),
        };
        println!(
            "| {label} | {} | {} | {} | {} | {} | {:.1} |",
            match filtered {
                Some(true) => "yes",
                Some(false) => "no",
                None => "either",
            },
            d.len(),
            us(pct(&d, 0.5)),
            us(pct(&d, 0.99)),
            us(d[d.len() - 1]),
            answers as f64 / d.len() as f64
        );
    }
}
