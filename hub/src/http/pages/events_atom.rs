//! `/events.atom`: the activity feed as an Atom feed (RFC 4287), for feed readers and chat
//! integrations: the 50 newest events the reader may see, filtered by `workstream`,
//! `organisation` and `kind` as the API's feed is. Who made a change is named to
//! signed-in readers only, as on the activity page.

use agora_schemas::Event;
use axum::extract::{RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::app::AppState;
use crate::db::events::{self, EventFilter};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view;

/// Entries in the feed.
const ENTRIES: i64 = 50;

/// The feed's filters, read in any case.
fn filter(query: &str) -> Result<EventFilter, Error> {
    let mut filter = EventFilter {
        limit: ENTRIES,
        ..EventFilter::default()
    };
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key.as_ref() {
            "workstream" => filter.workstream = Some(value.to_ascii_lowercase()),
            "organisation" => filter.organisation = Some(value.to_ascii_lowercase()),
            "kind" => filter.kind = Some(value),
            other => {
                return Err(Error::invalid(
                    other,
                    "unknown parameter; the feed takes workstream, organisation and kind",
                ));
            }
        }
    }
    Ok(filter)
}

pub async fn feed(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let filter = match filter(&query) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    match events::list(&state.db, &who.caller, &filter).await {
        Ok(list) => {
            let base = state.config.public_url().to_string();
            let xml = atom(
                base.trim_end_matches('/'),
                &query,
                &list,
                who.caller.signed_in,
            );
            ([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The feed's XML.
fn atom(base: &str, query: &str, list: &[Event], show_actor: bool) -> String {
    let self_link = if query.is_empty() {
        format!("{base}/events.atom")
    } else {
        format!("{base}/events.atom?{query}")
    };
    let updated = list.first().map_or_else(Utc::now, |e| e.at);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("  <title>Agora activity</title>\n");
    push_element(&mut out, "  ", "id", &self_link);
    push_link(&mut out, "  ", "self", &self_link);
    push_link(&mut out, "  ", "alternate", &format!("{base}/activity"));
    push_element(&mut out, "  ", "updated", &time(updated));
    out.push_str("  <author><name>Agora</name></author>\n");
    for e in list {
        out.push_str("  <entry>\n");
        push_element(&mut out, "    ", "title", &e.summary);
        push_element(
            &mut out,
            "    ",
            "id",
            &format!("{base}/activity#event-{}", e.id),
        );
        if let Some(link) = view::subject_link(e) {
            push_link(&mut out, "    ", "alternate", &format!("{base}{link}"));
        }
        push_element(&mut out, "    ", "updated", &time(e.at));
        let author = if show_actor {
            e.actor.as_str()
        } else {
            "Agora"
        };
        out.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape(author)
        ));
        out.push_str("    <category term=\"");
        out.push_str(&escape(&e.kind));
        out.push_str("\"/>\n");
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn push_element(out: &mut String, indent: &str, name: &str, text: &str) {
    out.push_str(&format!("{indent}<{name}>{}</{name}>\n", escape(text)));
}

fn push_link(out: &mut String, indent: &str, rel: &str, href: &str) {
    out.push_str(&format!(
        "{indent}<link rel=\"{rel}\" href=\"{}\"/>\n",
        escape(href)
    ));
}

/// Text as XML character data or an attribute value. Characters XML 1.0 cannot hold at
/// all (controls other than tab and line ends) are left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_controls_left_out() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn unknown_parameters_are_refused_by_name() {
        match filter("workstream=WS2&colour=red") {
            Err(Error::Invalid(f)) => assert_eq!(f.field, "colour"),
            other => panic!("{other:?}"),
        }
        let f = filter("workstream=WS2&organisation=INEGI").unwrap();
        assert_eq!(f.workstream.as_deref(), Some("ws2"));
        assert_eq!(f.organisation.as_deref(), Some("inegi"));
    }
}
