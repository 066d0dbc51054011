//! `cargo bench -p tome-bench-autocomplete`: criterion's view of the same index (mean and
//! median per term shape); `bench-autocomplete` prints p99 over 10,000 terms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tome_bench_autocomplete::{generate, terms};
use tome_search::autocomplete::{DEFAULT_LIMIT, TagIndex};

fn autocomplete(c: &mut Criterion) {
    let rows = generate(1_000_000, 42);
    let index = TagIndex::build(&rows);
    let all = terms(&rows, 10_000, 42 ^ 0x5eed);
    let mut group = c.benchmark_group("autocomplete_1m");
    for (label, shape) in [
        ("1 letter", "1"),
        ("3 letters", "3"),
        ("6 letters", "6"),
        ("2 words", "2 words"),
    ] {
        let chosen: Vec<_> = all.iter().filter(|t| t.shape == shape).cloned().collect();
        for filtered in [false, true] {
            let set: Vec<_> = chosen
                .iter()
                .filter(|t| t.kind.is_some() == filtered)
                .cloned()
                .collect();
            let name = format!(
                "{label}, kind filter {}",
                if filtered { "yes" } else { "no" }
            );
            let mut i = 0usize;
            group.bench_function(name, |b| {
                b.iter(|| {
                    let t = &set[i % set.len()];
                    i += 1;
                    black_box(index.search(black_box(&t.text), t.kind, DEFAULT_LIMIT))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, autocomplete);
criterion_main!(benches);
