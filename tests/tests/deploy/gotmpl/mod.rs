//! A small renderer for the Go templates of Helm charts: the actions (`if`/`else if`,
//! `with`, `range`, `define`, `template`, variables, pipelines) and the Helm and sprig
//! functions the charts in deploy/helm use. Anything else is an error, so a template that
//! uses a construct or function this renderer does not know fails loudly instead of
//! rendering wrong. Values are JSON values, as Helm's are.

mod funcs;
mod parse;

use std::collections::HashMap;

use serde_json::Value;

pub use parse::{Arg, Node, Pipeline};

/// Every `define` of a chart and its subcharts (Helm shares one namespace).
#[derive(Default)]
pub struct Templates {
    defines: HashMap<String, Vec<Node>>,
}

pub struct Scope<'a> {
    templates: &'a Templates,
    vars: Vec<(String, Value)>,
}

impl Templates {
    /// Parses a file, keeping its defines; returns its body.
    pub fn add(&mut self, name: &str, src: &str) -> Result<Vec<Node>, String> {
        let parsed = parse::parse(src).map_err(|e| format!("{name}: {e}"))?;
        for (k, v) in parsed.defines {
            self.defines.insert(k, v);
        }
        Ok(parsed.body)
    }

    /// Renders a parsed body with `root` as both `.` and `$`.
    pub fn render(&self, body: &[Node], root: &Value) -> Result<String, String> {
        let mut scope = Scope {
            templates: self,
            vars: vec![("$".into(), root.clone())],
        };
        let mut out = String::new();
        scope.nodes(body, root, &mut out)?;
        Ok(out)
    }

    pub fn include(&self, name: &str, dot: &Value) -> Result<String, String> {
        let body = self
            .defines
            .get(name)
            .ok_or_else(|| format!("no template named `{name}`"))?;
        let mut scope = Scope {
            templates: self,
            vars: vec![("$".into(), dot.clone())],
        };
        let mut out = String::new();
        scope.nodes(body, dot, &mut out)?;
        Ok(out)
    }
}

/// Go's truth: false, 0, nil and empty strings, lists and maps are false.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// How `{{ v }}` prints a value; maps and lists are refused (a chart printing one raw is
/// broken: it needs toYaml or toJson).
pub fn print(v: &Value) -> Result<String, String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        Value::String(s) => Ok(s.clone()),
        other => Err(format!(
            "a map or list printed as text (use toYaml or toJson): {other}"
        )),
    }
}

fn field(v: &Value, path: &[String]) -> Result<Value, String> {
    let mut cur = v.clone();
    for (i, name) in path.iter().enumerate() {
        cur = match &cur {
            Value::Object(map) => map.get(name).cloned().unwrap_or(Value::Null),
            // As Go: a field of nil is an error, not an empty value.
            Value::Null => {
                return Err(format!(
                    "nil pointer evaluating `.{}`: `{}` is not set",
                    path[..=i].join("."),
                    path[..i].join(".")
                ));
            }
            other => return Err(format!("can't read field `{name}` of {other}")),
        };
    }
    Ok(cur)
}

