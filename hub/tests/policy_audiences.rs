//! `readers_may_read` (SQL), which decides whether a shared search document may carry
//! another item's names, is held to the read rule itself: when it says yes, every caller
//! who may read the document (by `Caller::can_read`) may read the other item too; and it
//! says yes whenever that holds for an item with owners.

use agora_hub::policy::Caller;
use agora_schemas::Visibility;
use sqlx::PgPool;

const VISIBILITIES: [Visibility; 3] = [
    Visibility::Public,
    Visibility::Members,
    Visibility::Organisation,
];

fn owner_sets() -> Vec<Vec<String>> {
    [&[][..], &["a"], &["b"], &["a", "b"]]
        .iter()
        .map(|s| s.iter().map(|o| o.to_string()).collect())
        .collect()
}

fn callers() -> Vec<Caller> {
    vec![
        Caller::anonymous(),
        Caller::member("m@a", &["a"]),
        Caller::member("m@b", &["b"]),
        Caller::member("m@ab", &["a", "b"]),
        Caller::member("m@c", &["c"]),
        Caller::system(),
    ]
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn readers_may_read_follows_the_read_rule(db: PgPool) {
    let mut checked = 0;
    for item_vis in VISIBILITIES {
        for item_owners in owner_sets() {
            for of_vis in VISIBILITIES {
                for of_owners in owner_sets() {
                    let says: bool = sqlx::query_scalar("SELECT readers_may_read($1, $2, $3, $4)")
                        .bind(item_vis.as_str())
                        .bind(&item_owners)
                        .bind(of_vis.as_str())
                        .bind(&of_owners)
                        .fetch_one(&db)
                        .await
                        .unwrap();
                    let holds = callers().iter().all(|c| {
                        !c.can_read(of_vis, &of_owners) || c.can_read(item_vis, &item_owners)
                    });
                    let case = format!(
                        "item {item_vis:?} {item_owners:?}, document {of_vis:?} {of_owners:?}"
                    );
                    // Never more than the rule allows.
                    assert!(!says || holds, "says yes, but a reader is left out: {case}");
                    // And no less, for documents that have owners (one with none is read by
                    // administrators only and names nothing).
                    if !of_owners.is_empty() {
                        assert_eq!(says, holds, "{case}");
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 144);
}
