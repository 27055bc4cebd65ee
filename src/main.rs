//! The `jixiao` binary: parse arguments, run the subcommand, exit with its code.

use jixiao::cli::Command;
use jixiao::cmd;

fn main() {
    let cli = match jixiao::cli::parse() {
        Ok(cli) => cli,
        Err(message) => {
            eprintln!("错误：{message}");
            std::process::exit(cmd::EXIT_USAGE);
        }
    };
    // `-C DIR` works as if jixiao were started in DIR (as `git -C` does): every relative
    // path on the command line, year folders and `--out` included, is taken from there,
    // so one project's specs can never be written into another project's `out/`.
    if cli.root != std::path::Path::new(".")
        && let Err(e) = std::env::set_current_dir(&cli.root)
    {
        eprintln!("错误：无法进入项目目录 {}：{}", cli.root.display(), jixiao::text::io_reason(&e));
        std::process::exit(cmd::EXIT_USAGE);
    }
    let root = std::path::Path::new(".");
    let code = match &cli.command {
        Command::Build(args) => cmd::build::build(root, args),
        Command::Check(args) => cmd::check::check(root, args),
        Command::Bench(args) => cmd::bench::bench(root, args),
    };
    std::process::exit(code);
}
