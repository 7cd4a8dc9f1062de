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

/// Files that Baton reads when a folder is loaded: YAML and JSON definitions, Terraform
/// configuration, variable values and templates (as the CLI does).
pub fn is_definition(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".yaml", ".yml", ".json", ".tf", ".tfvars", ".tftpl", ".tpl"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// A file's bytes: the analyzer decodes them and reports invalid UTF-8 or binary content with
/// its position, like the CLI does.
pub async fn read(file: &File, path: String) -> Result<SourceFile, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("cannot read `{path}`"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(SourceFile::from_bytes(path, bytes))
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
        if from_folder && !is_definition(&path) {
            continue;
        }
        match read(&file, path).await {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
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
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            match read_dir(&dir.create_reader()).await {
                Ok(children) => entries.extend(children),
                Err(_) => errors.push(format!("cannot read folder `{path}`")),
            }
        } else if entry.is_file() {
            let is_top_level = !path.contains('/');
            if !is_top_level && !is_definition(&path) {
                continue;
            }
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            match entry_file(&file_entry).await {
                Ok(file) => match read(&file, path).await {
                    Ok(f) => files.push(f),
                    Err(e) => errors.push(e),
                },
                Err(_) => errors.push(format!("cannot read `{path}`")),
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
