//! Terraform's built-in functions that matter for naming resources and wiring them: string
//! building, collections, type conversions, `file` and `templatefile`, `try` and `coalesce`.
//! A function Baton does not evaluate (hashes, timestamps, regexes) gives an unknown value.

use std::collections::BTreeMap;
use std::rc::Rc;

use hcl_edit::expr::FuncArgs;

use super::eval::{Evaluator, Scope};
use super::module::Expr;
use super::value::{number_text, Source, Value};

pub(crate) fn call<'e>(
    ev: &mut Evaluator<'_>,
    expr: Expr<'e>,
    name: &str,
    args: &'e FuncArgs,
    scope: &Scope,
) -> Value {
    let arg_exprs: Vec<Expr<'e>> = args
        .iter()
        .map(|e| Expr {
            file: expr.file,
            expr: e,
        })
        .collect();
    // Functions that look at their arguments before (or instead of) evaluating them.
    match name {
        "try" => {
            for a in &arg_exprs {
                let v = ev.eval(*a, scope);
                if v.is_known() {
                    return v;
                }
            }
            return Value::unknown(ev.source_of(expr));
        }
        "can" => {
            return match arg_exprs.first().map(|a| ev.eval(*a, scope)) {
                Some(v) if v.is_known() => Value::Bool(true),
                _ => Value::unknown(ev.source_of(expr)),
            };
        }
        _ => {}
    }
    let mut values: Vec<Value> = arg_exprs.iter().map(|a| ev.eval(*a, scope)).collect();
    // `f(list...)`: the last argument's elements are the arguments.
    if args.expand_final() {
        if let Some(Value::List(items)) = values.pop() {
            values.extend(items.iter().cloned());
        }
    }
    let unknown_value = Value::unknown(ev.source_of(expr));
    let unknown = || unknown_value.clone();
    // `coalesce` and friends may skip unknown arguments; the rest need all of them.
    let tolerant = matches!(name, "coalesce" | "coalescelist" | "merge" | "concat");
    if !tolerant && values.iter().any(|v| !v.is_known()) {
        return unknown();
    }
    match name {
        "file" => {
            let Some(path) = values.first().and_then(Value::as_known_str) else {
                return unknown();
            };
            match ev.read(scope.instance, path) {
                Some((file, text)) => Value::Text(Rc::new(Source::file(file, text))),
                None => unknown(),
            }
        }
        "templatefile" => {
            let (Some(path), Some(vars)) =
                (values.first().and_then(Value::as_known_str), values.get(1))
            else {
                return unknown();
            };
            let path = path.to_string();
            match ev.read(scope.instance, &path) {
                Some((file, text)) => ev.template_file(scope.instance, file, text, vars),
                None => unknown(),
            }
        }
        "fileexists" => {
            let Some(path) = values.first().and_then(Value::as_known_str) else {
                return unknown();
            };
            Value::Bool(ev.read(scope.instance, path).is_some())
        }
        "jsondecode" => values
            .first()
            .and_then(Value::as_known_str)
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .map_or_else(unknown, |j| from_json(&j)),
        "yamldecode" => values
            .first()
            .and_then(Value::as_known_str)
            .and_then(|s| {
                let (docs, errors) = crate::tree::parse(s, crate::limits::Limits::default());
                errors.is_empty().then(|| docs.into_iter().next()).flatten()
            })
            .map_or_else(unknown, |doc| from_tree(&doc)),
        "jsonencode" => values
            .first()
            .map(|v| Value::str(to_json(v).to_string()))
            .unwrap_or_else(unknown),
        _ => pure(name, &values).unwrap_or_else(unknown),
    }
}

