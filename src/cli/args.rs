//! The options of each subcommand (clap derive). Every text a user reads is Chinese.

use std::path::PathBuf;

use clap::Args;

/// Options of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// git 版本（提交、分支或标签）：不写时比较 HEAD 与当前文件；写一个时比较该版本与当前文件；写两个时比较这两个版本
    #[arg(value_name = "版本", num_args = 0..=2)]
    pub revs: Vec<String>,
    /// 比较当前文件中的两个年度，如 --years 2024 2025
    #[arg(long, num_args = 2, value_names = ["旧年度", "新年度"], conflicts_with_all = ["revs", "dirs"], value_parser = clap::value_parser!(u32).range(1990..=2100))]
    pub years: Option<Vec<u32>>,
    /// 比较两个目录（两个年度目录，或两个含年度目录的规格目录）
    #[arg(long, num_args = 2, value_names = ["旧目录", "新目录"], conflicts_with = "revs")]
    pub dirs: Option<Vec<PathBuf>>,
    /// 把编码不同但内容相近的项目认作同一个项目（改了编码）；可写相似度百分比，如 --find-renames=70，默认 50
    #[arg(long, value_name = "百分比", num_args = 0..=1, require_equals = true, default_missing_value = "50", value_parser = clap::value_parser!(u8).range(1..=100))]
    pub find_renames: Option<u8>,
    /// 输出格式：text（默认，供阅读）、json（供其他程序读取，格式见 README）、md（Markdown，可贴到评审意见中）
    #[arg(long, value_enum, default_value_t = DiffFormat::Text, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
    pub format: DiffFormat,
    /// 颜色：auto（默认，输出到终端时着色）、always、never
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, hide_default_value = true, hide_possible_values = true, value_name = "何时")]
    pub color: ColorArg,
    /// 另外生成一份标出所有变化的合订本 PDF（新版本的规格，前面附变化清单），写到这个文件
    #[arg(long, value_name = "文件")]
    pub pdf: Option<PathBuf>,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// 供阅读的文字
    Text,
    /// JSON
    Json,
    /// Markdown
    Md,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// 输出到终端时着色
    Auto,
    /// 总是着色
    Always,
    /// 从不着色
    Never,
}

/// Options of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// 表样名称（templates/ 下的目录名，可用 jixiao forms 查看）
    #[arg(long, value_name = "表样")]
    pub form: String,
    /// 要新建的年度目录，如 specs/2025（目录名不是年份时，在其中新建示例的年度目录）。
    /// 表样是自评表或监控表、而该年度已有目标规格时，按目标规格新建本期的实际数据文件
    #[arg(value_name = "年度目录")]
    pub dir: PathBuf,
    /// （监控表）监控到几月，如 7 表示 1-7 月（默认 7）
    #[arg(long, value_name = "月份", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub month: Option<u32>,
    /// （自评表、监控表）实际数据目录的名称（默认 year-end，监控表为 monitoring-07 这样）
    #[arg(long, value_name = "名称")]
    pub period: Option<String>,
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 要导入的文件（.xlsx、.xls、.docx），可写多个
    #[arg(value_name = "文件", required = true)]
    pub files: Vec<PathBuf>,
    /// 文件中的表所用的表样（templates/ 下的目录名）；默认为 jixiao.toml 的 form，再默认为河北 2024
    #[arg(long, value_name = "表样")]
    pub form: Option<String>,
    /// 导入到哪个年度目录（如 specs/2025）：目标表写在其中的 projects/ 下；自评表、监控表写在
    /// actuals/<期间>/ 下（这一年要已有目标规格）
    #[arg(long, value_name = "年度目录")]
    pub into: PathBuf,
    /// 覆盖已有的项目文件（默认不覆盖，只提示）
    #[arg(long)]
    pub force: bool,
    /// 自评表、监控表：写入哪一期（actuals/ 下的目录名），默认 year-end 或 monitoring-07 这样
    #[arg(long, value_name = "名称")]
    pub period: Option<String>,
    /// 监控表：监控到几月（默认取表头“1-X月”中的月份）
    #[arg(long, value_name = "月份", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub month: Option<u32>,
}

/// Options of `new-year`.
#[derive(Debug, Args)]
pub struct NewYearArgs {
    /// 要新建的年度，如 2025
    #[arg(value_name = "年度", value_parser = clap::value_parser!(u32).range(1990..=2100))]
    pub year: u32,
    /// 从哪一年复制（默认为比新年度早的最近一年）
    #[arg(long, value_name = "年度", value_parser = clap::value_parser!(u32).range(1990..=2100))]
    pub from: Option<u32>,
}

