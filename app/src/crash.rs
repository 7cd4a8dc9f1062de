//! When the app panics (a bug: the analyzer never panics on input), the page must not just go
//! dead: the hook logs the panic, then replaces the page with a message, a download of the
//! workspace (from the last copy kept in memory, so a full localStorage does not matter) and a
//! reload link. Built with plain DOM calls: the reactive runtime may be broken by then.

use std::cell::RefCell;

use wasm_bindgen::JsCast;

thread_local! {
    /// The workspace as last saved (`persist::encode`), for the crash page's download.
    static LAST_WORKSPACE: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn remember(encoded: String) {
    LAST_WORKSPACE.with(|w| {
        if let Ok(mut w) = w.try_borrow_mut() {
            *w = encoded;
        }
    });
}

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        let workspace =
            LAST_WORKSPACE.with(|w| w.try_borrow().map(|w| w.clone()).unwrap_or_default());
        let _ = show(&message, &workspace);
    }));
}

fn show(message: &str, workspace: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    body.set_inner_html("");
    let page = document.create_element("div").ok()?;
    page.set_class_name("crash");
    page.set_attribute("role", "alert").ok()?;
    page.set_attribute("data-testid", "crash").ok()?;
    let title = document.create_element("h1").ok()?;
    title.set_text_content(Some("Baton stopped because of an internal error"));
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some(
        "Your files are not lost: download the workspace, then reload the page. \
         Please report the error below with the files that caused it.",
    ));
    let detail = document.create_element("pre").ok()?;
    detail.set_text_content(Some(message));
    let actions = document.create_element("p").ok()?;
    let blob = web_sys::Blob::new_with_str_sequence_and_options(
        &js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(workspace)),
        &{
            let options = web_sys::BlobPropertyBag::new();
            options.set_type("application/json");
            options
        },
    )
    .ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let download: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.unchecked_into();
    download.set_href(&url);
    download.set_download("baton-workspace.json");
    download.set_class_name("button");
    download
        .set_attribute("data-testid", "crash-download")
        .ok()?;
    download.set_text_content(Some("Download the workspace"));
    let reload: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.unchecked_into();
    reload.set_href("./");
    reload.set_class_name("button");
    reload.set_text_content(Some("Reload"));
    actions.append_child(&download).ok()?;
    actions.append_child(&reload).ok()?;
    for child in [&title, &text, &detail, &actions] {
        page.append_child(child).ok()?;
    }
    body.append_child(&page).ok()?;
    Some(())
}
