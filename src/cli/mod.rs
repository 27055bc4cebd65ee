//! Command-line arguments (clap derive): the commands here, each one's options in
//! [`args`], and the Chinese explanation of a usage error ([`parse`]). Every text a user
//! reads is Chinese.

mod args;

pub use args::*;

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand};

const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// jixiao（绩效）：把 YAML 格式的绩效目标规格生成正式的 PDF 报表。
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    override_usage = "jixiao [选项] <命令>",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "命令",
    next_help_heading = "选项",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "常用：\n  jixiao build                 生成 specs/ 下所有年度的 PDF，输出到 out/\n  jixiao check specs/2024      只检查 2024 年度的规格，不生成文件\n  jixiao diff                  列出当前文件与上次提交相比改了什么\n  jixiao watch                 一边修改规格一边自动生成 PDF\n  jixiao serve --open          在浏览器中填写和修改规格"
)]
pub struct Cli {
    /// 项目根目录（包含 specs/、templates/、fonts/ 的目录），默认为当前目录；命令行上的相对路径都从这里算起（与 git -C 相同）
    #[arg(long, short = 'C', global = true, default_value = ".", hide_default_value = true, value_name = "目录")]
    pub root: PathBuf,
    /// 显示帮助
    #[arg(long, short = 'h', action = ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// 显示版本
    #[arg(long, short = 'V', action = ArgAction::Version)]
    pub version: Option<bool>,
    /// 要执行的命令
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查规格并生成 PDF（默认生成 specs/ 下所有年度）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao build [选项] [年度目录]...")]
    Build(BuildArgs),
    /// 只检查规格，不生成任何文件
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao check [选项] [年度目录]...")]
    Check(CheckArgs),
    /// 先生成一次，然后在规格、表样、字体或 jixiao.toml 被保存时自动重新生成受影响的 PDF（按 Ctrl-C 结束）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao watch [选项] [年度目录]...")]
    Watch(WatchArgs),
    /// 在浏览器中编辑规格：像填表一样修改，边改边检查，旁边显示打印出的表（只在本机可访问，按 Ctrl-C 结束）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao serve [选项] [项目目录]")]
    Serve(ServeArgs),
    /// 把一个项目的表（或合订本、整个年度）排成图片（每页一个 PNG 或 SVG），便于快速查看和发送
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao preview [选项] <规格文件或年度目录>")]
    Preview(PreviewArgs),
    /// 比较两个版本、两个年度或两个目录的规格，列出项目、指标、金额和文字的变化
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao diff [选项] [版本] [版本]\n       jixiao diff --years <旧年度> <新年度>\n       jixiao diff --dirs <旧目录> <新目录>")]
    Diff(DiffArgs),
    /// 由上一年的规格新建一个年度（复制并把预算年度改为新的年度）
    #[command(name = "new-year", help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao new-year [选项] <年度>")]
    NewYear(NewYearArgs),
    /// 用某个表样的示例新建一个年度目录（部门文件和一个示例项目），可直接检查和生成
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao init --form <表样> <年度目录>")]
    Init(InitArgs),
    /// 从 Excel（.xlsx、.xls）或 Word（.docx）文件导入项目：按表样版式的表、或全年工作簿的“指标明细”表，每个项目写成一个规格文件；自评表、监控表导入为实际数据（actuals/）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao import [选项] --into <年度目录> <文件>...")]
    Import(ImportArgs),
    /// 列出已安装的表样（templates/ 下的各种表）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao forms")]
    Forms,
    /// 列出可用的字体及各角色（标题、正文、表头等）所用的字体；加 --check 检查规格中的字是否都有
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao fonts [选项] [年度目录]...")]
    Fonts(FontsArgs),
    /// 生成各表样规格文件的 JSON Schema（供编辑器补全和检查，见 README），默认写到 schema/
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao schema [选项] [目录]")]
    Schema(SchemaArgs),
    /// 把一个规格文件转成便于比较的文字（供 git diff 使用，见 README）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao textconv <文件>")]
    Textconv(TextconvArgs),
    /// 用生成的样例项目测量生成速度和内存（不影响 specs/ 和 out/）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "jixiao bench [选项]")]
    Bench(BenchArgs),
}

