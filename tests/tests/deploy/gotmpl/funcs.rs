//! The template functions the charts use: Go's built-ins and the Helm and sprig ones, with
//! their argument order (the piped value comes last).

use base64::Engine;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{print, truthy};

fn text(v: &Value) -> Result<String, String> {
    print(v)
}

fn number(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("bad number {n}")),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("`{s}` is not a number")),
        Value::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::Null => Ok(0.0),
        other => Err(format!("{other} is not a number")),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn want(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!("{name} takes {n} arguments, got {}", args.len()))
    }
}

/// Go's `%q`, as sprig's `quote` writes strings.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    s.split('\n')
        .map(|line| format!("{pad}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn printf(format: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let verb = chars.next().ok_or("a lone % at the end")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let arg = args
            .next()
            .ok_or_else(|| format!("missing argument for %{verb}"))?;
        match verb {
            's' | 'v' => out.push_str(&text(arg)?),
            'd' => out.push_str(&format!("{}", number(arg)? as i64)),
            'q' => out.push_str(&go_quote(&text(arg)?)),
            other => return Err(format!("unsupported verb %{other}")),
        }
    }
    if args.next().is_some() {
        return Err(format!("too many arguments for `{format}`"));
    }
    Ok(out)
}

/// YAML as Helm's toYaml writes it: block style, no trailing newline.
fn to_yaml(v: &Value) -> Result<String, String> {
    let s = serde_norway::to_string(v).map_err(|e| e.to_string())?;
    Ok(s.trim_end_matches('\n').to_string())
}

fn to_toml(v: &Value) -> Result<String, String> {
    fn strip_nulls(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .filter(|(_, x)| !x.is_null())
                    .map(|(k, x)| (k.clone(), strip_nulls(x)))
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(strip_nulls).collect()),
            other => other.clone(),
        }
    }
    toml::to_string(&strip_nulls(v)).map_err(|e| e.to_string())
}

pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    match name {
        "not" => {
            want(name, args, 1)?;
            Ok(Value::Bool(!truthy(&args[0])))
        }
        "eq" => {
            if args.len() < 2 {
                return Err("eq takes two or more arguments".into());
            }
            Ok(Value::Bool(args[1..].iter().any(|b| same(&args[0], b))))
        }
        "ne" => {
            want(name, args, 2)?;
            Ok(Value::Bool(!same(&args[0], &args[1])))
        }
        "gt" | "ge" | "lt" | "le" => {
            want(name, args, 2)?;
            let (a, b) = (number(&args[0])?, number(&args[1])?);
            Ok(Value::Bool(match name {
                "gt" => a > b,
                "ge" => a >= b,
                "lt" => a < b,
                _ => a <= b,
            }))
        }
        "int" => {
            want(name, args, 1)?;
            Ok(Value::from(number(&args[0])? as i64))
        }
        "default" => {
            want(name, args, 2)?;
            Ok(if truthy(&args[1]) {
                args[1].clone()
            } else {
                args[0].clone()
            })
        }
        "ternary" => {
            want(name, args, 3)?;
            Ok(if truthy(&args[2]) {
                args[0].clone()
            } else {
                args[1].clone()
            })
        }
        "required" => {
            want(name, args, 2)?;
            match &args[1] {
                Value::Null => Err(text(&args[0])?),
                Value::String(v) if v.is_empty() => Err(text(&args[0])?),
                v => Ok(v.clone()),
            }
        }
        "fail" => {
            want(name, args, 1)?;
            Err(text(&args[0])?)
        }
        "quote" => Ok(Value::String(
            args.iter()
                .filter(|v| !v.is_null())
                .map(|v| text(v).map(|t| go_quote(&t)))
                .collect::<Result<Vec<_>, _>>()?
                .join(" "),
        )),
        "upper" => {
            want(name, args, 1)?;
            Ok(Value::String(text(&args[0])?.to_uppercase()))
        }
        "lower" => {
            want(name, args, 1)?;
            Ok(Value::String(text(&args[0])?.to_lowercase()))
        }
        "trunc" => {
            want(name, args, 2)?;
            let n = number(&args[0])? as usize;
            Ok(Value::String(text(&args[1])?.chars().take(n).collect()))
        }
        "trimSuffix" => {
            want(name, args, 2)?;
            let (suffix, t) = (text(&args[0])?, text(&args[1])?);
            Ok(Value::String(
                t.strip_suffix(suffix.as_str()).unwrap_or(&t).to_string(),
            ))
        }
        "replace" => {
            want(name, args, 3)?;
            let (old, new, t) = (text(&args[0])?, text(&args[1])?, text(&args[2])?);
            Ok(Value::String(t.replace(&old, &new)))
        }
        "contains" => {
            want(name, args, 2)?;
            Ok(Value::Bool(text(&args[1])?.contains(&text(&args[0])?)))
        }
        "printf" => {
            let format = text(args.first().ok_or("printf needs a format")?)?;
            Ok(Value::String(printf(&format, &args[1..])?))
        }
        "print" => Ok(Value::String(
            args.iter()
                .map(text)
                .collect::<Result<Vec<_>, _>>()?
                .join(""),
        )),
        "indent" | "nindent" => {
            want(name, args, 2)?;
            let n = number(&args[0])? as usize;
            let body = indent(n, &text(&args[1])?);
            Ok(Value::String(if name == "nindent" {
                format!("\n{body}")
            } else {
                body
            }))
        }
        "toYaml" => {
            want(name, args, 1)?;
            Ok(Value::String(to_yaml(&args[0])?))
        }
        "toJson" => {
            want(name, args, 1)?;
            Ok(Value::String(
                serde_json::to_string(&args[0]).map_err(|e| e.to_string())?,
            ))
        }
        "toToml" => {
            want(name, args, 1)?;
            Ok(Value::String(to_toml(&args[0])?))
        }
        "b64enc" => {
            want(name, args, 1)?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(text(&args[0])?),
            ))
        }
        "sha256sum" => {
            want(name, args, 1)?;
            Ok(Value::String(hex(&Sha256::digest(text(&args[0])?))))
        }
        "randAlphaNum" => {
            want(name, args, 1)?;
            let n = number(&args[0])? as usize;
            Ok(Value::String(
                rand::rng()
                    .sample_iter(&Alphanumeric)
                    .take(n)
                    .map(char::from)
                    .collect(),
            ))
        }
        "dict" => {
            if !args.len().is_multiple_of(2) {
                return Err("dict takes key and value pairs".into());
            }
            let mut m = Map::new();
            for pair in args.chunks(2) {
                m.insert(text(&pair[0])?, pair[1].clone());
            }
            Ok(Value::Object(m))
        }
        "list" => Ok(Value::Array(args.to_vec())),
        "index" => {
            let (first, keys) = args.split_first().ok_or("index needs a value")?;
            let mut cur = first.clone();
            for k in keys {
                cur = match (&cur, k) {
                    (Value::Object(m), k) => m.get(&text(k)?).cloned().unwrap_or(Value::Null),
                    (Value::Array(a), k) => a
                        .get(number(k)? as usize)
                        .cloned()
                        .ok_or_else(|| format!("index {k} out of range"))?,
                    (Value::Null, _) => return Err("index of nil".into()),
                    (other, _) => return Err(format!("can't index {other}")),
                };
            }
            Ok(cur)
        }
        // As `helm template` and `--dry-run`: there is no cluster to look in.
        "lookup" => {
            want(name, args, 4)?;
            Ok(Value::Object(Map::new()))
        }
        other => Err(format!("function `{other}` not defined")),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
