//! What the hub does with assessments besides storing them: compare two versions
//! ([`diff`]), draw the QF4SA levels as a radar chart ([`radar`]), and read the HTML
//! form they are edited in ([`form`]).

pub mod actions;
pub mod diff;
pub mod form;
pub mod radar;
