//! `baton`: checks Google Cloud orchestration and choreography definitions from the command
//! line. Only this crate knows about files, terminals and exit codes.

mod config;
mod files;
mod render;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use baton_analyzer::{analyze_with, export, Config, RuleId, Severity};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "baton",
    version,
    about = "See and check event-driven architectures on Google Cloud"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and folders (recursively: .yaml, .yml, .json) and report findings.
    Check {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also fail (exit 1) on findings of this severity.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Settings file (default: `baton.toml` in the current folder, if any).
        #[arg(long)]
        config: Option<String>,
    },
    /// Print the interaction graph of files and folders.
    Graph {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
        format: GraphFormat,
        /// Settings file (default: `baton.toml` in the current folder, if any).
        #[arg(long)]
        config: Option<String>,
    },
    /// List the rules.
    Rules,
    /// Print the documentation of a rule.
    Explain { rule: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning services and editors.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    Json,
    Dot,
    Mermaid,
    /// The drawing the web app shows, with its legend and finding marks.
    Svg,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // `eprintln!` would panic if stderr is closed too.
            let _ = writeln!(io::stderr(), "error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check {
            paths,
            format,
            deny,
            config,
        } => {
            let config = settings(config.as_deref())?;
            let sources = files::collect(&paths)?;
            let report = analyze_with(&sources, &config);
            match format {
                Format::Human => render::human(&sources, &report)?,
                Format::Json => {
                    print(|out| writeln!(out, "{}", export::report_json(&sources, &report)))?
                }
                Format::Sarif => {
                    print(|out| writeln!(out, "{}", export::sarif(&sources, &report)))?
                }
            }
            let fails = |severity: Severity| {
                severity == Severity::Error || (deny.is_some() && severity == Severity::Warning)
            };
            let failed = report.findings.iter().any(|d| fails(d.severity));
            Ok(ExitCode::from(u8::from(failed)))
        }
        Command::Graph {
            paths,
            format,
            config,
        } => {
            let config = settings(config.as_deref())?;
            let sources = files::collect(&paths)?;
            let report = analyze_with(&sources, &config);
            let graph = &report.graph;
            let text = match format {
                GraphFormat::Json => {
                    serde_json::to_string_pretty(&export::graph_json(graph, &sources))? + "\n"
                }
                GraphFormat::Dot => export::dot(graph),
                GraphFormat::Mermaid => export::mermaid(graph),
                GraphFormat::Svg => drawing(&report),
            };
            print(|out| out.write_all(text.as_bytes()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules => {
            print(|out| {
                for rule in RuleId::ALL.iter().map(|r| r.meta()) {
                    writeln!(
                        out,
                        "{:<26} {:<7} {:<8} {}",
                        rule.name,
                        rule.code,
                        rule.severity.as_str(),
                        rule.summary
                    )?;
                }
                Ok(())
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule: name } => {
            let Some(rule) = RuleId::parse(&name).map(RuleId::meta) else {
                let _ = writeln!(
                    io::stderr(),
                    "error: no rule named `{name}` (see `baton rules`)"
                );
                return Ok(ExitCode::from(2));
            };
            print(|out| {
                writeln!(
                    out,
                    "# {} ({}, {} by default)\n\n{}\n\n{}",
                    rule.name,
                    rule.code,
                    rule.severity.as_str(),
                    rule.summary,
                    rule.docs
                )
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `baton.toml` (or `--config`), with the current time for the rules that need one.
fn settings(path: Option<&str>) -> Result<Config> {
    let mut config = config::load(path)?;
    config.now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(config.now, |d| {
            i64::try_from(d.as_secs()).unwrap_or(config.now)
        });
    Ok(config)
}

/// Writes to stdout through a buffer. A reader that went away (`baton rules | head`) ends the
/// output quietly, as other Unix tools do; other write errors are errors.
fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    quiet_on_broken_pipe(write(&mut out).and_then(|()| out.flush()))
}

/// `Ok` for a closed pipe.
pub(crate) fn quiet_on_broken_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// The app's default view of `report` as a standalone SVG: every node laid out as the app
/// lays it out, findings counted on what they are about, single points of failure outlined.
fn drawing(report: &baton_analyzer::Report) -> String {
    use baton_analyzer::view::{place::Place, scene, svg};
    let scene = scene::build(report, &scene::ViewOptions::default());
    let places: Vec<Place> = report
        .findings
        .iter()
        .map(|d| Place::of(report, d))
        .collect();
    svg::standalone(&scene, &svg::Marks::of_findings(report, &places))
}
