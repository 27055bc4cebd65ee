//! The `jixiao` binary: parse arguments, run the subcommand, print what it says, and exit
//! with its code. Commands themselves neither print nor exit.

use jixiao::cli::Command;
use jixiao::cmd;
use jixiao::session::Status;

/// The system allocator, ending the process with a Chinese message when memory is refused.
#[global_allocator]
static ALLOCATOR: jixiao::typeset::memory::GuardedAllocator = jixiao::typeset::memory::GuardedAllocator;

fn main() {
    jixiao::typeset::memory::configure();
    let cli = match jixiao::cli::parse() {
        Ok(cli) => cli,
        Err(message) => stop(&message),
    };
    // `-C DIR` works as if jixiao were started in DIR (as `git -C` does): every relative
    // path on the command line, year folders and `--out` included, is taken from there,
    // so one project's specs can never be written into another project's `out/`.
    if cli.root != std::path::Path::new(".")
        && let Err(e) = std::env::set_current_dir(&cli.root)
    {
        stop(&format!("无法进入项目目录 {}：{}", cli.root.display(), jixiao::text::io_reason(&e)));
    }
    let root = std::path::Path::new(".");
    let result = match &cli.command {
        Command::Build(args) => cmd::build::build(root, args),
        Command::Check(args) => cmd::check::check(root, args),
        Command::Bench(args) => cmd::bench::bench(root, args),
        Command::Textconv(args) => cmd::textconv::textconv(root, args),
        Command::Diff(args) => cmd::diff::diff(root, args),
        Command::Forms => cmd::forms::forms(root),
        Command::Fonts(args) => cmd::fonts::fonts(root, args),
        Command::Preview(args) => cmd::preview::preview(root, args),
        Command::Import(args) => cmd::import::import(root, args),
        Command::Schema(args) => cmd::schema::schema(root, args),
        Command::Watch(args) => cmd::watch::watch(root, args),
        Command::Serve(args) => jixiao::serve::serve(root, args),
        Command::Init(args) => cmd::init::init(root, args),
        Command::NewYear(args) => cmd::new_year::new_year(root, args),
    };
    match result {
        Ok(done) => {
            done.print();
            std::process::exit(done.status.code());
        }
        Err(stopped) => stop(&stopped.0),
    }
}

/// Says why nothing was done and exits with the usage code.
fn stop(message: &str) -> ! {
    eprintln!("错误：{message}");
    std::process::exit(Status::Trouble.code());
}
