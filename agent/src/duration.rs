//! Durations as people write them in the settings: `90s`, `5m`, `2h`, `1d`, `250ms`, or a
//! bare number of seconds.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// Parses `90s`, `5m`, `2h`, `1d`, `250ms` or a bare number of seconds.
pub fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (such as `30s`, `5m`, `1h`)"))?;
    let ms = match unit.trim() {
        "" | "s" => n * 1000,
        "ms" => n,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        "d" => n * 86_400_000,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s, m, h or d"
            ));
        }
    };
    Ok(Duration::from_millis(ms))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum DurationText {
    Seconds(u64),
    Text(String),
}

/// serde's `deserialize_with` for a duration setting.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    match DurationText::deserialize(d)? {
        DurationText::Seconds(s) => Ok(Duration::from_secs(s)),
        DurationText::Text(t) => parse(&t).map_err(serde::de::Error::custom),
    }
}

/// serde's `deserialize_with` for an optional duration setting (with `default`).
pub fn deserialize_optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse("2h").unwrap(), Duration::from_secs(7200));
        assert_eq!(parse("45").unwrap(), Duration::from_secs(45));
        assert!(parse("5 minutes").is_err());
    }
}
