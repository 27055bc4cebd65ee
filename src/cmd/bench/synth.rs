//! Synthetic specs for benchmarks: realistic departments of ten projects each, with 9–15
//! indicators per project, long texts, and every slot shape (empty slots, several
//! indicators in one slot, blank bases, every value form). Deterministic: the same count
//! always gives the same files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Projects per synthetic department.
pub const PROJECTS_PER_DEPARTMENT: usize = 10;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A sentence of `min..=max` phrases.
    fn sentence(&mut self, min: usize, max: usize) -> String {
        let n = min + self.below(max - min + 1);
        let mut s: Vec<&str> = (0..n).map(|_| self.pick(PHRASES)).collect();
        s.dedup();
        format!("{}。", s.join("，"))
    }
}

const PHRASES: &[&str] = &[
    "落实政务服务中心窗口单位月评比制度",
    "提高各类政务服务事项限时办结率",
    "优化营商环境",
    "加强行政审批局规范化建设",
    "建立延时服务机制",
    "强化群众对政务服务的评议监管",
    "推动公共资源交易中心标准化运作",
    "压缩交易成本，减少资金占用",
    "保障日常办公和设备维护",
    "完善“一窗通办、集中办理”工作机制",
    "实现审批服务信息实时流转",
    "推广“互联网+政务服务”",
    "做好行政审批权限承接工作",
    "规范审批流程并向社会公开",
];

const NAMES: &[&str] = &[
    "政务服务中心运行保障",
    "公共资源交易服务",
    "社会信用体系建设",
    "行政审批事项办理",
    "区域评估事项",
    "交易中心升级改造",
    "新大厅物业管理（含保安）",
    "劳务派遣人员工资",
    "审批档案数字化",
    "便民服务设备购置",
];

/// (一级, 二级, candidate names, candidate values)
const SLOTS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "产出指标",
        "数量指标",
        &["办件数量", "服务次数", "培训场次", "数据梳理条数"],
        &["1000 件以上", "20 次以上", "12 场", "≥500 条"],
    ),
    ("产出指标", "质量指标", &["审批结果准确率", "服务质量", "资料完整率"], &["100%", "良好", "≥98%"]),
    ("产出指标", "时效指标", &["限时办结率", "完成时限", "按时完成率"], &["100%", "完成", "95%以上"]),
    ("产出指标", "成本指标", &["财政保障经费", "预算资金"], &["25 万元", "42 万元", "330 万元", "3,309,840.00 元"]),
    ("效果指标", "经济效益指标", &["资金节约率", "交易成本降低"], &["5%以上", "完成"]),
    ("效果指标", "社会效益指标", &["事项进驻率", "营商环境改善", "公平公正"], &["85%以上", "促进", "良好"]),
    ("效果指标", "生态效益指标", &["无纸化办公比例"], &["60%以上"]),
    ("效果指标", "可持续性影响", &["长效机制建设", "群众认知度"], &["完成", "20%以上"]),
    ("满意度指标", "服务对象满意度指标", &["办事群众满意度", "企业满意度"], &["98%以上", "≥95%"]),
];

/// One synthetic project's indicators as drawn: (一级, 三级, 指标值), in file order.
pub type Drawn = Vec<(&'static str, &'static str, &'static str)>;

/// The corpus written: the year folders, and each project's file and indicators (for
/// the actual figures of [`super::actuals`]).
pub struct Corpus {
    /// The year folders.
    pub years: Vec<PathBuf>,
    /// (year folder, project file name, indicators) per project.
    pub projects: Vec<(PathBuf, String, Drawn)>,
}

/// Writes `projects` synthetic projects under `specs/<department>/2024/` and returns the
/// year folders.
pub fn write_corpus(specs: &Path, projects: usize) -> io::Result<Corpus> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let departments = projects.div_ceil(PROJECTS_PER_DEPARTMENT).max(1);
    let mut years = Vec::new();
    let mut written = Vec::new();
    for d in 0..departments {
        let code = format!("{}", 131_100 + d);
        let year = specs.join(&code).join("2024");
        fs::create_dir_all(year.join("projects"))?;
        fs::write(year.join("department.yaml"), department(&mut rng, &code, d))?;
        let first = d * PROJECTS_PER_DEPARTMENT;
        for p in first..projects.min(first + PROJECTS_PER_DEPARTMENT) {
            let project_code = format!("{code}{:03}", p - first + 1);
            let (text, drawn) = project(&mut rng, &project_code, p);
            let file = format!("{project_code}.yaml");
            fs::write(year.join("projects").join(&file), text)?;
            written.push((year.clone(), file, drawn));
        }
        years.push(year);
    }
    Ok(Corpus { years, projects: written })
}

