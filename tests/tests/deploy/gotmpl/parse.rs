//! Parsing Go's text/template syntax (the part Helm charts use) into a tree.

use std::collections::HashMap;

/// One operand of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    /// `.`, or `.a.b` (fields from the current value).
    Dot(Vec<String>),
    /// `$`, `$x`, `$x.a.b`.
    Var(String, Vec<String>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Nil,
    /// A function name.
    Ident(String),
    /// `( pipeline )`, with optional fields after it: `(pipe).a`.
    Sub(Box<Pipeline>, Vec<String>),
}

/// `$x := a | f b | g`.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Variables declared (`:=`) or assigned (`=`).
    pub vars: Vec<String>,
    pub declare: bool,
    /// Commands separated by `|`; each is its words.
    pub commands: Vec<Vec<Arg>>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Action(Pipeline),
    If(Vec<(Pipeline, Vec<Node>)>, Vec<Node>),
    With(Pipeline, Vec<Node>, Vec<Node>),
    Range(Pipeline, Vec<Node>, Vec<Node>),
    Template(String, Option<Pipeline>),
}

/// A parsed file: its body and the templates it defines.
pub struct Parsed {
    pub body: Vec<Node>,
    pub defines: HashMap<String, Vec<Node>>,
}

/// A raw piece of the source: text, or the inside of one `{{ }}`.
enum Piece {
    Text(String),
    Action(String),
}

fn split(src: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = rest[..start].to_string();
        if trim_next {
            text = text.trim_start().to_string();
        }
        let after = &rest[start + 2..];
        let trim_before = after.starts_with("- ")
            || after.starts_with("-\n")
            || after.starts_with("-\t")
            || after.starts_with("-\r");
        if trim_before {
            text = text.trim_end().to_string();
        }
        pieces.push(Piece::Text(text));
        let inner_start = if trim_before { 1 } else { 0 };
        let body = &after[inner_start..];
        // Comments may hold `}}`; they end at `*/}}` (or `*/ -}}`).
        let trimmed = body.trim_start();
        let (inner, consumed) = if trimmed.starts_with("/*") {
            let close = trimmed
                .find("*/")
                .ok_or_else(|| "unclosed comment".to_string())?;
            let tail = &trimmed[close + 2..];
            let end = tail
                .find("}}")
                .ok_or_else(|| "unclosed comment action".to_string())?;
            let skipped = body.len() - trimmed.len();
            (String::new(), skipped + close + 2 + end)
        } else {
            let end = find_close(body)?;
            (body[..end].to_string(), end)
        };
        let before_close = &body[..consumed];
        trim_next = before_close.ends_with(" -")
            || before_close.ends_with("\n-")
            || before_close.ends_with("\t-");
        let inner = if trim_next && !inner.is_empty() {
            inner[..inner.len() - 1].to_string()
        } else {
            inner
        };
        if !inner.trim().is_empty() {
            pieces.push(Piece::Action(inner.trim().to_string()));
        }
        rest = &body[consumed + 2..];
    }
    let mut text = rest.to_string();
    if trim_next {
        text = text.trim_start().to_string();
    }
    pieces.push(Piece::Text(text));
    Ok(pieces)
}

/// The offset of the `}}` closing an action, skipping string literals.
fn find_close(body: &str) -> Result<usize, String> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    Err("unclosed action: no `}}`".into())
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    LParen,
    /// `)`, with the field path written right after it (`(…).a.b`).
    RParen(Option<String>),
    Pipe,
    Declare,
    Assign,
    Comma,
}

