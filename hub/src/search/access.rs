//! Who may see which document: the read policy as the search engine's access set. Public
//! items; members' items when signed in; the items of the organisations the caller reads
//! for ([`Caller::reading_organisations`]), which documents carry as their `owners`.
//!
//! `hub/tests/read_rule.rs` holds this, SQL `can_read` and `Caller::can_read` to one table.

use agora_search::{AccessKey, AccessSet};

use super::schema::Fields;
use crate::policy::Caller;

/// The access keys that let `caller` see a document of the index of `fields`, any one of
/// them sufficing; everything for an administrator. Searches and suggestions filter by it.
pub fn access_set(fields: &Fields, caller: &Caller) -> AccessSet {
    if caller.admin {
        return AccessSet::Everything;
    }
    let key = |field, value: &str| AccessKey {
        field,
        value: value.to_string(),
    };
    let mut keys = vec![key(fields.visibility, "public")];
    if caller.signed_in {
        keys.push(key(fields.visibility, "members"));
        keys.extend(
            caller
                .reading_organisations()
                .into_iter()
                .map(|org| key(fields.owners, &org)),
        );
    }
    AccessSet::AnyOf(keys)
}
