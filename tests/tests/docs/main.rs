//! The documentation holds together: every relative link and anchor in `README.md` and
//! `docs/` resolves, and the configuration reference names every key the hub and the agent
//! read (the keys taken from their own loaders).

mod links;
#[path = "../deploy/loaders.rs"]
mod loaders;
mod reference;