fn tokens(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                i += 1;
                let mut path = None;
                if chars.get(i) == Some(&'.')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
                {
                    let start = i + 1;
                    i = start;
                    while i < chars.len() && (chars[i].is_alphanumeric() || "._".contains(chars[i]))
                    {
                        i += 1;
                    }
                    path = Some(chars[start..i].iter().collect());
                }
                out.push(Tok::RParen(path));
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Declare);
                i += 2;
            }
            '=' => {
                out.push(Tok::Assign);
                i += 1;
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(format!("unterminated string in `{src}`"));
                    };
                    i += 1;
                    match c {
                        '"' => break,
                        '\\' => {
                            let e = chars.get(i).copied().ok_or("bad escape")?;
                            i += 1;
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '"' => '"',
                                '\\' => '\\',
                                other => return Err(format!("unsupported escape \\{other}")),
                            });
                        }
                        c => s.push(c),
                    }
                }
                out.push(Tok::Str(s));
            }
            '`' => {
                let start = i + 1;
                let end = chars[start..]
                    .iter()
                    .position(|&c| c == '`')
                    .ok_or("unterminated raw string")?;
                out.push(Tok::Str(chars[start..start + end].iter().collect()));
                i = start + end + 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !" \t\n\r()|,=\"`".contains(chars[i]) {
                    if chars[i] == ':' && chars.get(i + 1) == Some(&'=') {
                        break;
                    }
                    i += 1;
                }
                if start == i {
                    return Err(format!("unexpected `{c}` in `{src}`"));
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

fn fields(path: &str) -> Result<Vec<String>, String> {
    let parts: Vec<String> = path.split('.').map(str::to_string).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return Err(format!("bad field path `{path}`"));
    }
    Ok(parts)
}

fn word(w: &str) -> Result<Arg, String> {
    if w == "." {
        return Ok(Arg::Dot(vec![]));
    }
    if let Some(path) = w.strip_prefix('.') {
        return Ok(Arg::Dot(fields(path)?));
    }
    if let Some(var) = w.strip_prefix('$') {
        let (name, path) = match var.split_once('.') {
            Some((n, p)) => (n, fields(p)?),
            None => (var, vec![]),
        };
        return Ok(Arg::Var(format!("${name}"), path));
    }
    match w {
        "true" => return Ok(Arg::Bool(true)),
        "false" => return Ok(Arg::Bool(false)),
        "nil" => return Ok(Arg::Nil),
        _ => {}
    }
    if w.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        if let Ok(n) = w.parse::<i64>() {
            return Ok(Arg::Int(n));
        }
        if let Ok(f) = w.parse::<f64>() {
            return Ok(Arg::Float(f));
        }
        return Err(format!("bad number `{w}`"));
    }
    if w.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Ok(Arg::Ident(w.to_string()));
    }
    Err(format!("unexpected word `{w}`"))
}

struct TokStream {
    toks: Vec<Tok>,
    pos: usize,
}

impl TokStream {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
}

fn pipeline(ts: &mut TokStream, nested: bool) -> Result<Pipeline, String> {
    let mut vars = Vec::new();
    let mut declare = false;
    // `$a, $b :=` or `$a =` at the start.
    let save = ts.pos;
    let mut names = Vec::new();
    while let Some(Tok::Word(w)) = ts.peek().cloned() {
        if !w.starts_with('$') || w.contains('.') {
            break;
        }
        ts.next();
        names.push(w);
        match ts.peek() {
            Some(Tok::Comma) => {
                ts.next();
            }
            Some(Tok::Declare) => {
                ts.next();
                vars = names.clone();
                declare = true;
                break;
            }
            Some(Tok::Assign) => {
                ts.next();
                vars = names.clone();
                break;
            }
            _ => break,
        }
    }
    if vars.is_empty() {
        ts.pos = save;
    }
    let mut commands = Vec::new();
    let mut current = Vec::new();
    loop {
        match ts.peek().cloned() {
            None => break,
            Some(Tok::RParen(_)) if nested => break,
            Some(Tok::RParen(_)) => return Err("unexpected `)`".into()),
            Some(Tok::Pipe) => {
                ts.next();
                if current.is_empty() {
                    return Err("empty command before `|`".into());
                }
                commands.push(std::mem::take(&mut current));
            }
            Some(Tok::LParen) => {
                ts.next();
                let inner = pipeline(ts, true)?;
                let path = match ts.next() {
                    Some(Tok::RParen(None)) => vec![],
                    Some(Tok::RParen(Some(p))) => fields(&p)?,
                    _ => return Err("missing `)`".into()),
                };
                current.push(Arg::Sub(Box::new(inner), path));
            }
            Some(Tok::Str(s)) => {
                ts.next();
                current.push(Arg::Str(s));
            }
            Some(Tok::Word(w)) => {
                ts.next();
                current.push(word(&w)?);
            }
            Some(other) => return Err(format!("unexpected {other:?}")),
        }
    }
    if current.is_empty() {
        return Err("empty pipeline".into());
    }
    commands.push(current);
    Ok(Pipeline {
        vars,
        declare,
        commands,
    })
}

fn parse_pipeline(src: &str) -> Result<Pipeline, String> {
    let mut ts = TokStream {
        toks: tokens(src)?,
        pos: 0,
    };
    let p = pipeline(&mut ts, false)?;
    if ts.pos < ts.toks.len() {
        return Err(format!("unexpected tokens at the end of `{src}`"));
    }
    Ok(p)
}

/// What ended a list of nodes.
enum End {
    Eof,
    Block,
    Else(Option<String>),
}

