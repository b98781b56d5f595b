//! The one read rule, written once as a table of cases and asked of each of its three
//! forms: the SQL function `can_read` (called as `Caller::push_can_read` writes it into
//! queries), `Caller::can_read`, and the search index's admission (the caller's access set
//! as searches build it, against an item's document as the indexer writes it). Every form
//! must give the table's answer for every case.
//!
//! Callers are `Caller`s as requests resolve them: a personal API token resolves to the
//! same `Caller` as its user's session, and an agent reads as a member of its
//! organisation, so neither is a kind of its own. The rule does not depend on workstream
//! membership: a workstream's lead reads what any signed-in member reads (workstreams
//! themselves have no owners, the `none` column).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use Visibility::{Members, Organisation, Public};
use Who::*;
use agora_hub::policy::Caller;
use agora_hub::search::access::access_set;
use agora_hub::search::document::{Kind, SearchDoc};
use agora_hub::search::schema::Fields;
use agora_schemas::Visibility;
use agora_search::{Engine, Order, Request};
use sqlx::{PgPool, Postgres, QueryBuilder};
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, Searcher, TantivyDocument};

const A: &str = "stat-a";
const B: &str = "stat-b";

/// The owners of the table's columns: nobody (workstreams), A, B, A and B together
/// (projects and benchmarks may have several).
const OWNERS: [&[&str]; 4] = [&[], &[A], &[B], &[A, B]];

/// The kinds of caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// Signed in, in no organisation.
    SignedIn,
    MemberOfA,
    MemberOfB,
    MemberOfBoth,
    /// A member of A who is a steward of B.
    StewardOfB,
    /// Signed in, in no organisation, leading a workstream.
    WorkstreamLead,
    Admin,
    /// The hub itself (command-line tools).
    System,
}

impl Who {
    const ALL: [Who; 9] = [
        Who::Anonymous,
        Who::SignedIn,
        Who::MemberOfA,
        Who::MemberOfB,
        Who::MemberOfBoth,
        Who::StewardOfB,
        Who::WorkstreamLead,
        Who::Admin,
        Who::System,
    ];

    fn caller(self) -> Caller {
        match self {
            Who::Anonymous => Caller::anonymous(),
            Who::SignedIn => Caller::member("someone@example.org", &[]),
            Who::MemberOfA => Caller::member("a@stat-a.example", &[A]),
            Who::MemberOfB => Caller::member("b@stat-b.example", &[B]),
            Who::MemberOfBoth => Caller::member("ab@example.org", &[A, B]),
            Who::StewardOfB => Caller {
                steward_of: vec![B.into()],
                ..Caller::member("s@stat-a.example", &[A])
            },
            Who::WorkstreamLead => Caller {
                lead_of: vec!["ws-open".into()],
                ..Caller::member("lead@example.org", &[])
            },
            Who::Admin => Caller {
                admin: true,
                ..Caller::member("admin@example.org", &[])
            },
            Who::System => Caller::system(),
        }
    }
}

const Y: bool = true;
const N: bool = false;

/// Who reads what: for a caller and an item's visibility, the answer for items owned by
/// each of [`OWNERS`] in turn.
#[rustfmt::skip]
const TABLE: [(Who, Visibility, [bool; 4]); 27] = [
    //                              none  A     B     A+B
    (Anonymous,      Public,       [Y,    Y,    Y,    Y]),
    (Anonymous,      Members,      [N,    N,    N,    N]),
    (Anonymous,      Organisation, [N,    N,    N,    N]),
    (SignedIn,       Public,       [Y,    Y,    Y,    Y]),
    (SignedIn,       Members,      [Y,    Y,    Y,    Y]),
    (SignedIn,       Organisation, [N,    N,    N,    N]),
    (MemberOfA,      Public,       [Y,    Y,    Y,    Y]),
    (MemberOfA,      Members,      [Y,    Y,    Y,    Y]),
    (MemberOfA,      Organisation, [N,    Y,    N,    Y]),
    (MemberOfB,      Public,       [Y,    Y,    Y,    Y]),
    (MemberOfB,      Members,      [Y,    Y,    Y,    Y]),
    (MemberOfB,      Organisation, [N,    N,    Y,    Y]),
    (MemberOfBoth,   Public,       [Y,    Y,    Y,    Y]),
    (MemberOfBoth,   Members,      [Y,    Y,    Y,    Y]),
    (MemberOfBoth,   Organisation, [N,    Y,    Y,    Y]),
    (StewardOfB,     Public,       [Y,    Y,    Y,    Y]),
    (StewardOfB,     Members,      [Y,    Y,    Y,    Y]),
    (StewardOfB,     Organisation, [N,    Y,    Y,    Y]),
    (WorkstreamLead, Public,       [Y,    Y,    Y,    Y]),
    (WorkstreamLead, Members,      [Y,    Y,    Y,    Y]),
    (WorkstreamLead, Organisation, [N,    N,    N,    N]),
    (Admin,          Public,       [Y,    Y,    Y,    Y]),
    (Admin,          Members,      [Y,    Y,    Y,    Y]),
    (Admin,          Organisation, [Y,    Y,    Y,    Y]),
    (System,         Public,       [Y,    Y,    Y,    Y]),
    (System,         Members,      [Y,    Y,    Y,    Y]),
    (System,         Organisation, [Y,    Y,    Y,    Y]),
];

