//! A throw-away archive of 1,000 works served on 127.0.0.1:18181, for `wrk`:
//! `cargo run --release -p tome-web --example bench_server` then
//! `wrk -t2 -c50 -d10s http://127.0.0.1:18181/works/500`.

use tome_model::{ChapterDraft, Rating, TagKind, WorkDraft};
use tome_store::Store;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = Store::open_data_dir(dir.path()).await?;
    let para = "<p>It was a dark and stormy night, and the rain fell in torrents, except at occasional intervals.</p>";
    for i in 0..1000 {
        let body = para.repeat(60);
        let draft = WorkDraft {
            title: format!("Work number {i}"),
            authors: vec![format!("author{}", i % 50)],
            rating: Some(Rating::Teen),
            tags: vec![
                (TagKind::Fandom, format!("Fandom {}", i % 20)),
                (TagKind::Freeform, "Angst".into()),
            ],
            language: "en".into(),
            summary_html: Some("<p>A summary.</p>".into()),
            chapters: (0..3)
                .map(|c| ChapterDraft {
                    title: Some(format!("Part {c}")),
                    body_html: body.clone(),
                    word_count: 1000,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        store.create_work(&draft).await?;
    }
    let state = tome_web::AppState::new(store, "Bench Archive");
    eprintln!("ready");
    tome_web::serve(state, "127.0.0.1:18181".parse()?, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
