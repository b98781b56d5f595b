//! The engine's own benchmark: doc-id set intersections with and without the
//! CPU-specific path, and searches over a synthetic corpus. Run with:
//!
//! ```sh
//! cargo bench -p agora-search --bench engine -- --docs 100000
//! ```
//!
//! Options: `--docs N` (default 100000), `--rounds N` (default 200 searches per query).

use std::hint::black_box;
use std::time::{Duration, Instant};

use agora_search::bits::{DocIdBitSet, intersection_len_scalar};
use agora_search::{AccessKey, AccessSet, Engine, Layout, Order, Request, analyzer};
use tantivy::schema::Schema;
use tantivy::{Index, IndexWriter, TantivyDocument};

const WORDS: [&str; 24] = [
    "census",
    "coding",
    "occupation",
    "classification",
    "prices",
    "index",
    "survey",
    "imputation",
    "editing",
    "record",
    "linkage",
    "time",
    "series",
    "seasonal",
    "adjustment",
    "labour",
    "income",
    "enterprise",
    "web",
    "scraping",
    "land",
    "cover",
    "model",
    "économie",
];

struct Args {
    docs: u32,
    rounds: usize,
}

fn args() -> Args {
    let mut a = Args {
        docs: 100_000,
        rounds: 200,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value: Option<usize> = argv.get(i + 1).and_then(|v| v.parse().ok());
        match (argv[i].as_str(), value) {
            ("--docs", Some(v)) => a.docs = v as u32,
            ("--rounds", Some(v)) => a.rounds = v,
            ("--bench", _) => {
                i += 1;
                continue;
            }
            (other, _) => panic!("unknown or incomplete option `{other}`; see the file's header"),
        }
        i += 2;
    }
    a
}

/// A deterministic sequence (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn bits(docs: &Args) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut set = |density: u64| {
        let mut s = DocIdBitSet::new(docs.docs);
        for d in 0..docs.docs {
            if rng.next() % 100 < density {
                s.insert(d);
            }
        }
        s
    };
    let (a, b) = (set(30), set(10));
    let words = a.words().len();
    let rounds = 20_000_000 / words.max(1);
    let time = |f: &dyn Fn() -> u32| {
        let started = Instant::now();
        let mut n = 0;
        for _ in 0..rounds {
            n += black_box(f());
        }
        black_box(n);
        started.elapsed().as_secs_f64() * 1e9 / (rounds * words) as f64
    };
    let scalar = time(&|| intersection_len_scalar(black_box(a.words()), black_box(b.words())));
    let dispatched = time(&|| black_box(&a).intersection_len(black_box(&b)));
    println!(
        "intersection count of two sets of {} documents ({words} words), {rounds} rounds:",
        docs.docs
    );
    println!("  scalar                     {scalar:6.3} ns a word");
    println!("  CPU-specific (if present)  {dispatched:6.3} ns a word");
    println!(
        "  CPU features: avx2 {}, popcnt {}",
        cfg!(target_arch = "x86_64") && std::arch::is_x86_feature_detected!("avx2"),
        cfg!(target_arch = "x86_64") && std::arch::is_x86_feature_detected!("popcnt"),
    );
}

fn corpus(args: &Args) -> (Index, Layout) {
    let mut b = Schema::builder();
    let layout = Layout::add(&mut b, &["kind", "language"], &["group"]);
    let index = Index::create_in_ram(b.build());
    analyzer::register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 100_000_000).unwrap();
    let mut rng = Rng(42);
    for i in 0..args.docs {
        let mut words = |n: usize| {
            (0..n)
                .map(|_| {
                    // Skewed: the first words are far more frequent.
                    let w = rng.below(WORDS.len()).min(rng.below(WORDS.len()));
                    WORDS[w]
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = words(4);
        let text = words(40);
        let mut d = TantivyDocument::default();
        layout
            .title
            .all()
            .iter()
            .for_each(|&f| d.add_text(f, &title));
        layout.text.all().iter().for_each(|&f| d.add_text(f, &text));
        d.add_text(layout.facets[0], ["project", "model"][i as usize % 2]);
        d.add_text(layout.facets[1], ["en", "fr", "de"][i as usize / 3 % 3]);
        d.add_text(layout.access[0], ["public", "a", "b"][i as usize % 3]);
        d.add_i64(layout.updated_at, i64::from(i));
        d.add_u64(layout.tiebreak, u64::from(i));
        writer.add_document(d).unwrap();
    }
    writer.commit().unwrap();
    (index, layout)
}

fn searches(args: &Args) {
    let started = Instant::now();
    let (index, layout) = corpus(args);
    println!(
        "\nsynthetic corpus: {} documents indexed in {:.1} s",
        args.docs,
        started.elapsed().as_secs_f64()
    );
    let searcher = index.reader().unwrap().searcher();
    let engine = Engine::new(layout.clone());
    let access = AccessSet::AnyOf(vec![AccessKey {
        field: layout.access[0],
        value: "public".into(),
    }]);
    let no_filters: Vec<Vec<String>> = vec![vec![], vec![]];
    let french = vec![vec![], vec!["fr".to_string()]];
    let queries: [(&str, &[Vec<String>], Order); 6] = [
        ("census", &no_filters, Order::Relevance),
        ("census coding occupation", &no_filters, Order::Relevance),
        ("\"record linkage\"", &no_filters, Order::Relevance),
        ("scrapng", &no_filters, Order::Relevance),
        ("labour income", &french, Order::Relevance),
        ("", &no_filters, Order::Updated),
    ];
    println!(
        "searches as a reader of public documents, top 20, {} rounds each:",
        args.rounds
    );
    for (text, filters, order) in queries {
        let mut times: Vec<Duration> = Vec::with_capacity(args.rounds);
        let mut total = 0;
        for _ in 0..args.rounds {
            let started = Instant::now();
            let found = engine
                .search(
                    &searcher,
                    Request {
                        text,
                        facet_filters: filters,
                        filters: vec![],
                        access: &access,
                        order,
                        top: 20,
                    },
                )
                .unwrap();
            times.push(started.elapsed());
            total = found.total;
        }
        times.sort();
        let p = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
        println!(
            "  {:<28} {:>7} found   p50 {:7.3} ms   p99 {:7.3} ms",
            format!(
                "{text:?}{}",
                if filters[1].is_empty() {
                    ""
                } else {
                    " language=fr"
                }
            ),
            total,
            p(0.5),
            p(0.99)
        );
    }
}

fn main() {
    let args = args();
    bits(&args);
    searches(&args);
}
