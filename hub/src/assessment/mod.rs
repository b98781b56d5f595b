//! What the hub does with assessments besides storing them: compare two versions
//! ([`diff`]) or several subjects ([`compare`]), draw the QF4SA levels as a radar chart ([`radar`]), and read the HTML
//! form they are edited in ([`form`]).

pub mod actions;
pub mod compare;
pub mod diff;
pub mod form;
pub mod radar;
