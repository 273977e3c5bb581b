"""Readable Chinese names of the audit log's action codes.

The log stores a stable code (``unit.update``); people read the label. Every
code a service passes to ``audit_record`` has a label here:
``tests/audit/test_actions.py`` reads the source tree and fails on a code
without one, so a new service cannot add an unreadable line to the log. A code
without a label (an old one, or a test's) is shown as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # organisation
    "unit.create": _("新建单位"),
    "unit.update": _("修改单位"),
    "person.create": _("新建人员"),
    "person.update": _("修改人员"),
    "task_force.create": _("新建指挥组"),
    "role.grant": _("授予角色"),
    "role.revoke": _("撤销角色"),
    "import.units": _("导入单位"),
    "import.people": _("导入人员"),
    # years, schemes, targets
    "year.create": _("新建考核年度"),
    "calendar.day_set": _("设置工作日历"),
    "calendar.day_delete": _("删除工作日历调整"),
    "calendar.preset_load": _("载入法定节假日安排"),
    "import.calendar": _("导入工作日历"),
    "scheme.create": _("新建考核方案"),
    "scheme.version": _("考核方案新版本"),
    "target.create": _("新建目标"),
    "target.update": _("修改目标"),
    "target.assign": _("分配目标责任"),
    "target.unassign": _("取消目标责任"),
    "milestone.set": _("设置目标节点"),
    "milestone.delete": _("删除目标节点"),
    "import.targets": _("导入目标"),
    # progress
    "plan.create": _("新建月度计划"),
    "plan.item_add": _("月度计划添加事项"),
    "plan.item_remove": _("月度计划移除事项"),
    "plan.submit": _("提交月度计划"),
    "plan.close": _("关闭月度计划"),
    "progress.report": _("填报进度"),
    "progress.report_update": _("修改进度报告"),
    "progress.accept": _("进度报告审核通过"),
    "progress.return": _("退回进度报告"),
    "evidence.store": _("上传佐证材料"),
    # inspections
    "inspection.record": _("记录察访核验"),
    "inspection.void": _("作废察访核验记录"),
    "site.create": _("新建项目现场"),
    "site.update": _("修改项目现场"),
    "site.delete": _("删除项目现场"),
    "site.visit": _("记录现场巡查"),
    # assessments (``assessment.<status>`` is written by each workflow step)
    "assessment.create": _("新建考核"),
    "assessment.quotas": _("设置等次比例"),
    "assessment.self_evaluation": _("提交自评"),
    "assessment.score": _("评分"),
    "assessment.veto_propose": _("提出一票否决"),
    "assessment.veto_decide": _("审批一票否决"),
    "assessment.aggregate": _("汇总计分"),
    "assessment.scoring": _("考核进入评分"),
    "assessment.review": _("考核进入审核"),
    "assessment.notice": _("考核结果公示"),
    "assessment.final": _("考核定案"),
    "assessment.appeal_file": _("提出申诉"),
    "assessment.appeal_decide": _("处理申诉"),
    "competition.publish": _("发布指挥组月度评比"),
    # peer ballots and public appraisal: rounds only, never a rater or an answer
    "ballot_round.open": _("开始民主测评"),
    "ballot_round.close": _("结束民主测评"),
    "appraisal.frame_import": _("导入抽样框"),
    "appraisal.questionnaire_create": _("新建问卷"),
    "appraisal.questionnaire_update": _("修改问卷"),
    "appraisal.round_create": _("新建公众评议"),
    "appraisal.round_draw": _("抽取评议样本"),
    "appraisal.round_open": _("开始公众评议"),
    "appraisal.round_close": _("结束公众评议"),
    "appraisal.member_replace": _("替换评议样本"),
    "appraisal.codes_issue": _("发放评议码"),
    "appraisal.call": _("记录电话访问"),
    "appraisal.phone_reveal": _("查看电话号码"),
    "appraisal.sample_export": _("导出评议样本"),
    "appraisal.sample_export_full": _("导出评议样本（完整号码）"),
    # rectification, rewards
    "rectification.create": _("新建整改事项"),
    "rectification.attach": _("上传整改佐证材料"),
    "rectification.submit": _("提交整改"),
    "rectification.close": _("整改销号"),
    "rectification.reopen": _("重新打开整改事项"),
    "rectification.carry_forward": _("整改事项转入下一年度"),
    "rewards.pool_create": _("新建奖励资金"),
    "rewards.pool_update": _("修改奖励资金"),
    "rewards.share_update": _("修改奖励分配"),
}


def action_label(action: str) -> str:
    """The action's Chinese name; an unknown code as it is."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