struct Parser {
    pieces: Vec<Piece>,
    pos: usize,
    defines: HashMap<String, Vec<Node>>,
}

impl Parser {
    fn list(&mut self, top: bool) -> Result<(Vec<Node>, End), String> {
        let mut nodes = Vec::new();
        while self.pos < self.pieces.len() {
            let piece = &self.pieces[self.pos];
            self.pos += 1;
            let action = match piece {
                Piece::Text(t) => {
                    if !t.is_empty() {
                        nodes.push(Node::Text(t.clone()));
                    }
                    continue;
                }
                Piece::Action(a) => a.clone(),
            };
            let (keyword, rest) = match action.split_once(char::is_whitespace) {
                Some((k, r)) => (k, r.trim()),
                None => (action.as_str(), ""),
            };
            match keyword {
                "end" => return Ok((nodes, End::Block)),
                "else" => {
                    let rest = (!rest.is_empty()).then(|| rest.to_string());
                    return Ok((nodes, End::Else(rest)));
                }
                "if" => nodes.push(self.if_chain(rest)?),
                "with" => {
                    let pipe = parse_pipeline(rest)?;
                    let (body, end) = self.list(false)?;
                    let otherwise = self.otherwise(end, "with")?;
                    nodes.push(Node::With(pipe, body, otherwise));
                }
                "range" => {
                    let pipe = parse_pipeline(rest)?;
                    let (body, end) = self.list(false)?;
                    let otherwise = self.otherwise(end, "range")?;
                    nodes.push(Node::Range(pipe, body, otherwise));
                }
                "define" => {
                    if !top {
                        return Err("`define` inside a block".into());
                    }
                    let name = match tokens(rest)?.as_slice() {
                        [Tok::Str(name)] => name.clone(),
                        _ => return Err(format!("bad define `{rest}`")),
                    };
                    let (body, end) = self.list(false)?;
                    if !matches!(end, End::Block) {
                        return Err(format!("define {name}: missing `end`"));
                    }
                    self.defines.insert(name, body);
                }
                "template" => {
                    let mut ts = TokStream {
                        toks: tokens(rest)?,
                        pos: 0,
                    };
                    let Some(Tok::Str(name)) = ts.next() else {
                        return Err(format!("bad template `{rest}`"));
                    };
                    let pipe = if ts.peek().is_some() {
                        Some(pipeline(&mut ts, false)?)
                    } else {
                        None
                    };
                    nodes.push(Node::Template(name, pipe));
                }
                "block" => return Err("`block` is not supported".into()),
                _ => nodes.push(Node::Action(parse_pipeline(&action)?)),
            }
        }
        if top {
            Ok((nodes, End::Eof))
        } else {
            Err("missing `end`".into())
        }
    }

    fn if_chain(&mut self, cond: &str) -> Result<Node, String> {
        let mut branches = vec![];
        let mut cond = parse_pipeline(cond)?;
        loop {
            let (body, end) = self.list(false)?;
            branches.push((cond, body));
            match end {
                End::Block => return Ok(Node::If(branches, vec![])),
                End::Else(None) => {
                    let (otherwise, end) = self.list(false)?;
                    if !matches!(end, End::Block) {
                        return Err("if: `else` after `else`".into());
                    }
                    return Ok(Node::If(branches, otherwise));
                }
                End::Else(Some(rest)) => {
                    let next = rest
                        .strip_prefix("if ")
                        .ok_or_else(|| format!("unsupported `else {rest}`"))?;
                    cond = parse_pipeline(next)?;
                }
                End::Eof => return Err("if: missing `end`".into()),
            }
        }
    }

    fn otherwise(&mut self, end: End, what: &str) -> Result<Vec<Node>, String> {
        match end {
            End::Block => Ok(vec![]),
            End::Else(None) => {
                let (nodes, end) = self.list(false)?;
                if matches!(end, End::Block) {
                    Ok(nodes)
                } else {
                    Err(format!("{what}: missing `end` after `else`"))
                }
            }
            _ => Err(format!("{what}: bad `else`")),
        }
    }
}

/// Parses one template file.
pub fn parse(src: &str) -> Result<Parsed, String> {
    let mut parser = Parser {
        pieces: split(src)?,
        pos: 0,
        defines: HashMap::new(),
    };
    let (body, end) = parser.list(true)?;
    match end {
        End::Eof => Ok(Parsed {
            body,
            defines: parser.defines,
        }),
        End::Block => Err("`end` without a block".into()),
        End::Else(_) => Err("`else` without a block".into()),
    }
}