/// One item of the table: a visibility and owners.
struct Item {
    visibility: Visibility,
    owners: Vec<String>,
    /// Its document's key in the index.
    key: String,
}

fn items() -> Vec<Item> {
    let mut out = Vec::new();
    for visibility in Visibility::ALL {
        for owners in OWNERS {
            let name = if owners.is_empty() {
                "none".to_string()
            } else {
                owners.join("-")
            };
            out.push(Item {
                visibility,
                owners: owners.iter().map(|o| o.to_string()).collect(),
                key: Kind::Project.key(&format!("{}-{name}", visibility.as_str())),
            });
        }
    }
    out
}

/// The table's answer for a case.
fn expected(who: Who, item: &Item) -> bool {
    let rows: Vec<_> = TABLE
        .iter()
        .filter(|(w, v, _)| *w == who && *v == item.visibility)
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "one row of the table for {who:?} {:?}",
        item.visibility
    );
    let column = OWNERS
        .iter()
        .position(|o| o.iter().copied().eq(item.owners.iter().map(String::as_str)))
        .expect("the item's owners are a column");
    rows[0].2[column]
}

/// `can_read` in SQL, written into the query by `Caller::push_can_read` as every read path
/// writes it. `None` when SQL answers NULL.
async fn sql_answer(db: &PgPool, caller: &Caller, item: &Item) -> Option<bool> {
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("SELECT ");
    caller.push_can_read(&mut qb, "item.visibility", "item.owners");
    qb.push(" FROM (SELECT ")
        .push_bind(item.visibility.as_str())
        .push("::visibility AS visibility, ")
        .push_bind(item.owners.clone())
        .push("::text[] AS owners) AS item");
    qb.build_query_scalar()
        .fetch_one(db)
        .await
        .expect("`can_read` runs")
}

/// An index in memory holding one document per item, written as the indexer writes them.
fn index(fields: &Fields, items: &[Item]) -> Searcher {
    let index = Index::create_in_ram(fields.schema.clone());
    agora_search::analyzer::register(&index);
    let mut writer = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("an index writer");
    for item in items {
        let subject = item
            .key
            .strip_prefix("project:")
            .expect("a project key")
            .to_string();
        let doc = SearchDoc {
            kind: Some(Kind::Project),
            subject,
            title: item.key.clone(),
            visibility: item.visibility.as_str().to_string(),
            owners: item.owners.clone(),
            ..SearchDoc::default()
        };
        writer
            .add_document(doc.to_document(fields))
            .expect("a document");
    }
    writer.commit().expect("a commit");
    index.reader().expect("a reader").searcher()
}

fn keys(
    searcher: &Searcher,
    fields: &Fields,
    docs: impl IntoIterator<Item = DocAddress>,
) -> BTreeSet<String> {
    docs.into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).expect("a stored document");
            doc.get_first(fields.key)
                .and_then(|v| v.as_str())
                .expect("a key")
                .to_string()
        })
        .collect()
}

/// The keys of the documents a search as `caller` admits: every document a query without
/// words finds, and every document the access set's filter query (suggestions) matches.
fn admitted(
    engine: &Engine,
    searcher: &Searcher,
    fields: &Fields,
    caller: &Caller,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let access = access_set(fields, caller);
    let found = engine
        .search(
            searcher,
            Request {
                text: "",
                facet_filters: &[],
                filters: Vec::new(),
                access: &access,
                order: Order::Updated,
                top: 1000,
            },
        )
        .expect("a search");
    let searched = keys(searcher, fields, found.hits.iter().map(|h| h.doc));
    let filtered = match access.to_query() {
        Some(query) => keys(
            searcher,
            fields,
            searcher
                .search(&query, &DocSetCollector)
                .expect("a filter query"),
        ),
        None => keys(
            searcher,
            fields,
            searcher
                .search(&tantivy::query::AllQuery, &DocSetCollector)
                .expect("every document"),
        ),
    };
    (searched, filtered)
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn sql_rust_and_search_read_by_the_same_table(db: PgPool) {
    let items = items();
    let fields = Fields::new();
    let searcher = index(&fields, &items);
    let engine = Engine::new(fields.layout());
    let mut cases = 0;
    let mut mismatches = String::new();
    for who in Who::ALL {
        let caller = who.caller();
        let (searched, filtered) = admitted(&engine, &searcher, &fields, &caller);
        for item in &items {
            let want = expected(who, item);
            let sql = sql_answer(&db, &caller, item).await;
            let rust = caller.can_read(item.visibility, &item.owners);
            let search = searched.contains(&item.key);
            let filter = filtered.contains(&item.key);
            cases += 1;
            if sql != Some(want) || rust != want || search != want || filter != want {
                writeln!(
                    mismatches,
                    "{who:?} reading {} owned by {:?}: table {want}, SQL {sql:?}, \
                     Caller::can_read {rust}, search {search}, search filter {filter}",
                    item.visibility.as_str(),
                    item.owners,
                )
                .expect("a string");
            }
        }
    }
    assert_eq!(cases, Who::ALL.len() * Visibility::ALL.len() * OWNERS.len());
    assert!(
        mismatches.is_empty(),
        "the read rule disagrees with its table:\n{mismatches}"
    );
}