/// Options of `fonts`.
#[derive(Debug, Args)]
pub struct FontsArgs {
    /// 要检查的年度目录（如 specs/2024）；不写则为 specs/ 下所有年度
    #[arg(value_name = "年度目录")]
    pub paths: Vec<PathBuf>,
    /// 逐个角色列出规格中用到、而该角色的字体里没有的字（及首次出现的位置）
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// 项目规格文件（只排这个项目的表）、department.yaml（合订本）或年度目录（全部）
    #[arg(value_name = "规格文件或年度目录")]
    pub path: PathBuf,
    /// 图片放到这个目录（默认为当前目录）；文件名为“PDF 文件名-页码.png”
    #[arg(long, short = 'o', value_name = "目录")]
    pub out: Option<PathBuf>,
    /// 图片格式：png（默认）或 svg
    #[arg(long, value_enum, default_value_t = PreviewFormat::Png, hide_default_value = true, hide_possible_values = true, value_name = "格式")]
    pub format: PreviewFormat,
    /// PNG 的分辨率（每英寸像素数），默认 144（或 jixiao.toml 的 ppi）
    #[arg(long, value_name = "数值", value_parser = parse_ppi)]
    pub ppi: Option<f32>,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Image formats of `preview`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewFormat {
    /// PNG
    Png,
    /// SVG
    Svg,
}

/// A resolution between 10 and 1200 pixels per inch.
fn parse_ppi(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(ppi) if (10.0..=1200.0).contains(&ppi) => Ok(ppi),
        _ => Err("应是 10 到 1200 之间的数".to_string()),
    }
}

/// Options of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 写到这个目录（默认为项目的 schema/）
    #[arg(value_name = "目录")]
    pub dir: Option<PathBuf>,
    /// 不写文件，只检查已有的 JSON Schema 是否最新（不是最新时退出码为 1）
    #[arg(long)]
    pub check: bool,
    /// 同时给 specs/ 下和各表样示例中的每个规格文件加上（或更新）第一行的 schema 说明，使编辑器能找到它
    #[arg(long)]
    pub modelines: bool,
}

/// Options of `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// 要监视的年度目录（如 specs/2024）；不写则为 specs/ 下所有年度
    #[arg(value_name = "年度目录")]
    pub paths: Vec<PathBuf>,
    /// 输出目录（默认为项目根目录下的 out/，或 jixiao.toml 的 out）
    #[arg(long, short = 'o', value_name = "目录")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 项目目录（包含 specs/ 的目录），默认为当前目录
    #[arg(value_name = "项目目录")]
    pub dir: Option<PathBuf>,
    /// 端口号（默认 8024；写 0 则任选一个空闲端口）
    #[arg(long, short = 'p', value_name = "端口", default_value_t = 8024, hide_default_value = true)]
    pub port: u16,
    /// 启动后用默认浏览器打开编辑页面（编辑器已在运行时，直接打开它的页面）
    #[arg(long)]
    pub open: bool,
    /// 在项目目录中生成一个可双击启动编辑器的文件（Windows：打开绩效编辑器.cmd；macOS：.command；Linux：.desktop），然后退出
    #[arg(long)]
    pub launcher: bool,
    #[command(flatten)]
    pub fonts: FontArgs,
}

/// Options of `textconv`.
#[derive(Debug, Args)]
pub struct TextconvArgs {
    /// 规格文件（department.yaml 或项目文件）
    #[arg(value_name = "文件")]
    pub file: PathBuf,
}

