//! The workspace survives a reload: the loaded files are kept in the browser's localStorage
//! (never sent anywhere). A full storage keeps the files in memory and says so.

use baton_analyzer::SourceFile;
use serde_json::{json, Value};

const KEY: &str = "baton.workspace.v1";
const THEME: &str = "baton.theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The files saved by the last session, if any.
pub fn load() -> Option<Vec<SourceFile>> {
    let text = storage()?.get_item(KEY).ok()??;
    decode(&text)
}

/// Saves the files; `Err` with a message for the user when the browser refuses.
pub fn save(files: &[SourceFile]) -> Result<(), String> {
    let storage = storage()
        .ok_or("this browser keeps no local storage: the workspace will not survive a reload")?;
    storage.set_item(KEY, &encode(files)).map_err(|_| {
        "the browser's storage is full: the workspace stays loaded but will not survive a reload"
            .to_string()
    })
}

pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

pub fn theme() -> Option<String> {
    storage()?.get_item(THEME).ok()?
}

pub fn save_theme(theme: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(THEME, theme);
    }
}

pub fn encode(files: &[SourceFile]) -> String {
    let files: Vec<Value> = files
        .iter()
        .map(|f| match f.invalid_utf8 {
            Some(at) => {
                json!({"path": f.path, "text": f.text, "invalid_utf8": [at.line, at.column]})
            }
            None => json!({"path": f.path, "text": f.text}),
        })
        .collect();
    json!({ "files": files }).to_string()
}

pub fn decode(text: &str) -> Option<Vec<SourceFile>> {
    let value: Value = serde_json::from_str(text).ok()?;
    value
        .get("files")?
        .as_array()?
        .iter()
        .map(|f| {
            let mut file = SourceFile::new(f.get("path")?.as_str()?, f.get("text")?.as_str()?);
            // Where the original bytes stopped being UTF-8, so the finding survives a reload.
            if let Some([line, column]) =
                f.get("invalid_utf8").and_then(|p| p.as_array()).map(|p| {
                    [
                        p.first().and_then(Value::as_u64),
                        p.get(1).and_then(Value::as_u64),
                    ]
                })
            {
                if let (Some(line), Some(column)) = (line, column) {
                    file.invalid_utf8 = Some(baton_analyzer::Pos::new(
                        u32::try_from(line).ok()?,
                        u32::try_from(column).ok()?,
                    ));
                }
            }
            Some(file)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_and_garbage_is_ignored() {
        let files = vec![SourceFile::new("a/b.yaml", "main:\n  steps: []\n\"q\"")];
        let back = decode(&encode(&files)).unwrap();
        assert_eq!(
            (back[0].path.as_str(), back[0].text.as_str()),
            ("a/b.yaml", files[0].text.as_str())
        );
        assert!(decode("not json").is_none());
        let latin1 = SourceFile::from_bytes("l.yaml", b"name: caf\xe9\n".to_vec());
        let back = decode(&encode(std::slice::from_ref(&latin1))).unwrap();
        assert_eq!(back[0].invalid_utf8, latin1.invalid_utf8);
        assert!(latin1.invalid_utf8.is_some());
        assert!(decode(r#"{"files":[{"path":1}]}"#).is_none());
    }
}
