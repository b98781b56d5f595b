//! Property: any front matter in the shapes of the Hugging Face Hub's model-card metadata
//! (and any extra keys) is accepted, as JSON and as YAML, when the card has a name; it
//! reads back unchanged, and its Markdown front matter reads back as the same card.

use agora_schemas::ModelCardInput;
use agora_schemas::decode::{from_json, from_yaml};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Keys of the hub's answer, which a card sent back drops.
const ANSWER_KEYS: &[&str] = &[
    "latest_version",
    "provenance",
    "created_at",
    "updated_at",
    "agora_warnings",
];

/// Fields the generator fills itself: extra keys must not reuse them.
fn known(key: &str) -> bool {
    ModelCardInput::KEYS.contains(&key)
        || ModelCardInput::FIELDS.contains(&key)
        || ANSWER_KEYS.contains(&key)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        "[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}",
        Just("multilingual".to_string()),
        Just("text-classification".to_string()),
        Just("apache-2.0".to_string()),
    ]
}

fn one_or_many() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        prop::collection::vec(text(), 0..5).prop_map(|v| json!(v)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        // Values as cards write them (a few decimals): serde_json parses text to within one
        // unit in the last place unless its `float_roundtrip` feature is on, so a value of
        // 17 significant digits may come back one ULP apart.
        (-1_000_000_000i64..1_000_000_000).prop_map(|n| Value::from(n as f64 / 1000.0)),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn loose() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn args() -> impl Strategy<Value = Value> {
    prop::collection::btree_map("[a-z_]{1,10}", scalar(), 0..3)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn optional(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

fn metric() -> impl Strategy<Value = Value> {
    (
        text(),
        scalar(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(args()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(t, value, name, config, args, verified)| {
            let mut m = Map::new();
            m.insert("type".into(), t.into());
            m.insert("value".into(), value);
            optional(&mut m, "name", name.map(Value::from));
            optional(&mut m, "config", config.map(Value::from));
            optional(&mut m, "args", args);
            optional(&mut m, "verified", verified.map(Value::from));
            Value::Object(m)
        })
}

fn result() -> impl Strategy<Value = Value> {
    (
        (text(), prop::option::of(text())),
        (
            text(),
            text(),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(args()),
        ),
        prop::collection::vec(metric(), 0..3),
        prop::option::of((text(), text())),
    )
        .prop_map(|((tt, tn), (dt, dn, dc, ds, dr, da), metrics, source)| {
            let mut task = Map::new();
            task.insert("type".into(), tt.into());
            optional(&mut task, "name", tn.map(Value::from));
            let mut dataset = Map::new();
            dataset.insert("type".into(), dt.into());
            dataset.insert("name".into(), dn.into());
            optional(&mut dataset, "config", dc.map(Value::from));
            optional(&mut dataset, "split", ds.map(Value::from));
            optional(&mut dataset, "revision", dr.map(Value::from));
            optional(&mut dataset, "args", da);
            let mut r = Map::new();
            r.insert("task".into(), Value::Object(task));
            r.insert("dataset".into(), Value::Object(dataset));
            r.insert("metrics".into(), Value::Array(metrics));
            optional(
                &mut r,
                "source",
                source.map(|(name, url)| json!({"name": name, "url": url})),
            );
            Value::Object(r)
        })
}

fn model_index() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (text(), prop::collection::vec(result(), 0..3))
            .prop_map(|(name, results)| json!({"name": name, "results": results})),
        0..3,
    )
    .prop_map(Value::Array)
}

/// A card's front matter in the Hub's shapes, each field present or not.
fn front_matter() -> impl Strategy<Value = Value> {
    (
        (
            prop::option::of(one_or_many()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        (
            prop::option::of(one_or_many()),
            prop::option::of(one_or_many()),
            prop::option::of(one_or_many()),
            prop::option::of(one_or_many()),
        ),
        (
            prop::option::of(prop_oneof![any::<bool>().prop_map(Value::from), loose()]),
            prop::option::of(prop::collection::vec(loose(), 0..3).prop_map(Value::Array)),
            prop::option::of(prop_oneof![
                (0i64..1_000_000_000).prop_map(|n| Value::from(n as f64 / 100.0)),
                prop::collection::btree_map("[a-z_]{1,12}", scalar(), 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]),
            prop::option::of(text()),
            prop::option::of(model_index()),
        ),
        prop::collection::btree_map("[a-zA-Z_-]{1,16}", loose(), 0..4),
    )
        .prop_map(
            |(
                (language, license, license_name, license_link, library_name, pipeline_tag),
                (tags, datasets, metrics, base_model),
                (inference, widget, co2, thumbnail, index),
                extra,
            )| {
                let mut m = Map::new();
                for (k, v) in extra {
                    if !known(&k) {
                        m.insert(k, v);
                    }
                }
                m.insert("organisation".into(), "insee".into());
                m.insert("name".into(), "naf-coder".into());
                optional(&mut m, "language", language);
                optional(&mut m, "license", license.map(Value::from));
                optional(&mut m, "license_name", license_name.map(Value::from));
                optional(&mut m, "license_link", license_link.map(Value::from));
                optional(&mut m, "library_name", library_name.map(Value::from));
                optional(&mut m, "pipeline_tag", pipeline_tag.map(Value::from));
                optional(&mut m, "tags", tags);
                optional(&mut m, "datasets", datasets);
                optional(&mut m, "metrics", metrics);
                optional(&mut m, "base_model", base_model);
                optional(&mut m, "inference", inference);
                optional(&mut m, "widget", widget);
                optional(&mut m, "co2_eq_emissions", co2);
                optional(&mut m, "thumbnail", thumbnail.map(Value::from));
                optional(&mut m, "model-index", index);
                Value::Object(m)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn front_matter_in_the_hubs_shapes_never_refuses_a_named_card(doc in front_matter()) {
        let bytes = doc.to_string();
        let card: ModelCardInput = match from_json(bytes.as_bytes()) {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("{e}: {bytes}"))),
        };
        // Warnings are computed for any card without failing.
        let _ = card.warnings();
        // Given back as sent: every key with its value (lists keep their shape).
        let back = serde_json::to_value(&card).unwrap();
        for (k, v) in doc.as_object().unwrap() {
            // An empty list is the same as none (`base_model: []` is left out).
            if v.is_null() || (v.as_array().is_some_and(Vec::is_empty) && back[k].is_null()) {
                continue;
            }
            prop_assert_eq!(&back[k], v, "{}", k);
        }
        // The same front matter as YAML decodes to the same card.
        let yaml = serde_norway::to_string(&doc).unwrap();
        let from_text: ModelCardInput = match from_yaml(&yaml) {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("{e}: {yaml}"))),
        };
        prop_assert_eq!(&from_text, &card);
        // The card's Markdown front matter reads back as the same card.
        let md = agora_schemas::front_matter::to_markdown(&card);
        let front = md.strip_prefix("---\n").and_then(|r| r.split("\n---\n").next()).unwrap();
        let reread: ModelCardInput = match from_yaml(front) {
            Ok(c) => c,
            Err(e) => return Err(TestCaseError::fail(format!("{e}: {md}"))),
        };
        prop_assert_eq!(reread, card);
    }
}
