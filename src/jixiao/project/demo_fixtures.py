"""The demo's organisations, people and targets, as plain data (no ORM).

Two organisations under one county, modelled on seed 002:

- 白莲镇 (篇一): 11 administrative villages, 1 residents' committee, its sections
  and stations, the leadership group the document names, and a handful of
  invented township targets under the bailian-town scheme's three indicators.
- 哈密地区交通运输局 (篇四): its eight sections with their numbered task lists and
  the role holders the document names for each (主管领导, 分管领导, 科室负责人, 承办人).

People are referred to by name inside one organisation (names are unique there);
``demo_data`` turns names into Person rows. Codes are the get-or-create keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

YEAR = 2026

COUNTY = {"code": "county", "name": "示范县"}


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str  # organisation.models.UnitKind value


@dataclass(frozen=True)
class PersonSpec:
    code: str
    name: str
    post: str
    unit: str  # unit code; the organisation's own code for its leadership


@dataclass(frozen=True)
class TargetSpec:
    code: str
    title: str
    unit: str  # unit code
    indicator: str
    weight: Decimal | None = None
    measures: str = ""
    expected_result: str = ""
    target_value: Decimal | None = None
    measure_unit: str = ""
    deadline: date = date(YEAR, 12, 31)
    # (responsibility, person name); responsibility is a targets.Responsibility value.
    assignments: tuple[tuple[str, str], ...] = ()
    # (month, what is due by the end of it, planned value or None)
    milestones: tuple[tuple[int, str, Decimal | None], ...] = ()


PRINCIPAL = "principal_leader"
SUPERVISING = "supervising_leader"
HEAD = "section_head"
HANDLER = "handler"

# ---------------------------------------------------------------------------
# 白莲镇 (002 篇一)
# ---------------------------------------------------------------------------

BAILIAN = {"code": "bailian", "name": "白莲镇", "kind": "township"}

BAILIAN_UNITS: tuple[UnitSpec, ...] = (
    # 科室
    UnitSpec("dzb", "党政办", "section"),
    UnitSpec("jjfz", "经济发展办", "section"),
    UnitSpec("shsw", "社会事务办", "section"),
    UnitSpec("zzb", "综治办", "section"),
    UnitSpec("jsb", "计生办", "section"),
    # 站所
    UnitSpec("czs", "财政所", "station"),
    UnitSpec("ajz", "安监站", "station"),
    UnitSpec("nyfw", "农业服务中心", "station"),
    UnitSpec("gts", "国土所", "station"),
    UnitSpec("lyz", "林业站", "station"),
    UnitSpec("slz", "水利站", "station"),
    UnitSpec("whz", "文化站", "station"),
    # "11个行政村，1个居委会"
    UnitSpec("v01", "白莲村", "village"),
    UnitSpec("v02", "荷塘村", "village"),
    UnitSpec("v03", "莲花村", "village"),
    UnitSpec("v04", "石桥村", "village"),
    UnitSpec("v05", "新华村", "village"),
    UnitSpec("v06", "龙泉村", "village"),
    UnitSpec("v07", "竹山村", "village"),
    UnitSpec("v08", "黄田村", "village"),
    UnitSpec("v09", "杨梅村", "village"),
    UnitSpec("v10", "高坪村", "village"),
    UnitSpec("v11", "河口村", "village"),
    UnitSpec("c01", "白莲社区居委会", "committee"),
)

BAILIAN_PEOPLE: tuple[PersonSpec, ...] = (
    # 领导小组 as the document names it, and the deputy mayors who supervise the work.
    PersonSpec("BL001", "黄小君", "党委副书记、纪委书记（绩效管理领导小组组长）", "bailian"),
    PersonSpec("BL002", "廖国兴", "组织委员（绩效管理领导小组副组长）", "bailian"),
    PersonSpec("BL003", "杨金文", "党委秘书（绩效管理领导小组副组长）", "dzb"),
    PersonSpec("BL004", "周德明", "副镇长（分管经济发展、农业农村）", "bailian"),
    PersonSpec("BL005", "李春梅", "副镇长（分管社会事务、计生）", "bailian"),
    PersonSpec("BL006", "罗志勇", "副镇长（分管综治、安全生产）", "bailian"),
    # 科室和站所
    PersonSpec("BL010", "王芳", "党政办科员", "dzb"),
    PersonSpec("BL011", "张伟", "经济发展办主任", "jjfz"),
    PersonSpec("BL012", "刘洋", "经济发展办科员", "jjfz"),
    PersonSpec("BL013", "何丽", "经济发展办科员", "jjfz"),
    PersonSpec("BL014", "周敏", "社会事务办主任", "shsw"),
    PersonSpec("BL015", "郭红", "社会事务办科员", "shsw"),
    PersonSpec("BL016", "曾强", "综治办主任", "zzb"),
    PersonSpec("BL017", "彭涛", "综治办科员", "zzb"),
    PersonSpec("BL018", "唐秀英", "计生办主任", "jsb"),
    PersonSpec("BL019", "蒋丽", "计生办科员", "jsb"),
    PersonSpec("BL020", "邓建华", "财政所所长", "czs"),
    PersonSpec("BL021", "谢玲", "财政所会计", "czs"),
    PersonSpec("BL022", "罗斌", "安监站站长", "ajz"),
    PersonSpec("BL023", "许亮", "安监员", "ajz"),
    PersonSpec("BL024", "钟国平", "农业服务中心主任", "nyfw"),
    PersonSpec("BL025", "韩雪", "农技员", "nyfw"),
    PersonSpec("BL026", "冯立", "国土所所长", "gts"),
    PersonSpec("BL027", "田志华", "林业站站长", "lyz"),
    PersonSpec("BL028", "黄建", "护林员", "lyz"),
    PersonSpec("BL029", "胡海", "水利站站长", "slz"),
    PersonSpec("BL030", "陈刚", "水利站技术员", "slz"),
    PersonSpec("BL031", "孙丽萍", "文化站站长", "whz"),
    # 村居
    PersonSpec("BL040", "陈静", "驻村干部（白莲村）", "v01"),
    PersonSpec("BL041", "李德福", "白莲村党支部书记", "v01"),
    PersonSpec("BL042", "吴桂兰", "荷塘村党支部书记", "v02"),
    PersonSpec("BL043", "赵文斌", "白莲社区居委会主任", "c01"),
)

SUSTAINABLE = "indicators.sustainable"
LIVELIHOOD = "indicators.livelihood"
GOVERNANCE = "indicators.governance"


def _d(value: str) -> Decimal:
    return Decimal(value)


# Weights are points out of the scheme's 100 for 指标考核: 40 + 35 + 25.
BAILIAN_TARGETS: tuple[TargetSpec, ...] = (
    TargetSpec(
        code="可持续发展-01",
        title="农村公路建设：新建硬化通村公路12公里",
        unit="jjfz",
        indicator=SUSTAINABLE,
        weight=_d("12"),
        measures="争取县交通部门项目资金，按“先急后缓”排定荷塘村、石桥村、竹山村三条线路",
        expected_result="11个行政村全部通硬化路，群众出行条件明显改善",
        target_value=_d("12"),
        measure_unit="公里",
        deadline=date(YEAR, 11, 30),
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "周德明"),
            (HEAD, "张伟"),
            (HANDLER, "刘洋"),
        ),
        milestones=(
            (3, "完成线路勘测和项目申报", None),
            (5, "完成招标，开工建设", _d("0")),
            (7, "累计完成路基4公里", _d("4")),
            (9, "累计硬化8公里", _d("8")),
            (11, "全部完工并通过验收", _d("12")),
        ),
    ),
    TargetSpec(
        code="可持续发展-02",
        title="招商引资：新引进项目到位资金5000万元",
        unit="jjfz",
        indicator=SUSTAINABLE,
        weight=_d("10"),
        measures="建立重点项目库，落实“一个项目、一名领导、一套班子”跟踪服务",
        expected_result="新签约项目3个以上，到位资金5000万元",
        target_value=_d("5000"),
        measure_unit="万元",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "周德明"),
            (HEAD, "张伟"),
            (HANDLER, "刘洋"),
            (HANDLER, "何丽"),
        ),
        milestones=(
            (3, "累计到位资金1000万元", _d("1000")),
            (6, "累计到位资金2500万元", _d("2500")),
            (9, "累计到位资金3800万元", _d("3800")),
            (12, "累计到位资金5000万元", _d("5000")),
        ),
    ),
    TargetSpec(
        code="可持续发展-03",
        title="农村人居环境整治：11个行政村生活垃圾集中收运全覆盖",
        unit="shsw",
        indicator=SUSTAINABLE,
        weight=_d("10"),
        measures="每村配备保洁员，实行“户分类、村收集、镇转运”，每月开展一次评比",
        expected_result="村庄环境整洁，群众满意度明显提高",
        target_value=_d("11"),
        measure_unit="个村",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "李春梅"),
            (HEAD, "周敏"),
            (HANDLER, "郭红"),
        ),
        milestones=(
            (2, "制定整治方案，落实保洁员", None),
            (4, "累计覆盖4个村", _d("4")),
            (7, "累计覆盖8个村", _d("8")),
            (10, "11个村全覆盖", _d("11")),
        ),
    ),
    TargetSpec(
        code="可持续发展-04",
        title="植树造林800亩，森林防火零事故",
        unit="lyz",
        indicator=SUSTAINABLE,
        weight=_d("8"),
        measures="春季集中造林，落实护林员网格巡护",
        target_value=_d("800"),
        measure_unit="亩",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "周德明"),
            (HEAD, "田志华"),
            (HANDLER, "黄建"),
        ),
        milestones=(
            (3, "完成春季造林500亩", _d("500")),
            (4, "累计造林800亩", _d("800")),
            (12, "全年森林防火零事故", None),
        ),
    ),
    TargetSpec(
        code="改善民生-01",
        title="新型农村合作医疗参合率达到99%",
        unit="shsw",
        indicator=LIVELIHOOD,
        weight=_d("15"),
        measures="村（居）干部入户宣传动员，建立参合台账，逐户核对",
        expected_result="应参尽参，群众看病负担减轻",
        target_value=_d("99"),
        measure_unit="%",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "李春梅"),
            (HEAD, "周敏"),
            (HANDLER, "郭红"),
        ),
        milestones=(
            (1, "参合率达到90%", _d("90")),
            (2, "参合率达到97%", _d("97")),
            (3, "参合率达到99%，台账归档", _d("99")),
        ),
    ),
    TargetSpec(
        code="改善民生-02",
        title="新型农村社会养老保险参保率达到95%",
        unit="shsw",
        indicator=LIVELIHOOD,
        weight=_d("10"),
        target_value=_d("95"),
        measure_unit="%",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "李春梅"),
            (HEAD, "周敏"),
            (HANDLER, "郭红"),
        ),
        milestones=(
            (4, "参保率达到85%", _d("85")),
            (8, "参保率达到92%", _d("92")),
            (11, "参保率达到95%", _d("95")),
        ),
    ),
    TargetSpec(
        code="改善民生-03",
        title="农田水利：整修山塘、水渠20处",
        unit="slz",
        indicator=LIVELIHOOD,
        weight=_d("10"),
        measures="冬春修水利，汛前完成主要渠道清淤",
        target_value=_d("20"),
        measure_unit="处",
        deadline=date(YEAR, 10, 31),
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "周德明"),
            (HEAD, "胡海"),
            (HANDLER, "陈刚"),
        ),
        milestones=(
            (3, "累计整修8处", _d("8")),
            (5, "汛前累计整修14处", _d("14")),
            (10, "累计整修20处", _d("20")),
        ),
    ),
    TargetSpec(
        code="勤政廉政-01",
        title="安全生产：不发生较大以上安全事故，隐患整改率100%",
        unit="ajz",
        indicator=GOVERNANCE,
        weight=_d("10"),
        measures="每月开展一次安全隐患排查，建立隐患整改台账，销号管理",
        target_value=_d("100"),
        measure_unit="%",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "罗志勇"),
            (HEAD, "罗斌"),
            (HANDLER, "许亮"),
        ),
        milestones=tuple((m, "完成本月安全隐患排查并整改销号", None) for m in range(1, 13)),
    ),
    TargetSpec(
        code="勤政廉政-02",
        title="综治维稳：信访事项按期办结率100%",
        unit="zzb",
        indicator=GOVERNANCE,
        weight=_d("8"),
        measures="落实首问负责，矛盾纠纷月排查月调处",
        target_value=_d("100"),
        measure_unit="%",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "罗志勇"),
            (HEAD, "曾强"),
            (HANDLER, "彭涛"),
        ),
        milestones=(
            (6, "上半年信访事项全部按期办结", None),
            (12, "全年信访事项全部按期办结", None),
        ),
    ),
    TargetSpec(
        code="勤政廉政-03",
        title="政务公开与机关效能建设：镇村两级政务公开每季度更新",
        unit="dzb",
        indicator=GOVERNANCE,
        weight=_d("7"),
        measures="党务政务公开栏按季度更新，察访核验问题当月整改",
        target_value=_d("4"),
        measure_unit="次",
        assignments=(
            (PRINCIPAL, "黄小君"),
            (SUPERVISING, "廖国兴"),
            (HEAD, "杨金文"),
            (HANDLER, "王芳"),
        ),
        milestones=(
            (3, "完成第一季度公开", _d("1")),
            (6, "完成第二季度公开", _d("2")),
            (9, "完成第三季度公开", _d("3")),
            (12, "完成第四季度公开", _d("4")),
        ),
    ),
)

# ---------------------------------------------------------------------------
# 哈密地区交通运输局 (002 篇四)
# ---------------------------------------------------------------------------

HAMI = {"code": "hami-jt", "name": "哈密地区交通运输局", "kind": "bureau"}

HAMI_PEOPLE: tuple[PersonSpec, ...] = (
    # The document names them only as 主管/分管领导; the posts are the demo's reading.
    PersonSpec("HM001", "白建国", "局党组书记", "hami-jt"),
    PersonSpec("HM002", "阿克然木·玉努斯", "局长", "hami-jt"),
    PersonSpec("HM003", "朱建军", "副局长", "hami-jt"),
    PersonSpec("HM004", "纪家", "副局长", "hami-jt"),
    PersonSpec("HM010", "陈清河", "办公室主任", "bgs"),
    PersonSpec("HM011", "夏国强", "办公室科员", "bgs"),
    PersonSpec("HM012", "杨炜丽", "办公室科员", "bgs"),
    PersonSpec("HM013", "加米娜", "办公室科员", "bgs"),
    PersonSpec("HM014", "艾尼帕", "办公室科员", "bgs"),
    PersonSpec("HM015", "周容", "办公室科员", "bgs"),
    PersonSpec("HM020", "塔依尔·玉素甫", "公路科科长（兼路政科负责人）", "glk"),
    PersonSpec("HM021", "祖力", "公路科科员", "glk"),
    PersonSpec("HM022", "陈艳玲", "公路科科员", "glk"),
    PersonSpec("HM030", "马磊", "路政科科员", "lzk"),
    PersonSpec("HM031", "邓长秀", "路政科科员", "lzk"),
    PersonSpec("HM040", "祖力菲卡尔·米吉提", "项目办主任", "xmb"),
    PersonSpec("HM041", "王新平", "项目办工程师", "xmb"),
    PersonSpec("HM042", "殷磊", "项目办科员", "xmb"),
    PersonSpec("HM043", "朱磊", "项目办科员", "xmb"),
    PersonSpec("HM050", "张志强", "安运科科长", "ayk"),
    PersonSpec("HM051", "郭静", "安运科科员", "ayk"),
    PersonSpec("HM060", "张彩珍", "监察室主任", "jcs"),
    PersonSpec("HM070", "刘敏", "财务室主任", "cws"),
    PersonSpec("HM071", "武清萍", "会计", "cws"),
    PersonSpec("HM072", "吕锦秀", "出纳", "cws"),
    PersonSpec("HM080", "巴哈尔古丽", "交战办主任", "jzb"),
)


@dataclass(frozen=True)
class Roles:
    """One 【主管领导…承办人】 bracket of the document."""

    principals: tuple[str, ...]
    supervisors: tuple[str, ...]
    head: str
    handlers: tuple[str, ...]


@dataclass(frozen=True)
class HamiSection:
    code: str
    name: str
    roles: Roles
    # Numbered as in the document: item n becomes Target "<name>-0n".
    tasks: tuple[str, ...]
    # Task numbers under a different bracket (安运科 has two).
    other_roles: tuple[tuple[tuple[int, ...], Roles], ...] = ()
    # Task number → ((month, milestone), …) where the document gives a date.
    milestones: dict[int, tuple[tuple[int, str], ...]] = field(default_factory=dict)


_AKRAM = "阿克然木·玉努斯"

HAMI_SECTIONS: tuple[HamiSection, ...] = (
    HamiSection(
        code="bgs",
        name="办公室",
        roles=Roles(
            ("白建国", _AKRAM),
            ("朱建军", "纪家"),
            "陈清河",
            ("夏国强", "杨炜丽", "加米娜", "艾尼帕", "周容"),
        ),
        tasks=(
            "及时做好党务政务公开工作",
            "创建学习型党组织（制定党组中心组学习、机关学习、远程教育学习计划并组织实施）",
            "做好绩效管理工作：成立绩效管理机构、制定实施方案、督查考评、总结上报",
            "扎实开展热爱伟大祖国、建设美好家园主题教育活动",
            "结合为民办实事工程，抓好亲民爱民为民工作",
            "做好交通文化建设工作",
            "做好信访接待、调查、回复等工作",
            "做好扶贫帮困、节假日前慰问工作",
            "做好综合治理工作，建设平安单位",
            "做好精神文明建设工作",
            "做好办公室文秘、接待、档案整理、后勤管理等常规工作",
        ),
    ),
    HamiSection(
        code="glk",
        name="公路科",
        roles=Roles((_AKRAM,), ("朱建军",), "塔依尔·玉素甫", ("祖力", "马磊", "邓长秀", "陈艳玲")),
        tasks=(
            "加大对国省干线公路建设的协调服务力度，促使年度高速公路建设任务顺利完成",
            "编制农村公路年度计划",
            "督促完成通村公路前期工作任务：哈密市75公里、伊吾县29.8公里、巴里坤县15.6公里",
            "二月份举办全地区小修养护人员培训班",
            "举行一次农村公路养护大户、门前三包现场观摩会，举办小修养护人员技能竞赛",
            "继续做好县乡公路“好路率”评定工作，将通村油路逐年纳入好路率指标考核",
            "完善修订文明样板路创建标准；哈密市确定2条、巴里坤、伊吾各确定1条文明样板路，"
            "并完善相关内业资料",
            "每季度进行现场养护指导，每半年进行一次养护质量考核检查并通报；"
            "与县市交通局签订养护目标管理责任书",
            "完成两县一市小修养护计划及病害调查，建立小修养护支付台账；完善桥梁养护档案",
            "完成固定资产投资统计工作，完善农村公路专项调查工作",
            "完成公路养护统计工作",
            "每半个月上报一份公路建设信息，做好公路科日常公文处理工作",
        ),
        milestones={
            4: ((2, "举办全地区小修养护人员培训班"),),
            8: (
                (3, "第一季度现场养护指导"),
                (6, "第二季度现场养护指导；上半年养护质量考核检查并通报"),
                (9, "第三季度现场养护指导"),
                (12, "第四季度现场养护指导；下半年养护质量考核检查并通报"),
            ),
        },
    ),
    HamiSection(
        code="lzk",
        name="路政科",
        roles=Roles((_AKRAM,), ("朱建军",), "塔依尔·玉素甫", ("马磊", "邓长秀")),
        tasks=(
            "落实农村公路路政规章制度（包括廉政制度、行风建设及执法公示制度）",
            "做好路政案件的处理（处罚）",
            "规范路政内业管理",
            "完善路政执法人员信息普查工作",
            "完成路政执法证件的年审相关工作",
            "对两县一市的路产路权维护情况进行督导检查",
            "认真开展路政宣传，路政信息及重大事件及时上报",
        ),
    ),
    HamiSection(
        code="xmb",
        name="项目办",
        roles=Roles(
            (_AKRAM,), ("朱建军",), "祖力菲卡尔·米吉提", ("王新平", "陈艳玲", "殷磊", "朱磊")
        ),
        tasks=(
            "积极解决交通瓶颈问题，全力争取Z504线改造年内开工建设，"
            "积极推进东天山隧道公路项目的前期工作",
            "完成重要农村公路建设：G312线—西山乡55.5公里、博尔羌吉镇至大红柳峡乡90.9公里、"
            "伊吾县至苇子峡30.3公里；做好伊吾—G7连接线相关工作；完成10个贫困村村级公路建设",
            "完成一般农村公路建设：农村公路黑色化整乡推进120公里",
            "与施工单位签订“工程质量目标责任书”",
            "检查督促施工单位安全生产方面的工作",
            "做好合同管理及工程变更工作",
            "严格审查施工单位上报的计量支付报表并现场核实工程量，每月底上报工程进度月报",
            "每半个月上报一份公路建设信息，做好日常公文处理工作",
            "配合财务科做好清欠农民工工资工作",
            "做好农村公路建设工程环境保护工作",
        ),
        milestones={7: tuple((m, "月底上报工程进度月报") for m in range(1, 13))},
    ),
    HamiSection(
        code="ayk",
        name="安运科",
        roles=Roles((_AKRAM,), ("纪家",), "张志强", ("张志强", "郭静")),
        tasks=(
            "落实安全生产目标管理责任制",
            "开展冬季百日安全生产整治活动和安全隐患排查整治活动",
            "做好安全生产宣传教育活动",
            "做好节假日及重大社会活动期间安全生产工作",
            "做好信息报送工作",
            "做好客货运管理工作",
            "协调管理治理超载超限工作",
            "成立道路运输协会",
            "做好极端天气下安全运输工作",
            "开展地区公路运输货运量分析研究，形成分析报告",
            "加强对运管部门的监管，强化客运站场管理，加大运输安全检查，"
            "督促客运企业落实规章制度、履行安全监督职责",
        ),
        # The document's second bracket: items 6–11 report to 白建国.
        other_roles=(
            ((6, 7, 8, 9, 10, 11), Roles(("白建国",), ("纪家",), "张志强", ("张志强", "郭静"))),
        ),
    ),
    HamiSection(
        code="jcs",
        name="监察室",
        roles=Roles(("白建国", _AKRAM), ("朱建军", "纪家"), "张彩珍", ("张彩珍",)),
        tasks=(
            "做好党风廉政建设工作：责任分解及责任书签订，工程建设领域突出问题专项治理，"
            "治理商业贿赂、预防职务犯罪，教育月活动，纪检监察信访，廉政风险防范，廉政合同签订，"
            "党务公开",
            "做好纠风工作：签订纠风目标责任书，治理公路“三乱”，行风示范窗口单位推荐申报，"
            "行风热线参播节目，纠风信访件落实",
            "做好行业文明建设工作：安排部署系统行业文明创建，签订目标责任书，积极开展各种创建活动",
            "做好基层组织建设工作：安排部署年度党建工作，党费收缴，发展党员和组织关系接转，"
            "党员信息库维护和党内统计，创先争优，党建工作例会",
            "做好督察工作：加强对重点建设项目及相关工作的监督检查，加强对工程建设招标工作的监督",
        ),
    ),
    HamiSection(
        code="cws",
        name="财务室",
        roles=Roles((_AKRAM,), ("朱建军",), "刘敏", ("武清萍", "吕锦秀")),
        tasks=(
            "编制现金、银行日记账，做好银行对账，做到账目清楚、数字准确、日清月结",
            "及时填制《行政、事业单位报账单》，到财政局报账、结账",
            "完成每季度劳动工资快报、劳动工资年报、交通行业劳动工资统计年报",
            "根据各单位文件要求，完成单位各种证件的年检工作",
            "固定资产按品名、规格、数量、金额设置明细账，建立固定资产卡片，及时处理调入调出和内部转移",
            "按地方财政要求编制下一年度局经费预算报表",
            "完成财务各类报表",
            "根据交通厅下发的小修养护计划及时申请专项资金，根据公路科文件及时下拨到县市",
            "准确无误支付农村公路建设工程款",
            "完成竣工财务决算、公路建设资金审计",
            "加强农民工工资管理",
        ),
        milestones={
            3: (
                (3, "报送第一季度劳动工资快报"),
                (6, "报送第二季度劳动工资快报"),
                (9, "报送第三季度劳动工资快报"),
                (12, "报送第四季度劳动工资快报和年报"),
            ),
        },
    ),
    HamiSection(
        code="jzb",
        name="交战办",
        roles=Roles((_AKRAM,), ("朱建军",), "巴哈尔古丽", ("巴哈尔古丽",)),
        tasks=(
            "交通战备现代化建设：完善组织机构、健全工作制度、明确工作职责、完善工作程序、档案资料齐全",
            "完成交通战备地区民用运力潜力调查工作",
            "修订各类应急预案，同时监督县市交战办应急预案的修订工作",
            "积极建立国防交通专业保障队伍，确保平时、战时及特殊情况下有能力执行抢修、抢运任务，"
            "做到制度落实、人员落实、责任到人",
            "完成交通战备数据库资料的输入工作",
            "做好国防教育培训工作，增强公民国防观念",
        ),
    ),
)

# ---------------------------------------------------------------------------
# Demo logins
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginSpec:
    username: str
    person: str  # name of the Person in ``org`` the login belongs to
    org: str  # organisation code
    role: str  # shown to whoever starts the demo
    # (organisation.Role value, unit code or None)
    grants: tuple[tuple[str, str | None], ...]
    is_superuser: bool = False


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec(
        "office", "杨金文", "bailian", "白莲镇绩效办管理员", (("office", None),), is_superuser=True
    ),
    LoginSpec(
        "leader",
        "黄小君",
        "bailian",
        "白莲镇领导小组组长、主管领导",
        (("reviewer", None), ("principal_leader", None)),
    ),
    LoginSpec("head", "张伟", "bailian", "白莲镇经济发展办科室负责人", (("section_head", "jjfz"),)),
    LoginSpec("handler", "刘洋", "bailian", "白莲镇经济发展办承办人", (("handler", None),)),
    LoginSpec("cadre", "陈静", "bailian", "白莲镇驻村干部", (("cadre", None),)),
    LoginSpec("hami", "陈清河", "hami-jt", "哈密地区交通运输局绩效办管理员", (("office", None),)),
)