/// Options of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// 要生成的年度目录（如 specs/2024）；不写则生成 specs/ 下所有年度
    #[arg(value_name = "年度目录")]
    pub paths: Vec<PathBuf>,
    /// 输出目录（默认为项目根目录下的 out/）
    #[arg(long, short = 'o', value_name = "目录")]
    pub out: Option<PathBuf>,
    /// 全部重新生成，即使规格没有变化
    #[arg(long, short = 'f')]
    pub force: bool,
    /// 同时列出未变化的文件、没有变化的年度上次的警告和各阶段用时
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// 每个文件排版的最长时间（秒），超过时停止生成并报错（防止表样模板中的死循环）；默认 120
    #[arg(long, value_name = "秒", env = "JIXIAO_TIME_LIMIT", hide_env = true, default_value_t = 120, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,
    /// 排版时最多占用的内存（MB），超过时停止生成并报错（防止表样模板中过大的计算）；默认为本机内存的四分之一（至少 1024）
    #[arg(long, value_name = "MB", env = "JIXIAO_MEMORY_LIMIT", hide_env = true, value_parser = clap::value_parser!(u64).range(64..))]
    pub memory_limit: Option<u64>,
    /// 生成的文件格式，可写多个，以逗号分隔：pdf（默认）、png、svg（图片每页一个文件）、xlsx、docx（按表样版式的 Excel、Word 文件；合订本旁是全年的工作簿和 Word 版），都放在 PDF 旁边；覆盖 jixiao.toml 的 formats
    #[arg(long, value_name = "格式", value_delimiter = ',', value_parser = ["pdf", "png", "svg", "xlsx", "docx"], hide_possible_values = true)]
    pub format: Vec<String>,
    /// PDF 标准：1.7（默认，普通 PDF）、a-2b、a-3b（存档用 PDF/A，见 README）；覆盖 jixiao.toml 的 pdf_standard
    #[arg(long, value_name = "标准", value_parser = ["1.7", "a-2b", "a-3b"], hide_possible_values = true)]
    pub pdf_standard: Option<String>,
    #[command(flatten)]
    pub fonts: FontArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Options of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// 生成的样例项目数（每个部门 10 个项目，另加每个部门一本合订本）
    #[arg(long, short = 'n', default_value_t = 50, value_name = "个数")]
    pub projects: usize,
    /// 把样例规格和生成的 PDF 留在这个目录中（默认用临时目录，结束后删除）
    #[arg(long, value_name = "目录")]
    pub keep: Option<PathBuf>,
}

/// Options of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 要检查的年度目录（如 specs/2024）；不写则检查 specs/ 下所有年度
    #[arg(value_name = "年度目录")]
    pub paths: Vec<PathBuf>,
    /// 检查 git 仓库中某个版本的规格（提交、分支或标签，如 HEAD、v2024-approved），而不是当前文件
    #[arg(long, value_name = "版本")]
    pub rev: Option<String>,
    #[command(flatten)]
    pub fonts: FontArgs,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Font options shared by `build` and `check` (glyph coverage depends on them).
#[derive(Debug, Args, Clone, Default)]
pub struct FontArgs {
    /// 额外的字体目录（可多次使用，也可用环境变量 JIXIAO_FONT_PATHS，以 : 分隔）；默认只用项目的 fonts/ 目录
    #[arg(long = "font-path", value_name = "目录", env = "JIXIAO_FONT_PATHS", hide_env = true, value_delimiter = ':')]
    pub font_paths: Vec<PathBuf>,
    /// 同时使用操作系统中安装的字体（输出将依赖本机字体）
    #[arg(long)]
    pub system_fonts: bool,
    /// 正文优先使用的字体（如“仿宋_GB2312”），可多次使用；找不到时用表样自带的字体
    #[arg(long, value_name = "字体名")]
    pub body_font: Vec<String>,
    /// 表头和小标题优先使用的字体（如“黑体”），可多次使用
    #[arg(long, value_name = "字体名")]
    pub label_font: Vec<String>,
    /// 某个角色优先使用的字体，写成“角色=字体名”，如 --font title=方正小标宋简体（角色：title、body、label、kai 等，见 README）；可多次使用，覆盖 jixiao.toml
    #[arg(long, value_name = "角色=字体名")]
    pub font: Vec<String>,
}

/// How problems are reported.
#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// 问题的显示方式：rich（默认，显示源码行并标记出错处）或 short（每个问题一行）
    #[arg(long, value_enum, default_value_t = FormatArg::Rich, hide_default_value = true, hide_possible_values = true, value_name = "方式")]
    pub message_format: FormatArg,
    /// 把警告也当作错误（退出码为 1）
    #[arg(long)]
    pub deny_warnings: bool,
    /// 只显示错误和最后的汇总
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// How problems are shown (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// 显示源码行并在出错处标记（默认）
    Rich,
    /// 每个问题一行：文件:行:列: 错误[代码]: 说明
    Short,
}

impl From<FormatArg> for crate::diag::Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Rich => crate::diag::Format::Rich,
            FormatArg::Short => crate::diag::Format::Short,
        }
    }
}
