//! Workflows expressions (`${...}`), as far as static analysis needs them.

/// The inside of an expression when `value` is one whole `${...}` (or the Terraform-escaped
/// `$${...}`); `None` for plain strings such as `"Bearer ${t}"`, which Workflows does not evaluate.
pub fn expression(value: &str) -> Option<&str> {
    let value = value.trim();
    let inner = value.strip_prefix("$${").or_else(|| value.strip_prefix("${"))?;
    inner.strip_suffix('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_value_expressions_only() {
        assert_eq!(expression("${a + b}"), Some("a + b"));
        assert_eq!(expression("$${sys.now()}"), Some("sys.now()"));
        assert_eq!(expression("Bearer ${t}"), None);
        assert_eq!(expression("plain"), None);
    }
}
