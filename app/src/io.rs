//! The browser side of loading and saving: reading picked or dropped files (folders walked
//! recursively), downloads, the clipboard and PNG rendering. Nothing leaves the machine:
//! downloads are made from in-memory blobs.

use baton_analyzer::SourceFile;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, DataTransfer, File, FileSystemDirectoryEntry, FileSystemDirectoryReader,
    FileSystemEntry, FileSystemFileEntry, HtmlAnchorElement, HtmlCanvasElement, HtmlImageElement,
    Url,
};

/// A file's bytes: the analyzer decodes them and reports invalid UTF-8 or binary content with
/// its position, like the CLI does.
pub async fn read(file: &File, path: String) -> Result<SourceFile, String> {
    let blob = gloo_file::Blob::from(file.clone());
    let bytes = gloo_file::futures::read_as_bytes(&blob)
        .await
        .map_err(|_| format!("cannot read `{path}`"))?;
    Ok(SourceFile::from_bytes(path, bytes))
}

/// Version control and dependencies are never read (as the CLI does not walk them).
fn skipped(path: &str) -> bool {
    path.split('/')
        .any(|part| matches!(part, ".git" | "node_modules"))
}

/// A file found in a folder, read when Baton reads files of its kind (as the CLI does: see
/// [`baton_analyzer::reads`]); a file without an extension is read to see its shebang.
async fn read_if_wanted(file: &File, path: String) -> Option<Result<SourceFile, String>> {
    if skipped(&path) {
        return None;
    }
    if baton_analyzer::reads(&path, "") {
        return Some(read(file, path).await);
    }
    let name = path.rsplit('/').next().unwrap_or(&path);
    if name.contains('.') {
        return None;
    }
    let source = read(file, path.clone()).await;
    let first_line = source
        .as_ref()
        .map(|s| s.text.lines().next().unwrap_or("").to_string())
        .unwrap_or_default();
    baton_analyzer::reads(&path, &first_line).then_some(source)
}

/// The files of an `<input type=file>` (with `webkitdirectory`, their folder paths).
pub async fn read_list(list: &web_sys::FileList) -> (Vec<SourceFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let relative = Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty());
        let from_folder = relative.is_some();
        let path = relative.unwrap_or_else(|| file.name());
        let read = match from_folder {
            true => read_if_wanted(&file, path).await,
            false => Some(read(&file, path).await),
        };
        match read {
            Some(Ok(f)) => files.push(f),
            Some(Err(e)) => errors.push(e),
            None => {}
        }
    }
    (files, errors)
}

/// Everything dropped: files, and the definitions in dropped folders.
pub async fn read_drop(data: &DataTransfer) -> (Vec<SourceFile>, Vec<String>) {
    let mut entries = Vec::new();
    let items = data.items();
    for i in 0..items.length() {
        if let Some(Ok(Some(entry))) = items.get(i).map(|item| item.webkit_get_as_entry()) {
            entries.push(entry);
        }
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if entries.is_empty() {
        if let Some(list) = data.files() {
            return read_list(&list).await;
        }
    }
    while let Some(entry) = entries.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            if skipped(&path) {
                continue;
            }
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            match read_dir(&dir.create_reader()).await {
                Ok(children) => entries.extend(children),
                Err(_) => errors.push(format!("cannot read folder `{path}`")),
            }
        } else if entry.is_file() {
            let is_top_level = !path.contains('/');
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            let Ok(file) = entry_file(&file_entry).await else {
                errors.push(format!("cannot read `{path}`"));
                continue;
            };
            let read = match is_top_level {
                true => Some(read(&file, path).await),
                false => read_if_wanted(&file, path).await,
            };
            match read {
                Some(Ok(f)) => files.push(f),
                Some(Err(e)) => errors.push(e),
                None => {}
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, errors)
}

/// All entries of a folder (the reader returns them in batches until an empty one).
async fn read_dir(reader: &FileSystemDirectoryReader) -> Result<Vec<FileSystemEntry>, JsValue> {
    let mut out = Vec::new();
    loop {
        let batch = JsFuture::from(Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        }))
        .await?;
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            return Ok(out);
        }
        out.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
}

async fn entry_file(entry: &FileSystemFileEntry) -> Result<File, JsValue> {
    let file = JsFuture::from(Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    }))
    .await?;
    Ok(file.unchecked_into())
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    download_blob(name, &blob)
}

fn download_blob(name: &str, blob: &Blob) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let document = gloo_document()?;
    let a: HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Url::revoke_object_url(&url)
}

fn gloo_document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

pub async fn copy(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    JsFuture::from(window.navigator().clipboard().write_text(text)).await?;
    Ok(())
}

/// Renders an SVG document to a PNG download at twice its size.
pub async fn download_png(name: &str, svg: &str, width: f64, height: f64) -> Result<(), JsValue> {
    let document = gloo_document()?;
    let image = HtmlImageElement::new()?;
    // A data: URL: the page's CSP allows images from data: only.
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(svg))
    );
    let loaded = JsFuture::from(Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
        image.set_src(&url);
    }));
    loaded.await?;
    let scale = 2.0;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.unchecked_into();
    canvas.set_width((width * scale).min(16_000.0) as u32);
    canvas.set_height((height * scale).min(16_000.0) as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d canvas"))?
        .unchecked_into();
    context.scale(scale, scale)?;
    context.draw_image_with_html_image_element(&image, 0.0, 0.0)?;
    let blob = JsFuture::from(Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob(&resolve);
    }))
    .await?;
    download_blob(name, &blob.unchecked_into())
}
