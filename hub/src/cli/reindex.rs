//! `agora-hub reindex`: rebuilds the search index from PostgreSQL.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::app;
use crate::config::Config;
use crate::error::Result;
use crate::search::Search;

pub async fn run(config: Config) -> Result<()> {
    let db = app::pool(&config)?;
    app::migrate(&db).await?;
    let search = Search::open(&config.index_dir)?;
    let started = Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} items ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("reading items");
    bar.enable_steady_tick(Duration::from_millis(100));
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let documents = search.rebuild(&db, &progress).await?;
    // Events written while the rebuild ran.
    search.catch_up(&db).await?;
    bar.finish_and_clear();
    println!(
        "search index rebuilt in {}: {documents} documents in {:.1} s ({} on disk)",
        config.index_dir.display(),
        started.elapsed().as_secs_f64(),
        human_bytes(search.size_on_disk())
    );
    Ok(())
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / f64::from(1 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / f64::from(1 << 10)),
        n => format!("{n} B"),
    }
}
