//! Browser smoke test of the release build: serves the `dist/` made by `trunk build --release`
//! from a sub-path, opens it in headless Chromium through ChromeDriver, and checks that the
//! built-in example loads, with no console error (a CSP violation is one). It leaves a screenshot
//! in `target/browser-artifacts/`.
//!
//! Ignored by a plain `cargo test`, since it needs `dist/`; scripts/test.sh builds `dist/` and
//! then runs `cargo test --test browser -- --ignored`.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

type Result<T, E = Box<dyn Error + Send + Sync>> = std::result::Result<T, E>;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Served from a sub-path to prove that `dist/` uses relative URLs only.
const SUB_PATH: &str = "/baton/";
const TIMEOUT: Duration = Duration::from_secs(30);

/// (kind label, name) of every resource in public/examples/image-pipeline/.
const EXAMPLE_RESOURCES: [(&str, &str); 11] = [
    ("workflow", "image-pipeline"),
    ("workflow", "delete-cleanup"),
    ("eventarc trigger", "on-image-uploaded"),
    ("eventarc trigger", "on-image-deleted"),
    ("cloud tasks queue", "thumbnail-queue"),
    ("scheduler job", "collage-every-minute"),
    ("pub/sub topic", "thumbnail-created"),
    ("pub/sub subscription", "collage-on-thumbnail"),
    ("cloud run service", "thumbnails"),
    ("cloud run service", "delete-image"),
    ("cloud run service", "collage"),
];

#[tokio::test]
#[ignore = "needs dist/ from `trunk build --release`: run by scripts/test.sh"]
async fn release_build_loads_the_example_without_console_errors() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dist = root.join("dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: build it first with `trunk build --release` (scripts/test.sh does)",
        dist.join("index.html").display()
    );
    let artifacts = root.join("target/browser-artifacts");
    std::fs::create_dir_all(&artifacts)?;

    let page = format!("http://{}{SUB_PATH}", serve_static(dist)?);
    let driver = ChromeDriver::start(&artifacts.join("chromedriver.log"))?;
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(chromium_capabilities())
        .connect(&driver.url)
        .await?;
    // Checked in a task, so that even a failed assertion comes back here and Chromium is closed
    // (ChromeDriver leaves it running when killed); `driver` is killed on drop.
    let outcome = tokio::spawn(check_page(client.clone(), page, artifacts)).await;
    client.close().await?;
    match outcome {
        Ok(result) => result,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

async fn check_page(client: Client, page: String, artifacts: PathBuf) -> Result<()> {
    let client = &client;
    client.goto(&page).await?;
    let rows = Locator::Css("[data-testid=resources] tr[data-resource-kind]");
    let loaded = client.wait().at_most(TIMEOUT).for_element(rows).await;
    let screenshot = artifacts.join("example-loaded.png");
    std::fs::write(&screenshot, client.screenshot().await?)?;
    eprintln!("screenshot: {}", screenshot.display());
    let log = browser_log(client).await?;
    for entry in &log {
        eprintln!("browser console: {} {}", entry["level"], entry["message"]);
    }
    if let Err(e) = loaded {
        return Err(
            format!("no resource rows after {TIMEOUT:?} ({e}); see the console above").into(),
        );
    }

    let heading = client.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(heading, "Baton");
    let mut shown = Vec::new();
    for row in client.find_all(rows).await? {
        let kind = row.attr("data-resource-kind").await?.unwrap_or_default();
        let name = row.attr("data-name").await?.unwrap_or_default();
        shown.push((kind, name));
    }
    let mut expected: Vec<_> = EXAMPLE_RESOURCES
        .iter()
        .map(|(k, n)| (k.to_string(), n.to_string()))
        .collect();
    shown.sort();
    expected.sort();
    assert_eq!(shown, expected, "resources shown by the page");

    let errors: Vec<_> = log.iter().filter(|e| e["level"] == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    Ok(())
}

fn chromium_capabilities() -> Capabilities {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // The networking flags stop Chromium from calling out on a closed network.
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000"],
        },
        // Keeps the console, read back by `browser_log`.
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
struct BrowserLog;

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

async fn browser_log(client: &Client) -> Result<Vec<Value>> {
    match client.issue_cmd(BrowserLog).await? {
        Value::Array(entries) => Ok(entries),
        other => Err(format!("unexpected browser log: {other}").into()),
    }
}

/// A chromedriver process on a free loopback port, killed on drop.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    fn start(log: &Path) -> Result<ChromeDriver> {
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
fn serve_static(dir: PathBuf) -> Result<String> {
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

fn respond(mut stream: TcpStream, dir: &Path) {
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

fn content_type(file: &Path) -> &'static str {
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
