//! Shared by the browser tests (`tests/browser.rs`) and the browser bench
//! (`benches/browser.rs`): a static server for `dist/` under a sub-path, ChromeDriver with a
//! fresh headless Chromium profile, and `Page`, a WebDriver client with waits and queries in
//! the page's terms.
#![allow(dead_code)] // each includer uses a different part

use std::error::Error;
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

pub type Result<T, E = Box<dyn Error + Send + Sync>> = std::result::Result<T, E>;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Served from a sub-path to prove that `dist/` uses relative URLs only.
pub const SUB_PATH: &str = "/baton/";
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub const NODES: &str = "g[data-node-id]";
pub const EDGES: &str = "path[data-edge-kind]";
pub const FILES: &str = "[data-testid=files] .file";

/// A path in the repository.
pub fn repo_path(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs one test against a fresh server, ChromeDriver and Chromium profile. Whatever happens in
/// `test` (an error or a failed assertion), a screenshot `target/browser-artifacts/<name>.png`
/// is taken, the console is printed and Chromium is closed (ChromeDriver leaves it running when
/// killed); then any SEVERE console message fails the test.
pub async fn run<F, Fut>(name: &'static str, test: F) -> Result<()>
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = root.join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build it first with `trunk build --release` (scripts/test.sh does)",
        dist.join("index.html").display()
    );
    let artifacts = root.join("target/browser-artifacts");
    std::fs::create_dir_all(&artifacts)?;

    let base = format!("http://{}{SUB_PATH}", serve_static(dist)?);
    let driver = ChromeDriver::start(&artifacts.join(format!("{name}.chromedriver.log")))?;
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(chromium_capabilities())
        .connect(&driver.url)
        .await?;
    let page = Page {
        client: client.clone(),
        base,
        console: Arc::default(),
        expected_errors: Arc::default(),
    };
    let started = Instant::now();
    // In a task, so that a failed assertion comes back here.
    let outcome = tokio::spawn(test(page.clone())).await;
    let screenshot = artifacts.join(format!("{name}.png"));
    match page.client.screenshot().await {
        Ok(png) => std::fs::write(&screenshot, png)?,
        Err(e) => eprintln!("{name}: no screenshot: {e}"),
    }
    let console = page.console().await.unwrap_or_default();
    for entry in &console {
        eprintln!("{name}: console {} {}", entry["level"], entry["message"]);
    }
    client.close().await?;
    eprintln!(
        "{name}: {:.1} s, screenshot {}",
        started.elapsed().as_secs_f64(),
        screenshot.display()
    );
    match outcome {
        Ok(result) => result?,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
    let expected = page
        .expected_errors
        .lock()
        .map_err(|e| e.to_string())?
        .clone();
    let severe: Vec<_> = console
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .filter(|e| {
            let message = e["message"].as_str().unwrap_or_default();
            // A panic also logs the wasm trap that follows it.
            let known = expected.iter().any(|t| message.contains(t))
                || (!expected.is_empty() && message.contains("RuntimeError: unreachable"));
            !known
        })
        .collect();
    assert!(severe.is_empty(), "{name}: console errors: {severe:#?}");
    Ok(())
}

/// The page under test: a WebDriver client with waits and queries in the page's terms.
#[derive(Clone)]
pub struct Page {
    pub client: Client,
    /// The app's URL, without fragment.
    base: String,
    /// Console messages read so far (ChromeDriver hands each one out once).
    console: Arc<Mutex<Vec<Value>>>,
    /// Parts of SEVERE console messages the test itself provokes, so not failing it.
    expected_errors: Arc<Mutex<Vec<&'static str>>>,
}

impl Page {
    /// Opens the app with a URL fragment (`""` or `"#example=NAME"`).
    pub async fn open(&self, fragment: &str) -> Result<()> {
        self.client
            .goto(&format!("{}{fragment}", self.base))
            .await?;
        Ok(())
    }

    pub async fn reload(&self) -> Result<()> {
        self.client.refresh().await?;
        Ok(())
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Runs a script that ends by calling its last argument with the result.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute_async(script, args).await?)
    }

    pub async fn count(&self, css: &str) -> Result<usize> {
        let n = self
            .js(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(css)],
            )
            .await?;
        n.as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| format!("count of {css}: {n}").into())
    }

    pub async fn find(&self, css: &str) -> Result<Element> {
        Ok(self.client.find(Locator::Css(css)).await?)
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// The first element matching `css`, once there is one.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        let found = self
            .client
            .wait()
            .at_most(TIMEOUT)
            .for_element(Locator::Css(css))
            .await;
        found.map_err(|e| format!("no {css} after {TIMEOUT:?}: {e}").into())
    }

    /// Waits until exactly `n` elements match `css`.
    pub async fn wait_count(&self, css: &str, n: usize) -> Result<()> {
        let timeout = TIMEOUT;
        let start = Instant::now();
        loop {
            let count = self.count(css).await?;
            if count == n {
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err(format!("{count} × {css} after {timeout:?}, expected {n}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to `timeout` until the script returns true.
    pub async fn wait_until(&self, script: &str, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            if self.js(script, vec![]).await? == Value::Bool(true) {
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err(format!("still not true after {timeout:?}: {script}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs `action` (script text) in the page and returns the milliseconds until the frame
    /// after the page's answer is painted: the time a user waits for it.
    pub async fn timed(&self, action: &str) -> Result<f64> {
        let script = format!(
            "const done = arguments[arguments.length - 1];
             const start = performance.now();
             {action};
             requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));"
        );
        let ms = self.js_async(&script, vec![]).await?;
        ms.as_f64()
            .ok_or_else(|| format!("no time from {action}: {ms}").into())
    }

    /// The page's `x, y, scale` of the drawing (the stage's CSS transform).
    pub async fn stage_transform(&self) -> Result<(f64, f64, f64)> {
        let t = self
            .js(
                "const m = new DOMMatrix(getComputedStyle(document.querySelector('.stage')).transform);
                 return [m.e, m.f, m.a];",
                vec![],
            )
            .await?;
        let n = |i: usize| t[i].as_f64().ok_or_else(|| format!("no transform: {t}"));
        Ok((n(0)?, n(1)?, n(2)?))
    }

    /// The `data-node-id` of every node drawn, sorted.
    pub async fn node_ids(&self) -> Result<Vec<String>> {
        let ids = self
            .js(
                "return [...document.querySelectorAll(arguments[0])].map((n) => n.dataset.nodeId);",
                vec![json!(NODES)],
            )
            .await?;
        let mut ids: Vec<String> = serde_json::from_value(ids)?;
        ids.sort();
        Ok(ids)
    }

    /// (errors, warnings, infos) as counted by the findings panel.
    pub async fn finding_counts(&self) -> Result<(usize, usize, usize)> {
        let mut counts = [0; 3];
        for (count, severity) in counts.iter_mut().zip(["error", "warning", "info"]) {
            let text = self
                .text(&format!("[data-testid=count-{severity}]"))
                .await?;
            *count = text.trim().parse()?;
        }
        Ok((counts[0], counts[1], counts[2]))
    }

    /// SEVERE console messages containing `part` are provoked by the test: they do not fail it.
    pub fn expect_console_errors(&self, part: &'static str) {
        if let Ok(mut expected) = self.expected_errors.lock() {
            expected.push(part);
        }
    }

    /// Picks files (paths relative to the repository) in the "Open files…" input.
    pub async fn pick_files(&self, paths: &[&str]) -> Result<()> {
        let paths: Vec<String> = paths
            .iter()
            .map(|p| repo_path(p).display().to_string())
            .collect();
        // ChromeDriver sets a file input's files from absolute paths, one per line.
        self.find("[data-testid=file-input]")
            .await?
            .send_keys(&paths.join("\n"))
            .await?;
        Ok(())
    }

    /// Opens the paste box, types a definition and adds it.
    pub async fn paste(&self, name: &str, text: &str) -> Result<()> {
        self.click("details.paste > summary").await?;
        self.find("[data-testid=paste-name]")
            .await?
            .send_keys(name)
            .await?;
        // Typing a long text key by key takes minutes: long texts are set as the user's input.
        if text.len() > 2_000 {
            self.js(
                "const area = document.querySelector('[data-testid=paste-text]');
                 area.value = arguments[0];
                 area.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![json!(text)],
            )
            .await?;
        } else {
            self.find("[data-testid=paste-text]")
                .await?
                .send_keys(text)
                .await?;
        }
        self.click("[data-testid=paste-add]").await
    }

    /// `<html data-theme>`.
    pub async fn theme(&self) -> Result<Option<String>> {
        let theme = self
            .js(
                "return document.documentElement.dataset.theme ?? null;",
                vec![],
            )
            .await?;
        Ok(theme.as_str().map(str::to_string))
    }

    /// Whether the page's computed background is dark (relative luminance below 0.2).
    pub async fn body_is_dark(&self) -> Result<bool> {
        let colour = self
            .js(
                "return getComputedStyle(document.body).backgroundColor;",
                vec![],
            )
            .await?;
        let colour = colour.as_str().unwrap_or_default();
        let channels: Vec<f64> = colour
            .trim_start_matches("rgba(")
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        let [r, g, b, ..] = channels[..] else {
            return Err(format!("body background {colour:?}").into());
        };
        Ok((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0 < 0.2)
    }

    /// Has the next document record, in `window.__batonFirstNode` and
    /// `window.__batonFirstNodePaint`, when the first graph node was added to the DOM and the
    /// next animation frame after that (`performance.now()`, from navigation start).
    pub async fn record_first_node(&self) -> Result<()> {
        let source = format!(
            "new MutationObserver((_, observer) => {{
               if (!document.querySelector({NODES:?})) return;
               observer.disconnect();
               window.__batonFirstNode = performance.now();
               requestAnimationFrame(() => {{ window.__batonFirstNodePaint = performance.now(); }});
             }}).observe(document, {{ childList: true, subtree: true }});"
        );
        let cmd = Cdp {
            cmd: "Page.addScriptToEvaluateOnNewDocument",
            params: json!({ "source": source }),
        };
        self.client.issue_cmd(cmd).await?;
        Ok(())
    }

    /// Every console message since the page was opened.
    pub async fn console(&self) -> Result<Vec<Value>> {
        let new = match self.client.issue_cmd(BrowserLog).await? {
            Value::Array(entries) => entries,
            other => return Err(format!("unexpected browser log: {other}").into()),
        };
        let mut all = self.console.lock().map_err(|e| e.to_string())?;
        all.extend(new);
        Ok(all.clone())
    }
}

pub fn chromium_capabilities() -> Capabilities {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // The networking flags stop Chromium from calling out on a closed network.
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000"],
        },
        // Keeps the console, read back by `Page::console`.
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object"),
    }
}

/// ChromeDriver's log endpoint (not in W3C WebDriver, so not in fantoccini): every console
/// message since the last call, as `{level, message, source, timestamp}`.
#[derive(Debug)]
pub struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// A Chrome DevTools Protocol command, through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A chromedriver process on a free loopback port, killed on drop.
pub struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    pub fn start(log: &Path) -> Result<ChromeDriver> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start {CHROMEDRIVER} (scripts/setup.sh --test installs it): {e}")
            })?;
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if start.elapsed() > TIMEOUT {
                return Err(format!("chromedriver did not listen on port {port}").into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `dir` under [`SUB_PATH`] on a free loopback port, one thread per connection (Chromium
/// opens connections ahead of need); returns the address. Lives as long as the test process.
pub fn serve_static(dir: PathBuf) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || respond(stream, &dir));
        }
    });
    Ok(addr)
}

pub fn respond(mut stream: TcpStream, dir: &Path) {
    // Read the whole head: closing a socket with unread input resets it, losing the response.
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    let mut header = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    while reader
        .read_line(&mut header)
        .is_ok_and(|n| n > 0 && header.trim_end() != "")
    {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("");
    let path = target.split('?').next().unwrap_or("");
    let file = path
        .strip_prefix(SUB_PATH)
        .filter(|rel| !rel.split('/').any(|part| part == ".."))
        .map(|rel| dir.join(if rel.is_empty() { "index.html" } else { rel }));
    let response = match file.map(|f| (std::fs::read(&f), f)) {
        Some((Ok(body), f)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content_type(&f),
                body.len()
            );
            [head.into_bytes(), body].concat()
        }
        _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
    };
    let _ = stream.write_all(&response);
}

pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        // wasm-bindgen compiles while downloading only when served as application/wasm.
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("yaml") => "text/yaml; charset=utf-8",
        _ => "application/octet-stream",
    }
}
