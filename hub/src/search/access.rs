//! Who may see which document: the read policy as the search engine's access set.
//!
//! The same rule as the SQL policy (`Caller::push_can_read`): public items; members'
//! items when signed in; the items of the organisations the caller reads for.

use agora_search::{AccessKey, AccessSet};

use super::schema::Fields;
use crate::policy::Caller;

/// The access keys that let `caller` see a document, any one of them sufficing;
/// everything for an administrator. The same rule as the SQL policy.
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
        // The same organisations the SQL policy reads for (`Caller::push_can_read`).
        keys.extend(
            caller
                .reading_organisations()
                .into_iter()
                .map(|org| key(fields.owners, &org)),
        );
    }
    AccessSet::AnyOf(keys)
}
