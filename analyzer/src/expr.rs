//! Workflows expressions (`${...}`), as far as static analysis needs them.

/// The inside of an expression when `value` is one whole `${...}` (or the Terraform-escaped
/// `$${...}`); `None` for plain strings such as `"Bearer ${t}"`, which Workflows does not evaluate.
pub fn expression(value: &str) -> Option<&str> {
    let value = value.trim();
    let inner = value
        .strip_prefix("$${")
        .or_else(|| value.strip_prefix("${"))?;
    inner.strip_suffix('}')
}

/// Names of the functions an expression calls (`sub(x)`, `text.split(...)`), in order.
/// String literals are skipped, so `"a(b)"` calls nothing.
pub fn called_functions(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' || c == b'\'' {
            // Skip the literal, honouring backslash escapes.
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            let name = &expr[start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            let preceded_by_dot = start > 0 && bytes[start - 1] == b'.';
            if j < bytes.len()
                && bytes[j] == b'('
                && !preceded_by_dot
                && !matches!(name, "and" | "or" | "not" | "in")
            {
                out.push(name);
            }
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_outside_string_literals() {
        assert_eq!(
            called_functions(r#"my_sub(1, "x(y)") + text.split(a, ",")"#),
            ["my_sub", "text.split"]
        );
        assert_eq!(called_functions("not (a) and b.c(d)"), ["b.c"]);
        assert_eq!(called_functions(r#""esc\"aped(" + f (x)"#), ["f"]);
    }

    #[test]
    fn whole_value_expressions_only() {
        assert_eq!(expression("${a + b}"), Some("a + b"));
        assert_eq!(expression("$${sys.now()}"), Some("sys.now()"));
        assert_eq!(expression("Bearer ${t}"), None);
        assert_eq!(expression("plain"), None);
    }
}
