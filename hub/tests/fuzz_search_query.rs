//! Fuzzing the search query language (`hub/src/search/query.rs`): any text is read as a
//! query (words, "phrases", -exclusions; anything else as plain words), any query string
//! is accepted or refused with the parameter named, and any accepted request is answered
//! by the index over the demo data. A bounded run in `cargo test`;
//! `PROPTEST_CASES=100000` for a longer one.

#[path = "../../schemas/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use agora_hub::Error;
use agora_hub::policy::Caller;
use agora_hub::search::SearchRequest;
use agora_hub::search::query::{MAX_QUERY_CHARS, parse};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Query text: hostile text, or words from the demo data with quotes, minus signs and
/// typos mixed in.
fn query_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("coding"),
        Just("ocupation"),
        Just("\"census"),
        Just("-nace"),
        Just("record linkage\""),
        Just("insee"),
        Just("-"),
        Just("\""),
        Just("imputation*"),
        Just("écriture"),
    ];
    prop_oneof![
        fuzz_support::hostile_text(),
        "\\PC{0,80}",
        proptest::collection::vec(word, 0..8).prop_map(|w| w.join(" ")),
    ]
}

proptest! {
    #[test]
    fn any_text_parses_into_a_query_made_of_its_own_pieces(q in query_text()) {
        let p = parse(&q);
        for piece in p.words.iter().chain(&p.phrases).chain(&p.excluded) {
            prop_assert!(!piece.is_empty(), "an empty piece from {q:?}: {p:?}");
            prop_assert!(q.contains(piece.as_str()), "{piece:?} is not in {q:?}");
        }
        // Only blank text and bare quotes make an empty query (which lists everything).
        let meaningful = q.chars().any(|c| !c.is_whitespace() && c != '"');
        prop_assert_eq!(p.is_empty(), !meaningful, "{:?} from {:?}", p, q);
    }

    #[test]
    fn any_query_string_is_accepted_or_refused_naming_the_parameter(
        pairs in proptest::collection::vec(
            (prop_oneof![Just("q".to_string()), Just("kind".to_string()), Just("page".to_string()),
                         Just("per_page".to_string()), Just("sort".to_string()),
                         Just("qf4sa_min".to_string()), Just("stage".to_string()),
                         Just("organisation".to_string()), fuzz_support::hostile_text()],
             fuzz_support::hostile_text()),
            0..5),
    ) {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        match SearchRequest::from_query(&query) {
            Ok(r) => prop_assert!(r.q.chars().count() <= MAX_QUERY_CHARS),
            Err(Error::Invalid(f)) => {
                prop_assert!(!f.field.is_empty(), "no parameter named for {query:?}: {}", f.message);
                prop_assert!(!f.message.is_empty());
            }
            Err(other) => prop_assert!(false, "{query:?}: not a 422 but {other:?}"),
        }
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn any_accepted_query_is_answered_over_the_demo_data(db: sqlx::PgPool) {
    agora_hub::demo::seed(&db).await.unwrap();
    let state = agora_hub::AppState::new(db, agora_hub::Config::default());
    state.search.catch_up(&state.db).await.unwrap();
    let callers = [Caller::anonymous(), Caller::system()];
    let mut runner = TestRunner::new(Config::default());
    runner
        .run(&(query_text(), 0usize..2, 1u32..4), |(q, who, page)| {
            let request = SearchRequest {
                q,
                page,
                ..SearchRequest::default()
            };
            if request.validate().is_err() {
                return Ok(());
            }
            let results = state
                .search
                .search(&callers[who], &request)
                .map_err(|e| TestCaseError::fail(format!("{:?}: {e}", request.q)))?;
            prop_assert!(results.hits.len() <= request.per_page as usize);
            prop_assert!(results.hits.len() as u64 <= results.total);
            Ok(())
        })
        .unwrap();
}