/// Functions of their argument values alone; `None` when the result is not known.
fn pure(name: &str, a: &[Value]) -> Option<Value> {
    let text = |i: usize| a.get(i).and_then(Value::as_text);
    let list = |i: usize| a.get(i).and_then(Value::as_list);
    let number = |i: usize| a.get(i).and_then(Value::as_number);
    let string = |s: String| Some(Value::str(s));
    Some(match name {
        "format" => string(format(&text(0)?, &a[1..])?)?,
        "formatlist" => return None,
        "join" => {
            let items: Option<Vec<String>> = list(1)?.iter().map(Value::as_text).collect();
            string(items?.join(&text(0)?))?
        }
        "split" => Value::list(text(1)?.split(text(0)?.as_str()).map(Value::str).collect()),
        "replace" => {
            let (s, from, to) = (text(0)?, text(1)?, text(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return None; // a regular expression
            }
            string(s.replace(&from, &to))?
        }
        "lower" => string(text(0)?.to_lowercase())?,
        "upper" => string(text(0)?.to_uppercase())?,
        "trimspace" => string(text(0)?.trim().to_string())?,
        "trim" => {
            let chars: Vec<char> = text(1)?.chars().collect();
            string(text(0)?.trim_matches(|c| chars.contains(&c)).to_string())?
        }
        "trimprefix" => {
            let s = text(0)?;
            string(s.strip_prefix(text(1)?.as_str()).unwrap_or(&s).to_string())?
        }
        "trimsuffix" => {
            let s = text(0)?;
            string(s.strip_suffix(text(1)?.as_str()).unwrap_or(&s).to_string())?
        }
        "substr" => {
            let s: Vec<char> = text(0)?.chars().collect();
            let offset = number(1)? as i64;
            let length = number(2)? as i64;
            let start = if offset < 0 {
                s.len() as i64 + offset
            } else {
                offset
            }
            .max(0) as usize;
            let end = if length < 0 {
                s.len()
            } else {
                (start + length as usize).min(s.len())
            };
            string(
                s.get(start.min(s.len())..end.max(start.min(s.len())))?
                    .iter()
                    .collect(),
            )?
        }
        "startswith" => Value::Bool(text(0)?.starts_with(text(1)?.as_str())),
        "endswith" => Value::Bool(text(0)?.ends_with(text(1)?.as_str())),
        "strrev" => string(text(0)?.chars().rev().collect())?,
        "tostring" => match a.first()? {
            Value::Null => Value::Null,
            v => string(v.as_text()?)?,
        },
        "tonumber" => Value::Number(number(0)?),
        "tobool" => Value::Bool(a.first()?.as_bool()?),
        "tolist" | "toset" => {
            let items = list(0)?;
            if name == "toset" {
                let mut unique: Vec<Value> = Vec::new();
                for item in items {
                    if !unique.contains(item) {
                        unique.push(item.clone());
                    }
                }
                Value::list(unique)
            } else {
                Value::list(items.to_vec())
            }
        }
        "tomap" => a.first()?.as_map().map(|m| Value::map(m.clone()))?,
        "length" => Value::Number(match a.first()? {
            Value::List(items) => items.len(),
            Value::Map(entries) => entries.len(),
            v => v.as_known_str()?.chars().count(),
        } as f64),
        "keys" => Value::list(
            a.first()?
                .as_map()?
                .keys()
                .map(|k| Value::str(k.as_str()))
                .collect(),
        ),
        "values" => Value::list(a.first()?.as_map()?.values().cloned().collect()),
        "lookup" => {
            let map = a.first()?.as_map()?;
            match map.get(&text(1)?) {
                Some(v) => v.clone(),
                None => a.get(2)?.clone(),
            }
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for v in a {
                match v {
                    Value::Map(entries) => {
                        out.extend(entries.iter().map(|(k, v)| (k.clone(), v.clone())))
                    }
                    Value::Null => {}
                    _ => return None,
                }
            }
            Value::map(out)
        }
        "concat" => {
            let mut out = Vec::new();
            for v in a {
                out.extend(v.as_list()?.iter().cloned());
            }
            Value::list(out)
        }
        "flatten" => {
            fn flat(v: &Value, out: &mut Vec<Value>) {
                match v {
                    Value::List(items) => items.iter().for_each(|i| flat(i, out)),
                    other => out.push(other.clone()),
                }
            }
            let mut out = Vec::new();
            list(0)?.iter().for_each(|v| flat(v, &mut out));
            Value::list(out)
        }
        "distinct" => {
            let mut out: Vec<Value> = Vec::new();
            for item in list(0)? {
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
            Value::list(out)
        }
        "compact" => Value::list(
            list(0)?
                .iter()
                .filter(|v| !matches!(v, Value::Null) && v.as_text().is_none_or(|t| !t.is_empty()))
                .cloned()
                .collect(),
        ),
        "reverse" => Value::list(list(0)?.iter().rev().cloned().collect()),
        "sort" => {
            let mut items: Vec<String> =
                list(0)?.iter().map(Value::as_text).collect::<Option<_>>()?;
            items.sort();
            Value::list(items.into_iter().map(Value::str).collect())
        }
        "element" => {
            let items = list(0)?;
            if items.is_empty() {
                return None;
            }
            items[(number(1)?.max(0.0) as usize) % items.len()].clone()
        }
        "index" => {
            let i = list(0)?.iter().position(|v| Some(v) == a.get(1))?;
            Value::Number(i as f64)
        }
        "slice" => {
            let items = list(0)?;
            let (from, to) = (number(1)? as usize, number(2)? as usize);
            Value::list(items.get(from..to.min(items.len()))?.to_vec())
        }
        "contains" => Value::Bool(list(0)?.contains(a.get(1)?)),
        "one" => match list(0)? {
            [] => Value::Null,
            [one] => one.clone(),
            _ => return None,
        },
        "zipmap" => Value::map(
            list(0)?
                .iter()
                .zip(list(1)?)
                .filter_map(|(k, v)| Some((k.as_text()?, v.clone())))
                .collect(),
        ),
        "coalesce" => a
            .iter()
            .find(|v| match v {
                Value::Null => false,
                v => v.as_text().is_none_or(|t| !t.is_empty()),
            })?
            .clone(),
        "coalescelist" => a
            .iter()
            .find(|v| v.as_list().is_some_and(|l| !l.is_empty()))?
            .clone(),
        "range" => {
            let (start, end, step) = match a.len() {
                1 => (0.0, number(0)?, 1.0),
                2 => (number(0)?, number(1)?, 1.0),
                _ => (number(0)?, number(1)?, number(2)?),
            };
            if step == 0.0 {
                return None;
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Value::Number(x));
                x += step;
                if out.len() > 10_000 {
                    return None;
                }
            }
            Value::list(out)
        }
        "max" => Value::Number(
            a.iter()
                .map(Value::as_number)
                .collect::<Option<Vec<f64>>>()?
                .into_iter()
                .fold(f64::MIN, f64::max),
        ),
        "min" => Value::Number(
            a.iter()
                .map(Value::as_number)
                .collect::<Option<Vec<f64>>>()?
                .into_iter()
                .fold(f64::MAX, f64::min),
        ),
        "abs" => Value::Number(number(0)?.abs()),
        "ceil" => Value::Number(number(0)?.ceil()),
        "floor" => Value::Number(number(0)?.floor()),
        "base64encode" => string(base64(text(0)?.as_bytes()))?,
        "basename" => string(text(0)?.rsplit('/').next()?.to_string())?,
        "dirname" => {
            let s = text(0)?;
            string(
                s.rsplit_once('/')
                    .map_or(".".to_string(), |(d, _)| d.to_string()),
            )?
        }
        "abspath" | "pathexpand" | "chomp" => string(text(0)?.trim_end_matches('\n').to_string())?,
        _ => return None,
    })
}

/// Terraform's `format` for `%s`, `%d`, `%v`, `%q` and `%%`.
fn format(spec: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&next.next()?.as_text()?),
            'd' => out.push_str(&number_text(next.next()?.as_number()?.trunc())),
            'q' => out.push_str(&format!("{:?}", next.next()?.as_text()?)),
            _ => return None,
        }
    }
    Some(out)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn from_json(j: &serde_json::Value) -> Value {
    match j {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        serde_json::Value::String(s) => Value::str(s.as_str()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

fn from_tree(node: &crate::tree::Node) -> Value {
    use crate::tree::Value as V;
    match &node.value {
        V::Scalar(s) if s.is_null() => Value::Null,
        V::Scalar(s) => match (node.as_bool(), s.plain.then(|| node.as_f64()).flatten()) {
            (Some(b), _) => Value::Bool(b),
            (_, Some(n)) => Value::Number(n),
            _ => Value::str(s.text.as_str()),
        },
        V::Seq(items) => Value::list(items.iter().map(from_tree).collect()),
        V::Map(entries) => Value::map(
            entries
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), from_tree(v))))
                .collect(),
        ),
    }
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
        other => serde_json::Value::String(other.as_text().unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::str(text)
    }

    #[test]
    fn strings_and_collections() {
        assert_eq!(
            pure("format", &[s("projects/%s/topics/%s"), s("p"), s("t")]),
            Some(s("projects/p/topics/t"))
        );
        assert_eq!(
            pure(
                "join",
                &[s("-"), Value::list(vec![s("a"), Value::Number(2.0)])]
            ),
            Some(s("a-2"))
        );
        assert_eq!(pure("replace", &[s("a_b"), s("_"), s("-")]), Some(s("a-b")));
        assert_eq!(pure("replace", &[s("a_b"), s("/_/"), s("-")]), None);
        assert_eq!(
            pure(
                "element",
                &[Value::list(vec![s("a"), s("b")]), Value::Number(3.0)]
            ),
            Some(s("b"))
        );
        let m = |k: &str, v: &str| Value::map(BTreeMap::from([(k.to_string(), s(v))]));
        assert_eq!(
            pure("merge", &[m("a", "1"), m("b", "2")]).and_then(|v| v.as_map().map(|m| m.len())),
            Some(2)
        );
        assert_eq!(pure("lookup", &[m("a", "1"), s("z"), s("d")]), Some(s("d")));
        assert_eq!(
            pure("coalesce", &[Value::Null, s(""), s("x")]),
            Some(s("x"))
        );
        assert_eq!(
            pure(
                "substr",
                &[s("hello"), Value::Number(1.0), Value::Number(3.0)]
            ),
            Some(s("ell"))
        );
        assert_eq!(pure("length", &[s("héllo")]), Some(Value::Number(5.0)));
        assert_eq!(pure("sha256", &[s("x")]), None);
    }

    #[test]
    fn base64_encodes() {
        assert_eq!(base64(b"{\"size\": 4}"), "eyJzaXplIjogNH0=");
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
