//! `baton`: checks Google Cloud orchestration and choreography definitions from the command
//! line. Only this crate knows about files, terminals and exit codes.

mod config;
mod files;
mod render;

use std::process::ExitCode;

use anyhow::Result;
use baton_analyzer::rules::{rule, RULES};
use baton_analyzer::{analyze_with, export, Severity};
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
            eprintln!("error: {error:#}");
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
            let mut config = config::load(config.as_deref())?;
            config.now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(config.now, |d| {
                    i64::try_from(d.as_secs()).unwrap_or(config.now)
                });
            let sources = files::collect(&paths)?;
            let report = analyze_with(&sources, &config);
            match format {
                Format::Human => render::human(&sources, &report)?,
                Format::Json => println!("{}", export::report_json(&sources, &report)),
                Format::Sarif => println!("{}", export::sarif(&sources, &report)),
            }
            let fails = |severity: Severity| {
                severity == Severity::Error || (deny.is_some() && severity == Severity::Warning)
            };
            Ok(ExitCode::from(
                if report.findings.iter().any(|d| fails(d.severity)) {
                    1
                } else {
                    0
                },
            ))
        }
        Command::Graph { paths, format } => {
            let sources = files::collect(&paths)?;
            let report = analyze_with(&sources, &baton_analyzer::Config::default());
            let graph = &report.graph;
            match format {
                GraphFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&export::graph_json(graph, &sources))?
                ),
                GraphFormat::Dot => print!("{}", export::dot(graph)),
                GraphFormat::Mermaid => print!("{}", export::mermaid(graph)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules => {
            for r in RULES {
                println!(
                    "{:<24} {:<7} {:<8} {}",
                    r.name,
                    r.code,
                    r.severity.as_str(),
                    r.summary
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule: name } => {
            let Some(r) = rule(&name) else {
                eprintln!("error: no rule named `{name}` (see `baton rules`)");
                return Ok(ExitCode::from(2));
            };
            println!(
                "# {} ({}, {} by default)\n\n{}\n\n{}",
                r.name,
                r.code,
                r.severity.as_str(),
                r.summary,
                r.docs
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