/// Parses the command line. Help and version are printed here (and end the process);
/// a usage error comes back as its Chinese explanation.
pub fn parse() -> Result<Cli, String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    // Started without any argument (double-clicked) beside a project: the editor.
    if let Some(project) = double_clicked() {
        let args = [std::ffi::OsString::from("jixiao"), "serve".into(), "--open".into(), project.into_os_string()];
        return Cli::try_parse_from(args).map_err(|e| e.to_string());
    }
    let error = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        error.exit();
    }
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let suggestion = |kind| {
        let s = context(kind);
        if s.is_empty() { String::new() } else { format!("您是不是想用“{s}”？") }
    };
    let message = match error.kind() {
        ErrorKind::InvalidSubcommand => {
            format!(
                "没有“{}”这个命令。{}",
                context(ContextKind::InvalidSubcommand),
                suggestion(ContextKind::SuggestedSubcommand)
            )
        }
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            format!("选项 {} 后面缺少值", context(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue if context(ContextKind::ValidValue).is_empty() => {
            format!("选项 {} 的值“{}”无效", context(ContextKind::InvalidArg), context(ContextKind::InvalidValue))
        }
        ErrorKind::InvalidValue => format!(
            "选项 {} 的值“{}”无效，可用的值：{}",
            context(ContextKind::InvalidArg),
            context(ContextKind::InvalidValue),
            context(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "选项 {} 的值“{}”无效，{}",
            context(ContextKind::InvalidArg),
            context(ContextKind::InvalidValue),
            std::error::Error::source(&error).map_or_else(|| "请检查写法".to_string(), |e| value_reason(&e.to_string()))
        ),
        ErrorKind::ArgumentConflict => {
            format!("选项 {} 和 {} 不能同时使用", context(ContextKind::InvalidArg), context(ContextKind::PriorArg))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {}", context(ContextKind::InvalidArg)),
        ErrorKind::UnknownArgument if context(ContextKind::InvalidArg).starts_with('-') => {
            let arg = context(ContextKind::InvalidArg);
            let meant = longer_option(&arg)
                .map(|option| format!("您是不是想用“{option}”？"))
                .unwrap_or_else(|| suggestion(ContextKind::SuggestedArg));
            format!("没有“{arg}”这个选项。{meant}")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令。可用的命令：build（生成 PDF）、check（只检查）、watch（保存即生成）、preview（排成图片）、diff（比较版本）、new-year（新建年度）、fonts（字体）、schema（编辑器用的 JSON Schema）、forms（列出表样）、init（新建示例年度）、textconv、bench".to_string()
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            let arg = context(ContextKind::InvalidArg);
            let what = if arg.starts_with('-') { "选项" } else { "参数" };
            match (error.get(ContextKind::ExpectedNumValues), error.get(ContextKind::ActualNumValues)) {
                (Some(ContextValue::Number(expected)), Some(ContextValue::Number(actual))) => {
                    format!("{what} {arg} 要写 {expected} 个值，现在写了 {actual} 个")
                }
                _ if error.kind() == ErrorKind::TooManyValues => {
                    format!("{what} {arg} 写多了：多出“{}”", context(ContextKind::InvalidValue))
                }
                _ => format!("{what} {arg} 的写法不对"),
            }
        }
        ErrorKind::UnknownArgument => format!("多余的参数“{}”", context(ContextKind::InvalidArg)),
        ErrorKind::InvalidUtf8 => "命令行参数中有不是 UTF-8 编码的文字".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    Err(format!("{message}\n运行 jixiao --help 查看用法。"))
}

/// Why a value was refused, in Chinese, from what the value parser said: a range
/// ("2101 is not in 1990..=2100"), a number that does not parse, or jixiao's own words.
fn value_reason(said: &str) -> String {
    if let Some((_, range)) = said.split_once(" is not in ") {
        let (low, high) = range.split_once("..").unwrap_or((range, ""));
        let (low, high) = (low.trim(), high.trim().trim_start_matches('='));
        // An open end prints as the type's largest value.
        let open = high.is_empty() || high.len() >= 10;
        return match (low.is_empty(), open) {
            (false, false) => format!("应是 {low} 到 {high} 之间的整数"),
            (false, true) => format!("应是不小于 {low} 的整数"),
            _ => "超出了允许的范围".to_string(),
        };
    }
    if said.contains("invalid digit") || said.contains("too large") || said.contains("too small") {
        return "应是一个正整数".to_string();
    }
    if said.contains("empty") {
        return "不能为空".to_string();
    }
    if !said.is_ascii() {
        return said.to_string();
    }
    "请检查写法".to_string()
}

/// The subcommand's own option whose name ends with the one written, e.g. `--format` for
/// `check`'s `--message-format` (clap suggests the closest spelling, `--font`).
fn longer_option(written: &str) -> Option<String> {
    use clap::CommandFactory;
    let name = written.trim_start_matches('-').split('=').next()?;
    if name.is_empty() {
        return None;
    }
    let command = Cli::command();
    let used = std::env::args().skip(1).find_map(|a| command.find_subcommand(&a).map(|c| c.get_name().to_string()))?;
    let subcommand = command.find_subcommand(&used)?;
    let option = subcommand
        .get_arguments()
        .filter_map(|a| a.get_long())
        .find(|long| long.ends_with(&format!("-{name}")) || long.starts_with(&format!("{name}-")))?;
    Some(format!("--{option}"))
}

/// The project a `jixiao` started without any argument belongs to, as a double-click in a
/// file manager starts it: the current folder when it holds `specs/`, else the program's
/// own folder when that does (jixiao copied into the project folder). `None` otherwise,
/// and whenever anything is written on the command line.
fn double_clicked() -> Option<std::path::PathBuf> {
    if std::env::args_os().len() != 1 {
        return None;
    }
    let here = std::env::current_dir().ok();
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(std::path::Path::to_path_buf));
    [here, beside].into_iter().flatten().find(|dir| dir.join("specs").is_dir())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn refused_values_say_what_is_allowed() {
        assert_eq!(super::value_reason("2101 is not in 1990..=2100"), "应是 1990 到 2100 之间的整数");
        assert_eq!(super::value_reason("1 is not in 64..18446744073709551615"), "应是不小于 64 的整数");
        assert_eq!(super::value_reason("invalid digit found in string"), "应是一个正整数");
        assert_eq!(super::value_reason("应是 10 到 1200 之间的数"), "应是 10 到 1200 之间的数");
    }
}