impl Scope<'_> {
    fn var(&self, name: &str) -> Result<Value, String> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| format!("undefined variable `{name}`"))
    }

    fn nodes(&mut self, nodes: &[Node], dot: &Value, out: &mut String) -> Result<(), String> {
        let depth = self.vars.len();
        for node in nodes {
            self.node(node, dot, out)?;
        }
        self.vars.truncate(depth);
        Ok(())
    }

    fn node(&mut self, node: &Node, dot: &Value, out: &mut String) -> Result<(), String> {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Action(p) => {
                let v = self.pipeline(p, dot)?;
                if p.vars.is_empty() {
                    out.push_str(&print(&v)?);
                }
            }
            Node::If(branches, otherwise) => {
                let depth = self.vars.len();
                let mut done = false;
                for (cond, body) in branches {
                    if truthy(&self.pipeline(cond, dot)?) {
                        self.nodes(body, dot, out)?;
                        done = true;
                        break;
                    }
                }
                if !done {
                    self.nodes(otherwise, dot, out)?;
                }
                self.vars.truncate(depth);
            }
            Node::With(p, body, otherwise) => {
                let depth = self.vars.len();
                let v = self.pipeline(p, dot)?;
                if truthy(&v) {
                    self.nodes(body, &v, out)?;
                } else {
                    self.nodes(otherwise, dot, out)?;
                }
                self.vars.truncate(depth);
            }
            Node::Range(p, body, otherwise) => {
                let depth = self.vars.len();
                let mut plain = p.clone();
                let vars = std::mem::take(&mut plain.vars);
                let v = self.pipeline(&plain, dot)?;
                let items: Vec<(Value, Value)> = match v {
                    Value::Array(a) => a
                        .into_iter()
                        .enumerate()
                        .map(|(i, x)| (Value::from(i), x))
                        .collect(),
                    // Go ranges over a map in key order.
                    Value::Object(m) => {
                        let mut items: Vec<_> =
                            m.into_iter().map(|(k, x)| (Value::String(k), x)).collect();
                        items.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                        items
                    }
                    Value::Null => vec![],
                    other => return Err(format!("can't range over {other}")),
                };
                if items.is_empty() {
                    self.nodes(otherwise, dot, out)?;
                }
                for (key, item) in items {
                    let inner = self.vars.len();
                    match vars.as_slice() {
                        [] => {}
                        [one] => self.vars.push((one.clone(), item.clone())),
                        [k, v] => {
                            self.vars.push((k.clone(), key));
                            self.vars.push((v.clone(), item.clone()));
                        }
                        _ => return Err("range takes at most two variables".into()),
                    }
                    self.nodes(body, &item, out)?;
                    self.vars.truncate(inner);
                }
                self.vars.truncate(depth);
            }
            Node::Template(name, p) => {
                let data = match p {
                    Some(p) => self.pipeline(p, dot)?,
                    None => Value::Null,
                };
                out.push_str(&self.templates.include(name, &data)?);
            }
        }
        Ok(())
    }

    pub fn pipeline(&mut self, p: &Pipeline, dot: &Value) -> Result<Value, String> {
        let mut value: Option<Value> = None;
        for command in &p.commands {
            value = Some(self.command(command, dot, value)?);
        }
        let value = value.unwrap_or(Value::Null);
        if p.declare {
            for name in &p.vars {
                self.vars.push((name.clone(), value.clone()));
            }
        } else {
            for name in &p.vars {
                let slot = self
                    .vars
                    .iter_mut()
                    .rev()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| format!("assignment to undeclared variable `{name}`"))?;
                slot.1 = value.clone();
            }
        }
        Ok(value)
    }

    pub fn arg(&mut self, a: &Arg, dot: &Value) -> Result<Value, String> {
        match a {
            Arg::Dot(path) => field(dot, path),
            Arg::Var(name, path) => field(&self.var(name)?, path),
            Arg::Str(s) => Ok(Value::String(s.clone())),
            Arg::Int(i) => Ok(Value::from(*i)),
            Arg::Float(f) => Ok(Value::from(*f)),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Nil => Ok(Value::Null),
            Arg::Ident(name) => self.call(name, &[], dot, None),
            Arg::Sub(p, path) => {
                let v = self.pipeline(p, dot)?;
                field(&v, path)
            }
        }
    }

    fn command(
        &mut self,
        words: &[Arg],
        dot: &Value,
        piped: Option<Value>,
    ) -> Result<Value, String> {
        match &words[0] {
            Arg::Ident(name) => self.call(name, &words[1..], dot, piped),
            _ if words.len() == 1 && piped.is_none() => self.arg(&words[0], dot),
            other => Err(format!("{other:?} is not a function")),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Arg],
        dot: &Value,
        piped: Option<Value>,
    ) -> Result<Value, String> {
        // `and` and `or` stop at the first argument that decides (as Go 1.18 and later).
        if name == "and" || name == "or" {
            let mut last = Value::Null;
            for a in args {
                last = self.arg(a, dot)?;
                if truthy(&last) != (name == "and") {
                    return Ok(last);
                }
            }
            if let Some(p) = piped {
                last = p;
            }
            return Ok(last);
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        for a in args {
            values.push(self.arg(a, dot)?);
        }
        if let Some(p) = piped {
            values.push(p);
        }
        if name == "include" {
            let [Value::String(template), data] = values.as_slice() else {
                return Err("include takes a template name and a value".into());
            };
            return self
                .templates
                .include(template, data)
                .map(Value::String)
                .map_err(|e| format!("include {template}: {e}"));
        }
        funcs::call(name, &values).map_err(|e| format!("{name}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(src: &str, data: Value) -> Result<String, String> {
        let mut t = Templates::default();
        let body = t.add("t", src)?;
        t.render(&body, &data)
    }

    #[test]
    fn renders_as_go_text_template_does() {
        let data = json!({"Values": {"a": {"b": 2}, "list": ["x", "y"], "map": {"z": 1, "y": 2}, "empty": ""}});
        // Trim markers eat the spaces and newlines on their side only.
        assert_eq!(run("a  {{- 1 -}}  b\n", data.clone()).unwrap(), "a1b\n");
        assert_eq!(
            run("{{/* note */}}x{{- /* note */ -}} y", data.clone()).unwrap(),
            "xy"
        );
        // Lists in order, maps by key; variables scoped to their block.
        assert_eq!(
            run(
                "{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}",
                data.clone()
            )
            .unwrap(),
            "0=x;1=y;"
        );
        assert_eq!(
            run(
                "{{ range $k, $v := .Values.map }}{{ $k }}{{ $v }}{{ end }}",
                data.clone()
            )
            .unwrap(),
            "y2z1"
        );
        assert!(run("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}", data.clone()).is_err());
        assert_eq!(
            run(
                "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
                data.clone()
            )
            .unwrap(),
            "2"
        );
        // `else if`, `with` and its `else`, pipelines with the value last.
        assert_eq!(
            run(
                "{{ if .Values.empty }}a{{ else if .Values.a.b }}b{{ else }}c{{ end }}",
                data.clone()
            )
            .unwrap(),
            "b"
        );
        assert_eq!(
            run(
                "{{ with .Values.empty }}x{{ else }}none{{ end }}",
                data.clone()
            )
            .unwrap(),
            "none"
        );
        assert_eq!(
            run(
                "{{ \"a-b\" | replace \"-\" \"_\" | upper | quote }}",
                data.clone()
            )
            .unwrap(),
            "\"A_B\""
        );
        assert_eq!(
            run(
                "{{ default \"d\" .Values.empty }}{{ default \"d\" .Values.a.b }}",
                data.clone()
            )
            .unwrap(),
            "d2"
        );
        // `and` stops at the first false value, so the index of nil is never read.
        assert_eq!(
            run(
                "{{ if and .Values.missing (index .Values.missing \"k\") }}y{{ else }}n{{ end }}",
                data.clone()
            )
            .unwrap(),
            "n"
        );
        // A field of nothing is an error, as in Go; a missing key of a map is empty.
        assert!(
            run("{{ .Values.missing.x }}", data.clone())
                .unwrap_err()
                .contains("nil pointer")
        );
        assert_eq!(run("[{{ .Values.missing }}]", data.clone()).unwrap(), "[]");
        // define / include with nindent.
        assert_eq!(
            run("{{- define \"l\" -}}\na: 1\nb: 2\n{{- end -}}\nx:{{ include \"l\" . | nindent 2 }}", data).unwrap(),
            "x:\n  a: 1\n  b: 2"
        );
    }
}
