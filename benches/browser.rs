//! The web app's figures in headless Chromium, on the release build in `dist/` (run
//! `trunk build --release` first, as scripts/test.sh does): the wasm's size (target: at most
//! 1 MiB gzip-compressed), the time until the default example is interactive (target: < 1 s
//! after page load) and the time to lay out a generated 300-node architecture in the browser
//! (target: < 300 ms). Run with `cargo bench --bench browser`.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod generated_org;
#[path = "../tests/support/browser.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::{repo_path, run, Result, NODES};

const RUNS: usize = 5;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    wasm_size()?;
    interactive().await?;
    layout_300().await?;
    Ok(())
}

fn wasm_size() -> Result<()> {
    let dist = repo_path("dist");
    let wasm = std::fs::read_dir(&dist)
        .map_err(|e| {
            format!(
                "{}: {e}; build it with `trunk build --release`",
                dist.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "wasm"))
        .ok_or("no .wasm in dist/")?;
    let bytes = std::fs::read(&wasm)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    let gzipped = gz.finish()?.len();
    println!(
        "wasm: {:.0} KiB raw, {:.0} KiB gzip (target <= 1024 KiB gzip)",
        bytes.len() as f64 / 1024.0,
        gzipped as f64 / 1024.0
    );
    Ok(())
}

async fn interactive() -> Result<()> {
    let times = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..RUNS {
        let times = times.clone();
        run("bench-interactive", |page| async move {
            page.record_first_node().await?;
            page.open("").await?;
            page.wait_for(NODES).await?;
            page.wait_for("[data-testid=findings] button.finding")
                .await?;
            let painted: Value = page
                .js(
                    "return window.__batonFirstNodePaint ?? window.__batonFirstNode;",
                    vec![],
                )
                .await?;
            if let (Some(ms), Ok(mut times)) = (painted.as_f64(), times.lock()) {
                times.push(ms);
            }
            Ok(())
        })
        .await?;
    }
    let times = times.lock().map_err(|e| e.to_string())?.clone();
    println!(
        "default example interactive after {} (median of {RUNS} fresh page loads; target < 1000 ms)",
        median_ms(times)
    );
    Ok(())
}

/// Loads a generated architecture of about 300 nodes as a saved workspace, then lays it out
/// again in both directions, reading the time the page reports for each layout.
async fn layout_300() -> Result<()> {
    let files: Vec<Value> = generated_org::generate(40, 7, 220)
        .into_iter()
        .map(|(path, text)| json!({ "path": path, "text": text }))
        .collect();
    let workspace = json!({ "files": files }).to_string();
    let times = Arc::new(Mutex::new(Vec::new()));
    let nodes = Arc::new(Mutex::new(String::new()));
    let (t, n) = (times.clone(), nodes.clone());
    run("bench-layout-300", |page| async move {
        page.open("").await?;
        page.wait_for(NODES).await?;
        page.js(
            "localStorage.setItem('baton.workspace.v1', arguments[0]);",
            vec![json!(workspace)],
        )
        .await?;
        page.reload().await?;
        for i in 0..RUNS * 2 {
            let button = if i % 2 == 0 {
                "direction-lr"
            } else {
                "direction-td"
            };
            if i > 0 {
                page.click(&format!("[data-testid={button}]")).await?;
            }
            let stats = wait_for_layout(&page, i).await?;
            if let (Some(ms), Ok(mut t)) = (laid_out_ms(&stats), t.lock()) {
                t.push(ms);
            }
            if let Ok(mut n) = n.lock() {
                *n = stats
                    .split(" · laid out")
                    .next()
                    .unwrap_or_default()
                    .to_string();
            }
        }
        Ok(())
    })
    .await?;
    let times = times.lock().map_err(|e| e.to_string())?.clone();
    let nodes = nodes.lock().map_err(|e| e.to_string())?.clone();
    println!(
        "layout of the generated architecture ({nodes}) in the browser: {} (median of {} layouts; target < 300 ms)",
        median_ms(times),
        RUNS * 2
    );
    Ok(())
}

/// The stats line once the big workspace is drawn (and, after the first, re-laid out).
async fn wait_for_layout(page: &support::Page, i: usize) -> Result<String> {
    let start = std::time::Instant::now();
    loop {
        let stats = page.text("[data-testid=stats]").await?;
        let big = stats
            .split(' ')
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n > 250);
        let direction = page
            .js("return document.querySelector('[data-testid=direction-lr]').getAttribute('aria-pressed');", vec![])
            .await?;
        let expected = if i % 2 == 0 { "true" } else { "false" };
        if big && (i == 0 || direction == expected) {
            return Ok(stats);
        }
        if start.elapsed() > support::TIMEOUT {
            return Err(format!("no layout of the big workspace: {stats}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn laid_out_ms(stats: &str) -> Option<f64> {
    stats
        .split("laid out in ")
        .nth(1)?
        .trim_end_matches(" ms")
        .parse()
        .ok()
}

fn median_ms(mut times: Vec<f64>) -> String {
    if times.is_empty() {
        return "? ms".into();
    }
    times.sort_by(f64::total_cmp);
    format!("{:.0} ms", times[times.len() / 2])
}