/// Edits the first project of the year folder `year` as a clerk would (its 绩效目标 gets
/// a sentence more) and returns its path.
pub fn edit_one(year: &Path) -> io::Result<PathBuf> {
    let mut projects: Vec<PathBuf> =
        fs::read_dir(year.join("projects"))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    projects.sort();
    let path = projects.first().cloned().ok_or_else(|| io::Error::other("no project"))?;
    let text = fs::read_to_string(&path)?;
    let edited = match text.find("\ngoal: ") {
        Some(at) => {
            let end = text[at + 1..].find('\n').map_or(text.len(), |e| at + 1 + e);
            format!("{}另加强内部管理。{}", &text[..end], &text[end..])
        }
        None => return Err(io::Error::other("no goal")),
    };
    fs::write(&path, edited)?;
    Ok(path)
}

fn department(rng: &mut Rng, code: &str, index: usize) -> String {
    let mut text = format!(
        "year: 2024\ndepartment:\n  code: \"{code}\"\n  name: 样例第{}行政审批局\nmoney_unit: 万元\nnarrative:\n  intro: {}\n  goals:\n",
        index + 1,
        rng.sentence(4, 8)
    );
    for _ in 0..4 {
        text.push_str(&format!(
            "    - title: {}\n      goal: {}\n      indicator: {}\n",
            rng.pick(PHRASES),
            rng.sentence(1, 2),
            rng.sentence(1, 3)
        ));
    }
    text.push_str("  tasks:\n");
    for _ in 0..5 {
        text.push_str(&format!("    - {}\n", rng.sentence(4, 9)));
    }
    text
}

fn project(rng: &mut Rng, code: &str, index: usize) -> (String, Drawn) {
    let mut drawn = Drawn::new();
    // Slot counts: every slot once, a few emptied, extra rows until 9–15 indicators.
    let target = 9 + rng.below(7);
    let mut counts = [1usize; 9];
    for _ in 0..rng.below(3) {
        let slot = rng.below(9);
        if slot != 3 {
            counts[slot] = 0; // the cost slot is never empty
        }
    }
    while counts.iter().sum::<usize>() < target {
        counts[rng.below(9)] += 1;
    }
    let plan = if index % 7 == 6 { [25, 50, 75, 100] } else { [10, 50, 75, 100] };
    let mut text = format!(
        "code: \"{code}\"\nname: {}\npurpose: {}\nspending_plan:\n  3: {}\n  6: {}\n  10: {}\n  12: {}\ngoal: {}\nindicators:\n",
        rng.pick(NAMES),
        rng.sentence(3, 7),
        plan[0],
        plan[1],
        plan[2],
        plan[3],
        rng.sentence(1, 3)
    );
    for (slot, (level1, level2, names, values)) in SLOTS.iter().enumerate() {
        for _ in 0..counts[slot] {
            let (name, description, value) = (rng.pick(names), rng.sentence(1, 2), rng.pick(values));
            drawn.push((level1, name, value));
            text.push_str(&format!(
                "  - level1: {level1}\n    level2: {level2}\n    name: {name}\n    description: {description}\n    value: {value}\n"
            ));
            if rng.below(5) != 0 {
                text.push_str("    basis: 2024 年预算及相关文件要求\n");
            }
        }
    }
    (text, drawn)
}
