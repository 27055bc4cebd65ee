//! The `jixiao` binary: parse arguments, run the subcommand, exit with its code.

use jixiao::cli::Command;
use jixiao::cmd;

fn main() {
    let cli = jixiao::cli::parse();
    let code = match &cli.command {
        Command::Build(args) => cmd::build::build(&cli.root, args),
        Command::Check(args) => cmd::check::check(&cli.root, args),
        Command::Bench(args) => cmd::bench::bench(&cli.root, args),
    };
    std::process::exit(code);
}
